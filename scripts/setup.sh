#!/usr/bin/env bash
# Installs what building and testing neon-edge needs, idempotently, inside the clone where it
# can: the wasm target, the wasm-bindgen CLI matching Cargo.lock (in .tools/), npm packages,
# and with --browser/--postgres Debian's Chromium + ChromeDriver and PostgreSQL; with --fuzz the
# pinned nightly and cargo-fuzz (in .tools/) that `npm run fuzz` needs (npm test does not).
set -euo pipefail
cd "$(dirname "$0")/.."

# The nightly cargo-fuzz builds with (sanitizers, -Z flags); the package itself builds on stable.
FUZZ_NIGHTLY=nightly-2026-05-20
CARGO_FUZZ_VERSION=0.13.2

want_browser=0 want_pg=0 want_fuzz=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    --postgres) want_pg=1 ;;
    --fuzz) want_fuzz=1 ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done

rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(.tools/bin/wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$version" ]; then
  echo "setup: installing wasm-bindgen-cli $version into .tools/ (about 2 minutes)"
  cargo install wasm-bindgen-cli --version "$version" --root .tools
fi

if [ ! -d node_modules/binaryen ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

apt_install() {
  if [ "$(id -u)" != 0 ]; then echo "setup: run as root or install: $*" >&2; exit 1; fi
  [ -n "${APT_UPDATED:-}" ] || { apt-get update -qq; APT_UPDATED=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
if [ "$want_browser" = 1 ] && ! command -v chromedriver >/dev/null; then apt_install chromium chromium-driver; fi
if [ "$want_pg" = 1 ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then apt_install postgresql; fi
if [ "$want_fuzz" = 1 ]; then
  rustup toolchain list | grep -q "^$FUZZ_NIGHTLY" || rustup toolchain install "$FUZZ_NIGHTLY" --profile minimal
  if [ "$(.tools/bin/cargo-fuzz --version 2>/dev/null | cut -d' ' -f2)" != "$CARGO_FUZZ_VERSION" ]; then
    echo "setup: installing cargo-fuzz $CARGO_FUZZ_VERSION into .tools/ (about 2 minutes)"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --root .tools
  fi
fi
echo "setup: ready"
