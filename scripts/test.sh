#!/usr/bin/env bash
# Every test Hearth has, in the order that fails fastest. Called by `./hearth.sh test` and CI.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

# One fixed database path for the whole run: sqlx's query macros track DATABASE_URL, so a
# value that differed between `cargo test` and the end-to-end build (or a fresh temp path
# each run) made cargo rebuild the server every time. The tests themselves use their own files.
e2e_dir="$HEARTH_CACHE/e2e"
export DATABASE_URL="sqlite://$e2e_dir/e2e.db"

started=$(date +%s)
phase() { printf '\n\033[1;36m==> %s\033[0m (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }

phase "Formatting (cargo fmt --check)"
cargo +stable fmt --all --check

phase "Lints (clippy -D warnings) and .sqlx/ freshness"
scripts/sqlx-prepare.sh --check

phase "Route solver: properties (crates/routing)"
cargo +stable test -p hearth-routing

phase "Unit, database (#[sqlx::test]), HTTP and plan-bench tests"
cargo +stable test --features ssr

phase "End-to-end in Chromium (Playwright)"
rm -rf "$e2e_dir" && mkdir -p "$e2e_dir"
export HEARTH_DEMO=if-empty
# Its own port, so a Hearth already running on :3000 is neither used nor disturbed.
export LEPTOS_SITE_ADDR="127.0.0.1:${HEARTH_E2E_PORT:-3917}"
export HEARTH_URL="http://$LEPTOS_SITE_ADDR"
# `cargo leptos end-to-end` exits 0 when the build fails (it then runs nothing): build first,
# which fails properly; end-to-end then reuses that build.
leptos build
leptos end-to-end

phase "All tests passed"
