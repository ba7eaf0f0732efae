package io.governed.sql;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.NextValExpression;
import net.sf.jsqlparser.expression.TimeKeyExpression;
import net.sf.jsqlparser.expression.TranscodingFunction;
import net.sf.jsqlparser.expression.UserVariable;
import net.sf.jsqlparser.expression.VariableAssignment;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.WhenClause;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.conditional.XorExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.ExcludesExpression;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.FullTextSearch;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IncludesExpression;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.operators.relational.IsDistinctExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.IsUnknownExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MemberOfExpression;
import net.sf.jsqlparser.expression.operators.relational.RegExpMatchOperator;
import net.sf.jsqlparser.expression.operators.relational.SimilarToExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.arithmetic.Concat;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FunctionAllColumns;
import net.sf.jsqlparser.statement.select.Select;

/**
 * Walks one expression tree (or any other part of a statement) in a fixed scope and clause: records
 * every column it references, adds their lineage (when a lineage is being gathered), walks
 * subqueries, and notes the traits some function calls carry (file access, dynamic SQL).
 *
 * <p>Fail closed by construction: only a handful of node kinds have a rule of their own
 * ({@link #hasOwnRule}); every other node, whatever its kind, is walked through {@link ParseTreeChildren},
 * so every column reference beneath it counts. A rule may only narrow what a node contributes where that
 * is proven: a count-like aggregate over bare columns or {@code *}, without DISTINCT, reveals no value (it counts rows), and
 * any other count still answers a question about what it counts, so its columns count as a filter's.
 *
 * <p>Whether a statement fails answers a question too ({@code 1 / (ascii(substr(ssn, 1, 1)) - 49)} fails only when
 * the first digit is '1'). So outside the filter clauses, every column beneath a node that is not proven unable to
 * fail on any value ({@link #errorFree}: a bare column, a literal, parentheses, a short list of functions) is recorded
 * under {@link Clause#COMPUTED} as well. The list names what is safe; everything else (casts, arithmetic, CASE, any
 * other function, a scalar subquery computed on) counts.
 */
final class ExpressionWalker {

    /** The node kinds with a rule of their own; everything else is walked generically. */
    private static final List<Class<?>> OWN_RULES = List.of(Column.class, AllColumns.class, Select.class,
            Function.class, AnalyticExpression.class, Table.class, UserVariable.class, VariableAssignment.class,
            TimeKeyExpression.class);

    /**
     * Predicates: wherever one stands (a select list, a CASE, an aggregate's argument), its value answers
     * a question about the columns it tests, so they count as a filter's columns as well.
     */
    private static final List<Class<?>> PREDICATES = List.of(ComparisonOperator.class, LikeExpression.class,
            InExpression.class, Between.class, IsNullExpression.class, IsBooleanExpression.class, IsUnknownExpression.class,
            IsDistinctExpression.class, ExistsExpression.class, SimilarToExpression.class, RegExpMatchOperator.class,
            FullTextSearch.class, MemberOfExpression.class, IncludesExpression.class, ExcludesExpression.class,
            AndExpression.class, OrExpression.class, XorExpression.class, NotExpression.class);

    /** Clauses whose values decide which rows come back, or in which order: what is tested there can be inferred. */
    private static final Set<Clause> TESTS = clauses(Clause::tests);

    /** Clauses whose columns already count as a filter's. */
    private static final Set<Clause> FILTERS = clauses(Clause::filters);

    private static Set<Clause> clauses(java.util.function.Predicate<Clause> which) {
        Set<Clause> clauses = java.util.EnumSet.noneOf(Clause.class);
        for (Clause clause : Clause.values()) {
            if (which.test(clause)) {
                clauses.add(clause);
            }
        }
        return clauses;
    }

    /** Node kinds that cannot fail whatever they hold: values, and what only groups expressions (when all they hold cannot fail). */
    static final Set<Class<?>> CANNOT_FAIL = Set.of(Column.class, StringValue.class, LongValue.class,
            DoubleValue.class, NullValue.class, JdbcParameter.class, JdbcNamedParameter.class);
    static final Set<Class<?>> GROUPING = Set.of(Parenthesis.class, ExpressionList.class,
            ParenthesedExpressionList.class);

