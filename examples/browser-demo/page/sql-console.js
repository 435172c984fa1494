// "SQL": runs a script on the instant database over SQL over HTTP, statement by statement as
// the package's splitter cuts it, and shows each statement's rows, or Postgres's error with
// its SQLSTATE and where in the script it points.
import { sql, planSeed, NeonSqlError } from "neon-edge/postgres";
import { $, el, table, say, showError, clearError, whileBusy, maskPassword } from "./ui.js";

const EXAMPLE = `-- A seed script: several statements, split correctly (the ; inside quotes and $$ is no end).
CREATE TABLE todo (id serial PRIMARY KEY, title text NOT NULL, done boolean DEFAULT false);
INSERT INTO todo (title) VALUES ('try neon-edge; in a browser'), ('claim the database');
CREATE FUNCTION open_todos() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM todo WHERE NOT done; $$;
SELECT id, title, done, open_todos() AS still_open FROM todo ORDER BY id;`;

/** The statement's line holding a Postgres error position, with a caret under it. */
function pointAt(statement, position) {
  const before = statement.text.slice(0, position - 1);
  const lineStart = before.lastIndexOf("\n") + 1;
  const lineEnd = statement.text.indexOf("\n", lineStart);
  const line = statement.text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const scriptLine = statement.line + (before.match(/\n/g)?.length ?? 0);
  return { scriptLine, snippet: `${line}\n${" ".repeat(before.length - lineStart)}^` };
}

function result(statement, outcome) {
  const count = outcome.rowCount === null ? "" : ` · ${outcome.rowCount} row${outcome.rowCount === 1 ? "" : "s"}`;
  const head = el("p", { className: "result-head" },
    el("strong", { textContent: `#${statement.number} ${outcome.command}` }), `${count} · line ${statement.line}`);
  const body = outcome.fields.length > 0 ? table(outcome.fields.map((f) => f.name), outcome.rows) : undefined;
  return el("div", { className: "result" }, head, body);
}

export function setupSqlConsole({ sqlEndpoint }) {
  const text = $("sql-text");
  const button = $("run-sql");
  const status = $("sql-status");
  const results = $("sql-results");
  const errorBox = $("sql-error");
  text.value = EXAMPLE;
  let database = null;

  button.addEventListener("click", () => whileBusy(button, async () => {
    clearError(errorBox);
    results.replaceChildren();
    let plan;
    try {
      plan = planSeed(text.value);
    } catch (e) {
      say(status, "The script cannot be split; nothing ran.");
      return showError(errorBox, e);
    }
    const total = plan.statements.length;
    if (total === 0) return say(status, "Nothing to run: the script has no statement.");
    const endpoint = sqlEndpoint();
    let client;
    try {
      client = sql(database.databaseUrl, endpoint ? { endpoint } : {});
    } catch (e) {
      say(status, "");
      return showError(errorBox, e);
    }
    try {
      for (const statement of plan.statements) {
        say(status, `Running statement ${statement.number} of ${total}…`);
        try {
          results.append(result(statement, await client.query(statement.text)));
        } catch (e) {
          const where = [["statement", `#${statement.number} of ${total}, from line ${statement.line}`]];
          const position = e instanceof NeonSqlError ? Number(e.position) : NaN;
          const pointer = position > 0 ? pointAt(statement, position) : null;
          if (pointer) where.push(["script line", String(pointer.scriptLine)]);
          showError(errorBox, e, where);
          if (pointer) errorBox.append(el("pre", { className: "caret", textContent: pointer.snippet }));
          return say(status, `Statement ${statement.number} of ${total} failed; ${statement.number - 1} before it ran.`);
        }
      }
      say(status, `${total} statement${total === 1 ? "" : "s"} ran.`);
    } finally {
      client.free();
    }
  }));

  return {
    /** Runs the following scripts on `db` (a claimable database). */
    use(db) {
      database = db;
      button.disabled = false;
      say(status, `Ready: ${maskPassword(db.databaseUrl)}`);
    },
  };
}
