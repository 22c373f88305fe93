#!/usr/bin/env bash
# Builds the benchmark jar and runs Bobbin's benchmark suite (issues 6 and 12): the whole suite on JDK 25,
# the Bobbin rows again on JDK 17, then writes bench/results/results.md and bench/results/chart.png.
# About 13 minutes on a 2-core machine. Run from anywhere:  bench/run.sh
# The HTTP rows run the demo jar's http demo and need wrk (Debian package 'wrk'); without it they are skipped.
# The raw JMH output is kept in bench/results/raw/ (jdk25.log, jdk17.log, */jmh.json, */results.tsv).
#
# Environment:
#   JDK25=/path/to/jdk-25   (default /usr/lib/jvm/temurin-25-jdk-amd64, else $JAVA_HOME if it is 25)
#   JDK17=/path/to/jdk-17   (default /usr/lib/jvm/java-17-openjdk-amd64; skipped if missing)
#   BENCH_OPTS="--forks 1 --warmups 3 --iterations 5 --time 1"   JMH settings of the suite
#   SKIP_BUILD=1            use the jar already built
set -euo pipefail
cd "$(dirname "$0")/.."

JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
JDK17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
BENCH_OPTS=${BENCH_OPTS:-"--forks 1 --warmups 4 --iterations 5 --time 1"}
JAR=bench/target/bobbin-bench.jar
OUT=bench/results

if [[ ! -x "$JDK25/bin/java" ]]; then
  echo "JDK 25 not found at $JDK25: set JDK25=/path/to/jdk-25" >&2
  exit 1
fi

if [[ -z "${SKIP_BUILD:-}" ]]; then
  # Builds agent, runtime, the demo jar (the HTTP rows run its http demo) and the benchmark jar; installs nothing.
  mvn -B -q package -DskipTests -pl bench,demo -am
fi

start=$(date +%s)
mkdir -p "$OUT/raw"
rm -rf "$OUT/raw/jdk25" "$OUT/raw/jdk17"

echo "== JDK 25: the whole suite"
# shellcheck disable=SC2086
"$JDK25/bin/java" -jar "$JAR" suite --out "$OUT/raw/jdk25" $BENCH_OPTS 2>&1 | tee "$OUT/raw/jdk25.log" \
  | grep --line-buffered -E '^(# (Benchmark|Parameters):|Benchmark |[A-Z][A-Za-z]+Bench\.|cpu-time |memory |serial: |sleepers |lateness |agent |echo |http |wrote )' || true

[[ -f "$OUT/raw/jdk25/results.tsv" ]] || { echo "the JDK 25 suite failed: see $OUT/raw/jdk25.log" >&2; exit 1; }

if [[ -x "$JDK17/bin/java" ]]; then
  echo "== JDK 17: the Bobbin rows"
  # shellcheck disable=SC2086
  "$JDK17/bin/java" -jar "$JAR" suite --out "$OUT/raw/jdk17" --bobbin-only $BENCH_OPTS 2>&1 | tee "$OUT/raw/jdk17.log" \
    | grep --line-buffered -E '^(# (Benchmark|Parameters):|Benchmark |[A-Z][A-Za-z]+Bench\.|cpu-time |memory |serial: |sleepers |lateness |agent |echo |http |wrote )' || true
  [[ -f "$OUT/raw/jdk17/results.tsv" ]] || { echo "the JDK 17 suite failed: see $OUT/raw/jdk17.log" >&2; exit 1; }
else
  echo "== JDK 17 not found at $JDK17: its rows stay empty"
fi

"$JDK25/bin/java" -Djava.awt.headless=true -jar "$JAR" report --results "$OUT"
echo "== done in $(( $(date +%s) - start )) s: $OUT/results.md, $OUT/chart.png"
