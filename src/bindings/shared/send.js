// One HTTP attempt with fetch: the fetch transport's (src/bindings/shared/fetch.rs) for every
// request the core sends, and the package's own for the first attempt of a Management call
// and a SQL query without options (pkg-template/client-methods.js, postgres/send-query.js,
// which import it from the package's send.js), so all of them send alike. Never rejects: resolves to `[kind, value, bytes]`, which the transport turns into its
// response or network error (`fetch.rs`, `outcome`):
//   0 answered: `value` the Response, `bytes` its body (a Uint8Array)
//   1 fetch rejected with `value`        5 fetch threw `value`
//   2 the body failed to read with `value`
//   3 timed out                          4 cancelled through `signal`
//   6 the request could not be built (`value` the error)
//   7 no global fetch                    8 fetch resolved to `value`, not a Response
// The attempt races its timeout (and `signal`), so a custom fetch that ignores the abort
// still ends on time; the abort is passed on to the request either way.

// The options key under which the package's JS hands an attempt it sent back to the core
// (`call`, `query`, `transaction`), as `[startedMs, kind, value, bytes]` (`fetch.rs`, `sent_outcome`).
export const SENT = Symbol.for("neon-edge.firstAttempt");

// A successful body as the core reads it: UTF-8 (invalid bytes are the core's to report), a BOM kept.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The text of an attempt `send` reported as answered with a 2xx status, decoded as the core
 * decodes a body; undefined for any other outcome, or bytes that are not UTF-8.
 */
export function answeredText([kind, response, bytes]) {
  if (kind !== 0 || response.status < 200 || response.status >= 300) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Sends `method url` with `headers` (an array of `[name, value]` pairs, or a plain object
 * taken as it is) and `body` (a Uint8Array or undefined) through `custom` (a fetch-compatible
 * function, given a `Request`) or the global `fetch` (given the URL and init), within
 * `timeoutMs` (undefined: none) and until `signal` (an AbortSignal or undefined) aborts.
 */
export function send(custom, method, url, headers, body, timeoutMs, signal) {
  return new Promise((resolve) => {
    const controller = new AbortController();
    const settle = (outcome) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", cancel);
      resolve(outcome);
    };
    const stop = (kind) => {
      settle([kind]);
      controller.abort();
    };
    const cancel = () => stop(4);
    const timer = timeoutMs === undefined ? undefined : setTimeout(stop, timeoutMs, 3);
    if (signal?.aborted) return stop(4);
    signal?.addEventListener("abort", cancel);
    attempt(custom, { method, headers, body, signal: controller.signal }, url).then(settle);
  });
}

async function attempt(custom, init, url) {
  let called;
  try {
    if (Array.isArray(init.headers)) init.headers = new Headers(init.headers);
    if (custom) init = new Request(url, init);
  } catch (error) {
    return [6, error];
  }
  try {
    if (custom) called = custom(init);
    else if (typeof fetch !== "function") return [7];
    else called = fetch(url, init);
  } catch (error) {
    return [5, error];
  }
  let response;
  try {
    response = await called;
  } catch (error) {
    return [1, error];
  }
  if (!(response instanceof Response)) return [8, response];
  try {
    return [0, response, new Uint8Array(await response.arrayBuffer())];
  } catch (error) {
    return [2, error];
  }
}
