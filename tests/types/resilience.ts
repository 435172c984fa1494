// Type-checked (tsc --strict) by tests/js/types.test.mjs: the resilience options,
// listings and operation waits as users write them. Never run.
import {
  NeonClient,
  type NeonOperation,
  type NeonPage,
  type RateLimitBucket,
  type RateLimitStore,
  type RetryEvent,
  type WaitProgress,
} from "neon-edge";

export async function demo(signal: AbortSignal): Promise<void> {
  const events: RetryEvent[] = [];
  const neon = new NeonClient({
    apiKey: "napi_x",
    retry: { maxAttempts: 5, maxElapsedMs: 30_000, onRetry: (e) => events.push(e) },
    rateLimit: { perMinute: 700, perRoutePerSecond: 40 },
  });
  new NeonClient({ apiKey: "napi_x", retry: false, rateLimit: false });
  const store: RateLimitStore = {
    acquire: async (buckets: RateLimitBucket[], nowMs: number) => nowMs + buckets[0].intervalMs * 0,
    pause: () => {},
  };
  new NeonClient({ apiKey: "napi_x", rateLimit: { store, scope: "key-1" } });

  for await (const project of neon.paginate.listProjects({ limit: 100 })) {
    const id: string = project.id;
    void id;
  }
  const pages = neon.paginate.listProjectBranches({ projectId: "p", limit: 10 }, { signal });
  const page: NeonPage<{ id: string; name: string }> | undefined = await pages.page();
  const names: string[] = (await pages.all()).map((b) => b.name);
  const unavailable: string[] = pages.unavailableProjectIds;
  void page, names, unavailable;

  const created = await neon.createProjectBranch(
    { projectId: "p", body: { branch: { name: "dev" } } },
    { wait: true, ifExists: "return", timeoutMs: 10_000, deadlineMs: 60_000, retry: { maxAttempts: 2 } },
  );
  const ops: NeonOperation[] = await neon.waitForOperations({
    projectId: "p",
    operations: created.operations,
    timeoutMs: 300_000,
    signal,
    onProgress: (p: WaitProgress) => console.log(p.polls, p.elapsedMs, p.operations.length),
  });
  await neon.waitForOperations({ projectId: "p", operationIds: ops.map((o) => o.id) });

  // @ts-expect-error: ifExists takes "return" or "error" only
  await neon.getProject({ projectId: "p" }, { ifExists: "yes" });
  // @ts-expect-error: getProject is not paginated
  neon.paginate.getProject;
}
