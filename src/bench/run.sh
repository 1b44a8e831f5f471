#!/usr/bin/env bash
# Parley's benchmark (not part of the test run, see src/bench/README.md): Parley's deployments and its
# peers measured in the same run by the same load generator, then a markdown table of values and
# ratios of each Parley deployment to each peer.
#   bash src/bench/run.sh                                      (from the repository root, after mvn package)
#   SERVERS="parley wildfly payara node" bash src/bench/run.sh (Parley standalone, on WildFly, on Payara, Node)
#   SERVERS="parley node" SCENARIOS="fanout echo" bash src/bench/run.sh
# Servers: parley (the standalone jar, Tyrus + Grizzly), wildfly and payara (the bench WAR from
# src/bench/war/ in WildFly 39 / Payara Micro 6, see war/targets.sh), node (Socket.IO 4.8),
# netty (netty-socketio 2.0.14), tyrus (a raw Tyrus endpoint), wildfly-floor and payara-floor (a plain
# Jakarta WebSocket endpoint in the container, no Parley: what the container itself costs).
# Every server is started fresh for every measured run (so no run inherits another's heap, RSS or
# sockets), warmed up with runs of the same kind (JIT), measured, then stopped; one server runs at a
# time (the containers all use port 18080). All bind 127.0.0.1. The default run takes about 15-20
# minutes on 2 cores; each container server adds more (README: "How long").
#
# Settings (environment, defaults in brackets):
#   SERVERS         servers to measure, in column order ["parley node netty tyrus"]
#   SCENARIOS       ["fanout fanout-rate echo idle connect polling"]
#   CLIENTS         fan-out subscriber counts N ["1000 5000 10000"]
#   DELIVERIES      deliveries per window-16 fan-out run; messages = DELIVERIES / N [1000000]
#   MESSAGES        messages per window-16 fan-out run, whatever N (overrides DELIVERIES) [unset]
#   RATE, RATE_SECONDS   fixed-rate fan-out: RATE messages/s for RATE_SECONDS [20, 10]
#   ECHO_CLIENTS, ECHO_SECONDS   [100, 10]
#   IDLE_CLIENTS, IDLE_SETTLE    idle connections, seconds left idle before measuring [10000, 5]
#   CONNECT_CLIENTS, INFLIGHT    connections opened, handshakes in flight [10000, 256]
#   POLLING_CLIENTS, POLLING_MESSAGES   long-polling subscribers, messages (window 16) [1000, 500]
#   HEAP            -Xmx of every JVM [1g]
#   PARLEY_JAR      Parley standalone jar [target/parley-standalone.jar]
#   TARGET          the older way: where "parley" runs, standalone | wildfly | payara (the bench WAR);
#                   not together with wildfly/payara/*-floor in SERVERS [standalone]
#   PARLEY_LIB, BENCH_WAR, FLOOR_WAR, WILDFLY_HOME, PAYARA_JAR: the WARs and containers, see
#                   src/bench/war/targets.sh
#   PEERS_JAR       the netty/tyrus peers, built if missing [src/bench/peers/target/parley-bench-peers.jar]
#   WARMUP          1 = warm each server up before a measured run, 0 = no warm-up [1]
#   OUT             results directory [target/bench]
# Results: $OUT/lines.txt (one JSON line per run), $OUT/table.md, server logs in $OUT/*.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
SERVERS=${SERVERS:-"parley node netty tyrus"}
SCENARIOS=${SCENARIOS:-"fanout fanout-rate echo idle connect polling"}
CLIENTS=${CLIENTS:-"1000 5000 10000"}
DELIVERIES=${DELIVERIES:-1000000}
MESSAGES=${MESSAGES:-}
RATE=${RATE:-20}
RATE_SECONDS=${RATE_SECONDS:-10}
ECHO_CLIENTS=${ECHO_CLIENTS:-100}
ECHO_SECONDS=${ECHO_SECONDS:-10}
IDLE_CLIENTS=${IDLE_CLIENTS:-10000}
IDLE_SETTLE=${IDLE_SETTLE:-5}
CONNECT_CLIENTS=${CONNECT_CLIENTS:-10000}
INFLIGHT=${INFLIGHT:-256}
POLLING_CLIENTS=${POLLING_CLIENTS:-1000}
POLLING_MESSAGES=${POLLING_MESSAGES:-500}
HEAP=${HEAP:-1g}
PARLEY_JAR=${PARLEY_JAR:-target/parley-standalone.jar}
TARGET=${TARGET:-standalone}
WARMUP=${WARMUP:-1}
OUT=${OUT:-target/bench}
PEERS_JAR=${PEERS_JAR:-src/bench/peers/target/parley-bench-peers.jar}
GEN=src/bench/node/loadgen.mjs
GEN_TIMEOUT=900
mkdir -p "$OUT"
ulimit -n 20000 2>/dev/null || ulimit -n
has() { [[ " $SERVERS " == *" $1 "* ]]; }
port_of() { # the containers all use 18080 (targets.sh's CONTAINER_PORT): only one server runs at a time
  case $1 in
    parley) if [ "$TARGET" = standalone ]; then echo "${PARLEY_PORT:-3400}"; else echo 18080; fi ;;
    node) echo 3401 ;; netty) echo 3402 ;; tyrus) echo 3403 ;;
    wildfly|payara|wildfly-floor|payara-floor) echo 18080 ;;
  esac
}

