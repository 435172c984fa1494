// Deno: read the module from disk at the package root.
import { initSync } from "../neon_edge_claimable_neon.js";
import { installMethods } from "./setup.js";

initSync({ module: Deno.readFileSync(new URL("../neon_edge_claimable_neon_bg.wasm", import.meta.url)) });
installMethods();

export * from "./api.js";
