// Panic recovery, shared by the three modules' entries. The npm build aborts on a Rust panic,
// so a panic that still happens is a `WebAssembly.RuntimeError` trap that leaves the instance's
// shadow stack pointer and any RefCell borrows as they were: the instance cannot be trusted
// again. The glue is generated with wasm-bindgen's `--experimental-reset-state-function`
// (`__wbg_reset_state`: a fresh `WebAssembly.Instance` of the same module, the glue's caches
// reset, finalizers and closures of the old instance disarmed, its objects marked stale), and
// scripts/build.mjs routes a trap inside a microtask (where every future is polled) to the
// handler set here. On a trap this module:
// - re-instantiates the module, so the next call works;
// - rejects or throws a `NeonError` of kind `internal` on the call that trapped (a trap inside
//   a future cannot be told apart from the other futures of the instance: every call still in
//   flight on it is rejected, since its state went with the old instance);
// - rebuilds, on their next use, the objects the user holds: a `NeonClient` from the options it
//   was created with, an object a call returned (`sql(...)`, `neon.projects`) by repeating that
//   call; a paginator cannot be resumed (its position went with the instance) and throws.
import { NeonClientError, NeonError } from "./errors.js";

/**
 * The error for an argument the glue would pass to Rust as a string when it is not one (the
 * generated glue does not check: a number or an object there corrupts the call), or longer
 * than `max`; undefined when `value` is fine. `optional` lets undefined and null through.
 */
export function stringArgumentError(what, name, value, { optional = false, max = Infinity } = {}) {
  if (optional && (value === undefined || value === null)) return undefined;
  if (typeof value === "string" && value.length <= max) return undefined;
  const must = max === Infinity ? "a string" : `a string of at most ${max} characters`;
  return new NeonClientError("client", `${what}: ${name} must be ${must}`, { reason: "invalid_parameter" });
}

const isTrap = (error) => error instanceof WebAssembly.RuntimeError;
const SKIP = new Set(["constructor", "free", "__destroy_into_raw"]);

/**
 * Guards every class method and getter of a wasm-bindgen glue module (`glue`: its namespace),
 * and returns `{ client, wrap }` for the classes and functions the entry exports in place of
 * the glue's.
 * `stateful` names the classes whose objects cannot be rebuilt.
 */
export function guardModule(glue, { stateful = [] } = {}) {
  const { reset, onTrap } = glue.__neon_internals;
  const classes = Object.values(glue).filter((v) => typeof v === "function" && typeof v.prototype?.free === "function");
  const isWasmObject = (v) => typeof v === "object" && v !== null && classes.some((C) => v instanceof C);
  let generation = 0;
  // What each live wasm object needs: the generation it was made in and how to make it again.
  const born = new WeakMap();
  const inFlight = new Set();

  const internal = (what, cause, detail) =>
    new NeonError("internal",
      `${what}: internal error in neon-edge's wasm module (${cause.message}); ${detail}. Please report it with the call that caused it.`,
      { cause });

  function recover(what, cause) {
    generation++;
    reset();
    const error = internal(what, cause, "the module was re-instantiated and the next call works");
    for (const call of inFlight) call.reject(call.what === what ? error
      : internal(call.what, cause, "an async call in flight on the module trapped; every call in flight was abandoned and the module re-instantiated"));
    inFlight.clear();
    return error;
  }

  onTrap((error) => {
    if (!isTrap(error)) throw error;
    recover("an async call", error);
  });

  const remember = (value, rebuild) => {
    if (isWasmObject(value)) born.set(value, { generation, rebuild: stateful.includes(value.constructor.name) ? undefined : rebuild });
    return value;
  };

  // The object to call `what` on: `self` itself, rebuilt first when it predates a reset.
  function live(self, what) {
    const info = born.get(self);
    if (!info || info.generation === generation) return self;
    if (!info.rebuild) {
      throw new NeonError("internal", `${what}: this object was lost when the module was re-instantiated after an internal error; create it again`);
    }
    const fresh = run(what, info.rebuild);
    // Take over the fresh object's Rust value. The stale registration of `self` with the
    // glue's finalizer names the old instance and is skipped: the value leaks once per reset.
    self.__wbg_inst = fresh.__wbg_inst;
    self.__wbg_ptr = fresh.__destroy_into_raw();
    born.set(self, { generation, rebuild: info.rebuild });
    return self;
  }

  function run(what, call, rebuild) {
    let result;
    try {
      result = call();
    } catch (error) {
      throw isTrap(error) ? recover(what, error) : error;
    }
    if (!(result instanceof Promise)) return remember(result, rebuild);
    return new Promise((resolve, reject) => {
      const entry = { what, reject };
      inFlight.add(entry);
      result.then((value) => { inFlight.delete(entry); resolve(value); }, (error) => { inFlight.delete(entry); reject(error); });
    });
  }

  function method(fn, what) {
    return function (...args) {
      const self = live(this, what);
      return run(what, () => fn.apply(self, args), () => fn.apply(live(self, what), args));
    };
  }

  for (const C of classes) {
    const proto = C.prototype;
    for (const key of Reflect.ownKeys(proto)) {
      if (SKIP.has(key) || key === Symbol.dispose) continue;
      const d = Object.getOwnPropertyDescriptor(proto, key);
      const what = `${C.name}.${String(key)}`;
      if (typeof d.value === "function") d.value = method(d.value, what);
      if (d.get) d.get = method(d.get, what);
      Object.defineProperty(proto, key, d);
    }
    // Freeing an object of the old instance must not free memory of the new one.
    const free = proto.free;
    const guardedFree = function () {
      const info = born.get(this);
      if (info && info.generation !== generation) this.__destroy_into_raw();
      else free.call(this);
    };
    Object.defineProperty(proto, "free", { value: guardedFree, writable: true, configurable: true });
    if (Symbol.dispose) Object.defineProperty(proto, Symbol.dispose, { value: guardedFree, writable: true, configurable: true });
  }

  return {
    /** The class the entry exports for `Base` (`NeonClient`, `ClaimableNeonSession`): the
     * glue's, under the same name, remembering its options for a rebuild. */
    client(Base) {
      const Guarded = class extends Base {
        constructor(options) {
          try {
            super(options);
          } catch (error) {
            throw isTrap(error) ? recover(`new ${Base.name}`, error) : error;
          }
          born.set(this, { generation, rebuild: () => new Base(options) });
        }
      };
      Object.defineProperty(Guarded, "name", { value: Base.name });
      return Guarded;
    },
    /** The guarded free function `name` of the glue. */
    wrap(name) {
      const fn = glue[name];
      return (...args) => run(name, () => fn(...args), () => fn(...args));
    },
  };
}
