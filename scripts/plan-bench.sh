#!/usr/bin/env bash
# The route solver on the public instances: ./hearth.sh plan-bench [SECONDS] (default 5).
# Reads them from $HEARTH_VRP_DATA or ../shared/data/vrp; they are not part of the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
data=${HEARTH_VRP_DATA:-../shared/data/vrp}
if [ ! -f "$data/bks.csv" ]; then
  echo "plan-bench: no benchmark instances at $data (expected bks.csv, solomon/*.txt, cvrp/*.vrp);" >&2
  echo "            set HEARTH_VRP_DATA to the folder that has them." >&2
  exit 2
fi
cargo +stable build -q --features ssr --bin hearth
exec "$CARGO_TARGET_DIR/debug/hearth" plan-bench --seconds "${1:-5}" --bks "$data/bks.csv" \
  "$data"/solomon/*.txt "$data"/cvrp/*.vrp
