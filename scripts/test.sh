#!/usr/bin/env bash
# Runs every test: native Rust (library, emulator, generator; the native transport on tokio;
# the packaged crate; the Rust examples' builds), the wasm tests in Node and
# headless Chromium, the built npm package in Node, workerd and the Vercel edge runtime, the
# emulator's fidelity with Neon's own clients, and the contract tests against the OpenAPI spec.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser --postgres
export PATH="$PWD/.tools/bin:$PATH"

echo "== the library's dependency tree has no tokio (native and wasm32)"
for target in "" "--target wasm32-unknown-unknown"; do
  if cargo tree -q -e normal -p neon-edge $target | grep -q tokio; then echo "tokio reached the library ($target)" >&2; exit 1; fi
done

echo "== no unwrap/expect/indexing/panic in the library (clippy, every feature set that ships)"
# src/lib.rs denies clippy::{unwrap_used, expect_used, indexing_slicing, panic} outside tests.
cargo clippy -q --lib -p neon-edge
cargo clippy -q --lib -p neon-edge --features native
for features in js-management js-postgres js-workflows js-claimable-neon; do
  cargo clippy -q --lib -p neon-edge --target wasm32-unknown-unknown --no-default-features --features "$features"
done

echo "== native tests"
cargo test --workspace

echo "== the native transport and runtime on tokio, the workflows and Claimable Neon on the emulator (cargo feature native)"
cargo test -p neon-edge --features native --test native_transport --test native_stream --test workflows --test workflows_platform --test claimable_neon

echo "== the crate as crates.io gets it (cargo package builds the packaged sources)"
cargo package -p neon-edge --locked

echo "== the native Rust example builds (tests/js/example-rust.test.mjs runs it on the emulator)"
# The examples are a workspace of their own (their Cargo.lock follows the library's: no
# --locked); they build into this target/ to share its crates.
(cd examples/rust && CARGO_TARGET_DIR="$PWD/../../target" cargo build -p neon-edge-example-native)

if [ -f xtask/Cargo.toml ]; then
  echo "== generated code is up to date"
  cargo run -q -p xtask -- codegen --check
fi

echo "== build the npm package"
node scripts/build.mjs

echo "== wasm tests (Node, Chromium) against a loopback server"
log=$(mktemp)
node tests/support/mock-neon.mjs >"$log" &
mock=$!
trap 'kill $mock 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 50); do grep -q listening "$log" && break; sleep 0.1; done
export NEON_TEST_SERVER=$(sed -n 's/^mock-neon listening on //p' "$log")
cargo test --target wasm32-unknown-unknown -p neon-edge --test wasm_node
cargo test --target wasm32-unknown-unknown -p neon-edge --test wasm_browser

echo "== the Rust Worker example (workers-rs) builds for wasm32 (tests/js/example-rust-worker.test.mjs runs it in workerd)"
(cd examples/rust && CARGO_TARGET_DIR="$PWD/../../target" cargo build -p neon-edge-example-worker --target wasm32-unknown-unknown)

echo "== the npm package in Node, workerd and the edge runtime"
node --test tests/js/*.test.mjs

echo "== the emulator's fidelity with @neondatabase/api-client and @neondatabase/serverless"
node --test emulator/tests/js/*.test.mjs

echo "== contract tests against Neon's OpenAPI spec (Prism)"
bash scripts/contract.sh
