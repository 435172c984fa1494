// Secrets a test hands to the package, and a scan of everything the package gave back (errors
// thrown, hook payloads, CLI output, console output) for any of them. A new kind of secret is
// one line in KINDS.
import { inspect } from "node:util";
import { randomBytes } from "node:crypto";

/** Kind -> how a fresh secret of that kind looks (a recognisable prefix, then random). */
export const KINDS = {
  apiKey: () => `napi_secretscan${randomBytes(12).toString("hex")}`,
  password: () => `pw_secretscan${randomBytes(12).toString("hex")}`,
  // Claimable Neon: the durable identity assertion and the short-lived access tokens.
  identityAssertion: () => `eyJassertion.secretscan${randomBytes(12).toString("hex")}.sig`,
  accessToken: () => `eyJaccess.secretscan${randomBytes(12).toString("hex")}.sig`,
};

/** Everything one test shows of a value: `inspect` (own properties, cause, stack) and JSON. */
function render(value) {
  let json = "";
  try { json = JSON.stringify(value, (_, v) => (typeof v === "bigint" ? String(v) : v)) ?? ""; } catch { /* a cycle */ }
  const error = value instanceof Error ? `${value.name}: ${value.message}\n${value.stack}` : "";
  return `${inspect(value, { depth: 20, showHidden: true, getters: true })}\n${json}\n${error}`;
}

export class SecretScan {
  secrets = [];
  outputs = [];

  /** A fresh secret of `kind`, remembered for the scan. */
  make(kind) {
    const secret = KINDS[kind]();
    this.add(kind, secret);
    return secret;
  }

  /** Remembers a secret the test did not make (a password the server generated). */
  add(kind, secret) {
    if (!KINDS[kind]) throw new Error(`unknown secret kind ${kind}`);
    this.secrets.push({ kind, secret });
  }

  /** Keeps what the package gave back under `label`. */
  capture(label, value) {
    this.outputs.push({ label, text: typeof value === "string" ? value : render(value) });
    return value;
  }

  /** The error `promise` rejects with (or undefined), captured. */
  async rejection(label, promise) {
    try { await promise; return undefined; } catch (error) { return this.capture(label, error); }
  }

  /** The error `f` throws (or undefined), captured. */
  thrown(label, f) {
    try { f(); return undefined; } catch (error) { return this.capture(label, error); }
  }

  /** Every (output, secret) pair where the secret, raw or percent-encoded, appears. */
  leaks() {
    const found = [];
    for (const { label, text } of this.outputs) {
      for (const { kind, secret } of this.secrets) {
        if (text.includes(secret) || text.includes(encodeURIComponent(secret))) found.push(`${kind} in ${label}`);
      }
    }
    return found;
  }
}
