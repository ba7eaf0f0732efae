package io.governed.sql;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import net.sf.jsqlparser.expression.AnalyticExpression;
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
 * is proven: a count-like aggregate over bare columns or {@code *} reveals no value (it counts rows), and
 * any other count still answers a question about what it counts, so its columns count as a filter's.
 */
final class ExpressionWalker {

    /** The node kinds with a rule of their own; everything else is walked generically. */
    private static final List<Class<?>> OWN_RULES = List.of(Column.class, AllColumns.class, Select.class,
            Function.class, AnalyticExpression.class, Table.class, UserVariable.class, VariableAssignment.class);

    /**
     * Predicates: wherever one stands (a select list, a CASE, an aggregate's argument), its value answers
     * a question about the columns it tests, so they count as a filter's columns as well.
     */
    private static final List<Class<?>> PREDICATES = List.of(ComparisonOperator.class, LikeExpression.class,
            InExpression.class, Between.class, IsNullExpression.class, IsBooleanExpression.class, IsUnknownExpression.class,
            IsDistinctExpression.class, ExistsExpression.class, SimilarToExpression.class, RegExpMatchOperator.class,
            FullTextSearch.class, MemberOfExpression.class, IncludesExpression.class, ExcludesExpression.class,
            AndExpression.class, OrExpression.class, XorExpression.class, NotExpression.class);

    /** Clauses whose columns already count as a filter's. */
    private static final Set<Clause> FILTERS = java.util.EnumSet.of(Clause.WHERE, Clause.JOIN, Clause.GROUP_BY,
            Clause.HAVING, Clause.ORDER_BY, Clause.ROWS);

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

    /** Whether the walker has a rule of its own for nodes of that class (all others are walked generically). */
    static boolean hasOwnRule(Class<?> type) {
        return OWN_RULES.stream().anyMatch(r -> r.isAssignableFrom(type)) && !FunctionAllColumns.class.isAssignableFrom(type);
    }

    /** Walks any part of a parse tree: an expression, a list of them, a clause object. */
    void walk(Object node) {
        if (node == null || !ParseTreeChildren.isTreeNode(node) || !walking.add(node)) {
            return;
        }
        try {
            dispatch(node);
        } finally {
            walking.remove(node);
        }
    }

    private void dispatch(Object node) {
        if (node instanceof Column column) {
            columns.resolve(column, scope, clause, lineage, selectOutputs);
        } else if (node instanceof FunctionAllColumns) {
            children(node);
        } else if (node instanceof AllTableColumns tableColumns) {
            wholeRow(tableColumns.getTable());
        } else if (node instanceof AllColumns) {
            // * as an argument of anything but a count: every column in scope
            scope.candidates().forEach(r -> columns.wholeRow(r, clause, lineage));
        } else if (node instanceof Select select) {
            subquery(select);
        } else if (node instanceof Function function) {
            function(function);
        } else if (node instanceof AnalyticExpression analytic) {
            analytic(analytic);
        } else if (node instanceof Table table) {
            wholeRow(table);
        } else if (node instanceof VariableAssignment assignment) {
            assignment(assignment);
        } else if (node instanceof UserVariable variable) {
            // a user variable (@v) holds whatever an earlier statement put there (SELECT @v := ssn …):
            // its value's origin cannot be traced. A system variable (@@sql_mode) holds a setting.
            // Within the value of an assignment (@a := @b + 1) a variable copies no masked value: every assignment of
            // a governed statement is checked (assignment), so it adds nothing to what the assignment copies.
            if (lineage != null && !variable.isDoubleAdd() && !inAssignment) {
                lineage.unknown = true;
            }
        } else {
            children(node);
            if (!FILTERS.contains(clause)) {
                asFilter(node);
            }
        }
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
        columns.record(assigned, Clause.VALUE);
    }

    /** What decides a predicate's or a CASE's answer, walked again as a filter's columns (no lineage). */
    private void asFilter(Object node) {
        if (PREDICATES.stream().anyMatch(p -> p.isInstance(node))) {
            withoutLineage(false, () -> children(node));
        } else if (node instanceof CaseExpression caseExpression) {
            withoutLineage(false, () -> walk(caseExpression.getSwitchExpression()));
        } else if (node instanceof WhenClause when) {
            withoutLineage(false, () -> walk(when.getWhenExpression()));
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

    private void function(Function function) {
        List<String> parts = function.getMultipartName();
        String bare = parts == null || parts.isEmpty() ? ""
                : QueryWalker.routineName(parts.get(parts.size() - 1), queries.dialect());
        RoutineCalls.note(parts, queries.dialect(), out); // a call of user code, file access, dynamic SQL
        if (lineage != null && !KnownFunctions.derivesOnlyFromArguments(bare)) {
            lineage.unknown = true; // a function we do not know may read anything (another table, say)
        }
        if (QueryWalker.isCount(function)) {
            counted(function, countsOnlyRows(function));
            return;
        }
        children(function);
        if (KnownFunctions.keepsArguments(bare)) {
            // pg_advisory_lock(k): the key stays in the server, where another session probes it
            // (pg_try_advisory_lock(k) fails while it is held), so what it carries is written out in clear
            withClause(Clause.VALUE, () -> children(function));
        } else if (!FILTERS.contains(clause) && KnownFunctions.mayReturnRowsByArguments(bare)) {
            // generate_series(1, x), unnest(a): how many rows come back answers a question about x
            withClause(Clause.ROWS, () -> children(function));
        }
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
            Expression argument = analytic.getExpression();
            withoutLineage(false, () -> ParseTreeChildren.forEach(analytic, child -> {
                if (child != argument) {
                    walk(child);
                }
            }));
            return;
        }
        Expression argument = analytic.getExpression();
        boolean bare = argument == null || argument instanceof Column
                || argument instanceof AllColumns && !(argument instanceof FunctionAllColumns);
        withoutLineage(bare, () -> {
            if (argument instanceof Column) {
                walk(argument);
            }
        });
        withoutLineage(false, () -> ParseTreeChildren.forEach(analytic, child -> {
            if (child != argument || !bare) {
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
        withoutLineage(onlyRows, () -> {
            if (onlyRows) {
                if (count.getParameters() != null) {
                    count.getParameters().forEach(p -> {
                        if (p instanceof Column) {
                            walk(p);
                        }
                    });
                }
            } else {
                children(count);
            }
        });
    }

    private void withoutLineage(boolean sameClause, Runnable walk) {
        Lineage savedLineage = lineage;
        Clause savedClause = clause;
        lineage = null;
        if (!sameClause) {
            clause = Clause.WHERE;
        }
        try {
            walk.run();
        } finally {
            lineage = savedLineage;
            clause = savedClause;
        }
    }

    /** {@code count(*)}, {@code count(x)}, {@code count(DISTINCT x, y)}: nothing but columns or rows counted. */
    private static boolean countsOnlyRows(Function count) {
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
    }

    private void subquery(Select select) {
        List<OutputColumn> outputs = queries.query(select, scope);
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
