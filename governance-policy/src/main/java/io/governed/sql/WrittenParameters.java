package io.governed.sql;

import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Which columns an UPDATE sets to a bound parameter as it is ({@code SET email = ?}, or cast: {@code CAST(? AS text)},
 * {@code ?::text}), by the parameter's position: what an object-relational mapper sends when it writes an entity back
 * (Hibernate, without {@code @DynamicUpdate}, sets every column of the entity, changed or not). The driver compares
 * the values bound there with what the caller's masks show, so that a masked value read and written back unchanged
 * does not replace the stored one.
 */
public final class WrittenParameters {

    /** A column the statement sets to the value of parameter {@code parameter} (1-based, in the text's order). */
    public record Assignment(String column, int parameter) {
    }

    private WrittenParameters() {
    }

    /**
     * The columns a single UPDATE of one table (no join, no {@code FROM}) sets to a parameter, in the order written;
     * empty for any other statement, one that cannot be read, or one with numbered or named parameters.
     */
    public static List<Assignment> ofUpdate(String sql, Dialect dialect) {
        LexedSql lexed = LexedSql.of(sql, dialect);
        if (lexed.problem() != null) {
            return List.of();
        }
        StatementParser.Result parsed = StatementParser.parse(lexed.parseText(), lexed.maxNestingDepth());
        if (!parsed.parsed() || parsed.statements().size() != 1) {
            return List.of();
        }
        Statement statement = parsed.statements().get(0);
        if (!(statement instanceof Update update) || update.getUpdateSets() == null
                || update.getJoins() != null && !update.getJoins().isEmpty() || update.getFromItem() != null) {
            return List.of();
        }
        List<Assignment> found = new ArrayList<>();
        for (UpdateSet set : update.getUpdateSets()) {
            if (set.getColumns() == null || set.getValues() == null || set.getColumns().size() != set.getValues().size()) {
                continue;
            }
            for (int i = 0; i < set.getColumns().size(); i++) {
                Integer index = parameterIndex((Expression) set.getValues().get(i));
                if (index != null) {
                    found.add(new Assignment(dialect.normalizeIdentifier(set.getColumns().get(i).getColumnName()), index));
                }
            }
        }
        return List.copyOf(found);
    }

    private static Integer parameterIndex(Expression value) {
        Expression e = value;
        while (e instanceof CastExpression cast) {
            e = cast.getLeftExpression();
        }
        if (e instanceof JdbcParameter parameter && !parameter.isUseFixedIndex() && parameter.getIndex() != null
                && parameter.getIndex() > 0) {
            return parameter.getIndex();
        }
        return null;
    }
}
