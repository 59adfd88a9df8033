#!/usr/bin/env bash
# Side by side on a PRIVATE, fresh test CKAN (its own lab folder and ports, so the shared one used by the
# tests is never touched): for each worker count P, `ckanapi load datasets --upload-resources -p P`
# (the peer, as ../shared/bench/ckan_publish_baseline.sh runs it) and Catalog Desk's outbox
# (examples/publish_bench.rs), each on a freshly purged catalog, N datasets with one 1 MB file each.
#
#   bash crates/publish/bench/publish_vs_ckanapi.sh [N=200] [P="1 3"] [BIG_MB=1024]
#
# Needs: a ckanapi virtualenv at $PEER_VENV (default /tmp/peer-venv: python3 -m venv; pip install ckanapi)
# and the release build of the example (cargo build --release -p catalog-publish --example publish_bench).
set -euo pipefail
N=${1:-200}
PS=${2:-"1 3"}
BIG_MB=${3:-1024}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
PEER_VENV=${PEER_VENV:-/tmp/peer-venv}
BENCH=${BENCH_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/publish_bench}
export CKAN_LAB_DIR=${BENCH_LAB_DIR:-/tmp/ckan-bench} CKAN_PORT=5100 CKAN_PG_PORT=54339 \
  CKAN_REDIS_PORT=63809 CKAN_SOLR_PORT=58993 CKAN_MAX_UPLOAD_MB=$((BIG_MB + 10))
WORK=$(mktemp -d /tmp/publish-bench.XXXXXX)
FILE_PORT=58775
mkdir -p "$WORK/files" "$CKAN_LAB_DIR"
python3 -m http.server "$FILE_PORT" --bind 127.0.0.1 --directory "$WORK/files" >"$WORK/http.log" 2>&1 &
HTTP_PID=$!
trap 'kill $HTTP_PID 2>/dev/null || true; bash "$SHARED/ckan/stop-ckan" --purge 2>/dev/null || true; rm -rf "$WORK"' EXIT
fresh() { bash "$SHARED/ckan/stop-ckan" --purge 2>/dev/null || true; ENV=$(bash "$SHARED/ckan/start-ckan" 2>/dev/null); . "$ENV"; }
for P in $PS; do
  fresh
  PFX=cmp$(date +%H%M%S)-p$P
  "$PEER_VENV/bin/python" "$SHARED/bench/ckan_gen_jsonl.py" "$N" "$PFX" "$CKAN_ORG" "$WORK/files" \
    "http://127.0.0.1:$FILE_PORT" >"$WORK/$PFX.jsonl"
  t0=$(date +%s.%N)
  PATH=$PEER_VENV/bin:$PATH ckanapi load datasets --upload-resources -p "$P" -I "$WORK/$PFX.jsonl" \
    -r "$CKAN_URL" -a "$CKAN_EDITOR_TOKEN" >"$WORK/$PFX.log" 2>&1 || true
  t1=$(date +%s.%N)
  echo "ckanapi load -p $P: $N datasets in $(echo "$t1 - $t0" | bc) s"
  fresh
  CATALOG_TEST_CKAN_ENV=$ENV "$BENCH" "$N" "$P" 0 | grep "^P="
done
if [ "$BIG_MB" -gt 0 ]; then
  fresh
  CATALOG_TEST_CKAN_ENV=$ENV "$BENCH" 0 1 "$BIG_MB" | grep "MiB upload"
fi
