#!/usr/bin/env bash
# Records a JFR profile of every thread of one benchmark (by default the governed PostgreSQL point
# select with a jsonl audit trail) during its measured iterations, and prints the top frames per
# thread. Run from anywhere; builds the benchmark jar when it is missing.
#
#   benchmarks/profile.sh                                   # governedJsonl, kept prepared statement
#   VARIANT=raw benchmarks/profile.sh                       # any variant of the benchmark
#   BENCHMARK=PostgresPointSelectBenchmark.preparePerOperation benchmarks/profile.sh
#   TOP=20 OUT=/tmp/profile benchmarks/profile.sh           # more frames; where the recording goes
set -euo pipefail

cd "$(dirname "$0")/.."
BENCHMARK=${BENCHMARK:-PostgresPointSelectBenchmark.keptPreparedStatement}
VARIANT=${VARIANT:-governedJsonl}
TOP=${TOP:-12}
OUT=${OUT:-benchmarks/target/profile}
JAR=benchmarks/target/benchmarks.jar

if [[ ! -f $JAR ]]; then
    mvn -q -pl benchmarks -am package -DskipTests
fi
rm -rf "$OUT"
mkdir -p "$OUT"

# JMH's JFR profiler records only the measured iterations, with the JDK's "profile" settings
# (Java samples every 10 ms per thread, native-method samples every 20 ms).
java -jar "$JAR" "$BENCHMARK\$" -p variant="$VARIANT" -f 1 -wi 5 -w 3s -i 3 -r 5s \
    -prof "jfr:dir=$OUT" -prof io.governed.benchmarks.ProcessCpuProfiler | tee "$OUT/jmh.txt"

RECORDING=$(find "$OUT" -name '*.jfr' | head -n 1)
if [[ -z $RECORDING ]]; then
    echo "No JFR recording under $OUT: did the benchmark run (see $OUT/jmh.txt)?" >&2
    exit 1
fi
echo
java -cp "$JAR" io.governed.benchmarks.profile.JfrTopFrames "$RECORDING" "$TOP" | tee "$OUT/top-frames.txt"
echo
echo "Recording: $RECORDING (open it in JDK Mission Control, or: jfr print --events jdk.ExecutionSample $RECORDING)"
