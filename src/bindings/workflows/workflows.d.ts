/** Options of every workflow: the per-call options (`wait` is ignored: workflows always wait). */
export interface WorkflowOptions extends Omit<CallOptions, "wait"> {
  /**
   * A deadline for the whole workflow: every request, retry and operation wait.
   * `ifExists: "return"`: workflows that create a named resource look it up first and carry
   * on with the one found — how a re-run after a failure finishes instead of duplicating.
   */
  deadlineMs?: number;
  /** Told about each step as it starts, waits for operations and ends. */
  onProgress?: (step: WorkflowStep) => void;
}

/** A resource a workflow touched (or, in `leftBehind`, created and left in place). */
export interface WorkflowResource {
  kind: "project" | "branch" | "endpoint" | "snapshot";
  id: string;
  name?: string;
}

/** A progress event. */
export interface WorkflowStep {
  /** The workflow: `"projects.createAndConnect"`. */
  workflow: string;
  /** The step: `"create_project"`, `"wait_for_operations"`, ... */
  step: string;
  phase: "started" | "waiting" | "done";
  resources: WorkflowResource[];
  projectId?: string;
  branchId?: string;
  endpointId?: string;
  snapshotId?: string;
  /** While waiting: each operation's last known state. */
  operations?: NeonOperation[];
}

export type ProjectCreateAndConnectParams = Record<string, unknown> & {
  /** The project fields as `createProject` takes them under `project`. */
  name?: string;
  region_id?: string;
  pg_version?: number;
  org_id?: string;
  /** The pooled connection string (default) or the direct one. */
  pooled?: boolean;
};

export interface ProjectConnection {
  project: Project;
  branch: Branch;
  /** Holds the password: keep it out of logs. */
  connectionString: string;
  /** Found already there (`ifExists: "return"`) rather than created. */
  existing: boolean;
}

export interface ProjectTransferParams {
  fromOrgId: string;
  toOrgId: string;
  /** Any number: sent 400 per request. */
  projectIds: string[];
}
export type ProjectTransferFromUserParams = Omit<ProjectTransferParams, "fromOrgId">;

/** One transfer request's outcome. */
export interface TransferBatch {
  projectIds: string[];
  ok: boolean;
  error?: Error;
}

export interface ComputeSettings {
  /** 0.25–8 */
  minCu?: number;
  /** 0.25–8, not below `minCu` */
  maxCu?: number;
  /** -1: never suspend; 0: Neon's default. */
  suspendTimeoutSeconds?: number;
}

export type BranchCreateAndConnectParams = Record<string, unknown> & {
  projectId: string;
  name?: string;
  /** Default: the project's default branch. */
  parentId?: string;
  compute?: ComputeSettings;
  pooled?: boolean;
  /** Branch from a past point in time (PITR). */
  parent_timestamp?: string;
  parent_lsn?: string;
};

export interface BranchConnection {
  branch: Branch;
  endpoint: Endpoint;
  connectionString: string;
  existing: boolean;
}

export interface BranchResetFromParentParams {
  projectId: string;
  branchId: string;
  preserveUnderName?: string;
}

export interface BranchCompareSchemaParams {
  projectId: string;
  branchId: string;
  databaseName: string;
  baseBranchId?: string;
  lsn?: string;
  timestamp?: string;
  baseLsn?: string;
  baseTimestamp?: string;
}

export interface ConnectionStringParams {
  projectId: string;
  /** Default: the default branch. */
  branchId?: string;
  endpointId?: string;
  /** Default: the only database (several: an error lists them). */
  databaseName?: string;
  /** Default: the only role (several: an error lists them). */
  roleName?: string;
  /** Default `true`. */
  pooled?: boolean;
}

export interface OperationsWaitForParams {
  /** Default: the `project_id` of the operations. */
  projectId?: string;
  operations?: NeonOperation[];
  operationIds?: string[];
}

export interface SnapshotsRestoreParams {
  projectId: string;
  snapshotId: string;
  /** Default: the snapshot's source branch. */
  targetBranchId?: string;
  name?: string;
  /** Default: `true` without `targetBranchId`, `false` with one; ignored with `preview`. */
  finalize?: boolean;
  /** Look at the restored branch (run SQL on it); `true` finalizes, `false` discards. */
  preview?: (branch: Branch) => boolean | Promise<boolean>;
  /** Keep the branch when `preview` says no. */
  keepOnAbort?: boolean;
}

export interface SnapshotsSetScheduleParams {
  projectId: string;
  /** A root branch; default: the project's default branch. */
  branchId?: string;
  /** The schedule in force after the call; `[]` turns scheduled snapshots off. */
  schedule: BackupScheduleItem[];
}

export interface RestoreResult {
  branch: Branch;
  finalized: boolean;
  discarded: boolean;
}

export interface CheckpointCreateParams {
  projectId: string;
  /** A root branch. */
  branchId: string;
  name?: string;
  /** RFC 3339 */
  expiresAt?: string;
}

