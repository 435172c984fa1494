// Shared by every entry of `neon-edge` and `neon-edge/workflows` (whose modules export the
// same NeonClient): installs one NeonClient method per API operation (named by the spec's
// operationId), each forwarding to `call`, and the `paginate` object with one lazy listing per
// cursor-paginated operation. Runs after the wasm module is initialised, on its exports.
import { stringArgumentError } from "./guard.js";

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

export function installClientMethods({ NeonClient, operationIds, paginatedOperationIds }) {
  // `call` and `paginateOperation` take the operationId as a Rust string: check it first.
  const { call, paginateOperation } = NeonClient.prototype;
  Object.defineProperty(NeonClient.prototype, "call", {
    value(operationId, ...rest) {
      const error = stringArgumentError("call", "operationId", operationId, { max: MAX_OPERATION_ID });
      return error ? Promise.reject(error) : call.call(this, operationId, ...rest);
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
  for (const id of operationIds()) {
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
