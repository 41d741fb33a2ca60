#!/usr/bin/env bash
# Keeps the shared build cache ($CARGO_TARGET_DIR) from filling the disk. Every test binary is
# ~0.9 GB (the whole server linked in); cargo keys them by the checkout's path, so builds from
# another folder (a developer's checkout beside the CI worktree) and superseded versions leave
# copies that nothing reuses. Run after the Rust tests: keeps the test binaries this checkout
# uses now (as `cargo test --no-run` lists them, without building) and anything still linked
# from target/debug, removes the other large executables in target/debug/deps, and stale
# incremental sessions (untouched for two days). A full disk made CI fail on 2026-12-03.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
deps="$CARGO_TARGET_DIR/debug/deps"
[ -d "$deps" ] || exit 0
keep=$(mktemp)
trap 'rm -f "$keep"' EXIT
for args in "--features ssr" "-p hearth-routing"; do
  # shellcheck disable=SC2086
  cargo +stable test $args --no-run --message-format=json 2>/dev/null |
    python3 -c '
import json, sys
for line in sys.stdin:
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") == "compiler-artifact" and m.get("executable"):
        print(m["executable"])
' >> "$keep"
done
if [ ! -s "$keep" ]; then
  echo "prune-build: cargo listed no test binaries; nothing removed"
  exit 0
fi
before=$(du -sm "$CARGO_TARGET_DIR" | cut -f1)
find "$deps" -maxdepth 1 -type f -perm -u+x -size +50M -links 1 ! -name '*.so' ! -name '*.rlib' ! -name '*.rmeta' -print |
  while IFS= read -r f; do
    grep -qxF "$f" "$keep" || rm -f "$f"
  done
find "$CARGO_TARGET_DIR"/debug/incremental "$CARGO_TARGET_DIR"/front/*/debug/incremental \
  -mindepth 1 -maxdepth 1 -type d -mtime +2 -exec rm -rf {} + 2>/dev/null || true
after=$(du -sm "$CARGO_TARGET_DIR" | cut -f1)
echo "prune-build: build cache ${before} MB → ${after} MB ($(df -h --output=avail "$CARGO_TARGET_DIR" | tail -1 | tr -d ' ') free)"
