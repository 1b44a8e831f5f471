#!/usr/bin/env bash
# The fd ceiling (issue 16 item 6): one standalone Parley process (`--bench`) holds CLIENTS idle
# WebSocket connections, opened by PROCS load-generator processes (`loadgen.mjs hold`), with a short
# ping interval; measures, on the server process:
#   - threads (/proc/PID/status Threads) before any connection, the maximum while connecting and
#     holding, and at the end: heartbeats run on the shared parley-timer, so no thread per session;
#   - CPU (utime+stime, /proc/PID/stat) over IDLE_SECONDS with only heartbeats going on;
#   - heap after a full GC (jcmd GC.run; GC.heap_info) and RSS, before and with the connections;
#   - open file descriptors (/proc/PID/fd) before and with the connections;
# and, on the clients, the gap between consecutive pings of every connection (max vs PING_INTERVAL).
# Prints one summary line and one JSON line (also appended to $OUT/fd-ceiling.txt).
# Exits 1 if a connection was not held or lost, or the threads grew with the connections.
#
#   bash src/bench/fd-ceiling.sh              # from the repository root, after mvn package; about 2.5 min
#   CLIENTS=2000 IDLE_SECONDS=15 bash src/bench/fd-ceiling.sh   # a quick check
#
# Environment [defaults]: CLIENTS [19000], PROCS [2], PING_INTERVAL ms [5000], PING_TIMEOUT ms [20000],
# IDLE_SECONDS [60], HEAP (-Xmx) [1g], JAVA_OPTS [], PORT [3410], INFLIGHT per process [128],
# WARMUP connections opened and closed before the baseline [2000], THREAD_SLACK threads the server
# may add beyond its count before connecting (JVM-internal threads such as G1's refinement) [8],
# PARLEY_JAR [target/parley-standalone.jar], OUT [target/bench].
set -euo pipefail
cd "$(dirname "$0")/../.."
CLIENTS=${CLIENTS:-19000}
PROCS=${PROCS:-2}
PING_INTERVAL=${PING_INTERVAL:-5000}
PING_TIMEOUT=${PING_TIMEOUT:-20000}
IDLE_SECONDS=${IDLE_SECONDS:-60}
HEAP=${HEAP:-1g}
JAVA_OPTS=${JAVA_OPTS:-}
PORT=${PORT:-3410}
INFLIGHT=${INFLIGHT:-128}
THREAD_SLACK=${THREAD_SLACK:-8}
WARMUP=${WARMUP:-2000}
PARLEY_JAR=${PARLEY_JAR:-target/parley-standalone.jar}
OUT=${OUT:-target/bench}
LOADGEN=src/bench/node/loadgen.mjs

[ -f "$PARLEY_JAR" ] || { echo "fd-ceiling: $PARLEY_JAR is missing: run mvn -o package -DskipTests" >&2; exit 2; }
command -v node >/dev/null || { echo "fd-ceiling: node is missing: install Node.js 20+" >&2; exit 2; }
command -v jcmd >/dev/null || { echo "fd-ceiling: jcmd is missing: install a JDK 17+" >&2; exit 2; }
[ -d src/bench/node/node_modules ] || (cd src/bench/node && npm ci --silent)
# every process here needs a descriptor per connection: raise the soft limit to the hard one
ulimit -n "$(ulimit -Hn)"
per=$(( (CLIENTS + PROCS - 1) / PROCS ))
if [ $((per + 200)) -gt "$(ulimit -n)" ] || [ $((CLIENTS + 200)) -gt "$(ulimit -n)" ]; then
  echo "fd-ceiling: $CLIENTS connections over $PROCS processes do not fit the limit of $(ulimit -n) descriptors per process" >&2
  exit 2
fi