    /**
     * Functions of one or more arguments that cannot fail on any value of their arguments, on PostgreSQL, MariaDB and H2
     * alike, and that return a string: case mapping and concatenation (every argument's text, whatever its type).
     */
    private static final Set<String> TEXT_FUNCTIONS_THAT_CANNOT_FAIL = Set.of("upper", "lower", "ucase", "lcase", "concat");

    /**
     * Functions of one argument that cannot fail on any value of it: lengths (PostgreSQL, MariaDB and H2), and
     * PostgreSQL's JSON of a value or a whole row (every column through its output function; absent elsewhere).
     */
    private static final Set<String> LENGTHS = Set.of("length", "char_length", "character_length", "octet_length",
            "row_to_json", "to_json", "to_jsonb");

    private final QueryWalker queries;
    private final ColumnResolver columns;
    private final StatementBuilder out;
    private final Scope scope;
    private final List<OutputColumn> selectOutputs;
    private final Set<Object> walking = Collections.newSetFromMap(new IdentityHashMap<>());
    private Clause clause;
    private Lineage lineage;
    /** Whether the walk is inside the value of a {@code @v := …} assignment. */
    private boolean inAssignment;
    /** Whether the walk is beneath a node that may fail on some value of what it computes from (outside the filter clauses). */
    private boolean computing;
    /**
     * Whether a node above the one being dispatched may fail on the values beneath it ({@link #computing} as it was
     * before that node was walked): a session value read there feeds such a computation.
     */
    private boolean ancestorComputing;
    private final Map<Object, Boolean> errorFree = new IdentityHashMap<>();

    ExpressionWalker(QueryWalker queries, ColumnResolver columns, StatementBuilder out, Scope scope, Clause clause,
                     Lineage lineage, List<OutputColumn> selectOutputs) {
        this.queries = queries;
        this.columns = columns;
        this.out = out;
        this.scope = scope;
        this.clause = clause;
        this.lineage = lineage;
        this.selectOutputs = selectOutputs;
    }

    /** GROUP BY items that are PostgreSQL's grouping constructs, not calls ({@link QueryWalker}); by identity. */
    private java.util.Set<Object> groupingConstructs = java.util.Set.of();

    ExpressionWalker groupingConstructs(java.util.Set<Object> constructs) {
        this.groupingConstructs = constructs;
        return this;
    }

    /** The call that stands as a table of the {@code FROM} clause ({@code FROM JSON_TABLE(…)}), by identity; else {@code null}. */
    private Object tableFunction;

    /** Walks {@code function} as a table of the {@code FROM} clause, where a FROM-only built-in is the server's own. */
    ExpressionWalker tableFunction(Object function) {
        this.tableFunction = function;
        return this;
    }

    /** Whether the walker has a rule of its own for nodes of that class (all others are walked generically). */
    static boolean hasOwnRule(Class<?> type) {
        return OWN_RULES.stream().anyMatch(r -> r.isAssignableFrom(type)) && !FunctionAllColumns.class.isAssignableFrom(type);
    }

    /** Walks any part of a parse tree: an expression, a list of them, a clause object. */
    void walk(Object node) {
        if (node == null || !ParseTreeChildren.isTreeNode(node) || !walking.add(node)) {
            return;
        }
        boolean savedComputing = computing;
        boolean savedAncestorComputing = ancestorComputing;
        ancestorComputing = computing;
        if (!computing && !FILTERS.contains(clause) && !(node instanceof Select) && !errorFree(node)) {
            computing = true;
        }
        try {
            dispatch(node);
        } finally {
            walking.remove(node);
            computing = savedComputing;
            ancestorComputing = savedAncestorComputing;
        }
    }

    /** Whether the walk should also record what it meets as feeding a computation that may fail. */
    private boolean recordsComputed() {
        return computing && !FILTERS.contains(clause);
    }

    /**
     * Whether evaluating {@code node} cannot raise an error, whatever values its columns hold: it and everything
     * beneath it are on the proven-safe list. A node of a conditional evaluation (a function that stops at a null) is
     * safe only when nothing beneath it can fail, so what it skips cannot answer either.
     */
    private boolean errorFree(Object node) {
        Boolean known = errorFree.get(node);
        if (known == null) {
            known = provenErrorFree(node);
            errorFree.put(node, known);
        }
        return known;
    }

