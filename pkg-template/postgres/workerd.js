// Cloudflare Workers (workerd): a static .wasm import is a compiled WebAssembly.Module.
import module from "../neon_edge_postgres_bg.wasm";
import { initSync } from "../neon_edge_postgres.js";
import { installMethods } from "./setup.js";

initSync({ module });
installMethods();

export * from "./api.js";
