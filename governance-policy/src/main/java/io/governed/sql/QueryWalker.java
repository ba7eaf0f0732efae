package io.governed.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.TimeKeyExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FunctionAllColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.UnionOp;
import net.sf.jsqlparser.statement.select.MySqlSelectIntoClause;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.ForMode;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.TableFunction;
import net.sf.jsqlparser.statement.select.TableStatement;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;

/**
 * Walks queries and expressions of one statement: records the tables read, the columns referenced
 * per clause and the lineage of every query's output columns into a {@link StatementBuilder}.
 * Names are resolved through a {@link Scope} per query level: aliases, CTEs, derived tables.
 */
final class QueryWalker {

    private static final String UNNAMED = "?column?";

    private final Dialect dialect;
    private final StatementBuilder out;
    private final NestedStatements nestedStatements;
    private final ColumnResolver columns;
    /** Rounds of recursive CTE bodies walked again so far in this statement ({@link #MAXIMUM_RECURSIVE_ROUNDS}). */
    private int recursiveRounds;

    /**
     * How many times, in all, the bodies of a statement's recursive CTEs are walked again to follow values from column to
     * column. Each nested recursive CTE is walked again in every round of the one around it, so without a bound the work
     * grows as the product of their widths (three nested CTEs of 30 columns took minutes); past it, every CTE stops
     * after the round it is in and each of its columns may carry any value any of them carries.
     */
    static final int MAXIMUM_RECURSIVE_ROUNDS = 64;

    /** Analyses a data-modifying statement found inside a query (a DELETE in a CTE, say). */
    interface NestedStatements {
        List<StatementAnalysis> analyze(Statement statement, Scope scope);
    }

    /** The quoted names holding a dot the statement's text holds, normalised ({@link #tableRef}). */
    private final Set<String> dottedNames;

    QueryWalker(Dialect dialect, StatementBuilder out, NestedStatements nestedStatements) {
        this(dialect, out, nestedStatements, Set.of());
    }

    /** A walker for a text holding the quoted names {@code dottedNames} (normalised), each holding a dot. */
    QueryWalker(Dialect dialect, StatementBuilder out, NestedStatements nestedStatements, Set<String> dottedNames) {
        this.dottedNames = dottedNames;
        this.dialect = dialect;
        this.out = out;
        this.nestedStatements = nestedStatements;
        this.columns = new ColumnResolver(dialect, out);
    }

    /**
     * A routine's own name (no schema) for comparison with the built-in names the analysis knows,
     * quotes removed and folded to lower case: {@code "PG_READ_FILE"} counts as {@code pg_read_file}
     * too, erring towards recognising a dangerous function.
     */
    static String routineName(String lastPart, Dialect dialect) {
        return dialect.normalizeIdentifier(lastPart.trim()).toLowerCase(Locale.ROOT);
    }

    Dialect dialect() {
        return dialect;
    }

    String name(String identifier) {
        return dialect.normalizeIdentifier(identifier);
    }

    /**
     * Refuses a qualified name ({@code parts} as written, outermost first) some of whose consecutive parts, joined at
     * dots, make a quoted name of the text that holds a dot: the parser split that name ({@link #tableRef}).
     */
    void requireNotSplit(List<String> parts) {
        if (dottedNames.isEmpty()) {
            return;
        }
        for (int from = 0; from < parts.size() - 1; from++) {
            StringBuilder joined = new StringBuilder(parts.get(from) == null ? "" : name(parts.get(from)));
            for (int to = from + 1; to < parts.size(); to++) {
                joined.append('.').append(parts.get(to) == null ? "" : name(parts.get(to)));
                if (dottedNames.contains(joined.toString())) {
                    throw new MisreadStatement("the parser splits the quoted name " + joined + " at its dots, so the"
                            + " relation the statement names cannot be told for certain (the name, or a schema and a"
                            + " table). Qualify it with its schema (schema.\"" + joined + "\"), or rename the object to"
                            + " a name without a dot");
                }
            }
        }
    }

    /**
     * The relation a parsed table names. The parser splits a quoted name holding a dot ({@code "a.b"}) at its dots when
     * it is a statement's whole name (in ALTER TABLE, DROP, TRUNCATE, CREATE INDEX, COMMENT ON, INSERT, UPDATE, DELETE,
     * MERGE, FROM …), so that it reads as the table {@code b} of schema {@code a}, which a quoted {@code "a"."b"} reads
     * as too: when the text holds such a name and the parts of the table, joined at dots, make it, which relation is
     * meant cannot be told, and the statement is refused. A name qualified by its schema ({@code s."a.b"}) is not split.
     */
    TableRef tableRef(Table table) {
        if (!dottedNames.isEmpty() && table.getNameParts() != null && table.getNameParts().size() > 1) {
            List<String> parts = new ArrayList<>(table.getNameParts());
            java.util.Collections.reverse(parts);
            requireNotSplit(parts);
        }
        String schema = table.getSchemaName();
        return new TableRef(schema == null ? null : name(schema), name(table.getName()));
    }

    // ---------------------------------------------------------------- queries

