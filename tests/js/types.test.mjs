// The package's TypeScript surface, compiled by the TypeScript compiler under `--strict` in one
// program (tests/types/tsconfig.json): the built package's own declaration files (pkg/, every
// .d.ts, checked as files, not skipped), the fixtures in tests/types/ (every hand-written
// declaration as users call it, with `@ts-expect-error` lines for what must not compile) and
// every TypeScript / JavaScript / HTML snippet of README.md, compiled as a module of its own.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const pkg = join(root, "pkg");
const fixtures = join(root, "tests", "types");

/**
 * The fenced ```ts, ```js and ```html blocks of a markdown file (an html block contributes its
 * `<script type="module">`), each with the file line its code starts on and its section.
 */
function snippets(markdown) {
  const lines = readFileSync(join(root, markdown), "utf8").split("\n");
  const found = [];
  let section = "";
  for (let i = 0; i < lines.length; i++) {
    if (/^#{1,6} /.test(lines[i])) section = lines[i].replace(/^#+ /, "");
    const lang = lines[i].match(/^```(ts|js|html)\s*$/)?.[1];
    if (!lang) continue;
    const start = i + 1;
    while (i + 1 < lines.length && !lines[i + 1].startsWith("```")) i++;
    let body = lines.slice(start, i + 1);
    let first = start + 1; // 1-based line of body[0]
    i++; // the closing fence
    if (lang === "html") {
      const open = body.findIndex((l) => /<script type="module">/.test(l));
      const close = body.findIndex((l) => /<\/script>/.test(l));
      assert.ok(open >= 0 && close > open, `${markdown}:${first}: an html snippet without a module script`);
      first += open + 1;
      body = body.slice(open + 1, close);
    }
    // Virtual files next to the markdown file, so "neon-edge" resolves through node_modules.
    const file = join(root, `${markdown}.L${first}.${lang === "ts" ? "mts" : "mjs"}`);
    found.push({ markdown, section, lang, first, file, text: body.join("\n") + "\n" });
  }
  return found;
}

const readme = snippets("README.md");

/** One program: the tsconfig's files (fixtures, pkg declarations) and the README snippets. */
function compile() {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(fixtures, "tsconfig.json"), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")),
  });
  const virtual = new Map(readme.map((s) => [s.file, s.text]));
  const host = ts.createCompilerHost(parsed.options);
  const { fileExists, readFile } = host;
  host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f);
  host.readFile = (f) => virtual.get(f) ?? readFile.call(host, f);
  const program = ts.createProgram({ rootNames: [...parsed.fileNames, ...virtual.keys()], options: parsed.options, host });
  return { parsed, program };
}

const built = existsSync(join(pkg, "neon_edge.d.ts")) && existsSync(join(pkg, "neon_edge_postgres.d.ts"));
const { parsed, program } = built ? compile() : {};

const format = ({ file, line, column, code, message }) => `${relative(root, file)}(${line},${column}): error TS${code}: ${message}`;

