// Node and Bun: read the module from disk at the package root.
import { readFileSync } from "node:fs";
import { initSync } from "../neon_edge_claimable_neon.js";
import { installMethods } from "./setup.js";

initSync({ module: readFileSync(new URL("../neon_edge_claimable_neon_bg.wasm", import.meta.url)) });
installMethods();

export * from "./api.js";
