package io.governed.benchmarks.profile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Prints where the JVM's CPU went, per thread, from an async-profiler CPU profile in collapsed form taken with
 * {@code threads=true} (each line: {@code [thread name tid=N];frame;…;frame count}). Unlike JFR's samples, these
 * cover every thread the kernel runs for the process (the JIT's and the garbage collector's too) and the kernel's
 * own frames, so a trail's {@code write} and {@code fdatasync} show as CPU where they are CPU.
 *
 * <p>For each thread (numbered threads of one kind taken together), its share of all samples, then its samples by
 * where they were: in the kernel (a system call or an interrupt), in the database driver under a governed call, in
 * governance code (the innermost governed frame, with no driver or pool frame above it), or elsewhere (the JDK, the
 * JVM, the benchmark); then the governed frames that held most samples, the governance code's samples by the JDBC call
 * they were made for (the outermost governed frame), and the system calls most entered. Given a frame (a substring of
 * it, {@code StatementPipeline.pass} say), also the samples of stacks holding it, by the frame it called (its innermost
 * occurrence), or {@code (self)}: where the time beneath one call went.
 *
 * <pre>{@code java -cp benchmarks.jar io.governed.benchmarks.profile.CollapsedProfile collapsed-cpu.csv [rows-per-thread [frame]]}</pre>
 */
public final class CollapsedProfile {
    private static final Pattern THREAD = Pattern.compile("^\\[(.*?)(?: tid=\\d+)?]$");
    /** Digits and separators at the end of a thread's name: worker-3 and worker-4, C2 CompilerThread0 and 1 are one kind. */
    private static final Pattern NUMBERED = Pattern.compile("[-#\\s]*\\d+$");
    /** The database drivers' frames, and the pool's: a governed call's time in them is not governance code's. */
    private static final String[] DRIVERS = {"org/postgresql/", "org/h2/", "org/mariadb/", "com/zaxxer/hikari/",
            "org.postgresql.", "org.h2.", "org.mariadb.", "com.zaxxer.hikari."};

