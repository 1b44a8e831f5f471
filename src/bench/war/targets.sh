# Sourced by ../run.sh when a server runs in a container: the servers `wildfly` and `payara` (Parley's
# bench WAR in WildFly / Payara Micro), `wildfly-floor` and `payara-floor` (the floor WAR: a plain
# Jakarta WebSocket endpoint, no Parley), and `parley` under the older TARGET=wildfly|payara (see
# ../README.md). Defines
#   war_prepare CONTAINER KIND   build the WAR of KIND (parley | floor) once per run, make CONTAINER
#                                (wildfly | payara) ready to start
#   war_start CONTAINER KIND LOG start CONTAINER with the WAR of KIND alone deployed, set LPID/SPID/SPATH,
#                                wait until the WAR answers (the caller, run.sh's stop_server, stops it)
# Settings:
#   PARLEY_LIB     Parley library jar packed into WEB-INF/lib [target/parley-0.1.0-SNAPSHOT.jar]
#   BENCH_WAR      the WAR built from war/BenchNamespace.java [target/parley-bench.war]
#   FLOOR_WAR      the WAR built from war/floor/FloorEndpoint.java [target/parley-floor.war]
#   WILDFLY_HOME   an unpacked WildFly 39.0.1.Final [$OUT/wildfly-39.0.1.Final, unpacked from ~/.m2]
#   PAYARA_JAR     [~/.m2/repository/fish/payara/extras/payara-micro/6.2025.10/payara-micro-6.2025.10.jar]
PARLEY_LIB=${PARLEY_LIB:-target/parley-0.1.0-SNAPSHOT.jar}
BENCH_WAR=${BENCH_WAR:-target/parley-bench.war}
FLOOR_WAR=${FLOOR_WAR:-target/parley-floor.war}
M2=${M2_REPO:-$HOME/.m2/repository}
WILDFLY_VERSION=39.0.1.Final
PAYARA_VERSION=6.2025.10
WILDFLY_HOME=${WILDFLY_HOME:-$OUT/wildfly-$WILDFLY_VERSION}
PAYARA_JAR=${PAYARA_JAR:-$M2/fish/payara/extras/payara-micro/$PAYARA_VERSION/payara-micro-$PAYARA_VERSION.jar}
CONTAINER_PORT=18080   # WildFly: 8080 + port offset 10000 (management on 19990); Payara: --port 18080
WILDFLY_MGMT_PORT=19990
WAR_BUILT=" "          # the WARs built in this run (each once)

war_file() { case $1 in parley) echo "$BENCH_WAR" ;; floor) echo "$FLOOR_WAR" ;; esac; }
war_context() { case $1 in parley) echo /parley-bench ;; floor) echo /parley-floor ;; esac; } # = the WAR's name

# war_build KIND: compiles the WAR's source against the Jakarta EE 10 APIs (and Parley), packs the WAR
war_build() {
  local kind=$1 war; war=$(war_file "$kind")
  [[ "$WAR_BUILT" == *" $kind "* ]] && return 0
  local cp="" jar jars=(jakarta/websocket/jakarta.websocket-api/2.1.1/jakarta.websocket-api-2.1.1.jar
             jakarta/websocket/jakarta.websocket-client-api/2.1.1/jakarta.websocket-client-api-2.1.1.jar)
  if [ "$kind" = parley ]; then
    [ -f "$PARLEY_LIB" ] || { echo "$PARLEY_LIB is missing: build it first (mvn package), or set PARLEY_LIB" >&2; exit 1; }
    cp="$PARLEY_LIB"
    jars+=(jakarta/servlet/jakarta.servlet-api/6.0.0/jakarta.servlet-api-6.0.0.jar
           jakarta/json/jakarta.json-api/2.1.3/jakarta.json-api-2.1.3.jar
           jakarta/enterprise/jakarta.enterprise.cdi-api/4.0.1/jakarta.enterprise.cdi-api-4.0.1.jar
           jakarta/inject/jakarta.inject-api/2.0.1/jakarta.inject-api-2.0.1.jar)
  fi
  for jar in "${jars[@]}"; do
    [ -f "$M2/$jar" ] || { echo "$M2/$jar is missing (mvn dependency:get -Dartifact=<its coordinates>)" >&2; exit 1; }
    cp="${cp:+$cp:}$M2/$jar"
  done
  local build="$OUT/war-build-$kind"
  rm -rf "$build"; mkdir -p "$build/WEB-INF/classes"
  case $kind in
    parley)
      javac --release 17 -nowarn -Xlint:none -d "$build/WEB-INF/classes" -cp "$cp" src/bench/war/BenchNamespace.java
      mkdir -p "$build/WEB-INF/lib"; cp "$PARLEY_LIB" "$build/WEB-INF/lib/" ;;
    floor)
      javac --release 17 -nowarn -Xlint:none -d "$build/WEB-INF/classes" -cp "$cp" src/bench/war/floor/FloorEndpoint.java ;;
  esac
  mkdir -p "$(dirname "$war")"
  jar cf "$war" -C "$build" WEB-INF
  WAR_BUILT="$WAR_BUILT$kind "
  echo "built $war$([ "$kind" = parley ] && echo " ($(basename "$PARLEY_LIB") in WEB-INF/lib)")"
}

