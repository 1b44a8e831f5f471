#!/usr/bin/env bash
# Parley's benchmark (not part of the test run): Parley standalone and the Node Socket.IO 4.8 peer,
# measured in the same run by the same load generator, then a table of Parley/peer ratios.
#   bash src/bench/run.sh            (from the repository root, after mvn package)
# Settings: CLIENTS="1000 5000", MESSAGES=1000, ECHO_CLIENTS=100, ECHO_SECONDS=10, CONNECT_CLIENTS=5000,
# HEAP=1g (the same -Xmx for every JVM). Servers bind 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/../.."
CLIENTS=${CLIENTS:-"1000 5000"}
MESSAGES=${MESSAGES:-1000}
ECHO_CLIENTS=${ECHO_CLIENTS:-100}
ECHO_SECONDS=${ECHO_SECONDS:-10}
CONNECT_CLIENTS=${CONNECT_CLIENTS:-5000}
HEAP=${HEAP:-1g}
OUT=target/bench
mkdir -p "$OUT"
ulimit -n 20000 2>/dev/null || true

[ -f target/parley-standalone.jar ] || { echo "target/parley-standalone.jar is missing: build it first (mvn package)" >&2; exit 1; }
(cd src/bench/node && npm ci --no-audit --no-fund >/dev/null)

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_port() { for _ in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 not ready" >&2; return 1; }

java -Xmx"$HEAP" -jar target/parley-standalone.jar --bench --port 3400 > "$OUT/parley.log" 2>&1 & pids+=($!); PARLEY=$!
(cd src/bench/node && exec env PORT=3401 node node-peer.mjs) > "$OUT/node.log" 2>&1 & pids+=($!); NODE=$!
wait_port 3400; wait_port 3401

gen() {
  (cd src/bench/node && node loadgen.mjs "$@") > "$OUT/last.txt"
  cat "$OUT/last.txt" >> "$OUT/lines.txt"
  grep -v '^{' "$OUT/last.txt" || true
}
: > "$OUT/lines.txt"
# warm-up: the JIT compiles the hot path before anything is measured
gen fanout --url ws://127.0.0.1:3400 --pid $PARLEY --clients 500 --messages 2000 --window 16 --label warmup >/dev/null
gen echo --url ws://127.0.0.1:3400 --pid $PARLEY --clients 50 --seconds 3 --label warmup >/dev/null
: > "$OUT/lines.txt"

for n in $CLIENTS; do
  for s in "parley 3400 $PARLEY" "node 3401 $NODE"; do
    set -- $s
    gen fanout --url ws://127.0.0.1:$2 --pid $3 --clients "$n" --messages "$MESSAGES" --window 16 --label "$1"
  done
done
for s in "parley 3400 $PARLEY" "node 3401 $NODE"; do
  set -- $s
  gen echo --url ws://127.0.0.1:$2 --pid $3 --clients "$ECHO_CLIENTS" --seconds "$ECHO_SECONDS" --label "$1"
  gen connect --url ws://127.0.0.1:$2 --pid $3 --clients "$CONNECT_CLIENTS" --label "$1"
done

node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(l => l.startsWith("{")).map(JSON.parse);
const key = (r) => r.scenario + (r.clients ? " N=" + r.clients : "");
const by = {};
for (const r of lines) (by[key(r)] ??= {})[r.label] = r;
const metrics = { fanout: ["cpuMicrosPerDelivery", "deliveriesPerSecond", "p99", "lost"], echo: ["roundTripsPerSecond", "p99"],
  connect: ["connectionsPerSecond", "handshakeP99", "rssPerConnectionKiB"] };
console.log("\n| scenario | metric | parley | node | parley/node |\n|---|---|---|---|---|");
for (const [k, v] of Object.entries(by)) for (const m of metrics[k.split(" ")[0]])
  if (v.parley && v.node) console.log(`| ${k} | ${m} | ${v.parley[m]} | ${v.node[m]} | ${v.node[m] ? (v.parley[m] / v.node[m]).toFixed(2) : "-"} |`);
' "$OUT/lines.txt"
