// Vercel Edge: `?module` imports a compiled WebAssembly.Module.
import module from "../neon_edge_claimable_neon_bg.wasm?module";
import { initSync } from "../neon_edge_claimable_neon.js";
import { installMethods } from "./setup.js";

initSync({ module });
installMethods();

export * from "./api.js";
