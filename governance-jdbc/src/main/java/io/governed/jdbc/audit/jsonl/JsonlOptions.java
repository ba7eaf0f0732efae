package io.governed.jdbc.audit.jsonl;

import io.governed.jdbc.audit.AuditFormat;
import io.governed.settings.Quantities;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How a jsonl sink writes, parsed from the sink spec
 * {@code jsonl:PATH[?max-size=SIZE][&rotate=DURATION][&fsync=always|window|never][&format=native|ocsf|cloudevents]}:
 *
 * <ul>
 *   <li>{@code max-size} — rotate before a line would take the active file past this size
 *       ({@code 100MB} by default; {@code 0} never rotates by size). A single line larger than the
 *       limit is still written, alone in its file.</li>
 *   <li>{@code rotate} — rotate when the active file's first event is this old ({@code 1d},
 *       {@code 12h}, {@code 30m}; {@code never}, the default, rotates by size only). Checked before
 *       each batch, so an idle log is rotated by the first event after the interval.</li>
 *   <li>{@code fsync} — see {@link FsyncPolicy}; {@code window} (one fsync per flush window) by default.</li>
 *   <li>{@code format} — the shape of each line, see {@link AuditFormat}; {@code governed.audit.format}
 *       ({@code native} unless set) by default. Lines of every format are chained alike.</li>
 * </ul>
 *
 * Example: {@code jsonl:/var/log/app/audit.jsonl?max-size=100MB&rotate=1d&fsync=window}.
 *
 * @param path        the active file
 * @param maxSize     bytes before a size rotation; 0 for none
 * @param rotateAfter age of the active file's first event before a time rotation; {@code null} for none
 * @param fsync       when lines are forced to the device
 * @param format      the shape of each line
 */
public record JsonlOptions(Path path, long maxSize, Duration rotateAfter, FsyncPolicy fsync, AuditFormat format) {

    /** The default {@code max-size}: 100 MB. */
    public static final long DEFAULT_MAX_SIZE = 100L << 20;

    public JsonlOptions {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(fsync, "fsync");
        Objects.requireNonNull(format, "format");
        if (maxSize < 0) {
            throw new IllegalArgumentException("max-size must not be negative");
        }
        if (rotateAfter != null && (rotateAfter.isZero() || rotateAfter.isNegative())) {
            throw new IllegalArgumentException("rotate must be a positive duration, or never");
        }
    }

    /** Options in the native format. */
    public JsonlOptions(Path path, long maxSize, Duration rotateAfter, FsyncPolicy fsync) {
        this(path, maxSize, rotateAfter, fsync, AuditFormat.NATIVE);
    }

    /** Default options for a file: 100 MB files, no time rotation, fsync per flush window, native format. */
    public static JsonlOptions of(Path path) {
        return new JsonlOptions(path, DEFAULT_MAX_SIZE, null, FsyncPolicy.WINDOW);
    }

    public JsonlOptions withMaxSize(long bytes) {
        return new JsonlOptions(path, bytes, rotateAfter, fsync, format);
    }

    public JsonlOptions withRotateAfter(Duration age) {
        return new JsonlOptions(path, maxSize, age, fsync, format);
    }

    public JsonlOptions withFsync(FsyncPolicy policy) {
        return new JsonlOptions(path, maxSize, rotateAfter, policy, format);
    }

    public JsonlOptions withFormat(AuditFormat format) {
        return new JsonlOptions(path, maxSize, rotateAfter, fsync, format);
    }

    /**
     * Parses the part of a sink spec after {@code jsonl:}.
     *
     * @throws IllegalArgumentException saying what is wrong and how to write it
     */
    public static JsonlOptions parse(String argument) {
        return parse(argument, AuditFormat.NATIVE);
    }

    /**
     * Parses the part of a sink spec after {@code jsonl:}, in {@code defaultFormat} unless it names one.
     *
     * @throws IllegalArgumentException saying what is wrong and how to write it
     */
    public static JsonlOptions parse(String argument, AuditFormat defaultFormat) {
        String spec = "jsonl:" + argument;
        int q = argument.indexOf('?');
        String pathText = (q < 0 ? argument : argument.substring(0, q)).trim();
        if (pathText.isEmpty()) {
            throw new IllegalArgumentException("audit sink '" + spec + "' has no file: write jsonl:PATH, e.g. jsonl:/var/log/app/audit.jsonl");
        }
        JsonlOptions options;
        try {
            options = of(Path.of(pathText)).withFormat(defaultFormat);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("audit sink '" + spec + "': '" + pathText + "' is not a file path: " + e.getReason(), e);
        }
        if (q < 0) {
            return options;
        }
        for (String pair : argument.substring(q + 1).split("&")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = (eq < 0 ? pair : pair.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : pair.substring(eq + 1).trim();
            try {
                options = switch (key) {
                    case "max-size" -> options.withMaxSize(Quantities.parseSize("max-size", value));
                    case "rotate" -> options.withRotateAfter(
                            value.equalsIgnoreCase("never") ? null : Quantities.parseDuration("rotate", value));
                    case "fsync" -> options.withFsync(FsyncPolicy.parse(value));
                    case "format" -> options.withFormat(AuditFormat.parse(value));
                    default -> throw new IllegalArgumentException(
                            "unknown option '" + key + "': use max-size, rotate, fsync or format");
                };
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("audit sink '" + spec + "': " + e.getMessage(), e);
            }
        }
        return options;
    }
}
