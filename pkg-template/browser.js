// Browsers and bundlers: fetch and instantiate the module next to this file.
import init from "./neon_edge.js";
import { installMethods } from "./setup.js";

await init({ module_or_path: new URL("./neon_edge_bg.wasm", import.meta.url) });
installMethods();

export * from "./api.js";
