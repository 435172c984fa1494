// Shared by every entry of `neon-edge` and `neon-edge/workflows` (whose modules export the
// same NeonClient): installs one NeonClient method per API operation (named by the spec's
// operationId), each forwarding to `call`, and the `paginate` object with one lazy listing per
// cursor-paginated operation. Runs after the wasm module is initialised, on its exports.
import { stringArgumentError } from "./guard.js";
import { answeredText, send, SENT } from "./send.js";

// Longer than any operationId: a longer one is refused before its text reaches an error message.
const MAX_OPERATION_ID = 100;

/** A lazy listing: async-iterable over items, with `page()` and `all()`. */
function listing(client, id, params, options) {
  let paginator;
  let done = false;
  const unavailable = [];
  const finish = () => {
    done = true;
    paginator?.free();
    paginator = undefined;
  };
  const page = async () => {
    if (done) return undefined;
    try {
      paginator ??= client.paginateOperation(id, params, options);
      const next = await paginator.nextPage();
      if (next === undefined) {
        finish();
        return undefined;
      }
      for (const pid of next.unavailableProjectIds) if (!unavailable.includes(pid)) unavailable.push(pid);
      return next;
    } catch (error) {
      finish();
      throw error;
    }
  };
  return {
    page,
    async all() {
      const items = [];
      for (let next; (next = await page()); ) items.push(...next.items);
      return items;
    },
    get unavailableProjectIds() {
      return unavailable.slice();
    },
    async *[Symbol.asyncIterator]() {
      for (let next; (next = await page()); ) yield* next.items;
    },
  };
}

// A successful body's text as the core reads it (`answeredText`: a BOM kept, refused by
// JSON.parse): only ASCII whitespace means "no body".
const BLANK = /^[ \t\n\f\r]*$/;

/**
 * A call without options whose first attempt the core planned (`__firstAttempt`), sent here
 * through `send.js` (the transport's own sender) with the global fetch: a 2xx JSON answer is
 * parsed from the fetched bytes and returned, never copied into wasm memory; every other
 * outcome (a status to retry or report, a network error, the timeout, a body that is not JSON)
 * goes back to the core's `call`, which goes on from it (retries, errors) exactly as if it had
 * sent the attempt itself.
 */
async function sendFirstAttempt(client, id, args, [method, url, headers, body, timeoutMs, waitMs, startedMs]) {
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  if (body !== undefined) headers = { ...headers, "Content-Type": "application/json" };
  const sent = await send(undefined, method, url, headers, body, timeoutMs);
  const text = answeredText(sent);
  if (text !== undefined) {
    if (BLANK.test(text)) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      // Not JSON: the core says so, as it does for any call.
    }
  }
  // Through the client's (guarded) `call`: a trap there resets the module as for any call.
  return client.call(id, args, { [SENT]: [startedMs, ...sent] });
}

// The characters RFC 3986 leaves unreserved, which the core's percent-encoding writes as they
// are (src/core/percent.rs): text made only of them goes into a URL unchanged.
const UNRESERVED = /^[A-Za-z0-9._~-]*$/;

/**
 * The line of operation `id` in the core's table (its format: src/management/operation.rs),
 * read for first attempts whose URL the package's JS builds: `{ method, parts, params }`, the
 * path's literal text at even indexes of `parts` and its parameters (by their JS names) at odd
 * ones, the query parameters as `[name, required]`; undefined when the core plans them all (a
 * required body or form, a raw-bytes answer, a name the core would percent-encode).
 */
function readLine(line, id) {
  const [lineId, method, target = "", ...flags] = line.split(" ");
  if (lineId !== id || flags.some((f) => f === "body" || f === "multipart" || f === "bytes")) return undefined;
  const [path, query] = target.split("?");
  const parts = path.split(/\{([^}]*)\}/).map((p, i) => (i % 2 ? jsName(p) : p));
  // `name`, `name!` (required), `name,` (comma-joined lists), as the core reads them.
  const params = query ? query.split("&").filter(Boolean).map((q) => [q.split(",")[0].split("!")[0], q.includes("!")]) : [];
  return params.every(([name]) => UNRESERVED.test(name)) ? { method, parts, params } : undefined;
}

/** A path parameter's JS name, as the core makes it (`PathParam::js_name`): `project_id` -> `projectId`. */
function jsName(name) {
  let out = "";
  let upper = false;
  for (const c of name) {
    if (c === "_") upper = true;
    else {
      out += upper && c >= "a" && c <= "z" ? c.toUpperCase() : c;
      upper = false;
    }
  }
  return out;
}

