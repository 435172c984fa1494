// Shared by every neon-edge/claimable-neon entry: installs the `sql` tagged template of NeonSql and its
// query and transaction sent by the package's JS (send-query.js).
// Runs after the wasm module is initialised.
import { NeonSql } from "../neon_edge_claimable_neon.js";
import { installSqlSend } from "../postgres/send-query.js";
import { installSqlTemplate } from "../postgres/sql-template.js";

export function installMethods() {
  installSqlTemplate(NeonSql);
  installSqlSend(NeonSql);
}
