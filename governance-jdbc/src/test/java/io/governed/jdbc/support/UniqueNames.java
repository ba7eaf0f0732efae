package io.governed.jdbc.support;

import java.util.Locale;
import java.util.UUID;

/**
 * Table and routine names unique to one test run, so runs that share a database server do not
 * collide. Lower case and unquoted, so every database folds them the same way.
 */
public final class UniqueNames {
    private static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    private UniqueNames() {
    }

    /** {@code base} with this run's suffix, such as {@code crud_raw_1a2b3c4d}. */
    public static String of(String base) {
        return (base + "_" + RUN).toLowerCase(Locale.ROOT);
    }
}
