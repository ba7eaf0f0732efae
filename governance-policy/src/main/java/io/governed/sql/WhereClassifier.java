package io.governed.sql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
import net.sf.jsqlparser.expression.TimeKeyExpression;
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
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.TableFunction;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.FunctionAllColumns;
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
 *   <li>on PostgreSQL, a bare column of the target (a boolean flag: a condition must be a boolean there); MariaDB and
 *       H2 read any column as a truth value ({@code WHERE id} holds for every row whose id is not 0), so there it
 *       proves nothing;</li>
 *   <li>EXISTS over a plain query of other tables whose own WHERE bounds the target in the same sense,
 *       and whose select list holds no function (an aggregate makes one row whatever the WHERE);</li>
 *   <li>{@code p AND q} when either bounds; {@code p OR q} when both do, no two of its terms are
 *       each other's negation ({@code a = 1 OR a <> 1}) and its terms could not cover every value of a column
 *       whatever their literals ({@code a = 1 OR a NOT IN (2)}, {@code a <> 1 OR a <> 2}, {@code a < 5 OR 5 <= a});
 *       {@code NOT} is pushed inwards, and bounds where
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
 * <p>An unqualified name inside a subquery is the subquery's own only if one of its tables (or of a subquery between
 * it and the statement) has a column of that name; otherwise SQL resolves it to the written table, and
 * {@code id IN (SELECT id FROM audit_log)} holds for every row when {@code audit_log} has no column {@code id}. Which
 * columns a table has is the catalog's to say, so a bound proven by taking such names as the subquery's own is reported
 * as {@link WhereKind#ALWAYS_TRUE} with the names and the tables that must hold them ({@link BareColumn},
 * {@link StatementAnalysis#boundIf}): a reader that ignores them sees an unbounded write, and the names' resolution
 * against the database's catalog ({@link io.governed.sql.names.AnalysisResolution}) makes it {@link WhereKind#PRESENT}
 * once it finds every one. A derived table's or CTE's columns are known from its select list (aliases and plain
 * column names, not {@code *}) or its column list; a table function's, a VALUES list's and a {@code *}'s are not.
 * A subquery's own qualified names of the target ({@code t.id}) count wherever they appear, its derived tables
 * included.
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

    /**
     * Whether {@code x} tests that its operand is not null: {@code x IS NOT NULL}, or PostgreSQL's postfix
     * {@code x NOTNULL}, which the parser keeps as an IS NULL test marked {@code useNotNull} but not {@code not}.
     */
    static boolean testsNotNull(IsNullExpression x) {
        return x.isNot() || x.isUseNotNull();
    }

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
     * The statement's CTEs whose output names are known from their text, by name ({@code null} value: not known), and
     * the scope around the statement, whose other CTEs' columns are not known here; both for the tables a subquery's
     * unqualified names may be columns of.
     */
    private final Map<String, Set<String>> statementCtes;
    private final Scope scope;
    private final java.util.function.Function<Table, TableRef> tableRef;
    /**
     * The single table the statement writes, as written ({@link #scalarOverTarget}), or {@code null} when an equality with
     * a scalar subquery over it proves nothing here (several targets, joined relations, a MERGE).
     */
    private TableRef writtenAlone;
    /** The names the statement's own level gives the written table: its alias, if any, and its name. */
    private final Set<String> writtenNames = new java.util.HashSet<>();
    /**
     * The written table, when the statement reads other relations too ({@link #besideOthers}): an unqualified column of
     * its condition may then be theirs, and a bound resting on it holds only once the catalog shows the table has it.
     */
    private TableRef unqualifiedOwner;

    /** How many alternative sets of names a bound may rest on ({@link StatementAnalysis#boundIf}); more are dropped. */
    static final int MAXIMUM_ALTERNATIVES = 8;
    /**
     * What one way of proving a bound rests on: unqualified names in subqueries being the subqueries' own, and, when
     * {@code others}, what the written rows are compared with (a subquery's relations, a joined relation's columns, a
     * routine's result) not being read from the written table under another name.
     */
    private record Premise(Set<BareColumn> names, boolean others) {
        boolean outright() {
            return names.isEmpty() && !others;
        }
    }

    /** No bound proven. */
    private static final List<Premise> NONE = List.of();
    /** A bound proven outright. */
    private static final List<Premise> CERTAIN = List.of(new Premise(Set.of(), false));

    /**
     * What bounds a condition: its kind and, for one proven only if names are the subqueries' own, those names; and
     * whether it is proven only if what it compares the written rows with is not read from the written table under
     * another name ({@link StatementAnalysis#boundThrough}).
     */
    record Bound(WhereKind where, List<List<BareColumn>> boundIf, boolean others) {
    }

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
        this(dialect, targetColumn, targetTables, joinBounds, pairBounds, null, null, null);
    }

    /**
     * @param with     the statement's own WITH items, whose output names are read from their text, or {@code null}
     * @param scope    the scope the statement's condition is walked in (its CTEs and the enclosing ones), or {@code null}
     * @param tableRef how a table as written becomes a {@link TableRef}
     */
    WhereClassifier(Dialect dialect, Predicate<Column> targetColumn, Set<String> targetTables, boolean joinBounds,
                    boolean pairBounds, List<WithItem<?>> with, Scope scope,
                    java.util.function.Function<Table, TableRef> tableRef) {
        this.dialect = dialect;
        this.targetColumn = targetColumn;
        this.targetTables = targetTables;
        this.joinBounds = joinBounds;
        this.pairBounds = pairBounds;
        this.scope = scope;
        this.tableRef = tableRef != null ? tableRef : t -> new TableRef(
                t.getSchemaName() == null ? null : dialect.normalizeIdentifier(t.getSchemaName()),
                dialect.normalizeIdentifier(t.getName()));
        this.statementCtes = new java.util.TreeMap<>(dialect.caseSensitiveNames() ? null : String.CASE_INSENSITIVE_ORDER);
        if (with != null) {
            for (WithItem<?> item : with) {
                statementCtes.put(dialect.normalizeIdentifier(item.getAliasName()), cteOutputs(item));
            }
        }
    }

    /**
     * This classifier for a statement that writes {@code target} alone (an UPDATE or DELETE without FROM, USING or joins),
     * where a column of it equal to a scalar subquery over that same table bounds ({@link #scalarOverTarget}).
     */
    WhereClassifier writingAlone(TableRef target, Table written) {
        this.writtenAlone = target;
        if (written.getName() != null) {
            writtenNames.add(dialect.normalizeIdentifier(written.getName()));
        }
        if (written.getAlias() != null && written.getAlias().getName() != null) {
            writtenNames.add(dialect.normalizeIdentifier(written.getAlias().getName()));
        }
        return this;
    }

    /**
     * This classifier for a statement that writes {@code target} and reads other relations (a join, FROM, USING, another
     * table written): SQL finds an unqualified name in whichever of them has a column of that name ({@code UPDATE t SET
     * … FROM u WHERE flag = 1} tests {@code u.flag} when t has none), so a bound resting on one holds only once the
     * catalog shows {@code target} has that column (the name is then the target's, or the server refuses it as
     * ambiguous). A test of either row of a linked pair ({@code pairBounds}) bounds whichever relation the name is of.
     */
    WhereClassifier besideOthers(TableRef target) {
        this.unqualifiedOwner = target;
        return this;
    }

    /** The unqualified column names of {@code expression} outside its subqueries, as premises on the written table. */
    private Set<BareColumn> unqualifiedOwnNames(Expression expression) {
        if (unqualifiedOwner == null || pairBounds) {
            return Set.of();
        }
        Set<BareColumn> names = new LinkedHashSet<>();
        expression.accept(new ExpressionVisitorAdapter<Void>(null) {
            @Override
            public <S> Void visit(Column column, S context) {
                if ((column.getTable() == null || column.getTable().getName() == null)
                        && !ColumnResolver.isNonColumnWord(column, dialect) && targetColumn.test(column)) {
                    names.add(new BareColumn(dialect.normalizeIdentifier(column.getColumnName()), List.of(unqualifiedOwner)));
                }
                return null;
            }

            @Override
            public <S> Void visit(ParenthesedSelect select, S context) {
                return null; // a subquery's own names are judged as such (TargetColumnFinder)
            }

            @Override
            public <S> Void visit(Select select, S context) {
                return null;
            }
        }, null);
        return names;
    }

    /** The kind of bound alone: {@link WhereKind#PRESENT} only when it rests on no unqualified name in a subquery. */
    WhereKind classify(Expression where) {
        return bound(where).where();
    }

    /**
     * Whether a join's ON condition restricts the target's rows in its form, the joined relation's columns counting as
     * values: proven outright, or resting only on the joined relation not being the target under another name, which
     * does not matter to a pair of rows linked by it (a WHERE on the joined row then bounds the pairs, whichever relation
     * it is).
     */
    boolean linksInForm(Expression on) {
        Bound bound = bound(on);
        return bound.where() == WhereKind.PRESENT || bound.others() && bound.boundIf().isEmpty();
    }

    /** The bound {@code where} sets, and the unqualified names in subqueries it rests on when it rests on some. */
    Bound bound(Expression where) {
        if (where == null) {
            return new Bound(WhereKind.ABSENT, List.of(), false);
        }
        List<Premise> alternatives = bounds(where, false);
        if (alternatives.isEmpty()) {
            return new Bound(WhereKind.ALWAYS_TRUE, List.of(), false);
        }
        if (alternatives.stream().anyMatch(Premise::outright)) {
            return new Bound(WhereKind.PRESENT, List.of(), false);
        }
        // every other way rests on a subquery, a joined relation or a routine (names are only assumed in subqueries):
        // the relations the statement reads are proven for all of them at once, which is stricter than for one
        boolean others = alternatives.stream().anyMatch(Premise::others);
        List<List<BareColumn>> names = alternatives.stream().anyMatch(a -> a.names().isEmpty()) ? List.of()
                : alternatives.stream().map(a -> (List<BareColumn>) List.copyOf(a.names())).toList();
        return new Bound(WhereKind.ALWAYS_TRUE, names, others);
    }

    /**
     * Whether {@code e} (negated when {@code negated}) is proven to restrict the target's rows, whatever its literals: the
     * alternative sets of unqualified names in subqueries the proof rests on (any one set, each name the subquery's own,
     * makes it hold), {@link #CERTAIN} when it rests on none, {@link #NONE} when there is no proof.
     */
    private List<Premise> bounds(Expression e, boolean negated) {
        // A disjunction asks again what its conjunctions' parts bound (restrictors), so each answer is kept: without it,
        // conditions nesting AND in OR in AND … would be classified in time exponential in their depth.
        Map<Expression, List<Premise>> memo = negated ? negatedBounds : plainBounds;
        List<Premise> known = memo.get(e);
        if (known == null) {
            known = boundsOf(e, negated);
            memo.put(e, known);
        }
        return known;
    }

    /** What {@link #bounds} has found, by the expression's identity, for each polarity. */
    private final Map<Expression, List<Premise>> plainBounds = new java.util.IdentityHashMap<>();
    private final Map<Expression, List<Premise>> negatedBounds = new java.util.IdentityHashMap<>();

    private List<Premise> boundsOf(Expression e, boolean negated) {
        Expression expression = unwrap(e);
        if (expression instanceof AndExpression || expression instanceof OrExpression) {
            boolean conjunction = expression instanceof AndExpression != negated;
            List<Term> terms = new ArrayList<>();
            flatten(expression, negated, expression.getClass(), terms);
            if (conjunction) {
                List<Premise> any = new ArrayList<>();
                for (Term t : terms) {
                    for (Premise alternative : bounds(t.expression(), t.negated())) {
                        if (alternative.outright()) {
                            return CERTAIN;
                        }
                        if (!any.contains(alternative) && any.size() < MAXIMUM_ALTERNATIVES) {
                            any.add(alternative);
                        }
                    }
                }
                return any;
            }
            if (complementary(terms)) {
                return NONE;
            }
            List<Premise> every = CERTAIN;
            for (Term t : terms) {
                List<Premise> term = bounds(t.expression(), t.negated());
                if (term.isEmpty()) {
                    return NONE;
                }
                List<Premise> both = new ArrayList<>();
                for (Premise a : every) {
                    for (Premise b : term) {
                        Set<BareColumn> names = new LinkedHashSet<>(a.names());
                        names.addAll(b.names());
                        Premise union = new Premise(names, a.others() || b.others());
                        if (!both.contains(union) && both.size() < MAXIMUM_ALTERNATIVES) {
                            both.add(union); // dropping an alternative only leaves fewer ways to prove the bound
                        }
                    }
                }
                every = both;
            }
            return every;
        }
        if (expression instanceof NotExpression not) {
            return negationReadsAsParsed(not) ? bounds(not.getExpression(), !negated) : NONE;
        }
        if (expression instanceof IsBooleanExpression is) {
            // p IS TRUE holds where p does, p IS FALSE where NOT p does; p IS NOT TRUE and p IS NOT FALSE
            // also hold where p is NULL (id = ? with a null parameter: every row), so only their negations bound.
            if (is.isNot() == negated) {
                return bounds(is.getLeftExpression(), !is.isTrue());
            }
            return NONE;
        }
        if (!negated && scalarOverTarget(expression)) {
            return CERTAIN;
        }
        if (!condition(expression, negated)) {
            return NONE;
        }
        // proven taking every unqualified name of its subqueries as theirs: it holds if each of them is
        TargetColumnFinder names = new TargetColumnFinder(null);
        expression.accept(names, null);
        Set<BareColumn> assumed = new LinkedHashSet<>(names.assumed);
        assumed.addAll(unqualifiedOwnNames(expression));
        return List.of(new Premise(Set.copyOf(assumed), readsOthers(expression)));
    }

    /**
     * Whether a condition compares the written rows with something read from elsewhere than the written row itself and
     * its literals, parameters and built-ins: a subquery (its relations), a column of another relation (a joined one),
     * a routine off the dialect's list of built-ins not over the written row (its body, whose reads are not seen). Any
     * of those may be the written table under another name (a view of it, a CTE, a partition or parent, a routine
     * selecting from it), which would give every row's own values.
     */
    private boolean readsOthers(Expression expression) {
        // In a pair of rows (a MERGE branch, a linked inner join), a test of the other row alone bounds through the join
        // whatever that row's relation is; a comparison of the target's row with it rests on the relation being another.
        boolean othersColumns = !pairBounds || readsTarget(expression);
        boolean[] found = {false};
        BuiltInRoutines builtIns = BuiltInRoutines.of(dialect);
        expression.accept(new ExpressionVisitorAdapter<Void>(null) {
            @Override
            public <S> Void visit(Column column, S context) {
                if (othersColumns && !ColumnResolver.isNonColumnWord(column, dialect) && !targetColumn.test(column)) {
                    found[0] = true;
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

            /**
             * A subquery reading no relation ({@code (SELECT ?)}, {@code (SELECT ? FROM DUAL)}) reads only what its
             * values do; any other reads relations.
             */
            private void subquery(Select select) {
                if (select instanceof PlainSelect plain && (plain.getJoins() == null || plain.getJoins().isEmpty())
                        && (plain.getWithItemsList() == null || plain.getWithItemsList().isEmpty())
                        && (plain.getFromItem() == null || !hasOwnRelation(plain)) && plain.getWhere() == null
                        && plain.getGroupBy() == null && plain.getHaving() == null) {
                    plain.getSelectItems().forEach(i -> i.getExpression().accept(this, null));
                } else {
                    found[0] = true;
                }
            }

            @Override
            public <S> Void visit(ExistsExpression exists, S context) {
                found[0] = true;
                return null;
            }

            @Override
            public <S> Void visit(AnyComparisonExpression any, S context) {
                if (any.getSelect() != null) {
                    found[0] = true; // = ANY (SELECT …)
                    return null;
                }
                return super.visit(any, context); // = ANY (?), = ANY (f()): what its array is built of
            }

            @Override
            public <S> Void visit(Function function, S context) {
                TableRef routine = routineOf(function);
                if ((routine == null || !builtIns.isBuiltIn(routine)) && !readsTarget(function)) {
                    found[0] = true;
                }
                return super.visit(function, context);
            }
        }, null);
        return found[0];
    }

    /** The routine a call names, as {@link RoutineCalls} names it; {@code null} when it names none. */
    private TableRef routineOf(Function function) {
        return RoutineCalls.routine(function.getMultipartName(), dialect);
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
            // a flag of the row (WHERE active, WHERE NOT active) only where a condition must be a boolean: PostgreSQL
            // refuses WHERE id for an integer. MariaDB and H2 read any column as a truth value (a number other than 0,
            // on MariaDB a text starting with one), so WHERE id holds for every row keyed from 1, and which columns are
            // booleans is the catalog's to say: there a flag bounds once compared (active = 1, active <> 0, active = TRUE)
            return dialect == Dialect.POSTGRESQL;
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
            return testsNotNull(isNull) == negated && rowTested(isNull.getLeftExpression());
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

    /**
     * Whether the condition is {@code col = (SELECT x FROM t …)}: a column of the written table {@code t} equal to a
     * scalar subquery that reads {@code t} itself, written as the statement writes it (a job queue's claim: {@code UPDATE
     * job SET state = 'running' WHERE id = (SELECT id FROM job WHERE state = 'new' LIMIT 1 FOR UPDATE SKIP LOCKED)}). A
     * scalar subquery gives one value or none (the database refuses more than one row), so the condition keeps the rows
     * whose column equals that one value, as {@code col = ?} does, provided the value is the same for every row: the
     * subquery must not be correlated with the written row. It is not when every name in it is its own: its only relation
     * is the written table under the same name, which has every column the written row has, so an unqualified name is
     * the subquery's; a qualified one must name the subquery's own table or alias; and it holds no subquery, join, WITH,
     * set operation, DISTINCT or window of its own.
     */
    private boolean scalarOverTarget(Expression expression) {
        if (writtenAlone == null || !(expression instanceof EqualsTo equals)) {
            return false;
        }
        Expression left = unwrap(equals.getLeftExpression());
        Expression right = unwrap(equals.getRightExpression());
        Column column = left instanceof Column c ? c : right instanceof Column c ? c : null;
        Expression other = column == left ? right : left;
        if (column == null || !targetColumn.test(column) || !(other instanceof ParenthesedSelect subquery)
                || !(subquery.getSelect() instanceof PlainSelect plain)) {
            return false;
        }
        if (plain.getWithItemsList() != null || plain.getJoins() != null && !plain.getJoins().isEmpty()
                || plain.getDistinct() != null || plain.getWindowDefinitions() != null || plain.getIntoTables() != null
                || !(plain.getFromItem() instanceof Table table) || plain.getSelectItems() == null
                || plain.getSelectItems().size() != 1 || !writtenAlone.equals(tableRef.apply(table))) {
            return false;
        }
        String name = dialect.normalizeIdentifier(table.getName());
        if (table.getSchemaName() == null && (statementCtes.containsKey(name) || scope != null && scope.cte(name) != null)) {
            return false; // a CTE of that name, whose columns are not the written table's, is what the subquery reads
        }
        String own = dialect.normalizeIdentifier(table.getAlias() != null ? table.getAlias().getName() : table.getName());
        boolean[] foreign = {false};
        try {
            // every node, whatever its class: no clause a visitor forgot can hide another level's name
            ParseTreeEditor.walk(plain, (owner, field, type, node, inList) -> {
                if (node instanceof Select) {
                    foreign[0] = true; // a subquery of its own: its names may reach any level
                } else if (node instanceof Column c && c.getTable() != null && c.getTable().getName() != null
                        && (c.getTable().getSchemaName() != null
                        || !dialect.sameName(dialect.normalizeIdentifier(c.getTable().getName()), own))) {
                    foreign[0] = true; // another level's name: the subquery may be correlated with the written row
                } else if (node instanceof Column c && (c.getTable() == null || c.getTable().getName() == null)
                        && writtenNames.stream().anyMatch(n -> dialect.sameName(n, dialect.normalizeIdentifier(
                        c.getColumnName())))) {
                    foreign[0] = true; // the written row as a whole-row value (WHERE i = o, (o).id, row_to_json(o))
                } else if (node instanceof net.sf.jsqlparser.statement.select.AllTableColumns all
                        && (all.getTable() == null || all.getTable().getName() == null
                        || !dialect.sameName(dialect.normalizeIdentifier(all.getTable().getName()), own))) {
                    foreign[0] = true; // o.*: another level's row
                }
                return node;
            });
        } catch (RuntimeException e) {
            return false; // a shape the walk cannot read: no bound proven
        }
        return !foreign[0];
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
            if (!(selected instanceof Column || selected instanceof AllColumns && !(selected instanceof FunctionAllColumns)
                    || selected instanceof LongValue
                    || selected instanceof StringValue || selected instanceof NullValue)) {
                return false;
            }
        }
        if (exposesTargetName(plain)) {
            return false; // a relation of the subquery named as the target is: t.id is then the subquery's own
        }
        Predicate<Column> outer = column -> column.getTable() != null && column.getTable().getName() != null
                && targetColumn.test(column);
        // its unqualified names count as the subquery's own: the caller records them (bounds) for the catalog to prove
        return !new WhereClassifier(dialect, outer, targetTables, true, false).bounds(plain.getWhere(), false).isEmpty();
    }

    /** Whether a relation of the query's FROM goes by a name that qualifies the target's columns. */
    private boolean exposesTargetName(PlainSelect plain) {
        List<FromItem> items = new ArrayList<>();
        items.add(plain.getFromItem());
        if (plain.getJoins() != null) {
            plain.getJoins().forEach(j -> items.add(j.getFromItem()));
        }
        for (FromItem item : items) {
            String name = item == null ? null : item.getAlias() != null ? item.getAlias().getName()
                    : item instanceof Table table ? table.getName() : null;
            if (name != null && targetColumn.test(new Column(new Table(name), "x"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a disjunction's terms may hold for every row together whatever their literals: some pair of them are each
     * other's negation ({@code a = 1 OR a <> 1}), or they {@linkplain #mayCoverEveryValue cover} every value of a column.
     */
    private boolean complementary(List<Term> terms) {
        return negationPair(terms) || mayCoverEveryValue(terms);
    }

    /** Whether some pair of a disjunction's terms are each other's negation (literals ignored). */
    private boolean negationPair(List<Term> terms) {
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

    /** Which values of what it tests a comparison holds for, literals ignored. */
    private enum Cover {
        /** One value or a list of them: {@code =}, IN, {@code IS NOT DISTINCT FROM}, a bare flag (true). */
        POINT,
        /** IS NULL. */
        NULL,
        /**
         * Every value but some: {@code <>}, NOT IN, NOT LIKE, {@code !~}, NOT BETWEEN, IS DISTINCT FROM, IS NOT NULL,
         * a negated flag ({@code NOT active}, {@code active IS FALSE}).
         */
        EXCEPT,
        /** Every value below one: {@code <}, {@code <=}. */
        BELOW,
        /** Every value above one: {@code >}, {@code >=}. */
        ABOVE,
        /** BETWEEN. */
        RANGE,
        /** A pattern match: LIKE, ILIKE, SIMILAR TO, {@code ~}. */
        MATCH
    }

    /**
     * Whether a disjunction's terms may together hold for every value of a column they test, for some literals: a term
     * that holds for every value but some ({@code a <> 1}, {@code a NOT IN (…)}, {@code a !~ 'x'}, {@code a NOT LIKE …})
     * with another term on the same column ({@code a = 1}, {@code a IN (1)}, {@code a ~ 'x'}, {@code a <> 2}, {@code a < 5}),
     * or a term open below with one open above ({@code a < 5 OR 5 <= a}, {@code a = 1 OR a < 1 OR a > 1}), or EXISTS
     * with NOT EXISTS over the same tables (grouped by the tables they read, whatever their aliases). Whether the
     * literals do make it hold for every row is not asked: the verdict never depends on them. Terms are grouped by every
     * column name they read, however qualified and whatever computes on it ({@code o.a = 1 OR a + 0 <> 1}), and a
     * conjunction among the terms is restricted by any one of its conjuncts that bound: the terms may cover every value
     * when they do for every choice of one of them per term ({@code a = 1 OR (a <> 1 AND b IS NOT NULL)} may, since
     * {@code b IS NOT NULL} restricts nothing; {@code (a = 1 AND b <> 1) OR (a = 2 AND b <> 2)} may not).
     */
    private boolean mayCoverEveryValue(List<Term> terms) {
        List<List<Term>> choices = new ArrayList<>();
        long combinations = 1;
        for (Term term : terms) {
            List<Term> restrictors = restrictors(term);
            choices.add(restrictors);
            combinations *= restrictors.size();
            if (combinations > MAXIMUM_COVER_CHOICES) {
                return true;
            }
        }
        int[] pick = new int[terms.size()];
        while (true) {
            Map<String, Map<Cover, Set<Integer>>> byColumn = new HashMap<>();
            for (int i = 0; i < pick.length; i++) {
                Term chosen = choices.get(i).get(pick[i]);
                collectCovers(chosen.expression(), chosen.negated(), i, byColumn);
            }
            if (!mayCover(byColumn)) {
                return false; // these comparisons alone restrict the terms, and they cannot hold for every value
            }
            int k = 0;
            while (k < pick.length && ++pick[k] == choices.get(k).size()) {
                pick[k] = 0;
                k++;
            }
            if (k == pick.length) {
                return true;
            }
        }
    }

    /** How many ways of choosing one restricting comparison per term {@link #mayCoverEveryValue} tries; more may cover. */
    private static final int MAXIMUM_COVER_CHOICES = 256;

    /**
     * The parts of a disjunction's term any one of which restricts it: the conjuncts that bound, of a conjunction
     * ({@code a <> 1 AND b = 2} is restricted by each, while {@code a <> 1 AND b IS NOT NULL} only by {@code a <> 1}),
     * or the term itself.
     */
    private List<Term> restrictors(Term term) {
        Expression t = unwrap(term.expression());
        boolean negated = term.negated();
        while (t instanceof NotExpression not) {
            negated = !negated;
            t = unwrap(not.getExpression());
        }
        if (t instanceof IsBooleanExpression is && !is.isNot()) {
            return restrictors(new Term(is.getLeftExpression(), negated != !is.isTrue()));
        }
        boolean conjunction = t instanceof AndExpression && !negated || t instanceof OrExpression && negated;
        if (!conjunction) {
            return List.of(new Term(t, negated));
        }
        List<Term> members = new ArrayList<>();
        flatten(t, negated, t.getClass(), members);
        List<Term> restricting = new ArrayList<>();
        for (Term member : members) {
            if (!bounds(member.expression(), member.negated()).isEmpty()) {
                restricting.addAll(restrictors(member));
            }
        }
        return restricting.isEmpty() ? List.of(new Term(t, negated)) : restricting;
    }

    /** Whether comparisons of different terms, as {@link #collectCovers} gathered them, may cover every value of a column. */
    private static boolean mayCover(Map<String, Map<Cover, Set<Integer>>> byColumn) {
        for (Map<Cover, Set<Integer>> covers : byColumn.values()) {
            Set<Integer> except = covers.getOrDefault(Cover.EXCEPT, Set.of());
            for (Map.Entry<Cover, Set<Integer>> other : covers.entrySet()) {
                if (other.getKey() != Cover.NULL && differentTerms(except, other.getValue())) {
                    return true;
                }
            }
            if (differentTerms(covers.getOrDefault(Cover.BELOW, Set.of()), covers.getOrDefault(Cover.ABOVE, Set.of()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean differentTerms(Set<Integer> a, Set<Integer> b) {
        for (int i : a) {
            for (int j : b) {
                if (i != j) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Adds what {@code e} (negated when {@code negated}), a part of the disjunction's term {@code term}, covers. */
    private void collectCovers(Expression e, boolean negated, int term, Map<String, Map<Cover, Set<Integer>>> byColumn) {
        Expression t = unwrap(e);
        while (t instanceof NotExpression not) {
            negated = !negated;
            t = unwrap(not.getExpression());
        }
        if (t instanceof IsBooleanExpression is && !is.isNot()) {
            collectCovers(is.getLeftExpression(), negated != !is.isTrue(), term, byColumn);
            return;
        }
        if (t instanceof AndExpression || t instanceof OrExpression) {
            BinaryExpression binary = (BinaryExpression) t;
            collectCovers(binary.getLeftExpression(), negated, term, byColumn);
            collectCovers(binary.getRightExpression(), negated, term, byColumn);
            return;
        }
        if (t instanceof ExistsExpression exists) {
            // EXISTS of one query and NOT EXISTS of another over the same tables may hold for every row together
            // (the same correlated query written with another alias): they are grouped by the tables they read.
            Map<Cover, Set<Integer>> byCover = byColumn.computeIfAbsent("exists " + subqueryTables(exists),
                    k -> new java.util.EnumMap<>(Cover.class));
            byCover.computeIfAbsent(exists.isNot() != negated ? Cover.EXCEPT : Cover.POINT, k -> new HashSet<>()).add(term);
            return;
        }
        List<Cover> covers = new ArrayList<>(2);
        if (t instanceof EqualsTo) {
            covers.add(negated ? Cover.EXCEPT : Cover.POINT);
        } else if (t instanceof NotEqualsTo) {
            covers.add(negated ? Cover.POINT : Cover.EXCEPT);
        } else if (t instanceof MinorThan || t instanceof MinorThanEquals || t instanceof GreaterThan
                || t instanceof GreaterThanEquals) {
            BinaryExpression binary = (BinaryExpression) t;
            boolean below = t instanceof MinorThan || t instanceof MinorThanEquals;
            boolean left = readsTarget(binary.getLeftExpression()) || readsColumn(binary.getLeftExpression());
            boolean right = readsTarget(binary.getRightExpression()) || readsColumn(binary.getRightExpression());
            if (left == right) {
                covers.add(Cover.BELOW);
                covers.add(Cover.ABOVE);
            } else {
                covers.add(below == left != negated ? Cover.BELOW : Cover.ABOVE);
            }
        } else if (t instanceof IsDistinctExpression x) {
            covers.add(x.isNot() != negated ? Cover.POINT : Cover.EXCEPT);
        } else if (t instanceof LikeExpression x) {
            covers.add(x.isNot() != negated ? Cover.EXCEPT : Cover.MATCH);
        } else if (t instanceof SimilarToExpression x) {
            covers.add(x.isNot() != negated ? Cover.EXCEPT : Cover.MATCH);
        } else if (t instanceof RegExpMatchOperator x) {
            boolean not = x.getOperatorType() == net.sf.jsqlparser.expression.operators.relational.RegExpMatchOperatorType.NOT_MATCH_CASESENSITIVE
                    || x.getOperatorType() == net.sf.jsqlparser.expression.operators.relational.RegExpMatchOperatorType.NOT_MATCH_CASEINSENSITIVE;
            covers.add(not != negated ? Cover.EXCEPT : Cover.MATCH);
        } else if (t instanceof InExpression x) {
            covers.add(x.isNot() != negated ? Cover.EXCEPT : Cover.POINT);
        } else if (t instanceof Between x) {
            covers.add(x.isNot() != negated ? Cover.EXCEPT : Cover.RANGE);
        } else if (t instanceof IsNullExpression x) {
            covers.add(testsNotNull(x) != negated ? Cover.EXCEPT : Cover.NULL);
        } else if (t instanceof Column column && !ColumnResolver.isNonColumnWord(column, dialect)) {
            covers.add(negated ? Cover.EXCEPT : Cover.POINT); // a bare flag: it holds where it is true
        } else {
            return; // a function, a form without a rule: its negation is found by negationPair
        }
        for (String column : columnNames(t)) {
            Map<Cover, Set<Integer>> byCover = byColumn.computeIfAbsent(column, k -> new java.util.EnumMap<>(Cover.class));
            for (Cover cover : covers) {
                byCover.computeIfAbsent(cover, k -> new HashSet<>()).add(term);
            }
        }
    }

    /** The names (without schema, in lower case) of the tables an EXISTS reads, or {@code *} when they cannot be told. */
    private static Set<String> subqueryTables(ExistsExpression exists) {
        Set<String> tables = new java.util.TreeSet<>();
        try {
            if (exists.getRightExpression() instanceof Select select) {
                for (String table : new TablesNamesFinder<Void>().getTables((net.sf.jsqlparser.statement.Statement) select)) {
                    String name = table.substring(table.lastIndexOf('.') + 1).replace("\"", "").replace("`", "");
                    tables.add(name.toLowerCase(java.util.Locale.ROOT));
                }
                return tables;
            }
        } catch (RuntimeException unsupported) {
            // a form the finder has no rule for: grouped with every other EXISTS whose tables are not known
        }
        return Set.of("*");
    }

    /** The names (without qualifier, in lower case) of the columns an expression reads, subqueries' included. */
    private Set<String> columnNames(Expression expression) {
        Set<String> names = new HashSet<>();
        expression.accept(new ExpressionVisitorAdapter<Void>(null) {
            @Override
            public <S> Void visit(Column column, S context) {
                if (!ColumnResolver.isNonColumnWord(column, dialect) && column.getColumnName() != null) {
                    names.add(column.getColumnName().replace("\"", "").replace("`", "").toLowerCase(java.util.Locale.ROOT));
                }
                return null;
            }
        }, null);
        return names;
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
            public <S> Void visit(TimeKeyExpression key, S context) {
                found[0] |= ColumnResolver.columnIn(key) != null;
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
        if (targetTables.isEmpty() && scope == null) {
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
            if (parts.size() == 1 && !statementCtes.containsKey(name) && scope != null && scope.cte(name) != null) {
                // an enclosing statement's CTE (WITH c AS (…), d AS (DELETE … WHERE id IN (SELECT id FROM c))): what its
                // body reads is not among this statement's relations, so it cannot be proven not to be the target
                return true;
            }
        }
        return false;
    }

    /** Whether the expression reads a column of the target's rows, subqueries included. */
    private boolean readsTarget(Expression expression) {
        TargetColumnFinder finder = new TargetColumnFinder(null);
        expression.accept(finder, null);
        return finder.found;
    }

    /**
     * One query level of a subquery, innermost first, for the unqualified names it holds: whether it reads a relation of
     * its own, the column names its derived tables and CTEs certainly have, the plain tables whose columns the catalog
     * knows, and the CTEs it defines (by name: their output names, {@code null} when not known).
     */
    private record Level(Level parent, boolean relations, Set<String> known, List<TableRef> tables,
                         Map<String, Set<String>> ctes) {

        boolean anyRelation() {
            for (Level l = this; l != null; l = l.parent) {
                if (l.relations) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Looks for a target column. At the statement's level every unqualified name may be the target's; inside a subquery
     * one qualified by the target counts, and an unqualified one counts when no level of the subquery reads a relation
     * ({@code SELECT id}, {@code SELECT id FROM DUAL}); otherwise it is taken as the subquery's own, and recorded
     * ({@link #assumed}) unless a derived table or CTE of its levels certainly has a column of that name.
     */
    private final class TargetColumnFinder extends ExpressionVisitorAdapter<Void> {
        /** The subquery level walked, {@code null} at the statement's own. */
        private final Level level;
        /** The unqualified names taken as a subquery's own, shared by the finders of nested levels. */
        final Set<BareColumn> assumed;
        boolean found;

        TargetColumnFinder(Level level) {
            this(level, new LinkedHashSet<>());
        }

        private TargetColumnFinder(Level level, Set<BareColumn> assumed) {
            super(null);
            this.level = level;
            this.assumed = assumed;
        }

        @Override
        public <S> Void visit(TimeKeyExpression key, S context) {
            Column column = ColumnResolver.columnIn(key);
            return column == null ? null : visit(column, context);
        }

        @Override
        public <S> Void visit(Column column, S context) {
            if (ColumnResolver.isNonColumnWord(column, dialect)) {
                return null;
            }
            boolean qualified = column.getTable() != null && column.getTable().getName() != null;
            if (level == null || qualified || !level.anyRelation()) {
                if (targetColumn.test(column)) {
                    found = true;
                }
                return null;
            }
            String name = dialect.normalizeIdentifier(column.getColumnName());
            List<TableRef> tables = new ArrayList<>();
            for (Level l = level; l != null; l = l.parent) {
                if (l.known.stream().anyMatch(k -> dialect.sameName(k, name))) {
                    return null; // a derived table or CTE of the subquery has it for certain
                }
                tables.addAll(l.tables);
            }
            assumed.add(new BareColumn(name, tables));
            return null;
        }

        @Override
        public <S> Void visit(ParenthesedSelect select, S context) {
            subquery(select, level);
            return null;
        }

        @Override
        public <S> Void visit(Select select, S context) {
            subquery(select, level);
            return null;
        }

        @Override
        public <S> Void visit(AnyComparisonExpression any, S context) {
            if (any.getSelect() != null) {
                subquery(any.getSelect(), level); // = ALL (SELECT …), = ANY (SELECT …)
            }
            return super.visit(any, context);
        }

        /** Walks a query whose unqualified names resolve, past its own levels, in {@code outer}. */
        private void subquery(Select select, Level outer) {
            Level withLevel = outer;
            if (select.getWithItemsList() != null && !select.getWithItemsList().isEmpty()) {
                Map<String, Set<String>> ctes = new java.util.TreeMap<>(
                        dialect.caseSensitiveNames() ? null : String.CASE_INSENSITIVE_ORDER);
                withLevel = new Level(outer, false, Set.of(), List.of(), ctes);
                for (WithItem<?> item : select.getWithItemsList()) {
                    ctes.put(dialect.normalizeIdentifier(item.getAliasName()), WhereClassifier.this.cteOutputs(item));
                    if (item.getParenthesedStatement() instanceof ParenthesedSelect body) {
                        subquery(body, withLevel); // a CTE's body sees the levels outside, not this one's FROM
                    } else {
                        found = true; // a data-modifying CTE in a subquery: assumed to read the target
                    }
                }
            }
            if (select instanceof ParenthesedSelect parenthesed) {
                subquery(parenthesed.getSelect(), withLevel);
            } else if (select instanceof SetOperationList setOperations) {
                for (Select each : setOperations.getSelects()) {
                    subquery(each, withLevel);
                }
            } else if (select instanceof PlainSelect plain) {
                plainSelect(plain, withLevel);
            } else if (select instanceof Values values) {
                // its rows' values resolve in the levels outside
                TargetColumnFinder rows = new TargetColumnFinder(withLevel, assumed);
                values.getExpressions().accept(rows, null);
                found |= rows.found;
            } else {
                // Other shapes: correlation is assumed.
                found = true;
            }
        }

        private void plainSelect(PlainSelect plain, Level outer) {
            Set<String> known = new HashSet<>();
            List<TableRef> tables = new ArrayList<>();
            List<FromItem> items = new ArrayList<>();
            items.add(plain.getFromItem());
            if (plain.getJoins() != null) {
                plain.getJoins().forEach(j -> items.add(j.getFromItem()));
            }
            for (FromItem item : items) {
                fromItem(item, outer, known, tables);
            }
            Level here = new Level(outer, hasOwnRelation(plain), known, tables, Map.of());
            TargetColumnFinder inner = new TargetColumnFinder(here, assumed);
            if (plain.getWhere() != null) {
                plain.getWhere().accept(inner, null);
            }
            if (plain.getHaving() != null) {
                plain.getHaving().accept(inner, null);
            }
            plain.getSelectItems().forEach(i -> i.getExpression().accept(inner, null));
            if (plain.getJoins() != null) {
                for (Join j : plain.getJoins()) {
                    if (j.getOnExpressions() != null) {
                        j.getOnExpressions().forEach(on -> on.accept(inner, null));
                    }
                }
            }
            found |= inner.found;
        }

        /**
         * Adds what one FROM item tells about the columns of its level ({@code known}, {@code tables}), and walks what
         * it computes: a derived table's query (which sees the levels outside, not its siblings), a table function's
         * arguments.
         */
        private void fromItem(FromItem item, Level outer, Set<String> known, List<TableRef> tables) {
            if (item == null) {
                return;
            }
            List<String> aliasColumns = aliasColumns(item.getAlias());
            if (item instanceof Table table) {
                String name = dialect.normalizeIdentifier(table.getName());
                if (table.getSchemaName() == null && name != null && isCte(name, outer)) {
                    Set<String> outputs = cteOutputs(name, outer);
                    if (aliasColumns != null) {
                        known.addAll(aliasColumns);
                    } else if (outputs != null) {
                        known.addAll(outputs);
                    }
                } else if (aliasColumns != null) {
                    known.addAll(aliasColumns); // renamed: its own names are hidden
                } else if (name != null && !(table.getSchemaName() == null && name.equalsIgnoreCase("dual"))) {
                    tables.add(tableRef.apply(table));
                }
            } else if (item instanceof ParenthesedSelect derived) {
                Set<String> outputs = aliasColumns != null ? Set.copyOf(aliasColumns) : outputNames(derived.getSelect());
                if (outputs != null) {
                    known.addAll(outputs);
                }
                subquery(derived, outer);
            } else if (item instanceof TableFunction function) {
                TargetColumnFinder arguments = new TargetColumnFinder(outer, assumed);
                if (function.getFunction() != null) {
                    function.getFunction().accept(arguments, null);
                } else {
                    arguments.found = true; // ROWS FROM (…) and other forms: assumed to read the target
                }
                found |= arguments.found;
                if (aliasColumns != null) {
                    known.addAll(aliasColumns);
                }
            } else {
                found = true; // a FROM item read no further here (a parenthesised join, …): it may read the target
            }
        }

        private boolean isCte(String name, Level from) {
            for (Level l = from; l != null; l = l.parent) {
                if (l.ctes.containsKey(name)) {
                    return true;
                }
            }
            return statementCtes.containsKey(name) || scope != null && scope.cte(name) != null;
        }

        /** A CTE's output names, {@code null} when not known (one of an enclosing statement's, whose text is not here). */
        private Set<String> cteOutputs(String name, Level from) {
            for (Level l = from; l != null; l = l.parent) {
                if (l.ctes.containsKey(name)) {
                    return l.ctes.get(name);
                }
            }
            return statementCtes.get(name);
        }
    }

    /** A CTE's output names: its column list, or its query's ({@link #outputNames}); {@code null} when not known. */
    private Set<String> cteOutputs(WithItem<?> item) {
        if (item.getWithItemList() != null && !item.getWithItemList().isEmpty()) {
            Set<String> names = new HashSet<>();
            item.getWithItemList().forEach(i -> names.add(dialect.normalizeIdentifier(i.toString())));
            return names;
        }
        return item.getParenthesedStatement() instanceof ParenthesedSelect body ? outputNames(body) : null;
    }

    /**
     * The output names a query's select list certainly gives its columns: an alias, or a plain column's name. A column
     * of another form (an expression, {@code *}) has a name the analysis does not know and is left out; {@code null}
     * when none is known.
     */
    private Set<String> outputNames(Select select) {
        Select s = select;
        while (s instanceof ParenthesedSelect parenthesed) {
            s = parenthesed.getSelect();
        }
        if (s instanceof SetOperationList operations && !operations.getSelects().isEmpty()) {
            return outputNames(operations.getSelects().get(0)); // the first query names the columns
        }
        if (!(s instanceof PlainSelect plain)) {
            return null;
        }
        Set<String> names = new HashSet<>();
        for (SelectItem<?> item : plain.getSelectItems()) {
            if (item.getAlias() != null && item.getAlias().getName() != null) {
                names.add(dialect.normalizeIdentifier(item.getAlias().getName()));
            } else if (item.getExpression() instanceof Column column && column.getArrayConstructor() == null
                    && !ColumnResolver.isNonColumnWord(column, dialect)) {
                names.add(dialect.normalizeIdentifier(column.getColumnName()));
            }
        }
        return names.isEmpty() ? null : names;
    }

    /** The column names of an alias's list ({@code AS x(a, b)}), or {@code null} when it has none. */
    private List<String> aliasColumns(Alias alias) {
        if (alias == null || alias.getAliasColumns() == null || alias.getAliasColumns().isEmpty()) {
            return null;
        }
        return alias.getAliasColumns().stream().map(c -> dialect.normalizeIdentifier(c.name)).toList();
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
                return new Comparison("isnull " + c.canonical(x.getLeftExpression()), !testsNotNull(x));
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
