package io.governed.sql;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The analysis of one SQL string, which may hold several statements.
 *
 * @param fingerprint the statement with literals replaced by {@code ?} and comments dropped
 * @param dialect     the dialect it was analysed in
 * @param statements  every statement, in order, nested data-modifying statements after their parent
 * @param parseError  why the text could not be analysed, or {@code null} when it was
 */
public record SqlAnalysis(String fingerprint, Dialect dialect, List<StatementAnalysis> statements, String parseError) {
    public SqlAnalysis {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(dialect, "dialect");
        statements = List.copyOf(statements);
    }

    /** An analysis of text that could not be read. */
    public static SqlAnalysis unparseable(String fingerprint, Dialect dialect, String parseError) {
        return new SqlAnalysis(fingerprint, dialect, List.of(), Objects.requireNonNull(parseError));
    }

    public boolean parsed() {
        return parseError == null;
    }

    /** True when the text holds more than one top-level statement. */
    public boolean multiStatement() {
        int topLevel = 0; // a loop, not a stream: asked of every execution of a kept statement, it allocates nothing
        for (int i = 0; i < statements.size(); i++) {
            if (!statements.get(i).has(Trait.NESTED) && ++topLevel > 1) {
                return true;
            }
        }
        return false;
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
}
