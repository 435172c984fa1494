// Preloaded with `node --import` by tests/js/entries.test.mjs: records which .wasm files the
// process reads and how many WebAssembly modules it compiles, and prints both at exit as
// `wasm-loads {"read":[...],"compiled":n}`.
import fs from "node:fs";
import { basename } from "node:path";
import { syncBuiltinESMExports } from "node:module";
import { fileURLToPath } from "node:url";

const read = [];
let compiled = 0;
const readFileSync = fs.readFileSync;
fs.readFileSync = function (path, ...rest) {
  const file = path instanceof URL ? fileURLToPath(path) : String(path);
  if (file.endsWith(".wasm")) read.push(basename(file));
  return readFileSync.call(this, path, ...rest);
};
syncBuiltinESMExports(); // `import { readFileSync } from "node:fs"` now sees the wrapper
WebAssembly.Module = new Proxy(WebAssembly.Module, {
  construct(target, args) {
    compiled += 1;
    return new target(...args);
  },
});
for (const name of ["compile", "instantiate"]) {
  const original = WebAssembly[name];
  WebAssembly[name] = (source, ...rest) => {
    if (!(source instanceof WebAssembly.Module)) compiled += 1;
    return original(source, ...rest);
  };
}
process.on("exit", () => console.log(`wasm-loads ${JSON.stringify({ read, compiled })}`));
