#!/usr/bin/env bash
# Fuzzes every Jazzer target of the project in turn, each for DURATION (default 5m), and prints what
# each did. Jazzer fuzzes one @FuzzTest per JVM, so this is one `mvn test` per target:
#   JAZZER_FUZZ=1 mvn -o test -Dtest='<Class>#<method>' -Djazzer.max_duration=<DURATION>
# A finding stops that target's run, fails it, and is written as crash-<sha1> into the target's
# corpus directory (src/test/resources/<package>/<Class>Inputs/<method>/): fix the code, keep the
# file (renamed to say what it is) so that every `mvn test` replays it. The corpus the fuzzer grows
# meanwhile goes to .cifuzz-corpus/ (not committed).
# Usage: bash src/test/fuzz/run.sh [DURATION] [Class#method ...]
# On a shared machine, set LOCK=/tmp/parley-bench.lock to run each target under that flock.
set -u
cd "$(dirname "$0")/../../.."
duration="${1:-5m}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(
    EngineCodecFuzzTest#decodesATextFrame
    EngineCodecFuzzTest#decodesAPayload
    EngineCodecFuzzTest#roundTripsPacketsItBuilds
    SocketPacketDecoderFuzzTest#decodesMessages
    SocketPacketDecoderFuzzTest#roundTripsPacketsItBuilds
    HandshakeFuzzTest#judgesAHandshake
    HandshakeFuzzTest#parsesTheQueryItBuilds
    PollingPostFuzzTest#postsABody
  )
fi
mkdir -p target/fuzz
failed=0
for t in "${targets[@]}"; do
  log="target/fuzz/${t//#/.}.log"
  echo "== $t for $duration (log: $log)"
  cmd=(mvn -o -B test "-Dtest=$t" -Dsurefire.failIfNoSpecifiedTests=false "-Djazzer.max_duration=$duration")
  if [ -n "${LOCK:-}" ]; then cmd=(flock "$LOCK" "${cmd[@]}"); fi
  if JAZZER_FUZZ=1 "${cmd[@]}" > "$log" 2>&1; then status=ok; else status=FAILED; failed=1; fi
  # libFuzzer's last status line: executions, coverage, corpus size.
  summary=$(grep -aE '^#[0-9]+' "$log" | tail -1)
  echo "   $status  ${summary:-no libFuzzer status line (see the log)}"
  grep -aE 'Done [0-9]+ runs|FuzzTestFindingException|crash-[0-9a-f]+' "$log" | head -3 | sed 's/^/   /'
done
exit $failed
