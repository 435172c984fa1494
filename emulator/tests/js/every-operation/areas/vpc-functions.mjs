// VPC endpoints (assigned to the organization, then restricting a project) and functions with
// their deployments.
import assert from "node:assert/strict";

export const name = "vpc and functions";

export async function run({ call, ids }) {
  const projectId = ids.projectId;
  const project = await call("getProject", { projectId });
  const org = { orgId: project.project.org_id, regionId: project.project.region_id };
  const vpcEndpointId = "vpce-0123456789abcdef0";
  await call("assignOrganizationVPCEndpoint", { ...org, vpcEndpointId, body: { label: "office" } });
  assert.deepEqual((await call("listOrganizationVPCEndpoints", org)).endpoints, [{ vpc_endpoint_id: vpcEndpointId, label: "office" }]);
  assert.equal((await call("listOrganizationVPCEndpointsAllRegions", { orgId: org.orgId })).endpoints[0].region_id, org.regionId);
  await call("assignProjectVPCEndpoint", { projectId, vpcEndpointId, body: { label: "office only" } });
  assert.deepEqual((await call("listProjectVPCEndpoints", { projectId })).endpoints.map((e) => e.vpc_endpoint_id), [vpcEndpointId]);
  const details = await call("getOrganizationVPCEndpointDetails", { ...org, vpcEndpointId });
  assert.deepEqual(details.example_restricted_projects, [projectId]);
  await assert.rejects(call("deleteOrganizationVPCEndpoint", { ...org, vpcEndpointId }), (e) => e.status === 400);
  await call("deleteProjectVPCEndpoint", { projectId, vpcEndpointId });
  await call("deleteOrganizationVPCEndpoint", { ...org, vpcEndpointId });

  const at = { projectId, branchId: ids.branchId, slug: "hello" };
  const first = await call("createProjectBranchFunctionDeployment", { ...at, body: { zip: new TextEncoder().encode("PK fake archive"), runtime: "nodejs24", environment: '{"GREETING":"hi"}' } });
  assert.equal(first.deployment.id, 1);
  const second = await call("createProjectBranchFunctionDeployment", { ...at, body: { environment: "GREETING=hello\nTARGET=world" } });
  assert.deepEqual(second.deployment.environment, ["GREETING", "TARGET"]);
  const listed = await call("listProjectBranchFunctions", { projectId, branchId: ids.branchId, limit: 10 });
  assert.deepEqual(listed.functions.map((f) => f.slug), ["hello"]);
  assert.equal((await call("getProjectBranchFunction", at)).function.active_deployment.id, 2);
  assert.equal((await call("updateProjectBranchFunction", { ...at, body: { name: "Hello" } })).function.name, "Hello");
  await call("deleteProjectBranchFunction", at);
}
