#!/usr/bin/env node
// `npx neon-edge`: provision a Claimable Postgres database into a .env file (and seed it),
// or `npx neon-edge claim` to open the claim link. See HELP for options and exit codes.
import { parseArgs } from "node:util";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline/promises";
import { readFileSync } from "node:fs";
import { provisionToEnvFile, envKeys, readEnvValue, gitignoreWarning } from "./node.js";
import { claimableNeon, CLAIMABLE_COMMANDS } from "./cli-claimable-neon.js";

const EXIT = {
  ok: 0, error: 1, usage: 2, keyExists: 3, provision: 4, seed: 5, cancelled: 6, noClaimUrl: 7, write: 8,
};

const HELP = `neon-edge — instant Postgres (Claimable Postgres by Neon) in your .env

Usage:
  npx neon-edge [options]          create a database, write it to the env file, seed it
  npx neon-edge claim [options]    open the claim link stored in the env file

  Claimable Neon (a project with an identity assertion instead of a claim link):
  npx neon-edge claimable create   register, write DATABASE_URL (--key), NEON_CLAIMABLE_ASSERTION,
                                   NEON_CLAIMABLE_PROJECT_ID (and NEON_CLAIMABLE_ORIGIN if not the
                                   default) to the env file
  npx neon-edge claimable status   the project's expiry and claim state (nothing secret printed)
  npx neon-edge claimable claim    print the claim link and code, open it, wait until claimed
  npx neon-edge claimable delete   delete the project; lists the keys to remove (the file is not edited)

Options:
  -y, --yes                  skip prompts and use the defaults (also when stdin is not a TTY)
  -e, --env <path>           env file to write                    (default: .env)
  -k, --key <name>           key of the pooled connection string  (default: DATABASE_URL)
                             the direct one goes under <name>_DIRECT
  -p, --prefix <prefix>      prefix of the public claim-URL key   (default: PUBLIC_)
  -s, --seed <path>          SQL file to run once the database exists
  -L, --logical-replication  enable logical replication (cannot be disabled later)
  -r, --ref <id>             referrer sent to the service         (default: neon-edge-cli)
      --base-url <url>       Claimable Postgres API               (default: https://neon.new/api/v1)
      --sql-endpoint <url>   SQL-over-HTTP URL for seeding        (default: derived from the host)
      --no-open              claim: print the link without opening a browser (or set NEON_EDGE_NO_OPEN=1)
      --origin <url>         claimable: the Claimable Neon service    (default: NEON_CLAIMABLE_ORIGIN,
                             then the env file's, then https://claimable.neon.tech)
  -h, --help                 show this help
  -v, --version              print the version

Existing keys are never overwritten: if a key is already set, nothing is created and you
can remove that line, write to another file with --env, or use another key with --key.
Destructive seed statements (DROP, TRUNCATE, DELETE without WHERE) are listed and need
confirmation, or --yes.

Exit codes:
  0  success
  1  unexpected error
  2  usage error (unknown option, missing value, unreadable seed file)
  3  a key to write is already set in the env file (nothing was created)
  4  creating the database failed (service or network error)
  5  seeding failed (the database exists and is in the env file)
  6  cancelled (a prompt was declined, or destructive statements were not confirmed)
  7  claim: no claim URL in the env file (claimable: no assertion in it)
  8  writing the env file failed (the database exists; its details are printed)
`;

const out = (line = "") => process.stdout.write(line + "\n");
const err = (line = "") => process.stderr.write(line + "\n");

function parse(argv) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      yes: { type: "boolean", short: "y" },
      env: { type: "string", short: "e" },
      key: { type: "string", short: "k" },
      prefix: { type: "string", short: "p" },
      seed: { type: "string", short: "s" },
      "logical-replication": { type: "boolean", short: "L" },
      ref: { type: "string", short: "r" },
      "base-url": { type: "string" },
      "sql-endpoint": { type: "string" },
      "no-open": { type: "boolean" },
      origin: { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
  });
}

let prompts; // one readline interface for every question, so no typed-ahead answer is lost

async function ask(question, defaultYes) {
  prompts ??= createInterface({ input: process.stdin, output: process.stderr });
  const answer = (await prompts.question(`${question} ${defaultYes ? "[Y/n]" : "[y/N]"} `)).trim().toLowerCase();
  return answer === "" ? defaultYes : answer === "y" || answer === "yes";
}

/** Starts the platform's URL opener; resolves to whether it could be started. */
function openBrowser(url) {
  const [cmd, args] = process.platform === "darwin" ? ["open", [url]]
    : process.platform === "win32" ? ["cmd", ["/c", "start", "", url]]
    : ["xdg-open", [url]];
  return new Promise((resolve) => {
    try {
      const child = spawn(cmd, args, { stdio: "ignore", detached: true });
      child.once("error", () => resolve(false));
      child.once("spawn", () => { child.unref(); resolve(true); });
    } catch {
      resolve(false);
    }
  });
}

function formatUtc(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toUTCString();
}

