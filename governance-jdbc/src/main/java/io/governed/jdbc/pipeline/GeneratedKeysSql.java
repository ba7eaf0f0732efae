package io.governed.jdbc.pipeline;

import io.governed.jdbc.gate.SqlText;
import io.governed.sql.Action;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.StatementAnalysis;

import java.util.regex.Pattern;

/**
 * The SQL a statement amounts to once the driver has added what its generated keys need: pgjdbc
 * appends {@code RETURNING "a", "b"} to an INSERT, UPDATE or DELETE prepared or run with column
 * names, and {@code RETURNING *} for {@code RETURN_GENERATED_KEYS}; H2 returns the named or indexed
 * columns of the written rows. The statement is analysed, decided, audited and its keys masked as
 * this text, so the keys follow the same lineage as a select list. The text is never sent: the
 * driver still receives the application's SQL and makes its own.
 *
 * <p>Column positions ({@code int[]}) and {@code RETURN_GENERATED_KEYS} are analysed as
 * {@code RETURNING *}, a superset of what any driver returns for them. MariaDB's driver returns the
 * auto-increment values alone, whatever is asked: the masking stage traces them to that column.
 */
public final class GeneratedKeysSql {
    /** A name the database reads as one plain identifier. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    private GeneratedKeysSql() {
    }

    /**
     * The text to analyse for {@code sql} run with {@code keys}: {@code sql} itself when no keys are
     * asked for, or when it is not an INSERT, UPDATE or DELETE without a RETURNING clause of its own
     * (drivers add nothing to it then).
     */
    public static SqlText analysedText(SqlText sql, GeneratedKeys keys, Dialect dialect, SqlAnalyzer analyzer) {
        if (!keys.requested()) {
            return sql;
        }
        SqlAnalysis analysis = sql.analysis(analyzer, dialect);
        if (!analysis.parsed() || analysis.statements().isEmpty() || analysis.multiStatement()) {
            return sql;
        }
        StatementAnalysis statement = analysis.statements().get(0);
        Action action = statement.action();
        boolean appended = action == Action.INSERT || action == Action.UPDATE || action == Action.DELETE;
        if (!appended || !statement.resultColumns().isEmpty()) {
            return sql;
        }
        return new SqlText(stripTrailingSemicolon(sql.sql()) + "\nRETURNING " + returning(keys, dialect));
    }

    /** SQLState of a call that does not fit how the statement was run (function sequence error). */
    public static final String SQLSTATE_NOT_RUN_FOR_KEYS = "HY010";

    /**
     * The error for {@code getGeneratedKeys()} when the statement ({@code analysis}) was run without asking for generated
     * keys and the driver has none to give (MariaDB's refuses): what is wrong and how to have the keys, the fix for a
     * write with a {@code RETURNING} list of its own being its result set. Names no value of the statement.
     */
    public static java.sql.SQLException notRequested(SqlAnalysis analysis) {
        boolean ownReturning = false;
        if (analysis != null && analysis.parsed()) {
            for (StatementAnalysis statement : analysis.statements()) {
                Action action = statement.action();
                ownReturning |= (action == Action.INSERT || action == Action.UPDATE || action == Action.DELETE
                        || action == Action.MERGE) && !statement.resultColumns().isEmpty();
            }
        }
        return new java.sql.SQLException(ownReturning
                ? "The statement was run without asking for generated keys, so the driver has none to return. Its text"
                + " has a RETURNING list of its own, whose rows are the statement's result set: read them with"
                + " getResultSet() after execute() (or with executeQuery()), or drop RETURNING and run the statement"
                + " with Statement.RETURN_GENERATED_KEYS or the key columns' names to read them with getGeneratedKeys()"
                : "The statement was run without asking for generated keys, so the driver has none to return: run it"
                + " with Statement.RETURN_GENERATED_KEYS or the key columns' names (execute, executeUpdate or"
                + " prepareStatement with them) before calling getGeneratedKeys()", SQLSTATE_NOT_RUN_FOR_KEYS);
    }

    private static String returning(GeneratedKeys keys, Dialect dialect) {
        if (keys.kind() != GeneratedKeys.Kind.COLUMN_NAMES || keys.columnNames().get(0).startsWith("*")) {
            return "*";
        }
        StringBuilder list = new StringBuilder();
        for (String name : keys.columnNames()) {
            if (list.length() > 0) {
                list.append(", ");
            }
            list.append(column(name, dialect));
        }
        return list.toString();
    }

    /**
     * One column as the driver writes it: pgjdbc quotes names ({@code quoteReturningIdentifiers},
     * on by default); other drivers look the name up as the database folds it. A name that is not
     * a plain identifier is analysed as the SQL it would be if the driver spliced it in unquoted,
     * which covers every column it could name.
     */
    private static String column(String name, Dialect dialect) {
        if (name == null || !PLAIN.matcher(name).matches()) {
            return String.valueOf(name);
        }
        return dialect == Dialect.POSTGRESQL ? "\"" + name + "\"" : name;
    }

    private static String stripTrailingSemicolon(String sql) {
        String text = sql.stripTrailing();
        return text.endsWith(";") ? text.substring(0, text.length() - 1) : text;
    }
}
