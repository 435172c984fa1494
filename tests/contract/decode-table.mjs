// The `operations!` table of tests/contract_decode.rs, derived from the generated Rust methods
// (src/management/generated/methods.rs): every operation whose typed method returns a body, with its
// client method and params type, and the operations whose method returns `()`. Checked
// against the pinned spec on the way: a spec operation has a body in its successful responses
// exactly when its generated method returns one (a mismatch is a generator bug, reported, not
// written into the table).
//   node tests/contract/decode-table.mjs           rewrites the table in tests/contract_decode.rs
//   node tests/contract/decode-table.mjs --check   exits 1 when that table is stale
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { specOperations } from "./spec.mjs";

const root = new URL("../../", import.meta.url);
const TEST_FILE = new URL("tests/contract_decode.rs", root);
const TABLE = /^operations! \{\n[\s\S]*?^\}\n/m;

/** Every generated method: its operationId, Rust name, params type and success type. */
function generatedMethods() {
  const methods = readFileSync(new URL("src/management/generated/methods.rs", root), "utf8");
  const pattern = /\(`(\w+)`; JS:[^\n]*\n(?:\s*\/\/\/[^\n]*\n|\s*#\[[^\n]*\n)*\s*pub async fn (\w+)\(&self, params: &(\w+), options: &CallOptions\) -> Result<(.+), Error> \{/g;
  const found = [...methods.matchAll(pattern)].map(([, id, name, params, returns]) => ({ id, name, params, returns }));
  const declared = methods.match(/pub async fn /g)?.length ?? 0;
  if (found.length !== declared) throw new Error(`read ${found.length} of the ${declared} methods of src/management/generated/methods.rs: the pattern above is stale`);
  return found;
}

/** The table as Rust source, or an error listing where the methods disagree with the spec. */
export function decodeTable() {
  const methods = generatedMethods();
  const spec = new Map(specOperations().map((op) => [op.id, op]));
  const disagree = methods
    .filter((m) => spec.has(m.id) && (spec.get(m.id).responseTypes.length > 0) !== (m.returns !== "()"))
    .map((m) => `${m.id}: the spec's 2xx responses carry ${spec.get(m.id).responseTypes.join(", ") || "no body"}, the method returns ${m.returns}`);
  if (disagree.length) throw new Error(`generated methods that disagree with the spec:\n${disagree.join("\n")}`);
  const decoded = methods.filter((m) => m.returns !== "()").map((m) => `        "${m.id}" => ${m.name}(${m.params}),`);
  const withoutBody = methods.filter((m) => m.returns === "()").map((m) => `        "${m.id}",`);
  return ["operations! {", "    decoded {", ...decoded, "    }", "    without_body {", ...withoutBody, "    }", "}", ""].join("\n");
}

/** Whether tests/contract_decode.rs holds the table `decodeTable()` derives today. */
export function tableIsCurrent() {
  return readFileSync(TEST_FILE, "utf8").match(TABLE)?.[0] === decodeTable();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--check")) {
    if (!tableIsCurrent()) {
      console.error("the table in tests/contract_decode.rs is stale: run `node tests/contract/decode-table.mjs`");
      process.exit(1);
    }
  } else {
    const text = readFileSync(TEST_FILE, "utf8");
    if (!TABLE.test(text)) throw new Error("no `operations! { ... }` block in tests/contract_decode.rs");
    const table = decodeTable();
    writeFileSync(TEST_FILE, text.replace(TABLE, () => table));
    console.log("tests/contract_decode.rs: table rewritten");
  }
}
