// Type-checked (tsc --strict) by tests/js/types.test.mjs: the workflow namespaces of
// neon-edge/workflows (src/bindings/workflows/workflows.d.ts) as users call them, and the
// workflow fields of the shared error classes. Never run.
import {
  NeonClient,
  NeonError,
  NeonOperationError,
  type BackupScheduleItem,
  type BranchCleanupParams,
  type BranchCompareSchemaParams,
  type BranchConnection,
  type BranchCreateAndConnectParams,
  type BranchPointInTimeParams,
  type BranchResetFromParentParams,
  type CheckpointCreateParams,
  type CheckpointPreview,
  type CheckpointPreviewParams,
  type CheckpointRollbackParams,
  type CheckpointUpdateParams,
  type CleanupResult,
  type DataApiEnableParams,
  type DataApiEnabled,
  type NeonAuthEnableParams,
  type NeonAuthSetupParams,
  type NeonAuthSetupResult,
  type ComputeSettings,
  type ConnectionStringParams,
  type EndpointTargetParams,
  type OperationsWaitForParams,
  type ProjectConnection,
  type ProjectCreateAndConnectParams,
  type ProjectTransferFromUserParams,
  type ProjectTransferParams,
  type ProvisionParams,
  type ProvisionedProject,
  type RestoreResult,
  type RollbackResult,
  type SetAutoscalingParams,
  type SnapshotsRestoreParams,
  type SnapshotsSetScheduleParams,
  type Tier,
  type TransferBatch,
  type UpgradeTierParams,
  type UsageProjectsParams,
  type WorkflowOptions,
  type WorkflowResource,
  type WorkflowStep,
} from "neon-edge/workflows";
import * as management from "neon-edge";
import type { Assert, Equal } from "./assert.js";

// One set of error classes: the workflow fields are on the classes neon-edge exports too.
type _sameErrors = Assert<Equal<typeof NeonError, typeof management.NeonError>>;

