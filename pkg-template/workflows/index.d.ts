export * from "../neon_edge_workflows.js";
export * from "../errors.js";

import type { WorkflowResource } from "../neon_edge_workflows.js";
declare module "../errors.js" {
  interface NeonError {
    /** When a workflow failed: the workflow (`"projects.createAndConnect"`). */
    readonly workflow?: string;
    /** When a workflow failed: the step that failed (`"wait_for_operations"`). */
    readonly step?: string;
    /** When a workflow failed: what it created and left in place (a re-run picks it up). */
    readonly leftBehind?: WorkflowResource[];
  }
}
