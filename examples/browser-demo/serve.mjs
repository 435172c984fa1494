// `node examples/browser-demo/serve.mjs [--port N] [--emulator URL]`: builds the npm package
// when pkg/ lacks it, starts the local Neon emulator unless --emulator names a running one,
// serves the demo page and prints `browser demo at http://127.0.0.1:PORT/`. Ctrl-C (or
// SIGTERM) stops the server and the emulator it started.
import { parseArgs } from "node:util";
import { ensureBuiltPackage, startDemoServer } from "./server.mjs";
import { startEmulator } from "../../tests/support/emulator.mjs";

function options() {
  try {
    const { values } = parseArgs({
      options: { port: { type: "string", default: "0" }, emulator: { type: "string" } },
      strict: true,
    });
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${values.port}"`);
    if (values.emulator !== undefined && !/^https?:\/\/[^/]+/.test(values.emulator)) {
      throw new Error(`--emulator must be an http(s) URL such as http://127.0.0.1:4444, not "${values.emulator}"`);
    }
    return { port, emulatorUrl: values.emulator };
  } catch (e) {
    console.error(`serve.mjs: ${e.message}\nusage: node examples/browser-demo/serve.mjs [--port N] [--emulator URL]`);
    process.exit(2);
  }
}

const { port, emulatorUrl } = options();
ensureBuiltPackage();
const emulator = emulatorUrl ? null : await startEmulator();
if (emulator) console.error(`Local Neon emulator at ${emulator.url} (stops with this server)`);
let server;
try {
  server = await startDemoServer({ emulatorUrl: emulatorUrl ?? emulator.url, port });
} catch (e) {
  console.error(`serve.mjs: cannot serve on port ${port}: ${e.message}`);
  await emulator?.close();
  process.exit(1);
}
console.log(`browser demo at ${server.url}`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await server.close();
  await emulator?.close();
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
