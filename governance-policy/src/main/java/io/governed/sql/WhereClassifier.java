package io.governed.sql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import net.sf.jsqlparser.expression.AnyComparisonExpression;
import net.sf.jsqlparser.expression.ArrayExpression;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.CollateExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JsonExpression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Concat;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.IntegerDivision;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.CosineSimilarity;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.operators.relational.IsDistinctExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.JsonOperator;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.expression.operators.relational.RegExpMatchOperator;
import net.sf.jsqlparser.expression.operators.relational.SimilarToExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Decides whether the WHERE of an UPDATE or DELETE bounds the rows it touches.
 *
 * <p>It fails closed by construction: a condition bounds only when it is one of the forms proven here to
 * restrict the target's rows, and every other form (one without a rule, a parser node added by an
 * upgrade) counts as possibly true for every row, {@link WhereKind#ALWAYS_TRUE}. The forms that bound:
 * <ul>
 *   <li>a value read from the target's row (a column, or casts, functions, arithmetic and JSON or array
 *       access over columns: no condition, CASE or subquery inside) compared with a value that does not
 *       read the target's row: a literal, a parameter, a session value, a subquery that is not correlated
 *       with the target and does not read it, or (in a join) a column of another table; by {@code =},
 *       {@code <>}, {@code <}, {@code <=}, {@code >}, {@code >=}, LIKE and the other pattern matches,
 *       BETWEEN, IN with such items, {@code IS NOT DISTINCT FROM} (MariaDB's {@code <=>}), IS NULL;</li>
 *   <li>a bare column of the target (a boolean flag);</li>
 *   <li>EXISTS over a plain query of other tables whose own WHERE bounds the target in the same sense,
 *       and whose select list holds no function (an aggregate makes one row whatever the WHERE);</li>
 *   <li>{@code p AND q} when either bounds; {@code p OR q} when both do and no two of its terms are
 *       each other's negation ({@code a = 1 OR a <> 1}); {@code NOT} is pushed inwards, and bounds where
 *       the negated form does ({@code NOT (a = 1)}, not {@code NOT (a IS NULL)}).</li>
 * </ul>
 * So {@code x = x}, {@code x IN (x)}, {@code x IS DISTINCT FROM NULL}, {@code x IS NOT NULL}, {@code a = b}
 * (whether two names are one column is not known for certain), a condition that reads only literals,
 * parameters or other tables, and a subquery over the target itself ({@code key IN (SELECT key FROM t)})
 * do not bound.
 *
 * <p>The verdict never depends on a literal's value, because statements that differ only in literals
 * share one cached analysis; so a comparison whose literal makes it true for every row
 * ({@code id > -2147483648}) counts as bounding: that limit is documented.
 *
 * <p>On MariaDB, {@code NOT} binds to its first operand under the session's {@code HIGH_NOT_PRECEDENCE}
 * mode and {@code !} always does ({@code !id IN (0, 1)} is {@code (!id) IN (0, 1)}, true for every row),
 * so a negation there bounds only over a parenthesised condition or a bare column.
 */
final class WhereClassifier {

    /** The condition forms with a rule of their own in {@link #bounds}; every other form proves no bound. */
    static final Set<Class<? extends Expression>> CONDITION_RULES = Set.of(AndExpression.class, OrExpression.class,
            NotExpression.class, IsBooleanExpression.class, Parenthesis.class, ParenthesedExpressionList.class,
            Column.class, EqualsTo.class, NotEqualsTo.class, GreaterThan.class, GreaterThanEquals.class,
            MinorThan.class, MinorThanEquals.class, LikeExpression.class, SimilarToExpression.class,
            RegExpMatchOperator.class, Between.class, InExpression.class, IsNullExpression.class,
            IsDistinctExpression.class, CosineSimilarity.class, ExistsExpression.class);

    /**
     * The forms a value read from the target's row may be built of; any other form over a target column
     * (a condition, CASE, a subquery) proves nothing about the rows a comparison of it keeps.
     */
    static final Set<Class<? extends Expression>> VALUE_RULES = Set.of(Column.class, Parenthesis.class,
            ParenthesedExpressionList.class, ExpressionList.class, CastExpression.class, Function.class,
            Addition.class, Subtraction.class, Multiplication.class, Division.class, IntegerDivision.class,
            Modulo.class, Concat.class, SignedExpression.class, CollateExpression.class, ArrayExpression.class,
            JsonExpression.class, JsonOperator.class);

    private final Dialect dialect;
    private final Predicate<Column> targetColumn;
    /** The target tables' names, as the dialect normalises them: a subquery over one of them proves no bound. */
    private final Set<String> targetTables;
    /**
     * Whether a column of another table counts as a value that does not read the target's row: not when
     * the statement joins the target to itself ({@code DELETE FROM t USING t u WHERE t.id = u.id}).
     */
    private final boolean joinBounds;
    /**
     * For a MERGE branch, whose rows are a matched target row joined to a source row: a column of either
     * compared with a value that reads neither bounds it.
     */
    private final boolean pairBounds;

    /**
     * @param targetColumn whether a column reference may read the rows of the statement's target
     *                     (unqualified, or qualified by the target's name or alias)
     * @param targetTables the names of the tables written: a condition whose subquery reads one of them
     *                     ({@code key IN (SELECT key FROM t)}) may hold for every row, and proves no bound
     * @param joinBounds   whether a column of another table counts as a value that does not read the target's row
     *                     (false when the statement's other tables may be the target itself)
     * @param pairBounds   whether the rows are pairs of a target and a source row, either of which a condition may bound
     */
    WhereClassifier(Dialect dialect, Predicate<Column> targetColumn, Set<String> targetTables, boolean joinBounds,
                    boolean pairBounds) {
        this.dialect = dialect;
        this.targetColumn = targetColumn;
        this.targetTables = targetTables;
        this.joinBounds = joinBounds;
        this.pairBounds = pairBounds;
    }

    WhereKind classify(Expression where) {
        if (where == null) {
            return WhereKind.ABSENT;
        }
        return bounds(where, false) ? WhereKind.PRESENT : WhereKind.ALWAYS_TRUE;
    }

    /** Whether {@code e} (negated when {@code negated}) is proven to restrict the target's rows, whatever its literals. */
    private boolean bounds(Expression e, boolean negated) {
        Expression expression = unwrap(e);
        if (expression instanceof AndExpression || expression instanceof OrExpression) {
            boolean conjunction = expression instanceof AndExpression != negated;
            List<Term> terms = new ArrayList<>();
            flatten(expression, negated, expression.getClass(), terms);
            if (conjunction) {
                return terms.stream().anyMatch(t -> bounds(t.expression(), t.negated()));
            }
            return terms.stream().allMatch(t -> bounds(t.expression(), t.negated())) && !complementary(terms);
        }
        if (expression instanceof NotExpression not) {
            return negationReadsAsParsed(not) && bounds(not.getExpression(), !negated);
        }
        if (expression instanceof IsBooleanExpression is) {
            // p IS TRUE holds where p does, p IS FALSE where NOT p does; p IS NOT TRUE and p IS NOT FALSE
            // also hold where p is NULL (id = ? with a null parameter: every row), so only their negations bound.
            if (is.isNot() == negated) {
                return bounds(is.getLeftExpression(), !is.isTrue());
            }
            return false;
        }
        return condition(expression, negated);
    }

    /** A term of a conjunction or disjunction, with the negation pushed into it. */
    private record Term(Expression expression, boolean negated) {
    }

    /** The terms of a run of one connective ({@code a OR b OR c}, or {@code NOT (a AND b AND c)}). */
    private void flatten(Expression e, boolean negated, Class<?> connective, List<Term> terms) {
        Expression expression = unwrap(e);
        if (expression.getClass() == connective) {
            BinaryExpression binary = (BinaryExpression) expression;
            flatten(binary.getLeftExpression(), negated, connective, terms);
            flatten(binary.getRightExpression(), negated, connective, terms);
        } else {
            terms.add(new Term(expression, negated));
        }
    }

    /**
     * Whether a negation means what the parser made of it. On MariaDB, {@code !x = 1} is {@code (!x) = 1},
     * and {@code NOT x IN (…)} is {@code (NOT x) IN (…)} under {@code HIGH_NOT_PRECEDENCE}, which the
     * session may set: only a parenthesised operand or a bare column reads the same either way.
     */
    private boolean negationReadsAsParsed(NotExpression not) {
        if (dialect != Dialect.MARIADB) {
            return true;
        }
        Expression operand = not.getExpression();
        return operand instanceof Parenthesis || operand instanceof ParenthesedExpressionList<?>
                || operand instanceof Column;
    }

    /** The rules for a single condition, {@code negated} or not; a form without a rule proves no bound. */
    private boolean condition(Expression expression, boolean negated) {
        if (!CONDITION_RULES.contains(expression.getClass())) {
            return false; // a form without a rule, a subclass of one with a rule included
        }
        if (!(readsTarget(expression) || pairBounds && readsColumn(expression)) || readsTargetTableInSubquery(expression)) {
            return false; // the same for every row, or a subquery over the target itself (it can match every row)
        }
        if (expression instanceof Column) {
            return true; // a flag of the row: WHERE active, WHERE NOT active
        }
        if (expression instanceof EqualsTo || expression instanceof NotEqualsTo || expression instanceof GreaterThan
                || expression instanceof GreaterThanEquals || expression instanceof MinorThan
                || expression instanceof MinorThanEquals || expression instanceof LikeExpression
                || expression instanceof SimilarToExpression || expression instanceof RegExpMatchOperator) {
            // Each negation is another comparison of the same sides.
            BinaryExpression binary = (BinaryExpression) expression;
            Expression escape = expression instanceof LikeExpression like ? like.getEscape() : null;
            return rowComparedWithValue(binary.getLeftExpression(), binary.getRightExpression())
                    && (escape == null || !readsColumn(escape));
        }
        if (expression instanceof Between between) {
            return rowTested(between.getLeftExpression(), between.getBetweenExpressionStart(),
                    between.getBetweenExpressionEnd());
        }
        if (expression instanceof InExpression in) {
            return in.getOldOracleJoinSyntax() == 0 && rowTested(in.getLeftExpression(), in.getRightExpression());
        }
        if (expression instanceof IsNullExpression isNull) {
            // x IS NULL keeps some rows; x IS NOT NULL every row of a NOT NULL column.
            return isNull.isNot() == negated && rowTested(isNull.getLeftExpression());
        }
        if (expression instanceof IsDistinctExpression distinct) {
            // x IS NOT DISTINCT FROM v is a null-safe x = v; x IS DISTINCT FROM NULL is x IS NOT NULL.
            return distinct.isNot() != negated
                    && rowComparedWithValue(distinct.getLeftExpression(), distinct.getRightExpression());
        }
        if (expression instanceof CosineSimilarity nullSafe && dialect == Dialect.MARIADB) {
            // MariaDB's <=>: as IS NOT DISTINCT FROM; NOT (x <=> NULL) is x IS NOT NULL.
            return !negated && rowComparedWithValue(nullSafe.getLeftExpression(), nullSafe.getRightExpression());
        }
        if (expression instanceof ExistsExpression exists) {
            return correlatedSubquery(exists.getRightExpression());
        }
        return false;
    }

    /** One side reads the target's row as a value, the other does not read it. */
    private boolean rowComparedWithValue(Expression left, Expression right) {
        return rowValue(left) && value(right) || rowValue(right) && value(left)
                || pairBounds && pairValue(left) && constant(right) || pairBounds && pairValue(right) && constant(left);
    }

    /** {@code row} is a value read from the target's row tested against {@code values}, which do not read it. */
    private boolean rowTested(Expression row, Expression... values) {
        return rowValue(row) && Stream.of(values).allMatch(this::value)
                || pairBounds && pairValue(row) && Stream.of(values).allMatch(this::constant);
    }

    /** A value read from the target's row: it reads a target column, through value forms only. */
    private boolean rowValue(Expression expression) {
        return readsTarget(expression) && valueShaped(expression);
    }

    /** A value read from a MERGE branch's pair of rows: it reads a column, through value forms only. */
    private boolean pairValue(Expression expression) {
        return readsColumn(expression) && valueShaped(expression);
    }

    /** A value that does not read the target's row (nor, when the statement joins the target to itself, any row). */
    private boolean value(Expression expression) {
        return !readsTarget(expression) && (joinBounds || !readsColumn(expression));
    }

    /** A value that reads no row at all: literals, parameters, session values, uncorrelated subqueries. */
    private boolean constant(Expression expression) {
        return !readsTarget(expression) && !readsColumn(expression);
    }

    /** Whether an expression that reads a row is built only of value forms ({@link #VALUE_RULES}) over it. */
    private boolean valueShaped(Expression e) {
        if (!readsTarget(e) && !readsColumn(e)) {
            return true; // a part that reads no row: a literal, a parameter, an uncorrelated subquery
        }
        Expression expression = e;
        if (!VALUE_RULES.contains(expression.getClass())) {
            return false; // a condition, CASE, a subquery, a form without a rule (ROW(…) and other lists included)
        }
        if (expression instanceof Column) {
            return true;
        }
        if (expression instanceof Parenthesis parenthesis) {
            return valueShaped(parenthesis.getExpression());
        }
        if (expression instanceof ExpressionList<?> list) { // a row (a, b), parenthesised or not (exact classes only)
            return list.stream().allMatch(item -> item != null && valueShaped(item));
        }
        if (expression instanceof CastExpression cast) {
            return valueShaped(cast.getLeftExpression());
        }
        if (expression instanceof Function function) {
            return function.getNamedParameters() == null && function.getChainedParameters() == null
                    && (function.getParameters() == null || valueShaped(function.getParameters()));
        }
        if (expression instanceof Concat && dialect == Dialect.MARIADB) {
            return false; // || is OR unless the session says otherwise
        }
        if (expression instanceof Addition || expression instanceof Subtraction || expression instanceof Multiplication
                || expression instanceof Division || expression instanceof IntegerDivision || expression instanceof Modulo
                || expression instanceof Concat || expression instanceof JsonOperator) {
            BinaryExpression binary = (BinaryExpression) expression;
            return valueShaped(binary.getLeftExpression()) && valueShaped(binary.getRightExpression());
        }
        if (expression instanceof SignedExpression signed) {
            return valueShaped(signed.getExpression());
        }
        if (expression instanceof CollateExpression collate) {
            return valueShaped(collate.getLeftExpression());
        }
        if (expression instanceof ArrayExpression array) {
            return valueShaped(array.getObjExpression()) && Stream.of(array.getIndexExpression(),
                    array.getStartIndexExpression(), array.getStopIndexExpression()).allMatch(i -> i == null || constant(i));
        }
        if (expression instanceof JsonExpression json) {
            return valueShaped(json.getExpression()) && json.getIdents().stream().allMatch(i -> i == null || constant(i));
        }
        return false;
    }

    /**
     * Whether an EXISTS subquery bounds the target: a plain query of other tables, no grouping, a select
     * list without functions (an aggregate yields a row whatever the WHERE), and a WHERE that bounds the
     * target's row through its qualified columns, the subquery's own columns counting as values.
     */
    private boolean correlatedSubquery(Expression subquery) {
        Expression s = subquery;
        while (s instanceof ParenthesedSelect parenthesed) {
            s = parenthesed.getSelect();
        }
        if (!(s instanceof PlainSelect plain) || plain.getWithItemsList() != null || plain.getGroupBy() != null
                || plain.getHaving() != null || plain.getWhere() == null) {
            return false;
        }
        for (SelectItem<?> item : plain.getSelectItems()) {
            Expression selected = item.getExpression();
            if (!(selected instanceof Column || selected instanceof AllColumns || selected instanceof LongValue
                    || selected instanceof StringValue || selected instanceof NullValue)) {
                return false;
            }
        }
        Predicate<Column> outer = column -> column.getTable() != null && column.getTable().getName() != null
                && targetColumn.test(column);
        return new WhereClassifier(dialect, outer, targetTables, true, false).bounds(plain.getWhere(), false);
    }

    /** Whether some pair of a disjunction's terms are each other's negation (literals ignored). */
    private boolean complementary(List<Term> terms) {
        Set<String> positive = new HashSet<>();
        Set<String> negative = new HashSet<>();
        for (Term term : terms) {
            boolean negated = term.negated();
            Expression t = unwrap(term.expression());
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

    /**
     * Whether an expression reads a column of any row (a word such as {@code current_user} is no column);
     * a subquery counts as reading one, since it may be correlated with any table of the statement.
     */
    private boolean readsColumn(Expression expression) {
        boolean[] found = {false};
        expression.accept(new ExpressionVisitorAdapter<Void>(null) {
            @Override
            public <S> Void visit(Column column, S context) {
                if (!ColumnResolver.isNonColumnWord(column, dialect)) {
                    found[0] = true;
                }
                return null;
            }

            @Override
            public <S> Void visit(ParenthesedSelect select, S context) {
                found[0] = true;
                return null;
            }

            @Override
            public <S> Void visit(Select select, S context) {
                found[0] = true;
                return null;
            }
        }, null);
        return found[0];
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
            } else if (expression instanceof ParenthesedExpressionList<?> list
                    && list.getClass() == ParenthesedExpressionList.class && list.size() == 1 && list.get(0) != null) {
                expression = list.get(0); // (x), not ROW(x)
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

        @Override
        public <S> Void visit(AnyComparisonExpression any, S context) {
            if (any.getSelect() != null) {
                subquery(any.getSelect()); // = ALL (SELECT …), = ANY (SELECT …)
            }
            return super.visit(any, context);
        }

        private void subquery(Select select) {
            if (select instanceof ParenthesedSelect parenthesed) {
                subquery(parenthesed.getSelect());
            } else if (select instanceof SetOperationList setOperations) {
                setOperations.getSelects().forEach(this::subquery);
            } else if (select instanceof PlainSelect plain) {
                // a bare name is the subquery's only when it has a relation of its own to hold it: without one
                // (SELECT id), (SELECT id FROM DUAL), it is the enclosing statement's, the target's row
                TargetColumnFinder inner = new TargetColumnFinder(hasOwnRelation(plain));
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

    /** Whether a query reads a relation of its own (a table, a derived table, a join), not nothing or only DUAL. */
    private static boolean hasOwnRelation(PlainSelect plain) {
        if (plain.getJoins() != null && !plain.getJoins().isEmpty()) {
            return true;
        }
        return plain.getFromItem() != null && !(plain.getFromItem() instanceof net.sf.jsqlparser.schema.Table table
                && table.getSchemaName() == null && table.getName() != null && table.getName().equalsIgnoreCase("dual"));
    }

    /**
     * A comparison normalised to one of {@code =}, {@code <}, {@code <=}, IS NULL, LIKE, IN with a
     * polarity, so that {@code a <> 1} is recognised as the negation of {@code a = 1}.
     */
    private record Comparison(String key, boolean positive) {

        static Comparison of(Expression e, WhereClassifier c) {
            if (e instanceof EqualsTo x) {
                return binary(c, "=", x.getLeftExpression(), x.getRightExpression(), true);
            }
            if (e instanceof NotEqualsTo x) {
                return binary(c, "=", x.getLeftExpression(), x.getRightExpression(), false);
            }
            if (e instanceof MinorThan x) {
                return binary(c, "<", x.getLeftExpression(), x.getRightExpression(), true);
            }
            if (e instanceof GreaterThanEquals x) {
                return binary(c, "<", x.getLeftExpression(), x.getRightExpression(), false);
            }
            if (e instanceof MinorThanEquals x) {
                return binary(c, "<=", x.getLeftExpression(), x.getRightExpression(), true);
            }
            if (e instanceof GreaterThan x) {
                return binary(c, "<=", x.getLeftExpression(), x.getRightExpression(), false);
            }
            if (e instanceof IsDistinctExpression x) {
                return binary(c, "distinct", x.getLeftExpression(), x.getRightExpression(), !x.isNot());
            }
            if (e instanceof LikeExpression x) {
                return binary(c, "like", x.getLeftExpression(), x.getRightExpression(), !x.isNot());
            }
            if (e instanceof IsNullExpression x) {
                return new Comparison("isnull " + c.canonical(x.getLeftExpression()), !x.isNot());
            }
            if (e instanceof InExpression x) {
                String key = "in " + c.canonical(x.getLeftExpression()) + " " + c.canonical(x.getRightExpression());
                return new Comparison(key, !x.isNot());
            }
            if (e instanceof Between x) {
                String key = "between " + c.canonical(x.getLeftExpression()) + " " + c.canonical(x.getBetweenExpressionStart())
                        + " " + c.canonical(x.getBetweenExpressionEnd());
                return new Comparison(key, !x.isNot());
            }
            return null;
        }

        private static Comparison binary(WhereClassifier c, String operator, Expression left, Expression right,
                                         boolean positive) {
            return new Comparison(operator + " " + c.canonical(left) + " " + c.canonical(right), positive);
        }
    }
}
