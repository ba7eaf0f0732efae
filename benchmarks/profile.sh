#!/usr/bin/env bash
# Records a profile of every thread of one benchmark (by default the governed PostgreSQL point
# select with a jsonl audit trail) during its measured iterations, and prints where each thread's
# time went. Run from anywhere; builds the benchmark jar when it is missing.
#
# PROFILER=jfr (the default): JFR's samples of threads running Java code and of threads in native
# methods; the JIT's, the garbage collector's and the kernel's CPU are not sampled.
# PROFILER=async: async-profiler's CPU profile of every thread of the process, kernel frames
# included (a trail's write and fdatasync show as the CPU they are); the profiler
# (tools.profiler:async-profiler, version in the parent pom) is fetched from Maven Central on
# first use; Linux x64, and the kernel must allow perf events (root, or perf_event_paranoid <= 1;
# it falls back to timer sampling, without kernel frames, otherwise). The JVM keeps the debug information of every
# instruction (-XX:+DebugNonSafepoints), so a sample in code the JIT inlined names the method it came from.
#
#   benchmarks/profile.sh                                   # governedJsonl, kept prepared statement
#   VARIANT=raw benchmarks/profile.sh                       # any variant of the benchmark
#   BENCHMARK=PostgresPointSelectBenchmark.preparePerOperation benchmarks/profile.sh
#   PROFILER=async benchmarks/profile.sh                    # every thread, kernel included
#   TOP=20 OUT=/tmp/profile benchmarks/profile.sh           # more frames; where the recording goes
#   JAR=/tmp/before.jar benchmarks/profile.sh               # another build's benchmark jar (before and after a change)
#   PARAMS="-p pace=400" BENCHMARK=PostgresMixedWorkloadBenchmark.transaction benchmarks/profile.sh   # more JMH options
#
# WARMUP and MEASURE are JMH's warm-up and measured iterations as COUNTxSECONDS (defaults 5x3 and 3x5). A short
# warm-up leaves what runs only a few times a second (the full decision after a session's reading is renewed, say)
# in the interpreter, where it takes many times its compiled CPU: profile a workload's steady state with, for
# example, WARMUP=6x10.
#
# CALLS=Class.method (with PROFILER=async) counts the calls of one Java method instead of sampling CPU: every call
# is a "sample" of its stack, so the collapsed stacks say how often, and from where, it ran in the measured
# iterations (CALLS=io.governed.policy.engine.PolicyEngine.check: how many statements were decided anew).
set -euo pipefail

cd "$(dirname "$0")/.."
BENCHMARK=${BENCHMARK:-PostgresPointSelectBenchmark.keptPreparedStatement}
PROFILER=${PROFILER:-jfr}
VARIANT=${VARIANT:-governedJsonl}
TOP=${TOP:-12}
OUT=${OUT:-benchmarks/target/profile}
JAR=${JAR:-benchmarks/target/benchmarks.jar}
WARMUP=${WARMUP:-5x3}
MEASURE=${MEASURE:-3x5}
for ITERATIONS in "$WARMUP" "$MEASURE"; do
    if [[ ! $ITERATIONS =~ ^[0-9]+x[0-9]+$ ]]; then
        echo "WARMUP=$WARMUP MEASURE=$MEASURE: give each as COUNTxSECONDS, for example 6x10" >&2
        exit 2
    fi
done
if [[ -n ${CALLS:-} && $PROFILER != async ]]; then
    echo "CALLS=$CALLS counts calls with async-profiler: add PROFILER=async" >&2
    exit 2
fi

if [[ ! -f $JAR ]]; then
    mvn -q -pl benchmarks -am package -DskipTests
fi
rm -rf "$OUT"
mkdir -p "$OUT"

case $PROFILER in
    async)
        LIB=benchmarks/target/async-profiler/linux-x64/libasyncProfiler.so
        if [[ ! -f $LIB ]]; then
            mvn -q -pl benchmarks dependency:unpack@async-profiler
        fi
        if [[ -n ${CALLS:-} ]]; then
            # every call of one Java method, with its stack
            PROF="async:libPath=$PWD/$LIB;output=collapsed;dir=$OUT;threads=true;event=$CALLS;interval=1"
        else
            # CPU samples every 0.2 ms of CPU, per thread, kernel frames included
            PROF="async:libPath=$PWD/$LIB;output=collapsed;dir=$OUT;threads=true;interval=200000"
        fi
        # a sample in compiled code is named by the inlined method it is in, not by the method the JIT compiled
        JVM_ARGS=(-jvmArgsAppend "-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints")
        FOUND="collapsed-*.csv" # collapsed-cpu.csv, or collapsed-<method>.csv with CALLS
        SUMMARY=io.governed.benchmarks.profile.CollapsedProfile
        SUMMARY_FILE=threads.txt
        ;;
    jfr)
        # the JDK's "profile" settings: Java samples every 10 ms per thread, native-method samples every 20 ms
        PROF="jfr:dir=$OUT"
        JVM_ARGS=()
        FOUND='*.jfr'
        SUMMARY=io.governed.benchmarks.profile.JfrTopFrames
        SUMMARY_FILE=top-frames.txt
        ;;
    *)
        echo "PROFILER=$PROFILER: say jfr (the default) or async" >&2
        exit 2
        ;;
esac

# JMH's profilers record only the measured iterations
# shellcheck disable=SC2086 # PARAMS is split into JMH's options on purpose
java -jar "$JAR" "\.$BENCHMARK\$" -p variant="$VARIANT" ${PARAMS:-} -f 1 -wi "${WARMUP%x*}" -w "${WARMUP#*x}s" \
    -i "${MEASURE%x*}" -r "${MEASURE#*x}s" \
    "${JVM_ARGS[@]}" -prof "$PROF" -prof io.governed.benchmarks.ProcessCpuProfiler | tee "$OUT/jmh.txt"

RECORDING=$(find "$OUT" -name "$FOUND" | head -n 1)
if [[ -z $RECORDING ]]; then
    echo "No profile under $OUT: did the benchmark run (see $OUT/jmh.txt)?" >&2
    exit 1
fi
echo
java -cp "$JAR" "$SUMMARY" "$RECORDING" "$TOP" | tee "$OUT/$SUMMARY_FILE"
echo
if [[ $PROFILER == async ]]; then
    echo "Profile: $RECORDING (collapsed stacks, one per line: a flame graph tool reads it)"
else
    echo "Recording: $RECORDING (open it in JDK Mission Control, or: jfr print --events jdk.ExecutionSample $RECORDING)"
fi
