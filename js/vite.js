// neon-edge/vite: a Claimable Postgres database on `vite dev`. When the dev server starts and
// no env file Vite loads (nor the process environment) sets DATABASE_URL, it creates one and
// appends it to the env file with the CLI's rules (neon-edge/node), before Vite reads its env
// files — so this very start sees it. `vite build` never exposes the claim URL to client code.
import * as nodeFs from "node:fs";
import { createHash } from "node:crypto";
import { relative, resolve, sep } from "node:path";
import { readDotEnv, NeonClientError } from "../postgres/node.js";
import { acquireLock, readEnvText } from "./envfile.js";
import { assertWritableDir, envKeys, gitignoreWarning, provisionToEnvFile, readSeedPlan, seedDatabase } from "./node.js";
import { chooseService, registerToEnvFile } from "./claimable-neon.js";

const NAME = "neon-edge/vite";
const OPTIONS = ["referrer", "env", "dotEnvFile", "envKey", "dotEnvKey", "envPrefix", "settings", "seed", "failOnError", "baseUrl", "sqlEndpoint", "timeoutMs", "service", "origin"];
const REFERRER_HELP = `${NAME}: the referrer option is required: a name for who provisions the database.

Usage:
  postgres({ referrer: "my-app" })

Examples:
  postgres({ referrer: "github:username/repo-name" })
  postgres({ referrer: "my-vite-app" })`;

function optionError(option, message) {
  return new NeonClientError("client", `${NAME}: ${message}`, { reason: "invalid_option", code: "invalid_option", option });
}

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkString(options, name, { pattern, what } = {}) {
  const v = options[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !v.trim() || (pattern && !pattern.test(v))) {
    throw optionError(name, `${name} must be ${what ?? "a non-empty string"}; got ${JSON.stringify(v)}`);
  }
  return v;
}

function checkUrl(options, name) {
  const v = checkString(options, name, { what: "an http(s) URL" });
  if (v !== undefined && !/^https?:\/\/[^\s]+$/.test(v)) throw optionError(name, `${name} must be an http(s) URL; got ${JSON.stringify(v)}`);
  return v;
}

/** Checks the options and settles the two spellings (the peer's docs say env/envKey, its code dotEnvFile/dotEnvKey). */
function normalize(options) {
  if (!isObject(options)) throw new NeonClientError("client", REFERRER_HELP, { reason: "invalid_option", code: "invalid_option", option: "referrer" });
  const unknown = Object.keys(options).filter((k) => !OPTIONS.includes(k));
  if (unknown.length) throw optionError(unknown[0], `unknown option ${unknown.join(", ")}; the options are ${OPTIONS.join(", ")}`);
  if (typeof options.referrer !== "string" || !options.referrer.trim()) {
    throw new NeonClientError("client", REFERRER_HELP, { reason: "missing_parameter", code: "invalid_option", option: "referrer" });
  }
  const either = (a, b, check) => {
    const x = check(a), y = check(b);
    if (x !== undefined && y !== undefined && x !== y) throw optionError(a, `${a} and ${b} are two spellings of one option and disagree (${JSON.stringify(x)} vs ${JSON.stringify(y)}): keep one`);
    return x ?? y;
  };
  const env = either("env", "dotEnvFile", (n) => checkString(options, n, { what: "an env file path, e.g. \".env.local\"" })) ?? ".env";
  const envKey = either("envKey", "dotEnvKey", (n) => checkString(options, n, { pattern: ENV_NAME, what: "an environment variable name, e.g. \"DATABASE_URL\"" })) ?? "DATABASE_URL";
  const envPrefix = options.envPrefix ?? "VITE_";
  if (typeof envPrefix !== "string" || !/^[A-Za-z0-9_]*$/.test(envPrefix) || /^[0-9]/.test(envPrefix)) {
    throw optionError("envPrefix", `envPrefix must be a variable-name prefix such as "VITE_"; got ${JSON.stringify(envPrefix)}`);
  }
  const settings = options.settings ?? {};
  if (!isObject(settings)) throw optionError("settings", "settings must be an object: { logicalReplication?: boolean }");
  const unknownSetting = Object.keys(settings).find((k) => k !== "logicalReplication");
  if (unknownSetting) throw optionError("settings", `unknown setting settings.${unknownSetting}; the only one is logicalReplication`);
  if (settings.logicalReplication !== undefined && typeof settings.logicalReplication !== "boolean") {
    throw optionError("settings", "settings.logicalReplication must be a boolean");
  }
  const { seed } = options;
  if (seed !== undefined && (!isObject(seed) || seed.type !== "sql-script" || typeof seed.path !== "string" || !seed.path.trim())) {
    throw optionError("seed", 'seed must be { type: "sql-script", path: "./schema.sql" }');
  }
  if (options.failOnError !== undefined && typeof options.failOnError !== "boolean") throw optionError("failOnError", "failOnError must be a boolean");
  const service = chooseService({ ...options, logicalReplication: settings.logicalReplication }, optionError);
  const { timeoutMs } = options;
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) throw optionError("timeoutMs", `timeoutMs must be a positive whole number of milliseconds; got ${JSON.stringify(timeoutMs)}`);
  return {
    referrer: options.referrer.trim(), env, envKey, envPrefix, seed,
    logicalReplication: settings.logicalReplication ?? false, failOnError: options.failOnError ?? false,
    baseUrl: checkUrl(options, "baseUrl"), sqlEndpoint: checkUrl(options, "sqlEndpoint"), timeoutMs,
    service, origin: options.origin,
  };
}

