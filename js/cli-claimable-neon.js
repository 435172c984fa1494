// `npx neon-edge claimable create | status | claim | delete`: a Claimable Neon project kept in a
// .env file (js/claimable-neon.js). Nothing secret is printed: the identity assertion, tokens
// and the connection string stay in the file.
import { registerToEnvFile, sessionFromEnvFile, CLAIMABLE_NEON_KEYS, DEFAULT_ORIGIN } from "./claimable-neon.js";
import { gitignoreWarning } from "./node.js";

export const CLAIMABLE_COMMANDS = ["create", "status", "claim", "delete"];
/** The options the claimable commands read; any other is a usage error, not silently ignored. */
const CLAIMABLE_OPTIONS = new Set(["env", "key", "origin", "ref", "no-open"]);

/**
 * Runs `claimable <command>`; `io` is the CLI's `{ out, err, openBrowser, formatUtc, exitFor, EXIT }`.
 * Resolves to the exit code.
 */
export async function claimableNeon(command, values, io) {
  const { out, err, EXIT } = io;
  const foreign = Object.keys(values).filter((o) => !CLAIMABLE_OPTIONS.has(o));
  if (foreign.length) {
    err(`--${foreign.join(", --")} does not apply to \`claimable ${command}\`\nRun \`npx neon-edge --help\` for the options.`);
    return EXIT.usage;
  }
  const envFile = values.env ?? ".env";
  const origin = values.origin ?? process.env.NEON_CLAIMABLE_ORIGIN;
  try {
    if (command === "create") return await create(values, envFile, origin ?? DEFAULT_ORIGIN, io);
    const session = await sessionFromEnvFile({ envFile, origin });
    if (command === "status") return await status(session, io);
    if (command === "claim") return await claim(session, values, envFile, io);
    await session.delete();
    out(`✔ Deleted project ${session.projectId}. Its assertion is dead: remove ${Object.values(CLAIMABLE_NEON_KEYS).join(", ")}`);
    out(`  and the connection string (${values.key ?? "DATABASE_URL"}) from ${envFile}; the file was not edited.`);
    return EXIT.ok;
  } catch (e) {
    err(`✖ ${e?.message ?? e}`);
    if (e?.reason === "dead_assertion") err(`The identity assertion in ${envFile} can no longer be used (the project was claimed, deleted or expired).`);
    if (e?.phase === "write") err(`Project ${e.projectId} was registered but could not be written to ${envFile}; without its assertion it cannot be used and is deleted when it expires.`);
    if (e?.code === "no_assertion") return EXIT.noClaimUrl;
    return io.exitFor(e);
  }
}

async function create(values, envFile, origin, { out, err, formatUtc, EXIT }) {
  const key = values.key ?? "DATABASE_URL";
  const { registration, keys } = await registerToEnvFile({
    envFile, key, origin, source: values.ref ?? "neon-edge-cli",
    report: (step) => { if (step === "register") err(`◇ Registering with Claimable Neon (${origin})…`); },
  });
  err(`✔ Project ${registration.projectId} created.`);
  const unignored = gitignoreWarning(envFile);
  if (unignored) err(`⚠ ${unignored}`);
  out(`Wrote ${keys.join(", ")} to ${envFile}.`);
  out(`The database works now; it is deleted at ${formatUtc(registration.expiresAt)} unless you claim it:`);
  out(`  npx neon-edge claimable claim${values.env ? ` --env ${values.env}` : ""}`);
  return EXIT.ok;
}

async function status(session, { out, formatUtc, EXIT }) {
  const creds = await session.credentials().catch((e) => (e?.code === "claim_in_progress" ? null : Promise.reject(e)));
  out(`Project ${session.projectId} at ${session.origin}`);
  if (creds) out(`Expires: ${formatUtc(creds.expiresAt)} unless claimed`);
  const claim = await session.claimStatus().catch((e) => (e?.status === 404 ? null : Promise.reject(e)));
  out(`Claim: ${claim ? `${claim.state}${claim.expiresAt ? ` (attempt expires ${formatUtc(claim.expiresAt)})` : ""}` : "not started"}`);
  return EXIT.ok;
}

async function claim(session, values, envFile, { out, err, openBrowser, EXIT }) {
  const code = await session.claim();
  out(`Claim the project in the Neon console: ${code.verificationUriComplete}`);
  out(`Code: ${code.userCode} (expires in ${Math.round(code.expiresIn / 60)} min)`);
  if (!values["no-open"] && !process.env.NEON_EDGE_NO_OPEN) {
    err((await openBrowser(code.verificationUriComplete)) ? "Opening it in your browser…" : "No browser could be opened: copy the link above.");
  }
  let last;
  err("◇ Waiting for the claim…");
  await session.waitForClaim({
    onProgress: (s) => { if (s.state !== last) { last = s.state; err(`  claim ${s.state}`); } },
  });
  const key = values.key ?? "DATABASE_URL";
  out(`✔ Claimed: project ${session.projectId} is yours.`);
  out(`The pre-claim ${key} in ${envFile} no longer works (its password was rotated). Get the new connection`);
  out(`string from the Neon console (the project's Connect button) and replace ${key};`);
  out(`${Object.values(CLAIMABLE_NEON_KEYS).join(", ")} can be removed.`);
  return EXIT.ok;
}
