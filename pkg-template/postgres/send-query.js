// The query and transaction of NeonSql without options, sent here: the core plans the request
// (`__queryPlan` / `__transactionPlan`: the body and headers it would send), `send.js` (the
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

export function installSqlSend(NeonSql) {
  const { query, transaction } = NeonSql.prototype;
  Object.defineProperty(NeonSql.prototype, "query", {
    value(text, params, options, ...rest) {
      if (options == null && rest.length === 0 && typeof fetch === "function") {
        const plan = this.__queryPlan(text, params);
        if (plan) return sendPlanned("query", this, [text, params], plan, sqlResult);
      }
      return query.call(this, text, params, options, ...rest);
    },
    writable: true,
    configurable: true,
  });
  Object.defineProperty(NeonSql.prototype, "transaction", {
    value(statements, options, ...rest) {
      if (options == null && rest.length === 0 && typeof fetch === "function") {
        const plan = this.__transactionPlan(statements);
        if (plan) return sendPlanned("transaction", this, [statements], plan, sqlResults);
      }
      return transaction.call(this, statements, options, ...rest);
    },
    writable: true,
    configurable: true,
  });
}
