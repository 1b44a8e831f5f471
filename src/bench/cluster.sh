#!/usr/bin/env bash
# Cross-node fan-out (see src/bench/README.md, "Cross-node fan-out"): the same window-16 and fixed-rate
# fan-out as run.sh, against a cluster of 1 and of 2 nodes sharing one redis-server, the WebSocket
# clients split evenly over the nodes, the publisher on node 0, so with 2 nodes half of every broadcast
# crosses Redis. Every kind and size measured in the same run by the same load generator.
#   bash src/bench/cluster.sh                          (from the repository root)
#   KINDS="node parley" bash src/bench/cluster.sh      (Node and Parley nodes, same run)
# Kinds: node   = Node Socket.IO 4.8 + @socket.io/redis-adapter 8 (src/test/node/cluster/node-redis-server.cjs)
#        parley = java -jar $PARLEY_JAR --bench --adapter redis --redis-url ... 
# Settings (environment, defaults in brackets):
#   KINDS           node kinds, in column order, the first the peer of the ratios ["node parley"]
#   NODE_COUNTS     cluster sizes ["1 2"]
#   SCENARIOS       ["fanout fanout-rate"]
#   CLIENTS         subscribers N, over all nodes ["1000"]
#   DELIVERIES / MESSAGES   window-16 run size, as run.sh [1000000 / unset]
#   RATE, RATE_SECONDS      fixed-rate run [20, 10]
#   HEAP            -Xmx of each Parley node [1g]
#   PARLEY_JAR      [target/parley-standalone.jar]
#   WARMUP          1 = a warm-up run of the same kind before each measured run [1]
#   BASE_PORT       node i listens on BASE_PORT + i [3410]; Redis on REDIS_PORT [6390]
#   OUT             results [target/bench-cluster]
# Server CPU per delivery is the nodes' CPU summed over the measured phase (/proc utime + stime), per
# delivery; Redis's own CPU is reported apart (redis µs/delivery). Everything binds 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
KINDS=${KINDS:-"node parley"}
NODE_COUNTS=${NODE_COUNTS:-"1 2"}
SCENARIOS=${SCENARIOS:-"fanout fanout-rate"}
CLIENTS=${CLIENTS:-"1000"}
DELIVERIES=${DELIVERIES:-1000000}
MESSAGES=${MESSAGES:-}
RATE=${RATE:-20}
RATE_SECONDS=${RATE_SECONDS:-10}
HEAP=${HEAP:-1g}
PARLEY_JAR=${PARLEY_JAR:-target/parley-standalone.jar}
WARMUP=${WARMUP:-1}
BASE_PORT=${BASE_PORT:-3410}
REDIS_PORT=${REDIS_PORT:-6390}
OUT=${OUT:-target/bench-cluster}
GEN=src/bench/node/loadgen.mjs
NODE_SCRIPT=src/test/node/cluster/node-redis-server.cjs
mkdir -p "$OUT"
ulimit -n 20000 2>/dev/null || ulimit -n

for k in $KINDS; do
  case $k in
    node) [ -d src/test/node/node_modules/@socket.io/redis-adapter ] || { echo "run npm ci in src/test/node first" >&2; exit 1; } ;;
    parley) [ -f "$PARLEY_JAR" ] || { echo "$PARLEY_JAR is missing: mvn package first" >&2; exit 1; } ;;
    *) echo "unknown kind '$k' (node parley)" >&2; exit 1 ;;
  esac
done
command -v redis-server >/dev/null || { echo "redis-server is missing: apt-get install redis-server" >&2; exit 1; }
if [ ! -f src/bench/node/node_modules/.package-lock.json ]; then (cd src/bench/node && npm ci --no-audit --no-fund >/dev/null); fi

REDIS_PID=""
NODE_PIDS=()
stop_nodes() {
  for p in "${NODE_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${NODE_PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true
  done
  NODE_PIDS=()
}
stop_redis() { [ -n "$REDIS_PID" ] && { kill -TERM "$REDIS_PID" 2>/dev/null || true; wait "$REDIS_PID" 2>/dev/null || true; }; REDIS_PID=""; }
cleanup() { stop_nodes; stop_redis; }
trap cleanup EXIT
trap 'exit 130' INT TERM

