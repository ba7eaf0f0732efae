#!/usr/bin/env bash
# Runs the measurements the benchmark notes report, in one go, and keeps their JSON results in
# benchmarks/results/ under a prefix (default: today's date). Needs the PostgreSQL at 127.0.0.1:5432
# for the first three; takes about 10 minutes on 2 cores. Run it with nothing else on the machine.
#
#   benchmarks/measure.sh                 # results/YYYY-MM-DD-*.json
#   PREFIX=2026-12-01-after benchmarks/measure.sh
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=benchmarks/target/benchmarks.jar
PREFIX=${PREFIX:-$(date +%F)}
OUT=benchmarks/results
P="-prof io.governed.benchmarks.ProcessCpuProfiler"
if [[ ! -f $JAR ]]; then
    mvn -q -pl benchmarks -am package -DskipTests
fi

run() { # name, JMH arguments...
    local name=$1; shift
    echo "== $name"
    java -jar "$JAR" "$@" -rf json -rff "$OUT/$PREFIX-$name.json" | grep -E '^(Benchmark|[A-Z][A-Za-z]+Benchmark\.)'
}

run pg-point 'PostgresPointSelectBenchmark.keptPreparedStatement' -p variant=raw,governed,governedJsonl \
    -f 1 -wi 3 -w 3s -i 4 -r 3s $P
run mixed PostgresMixedWorkload -f 1 -wi 2 -w 10s -i 3 -r 10s $P
# the same workload, raw and governed in turns of 2 s in one JVM: the throughput ratio without the drift between runs
echo "== mixed-in-turns"
java -Xmx3g benchmarks/Interleaved.java tpcc 24 2000 raw,governedJsonl "$JAR" | tee "$OUT/$PREFIX-mixed-in-turns.txt"
run h2-point '^io.governed.benchmarks.PointSelectBenchmark.keptPreparedStatement$' -p variant=raw,governedUrl,governedAudited \
    -f 1 -wi 3 -w 2s -i 4 -r 2s $P
run scan MaskingScanBenchmark -f 1 -wi 3 -w 2s -i 4 -r 2s
run audit-throughput AuditThroughputBenchmark -f 1 -wi 2 -w 2s -i 4 -r 2s
run audit-throughput-2 AuditThroughputBenchmark -t 2 -f 1 -wi 2 -w 2s -i 4 -r 2s
run audit-rate AuditCostAtRateBenchmark -p eventsPerSecond=5000,500000 -f 1 -wi 2 -w 3s -i 3 -r 3s $P
