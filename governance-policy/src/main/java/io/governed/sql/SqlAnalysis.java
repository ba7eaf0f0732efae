package io.governed.sql;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The analysis of one SQL string, which may hold several statements. Immutable, and cached by the analyser: the facts
 * every run of a kept statement asks of it ({@link #multiStatement}, {@link #queriesAndRowChangesOnly},
 * {@link #namesRelations}) are worked out once, when it is made. Compares, hashes and prints as the record of its four
 * parts would.
 */
public final class SqlAnalysis {
    /** The actions {@link #queriesAndRowChangesOnly} allows. */
    private static final Set<Action> QUERIES_AND_ROW_CHANGES = EnumSet.of(Action.SELECT, Action.INSERT, Action.UPDATE,
            Action.DELETE, Action.MERGE);

    private final String fingerprint;
    private final Dialect dialect;
    private final List<StatementAnalysis> statements;
    private final String parseError;
    private final boolean multiStatement;
    private final boolean queriesAndRowChangesOnly;
    private final boolean namesRelations;

    /**
     * @param fingerprint the statement with literals replaced by {@code ?} and comments dropped
     * @param dialect     the dialect it was analysed in
     * @param statements  every statement, in order, nested data-modifying statements after their parent
     * @param parseError  why the text could not be analysed, or {@code null} when it was
     */
    public SqlAnalysis(String fingerprint, Dialect dialect, List<StatementAnalysis> statements, String parseError) {
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.statements = List.copyOf(statements);
        this.parseError = parseError;
        int topLevel = 0;
        boolean plain = parseError == null && !this.statements.isEmpty();
        boolean names = parseError != null;
        for (StatementAnalysis statement : this.statements) {
            if (!statement.has(Trait.NESTED)) {
                topLevel++;
            }
            plain &= QUERIES_AND_ROW_CHANGES.contains(statement.action()) && statement.routines().isEmpty()
                    && statement.code() == null && !statement.has(Trait.DYNAMIC_SQL)
                    && !statement.has(Trait.PRIVILEGE_CHANGE) && !statement.has(Trait.TEMPORARY)
                    && !statement.has(Trait.UNREAD_BODY);
            names |= !statement.tablesRead().isEmpty() || !statement.tablesWritten().isEmpty();
        }
        this.multiStatement = topLevel > 1;
        this.queriesAndRowChangesOnly = plain;
        this.namesRelations = names;
    }

    /** An analysis of text that could not be read. */
    public static SqlAnalysis unparseable(String fingerprint, Dialect dialect, String parseError) {
        return new SqlAnalysis(fingerprint, dialect, List.of(), Objects.requireNonNull(parseError));
    }

    /** The statement with literals replaced by {@code ?} and comments dropped. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The dialect it was analysed in. */
    public Dialect dialect() {
        return dialect;
    }

    /** Every statement, in order, nested data-modifying statements after their parent. */
    public List<StatementAnalysis> statements() {
        return statements;
    }

    /** Why the text could not be analysed, or {@code null} when it was. */
    public String parseError() {
        return parseError;
    }

    public boolean parsed() {
        return parseError == null;
    }

    /** True when the text holds more than one top-level statement (worked out once, when the analysis is made). */
    public boolean multiStatement() {
        return multiStatement;
    }

    /**
     * True when the text was read and every statement of it is a query or a row change ({@code SELECT},
     * {@code INSERT}, {@code UPDATE}, {@code DELETE}, {@code MERGE}) that calls no routine beyond its dialect's
     * built-ins, runs no code block, and has none of the traits {@link Trait#DYNAMIC_SQL} (which a {@code PREPARE}
     * and an {@code EXECUTE} of a statement prepared by name have), {@link Trait#PRIVILEGE_CHANGE},
     * {@link Trait#TEMPORARY} and {@link Trait#UNREAD_BODY}: a statement that, as the analysis reads it, prepares,
     * runs or drops no statement by name and changes no role, setting or session authorization. What its relations run
     * (a trigger, a view's routine) is not told here. Worked out once, when the analysis is made.
     */
    public boolean queriesAndRowChangesOnly() {
        return queriesAndRowChangesOnly;
    }

    /**
     * True when some statement reads or writes a relation (through which code may run: a trigger, a view's routine),
     * or the text was not read. Worked out once, when the analysis is made.
     */
    public boolean namesRelations() {
        return namesRelations;
    }

    /** The actions of all statements; {@code {UNKNOWN}} when the text was not parsed. */
    public Set<Action> actions() {
        if (!parsed()) {
            return EnumSet.of(Action.UNKNOWN);
        }
        EnumSet<Action> actions = EnumSet.noneOf(Action.class);
        statements.forEach(s -> actions.add(s.action()));
        return actions;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof SqlAnalysis other && fingerprint.equals(other.fingerprint)
                && dialect == other.dialect && statements.equals(other.statements)
                && Objects.equals(parseError, other.parseError);
    }

    @Override
    public int hashCode() {
        return ((fingerprint.hashCode() * 31 + dialect.hashCode()) * 31 + statements.hashCode()) * 31
                + Objects.hashCode(parseError);
    }

    @Override
    public String toString() {
        return "SqlAnalysis[fingerprint=" + fingerprint + ", dialect=" + dialect + ", statements=" + statements
                + ", parseError=" + parseError + "]";
    }
}
