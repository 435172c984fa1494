// Branch storage and the AI gateway: buckets, objects uploaded and downloaded through presigned
// URLs, listings by prefix and folder, deletes.
import assert from "node:assert/strict";

export const name = "storage";

export async function run({ call, ids }) {
  const at = { projectId: ids.projectId, branchId: ids.branchId };
  const storage = await call("getProjectBranchStorage", at);
  assert.equal(storage.enabled, true);
  const gateway = await call("getProjectBranchAiGateway", at);
  assert.equal(gateway.enabled, true);
  await call("createProjectBranchBucket", { ...at, body: { name: "media", access_level: "private" } });
  const buckets = await call("listProjectBranchBuckets", at);
  assert.deepEqual(buckets.buckets.map((b) => b.name), ["media"]);
  const bucket = { ...at, bucketName: "media" };
  for (const key of ["docs/a.txt", "docs/b.txt", "top.txt"]) {
    const up = await call("presignProjectBranchBucketObject", { ...bucket, objectKey: key, body: { operation: "upload", content_type: "text/plain" } });
    assert.equal(up.method, "PUT");
    const put = await fetch(up.url, { method: "PUT", headers: up.headers, body: `contents of ${key}` });
    assert.equal(put.status, 200);
  }
  const listed = await call("listProjectBranchBucketObjects", { ...bucket, delimiter: "/" });
  assert.deepEqual(listed.folders, ["docs/"]);
  assert.deepEqual(listed.objects.map((o) => o.key), ["top.txt"]);
  const page = await call("listProjectBranchBucketObjects", { ...bucket, prefix: "docs/", limit: 1 });
  assert.equal(page.is_truncated, true);
  const down = await call("getProjectBranchBucketObject", { ...bucket, objectKey: "top.txt" });
  assert.equal(new TextDecoder().decode(down instanceof Uint8Array ? down : new Uint8Array(await new Response(down).arrayBuffer())), "contents of top.txt");
  await call("deleteProjectBranchBucketObject", { ...bucket, objectKey: "top.txt" });
  const removed = await call("deleteProjectBranchBucketObjectsByPrefix", { ...bucket, prefix: "docs/" });
  assert.equal(removed.deleted, 2);
  await call("deleteProjectBranchBucket", bucket);
}