# ---- prerequisites ----
CONTAINER_SERVERS="wildfly payara wildfly-floor payara-floor"
container_of() { case $1 in wildfly|wildfly-floor) echo wildfly ;; payara|payara-floor) echo payara ;; parley) echo "$TARGET" ;; esac; }
war_of() { case $1 in *-floor) echo floor ;; *) echo parley ;; esac; }
in_container() { [[ " $CONTAINER_SERVERS " == *" $1 "* ]] || { [ "$1" = parley ] && [ "$TARGET" != standalone ]; }; }
for s in $SERVERS; do
  case $s in parley|node|netty|tyrus|wildfly|payara|wildfly-floor|payara-floor) ;;
    *) echo "unknown server '$s' (parley node netty tyrus wildfly payara wildfly-floor payara-floor)" >&2; exit 1 ;; esac
done
case $TARGET in
  standalone)
    if has parley && [ ! -f "$PARLEY_JAR" ]; then
      echo "$PARLEY_JAR is missing: build it first (mvn package), or point PARLEY_JAR at a standalone jar" >&2; exit 1
    fi ;;
  wildfly|payara)
    for s in $CONTAINER_SERVERS; do
      if has "$s"; then
        echo "TARGET=$TARGET (parley in a container, the older way) cannot be combined with '$s' in SERVERS: leave TARGET unset and list the deployments, e.g. SERVERS=\"parley wildfly payara node\"" >&2; exit 1
      fi
    done ;;
  *) echo "TARGET must be standalone, wildfly or payara, not '$TARGET'" >&2; exit 1 ;;
esac
for s in $SERVERS; do
  if in_container "$s"; then
    [ -n "${CONTAINER_PORT:-}" ] || source src/bench/war/targets.sh
    war_prepare "$(container_of "$s")" "$(war_of "$s")"
  fi
done
if has netty || has tyrus; then
  if [ ! -f "$PEERS_JAR" ]; then
    echo "building the Java peers ($PEERS_JAR)"
    mvn -q -B -f src/bench/peers/pom.xml package || { echo "cannot build $PEERS_JAR" >&2; exit 1; }
  fi
fi
if [ ! -f src/bench/node/node_modules/.package-lock.json ] || [ src/bench/node/package-lock.json -nt src/bench/node/node_modules/.package-lock.json ]; then
  (cd src/bench/node && npm ci --no-audit --no-fund >/dev/null)
fi

for s in $SERVERS; do
  p=$(port_of "$s")
  if (echo > /dev/tcp/127.0.0.1/"$p") 2>/dev/null; then echo "port $p ($s) is taken by another process: stop it first" >&2; exit 1; fi
done

