// Deno: read the module from disk next to this file.
import { initSync } from "./neon_edge.js";
import { installMethods } from "./setup.js";

initSync({ module: Deno.readFileSync(new URL("./neon_edge_bg.wasm", import.meta.url)) });
installMethods();

export * from "./api.js";