mkdir -p "$OUT"
work=$(mktemp -d)
server=""
loadgens=()
cleanup() {
  touch "$work/stop"
  for p in "${loadgens[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

threads() { awk '/^Threads:/ {print $2}' "/proc/$server/status"; }
fds() { ls "/proc/$server/fd" | wc -l; }
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$server/status"; }
cpu_ticks() { sed 's/.*) //' "/proc/$server/stat" | awk '{print $12 + $13}'; }
heap_after_gc() { # KiB used after a full GC (G1: "garbage-first heap total …K, used …K")
  jcmd "$server" GC.run >/dev/null
  jcmd "$server" GC.heap_info | grep -oE 'total [0-9]+K, used [0-9]+K' | sed -E 's/.*used ([0-9]+)K/\1/' \
    | awk '{s += $1} END {print s}'
}

log="$OUT/fd-ceiling-server.log"
# shellcheck disable=SC2086
java -Xmx"$HEAP" $JAVA_OPTS -jar "$PARLEY_JAR" --bench --port "$PORT" \
  --ping-interval "$PING_INTERVAL" --ping-timeout "$PING_TIMEOUT" >"$log" 2>&1 &
server=$!
for _ in $(seq 300); do grep -q "listening on" "$log" && break; kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
grep -q "listening on" "$log" || { echo "fd-ceiling: the server did not start:" >&2; cat "$log" >&2; exit 1; }

# Warm-up: WARMUP connections opened and closed, so that what a server starts once, lazily (the
# parley-timer, the HTTP deadline thread, Tyrus's worker pool, JIT), is there before the baseline:
# the threads counted before the CLIENTS connections are those of a server that has served some.
threadsCold=$(threads); fdsCold=$(fds)
if [ "$WARMUP" -gt 0 ]; then
  node "$LOADGEN" connect --url "ws://127.0.0.1:$PORT" --pid "$server" --clients "$WARMUP" --inflight "$((INFLIGHT * PROCS))" \
    --label warm-up >"$work/warmup.out" 2>&1 || { echo "fd-ceiling: the warm-up failed:" >&2; cat "$work/warmup.out" >&2; exit 1; }
  for _ in $(seq 300); do [ "$(fds)" -le $((fdsCold + 2)) ] && break; sleep 0.1; done
fi
heap0=$(heap_after_gc); rss0=$(rss); threads0=$(threads); fds0=$(fds)
start=$(date +%s.%N)
for i in $(seq 0 $((PROCS - 1))); do
  n=$(( i == PROCS - 1 ? CLIENTS - per * (PROCS - 1) : per ))
  node "$LOADGEN" hold --url "ws://127.0.0.1:$PORT" --clients "$n" --inflight "$INFLIGHT" --label "gen$i" \
    --ready-file "$work/ready$i" --stop-file "$work/stop" --timeout 1800 >"$work/gen$i.out" 2>"$work/gen$i.err" &
  loadgens+=($!)
done
threadsMax=$threads0
ready() { for i in $(seq 0 $((PROCS - 1))); do [ -f "$work/ready$i" ] || return 1; done; }
until ready; do
  for p in "${loadgens[@]}"; do
    kill -0 "$p" 2>/dev/null || { echo "fd-ceiling: a load generator failed:" >&2; cat "$work"/gen*.out "$work"/gen*.err >&2; exit 1; }
  done
  t=$(threads); [ "$t" -gt "$threadsMax" ] && threadsMax=$t
  sleep 0.5
done
connectSeconds=$(echo "$(date +%s.%N) - $start" | bc)
fdsHeld=$(fds); threadsHeld=$(threads)
echo "fd-ceiling: $CLIENTS connections open in ${connectSeconds%.*} s; server fds $fds0 -> $fdsHeld, threads $threads0 -> $threadsHeld; idle for $IDLE_SECONDS s" >&2

# the idle minute: nothing but heartbeats (one ping per connection per PING_INTERVAL)
cpu0=$(cpu_ticks); t0=$(date +%s.%N)
end=$(( $(date +%s) + IDLE_SECONDS ))
while [ "$(date +%s)" -lt "$end" ]; do t=$(threads); [ "$t" -gt "$threadsMax" ] && threadsMax=$t; sleep 1; done
cpu1=$(cpu_ticks); t1=$(date +%s.%N)
heap1=$(heap_after_gc); rss1=$(rss); threads1=$(threads); fds1=$(fds)
[ "$threads1" -gt "$threadsMax" ] && threadsMax=$threads1

touch "$work/stop"
for p in "${loadgens[@]}"; do wait "$p" || { echo "fd-ceiling: a load generator failed:" >&2; cat "$work"/gen*.out "$work"/gen*.err >&2; exit 1; }; done
loadgens=()

summary=$(node -e '
const fs = require("fs");
const v = process.argv.slice(1, 19).map(Number);
const [clients, interval, idleS, cpuTicks, secs, heap0, heap1, rss0, rss1, th0, thHeld, thMax, th1, fd0, fdHeld, fd1, connectS, slack] = v;
const threadsCold = Number(process.argv[19]);
const gens = process.argv.slice(20).map((f) => JSON.parse(fs.readFileSync(f, "utf8").trim().split("\n").pop()));
const r = (x, d = 2) => +x.toFixed(d);
const held = gens.reduce((s, g) => s + g.held, 0);
const dropped = gens.reduce((s, g) => s + g.dropped, 0);
const maxGap = Math.max(...gens.map((g) => g.maxPingGapMs));
const p99Gap = Math.max(...gens.map((g) => g.p99PingGapMs));
const out = { scenario: "fd-ceiling", clients, held, dropped, connectSeconds: r(connectS, 1),
  pingIntervalMs: interval, maxPingGapMs: maxGap, p99PingGapMs: p99Gap, maxGapOverInterval: r(maxGap / interval, 3),
  gapsMeasured: gens.reduce((s, g) => s + g.gapsMeasured, 0),
  heapBaselineKiB: heap0, heapKiB: heap1, heapPerConnectionKiB: r((heap1 - heap0) / clients),
  rssBaselineKiB: rss0, rssKiB: rss1, rssPerConnectionKiB: r((rss1 - rss0) / clients),
  idleSeconds: r(secs, 1), cpuPercentIdle: r(cpuTicks / secs, 2), cpuMicrosPerPing: r((cpuTicks * 10000) / (clients * secs * 1000 / interval), 2),
  threadsColdStart: threadsCold, threadsBefore: th0, threadsHeld: thHeld, threadsMax: thMax, threadsAfter: th1,
  fdsBefore: fd0, fdsHeld: fdHeld, fdsAfter: fd1 };
out.ok = held === clients && dropped === 0 && thMax <= th0 + slack;
console.log(`fd-ceiling parley N=${clients}: held ${held} (dropped ${dropped}), ping gap max ${maxGap} ms p99 ${p99Gap} ms `
  + `(interval ${interval} ms), heap ${out.heapPerConnectionKiB} KiB/conn, RSS ${out.rssPerConnectionKiB} KiB/conn, `
  + `CPU ${out.cpuPercentIdle}% of a core idle, threads ${th0} -> max ${thMax} -> ${th1}, fds ${fd0} -> ${fd1}${out.ok ? "" : "  FAILED"}`);
console.log(JSON.stringify(out));
' "$CLIENTS" "$PING_INTERVAL" "$IDLE_SECONDS" "$((cpu1 - cpu0))" "$(echo "$t1 - $t0" | bc)" "$heap0" "$heap1" "$rss0" "$rss1" \
  "$threads0" "$threadsHeld" "$threadsMax" "$threads1" "$fds0" "$fdsHeld" "$fds1" "$connectSeconds" "$THREAD_SLACK" "$threadsCold" "$work"/gen*.out)
echo "$summary"
echo "$summary" | tail -1 >>"$OUT/fd-ceiling.txt"
echo "$summary" | tail -1 | grep -q '"ok":true'
