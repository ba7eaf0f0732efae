package io.governed.sql;

import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Which columns an UPDATE (or an upsert's update of the conflicting row) sets to a bound parameter as it is ({@code SET email = ?}, or cast: {@code CAST(? AS text)},
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
     * The columns a single UPDATE of one table (no join, no {@code FROM}) sets to a parameter, in the order written, or
     * those an upsert's update of the conflicting row sets to one ({@link #ofUpsert}); empty for any other statement,
     * one that cannot be read, or one with numbered or named parameters.
     */
    public static List<Assignment> ofUpdate(String sql, Dialect dialect) {
        return of(sql, dialect, false);
    }

    /**
     * {@link #ofUpdate} of a statement prepared by name, whose parameters its {@code EXECUTE} passes: on PostgreSQL
     * numbered ({@code SET ssn = $1}, by the number; a {@code ?} is not read), on MariaDB positional ({@code ?}).
     */
    public static List<Assignment> ofPreparedByName(String sql, Dialect dialect) {
        return of(sql, dialect, dialect == Dialect.POSTGRESQL);
    }

    private static List<Assignment> of(String sql, Dialect dialect, boolean numbered) {
        LexedSql lexed = LexedSql.of(sql, dialect);
        if (lexed.problem() != null) {
            return List.of();
        }
        StatementParser.Result parsed = StatementParser.parse(lexed.parseText(), lexed.maxNestingDepth());
        if (!parsed.parsed() || parsed.statements().size() != 1) {
            return List.of();
        }
        Statement statement = parsed.statements().get(0);
        if (statement instanceof Insert insert) {
            return ofUpsert(insert, dialect, numbered);
        }
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
                Integer index = parameterIndex((Expression) set.getValues().get(i), numbered);
                if (index != null) {
                    found.add(new Assignment(dialect.normalizeIdentifier(set.getColumns().get(i).getColumnName()), index));
                }
            }
        }
        return List.copyOf(found);
    }

    /**
     * An upsert's update of the conflicting row: each column its {@code ON CONFLICT … DO UPDATE SET} (PostgreSQL) or
     * {@code ON DUPLICATE KEY UPDATE} (MariaDB) sets to a parameter, directly or as the new row's value
     * ({@code EXCLUDED.c}, {@code VALUES(c)}) of a {@code VALUES} list, once per row.
     */
    private static List<Assignment> ofUpsert(Insert insert, Dialect dialect, boolean numbered) {
        List<UpdateSet> sets = insert.getConflictAction() != null ? insert.getConflictAction().getUpdateSets()
                : insert.getDuplicateUpdateSets();
        if (sets == null || sets.isEmpty()) {
            return List.of();
        }
        List<String> columns = new ArrayList<>();
        if (insert.getColumns() != null) {
            insert.getColumns().forEach(c -> columns.add(dialect.normalizeIdentifier(c.getColumnName())));
        }
        List<ExpressionList<?>> rows = rows(insert.getValues());
        List<Assignment> found = new ArrayList<>();
        for (UpdateSet set : sets) {
            if (set.getColumns() == null || set.getValues() == null || set.getColumns().size() != set.getValues().size()) {
                continue;
            }
            for (int i = 0; i < set.getColumns().size(); i++) {
                String target = dialect.normalizeIdentifier(set.getColumns().get(i).getColumnName());
                Expression value = (Expression) set.getValues().get(i);
                Integer index = parameterIndex(value, numbered);
                if (index != null) {
                    found.add(new Assignment(target, index));
                    continue;
                }
                String source = newRowColumn(value, dialect);
                int position = source == null ? -1 : columns.indexOf(source);
                if (position < 0) {
                    continue;
                }
                for (ExpressionList<?> row : rows) {
                    Integer fromRow = position < row.size() ? parameterIndex((Expression) row.get(position), numbered) : null;
                    if (fromRow != null) {
                        found.add(new Assignment(target, fromRow));
                    }
                }
            }
        }
        return List.copyOf(found);
    }

    /** The column of the proposed row an upsert's value names ({@code EXCLUDED.c}, {@code VALUES(c)}), or null. */
    private static String newRowColumn(Expression value, Dialect dialect) {
        Expression e = value;
        while (e instanceof CastExpression cast) {
            e = cast.getLeftExpression();
        }
        if (e instanceof Column column && column.getTable() != null && column.getTable().getName() != null
                && column.getTable().getName().equalsIgnoreCase("excluded") && column.getTable().getSchemaName() == null) {
            return dialect.normalizeIdentifier(column.getColumnName());
        }
        if (e instanceof Function function && function.getName() != null && function.getName().equalsIgnoreCase("values")
                && function.getParameters() != null && function.getParameters().size() == 1
                && function.getParameters().get(0) instanceof Column column && column.getTable() == null) {
            return dialect.normalizeIdentifier(column.getColumnName());
        }
        return null;
    }

    /** The rows of an INSERT's VALUES list (one parenthesised list, or a list of them); none for any other source. */
    private static List<ExpressionList<?>> rows(Values values) {
        List<ExpressionList<?>> rows = values == null || values.getExpressions() == null ? null : valuesRows(values);
        return rows == null ? List.of() : rows;
    }

    /** The rows of a VALUES: one parenthesised list, or a list of them; {@code null} when it is not read as rows. */
    static List<ExpressionList<?>> valuesRows(Values values) {
        ExpressionList<?> expressions = values.getExpressions();
        if (expressions instanceof ParenthesedExpressionList<?> single) {
            return List.of(single);
        }
        List<ExpressionList<?>> rows = new ArrayList<>();
        for (Object row : expressions) {
            if (!(row instanceof ParenthesedExpressionList<?> list)) {
                return null;
            }
            rows.add(list);
        }
        return rows;
    }

    /** The parameter {@code value} is (cast or not): {@code ?} by its position, or where {@code numbered} only {@code $n}. */
    private static Integer parameterIndex(Expression value, boolean numbered) {
        Expression e = value;
        while (e instanceof CastExpression cast) {
            e = cast.getLeftExpression();
        }
        if (e instanceof JdbcParameter parameter && parameter.isUseFixedIndex() == numbered
                && (!numbered || "$".equals(parameter.getParameterCharacter())) && parameter.getIndex() != null
                && parameter.getIndex() > 0) {
            return parameter.getIndex();
        }
        return null;
    }
}
