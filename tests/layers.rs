//! The layering of `src/`, checked on every `cargo test`: data flows one way, so
//!
//! - `core` imports nothing of `management`, `postgres` or `bindings`;
//! - `postgres` imports nothing of `management` (nor of `bindings`);
//! - `management` imports nothing of `postgres` or `bindings`;
//! - `workflows` sits above `management` and `postgres`: none of `core`, `management`,
//!   `postgres` or `bindings/shared` imports it, and it imports nothing of `bindings`;
//! - the Management client and its policies never call up into the layers above them
//!   (`invoke`, `if_exists`, `wait`, `paginate`);
//! - `bindings/shared` imports neither half's bindings nor either half of the core library,
//!   and its lowest module (`values`) builds no errors;
//! - nothing outside `bindings` names wasm-bindgen, js-sys or web-sys;
//! - no two modules import each other, directly or through others (a module being a file or
//!   folder of `core`, `management`, `management/policies`, `postgres` or a `bindings` half).
//!
//! Paths are read from the code (comments skipped), so a doc link does not count as an import.

use std::fs;
use std::path::{Path, PathBuf};

/// `(files under this prefix, crate paths they must not use, why)`.
const RULES: &[(&str, &[&str], &str)] = &[
    ("core/", &["crate::management", "crate::postgres", "crate::workflows", "crate::bindings"], "core is shared by both halves"),
    ("postgres/", &["crate::management", "crate::workflows", "crate::bindings"], "postgres is built on core alone"),
    ("management/", &["crate::postgres", "crate::workflows", "crate::bindings"], "management is built on core alone"),
    ("workflows/", &["crate::bindings"], "workflows know nothing of JS; their bindings sit above them"),
    (
        "management/client/",
        &["crate::management::invoke", "crate::management::if_exists", "crate::management::wait", "crate::management::paginate"],
        "the client sends one call; the layers that call it again sit above it",
    ),
    (
        "management/policies/",
        &["crate::management::client", "crate::management::invoke", "crate::management::if_exists", "crate::management::wait"],
        "the policies run one call and know nothing of the client",
    ),
    (
        "bindings/shared/",
        &[
            "crate::bindings::management",
            "crate::bindings::postgres",
            "crate::bindings::workflows",
            "crate::management",
            "crate::postgres",
            "crate::workflows",
        ],
        "the shared bindings serve both modules",
    ),
    ("bindings/shared/values.rs", &["super::errors", "crate::bindings::shared::errors"], "values sits below errors"),
];

/// What `check` finds in a throwaway `src/` holding `files` (path, code).
fn planted<T>(name: &str, files: &[(&str, &str)], check: fn(&Path) -> T) -> T {
    let dir = std::env::temp_dir().join(format!("neon-edge-{name}-{}", std::process::id()));
    for (rel, code) in files {
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().expect("a parent")).expect("a temp dir");
        fs::write(path, code).expect("a planted file");
    }
    let found = check(&dir);
    fs::remove_dir_all(&dir).ok();
    found
}

/// Crates only the bindings may name.
const JS_CRATES: &[&str] = &["wasm_bindgen", "js_sys", "web_sys"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of `text`, comment lines and trailing `//` comments dropped.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter_map(|(i, line)| {
        let code = match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        };
        (!code.trim().is_empty()).then_some((i + 1, code))
    })
}

/// Whether `code` names the path `path` (followed by `::`, `;`, `,`, `}`, ` ` or the end),
/// so that `crate::management` does not match `crate::managementx`.
fn names(code: &str, path: &str) -> bool {
    code.match_indices(path).any(|(at, _)| {
        let before_ok = at == 0 || !code.as_bytes()[at - 1].is_ascii_alphanumeric() && code.as_bytes()[at - 1] != b'_';
        let after = &code[at + path.len()..];
        before_ok && !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
    })
}

fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut found = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(src).expect("under src/").to_string_lossy().replace('\\', "/");
        let text = fs::read_to_string(file).expect("a source file is readable");
        for (line, code) in code_lines(&text) {
            for (prefix, banned, why) in RULES {
                for path in banned.iter().filter(|p| rel.starts_with(prefix) && names(code, p)) {
                    found.push(format!("src/{rel}:{line}: uses `{path}` ({why})"));
                }
            }
            if !rel.starts_with("bindings/") {
                for krate in JS_CRATES.iter().filter(|k| names(code, k)) {
                    found.push(format!("src/{rel}:{line}: names `{krate}` outside src/bindings/"));
                }
            }
        }
    }
    found
}

/// The module a file belongs to for the cycle check: `core::json` for `core/json/parse.rs`,
/// `bindings::shared::errors` for `bindings/shared/errors.rs`, `management::policies::retry`.
fn node_of(rel: &str) -> String {
    let path = rel.trim_end_matches(".rs");
    let parts: Vec<&str> = path.split('/').filter(|p| *p != "mod" && *p != "tests").collect();
    let depth = if parts.first() == Some(&"bindings") || parts.get(1) == Some(&"policies") { 3 } else { 2 };
    parts.iter().take(depth).copied().collect::<Vec<_>>().join("::")
}

