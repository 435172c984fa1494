// Every TypeScript example type-checks as `tsc -p <dir>` would, against the built package's
// own .d.ts files (pkg/, through node_modules/neon-edge): each examples/**/tsconfig.json is one
// program that must be strict, emit nothing, skip no declaration file and report no error, and
// every .ts file under examples/ must be in one of them. A new TypeScript example joins by
// having a tsconfig.json (e.g. one extending examples/shared/tsconfig.base.json).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const examples = join(root, "examples");
const pkg = join(root, "pkg");
const built = existsSync(join(pkg, "index.d.ts"));

const files = readdirSync(examples, { recursive: true })
  .filter((f) => !f.split("/").includes("node_modules"))
  .map((f) => join(examples, f));
const configs = files.filter((f) => f.endsWith("/tsconfig.json")).sort();
const typescriptFiles = files.filter((f) => /\.(ts|mts|cts|tsx)$/.test(f));

/** tsc's options and files for a tsconfig.json, and its errors reading it. */
function parse(config) {
  return ts.getParsedCommandLineOfConfigFile(config, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")),
  });
}

/** Every error tsc reports for the program, as `file(line,col): error TSn: message`. */
function errors(program, configErrors = []) {
  return [...configErrors, ...ts.getPreEmitDiagnostics(program)].map((d) => {
    const message = `error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    if (!d.file) return message;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${relative(root, d.file.fileName)}(${line + 1},${character + 1}): ${message}`;
  });
}

/** Checks the options are strict and complete, compiles, and returns the files it checked. */
function check(parsed, rootNames) {
  assert.ok(built, "pkg/ has no declarations: run `npm run build` first");
  assert.equal(parsed.options.strict, true, "strict");
  assert.equal(parsed.options.noEmit, true, "noEmit");
  assert.notEqual(parsed.options.skipLibCheck, true, "skipLibCheck");
  assert.notEqual(parsed.options.skipDefaultLibCheck, true, "skipDefaultLibCheck");
  const program = ts.createProgram({ rootNames, options: parsed.options, projectReferences: parsed.projectReferences });
  assert.deepEqual(errors(program, parsed.errors), []);
  const checked = program.getSourceFiles().map((s) => s.fileName);
  assert.ok(checked.some((f) => f.startsWith(pkg + "/")), "the program never reaches neon-edge's declarations");
  return checked;
}

const covered = new Set();

for (const config of configs) {
  test(`${relative(root, config)}: strict, no errors against the shipped .d.ts`, () => {
    const parsed = parse(config);
    for (const f of check(parsed, parsed.fileNames)) covered.add(f);
  });
}

test("every TypeScript file under examples/ is in a checked tsconfig.json", () => {
  assert.ok(configs.length >= 4, `tsconfig.json files found: ${configs.map((c) => relative(root, c))}`);
  const unchecked = typescriptFiles.filter((f) => !covered.has(f)).map((f) => relative(root, f));
  assert.deepEqual(unchecked, [], "add a tsconfig.json that includes them (it may extend examples/shared/tsconfig.base.json)");
});
