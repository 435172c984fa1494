export * from "../neon_edge_claimable_neon.js";
export * from "../errors.js";

import type { SqlParam, SqlResult } from "../neon_edge_claimable_neon.js";
declare module "../neon_edge_claimable_neon.js" {
  interface NeonSql {
    /** Tagged template: each `${value}` is sent as a `$n` parameter, never spliced into the text. */
    sql(strings: TemplateStringsArray, ...values: SqlParam[]): Promise<SqlResult>;
  }
}
