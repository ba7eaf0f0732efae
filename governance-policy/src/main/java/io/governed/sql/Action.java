package io.governed.sql;

import java.util.Locale;

/**
 * The kind of a statement, as policies name it in lower case ({@code select}, {@code drop}, …).
 */
public enum Action {
    SELECT, INSERT, UPDATE, DELETE, MERGE,
    CREATE, ALTER, DROP, TRUNCATE, RENAME, COMMENT,
    GRANT, REVOKE,
    CALL, EXECUTE, COPY,
    SET, SHOW, EXPLAIN, USE, LOCK, TRANSACTION,
    /** Parsed, but of a kind none of the above names (VACUUM, ANALYZE, …). */
    OTHER,
    /** Not parsed: the text could not be read as SQL of the dialect. */
    UNKNOWN;

    /** The lower-case name used in policy files. */
    public String externalName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a policy action name (any case). @throws IllegalArgumentException for an unknown name */
    public static Action parse(String name) {
        for (Action a : values()) {
            if (a.name().equalsIgnoreCase(name.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown action '" + name + "'");
    }
}
