// Prints the `get_operations!` table of tests/contract_decode.rs from the generated Rust code:
// one line per GET operation, its operationId, client method and params type.
//   node tests/contract/decode-table.mjs
import { readFileSync } from "node:fs";

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const gets = new Set([...read("src/generated/operations.rs").matchAll(/id: "(\w+)",\n\s+method: Method::Get,/g)].map((m) => m[1]));
const methods = read("src/generated/methods.rs");
const rows = [];
for (const m of methods.matchAll(/\(`(\w+)`; JS:[^\n]*\n(?:\s*\/\/\/[^\n]*\n|\s*#\[[^\n]*\n)*\s*pub async fn (\w+)\(&self, params: &(\w+),/g)) {
  if (gets.has(m[1])) rows.push(`    "${m[1]}" => ${m[2]}(${m[3]}),`);
}
if (rows.length !== gets.size) throw new Error(`found ${rows.length} methods for ${gets.size} GET operations`);
console.log(rows.join("\n"));
