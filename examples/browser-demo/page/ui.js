// DOM helpers shared by the page's sections: elements, tables, typed errors, busy buttons.
import { NeonError } from "neon-edge";

export const $ = (id) => {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node;
};

/** An element with children; `props` are set as properties, except `dataset` (data-* attributes). */
export function el(tag, { dataset = {}, ...props } = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  Object.assign(node.dataset, dataset);
  node.append(...children.filter((c) => c !== undefined && c !== null));
  return node;
}

/** Text for a table cell: objects as JSON, null as an empty cell. */
const cellText = (value) => (value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value));

/** A table of `rows` (objects) under `columns` (their keys). */
export function table(columns, rows) {
  return el("table", { className: "data" },
    el("thead", {}, el("tr", {}, ...columns.map((c) => el("th", { textContent: c })))),
    el("tbody", {}, ...rows.map((row) => el("tr", {}, ...columns.map((c) => el("td", { textContent: cellText(row[c]) }))))));
}

/** A status line: what is going on, or what just happened. */
export function say(box, text) {
  box.textContent = text;
}

/**
 * Shows an error in `box` with the typed fields a caller would switch on: `kind` always, then
 * `status`, `code`, `requestId`, `reason`, ... when the error has them. Messages of neon-edge
 * errors never carry the API key or a connection string's password.
 */
export function showError(box, error, extra = []) {
  const fields = error instanceof NeonError
    ? ["kind", "status", "code", "requestId", "reason", "operation", "severity", "position", "detail", "hint", "line"]
      .filter((k) => error[k] !== undefined && error[k] !== null)
      .map((k) => [k, String(error[k])])
    : [];
  // A SQL error's `code` is Postgres's SQLSTATE: say so, as psql users know it by that name.
  const label = (k) => (k === "code" && error?.kind === "sql" ? "code (SQLSTATE)" : k);
  box.replaceChildren(
    el("p", { className: "error-title" }, el("strong", { textContent: error?.name ?? "Error" }), ` ${error?.message ?? String(error)}`),
    el("dl", { className: "error-fields" }, ...[...fields, ...extra].flatMap(([k, v]) => [el("dt", { textContent: label(k) }), el("dd", { textContent: v, className: `field-${k.replace(/\W+/g, "-")}` })])),
  );
  box.hidden = false;
}

export function clearError(box) {
  box.hidden = true;
  box.replaceChildren();
}

/** Runs `action` with `button` disabled, so a double click does not run it twice. */
export async function whileBusy(button, action) {
  button.disabled = true;
  try {
    return await action();
  } finally {
    button.disabled = false;
  }
}

/** "2 h 03 min 09 s" for a duration in milliseconds (0 and below: "expired"). */
export function formatRemaining(ms) {
  if (ms <= 0) return "expired";
  const total = Math.floor(ms / 1000);
  const [h, m, s] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  const pad = (n) => String(n).padStart(2, "0");
  return h > 0 ? `${h} h ${pad(m)} min ${pad(s)} s` : m > 0 ? `${m} min ${pad(s)} s` : `${s} s`;
}

/**
 * A connection string with its password replaced by ****: everything between the user name
 * and the last "@", so a password with unescaped "@" or "/" is still hidden whole.
 */
export function maskPassword(connectionString) {
  return connectionString.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:).*@(?=[^@]*$)/is, "$1****@");
}
