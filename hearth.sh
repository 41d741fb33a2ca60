#!/usr/bin/env bash
# Hearth's commands (see README.md):
#   ./hearth.sh run [--release]  install what is missing, build, load the demo bakery into an
#                                empty database, and serve on http://127.0.0.1:3000
#   ./hearth.sh test             run every test: format, lints, .sqlx check, unit, database,
#                                HTTP and end-to-end in Chromium (what CI runs)
#   ./hearth.sh setup            only install the toolchain and packages
#   ./hearth.sh build [--release]
#   ./hearth.sh sqlx-prepare     regenerate .sqlx/ after changing a query or a migration
#   ./hearth.sh bench            benchmarks (release build); figures in BENCHMARKS.md
#   ./hearth.sh bundle-bench     client size per route and first visits on slow 4G (release)
#   ./hearth.sh plan-bench [S]   the route solver on ../shared/data/vrp, S seconds each
#   ./hearth.sh pvrp-bench [S] [SEED]  day patterns and routes together on ../shared/data/pvrp
#   ./hearth.sh restore-drill [N] back up a live N-order database (default 500,000) and restore it
set -euo pipefail
cd "$(dirname "$0")"
source scripts/env.sh

cmd=${1:-help}
shift || true
case "$cmd" in
  setup)
    scripts/setup.sh
    ;;
  build)
    scripts/setup.sh
    leptos build "$@"
    ;;
  run)
    scripts/setup.sh
    profile=debug
    if [ "${1:-}" = "--release" ]; then profile=release; fi
    echo "==> Building Hearth ($profile; the first build takes several minutes)"
    if [ "$profile" = release ]; then leptos build --release; else leptos build; fi
    export DATABASE_URL="${DATABASE_URL:-sqlite://data/hearth.db}"
    export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
    export HEARTH_DEMO="${HEARTH_DEMO:-if-empty}"
    export HEARTH_DEMO_RUN="${HEARTH_DEMO_RUN:-publish}"
    exec "$CARGO_TARGET_DIR/$profile/hearth" serve
    ;;
  test)
    scripts/setup.sh
    exec scripts/test.sh "$@"
    ;;
  sqlx-prepare)
    exec scripts/sqlx-prepare.sh
    ;;
  bench)
    scripts/setup.sh
    exec scripts/bench.sh
    ;;
  bundle-bench)
    exec scripts/bundle-bench.sh
    ;;
  plan-bench)
    exec scripts/plan-bench.sh "$@"
    ;;
  pvrp-bench)
    exec scripts/pvrp-bench.sh "$@"
    ;;
  restore-drill)
    exec scripts/restore-drill.sh "$@"
    ;;
  *)
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    [ "$cmd" = help ] || exit 2
    ;;
esac