    private boolean provenErrorFree(Object node) {
        if (node == null || CANNOT_FAIL.contains(node.getClass())) {
            return true;
        }
        if (node instanceof UserVariable) {
            return true; // reading a variable (@v, @@x) cannot fail, whatever it holds
        }
        if (GROUPING.contains(node.getClass())) {
            return allChildrenErrorFree(node);
        }
        if (node instanceof Concat concat) {
            // ||: on MariaDB an OR of numbers (a conversion with warnings); on PostgreSQL and H2 a string concatenation
            // only when both sides are strings (an array side appends, converting or checking dimensions)
            return queries.dialect() != Dialect.MARIADB && textual(concat.getLeftExpression())
                    && textual(concat.getRightExpression()) && allChildrenErrorFree(node);
        }
        if (node instanceof Function function && !(node instanceof AnalyticExpression)) {
            if (QueryWalker.isCount(function)) {
                return countsOnlyRows(function);
            }
            String name = plainName(function);
            if (name.equals("current_setting") && settingOfLiterals(function)) {
                // current_setting('app.x' [, true]): whether it fails tells whether the setting exists, never its value
                return true;
            }
            boolean listed = TEXT_FUNCTIONS_THAT_CANNOT_FAIL.contains(name)
                    || LENGTHS.contains(name) && function.getParameters() != null && function.getParameters().size() == 1;
            return listed && !function.isDistinct() && !function.isAllColumns() && allChildrenErrorFree(node);
        }
        return false;
    }

    private boolean allChildrenErrorFree(Object node) {
        boolean[] all = {true};
        ParseTreeChildren.forEach(node, child -> all[0] &= !ParseTreeChildren.isTreeNode(child) || errorFree(child));
        return all[0];
    }

    /** Proven to be a string: a string literal, a call of a listed text function, a concatenation of strings. */
    private boolean textual(Expression expression) {
        if (expression instanceof StringValue) {
            return true;
        }
        if (expression instanceof Parenthesis parenthesis) {
            return textual(parenthesis.getExpression());
        }
        if (expression instanceof ParenthesedExpressionList<?> list && list.size() == 1) {
            return textual(list.get(0));
        }
        if (expression instanceof Concat concat) {
            return textual(concat.getLeftExpression()) && textual(concat.getRightExpression());
        }
        return expression instanceof Function function && !(expression instanceof AnalyticExpression)
                && TEXT_FUNCTIONS_THAT_CANNOT_FAIL.contains(plainName(function));
    }

    /** The lower-case name of a built-in called without a schema; "" for anything else. */
    private String plainName(Function function) {
        List<String> parts = function.getMultipartName();
        if (parts == null || parts.size() != 1 || function.getAttribute() != null || function.getKeep() != null) {
            return "";
        }
        return QueryWalker.routineName(parts.get(0), queries.dialect());
    }

