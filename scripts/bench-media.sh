#!/usr/bin/env bash
# SRTP throughput side by side on this machine, in one run: our SrtpContext (JMH, bench/SrtpBenchmark) against
# Debian's libsrtp2 (bench/src/main/c/srtp_bench.c), AES_CM_128_HMAC_SHA1_80, 160-byte payloads, one thread.
# libsrtp runs before and after JMH and its mean is used. Prints packets/s and the ratio.
#
#   scripts/bench-media.sh            # SRTP only (about 40 s)
#   scripts/bench-media.sh --relay    # also the relay load driver (3,5,10,20,50 participants, about 45 s)
#   scripts/bench-media.sh --jitsi    # also our SrtpContext against jitsi-srtp in one JVM (fetches jitsi-srtp
#                                     # from Maven Central into ~/.m2; about 30 s)
#
# Needs gcc and libsrtp2-dev (scripts/install-external.sh) and a built bench/target/benchmarks.jar
# (./mvnw -q -B install -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
  ""|--relay|--jitsi) ;;
  *) echo "unknown option $1 (try --help)" >&2; exit 2 ;;
esac

JAR=bench/target/benchmarks.jar
N=${PACKETS:-2000000}
[ -f "$JAR" ] || { echo "missing $JAR: run ./mvnw -q -B install -DskipTests first" >&2; exit 1; }
command -v gcc >/dev/null || { echo "gcc is missing (scripts/install-external.sh)" >&2; exit 1; }
[ -f /usr/include/srtp2/srtp.h ] || { echo "libsrtp2 headers missing: apt-get install libsrtp2-dev" >&2; exit 1; }

mkdir -p bench/target
gcc -O2 -Wall -Wextra -o bench/target/srtp_bench bench/src/main/c/srtp_bench.c -lsrtp2

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
c1=$(bench/target/srtp_bench "$N")
echo "$c1"
java -jar "$JAR" 'org.kmsconf.bench.media.SrtpBenchmark.(protect|unprotect)$' -p profile=AES_CM_128_HMAC_SHA1_80 \
  -wi 2 -w 1 -i 3 -r 1 -f 1 \
  -rf csv -rff bench/target/srtp-jmh.csv | grep -E '^(Benchmark|SrtpBenchmark)'
c2=$(bench/target/srtp_bench "$N")
echo "$c2"

field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p"; }
lp=$(( ($(echo "$c1" | field protect_pps) + $(echo "$c2" | field protect_pps)) / 2 ))
lu=$(( ($(echo "$c1" | field unprotect_pps) + $(echo "$c2" | field unprotect_pps)) / 2 ))
jp=$(awk -F, '/SrtpBenchmark.protect"/ {printf "%.0f", $5}' bench/target/srtp-jmh.csv)
ju=$(awk -F, '/SrtpBenchmark.unprotect"/ {printf "%.0f", $5}' bench/target/srtp-jmh.csv)
echo
printf '| operation | kmsconf (JCE) pkt/s | libsrtp2 pkt/s | ratio |\n|---|---:|---:|---:|\n'
awk -v a="$jp" -v b="$lp" 'BEGIN { printf "| protect | %d | %d | %.2f× |\n", a, b, a / b }'
awk -v a="$ju" -v b="$lu" 'BEGIN { printf "| unprotect | %d | %d | %.2f× |\n", a, b, a / b }'

if [ "${1:-}" = "--relay" ]; then
  echo
  java -cp "$JAR" org.kmsconf.bench.media.RelayLoadDriver --sizes 3,5,10,20,50 --warmup 1 --seconds 3 \
    --markdown bench/target/relay-load.md --svg bench/target/relay-cost.svg --csv bench/target/relay-cost.csv
  echo "table: bench/target/relay-load.md, plot: bench/target/relay-cost.svg, raw: bench/target/relay-cost.csv"
fi

if [ "${1:-}" = "--jitsi" ]; then
  echo
  dir=bench/target/jitsi
  mkdir -p "$dir"
  v=$(sed -n 's:.*<jitsi-srtp.version>\(.*\)</jitsi-srtp.version>.*:\1:p' pom.xml)
  cat > "$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>org.kmsconf</groupId><artifactId>jitsi-classpath</artifactId><version>1</version>
<dependencies><dependency><groupId>org.jitsi</groupId><artifactId>jitsi-srtp</artifactId><version>$v</version></dependency></dependencies>
</project>
POM
  ./mvnw -q -B -f "$dir/pom.xml" dependency:build-classpath -Dmdep.outputFile="$PWD/$dir/cp.txt"
  java -cp "$(cat "$dir/cp.txt"):$JAR" media/src/test/jitsi/SrtpImplementations.java 1000000
fi
