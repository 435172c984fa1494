//! Derives the `json_responses` target's operation table from the generated typed methods
//! (`src/management/generated/methods.rs`): each operation's id and the type its method
//! decodes a success body into, so a regenerated API is fuzzed without editing this crate.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let methods = Path::new(env!("CARGO_MANIFEST_DIR")).join("../src/management/generated/methods.rs");
    println!("cargo:rerun-if-changed={}", methods.display());
    let text = std::fs::read_to_string(&methods).unwrap_or_else(|e| panic!("reading {}: {e}", methods.display()));

    let mut table = String::from("/// `(operationId, decode a success body as that operation's typed method does)`.\n");
    table.push_str("pub const OPERATIONS: &[(&str, fn(&[u8]) -> Result<(), neon_edge::Error>)] = &[\n");
    let mut id: Option<&str> = None;
    let mut count = 0;
    for line in text.lines() {
        if let Some(rest) = line.split_once("(`").map(|(_, r)| r) {
            if let Some((op, _)) = rest.split_once("`; JS:") {
                id = Some(op);
            }
        }
        let line = line.trim();
        if !line.starts_with("pub async fn ") {
            continue;
        }
        let returns = line
            .split_once("-> Result<")
            .and_then(|(_, r)| r.rsplit_once(", Error> {"))
            .map(|(t, _)| t)
            .unwrap_or_else(|| panic!("no `Result<T, Error>` in `{line}`"));
        let op = id.take().unwrap_or_else(|| panic!("no operation id before `{line}`"));
        writeln!(table, "    ({op:?}, |body| neon_edge::response::decode::<{returns}>(body).map(drop)),").ok();
        count += 1;
    }
    assert!(count > 100, "read only {count} methods from {}: the pattern is stale", methods.display());
    table.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("operations.rs");
    std::fs::write(&out, table).unwrap_or_else(|e| panic!("writing {}: {e}", out.display()));
}