    /** Walks a query (with its CTEs) whose correlated names resolve in {@code parent}; returns its output columns. */
    List<OutputColumn> query(Select select, Scope parent) {
        if (select.getForMode() != null && select.getForMode() != ForMode.READ_ONLY
                && select.getForMode() != ForMode.FETCH_ONLY) {
            out.trait(Trait.LOCKS_ROWS); // FOR UPDATE, FOR SHARE, …: a lock on the rows it reads
        }
        Scope withScope = parent;
        if (select.getWithItemsList() != null && !select.getWithItemsList().isEmpty()) {
            withScope = new Scope(parent, dialect);
            withItems(select.getWithItemsList(), withScope);
        }
        rowLimits(select, withScope);
        if (select instanceof PlainSelect plain) {
            return plainSelect(plain, withScope);
        }
        if (select instanceof SetOperationList setOperations) {
            List<OutputColumn> columns = setOperations(setOperations, withScope);
            otherParts(setOperations, withScope, Set.of("selects", "operations", "orderByElements"));
            return columns;
        }
        if (select instanceof ParenthesedSelect parenthesed) {
            List<OutputColumn> columns = query(parenthesed.getSelect(), withScope);
            otherParts(parenthesed, withScope, Set.of("select"));
            return columns;
        }
        if (select instanceof Values values) {
            List<OutputColumn> columns = values(values, withScope);
            otherParts(values, withScope, Set.of("expressions"));
            return columns;
        }
        if (select instanceof TableStatement tableStatement) {
            Scope scope = new Scope(withScope, dialect);
            fromItem(tableStatement.getTable(), scope);
            otherParts(tableStatement, scope, Set.of("table"));
            return List.of(new OutputColumn("*", everything(scope), false, true));
        }
        // A query form without a rule of its own: every column beneath it may be in any output column.
        Lineage beneath = new Lineage();
        walker(withScope, Clause.WHERE, beneath, List.of()).walkChildren(select);
        beneath.transformed = true;
        return List.of(new OutputColumn(UNNAMED, beneath, false, true));
    }

    /** Parts of a query the walker has a rule for in every query form (the rest are walked by {@link #otherParts}). */
    private static final Set<String> QUERY_PARTS = Set.of("withItemsList", "limit", "offset", "fetch", "alias", "pivot",
            "unPivot", "forUpdateTables");

    /**
     * Walks every part of a query that no rule handles (QUALIFY, named windows, CONNECT BY, TOP, and
     * whatever a parser upgrade adds): each may decide which rows come back, so its columns count as
     * WHERE columns; a named window's ({@code WINDOW w AS (ORDER BY x)}) as a window's, judged alike.
     */
    private void otherParts(Select select, Scope scope, Set<String> handled) {
        ExpressionWalker walker = walker(scope, Clause.WHERE, null, List.of());
        ExpressionWalker windows = walker(scope, Clause.WINDOW, null, List.of());
        ParseTreeChildren.forEachField(select, (field, value) -> {
            if (!handled.contains(field) && !QUERY_PARTS.contains(field)) {
                (field.equals("windowDefinitions") ? windows : walker).walk(value);
            }
        });
    }

    /** The columns of a VALUES list: each position carries the values of that position in every row. */
    private List<OutputColumn> values(Values values, Scope scope) {
        List<List<Object>> rows = new ArrayList<>();
        int width = -1;
        boolean aligned = true;
        ExpressionList<?> expressions = values.getExpressions();
        boolean oneRow = expressions instanceof ParenthesedExpressionList<?>
                && expressions.stream().noneMatch(e -> e instanceof ExpressionList<?>);
        for (Object row : oneRow ? List.of(expressions) : expressions) {
            List<Object> cells = row instanceof ExpressionList<?> list ? new ArrayList<>(list) : List.of(row);
            aligned &= width < 0 || width == cells.size();
            width = Math.max(width, cells.size());
            rows.add(cells);
        }
        List<Lineage> lineages = new ArrayList<>();
        for (int i = 0; i < Math.max(width, 0); i++) {
            lineages.add(new Lineage());
        }
        for (List<Object> cells : rows) {
            for (int i = 0; i < cells.size(); i++) {
                Lineage cell = new Lineage();
                walker(scope, Clause.OTHER, cell, List.of()).walk(cells.get(i));
                if (!(cells.get(i) instanceof Column)) {
                    cell.transformed = true;
                }
                lineages.get(i).addAll(cell);
            }
        }
        if (!aligned) {
            Lineage all = new Lineage();
            lineages.forEach(all::addAll);
            lineages.replaceAll(l -> all);
        }
        if (rows.size() > 1) {
            // several rows put values of different origins in one column, as UNION ALL does: a masked one meets the others
            lineages.forEach(l -> columns.record(l, Clause.COMPARED));
        }
        List<OutputColumn> columns = new ArrayList<>();
        for (int i = 0; i < lineages.size(); i++) {
            columns.add(new OutputColumn("column" + (i + 1), lineages.get(i), false, false));
        }
        return columns;
    }

