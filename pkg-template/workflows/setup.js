// Shared by every neon-edge/workflows entry: the NeonClient methods every entry has
// (client-methods.js), and one namespace object per client for each workflow getter
// (`neon.projects`, ...), so that reading `neon.projects` twice gives the same object instead
// of a new wasm object each time. Runs after the wasm module is initialised.
import { NeonClient, operationIds, paginatedOperationIds } from "../neon_edge_workflows.js";
import { installClientMethods } from "../client-methods.js";

const NAMESPACES = ["projects", "branches", "snapshots", "operations", "postgres", "checkpoints", "platform", "endpoints", "usage", "neonAuth", "dataApi"];

export function installMethods() {
  installClientMethods({ NeonClient, operationIds, paginatedOperationIds });
  for (const name of NAMESPACES) {
    const { get } = Object.getOwnPropertyDescriptor(NeonClient.prototype, name);
    const cache = new WeakMap();
    Object.defineProperty(NeonClient.prototype, name, {
      get() {
        let namespace = cache.get(this);
        if (!namespace) {
          namespace = get.call(this);
          cache.set(this, namespace);
        }
        return namespace;
      },
      configurable: true,
    });
  }
}
