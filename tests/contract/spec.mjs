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

/**
 * Every operation of the spec: id, method, path, parameters (refs resolved), body, and the
 * media types its successful (2xx) responses declare (empty when they carry no body).
 */
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
      const success = Object.entries(op.responses ?? {}).filter(([status]) => /^2/.test(status));
      const responseTypes = [...new Set(success.flatMap(([, r]) => Object.keys(resolveRef(r).content ?? {})))];
      out.push({ id: op.operationId, method: method.toUpperCase(), path, params: [...params.values()], body, responseTypes });
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

/**
 * `schema` with every `$ref` inlined (json-schema-faker stops resolving a ref it has met a few
 * times), a recursive ref cut to `{}`, each `oneOf` narrowed to a branch whose values match
 * no other branch, and objects kept to the properties they declare: a map gets at most three
 * entries, a declared object no invented extras.
 */
const closedHere = new WeakSet();

function forFaker(schema, full, stack = []) {
  if (Array.isArray(schema)) return schema.map((s) => forFaker(s, full, stack));
  if (!schema || typeof schema !== "object") return schema;
  if (schema.$ref) {
    if (stack.includes(schema.$ref)) return {};
    return forFaker(resolveRef(schema), full, [...stack, schema.$ref]);
  }
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    // Examples and enums are data, not schemas.
    out[key] = ["example", "examples", "enum", "default"].includes(key) ? value : forFaker(value, full, stack);
  }
  if (Array.isArray(out.oneOf)) {
    const { oneOf, discriminator, ...rest } = out;
    return { ...rest, ...exactlyOne(oneOf, full) };
  }
  if (out.properties && out.additionalProperties === undefined) {
    out.additionalProperties = false;
    closedHere.add(out);
  }
  if (!out.properties && out.additionalProperties && typeof out.additionalProperties === "object") {
    out.maxProperties = Math.max(out.minProperties ?? 0, Math.min(out.maxProperties ?? 3, 3));
  }
  return out;
}

/**
 * The branch of a `oneOf` (refs already inlined) whose generated objects match no other
 * branch: its keys must miss a required property of every other branch, or carry one that
 * a closed branch does not declare. The first branch when none qualifies.
 */
function exactlyOne(branches, full) {
  const keys = (b) => new Set(full ? Object.keys(b.properties ?? {}) : (b.required ?? []));
  const matches = (generated, other) =>
    (other.required ?? []).every((k) => generated.has(k)) &&
    (other.additionalProperties !== false || closedHere.has(other) || [...generated].every((k) => k in (other.properties ?? {})));
  const objects = branches.every((b) => b.type === "object" || b.properties);
  const fit = objects && branches.find((b, i) => branches.every((o, j) => i === j || !matches(keys(b), o)));
  return fit || branches[0];
}

/**
 * A value valid for `schema`, deterministic for a given seed: required properties only, or
 * every property when `full`.
 */
export function fake(schema, seed, full = false) {
  jsf.option({
    random: seededRandom(hash(seed)),
    requiredOnly: !full,
    alwaysFakeOptionals: full,
    fillProperties: false,
    useDefaultValue: false,
    useExamplesValue: false,
    failOnInvalidTypes: true,
    failOnInvalidFormat: false,
    // A required array with no items would not be on the wire at all.
    minItems: 1,
    maxItems: 2,
  });
  return jsf.generate(forFaker(schema, full));
}

const jsonSchemaOf = (body) => body?.content?.["application/json"]?.schema ?? Object.values(body?.content ?? {})[0]?.schema;

/**
 * A value for a parameter without empty strings: a pattern may allow `""`, but on the wire
 * `name=` reads as an absent parameter (and an empty path segment as another route).
 */
function paramValue(param, seed, full) {
  const hasEmpty = (v) => v === "" || (Array.isArray(v) && v.some(hasEmpty));
  let value;
  for (let attempt = 0; attempt < 20; attempt++) {
    value = fake(param.schema, attempt ? `${seed}#${attempt}` : seed, full);
    if (!hasEmpty(value)) return value;
  }
  return value;
}

/**
 * `body` with each string a `format: binary` property of `schema` holds turned into its UTF-8
 * bytes, as a caller passes a file part (the faker makes strings). Looks at the body's own
 * properties: the only place the spec declares binary fields (multipart bodies).
 */
function binaryAsBytes(schema, body) {
  const properties = resolveRef(schema)?.properties;
  if (!properties || !body || typeof body !== "object") return body;
  const bytes = ([key, value]) => resolveRef(properties[key])?.format === "binary" && typeof value === "string";
  return Object.fromEntries(Object.entries(body).map((e) => [e[0], bytes(e) ? new TextEncoder().encode(e[1]) : e[1]]));
}

/**
 * Spec-valid arguments for `op` in the client's calling convention and types: path parameters
 * in camelCase, query parameters by spec name, the JSON body under `body`, binary fields as
 * `Uint8Array`. Minimal: required parameters and properties only; `full`: every query
 * parameter, body and body property.
 */
export function argsFor(op, { full = false } = {}) {
  const args = {};
  const seed = (name) => `${op.id}:${name}${full ? ":full" : ""}`;
  for (const p of op.params) {
    if (p.in === "path") args[camel(p.name)] = paramValue(p, seed(p.name), full);
    else if (p.in === "query" && (p.required || full)) args[p.name] = paramValue(p, seed(p.name), full);
  }
  if (op.body?.required || (op.body && full)) {
    const schema = jsonSchemaOf(op.body) ?? {};
    args.body = binaryAsBytes(schema, fake(schema, seed("body"), full));
  }
  return args;
}

/** A `JSON.stringify` replacer writing bytes as an array of numbers, as serde reads `Vec<u8>`. */
export const bytesAsArrays = (_key, value) => (value instanceof Uint8Array ? [...value] : value);

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

/**
 * Starts `prism mock` on a loopback port, or `prism proxy` in front of `upstream` when given
 * (forwarding every request and validating both ways); resolves once it listens.
 */
export async function startPrism(extraArgs, { upstream } = {}) {
  const port = await freePort();
  const mode = upstream ? ["proxy", SPEC_PATH, upstream] : ["mock", SPEC_PATH];
  const child = spawn(PRISM, [...mode, "-h", "127.0.0.1", "-p", String(port), ...extraArgs], {
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
  // Prism must not outlive a test process that is stopped from outside.
  process.once("exit", stop);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      stop();
      process.exit(128 + (signal === "SIGINT" ? 2 : 15));
    });
  }
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
      contentType: response.headers.get("content-type"),
      body: await response.clone().text(),
    });
    return response;
  };
}