    private final Map<String, ThreadProfile> threads = new HashMap<>();
    private long total;
    /**
     * What a sample is: {@code cpu} (async-profiler's file {@code collapsed-cpu.csv}), or the Java method whose calls
     * were counted ({@code collapsed-Class.method.csv}, {@code profile.sh}'s {@code CALLS}), each call a sample.
     */
    private String event = "cpu";
    /** The frame (a substring of it) whose callees are counted, or {@code null}. */
    private String beneath;

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: CollapsedProfile collapsed-cpu.csv [rows-per-thread [frame]]");
            System.exit(2);
        }
        CollapsedProfile profile = new CollapsedProfile();
        profile.beneath = args.length > 2 ? args[2] : null;
        var named = Pattern.compile("collapsed-(.+)\\.csv").matcher(Path.of(args[0]).getFileName().toString());
        if (named.matches()) {
            profile.event = named.group(1);
        }
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            profile.add(line);
        }
        profile.print(System.out, args.length > 1 ? Integer.parseInt(args[1]) : 8);
    }

    private void add(String line) {
        int space = line.lastIndexOf(' ');
        if (space < 0) {
            return;
        }
        long count = Long.parseLong(line.substring(space + 1).trim());
        String[] frames = line.substring(0, space).split(";");
        var thread = THREAD.matcher(frames[0]);
        String name = thread.matches() ? NUMBERED.matcher(thread.group(1)).replaceAll("") : "(no thread name)";
        threads.computeIfAbsent(name, ThreadProfile::new).add(frames, thread.matches() ? 1 : 0, count, beneath);
        total += count;
    }

    private void print(PrintStream out, int rows) {
        if (event.equals("cpu")) {
            out.printf(Locale.ROOT, "CPU samples: %d (every thread of the process, kernel frames included)%n", total);
        } else {
            out.printf(Locale.ROOT, "Calls of %s: %d (each call a sample below, by the thread that made it)%n", event, total);
        }
        List<ThreadProfile> byShare = new ArrayList<>(threads.values());
        byShare.sort(Comparator.comparingLong((ThreadProfile t) -> t.samples).reversed());
        for (ThreadProfile thread : byShare) {
            if (thread.samples * 200 < total) {
                continue; // under half a percent
            }
            out.printf(Locale.ROOT, "%n-- %s: %.1f%% of all samples%n", thread.name, percent(thread.samples, total));
            for (Map.Entry<String, Long> where : sorted(thread.where, 4)) {
                out.printf(Locale.ROOT, "   %5.1f%%  %s%n", percent(where.getValue(), thread.samples), where.getKey());
            }
            print(out, "   governed frames holding the samples (innermost governed frame, no driver or pool above it):", thread.governed, thread.samples, rows);
            print(out, "   governance code's samples by the JDBC call they were made for (outermost governed frame):", thread.calls, thread.samples, rows);
            if (beneath != null) {
                print(out, "   samples beneath " + beneath + " (" + thread.beneathSamples + "), by the frame it called:",
                        thread.beneathIt, thread.samples, rows);
            }
            print(out, "   system calls (the Java or native frame that entered the kernel):", thread.syscalls, thread.samples, rows);
        }
    }

    private static void print(PrintStream out, String title, Map<String, Long> counts, long of, int rows) {
        if (counts.isEmpty()) {
            return;
        }
        out.println(title);
        for (Map.Entry<String, Long> entry : sorted(counts, rows)) {
            out.printf(Locale.ROOT, "     %5.1f%%  %s%n", percent(entry.getValue(), of), entry.getKey());
        }
    }

    private static List<Map.Entry<String, Long>> sorted(Map<String, Long> counts, int rows) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(rows).toList();
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    private static final class ThreadProfile {
        final String name;
        long samples;
        final Map<String, Long> where = new HashMap<>();
        final Map<String, Long> governed = new HashMap<>();
        final Map<String, Long> syscalls = new HashMap<>();
        final Map<String, Long> calls = new HashMap<>();
        final Map<String, Long> beneathIt = new HashMap<>();
        long beneathSamples;

        ThreadProfile(String name) {
            this.name = name;
        }

        void add(String[] frames, int first, long count, String beneath) {
            samples += count;
            int kernel = -1;
            int outermostGoverned = -1;
            int innermostGoverned = -1;
            int innermostBeneath = -1;
            for (int i = first; i < frames.length; i++) {
                if (kernel < 0 && frames[i].endsWith("_[k]")) {
                    kernel = i;
                }
                if (kernel < 0 && isGoverned(frames[i])) {
                    innermostGoverned = i;
                    if (outermostGoverned < 0) {
                        outermostGoverned = i;
                    }
                }
                if (beneath != null && frames[i].contains(beneath)) {
                    innermostBeneath = i;
                }
            }
            if (innermostBeneath >= 0) {
                beneathSamples += count;
                String callee = innermostBeneath + 1 < frames.length ? frames[innermostBeneath + 1].replace('/', '.') : "(self)";
                beneathIt.merge(callee, count, Long::sum);
            }
            String place;
            if (kernel >= 0) {
                place = "kernel";
                syscalls.merge(kernel > first ? frames[kernel - 1] : "(interrupt)", count, Long::sum);
            } else if (innermostGoverned >= 0 && driverAbove(frames, innermostGoverned)) {
                place = "database driver or pool, under a governed call";
            } else if (innermostGoverned >= 0) {
                place = "governance code";
                governed.merge(frames[innermostGoverned].replace('/', '.'), count, Long::sum);
                calls.merge(frames[outermostGoverned].replace('/', '.'), count, Long::sum);
            } else {
                place = "elsewhere (JDK, JVM, benchmark)";
            }
            where.merge(place, count, Long::sum);
        }

        private static boolean isGoverned(String frame) {
            return (frame.startsWith("io/governed/") || frame.startsWith("io.governed."))
                    && !frame.startsWith("io/governed/benchmarks/") && !frame.startsWith("io.governed.benchmarks.");
        }

        private static boolean driverAbove(String[] frames, int from) {
            for (int i = from + 1; i < frames.length; i++) {
                for (String driver : DRIVERS) {
                    if (frames[i].startsWith(driver)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
