// Shared by every neon-edge/postgres entry: installs the `sql` tagged template of NeonSql.
// Runs after the wasm module is initialised.
import { NeonSql } from "../neon_edge_postgres.js";

export function installMethods() {
  Object.defineProperty(NeonSql.prototype, "sql", {
    // db.sql`SELECT * FROM t WHERE id = ${id}`: each value becomes a $n parameter.
    value(strings, ...values) {
      if (!Array.isArray(strings?.raw)) throw new TypeError("sql is a tagged template: call it as db.sql`SELECT ${value}`");
      let text = strings[0];
      for (let i = 1; i < strings.length; i++) text += `$${i}${strings[i]}`;
      return this.query(text, values);
    },
    writable: true,
    configurable: true,
  });
}