    private void dispatch(Object node) {
        if (node instanceof Column column) {
            columns.resolve(column, scope, clause, lineage, selectOutputs);
            if (recordsComputed()) {
                columns.resolve(column, scope, Clause.COMPUTED, null, selectOutputs);
            }
            // The parser hangs subscripts on a column (a[i]), and in some productions reads an array constructor
            // as a column named ARRAY with its elements as subscripts (json_object(ARRAY[ssn, 'x'])): every column
            // beneath them contributes too.
            walk(column.getArrayConstructor());
        } else if (node instanceof TimeKeyExpression key) {
            // current_date is no column; current (current date: the column current labelled date) is one
            Column column = ColumnResolver.columnIn(key);
            if (column != null) {
                dispatch(column);
            }
        } else if (node instanceof FunctionAllColumns) {
            children(node);
        } else if (node instanceof AllTableColumns tableColumns) {
            wholeRow(tableColumns.getTable());
        } else if (node instanceof AllColumns) {
            // * as an argument of anything but a count: every column in scope
            scope.candidates().forEach(r -> columns.wholeRow(r, clause, lineage));
            if (recordsComputed()) {
                scope.candidates().forEach(r -> columns.wholeRow(r, Clause.COMPUTED, null));
            }
        } else if (node instanceof Select select) {
            subquery(select);
        } else if (node instanceof Function function) {
            function(function);
        } else if (node instanceof TranscodingFunction convert && !convert.isTranscodeStyle()
                && queries.dialect() != Dialect.SQLSERVER) {
            convertToType(convert);
        } else if (node instanceof AnalyticExpression analytic) {
            analytic(analytic);
        } else if (node instanceof Table table) {
            wholeRow(table);
        } else if (node instanceof NextValExpression) {
            out.trait(Trait.ADVANCES_SEQUENCE); // NEXT VALUE FOR s: names a sequence, reads no column
        } else if (node instanceof VariableAssignment assignment && !":=".equals(assignment.getOperation())
                && clause != Clause.KEPT) {
            // @v = x, @@x = 'guess' in an expression: MariaDB compares (only := assigns there; a SET's list, walked as
            // KEPT, assigns), and the parser reads it as an assignment: it is walked as the predicate it is
            walk(assignment.getVariable());
            walk(assignment.getExpression());
            if (!FILTERS.contains(clause)) {
                withClause(Clause.CONDITION, () -> {
                    walk(assignment.getVariable());
                    walk(assignment.getExpression());
                });
            }
        } else if (node instanceof VariableAssignment assignment) {
            assignment(assignment);
        } else if (node instanceof UserVariable variable) {
            // a user variable (@v) holds whatever an earlier statement put there (SELECT @v := ssn …):
            // its value's origin cannot be traced. A system variable (@@sql_mode) holds a setting.
            // Within the value of an assignment (@a := @b + 1) a variable copies no masked value: every assignment of
            // a governed statement is checked (assignment), so it adds nothing to what the assignment copies.
            // Wherever else it stands, the statement moves or tests a value that may be masked: written into a table or
            // a setting, or compared in a WHERE (recorded per clause, judged by the decision's masked data flow).
            // A system variable not on the dialect's safe list (@@init_connect, @@global.init_slave) holds text an
            // administrator or an earlier statement wrote: untraceable, as a user variable.
            boolean unlisted = variable.isDoubleAdd()
                    && !SafeSettings.listedSystemVariable(queries.dialect(), variable.getName());
            if ((!variable.isDoubleAdd() || unlisted) && !inAssignment) {
                out.sessionValues.add(clause);
                if (lineage != null) {
                    lineage.unknown = true;
                }
                if (ancestorComputing && !FILTERS.contains(clause)) {
                    // locate('g', @@init_slave), nullif(@v, 'guess'), CAST(@v AS int): a computation whose result or
                    // error answers questions about the value, as on a masked column
                    out.sessionValues.add(Clause.COMPUTED);
                }
            }
        } else {
            children(node);
            if (!FILTERS.contains(clause)) {
                asFilter(node);
            }
        }
    }

    /**
     * {@code CONVERT(a, b)}: the parser reads SQL Server's {@code CONVERT(type, value)}, a data type {@code a} (a name,
     * which carries no value) and a value {@code b}; MariaDB and H2 read {@code CONVERT(value, type)} (Oracle
     * {@code CONVERT(value, charset)}), so what the parser took for a type is the value converted ({@code CONVERT(ssn,
     * CHAR)} returns the SSN as it is) and {@code b} is a type or a character set. The value is walked as what the database
     * reads, an expression of the type's text; a text that is no expression is refused as read otherwise. The call's
     * parts as the parser read them are walked as well ({@code b} names a type there, which can only add a column).
     */
    private void convertToType(TranscodingFunction convert) {
        Expression value;
        try {
            value = net.sf.jsqlparser.parser.CCJSqlParserUtil.parseExpression(String.valueOf(convert.getColDataType()));
        } catch (net.sf.jsqlparser.JSQLParserException | RuntimeException e) {
            value = null;
        }
        if (value == null) {
            throw new MisreadStatement("the parser read CONVERT(value, type) as CONVERT(type, value), and the value is "
                    + "no expression it can read again. Write CAST(value AS type) instead");
        }
        walk(value);
        children(convert);
    }

