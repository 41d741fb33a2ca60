#!/usr/bin/env bash
# Regenerates .sqlx/ (the query metadata that lets sqlx's macros compile without a database)
# from a schema built from migrations/, while running clippy over every target.
#   scripts/sqlx-prepare.sh          rewrite .sqlx/
#   scripts/sqlx-prepare.sh --check  fail if .sqlx/ is not what the code and migrations give
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

schema="$CARGO_TARGET_DIR/sqlx-schema.db"
mkdir -p "$CARGO_TARGET_DIR"
rm -f "$schema"
for f in migrations/*.sql; do sqlite3 "$schema" < "$f"; done
out=$(mktemp -d)
# A changed file makes cargo re-expand every query macro of the crate. Its time is put back
# afterwards, so the test and end-to-end builds that follow don't recompile Hearth for it.
stamp=$(mktemp)
touch -r src/lib.rs "$stamp"
trap 'touch -r "$stamp" src/lib.rs; rm -rf "$out" "$stamp"' EXIT
touch src/lib.rs
DATABASE_URL="sqlite://$schema" SQLX_OFFLINE=false SQLX_OFFLINE_DIR="$out" \
  cargo +stable clippy --features ssr --all-targets -- -D warnings
cargo +stable clippy -p hearth-routing --all-targets -- -D warnings
if [ "${1:-}" = "--check" ]; then
  if ! diff -r -q .sqlx "$out" >/dev/null; then
    diff -r -q .sqlx "$out" || true
    echo "error: .sqlx/ is out of date; run ./hearth.sh sqlx-prepare and commit it." >&2
    exit 1
  fi
  echo ".sqlx/ is current ($(ls .sqlx | wc -l) queries)."
else
  rm -rf .sqlx
  cp -r "$out" .sqlx
  echo "Wrote .sqlx/ ($(ls .sqlx | wc -l) queries)."
fi
