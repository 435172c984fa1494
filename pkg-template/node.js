// Node and Bun: read the module from disk next to this file.
import { readFileSync } from "node:fs";
import { initSync } from "./neon_edge.js";
import { installMethods } from "./setup.js";

initSync({ module: readFileSync(new URL("./neon_edge_bg.wasm", import.meta.url)) });
installMethods();

export * from "./api.js";