/** Replaces the password of every connection string in `text`. */
function redact(text) {
  return String(text).replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, "$1****@");
}

/** The names of the plugins in a config's (possibly nested) plugin list; promises are skipped. */
function pluginNames(plugins) {
  return [plugins].flat(Infinity).filter((p) => p && typeof p.name === "string").map((p) => p.name);
}

/** Why this start must not create a database, or undefined when it may. */
function reasonToSkip({ command, isPreview, mode }, config) {
  if (command !== "serve") return "vite build";
  if (isPreview) return "vite preview";
  if (mode === "test" || process.env.VITEST || process.env.VITEST_WORKER_ID || process.env.JEST_WORKER_ID) return "a test runner";
  // Storybook's Vite builder runs a dev server of its own with its plugins (storybook:main, ...).
  if (pluginNames(config.plugins).some((name) => name.startsWith("storybook:"))) return "Storybook";
  return undefined;
}

/**
 * A logger for the config hook, before Vite has made its own: the config's customLogger, or
 * lines printed as Vite's logger prints them, honouring logLevel.
 */
function earlyLogger(config) {
  if (config.customLogger) return config.customLogger;
  const rank = { silent: 0, error: 1, warn: 2, info: 3 }[config.logLevel ?? "info"] ?? 3;
  const print = (need, write) => (message) => {
    if (rank >= need) write(`${new Date().toLocaleTimeString()} [vite] ${message}`);
  };
  return { info: print(3, console.log), warn: print(2, console.warn), error: print(1, console.error) };
}

/** Where Vite will look for env files, computed as Vite's resolveConfig does (null: env files are off). */
function resolveDirs(config) {
  const root = resolve(config.root ?? process.cwd());
  const envDir = config.envDir === false || config.envFile === false ? null : config.envDir ? resolve(root, config.envDir) : root;
  return { root, envDir };
}

const shown = (path, root) => {
  const rel = relative(root, path);
  return rel && !rel.startsWith("..") && !rel.startsWith(sep) ? rel : path;
};

/** The env files Vite loads for `mode` (none when env files are off), and `envFile`. */
function envFiles({ envDir, envFile, mode }) {
  const files = envDir ? [".env", ".env.local", `.env.${mode}`, `.env.${mode}.local`].map((f) => resolve(envDir, f)) : [];
  return files.includes(envFile) ? files : [...files, envFile];
}

/** The first place that sets `key` (non-empty): the process environment, or one of `files`. */
function findKey(key, files, fs) {
  if (process.env[key]) return { where: "the process environment", value: process.env[key] };
  for (const file of files) {
    const value = readDotEnv(readEnvText(file, { fs }))[key];
    if (value) return { where: file, value };
  }
  return undefined;
}

const hash = (text) => createHash("sha256").update(text).digest("hex").slice(0, 16);

/** A seed that has not finished on a database: `<env file>.neon-edge-seed`, no secrets in it. */
function seedState(envFile, fs) {
  const path = `${envFile}.neon-edge-seed`;
  return {
    read() {
      try { return JSON.parse(fs.readFileSync(path, "utf8")); } catch { return undefined; }
    },
    write(state) { fs.writeFileSync(path, JSON.stringify(state, null, 2) + "\n", { mode: 0o600 }); },
    clear() { fs.rmSync(path, { force: true }); },
  };
}

