// "Management API": lists projects and their branches, creates a branch and follows its
// operations until they finish (the client's operation wait, with its progress callback),
// deletes branches, and shows typed errors (`kind`, `status`, `requestId`).
import { NeonClient } from "neon-edge";
import { $, el, say, showError, clearError, whileBusy } from "./ui.js";

export function setupManagement({ baseUrl, apiKeyInput }) {
  const status = $("mgmt-status");
  const errorBox = $("mgmt-error");
  const operationsPanel = $("operations");
  let client = null;
  let project = null; // the project whose branches are shown
  // Enter in the key field would submit the form and reload the page, losing its state.
  $("key-form").addEventListener("submit", (event) => event.preventDefault());

  /**
   * One client per base URL, so pacing and learned operation durations carry over between
   * clicks. The key is read from its field at each request and kept nowhere else. A replaced
   * client is left to the garbage collector, not freed: a call may still be running on it.
   */
  const neon = () => {
    const url = baseUrl();
    if (!client || client.url !== url) {
      client = { url, neon: new NeonClient({ apiKey: () => apiKeyInput.value, baseUrl: url }) };
    }
    return client.neon;
  };

  /** Runs a button's action: its status text while it runs, its error in the error box. */
  const action = (button, doing, run) => button.addEventListener("click", () => whileBusy(button, async () => {
    clearError(errorBox);
    say(status, doing);
    try {
      say(status, await run());
    } catch (e) {
      say(status, "");
      showError(errorBox, e);
    }
  }));

  /** Waits for `operations`, listing each with the statuses it went through. */
  const follow = async (projectId, operations, what) => {
    const seen = new Map(operations.map((op) => [op.id, { action: op.action, statuses: [op.status] }]));
    operationsPanel.querySelector(".operations-head").textContent = what;
    const render = () => operationsPanel.querySelector("ol").replaceChildren(
      ...[...seen].map(([id, op]) => el("li", { className: `op op-${op.statuses.at(-1)}`, title: id, textContent: `${op.action}: ${op.statuses.join(" → ")}` })),
    );
    operationsPanel.hidden = false;
    render();
    const started = performance.now();
    await neon().waitForOperations({
      projectId,
      operations,
      onProgress: ({ operations: now }) => {
        for (const op of now) {
          const entry = seen.get(op.id);
          if (entry && entry.statuses.at(-1) !== op.status) entry.statuses.push(op.status);
        }
        render();
      },
    });
    return `${operations.length} operation${operations.length === 1 ? "" : "s"} finished in ${Math.round(performance.now() - started)} ms`;
  };

  const showBranches = async (p) => {
    const { branches } = await neon().listProjectBranches({ projectId: p.id });
    project = p;
    $("branches-project").textContent = `${p.name} (${p.id})`;
    $("branches").tBodies[0].replaceChildren(...branches.map((b) => {
      const remove = el("button", { type: "button", className: "delete-branch", textContent: "Delete", disabled: b.default });
      if (b.default) remove.title = "The default branch cannot be deleted";
      action(remove, `Deleting ${b.name}…`, async () => {
        const { operations } = await neon().deleteProjectBranch({ projectId: p.id, branchId: b.id });
        const done = await follow(p.id, operations, `Deleting branch ${b.name}`);
        await showBranches(p);
        return `Branch ${b.name} deleted: ${done}.`;
      });
      return el("tr", { dataset: { branch: b.name } },
        el("td", { textContent: b.default ? `${b.name} (default)` : b.name }),
        el("td", { textContent: b.id }), el("td", { textContent: b.current_state ?? "" }), el("td", {}, remove));
    }));
    $("branches-panel").hidden = false;
    return branches.length;
  };

  const listProjects = async () => {
    const { projects } = await neon().listProjects({ limit: 100 });
    $("projects").tBodies[0].replaceChildren(...projects.map((p) => {
      const open = el("button", { type: "button", className: "show-branches", textContent: "Branches" });
      action(open, `Listing the branches of ${p.name}…`, async () => `${await showBranches(p)} branches in ${p.name}.`);
      return el("tr", { dataset: { project: p.id } },
        el("td", { textContent: p.name }), el("td", { textContent: p.id }), el("td", { textContent: p.region_id }), el("td", {}, open));
    }));
    $("projects").hidden = false;
    return projects;
  };

  action($("list-projects"), "Listing projects…", async () => {
    const projects = await listProjects();
    return projects.length === 0 ? "No projects yet: create one." : `${projects.length} project${projects.length === 1 ? "" : "s"}.`;
  });

  action($("create-project"), "Creating a project…", async () => {
    const created = await neon().createProject({ body: { project: { name: `browser-demo-${Date.now().toString(36)}` } } });
    const done = await follow(created.project.id, created.operations, `Creating project ${created.project.name}`);
    await listProjects();
    await showBranches(created.project);
    return `Project ${created.project.name} created: ${done}.`;
  });

  action($("create-branch"), "Creating a branch…", async () => {
    if (!project) throw new Error("Choose a project first (List projects, then Branches).");
    const name = $("branch-name").value.trim();
    const p = project;
    const created = await neon().createProjectBranch({
      projectId: p.id,
      body: { branch: name ? { name } : {}, endpoints: [{ type: "read_write" }] },
    });
    const done = await follow(p.id, created.operations, `Creating branch ${created.branch.name}`);
    await showBranches(p);
    return `Branch ${created.branch.name} (${created.branch.id}) created: ${done}.`;
  });

  action($("get-project"), "Looking the project up…", async () => {
    const { project: found } = await neon().getProject({ projectId: $("project-id").value.trim() });
    return `Found ${found.name} (${found.id}) in ${found.region_id}, Postgres ${found.pg_version}.`;
  });
}
