package io.governed.jdbc.report;

import io.governed.jdbc.audit.jsonl.LogFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The logs a report reads: each input is a log's active path (its rotated files are found), a
 * directory (every log in it), or one rotated file on its own.
 *
 * @param name              how the report names the log
 * @param files             its files in chain order
 * @param continuesEarlier  the first file may continue a chain from files not given (a lone rotated file)
 */
record TrailFiles(Path name, List<Path> files, boolean continuesEarlier) {

    /** The longest first line compared to tell a copy of a log: far more than an event takes. */
    private static final int FIRST_LINE_LIMIT = 1 << 20;

    /**
     * The logs {@code inputs} name, each once: a log named twice (a file and its directory, two spellings of its path, a
     * rotated file besides its log) is read once, as the one holding its whole chain.
     *
     * @throws IllegalArgumentException when an input holds no log, or two logs begin with the same event (one is a copy
     *                                  of the other, whose events would be counted twice)
     */
    static List<TrailFiles> resolve(List<Path> inputs) throws IOException {
        return distinct(named(inputs));
    }

    private static List<TrailFiles> named(List<Path> inputs) throws IOException {
        List<TrailFiles> logs = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                List<Path> inDir = LogFiles.logsIn(input);
                if (inDir.isEmpty()) {
                    throw new IllegalArgumentException("no audit log in directory " + input);
                }
                for (Path log : inDir) {
                    logs.add(new TrailFiles(log, LogFiles.inChainOrder(log), false));
                }
            } else if (LogFiles.isRotatedFile(input) && Files.isRegularFile(input)) {
                logs.add(new TrailFiles(input, List.of(input), true));
            } else {
                List<Path> chain = LogFiles.inChainOrder(input);
                if (chain.isEmpty()) {
                    throw new IllegalArgumentException("no such audit log: " + input + " (neither the file nor rotated "
                            + input.getFileName() + ".NNNNNN files exist)");
                }
                logs.add(new TrailFiles(input, chain, false));
            }
        }
        return logs;
    }

    /** Drops each log whose files another log holds too (keeping the one with more files, else the first). */
    private static List<TrailFiles> distinct(List<TrailFiles> logs) throws IOException {
        List<Set<Path>> files = new ArrayList<>();
        for (TrailFiles log : logs) {
            Set<Path> real = new LinkedHashSet<>();
            for (Path f : log.files()) {
                real.add(Files.exists(f) ? f.toRealPath() : f.toAbsolutePath().normalize());
            }
            files.add(real);
        }
        List<TrailFiles> kept = new ArrayList<>();
        for (int i = 0; i < logs.size(); i++) {
            boolean again = false;
            for (int j = 0; j < logs.size() && !again; j++) {
                again = j != i && files.get(j).containsAll(files.get(i))
                        && (files.get(j).size() > files.get(i).size() || j < i);
            }
            if (!again) {
                kept.add(logs.get(i));
            }
        }
        Map<String, Path> byFirstEvent = new HashMap<>();
        for (TrailFiles log : kept) {
            String first = firstLine(log);
            Path earlier = first == null ? null : byFirstEvent.putIfAbsent(first, log.name());
            if (earlier != null) {
                throw new IllegalArgumentException("the logs " + earlier + " and " + log.name() + " begin with the same event:"
                        + " one is a copy of the other, and its events would be counted twice; give one of them");
            }
        }
        return kept;
    }

    /** The first line of the log's oldest file that has one (up to {@link #FIRST_LINE_LIMIT} bytes), or {@code null}. */
    private static String firstLine(TrailFiles log) throws IOException {
        for (Path f : log.files()) {
            if (!Files.isRegularFile(f)) {
                continue;
            }
            try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(f))) {
                byte[] line = new byte[8192];
                int n = 0;
                for (int b = in.read(); b >= 0 && b != '\n' && n < FIRST_LINE_LIMIT; b = in.read()) {
                    if (n == line.length) {
                        line = Arrays.copyOf(line, Math.min(FIRST_LINE_LIMIT, line.length * 2));
                    }
                    line[n++] = (byte) b;
                }
                if (n > 0) {
                    return new String(line, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
                }
            }
        }
        return null;
    }
}
