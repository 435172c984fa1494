// Shared by every neon-edge/postgres entry: installs the `sql` tagged template of NeonSql and its
// query and transaction sent by the package's JS (send-query.js).
// Runs after the wasm module is initialised.
import { NeonSql } from "../neon_edge_postgres.js";
import { installSqlSend } from "./send-query.js";
import { installSqlTemplate } from "./sql-template.js";

export function installMethods() {
  installSqlTemplate(NeonSql);
  installSqlSend(NeonSql);
}