await_port() { # PID PORT LOG: until PORT accepts, or the process died / 60 s
  for _ in $(seq 1 600); do
    kill -0 "$1" 2>/dev/null || { echo "process $1 exited while starting:" >&2; tail -20 "$3" >&2; return 1; }
    (echo > /dev/tcp/127.0.0.1/"$2") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on $2 after 60 s (see $3)" >&2; return 1
}

start_redis() { # fresh and empty for every measured run
  local log="$OUT/redis.log"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >> "$log" 2>&1 &
  REDIS_PID=$!
  await_port "$REDIS_PID" "$REDIS_PORT" "$log"
}

# start_cluster KIND COUNT: URLS and PIDS (comma-separated) for the load generator
start_cluster() {
  local kind=$1 count=$2 urls=() i port log
  for ((i = 0; i < count; i++)); do
    port=$((BASE_PORT + i)); log="$OUT/$kind-$i.log"
    if (echo > /dev/tcp/127.0.0.1/"$port") 2>/dev/null; then echo "port $port is taken: stop it first" >&2; return 1; fi
    echo "=== $(date '+%F %T') start" >> "$log"
    case $kind in
      node) node "$NODE_SCRIPT" --detached --host 127.0.0.1 --port "$port" --redis-url "redis://127.0.0.1:$REDIS_PORT" >> "$log" 2>&1 & ;;
      parley) java -Xmx"$HEAP" -jar "$PARLEY_JAR" --bench --adapter redis --redis-url "redis://127.0.0.1:$REDIS_PORT" \
                --host 127.0.0.1 --port "$port" >> "$log" 2>&1 & ;;
    esac
    NODE_PIDS+=($!)
    await_port "$!" "$port" "$log"
    urls+=("ws://127.0.0.1:$port")
  done
  URLS=$(IFS=,; echo "${urls[*]}")
  PIDS=$(IFS=,; echo "${NODE_PIDS[*]}")
}

: > "$OUT/lines.txt"
# measure KIND COUNT ARGS...: fresh Redis and nodes, warm-up, one measured run, stop
measure() {
  local kind=$1 count=$2; shift 2
  local label="$kind×$count"
  start_redis && start_cluster "$kind" "$count" || { echo "{\"scenario\":\"fanout\",\"label\":\"$label\",\"error\":\"cluster did not start\"}" >> "$OUT/lines.txt"; cleanup; return 0; }
  if [ "$WARMUP" = 1 ]; then
    node "$GEN" fanout --url "$URLS" --pid "$PIDS" --clients 500 --messages 2000 --window 16 --label warmup \
      | grep -v '^{' | sed 's/^/  warm-up: /' || true
  fi
  local rc=0
  node "$GEN" fanout --url "$URLS" --pid "$PIDS" --extra-pid "$REDIS_PID" --label "$label" "$@" > "$OUT/last.txt" || rc=$?
  grep -v '^{' "$OUT/last.txt" || true
  if grep -q '^{' "$OUT/last.txt"; then grep '^{' "$OUT/last.txt" >> "$OUT/lines.txt"
  else echo "{\"scenario\":\"fanout\",\"label\":\"$label\",\"error\":\"load generator exit $rc\"}" >> "$OUT/lines.txt"; fi
  stop_nodes; stop_redis
}

started=$(date +%s)
echo "cross-node fan-out: kinds $KINDS; nodes $NODE_COUNTS; scenarios $SCENARIOS; N $CLIENTS; results in $OUT/"
for scenario in $SCENARIOS; do
  for n in $CLIENTS; do
    for kind in $KINDS; do
      for count in $NODE_COUNTS; do
        case $scenario in
          fanout) measure "$kind" "$count" --clients "$n" --messages "${MESSAGES:-$(( (DELIVERIES + n - 1) / n ))}" --window 16 ;;
          fanout-rate) measure "$kind" "$count" --clients "$n" --rate "$RATE" --seconds "$RATE_SECONDS" ;;
          *) echo "unknown scenario '$scenario' (fanout fanout-rate)" >&2 ;;
        esac
      done
    done
  done
done
echo "total $(( $(date +%s) - started )) s"
node src/bench/node/cluster-table.mjs "$OUT/lines.txt" | tee "$OUT/table.md"
