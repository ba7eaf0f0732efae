package io.governed.sql;

import java.util.Locale;

/**
 * Properties of a statement that policies and the baseline care about beyond its action.
 *
 * <p>Some traits mark a way out of what the analysis can follow ({@link #escape()}): a permit rule
 * covers a statement with one of them only when it names the trait in {@code when: { traits: […] }},
 * or when it permits every action ({@code actions: ["*"]}).
 */
public enum Trait {
    /** {@code … CASCADE}: the effect reaches dependent objects. */
    CASCADE,
    /** {@code IF EXISTS} / {@code IF NOT EXISTS}. */
    IF_EXISTS,
    /** An ALTER that drops part of an object: a column, a constraint, a partition, a view's definition. */
    DROPS_PART,
    /** An ALTER … RENAME, or a RENAME statement. */
    RENAMES,
    /** SQL built or run at run time, out of the analysis' sight: {@code EXECUTE}, {@code DO $$…$$}, {@code PREPARE}, {@code EXEC}. */
    DYNAMIC_SQL,
    /** Runs a program on the database host: {@code COPY … TO/FROM PROGRAM}. */
    PROGRAM_EXECUTION,
    /**
     * Reads or writes files on the database host, or reaches another database: {@code COPY … TO 'file'},
     * {@code INTO OUTFILE/DUMPFILE}, {@code LOAD DATA}, {@code pg_read_file}, H2 {@code CSVWRITE},
     * {@code FILE_READ}, {@code LINK_SCHEMA}, {@code SCRIPT TO}, {@code RUNSCRIPT}, ….
     */
    FILE_ACCESS,
    /**
     * Changes who the session acts as or what anyone may do: {@code SET ROLE}, {@code SET SESSION
     * AUTHORIZATION}, {@code RESET ROLE/ALL}, GRANT, REVOKE, {@code CREATE/ALTER/DROP ROLE|USER},
     * {@code … OWNER TO}, {@code set_config(…)}.
     */
    PRIVILEGE_CHANGE,
    /**
     * Changes a setting of the server or database rather than of this session: {@code ALTER SYSTEM},
     * MariaDB {@code SET GLOBAL}, {@code ALTER DATABASE/ROLE … SET}, H2 database settings.
     */
    SERVER_SETTING,
    /**
     * A session {@code SET} (or {@code RESET}) of a setting not listed as harmless for governance, or whose
     * setting cannot be read for certain: PostgreSQL {@code session_replication_role}, {@code row_security},
     * {@code log_statement}, a custom {@code app.x}; MariaDB {@code sql_log_bin}, {@code foreign_key_checks},
     * {@code sql_mode}; …. Time zone, encoding, search path, timeouts, planner knobs and isolation are listed.
     */
    UNLISTED_SETTING,
    /** This statement is nested in another one: a data-modifying CTE, say. */
    NESTED,
    /** The statement came as a JDBC escape: {@code {call …}}, {@code {? = call …}}. */
    JDBC_ESCAPE,
    /** {@code SELECT … INTO new_table} or {@code CREATE TABLE … AS SELECT}: copies data into a new table. */
    COPIES_DATA,
    /**
     * Leaves a value in the session or the server past the statement, where the next statement on the connection (a
     * pooled connection's next borrower) or another session reads it: a user variable assigned ({@code @v := x},
     * {@code SET @v = x}), a setting given a computed value, {@code set_config}, {@code LAST_INSERT_ID(x)},
     * {@code SETVAL}, an advisory lock's key, {@code pg_notify}'s payload.
     */
    KEEPS_VALUE,
    /**
     * Creates a temporary table ({@code CREATE TEMPORARY TABLE}, {@code CREATE TEMP TABLE … AS}, {@code SELECT … INTO
     * TEMP}, H2's {@code LOCAL}/{@code GLOBAL TEMPORARY}) or sequence ({@code CREATE TEMP SEQUENCE}): the session keeps it
     * past the statement, for the next statement on the connection, a pooled connection's next borrower's too, and its
     * name can shadow a table or sequence of the schema.
     */
    TEMPORARY,
    /**
     * A filter, a grouping, a sort or a set-returning function's arguments test the result of a function not known to
     * derive only from its arguments (a user function, {@code table_to_xml('t', …)}, {@code database_to_xml(…)}): it may
     * read any table, masked columns included, and the rows that come back answer questions about what it read.
     */
    TESTS_UNTRACEABLE,
    /**
     * A value the statement writes ({@code INSERT … VALUES}, {@code UPDATE} or {@code MERGE … SET}, {@code ON CONFLICT DO
     * UPDATE SET}) is the result of a function not on the dialect's maintained lists of built-ins (a user function
     * {@code s.f(1)}): it may read any table, masked columns included, out of the analysis' sight, so what is written
     * may be a masked value.
     */
    WRITES_UNTRACEABLE,
    /**
     * A value the session or the server keeps past the statement ({@code pg_notify}'s payload, a setting's value, an
     * advisory lock's key, {@code SET @v = …}) is the result of a function not on the dialect's maintained lists of
     * built-ins: it may be a masked value, which the next borrower of a pooled connection, or another session, reads.
     */
    KEEPS_UNTRACEABLE,
    /**
     * Advances a sequence: {@code nextval('s')}, {@code NEXT VALUE FOR s}, MariaDB's {@code NEXTVAL(s)}. The sequence
     * keeps its new value whatever becomes of the statement, so it is a write, an {@code insert} on the sequence, whose
     * name the analysis does not tell (texts that differ only in the literal naming it share one analysis).
     */
    ADVANCES_SEQUENCE,
    /**
     * Locks the rows a query reads: {@code SELECT … FOR UPDATE}, {@code FOR NO KEY UPDATE}, {@code FOR SHARE},
     * {@code FOR KEY SHARE}, MariaDB's {@code LOCK IN SHARE MODE}. Other sessions' writes wait while the transaction
     * holds them, so it counts as an {@code update} of each table the query reads, as PostgreSQL's own privileges count
     * it.
     */
    LOCKS_ROWS,
    /**
     * A query (or a query in it) chooses which of its tables' rows come back by something other than the columns it
     * names: a {@code WHERE} or join condition naming no column ({@code WHERE random() < 0.5} after {@code setseed}), an
     * {@code OFFSET} that skips the rows before it, a {@code TABLESAMPLE} (whose {@code REPEATABLE} seed picks the rows).
     * Its values are no sample of its columns' values for value detection (nor are those of a query naming a column
     * outside its select list).
     */
    CHOOSES_ROWS,
    /** {@code GRANT ALL} / {@code REVOKE ALL}. */
    ALL_PRIVILEGES,
    /** INSERT … ON CONFLICT / ON DUPLICATE KEY UPDATE / MERGE: may update existing rows. */
    UPSERT,
    /**
     * {@code CREATE OR REPLACE} of a table, database, schema, sequence, view or index: it creates the object or replaces
     * the one that exists (a table dropped with its rows, a view redefined). Its action is {@code drop} (table,
     * database, schema, sequence) or {@code alter} (view, index), and it counts as a {@code create} of the same object
     * too.
     */
    REPLACES,
    /**
     * An ALTER TABLE each of whose changes only adds: a column, a constraint, an index, a key. Changing a
     * column's type, default or nullability, dropping or renaming anything does not count.
     */
    ADDS_ONLY,
    /**
     * Calls a built-in that raises an error whose message is text the statement computes, printed bare: H2's
     * {@code SIGNAL(state, text)}. Like a routine's {@code RAISE}, the message may be any value the statement reads
     * ({@code SELECT SIGNAL('22000', email) FROM customers}), with no quotes around it for scrubbing to find, so the
     * statement counts as one that may run code of the database's users.
     */
    RAISES_MESSAGE,
    /**
     * PostgreSQL computes the relation's own expressions anew over its stored rows: {@code REINDEX} (its index
     * expressions and predicates), {@code CLUSTER}, {@code VACUUM} (a {@code FULL} one rebuilds the table and its
     * indexes, an {@code ANALYZE} one samples its expression indexes), {@code ANALYZE}, {@code REFRESH MATERIALIZED VIEW}
     * (the view's indexes), an {@code ALTER TABLE} that does more than add ({@link #ADDS_ONLY}: a new column type or
     * default rewrites the rows, {@code VALIDATE CONSTRAINT} runs a check over them). The routines those expressions
     * call run with the rows' stored values as their arguments, so
     * the statement is a {@code call} of each, as a write running them is.
     */
    REEVALUATES_ROWS,
    /**
     * Defines code the database runs later whose body the analysis could not read: a MariaDB event's {@code DO} body
     * that is a block with variables, conditions, loops or labels, or a statement the parser does not know. It may copy
     * anything anywhere, so the definition is refused to a caller a mask applies to.
     */
    UNREAD_BODY,
    /**
     * Attaches code the database runs later, in other sessions' statements, to an object the statement does not create,
     * or changes the code an existing object runs: a trigger, a rule, a row security policy (or turning row security on),
     * an event trigger, a cast, an operator, an aggregate, an extension, a language, {@code CREATE OR REPLACE} or
     * {@code ALTER} of a routine (a plain {@code CREATE FUNCTION|PROCEDURE|ALIAS} defines a routine that runs only where
     * a statement calls it by name, and does not count), a MariaDB event, an {@code ENABLE TRIGGER|RULE}; a default, a
     * generated column, a check or an index expression calling a routine off the dialect's lists of built-ins, on a
     * relation the statement does not create itself (an {@code ALTER TABLE}, a {@code CREATE INDEX}, a partition of
     * another table, a replaced view); a domain's check or default; a type with functions of its own; a {@code CREATE}
     * of a kind the analysis does not know. Another session writing or reading the object runs the code with its own
     * identity, which may see values a mask hides from the definer.
     */
    ATTACHES_CODE,
    /**
     * PostgreSQL's {@code TRUNCATE … RESTART IDENTITY}: restarts the sequences owned by the columns of the tables it
     * truncates, which the analysis does not name; an {@code alter} of any table, which every forbid of {@code alter}
     * covers and only a permit of {@code alter} on every table permits.
     */
    RESTARTS_IDENTITY,
    /**
     * H2's {@code TRUNCATE TABLE t RESTART IDENTITY}: restarts the identity columns of the table it truncates, whose
     * generators belong to that table alone; an {@code alter} of that table.
     */
    RESTARTS_TABLE_IDENTITY;

    private final String externalName = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** The traits a permit must name to cover a statement that has them (unless it permits every action). */
    public boolean escape() {
        return this == FILE_ACCESS || this == PROGRAM_EXECUTION || this == DYNAMIC_SQL || this == PRIVILEGE_CHANGE
                || this == SERVER_SETTING || this == UNLISTED_SETTING;
    }

    /** The lower-case name used in policy files ({@code file-access}). */
    public String externalName() {
        return externalName;
    }
}
