// Type-checked (tsc --strict) by tests/js/types.test.mjs: the NeonClient class as users call it
// — constructor options, the generated methods, `request` and `call` — and what must not compile.
// Never run.
import {
  NeonClient,
  operationIds,
  paginatedOperationIds,
  type BranchOperations,
  type CallOptions,
  type CreatedBranchResponse,
  type GetProjectParams,
  type ListProjectsParams,
  type ListProjectsResponse,
  type NeonClientMethods,
  type NeonClientOptions,
  type OperationId,
  type ProjectResponse,
  type RawRequestInit,
} from "neon-edge";
import type { Assert, Equal } from "./assert.js";

// The generated methods resolve to the response types.
type _listProjects = Assert<Equal<ReturnType<NeonClient["listProjects"]>, Promise<ListProjectsResponse>>>;
type _listProjectsArgs = Assert<Equal<Parameters<NeonClient["listProjects"]>, [params?: ListProjectsParams, options?: CallOptions]>>;
type _getProject = Assert<Equal<Parameters<NeonClient["getProject"]>, [params: GetProjectParams, options?: CallOptions]>>;
type _deleteBranch = Assert<Equal<ReturnType<NeonClient["deleteProjectBranch"]>, Promise<BranchOperations | undefined>>>;
type _bytes = Assert<Equal<ReturnType<NeonClient["getProjectBranchBucketObject"]>, Promise<Uint8Array>>>;
type _empty = Assert<Equal<ReturnType<NeonClient["disableNeonAuth"]>, Promise<void>>>;

// Across every operation: params may be omitted exactly when none of its fields is required,
// and the options are always optional.
type ParamsOf<K extends OperationId> = Parameters<NeonClientMethods[K]>[0];
type Misdeclared = {
  [K in OperationId]: ({} extends NonNullable<ParamsOf<K>> ? true : false) extends (undefined extends ParamsOf<K> ? true : false)
    ? undefined extends Parameters<NeonClientMethods[K]>[1] ? never : K
    : K;
}[OperationId];
type _everyOptionalParameter = Assert<Equal<Misdeclared, never>>;
// `call` takes and returns what the method does, for every operation.
type CallOf<K extends OperationId> = (operationId: K, ...args: Parameters<NeonClientMethods[K]>) => ReturnType<NeonClientMethods[K]>;
type _call = Assert<Equal<typeof NeonClient.prototype.call<"getProject">, CallOf<"getProject">>>;

export async function usage(signal: AbortSignal, key: () => Promise<string>): Promise<void> {
  const options: NeonClientOptions = {
    apiKey: key,
    baseUrl: "http://127.0.0.1:1/api/v2",
    fetch: (request: Request) => fetch(request),
    timeoutMs: 5_000,
  };
  const neon = new NeonClient(options);
  new NeonClient({ apiKey: () => "napi_x" });
  const base: string = neon.baseUrl;

  const { projects } = await neon.listProjects({ limit: 10 });
  const all: ListProjectsResponse = await neon.listProjects();
  const project: ProjectResponse = await neon.getProject({ projectId: "p-1" }, { signal, timeoutMs: 5_000 });
  const branch: CreatedBranchResponse = await neon.createProjectBranch({ projectId: "p-1", body: { branch: { name: "dev" } } });

  // request: options may be omitted (the README's own call), method defaults to GET.
  const consumption: unknown = await neon.request({ method: "GET", path: "/consumption_history/projects" });
  await neon.request({ path: "/projects", query: { limit: 1, search: undefined, shared: false } });
  const init: RawRequestInit = { method: "POST", path: "/projects", body: { project: {} } };
  await neon.request(init, { signal, deadlineMs: 10_000, retry: false });

  // call: typed by the operationId, like the method it stands for.
  const listed: ListProjectsResponse = await neon.call("listProjects");
  const one: ProjectResponse = await neon.call("getProject", { projectId: "p-1" }, { timeoutMs: 1 });
  const dropped: BranchOperations | undefined = await neon.call("deleteProjectBranch", { projectId: "p", branchId: "b" });
  const id: OperationId = "getProject";
  const viaId = await neon.call(id, { projectId: "p-1" });
  type _viaId = Assert<Equal<typeof viaId, ProjectResponse>>;

  const ids: string[] = operationIds();
  const paginated: string[] = paginatedOperationIds();
  void [base, projects, all, project, branch, consumption, listed, one, dropped, ids, paginated];
}

export async function mistakes(neon: NeonClient): Promise<void> {
  // @ts-expect-error: apiKey is required (and spelled apiKey)
  new NeonClient({ apikey: "x" });
  // @ts-expect-error: constructor options are checked for misspellings
  new NeonClient({ apiKey: "x", timeoutMS: 1 });
  // @ts-expect-error: the constructor needs its options
  new NeonClient();
  // @ts-expect-error: projectId is required
  await neon.getProject({});
  // @ts-expect-error: getProject needs its params
  await neon.getProject();
  // @ts-expect-error: limit is a number
  await neon.listProjects({ limit: "10" });
  // @ts-expect-error: call options are checked for misspellings
  await neon.getProject({ projectId: "p" }, { timeoutMS: 1 });
  // @ts-expect-error: ... in every method
  await neon.listProjects({}, { waitFor: true });
  // @ts-expect-error: a wrong params shape for the operation called
  await neon.call("getProject", {});
  // @ts-expect-error: params of another operation
  await neon.call("listProjects", { projectId: "p" });
  // @ts-expect-error: call checks required params too
  await neon.call("getProject");
  // @ts-expect-error: call options are checked for misspellings
  await neon.call("getProject", { projectId: "p" }, { timeoutMS: 1 });
  // @ts-expect-error: an operationId the client does not know
  await neon.call("getProjects", { projectId: "p" });
  // @ts-expect-error: call resolves to the operation's response, not any type
  const wrong: ListProjectsResponse = await neon.call("getProject", { projectId: "p" });
  // @ts-expect-error: request needs a path
  await neon.request({ method: "GET" });
  // @ts-expect-error: a method the client does not send
  await neon.request({ method: "TRACE", path: "/projects" });
  // @ts-expect-error: request options are checked for misspellings
  await neon.request({ path: "/projects" }, { timeoutMS: 1 });
  // @ts-expect-error: query values are strings, numbers or booleans
  await neon.request({ path: "/projects", query: { ids: ["a", "b"] } });
  void wrong;
}
