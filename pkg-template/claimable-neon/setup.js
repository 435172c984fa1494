// Shared by every neon-edge/claimable-neon entry: installs the `sql` tagged template of NeonSql.
// Runs after the wasm module is initialised.
import { NeonSql } from "../neon_edge_claimable_neon.js";
import { installSqlTemplate } from "../postgres/sql-template.js";

export function installMethods() {
  installSqlTemplate(NeonSql);
}