    /**
     * {@code @v := expr}, wherever it stands (a select list, a WHERE, an ORDER BY): the value is returned where the
     * assignment stands, and it is also copied into a session variable, a clear place later statements read back and
     * write anywhere ({@code INSERT … VALUES (@v)}). So every column beneath it counts as a value written, as in
     * {@code UPDATE t SET x = expr}: a masked one is a copy-out.
     */
    private void assignment(VariableAssignment assignment) {
        Lineage around = lineage;
        Lineage assigned = new Lineage();
        boolean savedInAssignment = inAssignment;
        lineage = assigned;
        inAssignment = true;
        try {
            walk(assignment.getExpression());
        } finally {
            lineage = around;
            inAssignment = savedInAssignment;
        }
        if (around != null) {
            around.addAll(assigned);
            around.unknown = true; // the value of an assignment is the variable's, as a read of it would be
        }
        columns.record(assigned, Clause.KEPT);
        out.trait(Trait.KEEPS_VALUE);
    }

    /** What decides a predicate's or a CASE's answer, walked again as a filter's columns (no lineage). */
    private void asFilter(Object node) {
        if (PREDICATES.stream().anyMatch(p -> p.isInstance(node))) {
            withClause(Clause.CONDITION, () -> children(node));
        } else if (node instanceof CaseExpression caseExpression) {
            withClause(Clause.CONDITION, () -> walk(caseExpression.getSwitchExpression()));
        } else if (node instanceof WhenClause when) {
            withClause(Clause.CONDITION, () -> walk(when.getWhenExpression()));
        }
    }

    /** Walks the children of a node, whatever its kind, without applying the node's own rule. */
    void walkChildren(Object node) {
        if (node != null && walking.add(node)) {
            try {
                children(node);
            } finally {
                walking.remove(node);
            }
        }
    }

    private void children(Object node) {
        ParseTreeChildren.forEach(node, this::walk);
    }

    /**
     * Whether {@code function} is PostgreSQL's or H2's array comparison, {@code x = ANY(array)} ({@code ALL}, {@code SOME}),
     * which the parser reads as a call of a function named {@code any}. Those words are reserved there, so an unqualified,
     * unquoted {@code any(…)} of one argument can only be the comparison; a quoted or qualified name is a routine's.
     */
    private boolean arrayComparison(Function function, List<String> parts, String bare) {
        Dialect dialect = queries.dialect();
        if (dialect != Dialect.POSTGRESQL && !dialect.isH2() || parts == null || parts.size() != 1
                || !(bare.equals("any") || bare.equals("all") || bare.equals("some"))) {
            return false;
        }
        String written = parts.get(0).trim();
        return !written.startsWith("\"") && !written.startsWith("`") && !written.startsWith("[")
                && function.getParameters() != null && function.getParameters().size() == 1
                && !function.isDistinct() && !function.isAllColumns() && function.getKeep() == null
                && function.getOrderByElements() == null && function.getNamedParameters() == null
                && function.getAttribute() == null && !function.isEscaped();
    }

    /**
     * PostgreSQL's {@code GROUPING(a, …)}, which the parser reads as a call: {@code grouping} is a reserved word there, so
     * no routine can be named so and an unqualified, unquoted {@code grouping(…)} is the operation, which tells which
     * grouping set a row belongs to.
     */
    private boolean groupingOperation(Function function, List<String> parts, String bare) {
        return queries.dialect() == Dialect.POSTGRESQL && parts != null && parts.size() == 1 && bare.equals("grouping")
                && !parts.get(0).trim().startsWith("\"") && function.getParameters() != null
                && !function.isDistinct() && !function.isAllColumns() && function.getAttribute() == null;
    }

    /**
     * PostgreSQL's XML forms the parser reads as calls and {@code pg_catalog} has no function for: the grammar's own
     * productions of these column-name keywords, which no routine can be called by unquoted (a user's function of that
     * name is called only as {@code "xmlelement"(…)} or qualified). Each computes its value from its arguments alone,
     * and every column beneath it is walked as any argument is; the words inside ({@code NAME a}, {@code VERSION},
     * {@code PRESERVE WHITESPACE}), which the parser reads as columns, count as columns too. ({@code XMLPI}, which
     * JSQLParser 5.4 cannot read, is left to be added with a parser that reads it.)
     */
    private static final Set<String> POSTGRESQL_XML_FORMS = Set.of("xmlelement", "xmlforest", "xmlconcat", "xmlparse",
            "xmlroot", "xmlattributes");