    /** Defines the CTEs of a WITH clause in {@code scope}, walking their bodies. */
    void withItems(List<WithItem<?>> items, Scope scope) {
        if (items == null) {
            return;
        }
        if (items.stream().anyMatch(WithItem::isRecursive)) {
            recursiveWithItems(items, scope);
            return;
        }
        for (WithItem<?> item : items) {
            define(scope, name(item.getAliasName()), withItemColumns(item, scope));
        }
    }

    /**
     * The CTEs of a {@code WITH RECURSIVE} list, where any of them may read itself or another of the list (MariaDB
     * reads them as mutually recursive, whatever their order): each row a CTE adds may take its values from any
     * column of the rows added before, so a value moves from column to column, one step per round ({@code SELECT n +
     * 1, b, c, a FROM t} brings the third column's value to the first in two rounds). Every name of the list is in
     * scope from the start, and the bodies are walked again with the columns found so far until no column's lineage
     * grows; as a value takes at most one step per round, that takes at most as many rounds as the list has columns.
     * When it has not settled by then, or the statement's rounds are used up ({@link #MAXIMUM_RECURSIVE_ROUNDS}), every
     * column of the list may carry any value any of them carries: every value comes from a column the first round
     * already walked.
     */
    private void recursiveWithItems(List<WithItem<?>> items, Scope scope) {
        List<String> names = new ArrayList<>();
        List<List<OutputColumn>> found = new ArrayList<>();
        for (WithItem<?> item : items) {
            names.add(name(item.getAliasName()));
            found.add(List.of());
            define(scope, names.get(names.size() - 1), List.of());
        }
        boolean settled = false;
        int rounds = 2;
        for (int round = 0; round < rounds && !settled; round++) {
            if (round > 0 && ++recursiveRounds > MAXIMUM_RECURSIVE_ROUNDS) {
                break; // not settled: every column may carry any value (below)
            }
            settled = round > 0;
            for (int i = 0; i < items.size(); i++) {
                WithItem<?> item = items.get(i);
                List<OutputColumn> columns;
                if (item.getParenthesedStatement() instanceof ParenthesedSelect) {
                    columns = union(found.get(i), withItemColumns(item, scope));
                } else if (round == 0) {
                    columns = withItemColumns(item, scope); // a data-changing statement, walked once: it reads no CTE rows
                } else {
                    continue;
                }
                if (!sameColumns(columns, found.get(i))) {
                    settled = false;
                }
                found.set(i, columns);
                define(scope, names.get(i), columns);
            }
            if (round == 0) {
                rounds = 2 + found.stream().mapToInt(List::size).sum();
            }
        }
        if (!settled) {
            Lineage all = new Lineage();
            found.forEach(columns -> columns.forEach(c -> all.addAll(c.lineage())));
            all.transformed = true;
            for (int i = 0; i < items.size(); i++) {
                List<OutputColumn> any = new ArrayList<>();
                for (OutputColumn c : found.get(i)) {
                    any.add(new OutputColumn(c.label(), all, false, c.star()));
                }
                define(scope, names.get(i), any);
            }
        }
    }

    /** Defines a CTE of that name in {@code scope}; one without a name (a parse tree built by hand) defines nothing. */
    private static void define(Scope scope, String name, List<OutputColumn> columns) {
        if (name != null) {
            scope.defineCte(Relation.derived(name, columns));
        }
    }

    /**
     * The columns of two walks of one recursive CTE merged position by position: each may hold the values of either.
     * When the positions cannot be matched (a different width, a {@code *}), every column may hold any of them.
     */
    private static List<OutputColumn> union(List<OutputColumn> before, List<OutputColumn> now) {
        before = OutputColumn.flatten(before);
        now = OutputColumn.flatten(now);
        if (before.isEmpty()) {
            return now;
        }
        return byPosition(List.of(before, now), now, (lineage, oneOrigin) -> { });
    }

    /** Told of each column {@link #byPosition} merges. */
    @FunctionalInterface
    private interface MergedColumn {
        /**
         * @param lineage   the merged column's lineage
         * @param oneOrigin whether every walk's column at its position carries values of the same origin
         *                  ({@link #sameOrigin}); {@code false} when the positions could not be matched
         */
        void merged(Lineage lineage, boolean oneOrigin);
    }

    /**
     * The columns of several walks whose rows end up in one result (the branches of a set operation, the rounds of a
     * recursive CTE) merged position by position, labelled as {@code labels}: each may hold the values of any walk's
     * column at its position. When the positions cannot be matched (a different width, a {@code *}), every column may
     * hold any of them. {@code each} is told of every merged column (once, of them all, when positions do not match).
     */
    private static List<OutputColumn> byPosition(List<List<OutputColumn>> walks, List<OutputColumn> labels,
                                                 MergedColumn each) {
        List<OutputColumn> first = walks.get(0);
        List<OutputColumn> merged = new ArrayList<>();
        boolean aligned = walks.stream()
                .allMatch(w -> w.size() == first.size() && w.stream().noneMatch(OutputColumn::star));
        if (aligned) {
            for (int i = 0; i < first.size(); i++) {
                Lineage lineage = new Lineage();
                boolean aggregateOnly = true;
                boolean oneOrigin = true;
                for (List<OutputColumn> walk : walks) {
                    lineage.addAll(walk.get(i).lineage());
                    aggregateOnly &= walk.get(i).aggregateOnly();
                    oneOrigin &= sameOrigin(walk.get(i).lineage(), first.get(i).lineage());
                }
                each.merged(lineage, oneOrigin);
                merged.add(new OutputColumn(labels.get(i).label(), lineage, aggregateOnly, false));
            }
            return merged;
        }
        Lineage all = new Lineage();
        walks.forEach(w -> w.forEach(c -> all.addAll(c.lineage())));
        each.merged(all, false);
        for (OutputColumn c : labels) {
            merged.add(new OutputColumn(c.label(), all, false, c.star()));
        }
        return merged;
    }