war_prepare() {
  local container=$1 kind=$2
  war_build "$kind"
  case $container in
    wildfly)
      if [ ! -x "$WILDFLY_HOME/bin/standalone.sh" ]; then
        local zip="$M2/org/wildfly/wildfly-dist/$WILDFLY_VERSION/wildfly-dist-$WILDFLY_VERSION.zip"
        [ -f "$zip" ] || { echo "no WildFly: set WILDFLY_HOME, or fetch it: mvn dependency:get -Dartifact=org.wildfly:wildfly-dist:$WILDFLY_VERSION:zip -Dtransitive=false" >&2; exit 1; }
        echo "unpacking WildFly into $(dirname "$WILDFLY_HOME")"
        mkdir -p "$(dirname "$WILDFLY_HOME")"
        unzip -q -o "$zip" -d "$(dirname "$WILDFLY_HOME")"
        [ -x "$WILDFLY_HOME/bin/standalone.sh" ] || { echo "no bin/standalone.sh under $WILDFLY_HOME" >&2; exit 1; }
      fi ;;
    payara)
      [ -f "$PAYARA_JAR" ] || { echo "no Payara Micro: set PAYARA_JAR, or fetch it: mvn dependency:get -Dartifact=fish.payara.extras:payara-micro:$PAYARA_VERSION -Dtransitive=false" >&2; exit 1; }
      echo "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1" \
        > "$OUT/payara-preboot.txt" ;;
    *) echo "unknown container '$container' (wildfly payara)" >&2; exit 1 ;;
  esac
}

# war_start CONTAINER KIND LOG: starts the container with the one WAR; the caller stops it
war_start() {
  local container=$1 kind=$2 log=$3 war context open
  war=$(war_file "$kind"); context=$(war_context "$kind")
  # Ready when the WAR answers: Parley a polling handshake with an open packet; the floor (no
  # polling transport) a WebSocket upgrade with 101 (curl then waits on the open socket until -m).
  local probe="http://127.0.0.1:$CONTAINER_PORT$context/socket.io/?EIO=4&transport=polling" ready=0
  [ "$kind" = floor ] && probe="http://127.0.0.1:$CONTAINER_PORT$context/socket.io/?EIO=4&transport=websocket"
  SPATH="$context/socket.io/"
  case $container in
    wildfly)
      if (echo > /dev/tcp/127.0.0.1/"$WILDFLY_MGMT_PORT") 2>/dev/null; then
        echo "port $WILDFLY_MGMT_PORT (WildFly management) is taken by another process: stop it first" >&2; return 1
      fi
      # only this WAR deployed (the markers of an earlier run's WARs go with them)
      rm -f "$WILDFLY_HOME"/standalone/deployments/parley-bench.war* "$WILDFLY_HOME"/standalone/deployments/parley-floor.war*
      cp "$war" "$WILDFLY_HOME/standalone/deployments/$(basename "$context").war"
      LAUNCH_JBOSS_IN_BACKGROUND=1 JBOSS_JAVA_SIZING="-Xmx$HEAP" bash "$WILDFLY_HOME/bin/standalone.sh" \
        -b 127.0.0.1 -bmanagement 127.0.0.1 -Djboss.socket.binding.port-offset=10000 >> "$log" 2>&1 & ;;
    payara)
      # --deploy takes the WAR's file name as its context root: copy it under that name
      local named="$OUT/war-deploy/$(basename "$context").war"
      mkdir -p "$OUT/war-deploy"; cp "$war" "$named"
      java -Xmx"$HEAP" -jar "$PAYARA_JAR" --nocluster --port "$CONTAINER_PORT" --prebootcommandfile "$OUT/payara-preboot.txt" \
        --deploy "$named" >> "$log" 2>&1 & ;;
  esac
  LPID=$!; SPID=$LPID
  for _ in $(seq 1 900); do
    if ! kill -0 "$LPID" 2>/dev/null; then echo "$container exited while starting (see $log)" >&2; LPID=""; return 1; fi
    if [ "$kind" = parley ]; then
      if open=$(curl -s -m 2 "$probe" 2>/dev/null) && [ "${open:0:2}" = '0{' ]; then
        # close the probe's Engine.IO session at once rather than leave it to the ping timeout
        local sid; sid=$(printf '%s' "$open" | sed -n 's/.*"sid":"\([^"]*\)".*/\1/p')
        curl -s -m 2 -o /dev/null -H 'content-type: text/plain;charset=UTF-8' --data-binary 1 "$probe&sid=$sid" || true
        ready=1; break
      fi
    elif [ "$(curl -s -m 1 -o /dev/null -w '%{http_code}' -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
              -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: cGFybGV5LWZsb29yLXByb2Jl' "$probe" 2>/dev/null)" = 101 ]; then
      ready=1; break
    fi
    sleep 0.2
  done
  if [ "$ready" = 0 ]; then
    echo "$container did not answer $probe within 180 s (see $log)" >&2; return 1
  fi
  if [ "$container" = wildfly ]; then SPID=$(pgrep -P "$LPID" -x java | head -1); fi
  [ -n "$SPID" ] && return 0
  echo "cannot find WildFly's java process (a child of standalone.sh, pid $LPID)" >&2; return 1
}
