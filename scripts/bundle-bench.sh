#!/usr/bin/env bash
# The client's size per route and what a first visit costs on slow 4G (issue 17), release build:
#   1. bytes on disk per route: the core (every page) and each lazily loaded group of pages,
#      raw / brotli 11 / gzip (the precompressed files the server sends)
#   2. first and second visit of sign-in, tracker, driver, board and planning in Chromium,
#      throttled to Lighthouse's slow 4G (end2end/first-visit.mjs)
# Figures in BENCHMARKS.md ("A driver's phone and a customer's tracker on a slow connection").
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh >/dev/null
leptos build --release
site="$PWD/target/site"
echo "== bytes per route (release, $site/pkg)"
python3 - "$site/pkg" <<'PY'
import glob, json, os, sys
pkg = sys.argv[1]
def size(f, ext=""):
    p = os.path.join(pkg, f + ext)
    return os.path.getsize(p) if os.path.exists(p) else 0
def sizes(files):
    return tuple(sum(size(f, e) for f in files) for e in ("", ".br", ".gz"))
core = [os.path.basename(f) for f in glob.glob(f"{pkg}/hearth.*.js") + glob.glob(f"{pkg}/hearth.*.wasm")
        + glob.glob(f"{pkg}/__wasm_split.*.js")]
manifest = json.load(open(glob.glob(f"{pkg}/__wasm_split_manifest.*.json")[0]))
kb = lambda b: f"{b / 1024:,.0f} KB"
print("| loads | files | raw | brotli | gzip |")
print("|---|---:|---:|---:|---:|")
r, b, g = sizes(core)
print(f"| core: sign-in, tracker, driver, account (every first visit) | {len(core)} | {kb(r)} | {kb(b)} | {kb(g)} |")
for key, chunks in sorted(manifest.items()):
    files = [c + ".wasm" for c in chunks]
    r, b, g = sizes(files)
    print(f"| + {key.rsplit('_', 1)[0]} group | {len(files)} | {kb(r)} | {kb(b)} | {kb(g)} |")
allw = [os.path.basename(f) for f in glob.glob(f"{pkg}/*.wasm")]
r, b, g = sizes(allw)
print(f"| (all wasm) | {len(allw)} | {kb(r)} | {kb(b)} | {kb(g)} |")
PY

dir=$(mktemp -d)
port=${HEARTH_BENCH_PORT:-3921}
export DATABASE_URL="sqlite://$dir/bundle.db" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$site"
export HEARTH_DEMO=if-empty HEARTH_DEMO_RUN=publish HEARTH_LOG=warn
"$CARGO_TARGET_DIR/release/hearth" serve >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
echo "== first and second visit on slow 4G (1.6 Mbit/s, 150 ms RTT), no service worker"
(cd end2end && HEARTH_URL="http://127.0.0.1:$port" node first-visit.mjs)
