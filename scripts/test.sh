#!/usr/bin/env bash
# Every test Hearth has, in the order that fails fastest. Called by `./hearth.sh test` and CI.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

# The suite runs from one fixed folder, $HEARTH_CACHE/worktree, kept in step with this
# checkout: cargo keys Hearth's own build by the checkout's path and its files' times, and a
# fresh clone (every CI run) has a new path and new times, so it rebuilt everything each time.
# There, a file whose content is unchanged keeps its old time; changed files are newer.
if [ "${HEARTH_IN_WORKTREE:-}" != 1 ] && git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  src=$PWD
  dst="$HEARTH_CACHE/worktree"
  mkdir -p "$dst"
  list=$(mktemp)
  { git ls-files -z --cached --others --exclude-standard; find public/vendor -type f -print0 2>/dev/null; } |
    tr '\0' '\n' | LC_ALL=C sort -u |
    # Only files that exist here: one deleted but not yet committed goes from the copy too.
    while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done > "$list"
  while IFS= read -r f; do
    if ! cmp -s "$f" "$dst/$f"; then
      mkdir -p "$dst/$(dirname "$f")"
      cp "$f" "$dst/$f"
    fi
  done < "$list"
  # Files that are gone here go there too (build output and installed packages stay).
  (cd "$dst" && find . -type f -not -path './target/*' -not -path './end2end/test-results/*' \
      -not -path './end2end/playwright-report/*' -not -path './data/*' \
      -not -path './node_modules/*' -not -path './end2end/node_modules/*' | sed 's|^\./||' | LC_ALL=C sort) |
    comm -23 - "$list" | while IFS= read -r f; do rm -f "$dst/$f"; done
  rm -f "$list"
  # The copy uses this checkout's packages. A real folder there (an `npm ci` run inside the
  # copy) would take the link inside it and keep its own, possibly emptied, packages.
  for m in node_modules end2end/node_modules; do
    [ -L "$dst/$m" ] || rm -rf "${dst:?}/$m"
    ln -sfn "$src/$m" "$dst/$m"
  done
  # The benchmark instances are found next to this checkout, not next to the copy.
  export HEARTH_VRP_DATA="${HEARTH_VRP_DATA:-$(cd "$src/.." && pwd)/shared/data/vrp}"
  export HEARTH_PVRP_DATA="${HEARTH_PVRP_DATA:-$(cd "$src/.." && pwd)/shared/data/pvrp}"
  echo "Testing a copy of $src in $dst (unchanged files keep their build)"
  cd "$dst"
  HEARTH_IN_WORKTREE=1 exec scripts/test.sh "$@"
fi

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

phase "Pruning the build cache (test binaries of other checkouts, stale sessions)"
scripts/prune-build.sh

phase "End-to-end in Chromium (Playwright)"
rm -rf "$e2e_dir" && mkdir -p "$e2e_dir"
export HEARTH_DEMO=if-empty
# Its own port, so a Hearth already running on :3000 is neither used nor disturbed.
export LEPTOS_SITE_ADDR="127.0.0.1:${HEARTH_E2E_PORT:-3917}"
export HEARTH_URL="http://$LEPTOS_SITE_ADDR"
# The bakery's day must not change while the suite runs: at midnight there the demo's "today",
# its run and the next day with room all move under the tests. So the server, the browser and
# the tests (process.env.HEARTH_TIMEZONE) share a whole-hour zone in which it is now between
# 10 and 11 in the morning, whatever the hour in Madrid. A zone given in the environment is kept.
if [ -z "${HEARTH_TIMEZONE:-}" ]; then
  ahead=$(( 10 - 10#$(date -u +%H) ))
  [ "$ahead" -ge -12 ] || ahead=$(( ahead + 24 ))
  # The tz database's names take POSIX's sign: Etc/GMT-9 is nine hours ahead of UTC.
  if [ "$ahead" -ge 0 ]; then HEARTH_TIMEZONE="Etc/GMT-$ahead"; else HEARTH_TIMEZONE="Etc/GMT+$(( -ahead ))"; fi
  export HEARTH_TIMEZONE
fi
export TZ="$HEARTH_TIMEZONE"
echo "The bakery's time zone for this run: $HEARTH_TIMEZONE (now $(date '+%F %H:%M') there)"
# `cargo leptos end-to-end` exits 0 when the build fails (it then runs nothing): build first,
# which fails properly; end-to-end then reuses that build.
leptos build
export HEARTH_E2E_REPORT="$e2e_dir/report.json"
# A test that fails once and then passes is listed as flaky (end2end/failures.mjs).
export HEARTH_E2E_RETRIES="${HEARTH_E2E_RETRIES:-1}"
e2e=0
leptos end-to-end || e2e=$?
node end2end/failures.mjs "$HEARTH_E2E_REPORT"
[ "$e2e" -eq 0 ] || exit "$e2e"

phase "All tests passed"