    /** Whether two walks of a recursive CTE gave columns of the same labels and lineage. */
    private static boolean sameColumns(List<OutputColumn> a, List<OutputColumn> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            OutputColumn x = a.get(i);
            OutputColumn y = b.get(i);
            if (!sameOrigin(x.lineage(), y.lineage()) || x.aggregateOnly() != y.aggregateOnly() || x.star() != y.star()
                    || !x.label().equals(y.label())) {
                return false;
            }
        }
        return true;
    }

    /** The columns one CTE's body gives, under its column list when it has one. */
    private List<OutputColumn> withItemColumns(WithItem<?> item, Scope scope) {
        List<String> labels = new ArrayList<>();
        if (item.getWithItemList() != null) {
            item.getWithItemList().forEach(i -> labels.add(name(i.toString())));
        }
        Object body = item.getParenthesedStatement();
        if (body instanceof ParenthesedSelect select) {
            return relabel(query(select.getSelect(), scope), labels);
        }
        if (body instanceof Statement statement) {
            List<StatementAnalysis> nested = nestedStatements.analyze(statement, scope);
            out.nest(nested);
            List<OutputColumn> returned = new ArrayList<>();
            for (ResultColumn rc : nested.get(0).resultColumns()) {
                Lineage lineage = new Lineage();
                lineage.sources.addAll(rc.sources());
                lineage.allColumnsOf.addAll(rc.allColumnsOf());
                lineage.unknown = rc.unknownLineage();
                lineage.transformed = rc.transformed();
                returned.add(new OutputColumn(rc.label(), lineage, rc.aggregateOnly(), !rc.allColumnsOf().isEmpty()));
            }
            return relabel(returned, labels);
        }
        return List.of(new OutputColumn(UNNAMED, unknownLineage(), false, true));
    }

    private List<OutputColumn> plainSelect(PlainSelect select, Scope outer) {
        Scope scope = new Scope(outer, dialect);
        fromItem(select.getFromItem(), scope);
        joins(select.getJoins(), scope);
        List<OutputColumn> outputs = new ArrayList<>();
        scope.selectOutputs(outputs);
        for (SelectItem<?> item : select.getSelectItems()) {
            outputs.add(selectItem(item, scope, Clause.SELECT));
        }
        List<OutputColumn> labels = outputs;
        if (select.getDistinct() != null) {
            // DISTINCT ON (x) decides which rows come back, like a GROUP BY
            walker(scope, Clause.GROUP_BY, null, labels).walk(select.getDistinct());
            if (select.getDistinct().getOnSelectItems() == null) {
                // DISTINCT, DISTINCTROW, UNIQUE: every output is compared with the other rows'
                outputs.forEach(o -> columns.record(o.lineage(), Clause.COMPARED));
            }
        }
        int named = out.columns.size();
        expression(select.getWhere(), scope, Clause.WHERE, null);
        if (select.getWhere() != null && out.columns.size() == named) {
            out.trait(Trait.CHOOSES_ROWS); // WHERE random() < 0.5 after setseed: a condition naming no column
        }
        GroupByElement groupBy = select.getGroupBy();
        if (groupBy != null) {
            java.util.Set<Object> constructs = groupingConstructs(groupBy);
            walker(scope, Clause.GROUP_BY, null, labels).groupingConstructs(constructs).walk(groupBy);
            if (groupBy.getGroupByExpressionList() != null) {
                for (Object e : groupBy.getGroupByExpressionList()) {
                    position(e, labels, Clause.GROUP_BY);
                    if (constructs.contains(e)) {
                        ((Function) e).getParameters().forEach(p -> position(p, labels, Clause.GROUP_BY));
                    }
                }
            }
        }
        walker(scope, Clause.HAVING, null, labels).walk(select.getHaving());
        orderBy(select.getOrderByElements(), scope, labels);
        otherParts(select, scope, PLAIN_SELECT_PARTS);
        List<Table> intoTables = new ArrayList<>();
        if (select.getIntoTables() != null) {
            intoTables.addAll(select.getIntoTables());
        }
        if (select.getIntoTempTable() != null) {
            intoTables.add(select.getIntoTempTable());
        }
        for (Table into : intoTables) {
            out.tablesWritten.add(tableRef(into));
            out.trait(Trait.COPIES_DATA);
            if (!into.getFullyQualifiedName().startsWith("@")) {
                // SELECT … INTO t creates t and fills it, as CREATE TABLE t AS SELECT … does: a create, not a read of t
                // (INTO @v, a user variable, creates nothing)
                out.action = Action.CREATE;
            }
        }
        MySqlSelectIntoClause intoFile = select.getMySqlSelectIntoClause();
        if (intoFile != null && intoFile.getFileName() != null) {
            out.trait(Trait.FILE_ACCESS);
        }
        return outputs;
    }

    /** Parts of a plain SELECT walked by a rule of their own. */
    private static final Set<String> PLAIN_SELECT_PARTS = Set.of("distinct", "selectItems", "intoTables",
            "mySqlSelectIntoClause", "fromItem", "joins", "where", "groupBy", "having", "orderByElements", "intoTempTable");

    private List<OutputColumn> setOperations(SetOperationList list, Scope scope) {
        List<List<OutputColumn>> branches = new ArrayList<>();
        for (Select branch : list.getSelects()) {
            branches.add(query(branch, scope));
        }
        // every operation but UNION ALL compares rows to remove or match duplicates (an operation without a rule too)
        boolean compares = list.getOperations() == null || list.getOperations().stream()
                .anyMatch(op -> !(op instanceof UnionOp union && union.isAll()));
        // a column whose positions could not be matched (a * in some branch) may carry any branch's values
        List<OutputColumn> merged = byPosition(branches, branches.get(0), (lineage, oneOrigin) -> {
            if (compares || !oneOrigin) {
                columns.record(lineage, Clause.COMPARED);
            }
        });
        orderBy(list.getOrderByElements(), new Scope(scope, dialect), merged);
        return merged;
    }

    /**
     * Whether two columns merged into one carry values of the same origin (the same columns, read alike): otherwise
     * the merged column puts a masked value next to others, a guess among them, for a later DISTINCT or count of
     * distinct values to compare.
     */
    private static boolean sameOrigin(Lineage a, Lineage b) {
        return a.sources.equals(b.sources) && a.allColumnsOf.equals(b.allColumnsOf) && a.unknown == b.unknown
                && a.transformed == b.transformed;
    }

    /** The output columns of a select list (or RETURNING list) in {@code scope}, columns recorded under {@code clause}. */
    List<OutputColumn> selectItems(List<?> items, Scope scope, Clause clause) {
        List<OutputColumn> outputs = new ArrayList<>();
        for (Object item : items) {
            if (item instanceof SelectItem<?> selectItem) {
                outputs.add(selectItem(selectItem, scope, clause));
            }
        }
        return outputs;
    }

    private OutputColumn selectItem(SelectItem<?> item, Scope scope, Clause clause) {
        Expression expression = item.getExpression();
        if (expression instanceof AllColumns star && star.getReplaceExpressions() != null
                && !star.getReplaceExpressions().isEmpty()) {
            // * REPLACE (expr AS c): a value computed in place of a column, which none of the databases read (the
            // star's rules below would leave the expression unread)
            throw new MisreadStatement("a * with REPLACE (…) is not a form the database reads: name the columns and "
                    + "write the replacing expression as a column of its own.");
        }
        if (expression instanceof FunctionAllColumns functionColumns) {
            // (f(…)).*: the fields of the record the function returns, each of which may hold anything the function
            // reads (its arguments, their subqueries, a whole row), not the relations of the FROM
            Lineage lineage = new Lineage();
            walker(scope, clause, lineage, List.of()).walk(functionColumns.getFunction());
            lineage.transformed = true;
            return new OutputColumn("*", lineage, false, true);
        }
        if (expression instanceof AllColumns && !(expression instanceof AllTableColumns)) {
            List<OutputColumn> expansion = new ArrayList<>();
            scope.relations().forEach(r -> expansion.addAll(r.expansion()));
            return new OutputColumn("*", everything(scope), false, true, expansion);
        }
        if (expression instanceof AllTableColumns tableColumns) {
            if (tableColumns.getReturningReferenceType() != null || tableColumns.getReturningQualifier() != null
                    || tableColumns.getTable() == null) {
                // RETURNING old.* / new.* (PostgreSQL 18): the written row's columns before or after the change,
                // which no relation of the scope names
                throw new UnreadForm("RETURNING old.* or new.* (PostgreSQL 18): name the columns instead "
                        + "(RETURNING old.a, new.a)");
            }
            Table table = tableColumns.getTable();
            Relation relation = scope.resolve(table.getSchemaName() == null ? null : name(table.getSchemaName()),
                    name(table.getName()));
            Lineage lineage = relation == null ? unknownLineage() : relation.everything();
            return new OutputColumn(name(table.getName()) + ".*", lineage, false, true,
                    relation == null ? null : relation.expansion());
        }
        boolean aggregateOnly = expression instanceof Function f && isCount(f);
        Lineage lineage = new Lineage();
        walker(scope, clause, aggregateOnly ? null : lineage, List.of()).walk(expression);
        if (!(expression instanceof Column column && column.getArrayConstructor() == null
                || expression instanceof TimeKeyExpression key && ColumnResolver.columnIn(key) != null)) {
            lineage.transformed = true;
        }
        return new OutputColumn(label(item), lineage, aggregateOnly, false);
    }

    private String label(SelectItem<?> item) {
        Alias alias = item.getAlias();
        if (alias != null) {
            return name(alias.getName());
        }
        Expression expression = item.getExpression();
        if (expression instanceof Column column) {
            return name(column.getColumnName());
        }
        if (expression instanceof TimeKeyExpression key && ColumnResolver.columnIn(key) != null) {
            String[] words = key.getStringValue().strip().split("\\s+");
            return name(words[words.length - 1]); // current date: the column current, labelled date
        }
        if (expression instanceof Function function && function.getName() != null) {
            List<String> parts = function.getMultipartName();
            return name(parts.get(parts.size() - 1));
        }
        return UNNAMED;
    }

    /** LIMIT, OFFSET and FETCH decide which rows come back, like a WHERE: their subqueries' columns count as WHERE columns. */
    private void rowLimits(Select select, Scope scope) {
        if (select.getOffset() != null || select.getLimit() != null && select.getLimit().getOffset() != null) {
            out.trait(Trait.CHOOSES_ROWS);
        }
        if (select.getLimit() != null) {
            expression(select.getLimit().getRowCount(), scope, Clause.WHERE, null);
            expression(select.getLimit().getOffset(), scope, Clause.WHERE, null);
        }
        if (select.getOffset() != null) {
            expression(select.getOffset().getOffset(), scope, Clause.WHERE, null);
        }
        if (select.getFetch() != null) {
            expression(select.getFetch().getExpression(), scope, Clause.WHERE, null);
        }
    }

    private void orderBy(List<OrderByElement> elements, Scope scope, List<OutputColumn> outputs) {
        if (elements == null) {
            return;
        }
        ExpressionWalker walker = walker(scope, Clause.ORDER_BY, null, outputs);
        elements.forEach(walker::walk);
        elements.forEach(e -> position(e.getExpression(), outputs, Clause.ORDER_BY));
    }

    /**
     * {@code ORDER BY 2}, {@code GROUP BY 1}: a position names an output column. The analysis never
     * depends on a literal's value (texts differing only in literals share it), so a position counts
     * the columns of every output column in that clause.
     */
    /**
     * PostgreSQL's {@code ROLLUP (…)} and {@code CUBE (…)} as items of a GROUP BY, which the parser reads as calls: there,
     * unqualified and unquoted, they are the grouping constructs whatever functions of those names exist (a user's
     * {@code rollup(int)} runs only when qualified or called elsewhere), so no routine is called. By identity.
     */
    private java.util.Set<Object> groupingConstructs(GroupByElement groupBy) {
        if (dialect != Dialect.POSTGRESQL || groupBy.getGroupByExpressionList() == null) {
            return java.util.Set.of();
        }
        java.util.Set<Object> constructs = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Object e : groupBy.getGroupByExpressionList()) {
            if (e instanceof Function f && !(e instanceof net.sf.jsqlparser.expression.AnalyticExpression)
                    && f.getMultipartName() != null && f.getMultipartName().size() == 1 && f.getParameters() != null
                    && f.getAttribute() == null && f.getKeep() == null && !f.isDistinct() && !f.isAllColumns()
                    && f.getOrderByElements() == null && f.getNamedParameters() == null
                    && isGroupingConstructName(f.getMultipartName().get(0))) {
                constructs.add(e);
            }
        }
        return constructs;
    }

    /** {@code rollup} or {@code cube} in any case, unquoted (a quoted name is a routine's). */
    private static boolean isGroupingConstructName(String written) {
        String name = written == null ? "" : written.trim();
        return name.equalsIgnoreCase("rollup") || name.equalsIgnoreCase("cube");
    }

    private void position(Object expression, List<OutputColumn> outputs, Clause clause) {
        if (expression instanceof LongValue) {
            outputs.stream().filter(o -> !o.aggregateOnly()).forEach(o -> columns.record(o.lineage(), clause));
        }
    }

    private static List<OutputColumn> relabel(List<OutputColumn> columns, List<String> labels) {
        if (labels.isEmpty()) {
            return columns;
        }
        columns = OutputColumn.flatten(columns);
        List<OutputColumn> relabelled = new ArrayList<>();
        boolean positional = columns.stream().noneMatch(OutputColumn::star);
        for (int i = 0; i < labels.size(); i++) {
            if (positional && i < columns.size()) {
                OutputColumn c = columns.get(i);
                relabelled.add(new OutputColumn(labels.get(i), c.lineage(), c.aggregateOnly(), false));
            } else {
                // A * among the columns (its width is unknown) or more names than columns: each name may carry
                // any of the values.
                Lineage all = new Lineage();
                columns.forEach(c -> all.addAll(c.lineage()));
                relabelled.add(new OutputColumn(labels.get(i), all, false, false));
            }
        }
        if (!positional) {
            // the columns past the names keep theirs, but which values they hold is unknown: any of them
            Lineage all = new Lineage();
            columns.forEach(c -> all.addAll(c.lineage()));
            relabelled.add(new OutputColumn("*", all, false, true));
        } else {
            // an alias list shorter than the columns renames the first ones; the others keep their names
            relabelled.addAll(columns.subList(Math.min(labels.size(), columns.size()), columns.size()));
        }
        return relabelled;
    }

    // ---------------------------------------------------------------- FROM

    /** Registers a FROM item in {@code scope}, walking what it reads. */
    void fromItem(FromItem item, Scope scope) {
        if (item == null) {
            return;
        }
        if (item.getSampleClause() != null) {
            out.trait(Trait.CHOOSES_ROWS); // TABLESAMPLE … REPEATABLE (seed): the seed picks the rows
        }
        Alias alias = item.getAlias();
        String aliasName = alias == null ? null : name(alias.getName());
        List<String> aliasColumns = aliasColumns(alias);
        Relation relation;
        if (item instanceof Table table) {
            Relation cte = table.getSchemaName() == null ? scope.cte(name(table.getName())) : null;
            if (cte != null) {
                relation = Relation.derived(aliasName != null ? aliasName : cte.name(), relabel(cte.columns(), aliasColumns));
            } else {
                if (table.getSchemaName() == null && table.getName().equalsIgnoreCase("table")) {
                    // TABLE is reserved in every dialect the analysis reads, so a table of that name is written quoted: the
                    // parser reads the query (TABLE customers) as a table TABLE aliased customers, where the database reads
                    // customers' rows, which the policy, its row filters and its masks would never have been asked about
                    throw new MisreadStatement("the parser read (TABLE name) as a table named TABLE, where the database "
                            + "reads the rows of the table named after it. Write (SELECT * FROM name) instead, or quote a "
                            + "table that is really named TABLE");
                }
                TableRef ref = tableRef(table);
                out.tablesRead.add(ref);
                relation = Relation.base(aliasName != null ? aliasName : ref.name(), ref);
                if (!aliasColumns.isEmpty()) {
                    // users AS u(a, b): the names stand for the table's first columns, whichever they are. The values are
                    // marked as no longer the named column's own: H2's result-set metadata names the base table with the new
                    // name as its column (USERS.B for what is USERS.SSN, or USERS.NAME for it under p(id, ssn, name)), so the
                    // driver's name of a base column says nothing about which column's values these are
                    Lineage renamed = relation.everything();
                    renamed.transformed = true;
                    relation = Relation.derived(relation.name(),
                            relabel(List.of(new OutputColumn("*", renamed, false, true)), aliasColumns));
                }
            }
        } else if (item instanceof ParenthesedSelect select) {
            List<OutputColumn> columns = query(select, scope);
            relation = Relation.derived(aliasName == null ? UNNAMED : aliasName, relabel(columns, aliasColumns));
        } else if (item instanceof ParenthesedFromItem parenthesed) {
            if (aliasName == null) {
                fromItem(parenthesed.getFromItem(), scope);
                joins(parenthesed.getJoins(), scope);
                return;
            }
            // (…) AS x: whatever is inside is known by the alias only.
            Scope inside = new Scope(scope, dialect);
            fromItem(parenthesed.getFromItem(), inside);
            joins(parenthesed.getJoins(), inside);
            relation = renamed(inside.relations(), aliasName, aliasColumns);
        } else if (item instanceof Values values) {
            relation = Relation.derived(aliasName == null ? UNNAMED : aliasName, relabel(values(values, scope), aliasColumns));
        } else if (item instanceof TableFunction function) {
            // a set-returning function: each of its columns may carry anything its arguments (or subqueries) give
            // (the call itself in FROM, where a FROM-only built-in such as MariaDB's JSON_TABLE is the server's own)
            Lineage beneath = new Lineage();
            walker(scope, Clause.OTHER, beneath, List.of()).tableFunction(function.getFunction()).walkChildren(function);
            // and its arguments decide how many rows it gives (generate_series(1, x) gives x)
            walker(scope, Clause.ROWS, null, List.of()).tableFunction(function.getFunction()).walkChildren(function);
            // its values are computed from its arguments (concat(…), the value of jsonb_each_text(…), the elements of an
            // array built from expressions): a column of it named bare is no copy of a source, and no mask may keep part of it
            beneath.transformed = true;
            String fallback = function.getFunction() != null && function.getFunction().getName() != null
                    ? name(function.getFunction().getName()) : UNNAMED;
            relation = Relation.opaque(aliasName != null ? aliasName : fallback, beneath);
        } else {
            // a FROM item without a rule of its own: its columns may carry anything beneath it
            Lineage beneath = new Lineage();
            walker(scope, Clause.OTHER, beneath, List.of()).walkChildren(item);
            walker(scope, Clause.ROWS, null, List.of()).walkChildren(item);
            beneath.transformed = true;
            relation = Relation.opaque(aliasName == null ? UNNAMED : aliasName, beneath);
        }
        if (item.getPivot() != null || item.getUnPivot() != null) {
            // PIVOT/UNPIVOT turn values into columns and back: any column may carry any value beneath it
            Lineage beneath = relation.everything();
            ExpressionWalker pivots = walker(scope, Clause.OTHER, beneath, List.of());
            pivots.walk(item.getPivot());
            pivots.walk(item.getUnPivot());
            beneath.transformed = true;
            relation = Relation.opaque(relation.name(), beneath);
        }
        scope.add(relation);
    }

    private static Relation renamed(List<Relation> relations, String alias, List<String> labels) {
        if (relations.size() == 1 && labels.isEmpty()) {
            Relation r = relations.get(0);
            return r.renamed(alias);
        }
        if (relations.size() == 1 && isDerived(relations.get(0))) {
            return Relation.derived(alias, relabel(relations.get(0).columns(), labels));
        }
        Lineage all = new Lineage();
        relations.forEach(r -> all.addAll(r.everything()));
        // (people) AS p(a, b, c), (people JOIN notes USING (id)) AS j(a, b, c, d): new names for a base table's columns,
        // which the driver's metadata may give as the table's own (H2 names PEOPLE.C), as for people AS p(a, b, c)
        all.transformed |= !labels.isEmpty() && relations.stream().anyMatch(r -> r.table() != null);
        return Relation.derived(alias, relabel(List.of(new OutputColumn("*", all, false, true)), labels));
    }

    private static boolean isDerived(Relation relation) {
        return relation.table() == null && !relation.opaque();
    }

    void joins(List<Join> joins, Scope scope) {
        if (joins == null) {
            return;
        }
        List<List<Relation>> naturalLeft = new ArrayList<>();
        List<List<Relation>> naturalRight = new ArrayList<>();
        for (Join join : joins) {
            int before = scope.relations().size();
            fromItem(join.getRightItem(), scope);
            if (join.isNatural()) {
                List<Relation> all = List.copyOf(scope.relations());
                naturalLeft.add(all.subList(0, Math.min(before, all.size())));
                naturalRight.add(all.subList(Math.min(before, all.size()), all.size()));
            }
        }
        for (int i = 0; i < naturalLeft.size(); i++) {
            naturalJoin(naturalLeft.get(i), naturalRight.get(i), scope);
        }
        for (Join join : joins) {
            if (join.getOnExpressions() != null) {
                int named = out.columns.size();
                join.getOnExpressions().forEach(on -> expression(on, scope, Clause.JOIN, null));
                if (!join.getOnExpressions().isEmpty() && out.columns.size() == named) {
                    out.trait(Trait.CHOOSES_ROWS); // JOIN … ON random() < 0.5: a condition naming no column
                }
            }
            if (join.getUsingColumns() != null) {
                join.getUsingColumns().forEach(c -> expression(c, scope, Clause.JOIN, null));
            }
        }
    }

    /**
     * A NATURAL join compares every column its two sides share, though the statement names none of them: each is
     * used in the JOIN as {@code USING (c)} would use it. The shared names are at most the labels of a side whose
     * columns are all known (a derived table without a star); when neither side's are, every column of both sides
     * counts as compared.
     */
    private void naturalJoin(List<Relation> left, List<Relation> right, Scope scope) {
        List<String> names = knownLabels(right);
        if (names == null) {
            names = knownLabels(left);
        }
        if (names == null) {
            left.forEach(r -> columns.wholeRow(r, Clause.JOIN, null));
            right.forEach(r -> columns.wholeRow(r, Clause.JOIN, null));
            return;
        }
        for (String name : names) {
            expression(new net.sf.jsqlparser.schema.Column(quoted(name)), scope, Clause.JOIN, null);
        }
    }

    /** {@code label} as a quoted name of the dialect, which names exactly that label. */
    private String quoted(String label) {
        String quote = dialect == Dialect.MARIADB ? "`" : "\"";
        return quote + label.replace(quote, quote + quote) + quote;
    }

    /** The labels of every column of {@code relations}, or {@code null} when some relation's columns are not all known. */
    private static List<String> knownLabels(List<Relation> relations) {
        List<String> labels = new ArrayList<>();
        for (Relation r : relations) {
            if (!isDerived(r) || r.columns().stream().anyMatch(OutputColumn::star)) {
                return null;
            }
            r.columns().forEach(c -> labels.add(c.label()));
        }
        return labels;
    }

    private List<String> aliasColumns(Alias alias) {
        List<String> labels = new ArrayList<>();
        if (alias != null && alias.getAliasColumns() != null) {
            alias.getAliasColumns().forEach(c -> labels.add(name(c.name)));
        }
        return labels;
    }

    private Lineage everything(Scope scope) {
        Lineage lineage = new Lineage();
        scope.relations().forEach(r -> lineage.addAll(r.everything()));
        return lineage;
    }

    static Lineage unknownLineage() {
        Lineage lineage = new Lineage();
        lineage.unknown = true;
        return lineage;
    }

    static boolean isCount(Function function) {
        return function.getName() != null && function.getName().equalsIgnoreCase("count");
    }

    // ---------------------------------------------------------------- expressions

    /** Walks an expression: records its columns under {@code clause} and, when given, its lineage. */
    void expression(Expression expression, Scope scope, Clause clause, Lineage lineage) {
        walker(scope, clause, lineage, List.of()).walk(expression);
    }

    private ExpressionWalker walker(Scope scope, Clause clause, Lineage lineage, List<OutputColumn> selectOutputs) {
        return new ExpressionWalker(this, columns, out, scope, clause, lineage, selectOutputs);
    }

}
