#!/usr/bin/env bash
# Installs everything Hearth needs to build, run and test, from the package registries only.
# Idempotent: each step checks first and skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

step() { printf '\n\033[1;33m==> %s\033[0m\n' "$*"; }
started=$(date +%s)

# 1. Debian packages: the wasm-capable compiler with std sources, wasm-ld, Chromium, sqlite3,
#    curl (one crate source from crates.io, below).
need_apt=()
for pkg in rustc-web cargo-web rust-web-src lld chromium fonts-liberation sqlite3 curl ca-certificates; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$pkg")
done
# Node.js may come from another Debian-format package that bundles npm: check the commands.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then need_apt+=(nodejs npm); fi
if [ ${#need_apt[@]} -gt 0 ]; then
  step "Installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

# 2. Rust tools that cargo-leptos would otherwise try to download. Built with the newest
#    compiler available (rustup nightly if present, which is faster; else Debian's 1.96), and
#    without LTO to keep the first install in minutes rather than an hour.
install_crate() { # name version [cargo install options...]
  local name=$1 version=$2
  shift 2
  local tc=/usr
  if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then tc=nightly; fi
  step "Building $name $version from crates.io (first time only; several minutes on 2 cores)"
  RUSTUP_TOOLCHAIN=$tc CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_TARGET_DIR="$HEARTH_CACHE/tool-build" \
    cargo install "$name" --version "$version" "$@" --root "$HEARTH_TOOLS"
}
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  install_crate wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
fi
# cargo-leptos splits the wasm into per-page chunks (`--split`) with wasm_split_cli_support
# 0.2.3, which stops at the first data symbol in .bss: the LLVM 22 linker of Debian's
# rustc-web leaves that zero-filled segment out of the module. scripts/wasm-split-bss.patch
# (three places) lets those symbols keep their linker address, as zero-sized ones already do.
# The crate comes from crates.io, checked against its registry checksum.
WASM_SPLIT_VERSION=0.2.3
WASM_SPLIT_SHA256=f32315b284f5b3787ecc7d98d39ee857174e43ff9a6a8c3fec9d189cb24fec74
leptos_stamp="$HEARTH_TOOLS/cargo-leptos-$CARGO_LEPTOS_VERSION-$(sha256sum scripts/wasm-split-bss.patch | cut -c1-12)"
if ! cargo-leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION" || [ ! -f "$leptos_stamp" ]; then
  split_src="$HEARTH_CACHE/tool-src/wasm_split_cli_support-$WASM_SPLIT_VERSION"
  rm -rf "$split_src" && mkdir -p "$(dirname "$split_src")"
  curl -fsSL -o "$split_src.crate" \
    "https://static.crates.io/crates/wasm_split_cli_support/wasm_split_cli_support-$WASM_SPLIT_VERSION.crate"
  echo "$WASM_SPLIT_SHA256  $split_src.crate" | sha256sum -c --quiet
  tar -xzf "$split_src.crate" -C "$(dirname "$split_src")"
  (patch_file="$PWD/scripts/wasm-split-bss.patch" && cd "$split_src" && git apply -p1 "$patch_file")
  install_crate cargo-leptos "$CARGO_LEPTOS_VERSION" --locked --force \
    --config "patch.crates-io.wasm_split_cli_support.path=\"$split_src\""
  rm -f "$HEARTH_TOOLS"/cargo-leptos-*
  touch "$leptos_stamp"
fi
rm -rf "$HEARTH_CACHE/tool-build"

# 3. Front-end packages from the npm registry: Leaflet (+ Geoman, markercluster) and Swagger UI (vendored into public/) and binaryen
#    (wasm-opt for release builds; Debian's is too old). Playwright for the browser tests.
if [ ! -d node_modules/leaflet ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "Installing npm packages"
  SCARF_ANALYTICS=false npm ci --no-audit --no-fund
fi
mkdir -p public/vendor/leaflet
if [ ! -f public/vendor/leaflet/leaflet.js ] || ! cmp -s node_modules/leaflet/dist/leaflet.js public/vendor/leaflet/leaflet.js; then
  cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images public/vendor/leaflet/
fi
# Leaflet plugins, loaded only by the pages that use them: Geoman (drawing districts) and
# marker clustering (the planning map).
mkdir -p public/vendor/geoman public/vendor/markercluster
for f in leaflet-geoman.min.js leaflet-geoman.css; do
  cmp -s "node_modules/@geoman-io/leaflet-geoman-free/dist/$f" "public/vendor/geoman/$f" \
    || cp "node_modules/@geoman-io/leaflet-geoman-free/dist/$f" public/vendor/geoman/
done
for f in leaflet.markercluster.js MarkerCluster.css MarkerCluster.Default.css; do
  cmp -s "node_modules/leaflet.markercluster/dist/$f" "public/vendor/markercluster/$f" \
    || cp "node_modules/leaflet.markercluster/dist/$f" public/vendor/markercluster/
done
mkdir -p public/vendor/swagger-ui
for f in swagger-ui.css swagger-ui-bundle.js; do
  cmp -s "node_modules/swagger-ui-dist/$f" "public/vendor/swagger-ui/$f" || cp "node_modules/swagger-ui-dist/$f" public/vendor/swagger-ui/
done
if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  step "Installing Playwright (no browser download: tests use Debian's Chromium)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

# 4. Schemathesis from PyPI, for the storefront API's schema-driven fuzz test, in its own venv.
export SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
if ! "$HEARTH_TOOLS/venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  step "Installing schemathesis $SCHEMATHESIS_VERSION from PyPI"
  python3 -m venv "$HEARTH_TOOLS/venv" 2>/dev/null || {
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-venv
    python3 -m venv "$HEARTH_TOOLS/venv"
  }
  "$HEARTH_TOOLS/venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi

printf 'Setup complete in %ss.\n' "$(( $(date +%s) - started ))"