export interface CheckpointUpdateParams {
  projectId: string;
  snapshotId: string;
  name?: string;
  /** `null` clears the expiry. */
  expiresAt?: string | null;
}

export interface CheckpointRollbackParams {
  projectId: string;
  snapshotId: string;
  /** Default: the snapshot's source branch (or the default branch that replaced it). */
  targetBranchId?: string;
}

export interface RollbackResult {
  branch: Branch;
  deletedBranchIds: string[];
}

export interface CheckpointPreviewParams {
  projectId: string;
  snapshotId: string;
  name?: string;
}

export interface CheckpointPreview {
  branch: Branch;
  connectionString: string;
  existing: boolean;
}

export type BranchPointInTimeParams = {
  projectId: string;
  /** Default: the project's default branch. */
  parentId?: string;
  name?: string;
  compute?: ComputeSettings;
} & ({ timestamp: string; lsn?: undefined } | { lsn: string; timestamp?: undefined });

export interface BranchCleanupParams {
  projectId: string;
  /** Which branches are previews: `"preview-"`. */
  namePrefix: string;
  /** RFC 3339: previews made before it go. */
  createdBefore: string;
}

export interface CleanupResult {
  deleted: Branch[];
  /** Left alone: other branches descend from them. */
  refused: { branch: Branch; children: string[] }[];
}

/** One row of the caller's tier table. */
export interface Tier {
  /** The sponsored or the paid organization. */
  orgId: string;
  compute?: ComputeSettings;
  /** `settings.quota` as the API takes it (`active_time_seconds`, `written_data_bytes`, ...). */
  quota?: Record<string, number>;
}

export interface ProvisionParams {
  /** The user's project name: the key a re-run finds it by. */
  name: string;
  tier: Tier;
  regionId?: string;
  pgVersion?: number;
  branchName?: string;
  roleName?: string;
  databaseName?: string;
}

export interface ProvisionedProject {
  project: Project;
  branch: Branch;
  endpoint: Endpoint;
  /** Pooled (serverless); holds the password. */
  connectionString: string;
  /** Direct (long-running servers); holds the password. */
  directConnectionString: string;
  existing: boolean;
}

export interface UpgradeTierParams {
  projectId: string;
  tier: Tier;
}

export interface EndpointTargetParams {
  projectId: string;
  /** One endpoint; else `branchId`'s; else every endpoint of the project. */
  endpointId?: string;
  branchId?: string;
}

export type SetAutoscalingParams = EndpointTargetParams & { compute: ComputeSettings };

export interface UsageProjectsParams {
  orgId: string;
  from: string;
  to: string;
  granularity: "hourly" | "daily" | "monthly";
  projectIds?: string[];
  /** Default: compute_unit_seconds, root_branch_bytes_month, child_branch_bytes_month, instant_restore_bytes_month, public_network_transfer_bytes. */
  metrics?: string[];
}

export interface NeonAuthEnableParams {
  projectId: string;
  /** Default: the default branch. */
  branchId?: string;
  /** The database `neon_auth.users_sync` lives in. */
  databaseName?: string;
  /** Default `"better_auth"`. */
  authProvider?: "better_auth" | "stack" | "mock";
}

export interface NeonAuthSetupParams extends NeonAuthEnableParams {
  /** The role reading `neon_auth.users_sync`; default: the branch's only role. */
  roleName?: string;
  /** Providers the branch should have; those already there are kept. */
  oauthProviders?: { id: "google" | "github" | "microsoft" | "vercel"; client_id?: string; client_secret?: string; microsoft_tenant_id?: string }[];
  /** Users the branch should have; an email already taken is kept, not added again. */
  users?: { email: string; name?: string }[];
  /** SQL over HTTP's URL (default: derived from the host, as on Neon; the emulator's `/sql` locally). */
  sqlEndpoint?: string;
}

export interface NeonAuthSetupResult {
  /** The branch's Neon Auth as the API describes it. */
  auth: Record<string, unknown>;
  /** The SDK keys: secrets, never log them. */
  keys: { pub_client_key?: string; secret_server_key?: string; jwks_url?: string; [field: string]: unknown };
  /** The branch's OAuth providers after the run. */
  oauthProviders: { id: string; [field: string]: unknown }[];
  /** The users this run created (the others were there already). */
  createdUserIds: string[];
  /** `neon_auth.users_sync` read over SQL (deleted users left out), oldest first. */
  syncedUsers: { id: string; email: string; name: string | null }[];
}

export type DataApiEnableParams = {
  projectId: string;
  /** Default: the default branch. */
  branchId?: string;
  databaseName: string;
  /** Default `"neon_auth"` (enabled on the branch first when it has none). */
  authProvider?: "neon_auth" | "external";
  /** Required with `"external"`. */
  jwks_url?: string;
  provider_name?: string;
  jwt_audience?: string;
} & Record<string, unknown>;

export interface DataApiEnabled {
  /** `{ url, ... }` */
  dataApi: Record<string, unknown> & { url?: string };
  /** Neon Auth of the branch (`null` with an external provider). */
  neonAuth: Record<string, unknown> | null;
}