# ---- servers: one at a time, started fresh for each measured run ----
SPID=""    # the process measured (/proc CPU and RSS, jcmd)
LPID=""    # the process launched (a wrapper script for WildFly)
SPORT=""
SPATH=/socket.io/
HEAPARG=""
cleanup() { [ -n "$LPID" ] && stop_server; true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

start_server() {
  local name=$1 log="$OUT/$1.log"
  SPORT=$(port_of "$name")
  SPATH=/socket.io/
  HEAPARG=jcmd
  if (echo > /dev/tcp/127.0.0.1/"$SPORT") 2>/dev/null; then
    echo "port $SPORT is taken by another process: stop it first" >&2; return 1
  fi
  local from; from=$(($( [ -f "$log" ] && wc -c < "$log" || echo 0) + 1))
  echo "=== $(date '+%F %T') start" >> "$log"
  case $name in
    wildfly|payara|wildfly-floor|payara-floor)
      war_start "$(container_of "$name")" "$(war_of "$name")" "$log"; return ;;
    parley)
      if [ "$TARGET" != standalone ]; then war_start "$TARGET" parley "$log"; return; fi
      java -Xmx"$HEAP" -jar "$PARLEY_JAR" --bench --host 127.0.0.1 --port "$SPORT" >> "$log" 2>&1 & ;;
    node)
      HEAPARG="http://127.0.0.1:$SPORT/__bench/heap"
      node --expose-gc src/bench/node/node-peer.mjs --host 127.0.0.1 --port "$SPORT" >> "$log" 2>&1 & ;;
    netty)
      java -Xmx"$HEAP" -cp "$PEERS_JAR" dev.parley.bench.NettySocketIoPeer --host 127.0.0.1 --port "$SPORT" >> "$log" 2>&1 & ;;
    tyrus)
      java -Xmx"$HEAP" -cp "$PEERS_JAR" dev.parley.bench.RawTyrusPeer --host 127.0.0.1 --port "$SPORT" >> "$log" 2>&1 & ;;
  esac
  LPID=$!; SPID=$LPID
  for _ in $(seq 1 600); do
    if ! kill -0 "$LPID" 2>/dev/null; then
      echo "$name exited while starting:" >&2; tail -c +"$from" "$log" | tail -20 >&2; LPID=""; return 1
    fi
    if tail -c +"$from" "$log" | grep -q "listening on" && (echo > /dev/tcp/127.0.0.1/"$SPORT") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "$name did not start within 60 s (see $log)" >&2; stop_server; return 1
}

stop_server() {
  [ -n "$LPID" ] || return 0
  # TERM the measured process itself: WildFly's standalone.sh passes TERM on, but once its JVM has
  # exited it spins in its `wait` loop (bash 5 answers `wait PID` for a reaped child with the saved
  # status 143 again and again), so the launcher is killed as soon as its JVM is gone.
  local p=${SPID:-$LPID}
  kill -TERM "$p" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$p" 2>/dev/null || true
  [ "$p" != "$LPID" ] && kill -KILL "$LPID" 2>/dev/null || true
  wait "$LPID" 2>/dev/null || true
  LPID=""; SPID=""
}

# ---- load generator ----
: > "$OUT/lines.txt"
record() { printf '%s\n' "$1" >> "$OUT/lines.txt"; }

# gen SCENARIO ARGS... : one load generator run; its JSON line goes to lines.txt (not for warm-ups)
gen() {
  local rc=0
  timeout "$GEN_TIMEOUT" node "$GEN" "$@" > "$OUT/last.txt" || rc=$?
  if [[ " $* " == *" --label warmup "* ]]; then
    if [ $rc = 0 ]; then grep -v '^{' "$OUT/last.txt" | sed 's/^/  warm-up: /' || true
    else echo "  (warm-up failed: $(grep -v '^{' "$OUT/last.txt" | head -1))"; fi
    return 0
  fi
  grep -v '^{' "$OUT/last.txt" || true
  if grep -q '^{' "$OUT/last.txt"; then grep '^{' "$OUT/last.txt" >> "$OUT/lines.txt"
  else record "{\"scenario\":\"$1\",\"error\":\"load generator exit $rc\",$(json_of_args "$@")}"; echo "  load generator exit $rc"; fi
}
json_of_args() { # the label, clients and mode of a run, for a line the load generator could not write
  local label="" clients=0 mode=""
  while [ $# -gt 0 ]; do case $1 in --label) label=$2 ;; --clients) clients=$2 ;; --rate) mode="$2/s" ;; --window) mode="window $2" ;; esac; shift; done
  printf '"label":"%s","clients":%s%s' "$label" "$clients" "${mode:+,\"mode\":\"$mode\"}"
}

warmup() { # warm-up of the same kind as the measured run (JIT, lazily loaded classes)
  [ "$WARMUP" = 1 ] || return 0
  local url="ws://127.0.0.1:$SPORT" common="--pid $SPID --path $SPATH --label warmup"
  case $1 in
    # Sized so the JVMs' JIT has compiled the measured path (a polling run needs ~3 runs of this
    # size before its CPU per delivery settles); every server gets the same warm-up.
    fanout)  gen fanout --url "$url" $common --clients 500 --messages 2000 --window 16
             # then at the measured size: paths that only get hot with thousands of connections
             gen fanout --url "$url" $common --clients "$2" --messages $(( 200000 / $2 + 16 )) --window 16 ;;
    # Three 5 s runs at the measured size: one 5 s run at 50 clients left Payara at 156 µs per
    # round trip, then 71 in the measured run; every server gets the same.
    echo)    for _ in 1 2 3; do gen echo --url "$url" $common --clients "$2" --seconds 5; done ;;
    # A JVM's CPU per connection keeps falling for ~30,000 connections (JIT of the handshake path
    # across container, WebSocket and Parley code: 616, 352, 217 µs over three runs of 10,000), so
    # every server gets 4 runs at the measured size first; their summaries are printed.
    connect) for _ in 1 2 3 4; do gen connect --url "$url" $common --clients "$2"; done ;;
    idle)    gen connect --url "$url" $common --clients 2000 ;;
    polling) gen polling --url "$url" $common --clients 500 --messages 1000 --window 16
             gen polling --url "$url" $common --clients 500 --messages 1000 --window 16 ;;
  esac
}

