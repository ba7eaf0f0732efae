package io.governed.sql;

import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The condition of a row filter, read and checked once: a boolean SQL expression over the filtered
 * table's own (unqualified) columns, literals and the caller's identity ({@code :identity.principal},
 * {@code :identity.groups} as the list of an {@code IN}, {@code :identity.NAME} for an attribute).
 *
 * <p>Only comparisons, {@code AND}/{@code OR}/{@code NOT}, {@code IN}, {@code BETWEEN}, {@code LIKE} and
 * {@code IS [NOT] NULL} are allowed: no function (it could have effects), no subquery (it could read
 * other tables), no qualified column (the condition is applied to every reference to the table, whatever
 * its alias). Identity values and the condition's own literals are bound as parameters when it is applied.
 */
public final class RowCondition {

    /** The identity reference that expands to the caller's groups; only as the whole list of an {@code IN}. */
    public static final String GROUPS = "groups";
    /** The identity reference for the caller's principal. */
    public static final String PRINCIPAL = "principal";

    static final String PLACEHOLDER = "gvidentity_";
    private static final Pattern IDENTITY = Pattern.compile(":identity\\.([A-Za-z_][A-Za-z0-9_-]*)");

    private final String text;
    private final String parseText;
    private final List<String> references;
    private final Set<String> columns;

    private RowCondition(String text, String parseText, List<String> references, Set<String> columns) {
        this.text = text;
        this.parseText = parseText;
        this.references = references;
        this.columns = columns;
    }

    /** A condition that cannot be used, and where in its text (0-based offset) the problem is. */
    public static final class InvalidConditionException extends IllegalArgumentException {
        private final int offset;

        InvalidConditionException(int offset, String message) {
            super(message);
            this.offset = offset;
        }

        /** Where in the condition's text the problem is (0-based), or 0 when it is the whole condition. */
        public int offset() {
            return offset;
        }
    }

    /**
     * Reads and checks a condition.
     *
     * @throws InvalidConditionException saying what is wrong and how to write it
     */
    public static RowCondition parse(String text) {
        List<String> references = new ArrayList<>();
        Matcher m = IDENTITY.matcher(text);
        StringBuilder parseText = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(parseText, ":" + PLACEHOLDER + references.size());
            references.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        m.appendTail(parseText);
        int stray = parseText.indexOf(":");
        if (stray >= 0 && !parseText.substring(stray).startsWith(":" + PLACEHOLDER)) {
            throw new InvalidConditionException(Math.max(0, text.indexOf(':')), "a parameter in a row filter must be "
                    + ":identity.NAME (:identity.principal, :identity.groups or an identity attribute)");
        }
        Expression expression = read(parseText.toString(), text);
        Set<String> columns = new LinkedHashSet<>();
        check(expression, references, columns, false);
        return new RowCondition(text, parseText.toString(), List.copyOf(references), Set.copyOf(columns));
    }

    private static Expression read(String parseText, String text) {
        try {
            return CCJSqlParserUtil.parseCondExpression(parseText, false);
        } catch (JSQLParserException | RuntimeException e) {
            throw new InvalidConditionException(0, "the row filter is not a SQL condition the analysis can "
                    + "read: write a boolean expression such as tenant_id = :identity.tenant");
        }
    }

    private static void check(Expression e, List<String> references, Set<String> columns, boolean inList) {
        if (e instanceof AndExpression || e instanceof OrExpression || e instanceof EqualsTo || e instanceof NotEqualsTo
                || e instanceof GreaterThan || e instanceof GreaterThanEquals || e instanceof MinorThan
                || e instanceof MinorThanEquals || e instanceof LikeExpression) {
            var binary = (net.sf.jsqlparser.expression.BinaryExpression) e;
            check(binary.getLeftExpression(), references, columns, false);
            check(binary.getRightExpression(), references, columns, false);
        } else if (e instanceof NotExpression not) {
            check(not.getExpression(), references, columns, false);
        } else if (e instanceof SignedExpression signed) {
            check(signed.getExpression(), references, columns, false);
        } else if (e instanceof IsNullExpression isNull) {
            check(isNull.getLeftExpression(), references, columns, false);
        } else if (e instanceof Between between) {
            check(between.getLeftExpression(), references, columns, false);
            check(between.getBetweenExpressionStart(), references, columns, false);
            check(between.getBetweenExpressionEnd(), references, columns, false);
        } else if (e instanceof InExpression in) {
            check(in.getLeftExpression(), references, columns, false);
            if (!(in.getRightExpression() instanceof ExpressionList<?> list)) {
                throw unsupported("a subquery");
            }
            for (Expression item : list) {
                check(item, references, columns, list.size() == 1);
            }
        } else if (e instanceof ExpressionList<?> list) {
            for (Expression item : list) {
                check(item, references, columns, false);
            }
        } else if (e instanceof Column column) {
            if (column.getTable() != null && column.getTable().getName() != null) {
                throw new InvalidConditionException(0, "the row filter names the column " + column.getFullyQualifiedName()
                        + " with a qualifier: write its own columns unqualified (tenant_id, not orders.tenant_id)");
            }
            columns.add(column.getColumnName());
        } else if (e instanceof JdbcNamedParameter parameter) {
            String reference = references.get(Integer.parseInt(parameter.getName().substring(PLACEHOLDER.length())));
            if (reference.equals(GROUPS) && !inList) {
                throw new InvalidConditionException(0, ":identity.groups is a list: use it alone as the list of an IN, "
                        + "like 'team IN (:identity.groups)'");
            }
        } else if (!(e instanceof StringValue || e instanceof LongValue || e instanceof DoubleValue
                || e instanceof NullValue || e instanceof BooleanValue)) {
            throw unsupported(e.getClass().getSimpleName());
        }
    }

    private static InvalidConditionException unsupported(String what) {
        return new InvalidConditionException(0, "a row filter may use its table's columns, literals, :identity references, "
                + "comparisons, AND, OR, NOT, IN (a list), BETWEEN, LIKE and IS NULL; it uses " + what
                + ", which is not allowed (no functions, no subqueries)");
    }

    /** The condition as written in the policy. */
    public String text() {
        return text;
    }

    /** The identity references it makes ({@code principal}, {@code groups}, attribute names), in order of appearance. */
    public List<String> references() {
        return references;
    }

    /** The columns it reads (as written). */
    public Set<String> columns() {
        return columns;
    }

    /** A fresh parse tree of the condition, identity references as {@code :gvidentity_N} parameters. */
    Expression freshTree() {
        return read(parseText, text);
    }

    @Override
    public String toString() {
        return text;
    }
}
