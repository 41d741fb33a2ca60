#!/usr/bin/env bash
# The periodic solver on Cordeau's PVRP instances: ./hearth.sh pvrp-bench [SECONDS] [SEED]
# (default 30 s, seed 1). Reads them from $HEARTH_PVRP_DATA or ../shared/data/pvrp; they are not
# part of the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
data=${HEARTH_PVRP_DATA:-../shared/data/pvrp}
if [ ! -f "$data/bks.csv" ]; then
  echo "pvrp-bench: no PVRP instances at $data (expected bks.csv and instances/*.txt);" >&2
  echo "            set HEARTH_PVRP_DATA to the folder that has them." >&2
  exit 2
fi
cargo +stable build -q --features ssr --bin hearth
exec "$CARGO_TARGET_DIR/debug/hearth" pvrp-bench --seconds "${1:-30}" --seed "${2:-1}" \
  --bks "$data/bks.csv" "$data"/instances/*.txt
