// The query and transaction of NeonSql without options, sent here: their body written here when
// every parameter is plain text to the core (each client's URL and headers read once from it:
// `__sendSettings`), else the core plans the request (`__queryPlan` / `__transactionPlan`: the
// body and headers it would send); `send.js` (the
// transport's own sender) sends it with the global fetch, and a 2xx answer is read by
// `results.js` (as the core's path reads it) straight from the fetched bytes, never copied
// through wasm memory and without a Rust future. Every other outcome (an SQL error, a status,
// a network error, the timeout, a body of another shape) goes back to the core's `query` /
// `transaction`, which reports it exactly as if it had sent the request itself. Shared by the
// neon-edge/postgres and neon-edge/claimable-neon entries (each with its own NeonSql class).
import { answeredText, send, SENT } from "../send.js";
import { sqlResult, sqlResults } from "../results.js";

async function sendPlanned(method, self, args, [url, headers, body, timeoutMs, types], read) {
  const sent = await send(undefined, "POST", url, headers, body, timeoutMs);
  const text = answeredText(sent);
  const result = text === undefined ? undefined : read(text, types);
  if (result !== undefined) return result;
  // Through the object's (guarded) method: a trap there resets the module as for any call.
  return self[method](...args, { [SENT]: [0, ...sent] });
}

// Text the core sends as it is: a JS string without lone surrogates (the core would send
// U+FFFD in their place).
const wellFormed = (text) => typeof text === "string" && typeof text.isWellFormed === "function" && text.isWellFormed();

/**
 * The `{"query":…,"params":[…]}` of one statement as the core writes it (src/postgres/sql/http/wire.rs),
 * when every parameter is one the core sends as JS's own text of it (a string, a number, a
 * boolean, a bigint) or as NULL; undefined otherwise (an array, a Date, bytes, an object...):
 * the core plans that request (`__queryPlan`) or refuses it, naming the parameter.
 */
function statement(text, params) {
  if (!wellFormed(text) || (params != null && !Array.isArray(params))) return undefined;
  const values = [];
  for (const value of params ?? []) {
    if (value == null) values.push(null);
    else if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") values.push(String(value));
    else if (wellFormed(value)) values.push(value);
    else return undefined;
  }
  // Written piece by piece: JSON.stringify of a string only (an array's or object's `toJSON`,
  // which a page may have set on their prototypes, would change the body).
  const json = (value) => (value === null ? "null" : JSON.stringify(value));
  return `{"query":${json(text)},"params":[${values.map(json).join(",")}]}`;
}

/** A transaction's `{"queries":[…]}`, its statements (a text, or `[text, params]`) as `statement` writes each; undefined as it. */
function statements(list) {
  if (!Array.isArray(list)) return undefined;
  const queries = [];
  for (const item of list) {
    const one = typeof item === "string" ? statement(item) : Array.isArray(item) && item.length <= 2 ? statement(item[0], item[1]) : undefined;
    if (one === undefined) return undefined;
    queries.push(one);
  }
  return `{"queries":[${queries.join(",")}]}`;
}

export function installSqlSend(NeonSql) {
  const { query, transaction } = NeonSql.prototype;
  // Each client's `[url, headers, timeoutMs, types]` (`__sendSettings`), read on its first query.
  const settings = new WeakMap();
  /** The plan of a request whose body `write` gives (JSON text), in `__queryPlan`'s shape; undefined when the core plans it. */
  function directPlan(self, write) {
    // A freed client: the core refuses the query, as it refuses any.
    if (!self.__wbg_ptr) return undefined;
    let own = settings.get(self);
    if (own === undefined) settings.set(self, (own = self.__sendSettings() ?? null));
    const body = own === null ? undefined : write();
    return body === undefined ? undefined : [own[0], own[1], body, own[2], own[3]];
  }
  Object.defineProperty(NeonSql.prototype, "query", {
    value(text, params, options, ...rest) {
      if (options == null && rest.length === 0 && typeof fetch === "function") {
        const plan = directPlan(this, () => statement(text, params)) ?? this.__queryPlan(text, params);
        if (plan) return sendPlanned("query", this, [text, params], plan, sqlResult);
      }
      return query.call(this, text, params, options, ...rest);
    },
    writable: true,
    configurable: true,
  });
  Object.defineProperty(NeonSql.prototype, "transaction", {
    value(list, options, ...rest) {
      if (options == null && rest.length === 0 && typeof fetch === "function") {
        const plan = directPlan(this, () => statements(list)) ?? this.__transactionPlan(list);
        if (plan) return sendPlanned("transaction", this, [list], plan, sqlResults);
      }
      return transaction.call(this, list, options, ...rest);
    },
    writable: true,
    configurable: true,
  });
}