export async function everything(neon: NeonClient, signal: AbortSignal): Promise<string[]> {
  const steps: WorkflowStep[] = [];
  const options: WorkflowOptions = { signal, deadlineMs: 60_000, ifExists: "return", onProgress: (s) => steps.push(s) };
  const project: ProjectCreateAndConnectParams = { name: "app", region_id: "aws-us-east-2", pg_version: 17, pooled: false };
  const app: ProjectConnection = await neon.projects.createAndConnect(project, options);
  const compute: ComputeSettings = { minCu: 0.25, maxCu: 1, suspendTimeoutSeconds: -1 };
  const dev: BranchCreateAndConnectParams = { projectId: app.project.id, name: "dev", compute };
  const branch: BranchConnection = await neon.branches.createAndConnect(dev);
  const url: string = await neon.postgres.connectionString({ projectId: app.project.id, roleName: "app" } satisfies ConnectionStringParams);
  const reset: BranchResetFromParentParams = { projectId: app.project.id, branchId: branch.branch.id, preserveUnderName: "before" };
  await neon.branches.resetFromParent(reset);
  const compare: BranchCompareSchemaParams = { projectId: app.project.id, branchId: branch.branch.id, databaseName: "neondb" };
  const { diff }: { diff: string } = await neon.branches.compareSchema(compare);
  const pitr: BranchPointInTimeParams = { projectId: app.project.id, timestamp: "2026-01-01T00:00:00Z" };
  // @ts-expect-error a point in time is a timestamp or an LSN, not both
  const both: BranchPointInTimeParams = { projectId: app.project.id, timestamp: "t", lsn: "0/1" };
  await neon.branches.pointInTime(pitr);
  const cleanup: BranchCleanupParams = { projectId: app.project.id, namePrefix: "preview-", createdBefore: "2026-01-01T00:00:00Z" };
  const cleaned: CleanupResult = await neon.branches.cleanupPreviews(cleanup);
  const refusedChildren: string[] = cleaned.refused.flatMap((r) => r.children);
  const waitFor: OperationsWaitForParams = { operationIds: ["op-1"], projectId: app.project.id };
  await neon.operations.waitFor(waitFor, { timeoutMs: 1000 });
  const restore: SnapshotsRestoreParams = { projectId: app.project.id, snapshotId: "snap", preview: async (b) => b.name !== "", keepOnAbort: true };
  const restored: RestoreResult = await neon.snapshots.restore(restore);
  const schedule: SnapshotsSetScheduleParams = { projectId: app.project.id, schedule: [{ frequency: "daily", hour: 3 }] };
  const inForce: BackupScheduleItem[] = await neon.snapshots.setSchedule(schedule);
  const current: BackupScheduleItem[] = await neon.snapshots.getSchedule({ projectId: app.project.id, branchId: app.branch.id });
  const checkpoint: CheckpointCreateParams = { projectId: app.project.id, branchId: app.branch.id, name: "v1", expiresAt: "2027-01-01T00:00:00Z" };
  const snapshot = await neon.checkpoints.create(checkpoint);
  const update: CheckpointUpdateParams = { projectId: app.project.id, snapshotId: snapshot.id, expiresAt: null };
  await neon.checkpoints.update(update);
  const rollback: CheckpointRollbackParams = { projectId: app.project.id, snapshotId: snapshot.id };
  const rolled: RollbackResult = await neon.checkpoints.rollback(rollback);
  const previewParams: CheckpointPreviewParams = { projectId: app.project.id, snapshotId: snapshot.id, name: "preview-1" };
  const preview: CheckpointPreview = await neon.checkpoints.preview(previewParams);
  const transfer: ProjectTransferParams = { fromOrgId: "org-a", toOrgId: "org-b", projectIds: [app.project.id] };
  const batches: TransferBatch[] = await neon.projects.transfer(transfer);
  const fromUser: ProjectTransferFromUserParams = { toOrgId: "org-b", projectIds: [app.project.id] };
  await neon.projects.transferFromUser(fromUser);
  const tier: Tier = { orgId: "org-paid", compute, quota: { active_time_seconds: 3600 } };
  const provision: ProvisionParams = { name: "user-1", tier, pgVersion: 17, roleName: "app_user" };
  const user: ProvisionedProject = await neon.platform.provision(provision);
  const upgrade: UpgradeTierParams = { projectId: user.project.id, tier };
  await neon.platform.upgradeTier(upgrade);
  const target: EndpointTargetParams = { projectId: user.project.id, branchId: user.branch.id };
  const autoscaling: SetAutoscalingParams = { ...target, compute: { maxCu: 2 } };
  await neon.endpoints.setAutoscaling(autoscaling);
  await neon.endpoints.disableSuspend(target);
  const usage: UsageProjectsParams = { orgId: "org", from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", granularity: "daily" };
  await neon.usage.projects(usage);
  await neon.usage.project({ projectId: user.project.id });
  const auth: NeonAuthEnableParams = { projectId: user.project.id, authProvider: "better_auth" };
  await neon.neonAuth.enable(auth);
  const setup: NeonAuthSetupParams = { projectId: user.project.id, oauthProviders: [{ id: "google" }], users: [{ email: "a@example.com", name: "A" }] };
  const done: NeonAuthSetupResult = await neon.neonAuth.setup(setup);
  const synced: string[] = done.syncedUsers.map((u) => u.email);
  // @ts-expect-error a user needs an email
  const nameless: NeonAuthSetupParams = { projectId: "p", users: [{ name: "A" }] };
  const dataApi: DataApiEnableParams = { projectId: user.project.id, databaseName: "neondb", authProvider: "external", jwks_url: "https://x/jwks" };
  const enabled: DataApiEnabled = await neon.dataApi.enable(dataApi);
  const dataApiUrl: string | undefined = enabled.dataApi.url;
  // @ts-expect-error granularity is one of Neon's three
  const badUsage: UsageProjectsParams = { ...usage, granularity: "weekly" };
  return [url, diff, ...refusedChildren, restored.branch.id, String(rolled.deletedBranchIds), preview.connectionString,
    String(batches[0]?.ok), user.directConnectionString, String(dataApiUrl), String(both), String(badUsage)];
}

/** What a catch block reads off a failed workflow. */
export function failed(e: unknown): string {
  if (!(e instanceof NeonError)) return String(e);
  const left: WorkflowResource[] = e.leftBehind ?? [];
  const step: string | undefined = e.step;
  const workflow: string | undefined = e.workflow;
  if (e instanceof NeonOperationError) return `${workflow} ${step} ${e.operations.length}`;
  return `${workflow}: ${step}: ${left.map((r) => `${r.kind} ${r.id} ${r.name ?? ""}`).join(", ")}`;
}
