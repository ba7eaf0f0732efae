package io.governed.jdbc.audit.jsonl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of one jsonl audit log, in chain order.
 *
 * <p>A log configured as {@code PATH} is always written to {@code PATH} itself (the active file).
 * Rotation renames the active file to {@code PATH.000001}, {@code PATH.000002}, … (the next number
 * after the highest present) and starts a new, empty {@code PATH}. The chain therefore runs through
 * the numbered files in numeric order and ends in {@code PATH}.
 */
public final class LogFiles {

    private static final Pattern ROTATED_SUFFIX = Pattern.compile("\\.(\\d+)$");
    /** Suffix of the lock file that keeps two writers off one log. */
    static final String LOCK_SUFFIX = ".lock";

    private LogFiles() {
    }

    /** The existing files of the log at {@code activePath}: rotated files oldest first, then the active file. */
    public static List<Path> inChainOrder(Path activePath) throws IOException {
        List<Path> files = new ArrayList<>(rotated(activePath).values());
        if (Files.isRegularFile(activePath)) {
            files.add(activePath);
        }
        return files;
    }

    /** The name the active file gets at the next rotation. */
    static Path nextRotatedName(Path activePath) throws IOException {
        TreeMap<Long, Path> rotated = rotated(activePath);
        long next = rotated.isEmpty() ? 1 : rotated.lastKey() + 1;
        return activePath.resolveSibling(activePath.getFileName() + "." + String.format("%06d", next));
    }

    /**
     * The active paths of the logs kept in a directory: every regular file that is not a rotated
     * file or a lock file, and the base name of rotated files whose active file is missing.
     */
    public static List<Path> logsIn(Path directory) throws IOException {
        TreeSet<Path> bases = new TreeSet<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (!Files.isRegularFile(p) || name.endsWith(LOCK_SUFFIX) || name.startsWith(".")) {
                    continue;
                }
                Matcher m = ROTATED_SUFFIX.matcher(name);
                bases.add(m.find() ? p.resolveSibling(name.substring(0, m.start())) : p);
            }
        }
        return List.copyOf(bases);
    }

    /** True when the file name ends in a rotation number ({@code audit.jsonl.000003}). */
    public static boolean isRotatedFile(Path file) {
        return ROTATED_SUFFIX.matcher(file.getFileName().toString()).find();
    }

    private static TreeMap<Long, Path> rotated(Path activePath) throws IOException {
        TreeMap<Long, Path> byNumber = new TreeMap<>();
        Path dir = activePath.toAbsolutePath().getParent();
        String prefix = activePath.getFileName() + ".";
        if (dir == null || !Files.isDirectory(dir)) {
            return byNumber;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(prefix) && Files.isRegularFile(p)) {
                    String rest = name.substring(prefix.length());
                    if (!rest.isEmpty() && rest.chars().allMatch(Character::isDigit) && rest.length() < 18) {
                        byNumber.put(Long.parseLong(rest), activePath.resolveSibling(name));
                    }
                }
            }
        }
        return byNumber;
    }
}
