// TypeScript declarations of claimable_neon.rs, added to the module's .d.ts by wasm-bindgen.
/** Options every Claimable Neon call shares. */
export interface ClaimableNeonOptions {
  /** The service origin, scheme and host only (default https://claimable.neon.tech; http only on localhost / 127.0.0.1). */
  origin?: string;
  /** A fetch-compatible function used instead of the global fetch. */
  fetch?: (request: Request) => Promise<Response>;
  /** Per-request timeout in milliseconds (default 60000). */
  timeoutMs?: number;
}

/** Per-call options of a session's methods. */
export interface ClaimableNeonCallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Options of `registerClaimableNeon`. */
export interface RegisterClaimableNeonOptions extends ClaimableNeonOptions, ClaimableNeonCallOptions {
  /** Capabilities to ask for: "postgres" (always granted), "data_api", "auth"; others need a claim. */
  capabilities?: string[];
  /** Who registers (1..100 characters). */
  source?: string;
  /** Data API settings, sent as the service's `data_api`. */
  dataApi?: unknown;
}

/** The service's answer about one requested capability. */
export interface ClaimableNeonCapability {
  capability: string;
  granted: boolean;
  /** Why not: "requires_claim", "unknown_capability", or newer reasons. */
  reason?: string;
  message?: string;
}

/** A new identity and its project. `identityAssertion` is the one durable secret. */
export interface ClaimableNeonRegistration {
  registrationId: string;
  identityAssertion: string;
  /** Unix seconds. */
  assertionExpires: number;
  scopes: string[];
  projectId: string;
  branchId: string;
  /** When the project is deleted unless claimed (ISO 8601). */
  expiresAt: string;
  capabilities: ClaimableNeonCapability[];
}

/** Options of `new ClaimableNeonSession`. */
export interface ClaimableNeonSessionOptions extends ClaimableNeonOptions {
  identityAssertion: string;
  projectId: string;
}

/** What `credentials()` answers. */
export interface ClaimableNeonCredentials {
  projectId: string;
  branchId: string;
  /** Pooled; it stops working once a claim is reconciled. */
  databaseUrl: string;
  expiresAt: string;
  services: { auth?: { baseUrl: string; jwksUrl: string }; dataApi?: { url: string } };
}

/** A started claim. */
export interface ClaimableNeonClaimCode {
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  /** Seconds until the code expires. */
  expiresIn: number;
  /** Seconds between status polls. */
  interval: number;
}

/** Where a claim attempt stands. */
export interface ClaimableNeonClaimStatus {
  state: "pending" | "accepted" | "reconciled" | "expired" | "cancelled" | (string & {});
  expiresAt: string | null;
  reconciled: boolean;
  message?: string;
}

/** Options of `waitForClaim`. */
export interface WaitForClaimOptions extends ClaimableNeonCallOptions {
  /** Poll interval in milliseconds (default: the last `claim()`'s `interval`, else 5 s). */
  intervalMs?: number;
  /** Called with each state read ("pending", "accepted", "reconciled"). */
  onProgress?: (status: ClaimableNeonClaimStatus) => void;
}
