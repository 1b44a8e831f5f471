#!/usr/bin/env bash
# What one idle WebSocket connection costs on the standalone server, class by class.
#
#   bash src/bench/idle-histogram.sh            # from the repository root, after mvn package; about 1 min
#   N=2000 OUT=target/idle-histogram-small bash src/bench/idle-histogram.sh
#
# Starts `java -Xmx$HEAP -jar $PARLEY_JAR --bench` on 127.0.0.1:$PORT, opens and closes WARMUP_CLIENTS
# connections (classes loaded, pools grown), takes `jcmd PID GC.class_histogram` (a full GC first),
# connects N idle WebSocket clients with `node/loadgen.mjs idle` and takes the histogram again while
# they are held, then stops the server. Files in $OUT: before.txt and after.txt (the raw histograms),
# per-connection.txt (after − before per class, divided by N, sorted by bytes: instances and bytes per
# connection, top $TOP), idle.json (loadgen's line: heap and RSS per connection).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-10000}
WARMUP_CLIENTS=${WARMUP_CLIENTS:-2000}
PORT=${PORT:-3450}
HEAP=${HEAP:-1g}
TOP=${TOP:-30}
PARLEY_JAR=${PARLEY_JAR:-target/parley-standalone.jar}
OUT=${OUT:-target/idle-histogram}
ulimit -n 20000 2>/dev/null || ulimit -n
[ -f "$PARLEY_JAR" ] || { echo "$PARLEY_JAR is missing: build it first (mvn -o package -DskipTests)" >&2; exit 1; }
command -v jcmd > /dev/null || { echo "jcmd is missing: install a JDK (not only a JRE)" >&2; exit 1; }
[ -d src/bench/node/node_modules ] || (cd src/bench/node && npm ci --silent)
mkdir -p "$OUT"

java -Xmx"$HEAP" -jar "$PARLEY_JAR" --bench --host 127.0.0.1 --port "$PORT" > "$OUT/server.log" 2>&1 &
SPID=$!
trap 'kill $SPID 2>/dev/null; wait $SPID 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  grep -q "listening on" "$OUT/server.log" && break
  kill -0 $SPID 2>/dev/null || { cat "$OUT/server.log" >&2; exit 1; }
  sleep 0.1
done
grep -q "listening on" "$OUT/server.log" || { echo "the server did not start" >&2; exit 1; }

LOADGEN=(node src/bench/node/loadgen.mjs idle --url "ws://127.0.0.1:$PORT" --pid "$SPID" --heap jcmd --label parley)
"${LOADGEN[@]}" --clients "$WARMUP_CLIENTS" --settle 1 > /dev/null
# the warm-up's connections must be gone before the baseline (their sessions close asynchronously)
for _ in $(seq 1 300); do
  [ "$(awk -v p=":$(printf '%04X' "$PORT")" '$2 ~ p"$" && $4 == "01"' /proc/net/tcp /proc/net/tcp6 2>/dev/null | wc -l)" = 0 ] && break
  sleep 0.1
done
jcmd "$SPID" GC.class_histogram > "$OUT/before.txt"
"${LOADGEN[@]}" --clients "$N" --while "jcmd $SPID GC.class_histogram > '$OUT/after.txt'" | tee "$OUT/idle.out"
grep '^{' "$OUT/idle.out" > "$OUT/idle.json" || true

python3 - "$OUT/before.txt" "$OUT/after.txt" "$N" "$TOP" > "$OUT/per-connection.txt" <<'EOF'
import re, sys
def read(path):
    table = {}
    for line in open(path):
        m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
        if m:
            table[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return table
before, after, n, top = read(sys.argv[1]), read(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rows = []
for cls, (inst, size) in after.items():
    i0, s0 = before.get(cls, (0, 0))
    rows.append((size - s0, inst - i0, cls))
rows.sort(reverse=True)
total = sum(r[0] for r in rows)
print(f"per idle connection (N = {n}): {total / n / 1024:.2f} KiB in all classes (histogram after - before)")
print(f"{'bytes/conn':>11} {'instances/conn':>15}  class")
for size, inst, cls in rows[:top]:
    print(f"{size / n:11.1f} {inst / n:15.2f}  {cls}")
EOF
cat "$OUT/per-connection.txt"
