#!/usr/bin/env bash
# The soak (issue 16 item 7) as one command: standalone.SoakIT with 5,000 clients for 10 minutes
# (CI runs the same test with 2,000 clients for 60 s in `mvn verify`). The server runs in the test
# JVM; the clients are one Node process (src/test/node/soak/soak-clients.mjs). Every 10 s the
# server's heap after a full GC, threads and file descriptors are sampled; the test asserts they
# are flat and that every broadcast and every ack arrived (see SoakIT's Javadoc and ../README.md).
# Prints the samples table and the clients' counts; also written to $OUT/soak.txt.
#
#   bash src/bench/soak.sh                          # from the repository root; about 11 minutes
#   CLIENTS=2000 SECONDS_=60 bash src/bench/soak.sh # the CI size
#
# Environment [defaults]: CLIENTS [5000], SECONDS_ (the steady phase, s) [600], OUT [target/bench].
set -euo pipefail
cd "$(dirname "$0")/../.."
CLIENTS=${CLIENTS:-5000}
SECONDS_=${SECONDS_:-600}
OUT=${OUT:-target/bench}
mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)" # a descriptor per connection in the server JVM and in the Node process
[ "$CLIENTS" -lt $(( $(ulimit -n) - 500 )) ] || { echo "soak: $CLIENTS clients need more than $(ulimit -n) descriptors" >&2; exit 2; }
set +e
mvn -o -B -q test-compile failsafe:integration-test failsafe:verify -Dit.test=SoakIT \
  -Dsoak.clients="$CLIENTS" -Dsoak.seconds="$SECONDS_" 2>&1 | tee "$OUT/soak.log" | grep -a --line-buffered '^\[soak'
status=${PIPESTATUS[0]}
set -e
grep -a '^\[soak\]' "$OUT/soak.log" | sed -n '/server samples every/,$p' >"$OUT/soak.txt" || true
if [ "$status" -ne 0 ]; then
  echo "soak: FAILED (see $OUT/soak.log and target/failsafe-reports/)" >&2
  grep -a -E 'Tests run|AssertionError|expected|Expecting' "$OUT/soak.log" | head -20 >&2 || true
  exit 1
fi
echo "soak: passed ($CLIENTS clients, $SECONDS_ s); table in $OUT/soak.txt"
