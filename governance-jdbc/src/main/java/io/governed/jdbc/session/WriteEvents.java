package io.governed.jdbc.session;

import io.governed.sql.Action;
import io.governed.sql.TableRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The events of a write a trigger fires on, as bits: PostgreSQL's {@code pg_trigger.tgtype}'s (insert 4, delete 8,
 * update 16, truncate 32), which MariaDB's and H2's {@code information_schema.TRIGGERS.EVENT_MANIPULATION} words are
 * mapped to.
 */
final class WriteEvents {
    static final int INSERT = 4;
    static final int DELETE = 8;
    static final int UPDATE = 16;
    static final int TRUNCATE = 32;
    /** Every event: what a write of a kind the bits do not tell apart, or a routine that runs for any write, stands for. */
    static final int ALL = 255;
    /** H2's {@code SELECT} trigger's event: a query of the table, none of a write's ({@link #ALL} leaves it out). */
    static final int SELECT = 256;

    private WriteEvents() {
    }

    /**
     * Those of {@code routines} (each with the events it runs for, in their order) that run for {@code events}; a
     * trigger's only where its events meet them.
     */
    static List<TableRef> runningFor(Map<TableRef, Integer> routines, int events) {
        List<TableRef> run = new ArrayList<>(routines.size());
        routines.forEach((routine, runsFor) -> {
            if ((runsFor & events) != 0) {
                run.add(routine);
            }
        });
        return run;
    }

    /** The events of a write of {@code action} (an upsert also updates; a {@code MERGE}, or anything else, any of them). */
    static int of(Action action, boolean upsert) {
        return switch (action) {
            case INSERT, COPY -> upsert ? INSERT | UPDATE : INSERT;
            case UPDATE -> UPDATE;
            case DELETE -> DELETE;
            case TRUNCATE -> TRUNCATE;
            default -> ALL;
        };
    }

    /**
     * The events of an {@code EVENT_MANIPULATION} word: {@code INSERT}, {@code UPDATE}, {@code DELETE}; H2's
     * {@code SELECT} trigger fires on a query ({@link #SELECT}), no write; any other word, or none, on every write (what is not known to
     * fire on some writes only counts for all of them).
     */
    static int ofManipulation(String word) {
        if (word == null) {
            return ALL;
        }
        return switch (word.trim().toUpperCase(Locale.ROOT)) {
            case "INSERT" -> INSERT;
            case "UPDATE" -> UPDATE;
            case "DELETE" -> DELETE;
            case "SELECT" -> SELECT;
            default -> ALL;
        };
    }
}
