// Anonymized branches: masking rules rewrite the copied rows; the parent keeps its data.
import assert from "node:assert/strict";

export const name = "anonymization";


export async function run({ call, ids, sql }) {
  const projectId = ids.projectId;
  const parent = await call("getConnectionURI", { projectId, branch_id: ids.branchId, database_name: ids.databaseName, role_name: ids.roleName });
  await sql(parent.uri, "CREATE TABLE people (id int PRIMARY KEY, name text, email text)");
  await sql(parent.uri, "INSERT INTO people VALUES (1, 'Ann', 'ann@corp.test'), (2, 'Bob', 'bob@corp.test')");
  const rule = { database_name: ids.databaseName, schema_name: "public", table_name: "people" };
  const created = await call("createProjectBranchAnonymized", {
    projectId,
    body: {
      branch_create: { branch: { name: "anonymized", parent_id: ids.branchId }, endpoints: [{ type: "read_write" }] },
      masking_rules: [{ ...rule, column_name: "email", masking_function: "anon.fake_email()" }],
    },
  });
  const at = { projectId, branchId: created.branch.id };
  const initial = await call("getMaskingRules", at);
  assert.equal(initial.masking_rules.length, 1);
  const updated = await call("updateMaskingRules", { ...at, body: { masking_rules: [...initial.masking_rules, { ...rule, column_name: "name", masking_value: "REDACTED" }] } });
  assert.equal(updated.masking_rules.length, 2);
  const run = await call("startAnonymization", at);
  assert.equal(run.state, "anonymized");
  const status = await call("getAnonymizedBranchStatus", at);
  assert.equal(status.last_run.masked_columns, 2);
  const masked = await sql(created.connection_uris[0].connection_uri, "SELECT name, email FROM people ORDER BY id");
  assert.ok(masked.every((r) => r.name === "REDACTED" && r.email.endsWith("@example.com")), JSON.stringify(masked));
  const original = await sql(parent.uri, "SELECT name, email FROM people ORDER BY id");
  assert.deepEqual(original, [{ name: "Ann", email: "ann@corp.test" }, { name: "Bob", email: "bob@corp.test" }]);
}
