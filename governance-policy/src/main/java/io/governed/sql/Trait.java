package io.governed.sql;

/** Properties of a statement that policies and the baseline care about beyond its action. */
public enum Trait {
    /** {@code … CASCADE}: the effect reaches dependent objects. */
    CASCADE,
    /** {@code IF EXISTS} / {@code IF NOT EXISTS}. */
    IF_EXISTS,
    /** An ALTER that drops part of an object: a column, a constraint, a partition. */
    DROPS_PART,
    /** An ALTER … RENAME, or a RENAME statement. */
    RENAMES,
    /** SQL built or run at run time, out of the analysis' sight: {@code EXECUTE}, {@code DO $$…$$}, {@code PREPARE}, {@code EXEC}. */
    DYNAMIC_SQL,
    /** Runs a program on the database host: {@code COPY … TO/FROM PROGRAM}. */
    PROGRAM_EXECUTION,
    /** Reads or writes files on the database host: {@code COPY … TO 'file'}, {@code INTO OUTFILE}, {@code LOAD DATA}. */
    FILE_ACCESS,
    /** This statement is nested in another one: a data-modifying CTE, say. */
    NESTED,
    /** The statement came as a JDBC escape: {@code {call …}}, {@code {? = call …}}. */
    JDBC_ESCAPE,
    /** {@code SELECT … INTO new_table} or {@code CREATE TABLE … AS SELECT}: copies data into a new table. */
    COPIES_DATA,
    /** {@code GRANT ALL} / {@code REVOKE ALL}. */
    ALL_PRIVILEGES,
    /** INSERT … ON CONFLICT / ON DUPLICATE KEY UPDATE / MERGE: may update existing rows. */
    UPSERT,
    /**
     * An ALTER TABLE each of whose changes only adds: a column, a constraint, an index, a key. Changing a
     * column's type, default or nullability, dropping or renaming anything does not count.
     */
    ADDS_ONLY
}
