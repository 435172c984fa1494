//! The layering of `src/`, checked on every `cargo test`: data flows one way, so
//!
//! - `core` imports nothing of `management`, `postgres` or `bindings`;
//! - `postgres` imports nothing of `management` (nor of `bindings`);
//! - `management` imports nothing of `postgres` or `bindings`;
//! - the Management client and its policies never call up into the layers above them
//!   (`invoke`, `if_exists`, `wait`, `paginate`);
//! - `bindings/shared` imports neither half's bindings nor either half of the core library,
//!   and its lowest module (`values`) builds no errors;
//! - nothing outside `bindings` names wasm-bindgen, js-sys or web-sys.
//!
//! Paths are read from the code (comments skipped), so a doc link does not count as an import.

use std::fs;
use std::path::{Path, PathBuf};

/// `(files under this prefix, crate paths they must not use, why)`.
const RULES: &[(&str, &[&str], &str)] = &[
    ("core/", &["crate::management", "crate::postgres", "crate::bindings"], "core is shared by both halves"),
    ("postgres/", &["crate::management", "crate::bindings"], "postgres is built on core alone"),
    ("management/", &["crate::postgres", "crate::bindings"], "management is built on core alone"),
    (
        "management/client.rs",
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
        &["crate::bindings::management", "crate::bindings::postgres", "crate::management", "crate::postgres"],
        "the shared bindings serve both modules",
    ),
    ("bindings/shared/values.rs", &["super::errors", "crate::bindings::shared::errors"], "values sits below errors"),
];

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

#[test]
fn data_flows_one_way_through_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&src);
    assert!(found.is_empty(), "layering broken:\n{}", found.join("\n"));
}

#[test]
fn the_check_finds_a_planted_violation_of_each_kind() {
    let dir = std::env::temp_dir().join(format!("neon-edge-layers-{}", std::process::id()));
    let plant = |rel: &str, code: &str| {
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().expect("a parent")).expect("a temp dir");
        fs::write(path, code).expect("a planted file");
    };
    plant("core/a.rs", "use crate::management::client::NeonClient;\n/// crate::postgres in a comment is fine\n");
    plant("postgres/b.rs", "fn f() { crate::management::api::operation(\"x\"); }\n");
    plant("management/client.rs", "use crate::management::wait::wait_for_response;\n");
    plant("management/c.rs", "use wasm_bindgen::prelude::*;\n");
    plant("bindings/shared/values.rs", "use super::errors::client_error;\n");
    plant("bindings/ok.rs", "use wasm_bindgen::JsValue; use crate::management::api;\n");
    plant("core/d.rs", "use crate::management_extra; // not the management module\n");
    let found = violations(&dir);
    fs::remove_dir_all(&dir).ok();
    let expected = [
        "src/bindings/shared/values.rs:1: uses `super::errors`",
        "src/core/a.rs:1: uses `crate::management`",
        "src/management/c.rs:1: names `wasm_bindgen`",
        "src/management/client.rs:1: uses `crate::management::wait`",
        "src/postgres/b.rs:1: uses `crate::management`",
    ];
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for (line, want) in found.iter().zip(expected) {
        assert!(line.starts_with(want), "{line} should start with {want}");
    }
}
