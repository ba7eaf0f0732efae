package io.governed.sql;

import java.util.List;

/**
 * The code a {@code DO} statement runs at once, as a call of a routine with that body would: on PostgreSQL, the SQL
 * texts a {@code LANGUAGE plpgsql} body (the default) runs, as {@link PlpgsqlBody} reads them, when it can be read.
 *
 * @param statements the texts of the body's statements and expressions; {@code null} when the body cannot be read
 *                   (dynamic SQL, another language, a body not read for certain, another dialect's {@code DO}), which
 *                   then may do anything
 */
public record CodeBlock(List<String> statements) {

    /** A body that cannot be read. */
    public static final CodeBlock UNREAD = new CodeBlock(null);

    public CodeBlock {
        statements = statements == null ? null : List.copyOf(statements);
    }

    /** Whether the body was read ({@link #statements} known). */
    public boolean read() {
        return statements != null;
    }

    /** Says whether the body was read, and how many texts it runs; never the texts, which hold literals' values. */
    @Override
    public String toString() {
        return statements == null ? "CodeBlock[unread]" : "CodeBlock[" + statements.size() + " statements]";
    }
}