/** `value` as the core writes it into a URL when that leaves it unchanged (a string, a finite number, a boolean); else undefined. */
function urlText(value) {
  const text = typeof value === "string" ? value
    : typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value)) ? String(value) : undefined;
  return text !== undefined && UNRESERVED.test(text) ? text : undefined;
}

/**
 * The path and query the core builds from `args` (`args::build`), when every argument is text
 * it writes unchanged and no body is given; undefined otherwise: the core plans that attempt
 * (`__firstAttempt`) or refuses the call, naming what is wrong.
 */
function pathAndQuery({ parts, params }, args) {
  if (args != null && (typeof args !== "object" || args.body != null)) return undefined;
  let url = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const value = args?.[parts[i]];
    const text = typeof value === "boolean" ? undefined : urlText(value);
    // The core refuses empty, `.` and `..` segments (URL parsers resolve them).
    if (text === undefined || text === "" || text === "." || text === "..") return undefined;
    url += text + parts[i + 1];
  }
  let separator = "?";
  for (const [name, required] of params) {
    const value = args?.[name];
    if (value == null) {
      if (required) return undefined;
      continue;
    }
    const text = urlText(value);
    if (text === undefined) return undefined;
    url += `${separator}${name}=${text}`;
    separator = "&";
  }
  return url;
}

export function installClientMethods({ NeonClient, operationIds, paginatedOperationIds }) {
  // `call` and `paginateOperation` take the operationId as a Rust string: check it first.
  const { call, paginateOperation } = NeonClient.prototype;
  // The index of each operationId in the core's table: a first attempt is planned by index.
  const ids = operationIds();
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  // First attempts whose URL is built here, without a call into wasm (unless calls are paced):
  // the table's lines, each read on its operation's first call, and each client's settings
  // (`__firstAttempts`: base URL, headers, timeout, paced), read on its first call.
  const table = NeonClient.__operationTable().split("\n");
  const lines = [];
  const settings = new WeakMap();
  /** The plan of a first attempt built here, in `__firstAttempt`'s shape; undefined when the core plans it. */
  function directPlan(client, index, args) {
    // A freed client: the core refuses the call, as it refuses any.
    if (!client.__wbg_ptr) return undefined;
    let own = settings.get(client);
    if (own === undefined) settings.set(client, (own = client.__firstAttempts() ?? null));
    if (own === null) return undefined;
    if (lines[index] === undefined) lines[index] = readLine(table[index] ?? "", ids[index]) ?? null;
    const line = lines[index];
    let path;
    try {
      path = line === null ? undefined : pathAndQuery(line, args);
    } catch {
      // A getter of `args` threw: the core reads them again and says so.
    }
    if (path === undefined) return undefined;
    const [base, headers, timeoutMs, paced] = own;
    const startedMs = Date.now();
    const waitMs = paced ? client.__pace(index, startedMs) : 0;
    return waitMs === undefined ? undefined : [line.method, base + path, headers, undefined, timeoutMs, waitMs, startedMs];
  }
  Object.defineProperty(NeonClient.prototype, "call", {
    value(operationId, args, options, ...rest) {
      const error = stringArgumentError("call", "operationId", operationId, { max: MAX_OPERATION_ID });
      if (error) return Promise.reject(error);
      const index = indexOf.get(operationId);
      if (index !== undefined && options == null && rest.length === 0 && typeof fetch === "function") {
        const plan = directPlan(this, index, args) ?? this.__firstAttempt(index, args);
        if (plan) return sendFirstAttempt(this, operationId, args, plan);
      }
      return call.call(this, operationId, args, options, ...rest);
    },
    writable: true,
    configurable: true,
  });
  Object.defineProperty(NeonClient.prototype, "paginateOperation", {
    value(operationId, ...rest) {
      const error = stringArgumentError("paginateOperation", "operationId", operationId, { max: MAX_OPERATION_ID });
      if (error) throw error;
      return paginateOperation.call(this, operationId, ...rest);
    },
    writable: true,
    configurable: true,
  });
  for (const id of ids) {
    Object.defineProperty(NeonClient.prototype, id, {
      value(params, options) {
        return this.call(id, params, options);
      },
      writable: true,
      configurable: true,
    });
  }
  const paginated = paginatedOperationIds();
  const cache = new WeakMap();
  Object.defineProperty(NeonClient.prototype, "paginate", {
    get() {
      let methods = cache.get(this);
      if (!methods) {
        methods = {};
        for (const id of paginated) methods[id] = (params, options) => listing(this, id, params, options);
        cache.set(this, Object.freeze(methods));
      }
      return methods;
    },
    configurable: true,
  });
}
