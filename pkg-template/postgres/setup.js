// Shared by every neon-edge/postgres entry: installs the `sql` tagged template of NeonSql.
// Runs after the wasm module is initialised.
import { NeonSql } from "../neon_edge_postgres.js";
import { installSqlTemplate } from "./sql-template.js";

export function installMethods() {
  installSqlTemplate(NeonSql);
}