    /** Whether {@code function} is one of {@link #POSTGRESQL_XML_FORMS}, written unquoted and unqualified. */
    private boolean postgresqlXmlForm(Function function, List<String> parts, String bare) {
        return queries.dialect() == Dialect.POSTGRESQL && parts != null && parts.size() == 1
                && POSTGRESQL_XML_FORMS.contains(bare) && parts.get(0).trim().toLowerCase(java.util.Locale.ROOT).equals(bare)
                && !function.isDistinct() && !function.isAllColumns() && function.getAttribute() == null
                && function.getKeep() == null && !function.isEscaped();
    }

    private void function(Function function) {
        List<String> parts = function.getMultipartName();
        String bare = parts == null || parts.isEmpty() ? ""
                : QueryWalker.routineName(parts.get(parts.size() - 1), queries.dialect());
        if (postgresqlXmlForm(function, parts, bare)) {
            children(function); // XMLELEMENT(NAME a, x): a value of its arguments, with their lineage
            return;
        }
        if (arrayComparison(function, parts, bare)) {
            children(function); // x = ANY(array): the array is the comparison's operand, with its lineage
            return;
        }
        if (groupingConstructs.contains(function) || groupingOperation(function, parts, bare)) {
            children(function); // GROUP BY ROLLUP (a, b), GROUPING(a): the grouping, over the columns named
            return;
        }
        // a call of user code, file access, dynamic SQL; a name on the list of pure functions is one only where it names
        // the dialect's built-in: elsewhere (a function mask() of the user's on PostgreSQL) it is user code, which may
        // read anything
        boolean listed = RoutineCalls.note(parts, queries.dialect(), out, function == tableFunction);
        boolean pure = listed && KnownFunctions.derivesOnlyFromArguments(bare);
        if (listed && bare.equals("nextval")) {
            out.trait(Trait.ADVANCES_SEQUENCE);
        }
        if (!pure) {
            if (lineage != null) {
                lineage.unknown = true; // a function we do not know may read anything (another table, say)
            }
            if (TESTS.contains(clause) && !listed) {
                // ... and what a filter or a sort does with it answers questions about whatever it read
                // (WHERE table_to_xml('t', …)::text LIKE '%…%'), which no column reference shows; a built-in on the
                // maintained lists computes from its arguments and the session alone
                out.trait(Trait.TESTS_UNTRACEABLE);
            }
            if (!listed && clause == Clause.VALUE) {
                // ... and what is written (UPDATE t SET x = f(1)) may be what it read: a masked value, in clear
                out.trait(Trait.WRITES_UNTRACEABLE);
            } else if (!listed && clause == Clause.KEPT) {
                // ... or kept past the statement (pg_notify('c', f(1)), set_config('app.x', f(1), false))
                out.trait(Trait.KEEPS_UNTRACEABLE);
            }
        }
        if ("current_setting".equals(bare)) {
            // current_setting('app.x'): a custom setting holds whatever any earlier statement on the connection gave it
            // (set_config('app.x', ssn, false), another borrower's on a pooled connection), as a user variable does, or
            // what an administrator wrote (ALTER ROLE … SET app.api_key = '…'). The analysis does not see the value, so
            // every setting counts where it is written or tested; a result keeps the lineage of its arguments only for
            // a built-in setting named by a literal on the dialect's safe list (current_setting('search_path')): any
            // other name, or a name that is not a literal (a column, a parameter, an expression), may be any setting
            boolean safe = listed && SafeSettings.listed(queries.dialect(), literalSettingName(function));
            if (!safe) {
                out.sessionValues.add(clause);
                if (ancestorComputing && !FILTERS.contains(clause)) {
                    // starts_with(current_setting('app.x'), 'g'), current_setting('app.x')::int: a computation whose
                    // result or error answers questions about the value, as on a masked column
                    out.sessionValues.add(Clause.COMPUTED);
                }
            }
            if (listed && lineage != null && !safe) {
                lineage.unknown = true;
            }
        }
        if (QueryWalker.isCount(function)) {
            counted(function, countsOnlyRows(function));
            return;
        }
        Expression sequence = sequenceNamed(function, bare);
        arguments(function, sequence);
        if (KnownFunctions.keepsArguments(bare)) {
            // pg_advisory_lock(k): the key stays in the server, where another session probes it
            // (pg_try_advisory_lock(k) fails while it is held), so what it carries is written out in clear
            withClause(Clause.KEPT, () -> arguments(function, sequence));
            out.trait(Trait.KEEPS_VALUE);
        } else if (!FILTERS.contains(clause) && (!pure || KnownFunctions.mayReturnRowsByArguments(bare))) {
            // generate_series(1, x), unnest(a): how many rows come back answers a question about x
            withClause(Clause.ROWS, () -> children(function));
        }
    }

