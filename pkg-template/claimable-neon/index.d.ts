export * from "../neon_edge_claimable_neon.js";
export * from "../errors.js";

import type { SqlParam, SqlResult } from "../neon_edge_claimable_neon.js";
declare module "../neon_edge_claimable_neon.js" {
  interface NeonSql {
    /** Tagged template: each `${value}` is sent as a `$n` parameter, never spliced into the text. */
    sql(strings: TemplateStringsArray, ...values: SqlParam[]): Promise<SqlResult>;
  }
}

declare module "../errors.js" {
  interface NeonApiError {
    /** Claimable Neon: "dead_assertion" when the identity assertion can never be exchanged again (forget it). */
    readonly reason?: "dead_assertion";
    /** Claimable Neon: whether repeating the call may succeed. */
    readonly retryable?: boolean;
    /** Claimable Neon: "proxy" or "upstream", when the service said. */
    readonly origin?: string;
    /** Claimable Neon, on `claim_in_progress`: the claim's state. */
    readonly claimState?: string;
    /** Claimable Neon, on `scope_insufficient`: the scope the token lacked. */
    readonly requiredScope?: string;
  }
  interface NeonOperationError {
    /** Claimable Neon: "claim_ended" when a claim attempt expired or was cancelled. */
    readonly reason?: "claim_ended";
    /** Claimable Neon, on "claim_ended": the attempt's final state. */
    readonly state?: string;
  }
}
