#!/usr/bin/env bash
# Contract tests against Neon's official OpenAPI spec (the pinned @neondatabase/api-client),
# with Prism mock servers on loopback:
#   - tests/contract/requests.test.mjs: every spec operation called through the built JS
#     NeonClient against `prism mock --errors`; prints `N/163 operations covered`.
#   - tests/contract/responses.test.mjs: 20 random spec-valid responses of every operation whose
#     2xx responses carry a body (144 of 163), from `prism mock --dynamic`, decoded by the typed
#     Rust methods in tests/contract_decode.rs (its ignored test, run with --ignored).
#   - tests/catalogue.rs's ignored test: the table of the 112 catalogue actions against the
#     catalogue itself, ../shared/seeds/neon-tool-catalogue.txt (fails when the file is missing).
# Uses the built npm package (node_modules/neon-edge -> pkg/), building it only when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.tools/bin:$PATH"

cargo test -q -p neon-edge --test catalogue -- --ignored

[ -f node_modules/neon-edge/neon_edge_bg.wasm ] || node scripts/build.mjs
# Compiled here so the Rust decode step inside the Node test stays well within its time limit.
cargo test -q -p neon-edge --test contract_decode --no-run
timeout --kill-after=10 660 node --test tests/contract/requests.test.mjs tests/contract/responses.test.mjs