    /** Whether every argument of {@code current_setting(…)} is a literal: its name, and {@code missing_ok} if given. */
    private static boolean settingOfLiterals(Function function) {
        if (literalSettingName(function) == null || function.getParameters().size() > 2) {
            return false;
        }
        return function.getParameters().size() == 1 || CANNOT_FAIL.contains(function.getParameters().get(1).getClass())
                || function.getParameters().get(1) instanceof net.sf.jsqlparser.expression.BooleanValue;
    }

    /**
     * The setting a {@code current_setting(name [, missing_ok])} names, when its first argument is a plain string literal
     * ({@code 'search_path'}); {@code null} for any other argument (a column, a parameter, an expression, an escape string).
     */
    private static String literalSettingName(Function function) {
        if (function.getParameters() == null || function.getParameters().isEmpty() || function.getNamedParameters() != null
                || function.isDistinct() || function.isAllColumns()) {
            return null;
        }
        Object first = function.getParameters().get(0);
        if (first instanceof StringValue literal
                && (literal.getPrefix() == null || literal.getPrefix().isEmpty())) {
            return literal.getValue();
        }
        return null;
    }

    /**
     * MariaDB's {@code NEXTVAL(s)}, {@code LASTVAL(s)} and {@code SETVAL(s, n)} name their sequence as a bare identifier,
     * which the parser reads as a column: that first argument, which is no column and carries no value; else {@code null}.
     */
    private Expression sequenceNamed(Function function, String bare) {
        if (queries.dialect() != Dialect.MARIADB || !(bare.equals("nextval") || bare.equals("lastval") || bare.equals("setval"))
                || function.getParameters() == null || function.getParameters().isEmpty()
                || function.getNamedParameters() != null || function.isDistinct() || function.isAllColumns()) {
            return null;
        }
        Object first = function.getParameters().get(0);
        return first instanceof Column column ? column : null;
    }

    /** Walks a call's parts, all but {@code skipped} (a sequence's name, or {@code null}). */
    private void arguments(Function function, Expression skipped) {
        if (skipped == null) {
            children(function);
            return;
        }
        Object parameters = function.getParameters();
        ParseTreeChildren.forEach(function, child -> {
            if (child == parameters) {
                function.getParameters().forEach(p -> {
                    if (p != skipped) {
                        walk(p);
                    }
                });
            } else {
                walk(child);
            }
        });
    }

    /** Walks again, without lineage, for the columns' part in {@code clause}. */
    private void withClause(Clause what, Runnable walk) {
        Lineage savedLineage = lineage;
        Clause savedClause = clause;
        lineage = null;
        clause = what;
        try {
            walk.run();
        } finally {
            lineage = savedLineage;
            clause = savedClause;
        }
    }

    /** {@code count(*) FILTER (WHERE …)}, {@code count(x) OVER (…)}: the count reveals no value, what decides it is a filter. */
    private void analytic(AnalyticExpression analytic) {
        if (analytic.getName() == null || !analytic.getName().equalsIgnoreCase("count")) {
            children(analytic);
            // the window (PARTITION BY, ORDER BY, frame) and FILTER decide which rows feed the value and in
            // which order: like a WHERE or an ORDER BY, the value answers questions about them
            window(analytic, analytic.getExpression());
            return;
        }
        Expression argument = analytic.getExpression();
        boolean bare = !analytic.isDistinct() && !analytic.isUnique() && (argument == null || argument instanceof Column
                || argument instanceof AllColumns && !(argument instanceof FunctionAllColumns));
        boolean savedComputing = computing;
        computing &= !bare;
        try {
            countedAnalytic(analytic, argument, bare);
        } finally {
            computing = savedComputing;
        }
    }

    private void countedAnalytic(AnalyticExpression analytic, Expression argument, boolean bare) {
        if (bare) {
            withoutLineage(() -> {
                if (argument instanceof Column) {
                    walk(argument);
                }
            });
        } else {
            withClause(Clause.COUNTED, () -> walk(argument));
        }
        window(analytic, argument);
    }

