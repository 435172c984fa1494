// The `sql` tagged template of NeonSql, shared by the neon-edge/postgres and
// neon-edge/claimable-neon entries (each has its own NeonSql class from its own wasm module).
export function installSqlTemplate(NeonSql) {
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