/** What to do about a failure, by its cause. */
function advice(e, opts) {
  if (e?.code === "keys_exist") return "Existing keys are never overwritten: remove or comment out that line, or write elsewhere with the plugin's env, envKey or envPrefix option.";
  if (e?.phase === "seed") return `The database is in the env file; fix the seed (${opts.seed.path}) and restart the dev server: the seed resumes at that statement on the same database.`;
  if (e?.phase === "write") return `The database exists (claim it at ${e.database.claimUrl}); fix the env file's permissions and restart.`;
  if (e?.phase === "seed-file") return `Fix seed.path (${opts.seed.path}) and restart the dev server; no database was created.`;
  if (e?.code === "env_dir") return "Create the directory or choose another env file; no database was created.";
  if (e?.code === "lock_timeout") return "";
  const api = opts.baseUrl ?? "https://neon.new/api/v1";
  if (e?.kind === "network") return `Check the network connection to ${api}, then restart the dev server.`;
  if (e?.kind === "timeout") return `Check the network connection to ${api} (or raise timeoutMs), then restart the dev server.`;
  if (e?.kind) return "The Claimable Postgres service refused or failed: try again later, or set DATABASE_URL yourself.";
  return "";
}

/**
 * The Vite plugin: `plugins: [postgres({ referrer: "my-app" })]`. See the README's "Vite"
 * section for the options.
 */