# measure SERVER SCENARIO ARGS... : fresh server, warm-up, one measured run, stop
measure() {
  local server=$1 scenario=$2; shift 2
  if ! start_server "$server"; then
    stop_server
    record "{\"scenario\":\"$scenario\",\"error\":\"server did not start\",$(json_of_args --label "$server" "$@")}"; return 0
  fi
  local clients=500 prev=""
  for a in "$@"; do [ "$prev" = --clients ] && clients=$a; prev=$a; done
  warmup "$scenario" "$clients"
  local extra=()
  [ "$scenario" = idle ] && extra=(--heap "$HEAPARG")
  gen "$scenario" --url "ws://127.0.0.1:$SPORT" --path "$SPATH" --pid "$SPID" --label "$server" "$@" "${extra[@]}"
  stop_server
}

started=$(date +%s)
echo "servers: $SERVERS$(has parley && echo " (parley: $TARGET)"); scenarios: $SCENARIOS; -Xmx$HEAP; results in $OUT/"
for scenario in $SCENARIOS; do
  case $scenario in
    fanout)
      for n in $CLIENTS; do
        msgs=${MESSAGES:-$(( (DELIVERIES + n - 1) / n ))}
        for s in $SERVERS; do measure "$s" fanout --clients "$n" --messages "$msgs" --window 16 --inflight "$INFLIGHT"; done
      done ;;
    fanout-rate)
      for n in $CLIENTS; do
        for s in $SERVERS; do measure "$s" fanout --clients "$n" --rate "$RATE" --seconds "$RATE_SECONDS" --inflight "$INFLIGHT"; done
      done ;;
    echo)
      for s in $SERVERS; do measure "$s" echo --clients "$ECHO_CLIENTS" --seconds "$ECHO_SECONDS"; done ;;
    idle)
      for s in $SERVERS; do measure "$s" idle --clients "$IDLE_CLIENTS" --settle "$IDLE_SETTLE" --inflight "$INFLIGHT"; done ;;
    connect)
      for s in $SERVERS; do measure "$s" connect --clients "$CONNECT_CLIENTS" --inflight "$INFLIGHT"; done ;;
    polling)
      for s in $SERVERS; do
        case $s in tyrus|*-floor)
          echo "polling $s N=$POLLING_CLIENTS: skipped (a raw WebSocket endpoint: no polling transport)"
          record "{\"scenario\":\"polling\",\"label\":\"$s\",\"clients\":$POLLING_CLIENTS,\"mode\":\"window 16\",\"skipped\":\"no polling transport\"}"
          continue ;;
        esac
        measure "$s" polling --clients "$POLLING_CLIENTS" --messages "$POLLING_MESSAGES" --window 16
      done ;;
    *) echo "unknown scenario '$scenario' (fanout fanout-rate echo idle connect polling)" >&2 ;;
  esac
done
echo "total $(( $(date +%s) - started )) s"
node src/bench/node/table.mjs "$OUT/lines.txt" "$SERVERS" "$TARGET" | tee "$OUT/table.md"
