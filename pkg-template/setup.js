// Shared by every `neon-edge` entry: installs the NeonClient methods (client-methods.js) on
// this module's class. Runs after the wasm module is initialised.
import { NeonClient, operationIds, paginatedOperationIds } from "./neon_edge.js";
import { installClientMethods } from "./client-methods.js";

export function installMethods() {
  installClientMethods({ NeonClient, operationIds, paginatedOperationIds });
}
