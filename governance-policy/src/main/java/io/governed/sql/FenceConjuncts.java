package io.governed.sql;

import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Which of a caller's conditions may be evaluated on rows a row filter has not admitted yet: those proven unable to
 * fail, warn or otherwise tell anything of the row they are evaluated on (PostgreSQL's "leakproof" idea). The row
 * filter is applied behind a fence the database cannot see through (see {@link RowFilterRewriter}); a conjunct of the
 * caller's {@code WHERE} that this class calls safe is also copied inside the fence, beside the filter, so that the
 * database can still use an index for it. Everything else stays outside, evaluated on admitted rows only.
 *
 * <p>The safe forms, a column of the filtered table (by its name alone, or qualified by the table's name or alias)
 * compared with a value:
 * <ul>
 *   <li>every dialect: {@code column IS [NOT] NULL};</li>
 *   <li>PostgreSQL also: {@code column op value} for {@code op} one of {@code = <> != < <= > >=} (either side),
 *       {@code column [NOT] IN (value, …)}, {@code column [NOT] BETWEEN value AND value}, where a value is a plain
 *       {@code '…'} string, an integer or decimal number (optionally signed) or a {@code ?} parameter. PostgreSQL types
 *       such a comparison when it plans the statement: a string literal takes the column's type (a text that is no
 *       value of it fails before any row is read), a number or parameter of a type the column cannot be compared with
 *       fails the same way; what is left compares values of one type or of two numeric types, which does not fail.</li>
 * </ul>
 * Nothing else is copied: not a comparison of two columns, a function, a cast, {@code LIKE}, arithmetic, a subquery.
 * On MariaDB (and H2) a comparison is typed by the values it meets, and the column's type is not known to the rewrite:
 * {@code note = 5} on a character column converts, and warns for, every row it is evaluated on; {@code id = 'x'} on a
 * numeric column warns once a row is evaluated; so only {@code IS [NOT] NULL} is copied there.
 */
final class FenceConjuncts {

    private FenceConjuncts() {
    }

    /** The conjuncts of {@code where}: its AND-ed parts, through parentheses. */
    static List<Expression> conjuncts(Expression where) {
        List<Expression> parts = new ArrayList<>();
        collect(where, parts);
        return parts;
    }

    private static void collect(Expression e, List<Expression> parts) {
        if (e == null) {
            return;
        }
        if (e instanceof AndExpression and && !and.isUseOperator()) {
            collect(and.getLeftExpression(), parts);
            collect(and.getRightExpression(), parts);
        } else if (e instanceof ParenthesedExpressionList<?> list && list.size() == 1
                && list.get(0) instanceof AndExpression) {
            collect(list.get(0), parts);
        } else {
            parts.add(e);
        }
    }

    /**
     * The comparisons a conjunct beside the filter may be, by exact class and by the operator as the parser spells it:
     * the one table both {@link #form} (what is accepted) and the rewrite's copy (what is built, {@link #make}) read, so
     * that nothing is accepted that the copy does not rebuild as itself. A subclass (a parser's new node, an API
     * caller's), another spelling ({@code > =}, {@code < >}, {@code ^=}) or an Oracle {@code PRIOR} or {@code (+)} is no
     * row of it: such a conjunct stays outside the fence, evaluated on admitted rows only.
     */
    enum Comparison {
        EQUALS(EqualsTo.class, EqualsTo::new, "="),
        NOT_EQUALS(NotEqualsTo.class, NotEqualsTo::new, "<>", "!="),
        LESS(MinorThan.class, MinorThan::new, "<"),
        LESS_OR_EQUAL(MinorThanEquals.class, MinorThanEquals::new, "<="),
        GREATER(GreaterThan.class, GreaterThan::new, ">"),
        GREATER_OR_EQUAL(GreaterThanEquals.class, GreaterThanEquals::new, ">=");

        private final Class<? extends ComparisonOperator> type;
        private final Supplier<ComparisonOperator> maker;
        private final List<String> texts;

        Comparison(Class<? extends ComparisonOperator> type, Supplier<ComparisonOperator> maker, String... texts) {
            this.type = type;
            this.maker = maker;
            this.texts = List.of(texts);
        }

        /** The row of {@code e}: its exact class, one of its spellings, no Oracle marks; {@code null} for any other node. */
        static Comparison of(Expression e) {
            if (!(e instanceof ComparisonOperator comparison) || comparison.getOldOracleJoinSyntax() != 0
                    || comparison.getOraclePriorPosition() != 0) {
                return null;
            }
            for (Comparison row : values()) {
                if (row.type == e.getClass() && comparison.getStringExpression() != null
                        && row.texts.contains(comparison.getStringExpression())) {
                    return row;
                }
            }
            return null;
        }

        Class<? extends ComparisonOperator> type() {
            return type;
        }

        List<String> texts() {
            return texts;
        }

        /** A new comparison of this row's class and meaning. */
        ComparisonOperator make() {
            return maker.get();
        }
    }

    /** What a safe conjunct is; the rewrite's copy has a rule for each. */
    enum Kind { IS_NULL, IS_NOT_NULL, COMPARISON, IN, NOT_IN, BETWEEN, NOT_BETWEEN }

    /**
     * A safe conjunct read: its kind, its node (without parentheses) and, for a comparison, its row of {@link
     * Comparison}.
     */
    record Safe(Kind kind, Expression node, Comparison comparison) {
    }

    /**
     * Whether {@code conjunct} is one of the safe forms for {@code dialect}, its column one {@code ownColumn} accepts
     * (a column of the filtered table, as written).
     */
    static boolean safe(Expression conjunct, Dialect dialect, Predicate<Column> ownColumn) {
        return form(conjunct, dialect, ownColumn) != null;
    }

    /**
     * {@code conjunct} read as one of the safe forms for {@code dialect} ({@link #safe}), each node by its exact class;
     * {@code null} when it is none.
     */
    static Safe form(Expression conjunct, Dialect dialect, Predicate<Column> ownColumn) {
        Expression e = unwrap(conjunct);
        if (e == null) {
            return null;
        }
        if (e.getClass() == IsNullExpression.class) {
            IsNullExpression isNull = (IsNullExpression) e;
            Kind kind = nullTest(isNull);
            return kind != null && isNull.getLeftExpression() instanceof Column c && ownColumn.test(c)
                    ? new Safe(kind, e, null) : null;
        }
        if (dialect != Dialect.POSTGRESQL) {
            return null;
        }
        Comparison comparison = Comparison.of(e);
        if (comparison != null) {
            BinaryExpression binary = (BinaryExpression) e;
            Expression left = binary.getLeftExpression();
            Expression right = binary.getRightExpression();
            return left instanceof Column c && ownColumn.test(c) && value(right)
                    || right instanceof Column c2 && ownColumn.test(c2) && value(left)
                    ? new Safe(Kind.COMPARISON, e, comparison) : null;
        }
        if (e.getClass() == InExpression.class) {
            InExpression in = (InExpression) e;
            if (!(in.getLeftExpression() instanceof Column c) || !ownColumn.test(c) || in.isGlobal()
                    || in.getOldOracleJoinSyntax() != 0 || in.getOraclePriorPosition() != 0
                    || in.getRightExpression() == null || in.getRightExpression().getClass() != ParenthesedExpressionList.class
                    || ((ParenthesedExpressionList<?>) in.getRightExpression()).isEmpty()) {
                return null;
            }
            for (Object item : (ParenthesedExpressionList<?>) in.getRightExpression()) {
                if (!(item instanceof Expression value) || !value(value)) {
                    return null;
                }
            }
            return new Safe(in.isNot() ? Kind.NOT_IN : Kind.IN, e, null);
        }
        if (e.getClass() == Between.class) {
            Between between = (Between) e;
            return between.getLeftExpression() instanceof Column c && ownColumn.test(c)
                    && !between.isUsingSymmetric() && !between.isUsingAsymmetric()
                    && between.getOldOracleJoinSyntax() == 0 && between.getOraclePriorPosition() == 0
                    && value(between.getBetweenExpressionStart()) && value(between.getBetweenExpressionEnd())
                    ? new Safe(between.isNot() ? Kind.NOT_BETWEEN : Kind.BETWEEN, e, null) : null;
        }
        return null;
    }

    /**
     * What a null test means, from the spellings the parser builds: {@code IS [NOT] NULL}, PostgreSQL's {@code ISNULL}
     * and {@code NOTNULL} (the parser marks {@code NOTNULL} with both of its flags and not as negated); {@code null} for
     * any other combination of its flags or a {@code PRIOR}.
     */
    private static Kind nullTest(IsNullExpression isNull) {
        if (isNull.getOraclePriorPosition() != 0) {
            return null;
        }
        if (!isNull.isUseIsNull() && !isNull.isUseNotNull()) {
            return isNull.isNot() ? Kind.IS_NOT_NULL : Kind.IS_NULL;
        }
        if (isNull.isNot()) {
            return null;
        }
        if (isNull.isUseNotNull()) {
            return Kind.IS_NOT_NULL;
        }
        return Kind.IS_NULL;
    }

    /**
     * A comparison {@code column = value} (either side) of a column {@code ownColumn} accepts with a plain {@code ?} or an
     * integer literal (optionally signed): the form that, on MariaDB and H2, may go beside the filter once the column is
     * known to be an integer column ({@link IntegerColumns}) and the value an integer of its range. {@code literal} is
     * the literal's value, {@code null} for a parameter.
     */
    record IntegerKey(Column column, Expression value, java.math.BigInteger literal) {
        boolean parameter() {
            return literal == null;
        }

        /** The comparison as a safe form, for the rewrite's copy. */
        Safe form(Expression conjunct) {
            return new Safe(Kind.COMPARISON, unwrap(conjunct), Comparison.EQUALS);
        }
    }

    /** {@code conjunct} as an {@link IntegerKey}; {@code null} when it is not one. */
    static IntegerKey integerKey(Expression conjunct, Predicate<Column> ownColumn) {
        Expression e = unwrap(conjunct);
        if (Comparison.of(e) != Comparison.EQUALS) {
            return null;
        }
        EqualsTo equals = (EqualsTo) e;
        Expression left = equals.getLeftExpression();
        Expression right = equals.getRightExpression();
        Column column;
        Expression value;
        if (left instanceof Column c && ownColumn.test(c)) {
            column = c;
            value = right;
        } else if (right instanceof Column c && ownColumn.test(c)) {
            column = c;
            value = left;
        } else {
            return null;
        }
        if (value instanceof JdbcParameter parameter) {
            return !parameter.isUseFixedIndex() && parameter.getIndex() != null && parameter.getIndex() > 0
                    ? new IntegerKey(column, value, null) : null;
        }
        if (value instanceof LongValue number) {
            return new IntegerKey(column, value, number.getBigIntegerValue());
        }
        if (value instanceof SignedExpression signed && signed.getExpression() instanceof LongValue number
                && (signed.getSign() == '-' || signed.getSign() == '+')) {
            java.math.BigInteger magnitude = number.getBigIntegerValue();
            return new IntegerKey(column, value, signed.getSign() == '-' ? magnitude.negate() : magnitude);
        }
        return null;
    }

    /** {@code e} without the parentheses around it. */
    static Expression unwrapped(Expression e) {
        return unwrap(e);
    }

    private static Expression unwrap(Expression e) {
        Expression at = e;
        while (at instanceof ParenthesedExpressionList<?> list && list.size() == 1) {
            at = (Expression) list.get(0);
        }
        return at;
    }

    /** A plain string, a (signed) number or a {@code ?}, as the parse tree has them (a rewrite's slot included). */
    static boolean value(Expression e) {
        if (e instanceof StringValue s) {
            return s.getPrefix() == null || s.getPrefix().isEmpty();
        }
        if (e instanceof LongValue || e instanceof DoubleValue) {
            return true;
        }
        if (e instanceof SignedExpression signed) {
            return (signed.getSign() == '-' || signed.getSign() == '+')
                    && (signed.getExpression() instanceof LongValue || signed.getExpression() instanceof DoubleValue);
        }
        if (e instanceof JdbcParameter parameter) {
            return !parameter.isUseFixedIndex() && parameter.getIndex() != null && parameter.getIndex() > 0;
        }
        return e instanceof JdbcNamedParameter named && named.getName().startsWith(RowFilterRewriter.SLOT);
    }

    /**
     * Whether {@code conjunct} of a MERGE's ON condition is a join key: {@code <target column> = <expression>} (either
     * side), the expression naming no column of the target ({@code ownColumn}) and no subquery; only on PostgreSQL,
     * which evaluates such a condition where it joins a target row that passed the scan's conditions (the filter)
     * with a source row, or compares it through an index.
     */
    static boolean joinKey(Expression conjunct, Predicate<Column> ownColumn) {
        Expression e = unwrap(conjunct);
        if (Comparison.of(e) != Comparison.EQUALS) {
            return false;
        }
        EqualsTo equals = (EqualsTo) e;
        Expression left = equals.getLeftExpression();
        Expression right = equals.getRightExpression();
        return left instanceof Column c && ownColumn.test(c) && columnsOnly(right, ownColumn)
                || right instanceof Column c2 && ownColumn.test(c2) && columnsOnly(left, ownColumn);
    }

    /** A qualified column that is not the target's. */
    private static boolean columnsOnly(Expression e, Predicate<Column> ownColumn) {
        Expression at = unwrap(e);
        if (at instanceof Column c) {
            return c.getTable() != null && c.getTable().getName() != null && !ownColumn.test(c);
        }
        return false;
    }

    /** How many {@code ?} parameters (or slots) a safe conjunct holds. */
    static int parameters(Expression conjunct) {
        return count(conjunct, true);
    }

    /** How many literals a safe conjunct holds. */
    static int literals(Expression conjunct) {
        return count(conjunct, false);
    }

    private static int count(Expression conjunct, boolean parameters) {
        Expression e = unwrap(conjunct);
        List<Expression> values = new ArrayList<>();
        if (Comparison.of(e) != null) {
            values.add(((BinaryExpression) e).getLeftExpression());
            values.add(((BinaryExpression) e).getRightExpression());
        } else if (e != null && e.getClass() == InExpression.class
                && ((InExpression) e).getRightExpression() instanceof ExpressionList<?> list) {
            for (Object item : list) {
                values.add((Expression) item);
            }
        } else if (e != null && e.getClass() == Between.class) {
            values.add(((Between) e).getBetweenExpressionStart());
            values.add(((Between) e).getBetweenExpressionEnd());
        }
        int n = 0;
        for (Expression value : values) {
            boolean parameter = value instanceof JdbcParameter || value instanceof JdbcNamedParameter;
            if (value instanceof Column) {
                continue;
            }
            n += parameter == parameters ? 1 : 0;
        }
        return n;
    }
}
