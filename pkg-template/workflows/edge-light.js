// Vercel Edge: `?module` imports a compiled WebAssembly.Module.
import module from "../neon_edge_workflows_bg.wasm?module";
import { initSync } from "../neon_edge_workflows.js";
import { installMethods } from "./setup.js";

initSync({ module });
installMethods();

export * from "./api.js";
