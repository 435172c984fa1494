// What every `neon-edge/workflows` entry exports: the glue's exports, with the panic-guarded
// NeonClient and functions (../guard.js) in place of the glue's, and the error classes.
import * as glue from "../neon_edge_workflows.js";
import { guardModule } from "../guard.js";

export * from "../neon_edge_workflows.js";
export * from "../errors.js";

const guard = guardModule(glue, { stateful: ["NeonPaginator"] });
export const NeonClient = guard.client(glue.NeonClient);
export const operationIds = guard.wrap("operationIds");
export const paginatedOperationIds = guard.wrap("paginatedOperationIds");
