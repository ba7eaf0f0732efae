package io.governed.sql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import net.sf.jsqlparser.expression.AnyComparisonExpression;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsDistinctExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Decides whether the WHERE of an UPDATE or DELETE bounds the rows it touches.
 *
 * <p>The verdict never depends on a literal's value, because statements that differ only in literals
 * share one cached analysis: {@code WHERE 1=0} and {@code WHERE 1=1} must get the same answer, so a
 * predicate that does not look at the target's rows at all (only literals, parameters, session
 * values, an uncorrelated subquery) counts as always true. So do {@code x = x} (casts seen through),
 * a comparison whose sides read the same columns and differ only in literals or operators
 * ({@code x = x + 0}, {@code a + b = b + a}, {@code x BETWEEN x - 1 AND x + 1}),
 * {@code p OR q} when either side is always true or the two are complementary ({@code x IS NULL OR
 * x IS NOT NULL}, {@code a = 1 OR a <> 2}), and {@code p AND q} when both are; {@code NOT} is pushed
 * inwards. So do {@code x IS NOT NULL} (true for every row of a NOT NULL column), any operator between
 * two equal sides (MariaDB's {@code a <=> a}), and a condition whose subquery reads the target table
 * itself ({@code key IN (SELECT key FROM t)}). Everything else that reads a column of the target is
 * {@link WhereKind#PRESENT}.
 */
final class WhereClassifier {

    private final Dialect dialect;
    private final Predicate<Column> targetColumn;
    /** The target tables' names, as the dialect normalises them: a subquery over one of them proves no bound. */
    private final Set<String> targetTables;

    /**
     * @param targetColumn whether a column reference may read the rows of the statement's target
     *                     (unqualified, or qualified by the target's name or alias)
     */
    WhereClassifier(Dialect dialect, Predicate<Column> targetColumn) {
        this(dialect, targetColumn, Set.of());
    }

    /**
     * @param targetTables the names of the tables written: a condition whose subquery reads one of them
     *                     ({@code key IN (SELECT key FROM t)}) may hold for every row, and proves no bound
     */
    WhereClassifier(Dialect dialect, Predicate<Column> targetColumn, Set<String> targetTables) {
        this.dialect = dialect;
        this.targetColumn = targetColumn;
        this.targetTables = targetTables;
    }

    WhereKind classify(Expression where) {
        if (where == null) {
            return WhereKind.ABSENT;
        }
        return alwaysTrue(where, false) ? WhereKind.ALWAYS_TRUE : WhereKind.PRESENT;
    }

    /** Whether {@code e} (negated when {@code negated}) may hold for every row, whatever its literals. */
    private boolean alwaysTrue(Expression e, boolean negated) {
        Expression expression = unwrap(e);
        if (!readsTarget(expression)) {
            return true;
        }
        if (expression instanceof AndExpression and) {
            return negated
                    ? alwaysTrue(and.getLeftExpression(), true) || alwaysTrue(and.getRightExpression(), true)
                    : alwaysTrue(and.getLeftExpression(), false) && alwaysTrue(and.getRightExpression(), false);
        }
        if (expression instanceof OrExpression or) {
            if (negated) {
                return alwaysTrue(or.getLeftExpression(), true) && alwaysTrue(or.getRightExpression(), true);
            }
            return alwaysTrue(or.getLeftExpression(), false) || alwaysTrue(or.getRightExpression(), false)
                    || complementary(or);
        }
        if (expression instanceof NotExpression not) {
            return alwaysTrue(not.getExpression(), !negated);
        }
        if (expression instanceof IsBooleanExpression is) {
            // p IS TRUE / IS NOT FALSE hold where p does; p IS FALSE / IS NOT TRUE where NOT p does.
            boolean positive = is.isTrue() != is.isNot();
            return alwaysTrue(is.getLeftExpression(), positive ? negated : !negated);
        }
        if (readsTargetTableInSubquery(expression)) {
            // key IN (SELECT key FROM t), EXISTS (SELECT 1 FROM t x WHERE x.id = t.id), x >= (SELECT min(x) FROM t):
            // a subquery over the target itself can match every row.
            return true;
        }
        if (expression instanceof IsNullExpression isNull && isNull.isNot() != negated) {
            return true; // IS NOT NULL: on a NOT NULL column (or most columns) every row
        }
        Comparison comparison = Comparison.of(expression, this);
        if (comparison == null && expression instanceof BinaryExpression binary
                && canonical(binary.getLeftExpression()).equals(canonical(binary.getRightExpression()))) {
            return true; // a <=> a and any other operator between two equal sides
        }
        if (comparison != null && comparison.selfComparison()) {
            return comparison.reflexive() != negated;
        }
        if (comparison != null && comparison.sameColumnsOnly()) {
            // x = x + 0 is always true, x = x + 1 never: they share a fingerprint, so both must count as always true.
            return true;
        }
        if (expression instanceof Between between) {
            Set<String> columns = columnsOf(between.getLeftExpression());
            return columns != null && !columns.isEmpty()
                    && columns.equals(columnsOf(between.getBetweenExpressionStart()))
                    && columns.equals(columnsOf(between.getBetweenExpressionEnd()));
        }
        return false;
    }

    /**
     * The columns an expression reads, by canonical name; {@code null} when it holds a subquery
     * (whose columns are not comparable with the outer ones).
     */
    private Set<String> columnsOf(Expression expression) {
        Set<String> columns = new HashSet<>();
        boolean[] subquery = {false};
        expression.accept(new ExpressionVisitorAdapter<Void>(null) {
            @Override
            public <S> Void visit(Column column, S context) {
                if (!ColumnResolver.isNonColumnWord(column, dialect)) {
                    columns.add(canonical(column));
                }
                return null;
            }

            @Override
            public <S> Void visit(ParenthesedSelect select, S context) {
                subquery[0] = true;
                return null;
            }

            @Override
            public <S> Void visit(Select select, S context) {
                subquery[0] = true;
                return null;
            }
        }, null);
        return subquery[0] ? null : columns;
    }

    /** Whether some pair of a disjunction's terms are each other's negation (literals ignored). */
    private boolean complementary(OrExpression or) {
        List<Expression> terms = new ArrayList<>();
        flattenOr(or, terms);
        Set<String> positive = new HashSet<>();
        Set<String> negative = new HashSet<>();
        for (Expression term : terms) {
            boolean negated = false;
            Expression t = unwrap(term);
            while (t instanceof NotExpression not) {
                negated = !negated;
                t = unwrap(not.getExpression());
            }
            Comparison comparison = Comparison.of(t, this);
            String key = comparison == null ? canonical(t) : comparison.key();
            boolean positiveTerm = comparison == null ? !negated : comparison.positive() != negated;
            (positiveTerm ? positive : negative).add(key);
        }
        positive.retainAll(negative);
        return !positive.isEmpty();
    }

    private void flattenOr(Expression e, List<Expression> terms) {
        Expression expression = unwrap(e);
        if (expression instanceof OrExpression or) {
            flattenOr(or.getLeftExpression(), terms);
            flattenOr(or.getRightExpression(), terms);
        } else {
            terms.add(expression);
        }
    }

    /** The literal-free text of an expression, casts and parentheses removed. */
    String canonical(Expression expression) {
        return SqlFingerprint.of(String.valueOf(stripCasts(expression)), dialect);
    }

    private static Expression unwrap(Expression e) {
        Expression expression = e;
        while (true) {
            if (expression instanceof Parenthesis parenthesis) {
                expression = parenthesis.getExpression();
            } else if (expression instanceof ParenthesedExpressionList<?> list && list.size() == 1
                    && list.get(0) != null) {
                expression = list.get(0);
            } else {
                return expression;
            }
        }
    }

    private static Expression stripCasts(Expression e) {
        Expression expression = unwrap(e);
        while (expression instanceof CastExpression cast) {
            expression = unwrap(cast.getLeftExpression());
        }
        return expression;
    }

    /** Whether a subquery in the expression reads one of the target tables. */
    private boolean readsTargetTableInSubquery(Expression expression) {
        if (targetTables.isEmpty()) {
            return false;
        }
        Set<String> tables = new HashSet<>();
        try {
            expression.accept(new ExpressionVisitorAdapter<Void>(null) {
                @Override
                public <S> Void visit(ParenthesedSelect select, S context) {
                    tables.addAll(new TablesNamesFinder<Void>().getTables((net.sf.jsqlparser.statement.Statement) select));
                    return null;
                }

                @Override
                public <S> Void visit(Select select, S context) {
                    tables.addAll(new TablesNamesFinder<Void>().getTables((net.sf.jsqlparser.statement.Statement) select));
                    return null;
                }

                @Override
                public <S> Void visit(AnyComparisonExpression any, S context) {
                    if (any.getSelect() != null) {
                        tables.addAll(new TablesNamesFinder<Void>().getTables((net.sf.jsqlparser.statement.Statement) any.getSelect()));
                    }
                    return super.visit(any, context);
                }
            }, null);
        } catch (RuntimeException e) {
            return true; // a shape the finder cannot walk: no bound proven
        }
        for (String table : tables) {
            List<String> parts = Tokens.of(table, dialect).nameAt(0);
            String name = parts.isEmpty() ? table : dialect.normalizeIdentifier(parts.get(parts.size() - 1));
            if (targetTables.stream().anyMatch(t -> dialect.sameName(t, name))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the expression reads a column of the target's rows, subqueries included. */
    private boolean readsTarget(Expression expression) {
        TargetColumnFinder finder = new TargetColumnFinder(false);
        expression.accept(finder, null);
        return finder.found;
    }

    /** Looks for a target column; inside subqueries only qualified ones count (unqualified ones are the subquery's). */
    private final class TargetColumnFinder extends ExpressionVisitorAdapter<Void> {
        private final boolean insideSubquery;
        boolean found;

        TargetColumnFinder(boolean insideSubquery) {
            super(null);
            this.insideSubquery = insideSubquery;
        }

        @Override
        public <S> Void visit(Column column, S context) {
            if (ColumnResolver.isNonColumnWord(column, dialect)) {
                return null;
            }
            boolean qualified = column.getTable() != null && column.getTable().getName() != null;
            if ((qualified || !insideSubquery) && targetColumn.test(column)) {
                found = true;
            }
            return null;
        }

        @Override
        public <S> Void visit(ParenthesedSelect select, S context) {
            subquery(select.getSelect());
            return null;
        }

        @Override
        public <S> Void visit(Select select, S context) {
            subquery(select);
            return null;
        }

        private void subquery(Select select) {
            if (select instanceof ParenthesedSelect parenthesed) {
                subquery(parenthesed.getSelect());
            } else if (select instanceof SetOperationList setOperations) {
                setOperations.getSelects().forEach(this::subquery);
            } else if (select instanceof PlainSelect plain) {
                TargetColumnFinder inner = new TargetColumnFinder(true);
                if (plain.getWhere() != null) {
                    plain.getWhere().accept(inner, null);
                }
                if (plain.getHaving() != null) {
                    plain.getHaving().accept(inner, null);
                }
                plain.getSelectItems().forEach(i -> i.getExpression().accept(inner, null));
                if (plain.getJoins() != null) {
                    plain.getJoins().forEach(j -> {
                        if (j.getOnExpressions() != null) {
                            j.getOnExpressions().forEach(on -> on.accept(inner, null));
                        }
                    });
                }
                found |= inner.found;
            } else {
                // Other shapes (VALUES, …): correlation is assumed.
                found = true;
            }
        }
    }

    /**
     * A comparison normalised to one of {@code =}, {@code <}, {@code <=}, IS NULL, LIKE, IN with a
     * polarity, so that {@code a <> 1} is recognised as the negation of {@code a = 1}.
     */
    private record Comparison(String key, boolean positive, boolean selfComparison, boolean reflexive,
                              boolean sameColumnsOnly) {

        static Comparison of(Expression e, WhereClassifier c) {
            if (e instanceof EqualsTo x) {
                return binary(c, "=", x.getLeftExpression(), x.getRightExpression(), true, true);
            }
            if (e instanceof NotEqualsTo x) {
                return binary(c, "=", x.getLeftExpression(), x.getRightExpression(), false, false);
            }
            if (e instanceof MinorThan x) {
                return binary(c, "<", x.getLeftExpression(), x.getRightExpression(), true, false);
            }
            if (e instanceof GreaterThanEquals x) {
                return binary(c, "<", x.getLeftExpression(), x.getRightExpression(), false, true);
            }
            if (e instanceof MinorThanEquals x) {
                return binary(c, "<=", x.getLeftExpression(), x.getRightExpression(), true, true);
            }
            if (e instanceof GreaterThan x) {
                return binary(c, "<=", x.getLeftExpression(), x.getRightExpression(), false, false);
            }
            if (e instanceof IsDistinctExpression x) {
                return binary(c, "distinct", x.getLeftExpression(), x.getRightExpression(), !x.isNot(), x.isNot());
            }
            if (e instanceof LikeExpression x) {
                return binary(c, "like", x.getLeftExpression(), x.getRightExpression(), !x.isNot(), !x.isNot());
            }
            if (e instanceof IsNullExpression x) {
                return new Comparison("isnull " + c.canonical(x.getLeftExpression()), !x.isNot(), false, false, false);
            }
            if (e instanceof InExpression x) {
                String key = "in " + c.canonical(x.getLeftExpression()) + " " + c.canonical(x.getRightExpression());
                return new Comparison(key, !x.isNot(), false, false, false);
            }
            return null;
        }

        private static Comparison binary(WhereClassifier c, String operator, Expression left, Expression right,
                                         boolean positive, boolean reflexive) {
            String l = c.canonical(left);
            String r = c.canonical(right);
            boolean same = l.equals(r);
            Set<String> leftColumns = same ? null : c.columnsOf(left);
            boolean sameColumnsOnly = leftColumns != null && !leftColumns.isEmpty()
                    && leftColumns.equals(c.columnsOf(right));
            return new Comparison(operator + " " + l + " " + r, positive, same, reflexive, sameColumnsOnly);
        }
    }
}
