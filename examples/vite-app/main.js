// Lists the notes the dev server reads from the database; in development, links the claim URL.
const list = document.querySelector("#notes");
const response = await fetch("/api/notes");
const { rows, error } = await response.json();
list.replaceChildren(...(rows ?? [{ body: `Error: ${error}` }]).map((row) => {
  const li = document.createElement("li");
  li.textContent = row.body;
  return li;
}));

// Never in a production build: neon-edge/vite leaves it undefined there.
const claimUrl = import.meta.env.DEV ? import.meta.env.VITE_POSTGRES_CLAIM_URL : undefined;
if (claimUrl) {
  const claim = document.querySelector("#claim");
  claim.querySelector("a").href = claimUrl;
  claim.hidden = false;
}
