// neon-edge's paginators walk the emulator's listings: `{cursor}` pages (projects, operations),
// `{next, sort_by, sort_order}` pages (branches, sorted and searched) and `next_cursor` pages
// (bucket objects, walked by hand).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { NeonClient } from "neon-edge";
import { startEmulator } from "./emulator.mjs";

let emu;
let neon;
let project;

before(async () => {
  emu = await startEmulator(["--op-duration-ms", "10"]);
  neon = new NeonClient({ apiKey: "pagination-key", baseUrl: `${emu.baseUrl}/api/v2`, rateLimit: false });
  project = await neon.createProject({ body: { project: { name: "paged" } } }, { wait: true });
  for (const name of ["delta", "alpha", "echo", "charlie", "bravo"]) {
    await neon.createProjectBranch({ projectId: project.project.id, body: { branch: { name } } }, { wait: true });
  }
});
after(async () => { await emu?.stop(); });

test("branches come sorted by name, a page of the asked size at a time", async () => {
  const pages = neon.paginate.listProjectBranches({ projectId: project.project.id, limit: 2, sort_by: "name", sort_order: "asc" });
  const first = await pages.page();
  assert.deepEqual(first.items.map((b) => b.name), ["alpha", "bravo"]);
  assert.equal(first.body.pagination.sort_by, "name");
  assert.equal(first.body.pagination.sort_order, "ASC");
  assert.ok(first.nextCursor);
  const rest = await pages.all();
  assert.deepEqual(rest.map((b) => b.name), ["charlie", "delta", "echo", "main"]);
  const desc = await neon.paginate.listProjectBranches({ projectId: project.project.id, limit: 4, sort_by: "name", sort_order: "desc" }).all();
  assert.deepEqual(desc.map((b) => b.name), ["main", "echo", "delta", "charlie", "bravo", "alpha"]);
  const one = await neon.listProjectBranches({ projectId: project.project.id, limit: 1, sort_by: "name", sort_order: "asc" });
  assert.deepEqual(one.branches.map((b) => b.name), ["alpha"]);
  // Search matches a branch's name or its id, as Neon's does; ids are random, so the main
  // branch's may contain "ha" too.
  const every = await neon.paginate.listProjectBranches({ projectId: project.project.id, limit: 100 }).all();
  const matching = every.filter((b) => b.name.includes("ha") || b.id.includes("ha")).map((b) => b.name).sort();
  assert.ok(matching.includes("alpha") && matching.includes("charlie"));
  const searched = await neon.paginate.listProjectBranches({ projectId: project.project.id, search: "ha", limit: 1 }).all();
  assert.deepEqual(searched.map((b) => b.name).sort(), matching);
});

test("a bad sort or cursor is a 400 naming the parameter", async () => {
  await assert.rejects(neon.listProjectBranches({ projectId: project.project.id, sort_by: "size" }), (e) => e.status === 400 && /sort_by/.test(e.message));
  await assert.rejects(neon.listProjectBranches({ projectId: project.project.id, cursor: "nowhere" }), (e) => e.status === 400 && /cursor/.test(e.message));
});

test("projects and operations page with a cursor", async () => {
  for (const name of ["p2", "p3", "p4"]) await neon.createProject({ body: { project: { name } } });
  const projects = await neon.paginate.listProjects({ limit: 2 }).all();
  assert.deepEqual(projects.map((p) => p.name).sort(), ["p2", "p3", "p4", "paged"]);
  const operations = await neon.paginate.listProjectOperations({ projectId: project.project.id, limit: 3 }).all();
  const listed = await neon.listProjectOperations({ projectId: project.project.id, limit: 1000 });
  assert.equal(operations.length, listed.operations.length);
  assert.equal(new Set(operations.map((o) => o.id)).size, operations.length);
});

// neon-edge's paginator reads cursors from `pagination` only, so these pages are walked by hand.
test("bucket objects page with next_cursor", async () => {
  const at = { projectId: project.project.id, branchId: project.branch.id };
  await neon.createProjectBranchBucket({ ...at, body: { name: "files" } });
  for (const key of ["a", "b", "c", "d", "e"]) {
    const up = await neon.presignProjectBranchBucketObject({ ...at, bucketName: "files", objectKey: key, body: { operation: "upload" } });
    assert.equal((await fetch(up.url, { method: up.method, body: key })).status, 200);
  }
  const pages = [];
  let cursor;
  do {
    const page = await neon.listProjectBranchBucketObjects({ ...at, bucketName: "files", limit: 2, cursor });
    pages.push(page.objects.map((o) => o.key));
    cursor = page.next_cursor;
    assert.equal(page.is_truncated, cursor !== undefined);
  } while (cursor);
  assert.deepEqual(pages, [["a", "b"], ["c", "d"], ["e"]]);
});
