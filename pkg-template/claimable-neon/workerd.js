// Cloudflare Workers (workerd): a static .wasm import is a compiled WebAssembly.Module.
import module from "../neon_edge_claimable_neon_bg.wasm";
import { initSync } from "../neon_edge_claimable_neon.js";
import { installMethods } from "./setup.js";

initSync({ module });
installMethods();

export * from "./api.js";
