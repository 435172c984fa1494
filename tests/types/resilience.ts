// Type-checked (tsc --strict) by tests/js/types.test.mjs: the resilience options, listings and
// operation waits as users write them. Never run.
import {
  NeonClient,
  NeonPaginator,
  type Branch,
  type CallOptions,
  type CreatedBranchResponse,
  type CreateProjectBranchParams,
  type GetProjectParams,
  type NamedResourceKey,
  type NeonCreated,
  type NeonExisting,
  type Operation,
  type ProjectResponse,
  type ListProjectsResponse,
  type NeonOperation,
  type NeonPage,
  type NeonPageItem,
  type NeonPages,
  type NeonPaginators,
  type OperationDurationStore,
  type PaginatedOperationId,
  type ProjectListItem,
  type RateLimitBucket,
  type RateLimitOptions,
  type RateLimitStore,
  type RetryEvent,
  type RetryOptions,
  type RetryReason,
  type WaitForOperationsInit,
  type WaitProgress,
} from "neon-edge";
import type { Assert, Equal } from "./assert.js";

type _item = Assert<Equal<NeonPageItem<ListProjectsResponse>, ProjectListItem>>;
type _listing = Assert<Equal<ReturnType<NeonPaginators["listProjects"]>, NeonPages<ProjectListItem>>>;
type _paginated = Assert<Equal<"listProjects" extends PaginatedOperationId ? true : false, true>>;
type _notPaginated = Assert<Equal<"getProject" extends PaginatedOperationId ? true : false, false>>;
// ifExists: "return" — a create resolves to its response or to the resource already there.
type _named = Assert<Equal<NamedResourceKey<CreateProjectBranchParams>, "branch" | "annotation_value">>;
type _existing = Assert<Equal<NeonExisting<CreateProjectBranchParams, CreatedBranchResponse>, { branch: Branch } & { operations: Operation[]; existing: true }>>;
type _noBody = Assert<Equal<NeonCreated<GetProjectParams, ProjectResponse>, ProjectResponse>>;
type _nextPage = Assert<Equal<ReturnType<NeonPaginator["nextPage"]>, Promise<NeonPage<unknown> | undefined>>>;

export async function demo(signal: AbortSignal, kv: Map<string, string>): Promise<void> {
  const events: RetryEvent[] = [];
  const retry: RetryOptions = {
    maxAttempts: 5,
    maxElapsedMs: 30_000,
    onRetry: (e) => {
      const reason: RetryReason = e.reason;
      events.push(e);
      void [reason, e.attempt, e.delayMs, e.status, e.operation];
    },
  };
  const rateLimit: RateLimitOptions = { perMinute: 700, perRoutePerSecond: 40 };
  const durations: OperationDurationStore = {
    get: async (action) => kv.get(action) ?? null,
    set: (action, ms) => void kv.set(action, String(ms)),
  };
  const neon = new NeonClient({ apiKey: "napi_x", retry, rateLimit, operationDurations: durations });
  new NeonClient({ apiKey: "napi_x", retry: false, rateLimit: false });
  const store: RateLimitStore = {
    acquire: async (buckets: RateLimitBucket[], nowMs: number) => nowMs + buckets[0].intervalMs * buckets[0].burst + buckets[0].key.length,
    pause: () => {},
  };
  new NeonClient({ apiKey: "napi_x", rateLimit: { store, scope: "key-1" } });

  for await (const project of neon.paginate.listProjects({ limit: 100 })) {
    const id: string = project.id;
    void id;
  }
  const pages: NeonPages<{ id: string; name: string }> = neon.paginate.listProjectBranches({ projectId: "p", limit: 10 }, { signal });
  const page: NeonPage<{ id: string; name: string }> | undefined = await pages.page();
  const cursor: string | undefined = page?.nextCursor;
  const body: unknown = page?.body;
  const names: string[] = (await pages.all()).map((b) => b.name);
  const unavailable: string[] = pages.unavailableProjectIds;
  const first = await neon.paginate.listProjects().page();
  const perPage: string[] | undefined = first?.unavailableProjectIds;
  void [cursor, body, names, unavailable, perPage];

  const options: CallOptions = { wait: true, ifExists: "return", timeoutMs: 10_000, deadlineMs: 60_000, retry: { maxAttempts: 2 }, signal };
  const params: CreateProjectBranchParams = { projectId: "p", body: { branch: { name: "dev" } } };
  const fresh: CreatedBranchResponse = await neon.createProjectBranch(params, { wait: true, ifExists: "error" });
  const created = await neon.createProjectBranch(params, options);
  type _created = Assert<Equal<typeof created, NeonCreated<CreateProjectBranchParams, CreatedBranchResponse>>>;
  const again = await neon.createProjectBranch(params, { ifExists: "return", wait: true });
  if (again.existing) {
    const branch: Branch = again.branch;
    const running: Operation[] = again.operations;
    void [branch, running];
  } else {
    void again.endpoints;
  }
  const viaCall = await neon.call("createProjectBranch", params, { ifExists: "return" });
  type _viaCall = Assert<Equal<typeof viaCall, typeof created>>;
  void [fresh, viaCall];
  const init: WaitForOperationsInit = {
    projectId: "p",
    operations: created.operations,
    timeoutMs: 300_000,
    signal,
    onProgress: (p: WaitProgress) => console.log(p.polls, p.elapsedMs, p.operations.length),
  };
  const ops: NeonOperation[] = await neon.waitForOperations(init);
  const described = ops.map((o) => [o.id, o.action, o.status, o.project_id, o.error, o["failures_count"]]);
  await neon.waitForOperations({ projectId: "p", operationIds: ops.map((o) => o.id) });
  void described;
}

export async function mistakes(neon: NeonClient): Promise<void> {
  // @ts-expect-error: ifExists takes "return" or "error" only
  await neon.getProject({ projectId: "p" }, { ifExists: "yes" });
  // @ts-expect-error: getProject is not paginated
  neon.paginate.getProject;
  // @ts-expect-error: paginate checks the params too
  neon.paginate.listProjectBranches({ limit: 10 });
  // @ts-expect-error: waitForOperations needs the project
  await neon.waitForOperations({ operationIds: ["op"] });
  // @ts-expect-error: retry options are checked for misspellings
  new NeonClient({ apiKey: "x", retry: { attempts: 3 } });
  const found = await neon.createProjectBranch({ projectId: "p", body: { branch: { name: "dev" } } }, { ifExists: "return" });
  // @ts-expect-error: a resource found already there has no endpoints: check `existing` first
  void found.endpoints;
  // @ts-expect-error: a retry reason the client never reports
  const reason: RetryReason = "server_error";
  void reason;
}