    /**
     * The window (PARTITION BY, ORDER BY, frame) and FILTER of an aggregate or window function, all but its
     * {@code argument}: they decide which rows feed the value and in which order, so, like a WHERE or an ORDER BY,
     * the value answers questions about them.
     */
    private void window(AnalyticExpression analytic, Expression argument) {
        withClause(Clause.WINDOW, () -> ParseTreeChildren.forEach(analytic, child -> {
            if (child != argument) {
                walk(child);
            }
        }));
    }

    /**
     * Walks what a count counts: it contributes no lineage; a count of bare columns or rows reveals only
     * how many there are, anything else (a CASE, a predicate, a filter) answers a question about the
     * columns it reads, so they count as a filter's columns.
     */
    private void counted(Function count, boolean onlyRows) {
        boolean savedComputing = computing;
        computing &= !onlyRows; // a count of rows or bare columns cannot fail, and what is computed on it reveals no value
        try {
            countedWalk(count, onlyRows);
        } finally {
            computing = savedComputing;
        }
    }

    private void countedWalk(Function count, boolean onlyRows) {
        if (!onlyRows) {
            withClause(Clause.COUNTED, () -> children(count));
        } else if (count.getParameters() != null) {
            withoutLineage(() -> count.getParameters().forEach(p -> {
                if (p instanceof Column) {
                    walk(p);
                }
            }));
        }
    }

    /** Walks without lineage, in the same clause: what is walked decides no value that comes back. */
    private void withoutLineage(Runnable walk) {
        Lineage savedLineage = lineage;
        lineage = null;
        try {
            walk.run();
        } finally {
            lineage = savedLineage;
        }
    }

    /** {@code count(*)}, {@code count(x, y)}: nothing but columns or rows counted, and no values compared (no DISTINCT). */
    private static boolean countsOnlyRows(Function count) {
        if (count.isDistinct() || count.isUnique()) {
            // count(DISTINCT ssn) compares the values with each other: over two rows it says whether they are equal
            return false;
        }
        Object parameters = count.getParameters();
        boolean[] nothingElse = {true};
        ParseTreeChildren.forEach(count, child -> nothingElse[0] &= child == parameters);
        if (parameters != null) {
            for (Object p : count.getParameters()) {
                if (!(p instanceof Column || p instanceof AllColumns && !(p instanceof FunctionAllColumns))) {
                    return false;
                }
            }
        }
        return nothingElse[0];
    }

    /** {@code t.*} or a table named in an expression: every column of that relation. */
    private void wholeRow(Table table) {
        if (table == null || table.getName() == null) {
            scope.candidates().forEach(r -> columns.wholeRow(r, clause, lineage));
            if (recordsComputed()) {
                scope.candidates().forEach(r -> columns.wholeRow(r, Clause.COMPUTED, null));
            }
            return;
        }
        String schema = table.getSchemaName() == null ? null : queries.name(table.getSchemaName());
        Relation relation = scope.resolve(schema, queries.name(table.getName()));
        if (relation == null) {
            TableRef ref = queries.tableRef(table);
            out.tablesRead.add(ref);
            relation = Relation.base(ref.name(), ref);
        }
        columns.wholeRow(relation, clause, lineage);
        if (recordsComputed()) {
            columns.wholeRow(relation, Clause.COMPUTED, null);
        }
    }

    private void subquery(Select select) {
        List<OutputColumn> outputs = queries.query(select, scope);
        if (recordsComputed()) {
            // 1 / ((SELECT ascii(ssn) …) - 49): what the subquery returns is computed on where it stands
            outputs.forEach(c -> {
                if (!c.aggregateOnly()) {
                    columns.record(c.lineage(), Clause.COMPUTED);
                }
            });
        }
        if (clause != Clause.SELECT && clause != Clause.OTHER) {
            // (SELECT c.ssn) LIKE '1%': what the subquery returns is tested, or written, where it stands
            outputs.forEach(c -> {
                if (!c.aggregateOnly()) {
                    columns.record(c.lineage(), clause);
                }
            });
        }
        if (lineage != null) {
            outputs.forEach(c -> {
                if (!c.aggregateOnly()) {
                    lineage.addAll(c.lineage());
                }
            });
        }
    }
}