export function postgres(options) {
  const opts = normalize(options);
  const [key, directKey, claimKey] = envKeys({ key: opts.envKey, prefix: opts.envPrefix });
  const fs = nodeFs;
  let logger; // Vite's once the config is resolved; before, one that prints as Vite's does
  const log = (level, message) => logger?.[level](redact(`[neon-edge] ${message}`), { timestamp: true });
  let build = false;
  let used; // { root, envDir } the env file was resolved against
  const warned = new Set();

  async function ensureDatabase(config, mode) {
    const { root, envDir } = resolveDirs(config);
    used = { root, envDir };
    const envFile = resolve(envDir ?? root, opts.env);
    const files = envFiles({ envDir, envFile, mode });
    const where = () => findKey(key, files, fs);
    const state = seedState(envFile, fs);
    const pendingSeed = (found) => {
      const s = opts.seed && state.read();
      return s && s.key === key && s.database === hash(found.value) ? s : undefined;
    };
    let found = where();
    if (found && !pendingSeed(found)) return;
    assertWritableDir(envFile, { fs }); // the lock goes beside the env file
    const release = await acquireLock(`${envFile}.neon-edge.lock`, {
      fs, onWait: (h) => log("info", `waiting for another dev server (process ${h.pid ?? "?"}) that is creating the database…`),
    });
    try {
      found = where(); // another start may have created it while we waited
      let seedPlan;
      let databaseUrl;
      let skip = 0;
      if (found) {
        const resume = pendingSeed(found);
        if (!resume) return log("info", `${key} was set by another dev server in ${shown(found.where, root)}.`);
        seedPlan = readSeed(opts, root, fs);
        databaseUrl = found.value;
        while (skip < resume.applied.length && skip < seedPlan.plan.statements.length && hash(seedPlan.plan.statements[skip].text) === resume.applied[skip]) skip++;
      } else {
        if (opts.seed) seedPlan = readSeed(opts, root, fs); // a bad seed file fails before anything is created
        const looked = `${files.map((f) => shown(f, root)).join(", ")} or the environment`;
        const announce = (what) => log("info", `no ${key} in ${looked}: ${what}…`);
        if (opts.service === "claimable-neon") {
          const { registration, credentials, keys } = await registerToEnvFile({
            envFile, key, origin: opts.origin, source: `npm:neon-edge/vite|${opts.referrer}`.slice(0, 100), fs,
            report: (step) => step === "register" && announce("registering a Claimable Neon project"),
          });
          log("info", `project ${registration.projectId} created: wrote ${keys.join(", ")} to ${shown(envFile, root)}.`);
          log("info", `it is deleted at ${new Date(registration.expiresAt).toUTCString()} unless you claim it: npx neon-edge claimable claim`);
          databaseUrl = credentials.databaseUrl;
        } else {
          const database = await provisionToEnvFile({
            envFile, key, prefix: opts.envPrefix, referrer: `npm:neon-edge/vite|${opts.referrer}`,
            logicalReplication: opts.logicalReplication, baseUrl: opts.baseUrl, timeoutMs: opts.timeoutMs, fs,
            report: (step) => step === "create" && announce("creating a Claimable Postgres database"),
          });
          log("info", `database created: wrote ${key}, ${directKey} and ${claimKey} to ${shown(envFile, root)}.`);
          log("info", `it expires at ${new Date(database.expiresAt).toUTCString()} unless you claim it: ${database.claimUrl}`);
          databaseUrl = database.databaseUrl;
        }
        const unignored = gitignoreWarning(envFile, { fs });
        if (unignored) log("warn", unignored.replace(envFile, shown(envFile, root)));
      }
      if (!seedPlan) return;
      const total = seedPlan.plan.statements.length;
      if (skip >= total) return state.clear(); // every statement of the (edited) seed has run
      const record = (applied) => state.write({
        key, database: hash(databaseUrl), seed: opts.seed.path,
        applied: seedPlan.plan.statements.slice(0, applied).map((s) => hash(s.text)),
      });
      record(skip);
      log("info", skip ? `resuming the seed at statement ${skip + 1} of ${total} (${skip} already applied)…` : `seeding: ${total} statement(s) from ${opts.seed.path}…`);
      try {
        await seedDatabase(databaseUrl, seedPlan, { sqlEndpoint: opts.sqlEndpoint, skip, timeoutMs: opts.timeoutMs });
      } catch (e) {
        record(e.applied ?? skip);
        e.phase = "seed";
        throw e;
      }
      state.clear();
      log("info", `seeded (${total - skip} statement(s)).`);
    } finally {
      release();
    }
  }

  return {
    name: "neon-edge:postgres",
    enforce: "pre",
    async config(config, env) {
      build = env.command === "build";
      if (build) {
        // Keep the claim link out of the bundle: a link in a public bundle lets anyone claim the database.
        return { define: { [`import.meta.env.${claimKey}`]: "undefined" } };
      }
      if (reasonToSkip(env, config)) return undefined;
      logger = earlyLogger(config);
      try {
        await ensureDatabase(config, env.mode);
      } catch (e) {
        const what = e?.phase === "seed" ? "seeding the database failed" : "could not create a Postgres database";
        const cause = e?.code === "keys_exist" ? `${(e.keys ?? []).join(", ")} already set in ${opts.env}` : e?.message ?? e;
        const starts = e?.phase === "seed" || opts.failOnError ? "" : `The dev server starts without ${key}.`;
        const next = [starts, advice(e, opts)].filter(Boolean).join(" ");
        const message = `${what}: ${cause}${next ? `\n  ${next}` : ""}`;
        if (opts.failOnError) throw new Error(redact(`${NAME}: ${message}`), { cause: e });
        log("error", message);
      }
      return undefined;
    },
    configResolved(resolved) {
      logger = resolved.logger;
      if (build) {
        used = { root: resolve(resolved.root) };
        if (resolved.env && claimKey in resolved.env) delete resolved.env[claimKey];
        return;
      }
      const envDir = resolved.envDir === false ? null : resolve(resolved.envDir ?? resolved.root);
      if (used && (resolve(resolved.root) !== used.root || envDir !== used.envDir)) {
        log("warn", `another plugin changed root or envDir after neon-edge ran: the env file was resolved against ${used.envDir ?? used.root}.`);
      }
    },
    transform(code, id) {
      const file = id.split("?")[0];
      if (!build || !code.includes(claimKey) || file.includes("/node_modules/") || warned.has(file)) return undefined;
      warned.add(file);
      log("warn", `${shown(file, used?.root ?? process.cwd())} reads ${claimKey}: it is undefined in this build, because a claim link in a public bundle lets anyone claim the database. Show it in development only (import.meta.env.DEV).`);
      return undefined;
    },
  };
}

function readSeed(opts, root, fs) {
  try {
    return readSeedPlan(resolve(root, opts.seed.path), { fs });
  } catch (e) {
    e.phase = "seed-file";
    e.message = `cannot use seed ${opts.seed.path}: ${e.message}`;
    throw e;
  }
}

export default postgres;