async function claim(values) {
  const envFile = values.env ?? ".env";
  const [, , claimKey] = envKeys({ key: values.key, prefix: values.prefix });
  const url = readEnvValue(envFile, claimKey);
  if (!url) {
    err(`No ${claimKey} in ${envFile}. Create a database first with \`npx neon-edge --yes\`,`);
    err(`or point to the right file with --env and --prefix.`);
    return EXIT.noClaimUrl;
  }
  out(`Claim your database (sign in or create a Neon account): ${url}`);
  if (!values["no-open"] && !process.env.NEON_EDGE_NO_OPEN) {
    err((await openBrowser(url)) ? "Opening it in your browser…" : "No browser could be opened: copy the link above.");
  }
  return EXIT.ok;
}

function exitFor(e) {
  if (e?.phase === "write") return EXIT.write; // created, but the env file was not written
  if (e?.phase === "seed") return EXIT.seed; // created and written, the seed failed
  if (e?.code === "keys_exist") return EXIT.keyExists;
  if (e?.code === "cancelled") return EXIT.cancelled;
  if (e?.line !== undefined || e?.code === "ENOENT") return EXIT.usage; // unreadable seed file
  if (e?.kind === "client") return EXIT.usage;
  if (e?.kind) return EXIT.provision;
  return EXIT.error;
}

async function provision(values) {
  const interactive = !values.yes && Boolean(process.stdin.isTTY);
  const envFile = values.env ?? ".env";
  const [key, directKey, claimKey] = envKeys({ key: values.key, prefix: values.prefix });
  if (interactive && !(await ask(`Create a claimable Postgres database and write it to ${envFile} (${key})?`, true))) {
    err("Cancelled; nothing was created.");
    return EXIT.cancelled;
  }
  const confirmDestructive = async (list) => {
    err(`The seed file has ${list.length} destructive statement(s):`);
    for (const s of list) err(`  ${s.number} (line ${s.line}, ${s.reasons.join(", ")}): ${s.firstLine}`);
    if (values.yes) { err("Running them anyway (--yes)."); return true; }
    if (!interactive) { err("Not confirmed: rerun with --yes to run them."); return false; }
    return ask("Run them?", false);
  };
  let progressShown = false;
  const report = (step, detail) => {
    if (step === "create") err(`◇ Creating a claimable Postgres database…`);
    if (step === "created") err(`✔ Database created (project ${detail.neonProjectId}).`);
    if (step === "written") err(`✔ Wrote ${key}, ${directKey} and ${claimKey} to ${envFile}.`);
    if (step === "seed") err(`◇ Seeding: ${detail.statements} statement(s) from ${values.seed}…`);
    if (step === "seed-progress" && process.stderr.isTTY) {
      process.stderr.write(`\r  statement ${detail.statement.number}/${detail.total}`);
      progressShown = true;
    }
    if (step === "seeded") {
      if (progressShown) process.stderr.write("\n");
      err(`✔ Seeded (${detail.statements} statement(s)).`);
    }
  };
  let database;
  try {
    database = await provisionToEnvFile({
      envFile, key: values.key, prefix: values.prefix, referrer: values.ref ?? "neon-edge-cli",
      logicalReplication: Boolean(values["logical-replication"]), baseUrl: values["base-url"],
      sqlEndpoint: values["sql-endpoint"], seedFile: values.seed, confirmDestructive, report,
    });
  } catch (e) {
    if (progressShown) process.stderr.write("\n");
    err(`✖ ${e?.message ?? e}`);
    if (e?.database) {
      err(`The database exists: claim URL ${e.database.claimUrl} (expires ${formatUtc(e.database.expiresAt)}).`);
    }
    return exitFor(e);
  }
  const unignored = gitignoreWarning(envFile);
  if (unignored) err(`⚠ ${unignored}`);
  out(`Connection string written to ${envFile} under ${key} (pooled) and ${directKey} (direct).`);
  out(`Claim URL (${claimKey}): ${database.claimUrl}`);
  out(`The database works now; it expires at ${formatUtc(database.expiresAt)} (72 hours) unless you claim it:`);
  out(`  npx neon-edge claim${values.env ? ` --env ${values.env}` : ""}`);
  return EXIT.ok;
}

export async function main(argv = process.argv.slice(2)) {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (e) {
    err(`${e.message}\nRun \`npx neon-edge --help\` for the options.`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values.help) { out(HELP); return EXIT.ok; }
  if (values.version) {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    out(pkg.version);
    return EXIT.ok;
  }
  const [command, sub] = positionals;
  const known = command === "claimable" ? positionals.length === 2 && CLAIMABLE_COMMANDS.includes(sub)
    : positionals.length === 0 || (positionals.length === 1 && command === "claim");
  if (!known) {
    err(`unknown command: ${positionals.join(" ")}\nRun \`npx neon-edge --help\` for the commands.`);
    return EXIT.usage;
  }
  try {
    if (command === "claimable") return await claimableNeon(sub, values, { out, err, openBrowser, formatUtc, exitFor, EXIT });
    return command === "claim" ? await claim(values) : await provision(values);
  } catch (e) {
    err(`✖ ${e?.message ?? e}`);
    return exitFor(e);
  } finally {
    prompts?.close();
  }
}

process.exitCode = await main();
