// "Instant database": creates a claimable database and shows its connection strings (password
// masked until revealed), its claim link and a live countdown to the service's expires_at.
import { createClaimableDatabase } from "neon-edge/postgres";
import { $, say, showError, clearError, whileBusy, formatRemaining, maskPassword } from "./ui.js";

/** Who provisions the databases, as Claimable Postgres asks. */
const REFERRER = "neon-edge-browser-demo";

/** Shows `value` masked in `row` (a dd.secret) with its Reveal and Copy buttons. */
function showSecret(row, value, status) {
  const code = row.querySelector("code");
  const reveal = row.querySelector("button.reveal");
  const copy = row.querySelector("button.copy");
  let revealed = false;
  const render = () => {
    code.textContent = revealed ? value : maskPassword(value);
    reveal.textContent = revealed ? "Hide" : "Reveal";
  };
  reveal.onclick = () => { revealed = !revealed; render(); };
  copy.onclick = async () => {
    try {
      await navigator.clipboard.writeText(value);
      copy.textContent = "Copied";
      setTimeout(() => { copy.textContent = "Copy"; }, 1500);
    } catch (e) {
      say(status, `Could not copy: the browser refused the clipboard (${e.name}). Reveal the string and copy it by hand.`);
    }
  };
  render();
}

export function setupInstantDatabase({ claimableBaseUrl, onDatabase }) {
  const button = $("create-db");
  const status = $("db-status");
  const errorBox = $("db-error");
  const countdown = $("countdown");
  let ticker;

  const startCountdown = (expiresAt) => {
    clearInterval(ticker);
    const end = Date.parse(expiresAt);
    if (Number.isNaN(end)) {
      countdown.textContent = "unknown (the service's expires_at is not a date)";
      return;
    }
    const tick = () => {
      const left = end - Date.now();
      countdown.textContent = left > 0 ? `in ${formatRemaining(left)}` : "expired";
      if (left <= 0) clearInterval(ticker);
    };
    tick();
    ticker = setInterval(tick, 1000);
  };

  button.addEventListener("click", () => whileBusy(button, async () => {
    clearError(errorBox);
    say(status, "Creating a database…");
    try {
      const db = await createClaimableDatabase({ ref: REFERRER, baseUrl: claimableBaseUrl() });
      showSecret($("db").querySelector('[data-secret="pooled"]'), db.databaseUrl, status);
      showSecret($("db").querySelector('[data-secret="direct"]'), db.databaseUrlDirect, status);
      const link = $("claim-link");
      link.href = db.claimUrl;
      link.textContent = db.claimUrl;
      $("expires-at").textContent = `(${db.expiresAt})`;
      startCountdown(db.expiresAt);
      $("db").hidden = false;
      say(status, `Database ${db.id} is ${db.status}.`);
      onDatabase(db);
    } catch (e) {
      say(status, "");
      showError(errorBox, e);
    }
  }));
}