/** The compiler's diagnostics for these files (and the program's global ones), as text. */
function errors(files, describe = format) {
  assert.ok(built, "pkg/ has no declarations: run `npm run build` first");
  const list = [
    ...parsed.errors,
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...files.flatMap((f) => {
      const source = program.getSourceFile(f);
      assert.ok(source, `${relative(root, f)} is not in the program`);
      return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    }),
  ];
  return list.map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!d.file) return `error TS${d.code}: ${message}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return describe({ file: d.file.fileName, line: line + 1, column: character + 1, code: d.code, message });
  });
}

test("the program is strict and skips no declaration file", () => {
  assert.ok(built, "pkg/ has no declarations: run `npm run build` first");
  assert.equal(parsed.options.strict, true);
  assert.notEqual(parsed.options.skipLibCheck, true);
  assert.notEqual(parsed.options.skipDefaultLibCheck, true);
});

test("the built package's own .d.ts files (neon-edge, neon-edge/postgres, neon-edge/claimable-neon, neon-edge/node, neon-edge/vite) type-check as files", () => {
  assert.ok(built, "pkg/ has no declarations: run `npm run build` first");
  const declarations = parsed.fileNames.filter((f) => f.startsWith(pkg + "/"));
  for (const entry of ["index.d.ts", "errors.d.ts", "neon_edge.d.ts", "neon_edge_postgres.d.ts", "postgres/index.d.ts", "neon_edge_claimable_neon.d.ts", "claimable-neon/index.d.ts", "js/node.d.ts", "js/vite.d.ts"]) {
    assert.ok(declarations.includes(join(pkg, entry)), `pkg/${entry} is not checked`);
  }
  assert.deepEqual(errors(declarations), []);
});

const fixtureFiles = readdirSync(fixtures).filter((f) => f.endsWith(".ts")).sort();

for (const name of fixtureFiles) {
  test(`tests/types/${name} compiles under --strict (its @ts-expect-error lines are errors)`, () => {
    assert.deepEqual(errors([join(fixtures, name)]), []);
  });
}

/** `dir`'s files (recursively) whose names end in `.d.ts`. */
function declarationsUnder(dir) {
  return readdirSync(join(root, dir), { recursive: true })
    .filter((f) => f.endsWith(".d.ts"))
    .map((f) => join(root, dir, f));
}

/**
 * What the hand-written declaration files declare: every exported name, and the members of the
 * classes (the errors) and of the `NeonClient` / `NeonSql` interfaces that merge with the
 * wasm-bindgen classes, as `Class.member`.
 */
function handWrittenDeclarations() {
  const files = [...declarationsUnder("src/bindings"), ...declarationsUnder("pkg-template"), ...declarationsUnder("js")];
  const names = new Set();
  const visit = (statements) => {
    for (const node of statements) {
      if (ts.isModuleDeclaration(node) && node.body && ts.isModuleBlock(node.body)) visit(node.body.statements);
      if (!node.name || !ts.isIdentifier(node.name)) continue;
      const name = node.name.text;
      names.add(name);
      const merges = ts.isInterfaceDeclaration(node) && (name === "NeonClient" || name === "NeonSql");
      if (ts.isClassDeclaration(node) || merges) {
        for (const member of node.members) if (member.name && ts.isIdentifier(member.name)) names.add(`${name}.${member.name.text}`);
      }
    }
  };
  for (const f of files) visit(ts.createSourceFile(f, readFileSync(f, "utf8"), ts.ScriptTarget.ES2022, true).statements);
  return names;
}

/** The package's declarations the fixtures use (imports alone do not count), named as above. */
function usedByFixtures() {
  const checker = program.getTypeChecker();
  const used = new Set();
  const visit = (node) => {
    if (ts.isIdentifier(node) && !ts.isImportSpecifier(node.parent)) {
      let symbol = checker.getSymbolAtLocation(node);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      for (const decl of symbol?.declarations ?? []) {
        if (!decl.getSourceFile().fileName.startsWith(pkg + "/")) continue;
        const owner = decl.parent;
        const member = owner && (ts.isClassDeclaration(owner) || ts.isInterfaceDeclaration(owner)) && owner.name;
        used.add(member ? `${owner.name.text}.${symbol.name}` : symbol.name);
      }
    }
    ts.forEachChild(node, visit);
  };
  for (const name of fixtureFiles) visit(program.getSourceFile(join(fixtures, name)));
  return used;
}

test("the fixtures use every hand-written declaration (src/bindings/**/*.d.ts, pkg-template/, js/)", () => {
  assert.ok(built, "pkg/ has no declarations: run `npm run build` first");
  const used = usedByFixtures();
  const unused = [...handWrittenDeclarations()].filter((name) => !used.has(name)).sort();
  assert.deepEqual(unused, [], "declarations no fixture in tests/types/ uses");
});

for (const s of readme) {
  test(`README.md:${s.first} (${s.lang}, "${s.section}") compiles under --strict`, () => {
    const at = ({ line, column, code, message }) => `README.md:${s.first + line - 1}:${column}: error TS${code}: ${message}`;
    assert.deepEqual(errors([s.file], at), []);
  });
}

test("README.md has TypeScript snippets in Install, Per runtime and the Claimable section", () => {
  const sections = new Set(readme.map((s) => s.section));
  for (const section of ["Install", "Per runtime", "Claimable Postgres, SQL over HTTP and the CLI"]) {
    assert.ok(sections.has(section), `no ts/js/html snippet found under "${section}"`);
  }
});
