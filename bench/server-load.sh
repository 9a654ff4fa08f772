#!/usr/bin/env bash
# Bounded load test of the rerank server on loopback: starts a server process on a free 127.0.0.1 port, drives
# it with wrk at 1, 8, 32 and 128 connections (DURATION seconds each), samples the server's RSS, prints one
# table row per route and run, then stops the server with SIGTERM and checks it exits 0.
#   bench/server-load.sh [small|large|mixed] [MAX_QUEUED_REQUESTS]
# small: POST /v1/rerank with the model card's 10 short documents; large: 100 documents of about 60 words;
# mixed: one server with two models, the reranker (MODEL) and the bundled all-MiniLM-L6-v2 (EMBED_MODEL), and
# at each level two wrk side by side with that many connections each, POST /v1/rerank (the small body) on the
# reranker and POST /v1/embeddings (the same 10 texts) on the embedder.
# Environment: DURATION (default 10), CONNECTIONS (default "1 8 32 128"), MODEL (default the test model),
# EMBED_MODEL (default bundled), THREADS (compute threads per model, default 2), HEAP (server -Xmx, default 1g).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shape="${1:-small}"
queue="${2:-64}"
duration="${DURATION:-10}"
connections="${CONNECTIONS:-1 8 32 128}"
model="${MODEL:-$root/testdata/models/jinabert-mini}"
embed_model="${EMBED_MODEL:-bundled}"
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

python3 - "$shape" "$work" <<'PY'
import json, os, sys
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
work = sys.argv[2]
if sys.argv[1] == "mixed":
    with open(os.path.join(work, "embed.json"), "w") as f:
        json.dump({"model": "all-MiniLM-L6-v2", "input": docs}, f)
if sys.argv[1] == "large":
    docs = [" ".join(docs[(i + k) % 10] for k in range(8)) for i in range(100)]
with open(os.path.join(work, "body.json"), "w") as f:
    json.dump({"model": "jinabert-mini", "query": "Organic skincare products for sensitive skin",
               "documents": docs}, f)
PY
served="$model"
[ "$shape" = mixed ] && served="$model,$embed_model"

: > "$work/server.log"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector "-Xmx$heap" -cp "$cp" dev.rerank4j.server.ServeMain \
  "$served" 0 "$queue" "$threads" > "$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 900); do
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
# The routes driven: "route body-file" pairs.
routes=("/v1/rerank $work/body.json")
[ "$shape" = mixed ] && routes+=("/v1/embeddings $work/embed.json")
# Warm-up, not reported: the JIT compiles the hot paths (single requests and merged batches) first.
for r in "${routes[@]}"; do
  set -- $r
  BODY_FILE="$2" wrk -t1 -c1 -d5s -s "$root/bench/rerank.lua" "$url$1" > /dev/null
  BODY_FILE="$2" wrk -t1 -c8 -d5s -s "$root/bench/rerank.lua" "$url$1" > /dev/null
done

printf '%-15s %-7s %10s %10s %10s %10s %8s %8s %8s %8s %9s\n' route clients req/s p50_ms p99_ms max_ms 200 429 other \
  sock_err max_rss_MiB
# Each run starts with empty queues: requests left from the previous run finish first.
drain() {
  for _ in $(seq 1 300); do
    curl -s "$url/metrics" | grep '^rerank4j_requests_admitted{' | grep -q ' [1-9][0-9]*$' || return 0
    sleep 0.1
  done
}
server_errors=0
for c in $connections; do
  drain
  t=$(( c < 2 ? 1 : 2 ))
  : > "$work/rss"
  ( while kill -0 "$server_pid" 2>/dev/null; do rss_kb >> "$work/rss"; sleep 0.25; done ) &
  sampler=$!
  pids=()
  for k in "${!routes[@]}"; do
    set -- ${routes[$k]}
    BODY_FILE="$2" wrk -t"$t" -c"$c" -d"${duration}s" --timeout 10s -s "$root/bench/rerank.lua" \
      "$url$1" > "$work/wrk.$k.out" &
    pids+=($!)
  done
  wait "${pids[@]}"
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  peak="$(( $(sort -n "$work/rss" | tail -1) / 1024 ))"
  for k in "${!routes[@]}"; do
    set -- ${routes[$k]}
    out="$work/wrk.$k.out"
    summary="$(grep '^SUMMARY' "$out")"
    val() { echo "$summary" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
    ok="$(awk '$1=="STATUS" && $2==200 {print $3}' "$out")"
    busy="$(awk '$1=="STATUS" && $2==429 {print $3}' "$out")"
    other="$(awk '$1=="STATUS" && $2!=200 && $2!=429 {n+=$3} END {print n+0}' "$out")"
    server_errors=$(( server_errors + $(awk '$1=="STATUS" && $2>=500 {n+=$3} END {print n+0}' "$out") ))
    errors=$(( $(val timeouts) + $(val connect) + $(val read) + $(val write) ))
    [ "$errors" -eq 0 ] || echo "  socket errors: timeouts=$(val timeouts) connect=$(val connect) read=$(val read) write=$(val write)" >&2
    rps="$(awk -v n="$(val requests)" -v us="$(val duration_us)" 'BEGIN {printf "%.0f", n / (us / 1e6)}')"
    printf '%-15s %-7s %10s %10.1f %10.1f %10.1f %8s %8s %8s %8s %9s\n' "$1" "$c" "$rps" \
      "$(awk -v x="$(val p50_us)" 'BEGIN {print x/1000}')" "$(awk -v x="$(val p99_us)" 'BEGIN {print x/1000}')" \
      "$(awk -v x="$(val max_us)" 'BEGIN {print x/1000}')" "${ok:-0}" "${busy:-0}" "$other" "$errors" "$peak"
  done
done
echo "5xx responses: $server_errors"

metrics="$(curl -s "$url/metrics")"
for m in $(echo "$metrics" | sed -n 's/^rerank4j_batch_requests_count{model="\([^"]*\)"}.*/\1/p'); do
  pick() { echo "$metrics" | grep -F "$1{model=\"$m\"} " | awk '{print $2}'; }
  echo "$m: batches $(pick rerank4j_batch_requests_count), requests in them $(pick rerank4j_batch_requests_sum)," \
    "429s $(pick rerank4j_queue_rejections_total)"
done
kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
echo "server exit status after SIGTERM: $status"
[ "$status" -eq 0 ] && [ "$server_errors" -eq 0 ]
