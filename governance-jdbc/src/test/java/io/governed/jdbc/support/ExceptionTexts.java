package io.governed.jdbc.support;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** Every text an application can reach from an exception: messages and descriptions of it and of everything chained to it. */
public final class ExceptionTexts {
    private ExceptionTexts() {
    }

    /**
     * The message, localised message and {@code toString} of {@code e} and of every throwable
     * reachable through {@code getCause}, {@code getSuppressed} and {@code getNextException}.
     */
    public static List<String> of(Throwable e) {
        List<String> texts = new ArrayList<>();
        walk(e, texts, Collections.newSetFromMap(new IdentityHashMap<>()));
        return texts;
    }

    /** How many throwables are reachable from {@code e} besides itself (causes, suppressed, next exceptions). */
    public static int attached(Throwable e) {
        List<String> texts = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        walk(e, texts, seen);
        return seen.size() - 1;
    }

    private static void walk(Throwable e, List<String> texts, Set<Throwable> seen) {
        if (e == null || !seen.add(e)) {
            return;
        }
        texts.add(String.valueOf(e.getMessage()));
        texts.add(String.valueOf(e.getLocalizedMessage()));
        texts.add(e.toString());
        walk(e.getCause(), texts, seen);
        for (Throwable s : e.getSuppressed()) {
            walk(s, texts, seen);
        }
        if (e instanceof SQLException sql) {
            walk(sql.getNextException(), texts, seen);
        }
    }
}
