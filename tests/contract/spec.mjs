// Shared pieces of the contract tests: the pinned OpenAPI spec, Prism on loopback, spec-valid
// arguments for every operation (seeded, so every run sends the same requests) and a fetch
// that records what went over the wire.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import jsf from "json-schema-faker";

const root = fileURLToPath(new URL("../..", import.meta.url));
export const SPEC_PATH = `${root}node_modules/@neondatabase/api-client/public-v2-for-users.gen.yaml`;
const PRISM = `${root}node_modules/.bin/prism`;
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
const PRISM_START_MS = 60_000;

/** The parsed spec. */
export const spec = parse(readFileSync(SPEC_PATH, "utf8"));

const resolveRef = (value) => {
  let seen = 0;
  while (value && value.$ref) {
    if (++seen > 20) throw new Error(`$ref cycle at ${value.$ref}`);
    value = value.$ref.slice(2).split("/").reduce((node, key) => node[key], spec);
  }
  return value;
};

/** Every operation of the spec: id, method, path, parameters (refs resolved) and body. */
export function specOperations() {
  const out = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = new Map();
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])].map(resolveRef)) {
        params.set(`${p.in}:${p.name}`, p);
      }
      const body = op.requestBody ? resolveRef(op.requestBody) : undefined;
      out.push({ id: op.operationId, method: method.toUpperCase(), path, params: [...params.values()], body });
    }
  }
  return out;
}

/** `project_id` -> `projectId`: how the JS client names path parameters. */
export const camel = (name) => name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

/** A small seeded PRNG (mulberry32). */
function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hash = (text) => [...text].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);

/** A value valid for `schema`: required properties only, deterministic for a given seed. */
export function fake(schema, seed) {
  jsf.option({
    random: seededRandom(hash(seed)),
    requiredOnly: true,
    alwaysFakeOptionals: false,
    useDefaultValue: false,
    useExamplesValue: false,
    failOnInvalidTypes: true,
    failOnInvalidFormat: false,
    refDepthMax: 3,
    // A required array with no items would not be on the wire at all.
    minItems: 1,
    maxItems: 2,
  });
  return jsf.generate({ ...schema, components: spec.components });
}

const jsonSchemaOf = (body) => body?.content?.["application/json"]?.schema ?? Object.values(body?.content ?? {})[0]?.schema;

/**
 * Spec-valid arguments for `op` in the client's calling convention: path parameters in
 * camelCase, required query parameters by spec name, the JSON body under `body`.
 */
export function argsFor(op) {
  const args = {};
  for (const p of op.params) {
    if (p.in === "path") args[camel(p.name)] = String(fake(p.schema, `${op.id}:${p.name}`));
    else if (p.in === "query" && p.required) args[p.name] = fake(p.schema, `${op.id}:${p.name}`);
  }
  if (op.body?.required) args.body = fake(jsonSchemaOf(op.body) ?? {}, `${op.id}:body`);
  return args;
}

/** A free loopback port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts `prism mock` on a loopback port; resolves once it listens. */
export async function startPrism(extraArgs) {
  const port = await freePort();
  const child = spawn(PRISM, ["mock", SPEC_PATH, "-h", "127.0.0.1", "-p", String(port), ...extraArgs], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  };
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`prism did not listen within ${PRISM_START_MS} ms:\n${output.slice(-2000)}`));
    }, PRISM_START_MS);
    const onData = (chunk) => {
      output += chunk;
      if (output.includes("Prism is listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`prism exited (${code}) before listening:\n${output.slice(-2000)}`));
    });
  });
  // Keep draining its log so a full pipe never blocks it.
  child.stdout.removeAllListeners("data").resume();
  child.stderr.removeAllListeners("data").resume();
  child.removeAllListeners("exit");
  return { url: `http://127.0.0.1:${port}`, stop };
}

/** A fetch for the client's `fetch` option that appends every exchange to `log`. */
export function recordingFetch(log) {
  return async (request) => {
    const sentBody = request.body ? await request.clone().text() : undefined;
    const response = await fetch(request);
    log.push({
      method: request.method,
      url: request.url,
      sentBody,
      status: response.status,
      violations: response.headers.get("sl-violations"),
      body: await response.clone().text(),
    });
    return response;
  };
}
