# Sourced by ../run.sh when TARGET=wildfly or TARGET=payara: Parley measured as a WAR inside a
# container instead of the standalone jar (see ../README.md). Defines war_prepare (build the WAR,
# find the container) and war_start (start it, set LPID/SPID/SPATH, wait until Engine.IO answers).
#   PARLEY_LIB     Parley library jar packed into WEB-INF/lib [target/parley-0.1.0-SNAPSHOT.jar]
#   BENCH_WAR      the WAR built from war/BenchNamespace.java [target/parley-bench.war]
#   WILDFLY_HOME   an unpacked WildFly 39.0.1.Final [$OUT/wildfly-39.0.1.Final, unpacked from ~/.m2]
#   PAYARA_JAR     [~/.m2/repository/fish/payara/extras/payara-micro/6.2025.10/payara-micro-6.2025.10.jar]
PARLEY_LIB=${PARLEY_LIB:-target/parley-0.1.0-SNAPSHOT.jar}
BENCH_WAR=${BENCH_WAR:-target/parley-bench.war}
M2=${M2_REPO:-$HOME/.m2/repository}
WILDFLY_VERSION=39.0.1.Final
PAYARA_VERSION=6.2025.10
WILDFLY_HOME=${WILDFLY_HOME:-$OUT/wildfly-$WILDFLY_VERSION}
PAYARA_JAR=${PAYARA_JAR:-$M2/fish/payara/extras/payara-micro/$PAYARA_VERSION/payara-micro-$PAYARA_VERSION.jar}
PARLEY_PORT=18080   # WildFly: 8080 + port offset 10000 (management on 19990); Payara: --port 18080
WAR_CONTEXT=/parley-bench   # the WAR's name is its context root on both containers

war_build() {
  [ -f "$PARLEY_LIB" ] || { echo "$PARLEY_LIB is missing: build it first (mvn package), or set PARLEY_LIB" >&2; exit 1; }
  local cp="$PARLEY_LIB" jar
  for jar in jakarta/websocket/jakarta.websocket-api/2.1.1/jakarta.websocket-api-2.1.1.jar \
             jakarta/websocket/jakarta.websocket-client-api/2.1.1/jakarta.websocket-client-api-2.1.1.jar \
             jakarta/servlet/jakarta.servlet-api/6.0.0/jakarta.servlet-api-6.0.0.jar \
             jakarta/json/jakarta.json-api/2.1.3/jakarta.json-api-2.1.3.jar \
             jakarta/enterprise/jakarta.enterprise.cdi-api/4.0.1/jakarta.enterprise.cdi-api-4.0.1.jar \
             jakarta/inject/jakarta.inject-api/2.0.1/jakarta.inject-api-2.0.1.jar; do
    [ -f "$M2/$jar" ] || { echo "$M2/$jar is missing (mvn dependency:get -Dartifact=<its coordinates>)" >&2; exit 1; }
    cp="$cp:$M2/$jar"
  done
  local build="$OUT/war-build"
  rm -rf "$build"; mkdir -p "$build/WEB-INF/classes" "$build/WEB-INF/lib"
  javac --release 17 -nowarn -Xlint:none -d "$build/WEB-INF/classes" -cp "$cp" src/bench/war/BenchNamespace.java
  cp "$PARLEY_LIB" "$build/WEB-INF/lib/"
  mkdir -p "$(dirname "$BENCH_WAR")"
  jar cf "$BENCH_WAR" -C "$build" WEB-INF
  echo "built $BENCH_WAR ($(basename "$PARLEY_LIB") in WEB-INF/lib)"
}

war_prepare() {
  war_build
  case $TARGET in
    wildfly)
      if [ ! -x "$WILDFLY_HOME/bin/standalone.sh" ]; then
        local zip="$M2/org/wildfly/wildfly-dist/$WILDFLY_VERSION/wildfly-dist-$WILDFLY_VERSION.zip"
        [ -f "$zip" ] || { echo "no WildFly: set WILDFLY_HOME, or fetch it: mvn dependency:get -Dartifact=org.wildfly:wildfly-dist:$WILDFLY_VERSION:zip -Dtransitive=false" >&2; exit 1; }
        echo "unpacking WildFly into $(dirname "$WILDFLY_HOME")"
        unzip -q -o "$zip" -d "$(dirname "$WILDFLY_HOME")"
        [ -x "$WILDFLY_HOME/bin/standalone.sh" ] || { echo "no bin/standalone.sh under $WILDFLY_HOME" >&2; exit 1; }
      fi
      rm -f "$WILDFLY_HOME"/standalone/deployments/parley-bench.war*
      cp "$BENCH_WAR" "$WILDFLY_HOME/standalone/deployments/parley-bench.war" ;;
    payara)
      [ -f "$PAYARA_JAR" ] || { echo "no Payara Micro: set PAYARA_JAR, or fetch it: mvn dependency:get -Dartifact=fish.payara.extras:payara-micro:$PAYARA_VERSION -Dtransitive=false" >&2; exit 1; }
      echo "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1" \
        > "$OUT/payara-preboot.txt" ;;
  esac
}

# war_start LOG: starts the container with the WAR; the caller (run.sh's start_server) stops it
war_start() {
  local log=$1 probe="http://127.0.0.1:$PARLEY_PORT$WAR_CONTEXT/socket.io/?EIO=4&transport=polling" open
  SPATH="$WAR_CONTEXT/socket.io/"
  case $TARGET in
    wildfly)
      LAUNCH_JBOSS_IN_BACKGROUND=1 JBOSS_JAVA_SIZING="-Xmx$HEAP" bash "$WILDFLY_HOME/bin/standalone.sh" \
        -b 127.0.0.1 -bmanagement 127.0.0.1 -Djboss.socket.binding.port-offset=10000 >> "$log" 2>&1 & ;;
    payara)
      java -Xmx"$HEAP" -jar "$PAYARA_JAR" --nocluster --port "$PARLEY_PORT" --prebootcommandfile "$OUT/payara-preboot.txt" \
        --deploy "$BENCH_WAR" >> "$log" 2>&1 & ;;
  esac
  LPID=$!; SPID=$LPID
  for _ in $(seq 1 900); do
    if ! kill -0 "$LPID" 2>/dev/null; then echo "$TARGET exited while starting (see $log)" >&2; LPID=""; return 1; fi
    if open=$(curl -s -m 2 "$probe" 2>/dev/null) && [ "${open:0:2}" = '0{' ]; then
      # close the probe's Engine.IO session at once rather than leave it to the ping timeout
      local sid; sid=$(printf '%s' "$open" | sed -n 's/.*"sid":"\([^"]*\)".*/\1/p')
      curl -s -m 2 -o /dev/null -H 'content-type: text/plain;charset=UTF-8' --data-binary 1 "$probe&sid=$sid" || true
      if [ "$TARGET" = wildfly ]; then SPID=$(pgrep -P "$LPID" -x java | head -1); fi
      [ -n "$SPID" ] && return 0
      echo "cannot find WildFly's java process" >&2; return 1
    fi
    sleep 0.2
  done
  echo "$TARGET did not answer $probe within 180 s (see $log)" >&2; return 1
}
