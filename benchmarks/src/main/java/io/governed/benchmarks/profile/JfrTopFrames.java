package io.governed.benchmarks.profile;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Prints what a JFR recording says about where the JVM's threads spent their time: for each
 * thread, its share of the execution samples, its top self frames (the method on top of the stack
 * when sampled), and the {@code io.governed} methods most often on its stack; then the same for the
 * native-method samples (threads inside native code: socket reads, file writes and forces, waits),
 * which are not CPU but show where a thread blocks; and the JVM's average CPU load.
 *
 * <pre>{@code java -cp benchmarks.jar io.governed.benchmarks.profile.JfrTopFrames profile.jfr [frames-per-thread]}</pre>
 */
public final class JfrTopFrames {
    private static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";
    private static final String NATIVE_SAMPLE = "jdk.NativeMethodSample";
    private static final String CPU_LOAD = "jdk.CPULoad";
    private static final String GOVERNED_PACKAGE = "io.governed.";
    private static final String BENCHMARK_PACKAGE = "io.governed.benchmarks.";

    private final Map<String, ThreadSamples> execution = new HashMap<>();
    private final Map<String, ThreadSamples> inNative = new HashMap<>();
    private double jvmUser;
    private double jvmSystem;
    private double machineTotal;
    private int cpuLoadEvents;
    private Instant first;
    private Instant last;

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: JfrTopFrames RECORDING.jfr [frames-per-thread]");
            System.exit(2);
        }
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        JfrTopFrames summary = new JfrTopFrames();
        summary.read(Path.of(args[0]));
        summary.print(System.out, Path.of(args[0]), top);
    }

    private void read(Path recording) throws IOException {
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                String type = event.getEventType().getName();
                switch (type) {
                    case EXECUTION_SAMPLE -> sample(execution, event, false);
                    case NATIVE_SAMPLE -> sample(inNative, event, true);
                    case CPU_LOAD -> {
                        jvmUser += event.getFloat("jvmUser");
                        jvmSystem += event.getFloat("jvmSystem");
                        machineTotal += event.getFloat("machineTotal");
                        cpuLoadEvents++;
                    }
                    default -> {
                    }
                }
            }
        }
    }

    /** Counts one sample; a native one by its native method and that method's caller (a socket write and a file write share one). */
    private void sample(Map<String, ThreadSamples> byThread, RecordedEvent event, boolean withCaller) {
        Instant time = event.getStartTime();
        first = first == null || time.isBefore(first) ? time : first;
        last = last == null || time.isAfter(last) ? time : last;
        RecordedThread thread = event.getThread("sampledThread");
        String name = thread == null ? "(unknown thread)" : thread.getJavaName();
        RecordedStackTrace stack = event.getStackTrace();
        byThread.computeIfAbsent(name, n -> new ThreadSamples()).add(stack == null ? List.of() : stack.getFrames(), withCaller);
    }

    private void print(PrintStream out, Path recording, int top) {
        out.println("JFR profile: " + recording.getFileName());
        if (first != null) {
            out.printf(Locale.ROOT, "Samples over %.1f s%n", Duration.between(first, last).toMillis() / 1000.0);
        }
        if (cpuLoadEvents > 0) {
            int cores = Runtime.getRuntime().availableProcessors();
            out.printf(Locale.ROOT, "JVM CPU load, average of %d readings: user %.0f%% + system %.0f%% of the machine's %d cores "
                            + "(machine total %.0f%%)%n", cpuLoadEvents, 100 * jvmUser / cpuLoadEvents,
                    100 * jvmSystem / cpuLoadEvents, cores, 100 * machineTotal / cpuLoadEvents);
        }
        section(out, "Execution samples (threads running Java code; GC, JIT and other VM threads are not sampled)", execution, top);
        section(out, "Native-method samples (threads inside native code: socket and file I/O, fsync, waits; mostly not CPU)", inNative, top);
    }

    private static void section(PrintStream out, String title, Map<String, ThreadSamples> byThread, int top) {
        long total = byThread.values().stream().mapToLong(t -> t.samples).sum();
        out.println();
        out.println("== " + title + ": " + total);
        byThread.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, ThreadSamples> e) -> e.getValue().samples).reversed())
                .forEach(e -> e.getValue().print(out, e.getKey(), total, top));
    }

    /** The samples of one thread, counted by top frame and by governed method anywhere on the stack. */
    private static final class ThreadSamples {
        long samples;
        final Map<String, Long> self = new HashMap<>();
        final Map<String, Long> governedOnStack = new HashMap<>();

        void add(List<RecordedFrame> frames, boolean withCaller) {
            samples++;
            String top = frames.isEmpty() ? "(no stack)" : name(frames.get(0));
            if (withCaller && frames.size() > 1) {
                top += " <- " + name(frames.get(1));
            }
            self.merge(top, 1L, Long::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String method = name(frame);
                if (method.startsWith(GOVERNED_PACKAGE) && !method.startsWith(BENCHMARK_PACKAGE) && seen.add(method)) {
                    governedOnStack.merge(method, 1L, Long::sum);
                }
            }
        }

        void print(PrintStream out, String thread, long total, int top) {
            out.printf(Locale.ROOT, "%n-- %s: %d samples (%.1f%% of all)%n", thread, samples, 100.0 * samples / total);
            out.println("   top frames (self):");
            printTop(out, self, top);
            if (!governedOnStack.isEmpty()) {
                out.println("   io.governed methods on the stack (inclusive):");
                printTop(out, governedOnStack, top);
            }
        }

        private void printTop(PrintStream out, Map<String, Long> counts, int top) {
            counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(top)
                    .forEach(e -> out.printf(Locale.ROOT, "     %5.1f%%  %s%n", 100.0 * e.getValue() / samples, e.getKey()));
        }

        private static String name(RecordedFrame frame) {
            return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
        }
    }
}
