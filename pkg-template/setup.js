// Shared by every entry: installs one NeonClient method per API operation (named by the
// spec's operationId), each forwarding to `call`. Runs after the wasm module is initialised.
import { NeonClient, operationIds } from "./neon_edge.js";

export function installMethods() {
  for (const id of operationIds()) {
    Object.defineProperty(NeonClient.prototype, id, {
      value(params, options) {
        return this.call(id, params, options);
      },
      writable: true,
      configurable: true,
    });
  }
}
