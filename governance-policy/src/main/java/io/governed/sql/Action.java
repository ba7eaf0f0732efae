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
    /**
     * Creates, replaces or changes code the database runs later: a function, procedure, trigger, rule,
     * event trigger, extension, row-level policy, H2 alias, MariaDB event, or runs an anonymous
     * {@code DO} block. Named {@code define-code} in policies.
     */
    DEFINE_CODE,
    SET, SHOW, EXPLAIN, USE, LOCK, TRANSACTION,
    /**
     * Two-phase commit, which finishes or lists transactions another session may have prepared: PostgreSQL's
     * {@code PREPARE TRANSACTION 'id'}, {@code COMMIT PREPARED 'id'}, {@code ROLLBACK PREPARED 'id'}; MariaDB's
     * {@code XA START|BEGIN|END|PREPARE|COMMIT|ROLLBACK xid …} and {@code XA RECOVER}. Named {@code two-phase-commit}
     * in policies; it names no table.
     */
    TWO_PHASE_COMMIT,
    /**
     * Parsed, but of a kind none of the above names (VACUUM, ANALYZE, CLUSTER, REINDEX, REFRESH MATERIALIZED VIEW, …):
     * on the tables it names, on every table when it names none and acts on all.
     */
    OTHER,
    /** Not parsed: the text could not be read as SQL of the dialect. */
    UNKNOWN;

    private final String externalName = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** The lower-case name used in policy files ({@code select}, {@code define-code}). */
    public String externalName() {
        return externalName;
    }

    /** Parses a policy action name (any case). @throws IllegalArgumentException for an unknown name */
    public static Action parse(String name) {
        for (Action a : values()) {
            if (a.externalName().equalsIgnoreCase(name.trim()) || a.name().equalsIgnoreCase(name.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown action '" + name + "'");
    }
}
