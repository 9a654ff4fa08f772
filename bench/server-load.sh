#!/usr/bin/env bash
# Bounded load test of the rerank server on loopback: starts a server process on a free 127.0.0.1 port, drives
# POST /v1/rerank with wrk at 1, 8, 32 and 128 connections (DURATION seconds each), samples the server's RSS,
# prints one table row per run, then stops the server with SIGTERM and checks it exits 0.
#   bench/server-load.sh [small|large] [MAX_QUEUED_REQUESTS]
# small: the model card's 10 short documents; large: 100 documents of about 60 words.
# Environment: DURATION (default 10), CONNECTIONS (default "1 8 32 128"), MODEL (default the test model),
# THREADS (compute threads, default 2), HEAP (server -Xmx, default 1g).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shape="${1:-small}"
queue="${2:-64}"
duration="${DURATION:-10}"
connections="${CONNECTIONS:-1 8 32 128}"
model="${MODEL:-$root/testdata/models/jinabert-mini}"
threads="${THREADS:-2}"
heap="${HEAP:-1g}"
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }
. "$root/bin/find-jdk.sh"
rerank4j_find_jdk

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -9 "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$root" && mvn -B -q -pl rerank4j-server -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt" >&2)
cp="$root/rerank4j-server/target/test-classes:$root/rerank4j-server/target/classes:$(cat "$work/cp.txt")"

python3 - "$shape" > "$work/body.json" <<'PY'
import json, sys
docs = ["Eco-friendly kitchenware for modern homes",
        "Biodegradable cleaning supplies for eco-conscious consumers",
        "Organic cotton baby clothes for sensitive skin",
        "Natural organic skincare range for sensitive skin",
        "Tech gadgets for smart homes: 2024 edition",
        "Sustainable gardening tools and compost solutions",
        "Sensitive skin-friendly facial cleansers and toners",
        "Organic food wraps and storage solutions",
        "All-natural pet food for dogs with allergies",
        "Yoga mats made from recycled materials"]
if sys.argv[1] == "large":
    docs = [" ".join(docs[(i + k) % 10] for k in range(8)) for i in range(100)]
print(json.dumps({"model": "jinabert-mini", "query": "Organic skincare products for sensitive skin",
                  "documents": docs}))
PY

: > "$work/server.log"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector "-Xmx$heap" -cp "$cp" dev.rerank4j.server.ServeMain \
  "$model" 0 "$queue" "$threads" > "$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 300); do
  port="$(sed -n 's/.*serving .* on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/server.log" | head -1)"
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.2
done
[ -n "$port" ] || { echo "server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
url="http://127.0.0.1:$port"

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status"; }
echo "body=$shape ($(wc -c < "$work/body.json") bytes) queue=$queue threads=$threads heap=$heap duration=${duration}s"
echo "RSS at start: $(( $(rss_kb) / 1024 )) MiB"
# Warm-up, not reported: the JIT compiles the hot paths (single requests and merged batches) first.
BODY_FILE="$work/body.json" wrk -t1 -c1 -d5s -s "$root/bench/rerank.lua" "$url/v1/rerank" > /dev/null
BODY_FILE="$work/body.json" wrk -t1 -c8 -d5s -s "$root/bench/rerank.lua" "$url/v1/rerank" > /dev/null

printf '%-6s %10s %10s %10s %10s %8s %8s %8s %8s %9s\n' clients req/s p50_ms p99_ms max_ms 200 429 other sock_err \
  max_rss_MiB
# Each run starts with an empty queue: requests left from the previous run finish first.
drain() {
  for _ in $(seq 1 300); do
    curl -s "$url/metrics" | grep -q '^rerank4j_requests_admitted 0$' && return 0
    sleep 0.1
  done
}
for c in $connections; do
  drain
  t=$(( c < 2 ? 1 : 2 ))
  : > "$work/rss"
  ( while kill -0 "$server_pid" 2>/dev/null; do rss_kb >> "$work/rss"; sleep 0.25; done ) &
  sampler=$!
  BODY_FILE="$work/body.json" wrk -t"$t" -c"$c" -d"${duration}s" --timeout 10s -s "$root/bench/rerank.lua" \
    "$url/v1/rerank" > "$work/wrk.out"
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  summary="$(grep '^SUMMARY' "$work/wrk.out")"
  val() { echo "$summary" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
  ok="$(awk '$1=="STATUS" && $2==200 {print $3}' "$work/wrk.out")"
  busy="$(awk '$1=="STATUS" && $2==429 {print $3}' "$work/wrk.out")"
  other="$(awk '$1=="STATUS" && $2!=200 && $2!=429 {n+=$3} END {print n+0}' "$work/wrk.out")"
  errors=$(( $(val timeouts) + $(val connect) + $(val read) + $(val write) ))
  [ "$errors" -eq 0 ] || echo "  socket errors: timeouts=$(val timeouts) connect=$(val connect) read=$(val read) write=$(val write)" >&2
  rps="$(awk -v n="$(val requests)" -v us="$(val duration_us)" 'BEGIN {printf "%.0f", n / (us / 1e6)}')"
  printf '%-6s %10s %10.1f %10.1f %10.1f %8s %8s %8s %8s %9s\n' "$c" "$rps" \
    "$(awk -v x="$(val p50_us)" 'BEGIN {print x/1000}')" "$(awk -v x="$(val p99_us)" 'BEGIN {print x/1000}')" \
    "$(awk -v x="$(val max_us)" 'BEGIN {print x/1000}')" "${ok:-0}" "${busy:-0}" "$other" "$errors" \
    "$(( $(sort -n "$work/rss" | tail -1) / 1024 ))"
done

metrics="$(curl -s "$url/metrics")"
echo "batches: $(echo "$metrics" | sed -n 's/^rerank4j_batch_requests_count //p'), requests in them:" \
  "$(echo "$metrics" | sed -n 's/^rerank4j_batch_requests_sum //p'), 429s: " \
  "$(echo "$metrics" | sed -n 's/^rerank4j_queue_rejections_total //p')"
kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
echo "server exit status after SIGTERM: $status"
[ "$status" -eq 0 ]
