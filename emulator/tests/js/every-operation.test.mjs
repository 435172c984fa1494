// Every operation of the pinned spec against the emulator, through `prism proxy`, which checks
// each request and answer against the spec. The flows per area (every-operation/areas/) call
// the operations the emulator serves as a user would, in order; whatever no flow calls is called
// with generated arguments and must be in NOT_YET_SERVED, answering the catch-all 404.
import { test } from "node:test";
import assert from "node:assert/strict";
import { exchangeProblems, isNeonNotFound, mask, startHarness } from "./every-operation/harness.mjs";
import * as account from "./every-operation/areas/account.mjs";
import * as projects from "./every-operation/areas/projects.mjs";
import * as branches from "./every-operation/areas/branches.mjs";
import * as rolesDatabases from "./every-operation/areas/roles-databases.mjs";
import * as endpoints from "./every-operation/areas/endpoints.mjs";
import * as snapshots from "./every-operation/areas/snapshots.mjs";
import * as dataApiAuth from "./every-operation/areas/data-api-auth.mjs";
import * as storage from "./every-operation/areas/storage.mjs";
import * as organizations from "./every-operation/areas/organizations.mjs";
import * as sharing from "./every-operation/areas/sharing.mjs";
import * as access from "./every-operation/areas/access.mjs";
import * as anonymization from "./every-operation/areas/anonymization.mjs";
import * as neonAuth from "./every-operation/areas/neon-auth.mjs";
import * as vpcFunctions from "./every-operation/areas/vpc-functions.mjs";
import * as cleanup from "./every-operation/areas/cleanup.mjs";

const AREAS = [account, projects, branches, rolesDatabases, endpoints, snapshots, dataApiAuth, storage, organizations, sharing, access, anonymization, neonAuth, vpcFunctions, cleanup];

/** Operations the emulator does not serve yet: each must answer 404 in Neon's error shape. */
const NOT_YET_SERVED = new Set([
]);

/** How one operation fared: `served` (a 2xx answer) and what was wrong. */
function judge(id, entry) {
  const own = entry.calls.flatMap((c) => c.log.filter((x) => x.op?.id === id));
  const problems = entry.calls.flatMap((c) => c.log.flatMap((x) => exchangeProblems(x.op, x)));
  const served = own.some((x) => x.status >= 200 && x.status < 300);
  if (own.length === 0) problems.push("no request reached the emulator");
  if (NOT_YET_SERVED.has(id)) {
    if (served) problems.push("served now: remove it from NOT_YET_SERVED");
    for (const x of own.filter((x) => !isNeonNotFound(x))) problems.push(`unserved, but answered ${x.status} instead of the catch-all 404: ${mask(x.body).slice(0, 200)}`);
  } else if (!served) {
    problems.push(`not served: ${own.map((x) => `${x.method} ${x.path} -> ${x.status} ${mask(x.body).slice(0, 200)}`).join("; ")}`);
  }
  return { served, problems };
}

test("every operation of the spec is served with answers the spec accepts", { timeout: 240_000 }, async () => {
  const h = await startHarness();
  const failures = [];
  try {
    for (const area of AREAS) {
      try {
        await area.run(h);
      } catch (e) {
        failures.push(`the ${area.name} flow stopped: ${mask(String(e.stack ?? e))}`);
      }
    }
    for (const id of h.operations.keys()) if (!h.results.has(id)) await h.callGeneric(id, h.ids);
  } finally {
    await h.stop();
  }
  let valid = 0;
  for (const [id, entry] of h.results) {
    const { served, problems } = judge(id, entry);
    if (served && problems.length === 0) valid++;
    if (problems.length) failures.push(`${id} (${entry.op.method} ${entry.op.path}):\n    ${problems.join("\n    ")}`);
  }
  console.log(`${valid}/${h.operations.size} operations served and valid`);
  console.log(`not yet served (${NOT_YET_SERVED.size}): ${[...NOT_YET_SERVED].join(", ")}`);
  assert.equal(failures.length, 0, failures.join("\n"));
  assert.equal(valid + NOT_YET_SERVED.size, h.operations.size);
});
