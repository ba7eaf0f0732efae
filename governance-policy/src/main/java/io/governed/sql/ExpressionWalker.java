package io.governed.sql;

import java.util.List;
import java.util.Set;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.Select;

/**
 * Walks one expression tree in a fixed scope and clause: records every column it references, adds
 * their lineage (when a lineage is being gathered), walks subqueries, and notes the traits some
 * function calls carry (file access, dynamic SQL). A count-like aggregate contributes no lineage.
 */
final class ExpressionWalker extends ExpressionVisitorAdapter<Void> {

    private final QueryWalker queries;
    private final ColumnResolver columns;
    private final StatementBuilder out;
    private final Scope scope;
    private final Clause clause;
    private final Set<String> selectLabels;
    private Lineage lineage;

    ExpressionWalker(QueryWalker queries, ColumnResolver columns, StatementBuilder out, Scope scope, Clause clause,
                     Lineage lineage, Set<String> selectLabels) {
        super(null);
        this.queries = queries;
        this.columns = columns;
        this.out = out;
        this.scope = scope;
        this.clause = clause;
        this.lineage = lineage;
        this.selectLabels = selectLabels;
    }

    void walk(Expression expression) {
        if (expression != null) {
            expression.accept(this, null);
        }
    }

    @Override
    public <S> Void visit(Column column, S context) {
        columns.resolve(column, scope, clause, lineage, selectLabels);
        return null;
    }

    @Override
    public <S> Void visit(Function function, S context) {
        List<String> parts = function.getMultipartName();
        String bare = parts == null || parts.isEmpty() ? ""
                : QueryWalker.routineName(parts.get(parts.size() - 1), queries.dialect());
        RoutineCalls.note(parts, queries.dialect(), out); // a call of user code, file access, dynamic SQL
        if (lineage != null && !KnownFunctions.derivesOnlyFromArguments(bare)) {
            lineage.unknown = true; // a function we do not know may read anything (another table, say)
        }
        if (QueryWalker.isCount(function)) {
            Lineage saved = lineage;
            lineage = null;
            super.visit(function, context);
            lineage = saved;
            return null;
        }
        return super.visit(function, context);
    }

    @Override
    public <S> Void visit(ParenthesedSelect select, S context) {
        subquery(select);
        return null;
    }

    @Override
    public <S> Void visit(Select select, S context) {
        subquery(select);
        return null;
    }

    @Override
    public <S> Void visit(AllTableColumns tableColumns, S context) {
        Table table = tableColumns.getTable();
        Relation relation = scope.resolve(null, queries.name(table.getName()));
        if (lineage != null) {
            lineage.addAll(relation == null ? QueryWalker.unknownLineage() : relation.everything());
        }
        return null;
    }

    @Override
    public <S> Void visit(AllColumns allColumns, S context) {
        return null;
    }

    private void subquery(Select select) {
        List<OutputColumn> outputs = queries.query(select, scope);
        if (lineage != null) {
            outputs.forEach(c -> {
                if (!c.aggregateOnly()) {
                    lineage.addAll(c.lineage());
                }
            });
        }
    }
}