/// The modules `code` (in the file at `rel`) imports, as nodes.
fn imports(rel: &str, code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let dir: Vec<&str> = {
        let mut parts: Vec<&str> = rel.trim_end_matches(".rs").split('/').collect();
        if parts.last() == Some(&"mod") {
            parts.pop();
        }
        parts.pop();
        parts
    };
    for (prefix, base) in [("crate::", Vec::new()), ("super::", dir)] {
        for (at, _) in code.match_indices(prefix) {
            if at > 0 && (code.as_bytes()[at - 1].is_ascii_alphanumeric() || code.as_bytes()[at - 1] == b'_') {
                continue;
            }
            let rest = &code[at + prefix.len()..];
            let path: Vec<&str> = rest
                .split("::")
                .map(|seg| seg.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or(""))
                .take_while(|seg| !seg.is_empty() && seg.starts_with(|c: char| c.is_ascii_lowercase()))
                .collect();
            let full: Vec<&str> = base.iter().copied().chain(path).collect();
            if !full.is_empty() {
                found.push(node_of(&(full.join("/") + ".rs")));
            }
        }
    }
    found
}

/// Cycles among the modules under `src`, each as the modules on it.
fn cycles(src: &Path) -> Vec<Vec<String>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut edges: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> = Default::default();
    for file in &files {
        let rel = file.strip_prefix(src).expect("under src/").to_string_lossy().replace('\\', "/");
        if rel.ends_with("tests.rs") || rel.contains("/generated/") || rel == "lib.rs" {
            continue;
        }
        let me = node_of(&rel);
        let text = fs::read_to_string(file).expect("a source file is readable");
        let code = match text.find("#[cfg(test)]\nmod tests {") {
            Some(at) => &text[..at],
            None => &text[..],
        };
        for (_, line) in code_lines(code) {
            for node in imports(&rel, line) {
                let related = node == me || node.starts_with(&(me.clone() + "::")) || me.starts_with(&(node.clone() + "::"));
                if !related {
                    edges.entry(me.clone()).or_default().insert(node);
                }
            }
        }
    }
    // A cycle is an edge a -> b with a path back from b to a.
    let reaches = |from: &str, to: &str| {
        let mut seen = std::collections::BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n.clone()) {
                stack.extend(edges.get(&n).into_iter().flatten().cloned());
            }
        }
        false
    };
    let mut found = std::collections::BTreeSet::new();
    for (a, targets) in &edges {
        for b in targets.iter().filter(|b| reaches(b, a)) {
            let mut pair = vec![a.clone(), b.clone()];
            pair.sort();
            found.insert(pair);
        }
    }
    found.into_iter().collect()
}

#[test]
fn no_two_modules_import_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = cycles(&src);
    assert!(found.is_empty(), "module cycles (each pair imports the other, directly or through others): {found:?}");
}

#[test]
fn the_cycle_check_finds_a_planted_cycle() {
    let found = planted(
        "cycles",
        &[
            ("core/a.rs", "use crate::core::b::B;\n"),
            ("core/b.rs", "use super::c::C;\n"),
            ("core/c.rs", "pub fn f() { crate::core::a::g(); }\n"),
            ("core/d.rs", "use crate::core::a::A; // d only depends on the cycle\n"),
            ("core/json/mod.rs", "mod parse;\nuse parse::P;\n"),
            ("core/json/parse.rs", "use super::Json; use crate::core::json::MAX;\n"),
        ],
        cycles,
    );
    let flat: Vec<String> = found.iter().map(|c| c.join(" <-> ")).collect();
    assert!(flat.iter().any(|c| c.contains("core::a") && c.contains("core::b")), "{flat:?}");
    assert!(flat.iter().all(|c| !c.contains("core::d") && !c.contains("core::json")), "{flat:?}");
}

#[test]
fn data_flows_one_way_through_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&src);
    assert!(found.is_empty(), "layering broken:\n{}", found.join("\n"));
}

#[test]
fn the_check_finds_a_planted_violation_of_each_kind() {
    let found = planted(
        "layers",
        &[
            ("core/a.rs", "use crate::management::client::NeonClient;\n/// crate::postgres in a comment is fine\n"),
            ("postgres/b.rs", "fn f() { crate::management::api::operation(\"x\"); }\n"),
            ("management/client/mod.rs", "use crate::management::wait::wait_for_response;\n"),
            ("management/c.rs", "use wasm_bindgen::prelude::*;\n"),
            ("bindings/shared/values.rs", "use super::errors::client_error;\n"),
            ("bindings/ok.rs", "use wasm_bindgen::JsValue; use crate::management::api;\n"),
            ("core/d.rs", "use crate::management_extra; // not the management module\n"),
            ("management/e.rs", "fn f(c: &NeonClient) { crate::workflows::projects::create(c); }\n"),
            ("workflows/f.rs", "use crate::bindings::shared::errors::to_js;\n"),
            ("workflows/ok.rs", "use crate::management::client::NeonClient; use crate::postgres::sql;\n"),
        ],
        violations,
    );
    let expected = [
        "src/bindings/shared/values.rs:1: uses `super::errors`",
        "src/core/a.rs:1: uses `crate::management`",
        "src/management/c.rs:1: names `wasm_bindgen`",
        "src/management/client/mod.rs:1: uses `crate::management::wait`",
        "src/management/e.rs:1: uses `crate::workflows`",
        "src/postgres/b.rs:1: uses `crate::management`",
        "src/workflows/f.rs:1: uses `crate::bindings`",
    ];
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for (line, want) in found.iter().zip(expected) {
        assert!(line.starts_with(want), "{line} should start with {want}");
    }
}
