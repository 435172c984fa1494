// Browsers and bundlers: fetch and instantiate the module at the package root.
import init from "../neon_edge_claimable_neon.js";
import { installMethods } from "./setup.js";

await init({ module_or_path: new URL("../neon_edge_claimable_neon_bg.wasm", import.meta.url) });
installMethods();

export * from "./api.js";
