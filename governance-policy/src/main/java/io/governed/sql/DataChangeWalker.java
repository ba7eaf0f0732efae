package io.governed.sql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Concat;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.ReturningClause;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.ConflictActionType;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.merge.MergeDelete;
import net.sf.jsqlparser.statement.merge.MergeInsert;
import net.sf.jsqlparser.statement.merge.MergeOperation;
import net.sf.jsqlparser.statement.merge.MergeUpdate;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.statement.upsert.Upsert;
import net.sf.jsqlparser.statement.upsert.UpsertType;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Walks the statements that change rows: INSERT (with its upsert forms), REPLACE, UPDATE, DELETE and
 * MERGE. Besides targets, sources and columns it decides what bounds an UPDATE or DELETE (see
 * {@link WhereClassifier}) and adds the nested statements a REPLACE or a MERGE branch amounts to.
 */
final class DataChangeWalker {

    private final Dialect dialect;

    DataChangeWalker(Dialect dialect) {
        this.dialect = dialect;
    }

    void insert(Insert insert, StatementBuilder out, QueryWalker q, Scope outer) {
        out.action = Action.INSERT;
        Scope scope = withScope(insert.getWithItemsList(), q, outer);
        TableRef target = q.tableRef(insert.getTable());
        out.tablesWritten.add(target);
        insertColumns(insert.getColumns(), target, out, q);
        if (insert.getSelect() != null) {
            out.copiedColumns = StatementWalker.resultColumns(q.query(insert.getSelect(), scope));
        }
        Scope targetScope = targetScope(scope, insert.getTable(), target, q);
        if (insert.getConflictAction() != null) {
            if (insert.getConflictAction().getConflictActionType() == ConflictActionType.DO_UPDATE) {
                out.trait(Trait.UPSERT);
                if (fromQuery(insert.getSelect())) {
                    out.nest(upsertUpdate(target, insert.getConflictAction().getWhereExpression(), targetScope, q));
                }
            }
            updateSets(insert.getConflictAction().getUpdateSets(), target, targetScope, out, q);
            q.expression(insert.getConflictAction().getWhereExpression(), targetScope, Clause.WHERE, null);
        }
        if (insert.getDuplicateUpdateSets() != null && !insert.getDuplicateUpdateSets().isEmpty()) {
            out.trait(Trait.UPSERT);
            if (fromQuery(insert.getSelect())) {
                out.nest(upsertUpdate(target, null, targetScope, q));
            }
            updateSets(insert.getDuplicateUpdateSets(), target, targetScope, out, q);
        }
        updateSets(insert.getSetUpdateSets(), target, targetScope, out, q);
        returning(insert.getReturningClause(), targetScope, out, q);
    }

    void upsert(Upsert upsert, StatementBuilder out, QueryWalker q, Scope scope) {
        out.action = Action.INSERT;
        TableRef target = q.tableRef(upsert.getTable());
        out.tablesWritten.add(target);
        insertColumns(upsert.getColumns(), target, out, q);
        if (upsert.getSelect() != null) {
            // REPLACE … SELECT (and UPSERT … SELECT) writes what its query selects, as INSERT … SELECT does
            out.copiedColumns = StatementWalker.resultColumns(q.query(upsert.getSelect(), scope));
        }
        Scope targetScope = targetScope(scope, upsert.getTable(), target, q);
        updateSets(upsert.getUpdateSets(), target, targetScope, out, q);
        updateSets(upsert.getDuplicateUpdateSets(), target, targetScope, out, q);
        UpsertType type = upsert.getUpsertType();
        if (type == UpsertType.REPLACE || type == UpsertType.REPLACE_SET || type == UpsertType.INSERT_OR_REPLACE) {
            out.trait(Trait.UPSERT);
            StatementBuilder deletion = new StatementBuilder(Action.DELETE);
            deletion.tablesWritten.add(target);
            // REPLACE … VALUES deletes the few rows whose keys collide; REPLACE … SELECT may replace every row.
            deletion.where = fromQuery(upsert.getSelect()) ? WhereKind.ABSENT : WhereKind.PRESENT;
            out.nest(deletion.build());
        } else if (type == UpsertType.UPSERT
                || (upsert.getDuplicateUpdateSets() != null && !upsert.getDuplicateUpdateSets().isEmpty())) {
            out.trait(Trait.UPSERT);
            if (fromQuery(upsert.getSelect())) {
                out.nest(upsertUpdate(target, null, targetScope, q));
            }
        }
    }

    void update(Update update, StatementBuilder out, QueryWalker q, Scope outer) {
        out.action = Action.UPDATE;
        Scope scope = new Scope(withScope(update.getWithItemsList(), q, outer), dialect);
        TableRef target = q.tableRef(update.getTable());
        out.tablesWritten.add(target);
        String alias = aliasOf(update.getTable(), target, q);
        Relation first = Relation.base(alias, target);
        scope.add(first);
        q.joins(update.getStartJoins(), scope);
        if (update.getFromItem() != null) {
            q.fromItem(update.getFromItem(), scope);
        }
        q.joins(update.getJoins(), scope);
        List<Relation> tables = statementTables(update, first, scope, q);
        boolean[] unknownTarget = {false};
        List<Relation> written = new ArrayList<>();
        Set<String> certainlyWritten = new HashSet<>();
        updateSets(update.getUpdateSets(), column -> {
            List<Relation> relations = setRelations(column, update, first, tables, scope, q);
            if (relations == null) {
                unknownTarget[0] = true;
                return List.of(target);
            }
            relations.stream().filter(r -> !written.contains(r)).forEach(written::add);
            if (relations.size() == 1) {
                certainlyWritten.add(relations.get(0).table().name());
            }
            return relations.stream().map(Relation::table).toList();
        }, scope, out, q);
        q.expression(update.getWhere(), scope, Clause.WHERE, null);
        if (unknownTarget[0]) {
            // a SET column qualified by a name that is no table of the statement: what it writes cannot be told
            set(out, new WhereClassifier.Bound(WhereKind.ALWAYS_TRUE, List.of(), false));
        } else if (written.isEmpty() || written.size() == 1 && written.get(0).equals(first)) {
            set(out, updateBound(update, first, scope, q));
        } else {
            // MariaDB's UPDATE a, b SET b.x = … (or an unqualified column, which may be either's): every table a SET
            // column may belong to is written, and the condition must bound each of them
            if (written.stream().noneMatch(r -> r.table().equals(target))) {
                out.tablesWritten.remove(target);
                out.tablesRead.add(target);
            }
            written.forEach(r -> out.tablesWritten.add(r.table()));
            WhereClassifier.Bound weakest = null;
            for (Relation r : written) {
                WhereClassifier.Bound bound = updateBound(update, r, scope, q, certainlyWritten);
                weakest = weakest == null ? bound : weaker(weakest, bound);
            }
            set(out, weakest);
        }
        returning(update.getReturningClause(), scope, out, q);
    }

    /** The bound of an UPDATE's condition on the rows of {@code first}, its target, when it writes no other table. */
    private WhereClassifier.Bound updateBound(Update update, Relation first, Scope scope, QueryWalker q) {
        TableRef target = first.table();
        Set<String> targetTables = withTargets(update.getWithItemsList(), Set.of(target.name()));
        List<FromItem> others = new ArrayList<>();
        others.add(update.getFromItem());
        joined(update.getStartJoins(), others);
        joined(update.getJoins(), others);
        boolean joinBounds = !readsAny(others, targetTables);
        Predicate<Column> targetColumn = targetColumns(target, first.name());
        boolean pairs = joinBounds && update.getFromItem() == null
                && (update.getJoins() == null || update.getJoins().isEmpty())
                && linkedInnerJoins(update.getStartJoins(), targetColumn, targetTables);
        WhereClassifier where = new WhereClassifier(dialect, targetColumn, targetTables, joinBounds, pairs,
                update.getWithItemsList(), scope, q::tableRef);
        if (update.getFromItem() == null && (update.getJoins() == null || update.getJoins().isEmpty())
                && (update.getStartJoins() == null || update.getStartJoins().isEmpty())) {
            where.writingAlone(q.tableRef(update.getTable()), update.getTable());
        } else {
            where.besideOthers(target);
        }
        return where.bound(update.getWhere());
    }

    /**
     * The bound of a MariaDB multi-table UPDATE's condition on the rows of {@code relation}, a table it may write, when
     * it also writes the tables named {@code alsoWritten} (those a qualified SET column names; an unqualified one is the
     * column of one table only, the one that has it): the statement's other tables count as joined to it, and a column of
     * one counts as a value only when none of them is a table written.
     */
    private WhereClassifier.Bound updateBound(Update update, Relation relation, Scope scope, QueryWalker q,
                                              Set<String> alsoWritten) {
        Set<String> writtenTables = new HashSet<>(alsoWritten);
        writtenTables.add(relation.table().name());
        Set<String> targetTables = withTargets(update.getWithItemsList(), writtenTables);
        List<FromItem> others = new ArrayList<>();
        List<FromItem> all = new ArrayList<>();
        all.add(update.getTable());
        all.add(update.getFromItem());
        joined(update.getStartJoins(), all);
        joined(update.getJoins(), all);
        for (FromItem item : all) {
            if (!(item instanceof Table table && dialect.sameName(aliasOf(table, q.tableRef(table), q), relation.name()))) {
                others.add(item);
            }
        }
        boolean joinBounds = !readsAny(others, targetTables);
        Predicate<Column> targetColumn = targetColumns(relation.table(), relation.name());
        boolean pairs = joinBounds && update.getFromItem() == null
                && (update.getJoins() == null || update.getJoins().isEmpty())
                && linkedInnerJoins(update.getStartJoins(), targetColumn, targetTables);
        return new WhereClassifier(dialect, targetColumn, targetTables, joinBounds, pairs, update.getWithItemsList(),
                scope, q::tableRef).besideOthers(relation.table()).bound(update.getWhere());
    }

    /** The weaker of two bounds: one proven outright gives way to the other; two that rest on premises prove nothing. */
    private static WhereClassifier.Bound weaker(WhereClassifier.Bound a, WhereClassifier.Bound b) {
        if (a.where() == WhereKind.ABSENT || b.where() == WhereKind.ABSENT) {
            return a.where() == WhereKind.ABSENT ? a : b;
        }
        if (outright(a)) {
            return b;
        }
        if (outright(b)) {
            return a;
        }
        return new WhereClassifier.Bound(WhereKind.ALWAYS_TRUE, List.of(), false);
    }

    private static boolean outright(WhereClassifier.Bound bound) {
        return bound.where() == WhereKind.PRESENT && bound.boundIf().isEmpty() && !bound.others();
    }

    /**
     * The tables of a MariaDB multi-table UPDATE ({@code UPDATE a, b …}, {@code UPDATE a JOIN b ON … SET …}) as the
     * scope knows them, the target first; the target alone for any other UPDATE, whose SET columns are its own.
     */
    private List<Relation> statementTables(Update update, Relation first, Scope scope, QueryWalker q) {
        List<Relation> tables = new ArrayList<>();
        tables.add(first);
        if (update.getStartJoins() == null || update.getStartJoins().isEmpty()) {
            return tables;
        }
        for (Join join : update.getStartJoins()) {
            if (join.getFromItem() instanceof Table table) {
                Relation r = scope.resolve(null, aliasOf(table, q.tableRef(table), q));
                if (r != null && r.table() != null && !tables.contains(r)) {
                    tables.add(r);
                }
            }
        }
        return tables;
    }

    /**
     * The tables a SET column may write: in a MariaDB multi-table UPDATE, the relation its qualifier names (once aliased,
     * a table goes by its alias only: {@code UPDATE t AS a, t SET t.x = …} writes the second), and for an unqualified
     * name any of the statement's tables, as the server looks the name up in each; elsewhere the target. {@code null}
     * when the qualifier names no table of the statement (a derived table, a name the scope does not know).
     */
    private List<Relation> setRelations(Column column, Update update, Relation first, List<Relation> tables, Scope scope,
                                        QueryWalker q) {
        if (update.getStartJoins() == null || update.getStartJoins().isEmpty()) {
            return List.of(first);
        }
        Table qualifier = column.getTable();
        if (qualifier == null || qualifier.getName() == null) {
            return tables;
        }
        Relation r = scope.resolve(qualifier.getSchemaName() == null ? null : q.name(qualifier.getSchemaName()),
                q.name(qualifier.getName()));
        return r == null || r.table() == null ? null : List.of(r);
    }

    void delete(Delete delete, StatementBuilder out, QueryWalker q, Scope outer) {
        out.action = Action.DELETE;
        Scope scope = new Scope(withScope(delete.getWithItemsList(), q, outer), dialect);
        List<Table> named = delete.getTables() != null && !delete.getTables().isEmpty() ? delete.getTables() : List.of();
        Table main = delete.getTable();
        TableRef mainRef = q.tableRef(main);
        String mainAlias = aliasOf(main, mainRef, q);
        // MariaDB's DELETE FROM a USING t AS a …: the name after FROM is a table of the USING list, by the name it goes
        // by there (DELETE FROM p USING mysql.plugin AS p deletes from mysql.plugin), as in DELETE a FROM t AS a …
        boolean usingTargets = dialect == Dialect.MARIADB && named.isEmpty() && main != null
                && (delete.getUsingFromItemList() != null && !delete.getUsingFromItemList().isEmpty()
                || delete.getUsingList() != null && !delete.getUsingList().isEmpty());
        boolean unreadableTargets = false;
        if (usingTargets) {
            // DELETE FROM a, b USING …: the parser reads the names after the first as joins
            List<Table> targets = new ArrayList<>();
            targets.add(main);
            for (Join join : delete.getJoins() == null ? List.<Join>of() : delete.getJoins()) {
                if (join.isSimple() && join.getFromItem() instanceof Table t && join.getOnExpressions().isEmpty()) {
                    targets.add(t);
                } else {
                    unreadableTargets = true;
                }
            }
            named = targets;
        } else {
            scope.add(Relation.base(mainAlias, mainRef));
        }
        if (delete.getUsingFromItemList() != null) {
            delete.getUsingFromItemList().forEach(f -> q.fromItem(f, scope));
        } else if (delete.getUsingList() != null) {
            delete.getUsingList().forEach(t -> q.fromItem(t, scope));
        }
        if (!usingTargets) {
            q.joins(delete.getJoins(), scope);
        }
        Set<String> targetNames = new HashSet<>();
        java.util.Map<String, TableRef> namedTargets = new java.util.LinkedHashMap<>();
        boolean unresolvedTarget = unreadableTargets;
        if (named.isEmpty()) {
            out.tablesWritten.add(mainRef);
            targetNames.add(mainAlias); // aliased, the table goes by its alias only
        } else {
            // MariaDB multi-table DELETE a, b FROM a JOIN b …: the listed names are the targets.
            for (Table t : named) {
                Relation r = scope.resolve(null, q.name(t.getName()));
                if (r == null || r.table() == null) {
                    // a name that is no table or alias of the FROM list: MariaDB reads DELETE HISTORY FROM t [BEFORE
                    // SYSTEM_TIME …] (HISTORY unquoted) as the removal of t's history rows, whatever follows; any
                    // other such name it refuses. Counted as both: a delete of the name and of the FROM table, unbounded
                    unresolvedTarget = true;
                }
                TableRef ref = r != null && r.table() != null ? r.table() : q.tableRef(t);
                out.tablesWritten.add(ref);
                targetNames.add(q.name(t.getName())); // the name the target goes by: its alias, when it has one
                namedTargets.put(q.name(t.getName()), ref);
            }
            if (unresolvedTarget) {
                out.tablesWritten.add(mainRef);
            }
        }
        if (!usingTargets && (!named.isEmpty() || !out.tablesWritten.contains(mainRef))) {
            out.tablesRead.add(mainRef);
        }
        q.expression(delete.getWhere(), scope, Clause.WHERE, null);
        Set<String> targetTables = new HashSet<>();
        out.tablesWritten.forEach(t -> targetTables.add(t.name()));
        Set<String> written = withTargets(delete.getWithItemsList(), targetTables);
        List<FromItem> others = new ArrayList<>();
        if (delete.getUsingFromItemList() != null) {
            others.addAll(delete.getUsingFromItemList());
        } else if (delete.getUsingList() != null) {
            others.addAll(delete.getUsingList());
        }
        if (!usingTargets) {
            joined(delete.getJoins(), others);
        }
        if (!named.isEmpty() && !usingTargets) {
            others.add(main); // DELETE a FROM a JOIN a b …: the FROM list may hold the target twice
        }
        Predicate<Column> targetColumn = qualifiedBy(targetNames);
        if (unresolvedTarget) {
            set(out, new WhereClassifier.Bound(WhereKind.ABSENT, List.of(), false));
        } else if (!named.isEmpty() && pairedTargets(delete, named, out.tablesWritten.size(), written, q)
                && linkedInnerJoins(delete.getJoins(), targetColumn, written)) {
            set(out, new WhereClassifier(dialect, targetColumn, written, true, true, delete.getWithItemsList(), scope,
                    q::tableRef).bound(delete.getWhere()));
        } else if (namedTargets.size() > 1) {
            // DELETE a, b FROM a, b WHERE a.id = 1 deletes every row of b: the condition must bound each target
            // (each a row of a pair when the joins link it to the others: DELETE a, b FROM a JOIN b ON b.a_id = a.id)
            boolean paired = pairedTargets(delete, named, out.tablesWritten.size(), written, q);
            WhereClassifier.Bound weakest = null;
            for (java.util.Map.Entry<String, TableRef> target : namedTargets.entrySet()) {
                Predicate<Column> own = qualifiedBy(Set.of(target.getKey()));
                boolean pairs = paired && linkedInnerJoins(delete.getJoins(), own, written);
                WhereClassifier.Bound bound = new WhereClassifier(dialect, own, written,
                        pairs || !readsAny(others, written), pairs, delete.getWithItemsList(), scope, q::tableRef)
                        .besideOthers(target.getValue()).bound(delete.getWhere());
                weakest = weakest == null ? bound : weaker(weakest, bound);
            }
            set(out, weakest);
        } else {
            WhereClassifier where = new WhereClassifier(dialect, targetColumn, written, !readsAny(others, written), false,
                    delete.getWithItemsList(), scope, q::tableRef);
            if (named.isEmpty() && others.isEmpty()) {
                where.writingAlone(mainRef, main);
            } else {
                where.besideOthers(namedTargets.isEmpty() ? mainRef : namedTargets.values().iterator().next());
            }
            set(out, where.bound(delete.getWhere()));
        }
        returning(delete.getReturningClause(), scope, out, q);
    }

    /**
     * Whether a MariaDB {@code DELETE a [, b] FROM a JOIN b ON … WHERE …} names each table it deletes from once in its
     * FROM list, by a name no other item of the list has, and no other item (joined table, derived table) reads a
     * table it deletes from. Then, when its joins are linked inner joins ({@link #linkedInnerJoins}), the rows deleted
     * are target rows paired with the joined rows they match, as in the UPDATE … JOIN form, and a WHERE on either
     * side of a pair bounds them. A USING list, a comma join or a target named twice leaves only the WHERE on the
     * targets.
     */
    private boolean pairedTargets(Delete delete, List<Table> named, int targetCount, Set<String> written,
                                  QueryWalker q) {
        if (delete.getUsingFromItemList() != null && !delete.getUsingFromItemList().isEmpty()
                || delete.getUsingList() != null && !delete.getUsingList().isEmpty()
                || delete.getJoins() == null || delete.getJoins().isEmpty() || targetCount != named.size()) {
            return false;
        }
        Set<String> targetNames = new HashSet<>();
        for (Table t : named) {
            if (!targetNames.add(q.name(t.getName()))) {
                return false;
            }
        }
        List<FromItem> items = new ArrayList<>();
        items.add(delete.getTable());
        joined(delete.getJoins(), items);
        Set<String> seen = new HashSet<>();
        List<FromItem> others = new ArrayList<>();
        for (FromItem item : items) {
            String name = item instanceof Table table
                    ? q.name(item.getAlias() != null ? item.getAlias().getName() : table.getName()) : null;
            boolean target = name != null && targetNames.stream().anyMatch(n -> dialect.sameName(n, name));
            if (target) {
                if (!seen.add(name)) {
                    return false;
                }
            } else {
                others.add(item);
            }
        }
        return seen.size() == targetNames.size() && !readsAny(others, written);
    }

    void merge(Merge merge, StatementBuilder out, QueryWalker q, Scope outer) {
        out.action = Action.MERGE;
        Scope scope = new Scope(withScope(merge.getWithItemsList(), q, outer), dialect);
        TableRef target = q.tableRef(merge.getTable());
        out.tablesWritten.add(target);
        String alias = aliasOf(merge.getTable(), target, q);
        scope.add(Relation.base(alias, target));
        if (merge.getFromItem() != null) {
            q.fromItem(merge.getFromItem(), scope);
        } else if (merge.getUsingTable() != null) {
            q.fromItem(merge.getUsingTable(), scope);
        }
        q.expression(merge.getOnCondition(), scope, Clause.JOIN, null);
        // A matched row is joined to a source row, so a condition on either side bounds a WHEN MATCHED branch,
        // and so does the ON condition's join, unless the source reads the target itself.
        boolean selfSource = sourceReads(merge, withTargets(merge.getWithItemsList(), Set.of(target.name())));
        // The ON condition ties a target row to source rows only where it bounds the target's rows itself: one that
        // tests the source row alone (ON s.id = 1, ON 1 = 1) matches every target row with each source row it keeps, and
        // then neither it nor a branch's test of the source row bounds what the branch touches.
        WhereClassifier onTarget = new WhereClassifier(dialect, targetColumns(target, alias),
                withTargets(merge.getWithItemsList(), Set.of(target.name())), !selfSource, false, merge.getWithItemsList(),
                scope, q::tableRef);
        WhereClassifier.Bound on = onTarget.bound(merge.getOnCondition());
        boolean tied = on.where() == WhereKind.PRESENT || on.others() || !on.boundIf().isEmpty();
        WhereClassifier branches = new WhereClassifier(dialect, targetColumns(target, alias),
                withTargets(merge.getWithItemsList(), Set.of(target.name())), !selfSource, tied, merge.getWithItemsList(),
                scope, q::tableRef);
        List<MergeOperation> operations = merge.getOperations() == null ? List.of() : merge.getOperations();
        for (MergeOperation operation : operations) {
            if (operation instanceof MergeDelete delete) {
                q.expression(delete.getAndPredicate(), scope, Clause.WHERE, null);
                out.nest(mergeBranch(Action.DELETE, target, delete.getAndPredicate(), branches, out));
            } else if (operation instanceof MergeUpdate update) {
                out.trait(Trait.UPSERT);
                q.expression(update.getAndPredicate(), scope, Clause.WHERE, null);
                q.expression(update.getWhereCondition(), scope, Clause.WHERE, null);
                updateSets(update.getUpdateSets(), target, scope, out, q);
                Expression bound = update.getAndPredicate() != null ? update.getAndPredicate() : update.getWhereCondition();
                // An upsert: with no condition of its own, the branch updates the rows the ON condition matched,
                // unless the source reads the target itself (USING t s ON t.id = s.id matches every row).
                if (bound == null && selfSource) {
                    StatementBuilder every = new StatementBuilder(Action.UPDATE);
                    every.tablesWritten.add(target);
                    every.where = WhereKind.ABSENT;
                    out.nest(every.build());
                } else {
                    out.nest(mergeBranch(Action.UPDATE, target, bound != null ? bound : merge.getOnCondition(), branches, out));
                }
                if (update.getDeleteWhereCondition() != null) {
                    q.expression(update.getDeleteWhereCondition(), scope, Clause.WHERE, null);
                    out.nest(mergeBranch(Action.DELETE, target, update.getDeleteWhereCondition(), branches, out));
                }
            } else if (operation instanceof MergeInsert insert) {
                insertColumns(insert.getColumns(), target, out, q);
                q.expression(insert.getValues(), scope, Clause.VALUE, null);
                q.expression(insert.getAndPredicate(), scope, Clause.WHERE, null);
            }
        }
        returning(merge.getReturningClause(), scope, out, q);
    }

    /**
     * A WHEN MATCHED branch of a MERGE, bounded by {@code condition}: an UPDATE branch by its own
     * condition or else the ON condition (an upsert touches the rows it matched); a DELETE branch by
     * its own condition only, so a MERGE that deletes every matched row counts as an unbounded delete.
     */
    private List<StatementAnalysis> mergeBranch(Action action, TableRef target, Expression condition,
                                                WhereClassifier classifier, StatementBuilder merge) {
        StatementBuilder branch = new StatementBuilder(action);
        branch.tablesWritten.add(target);
        set(branch, classifier.bound(condition));
        if (branch.boundThrough != null) {
            // bounded through the source's rows: what the MERGE reads is what must be proven not the target
            branch.tablesRead.addAll(merge.tablesRead);
            branch.routines.addAll(merge.routines);
        }
        return branch.build();
    }

    /**
     * Sets the bound a statement's condition gives it, with the unqualified names in subqueries it rests on. An UPDATE or
     * DELETE is bounded by its WHERE. Neither a LIMIT ({@code DELETE FROM t LIMIT 1000000} empties most tables) nor the ON
     * condition of a join ({@code UPDATE a JOIN b ON a.id = b.id SET …} may touch every row of {@code a}) bounds it
     * alone; an UPDATE's or a multi-table DELETE's inner joins linked to the target let its WHERE bound through the
     * joined rows (see {@link #linkedInnerJoins}).
     */
    private static void set(StatementBuilder out, WhereClassifier.Bound bound) {
        out.where = bound.where();
        out.boundIf = bound.boundIf();
        out.boundThrough = bound.others() ? StatementAnalysis.UNRESOLVED_RELATIONS : null;
    }

    /** Whether a MERGE's source (its USING table or query) reads one of {@code tables}. */
    private boolean sourceReads(Merge merge, Set<String> tables) {
        Set<String> read = new HashSet<>();
        try {
            if (merge.getFromItem() instanceof Table table) {
                read.add(table.getFullyQualifiedName());
            } else if (merge.getFromItem() instanceof ParenthesedSelect select) {
                read.addAll(new TablesNamesFinder<Void>().getTables((net.sf.jsqlparser.statement.Statement) select));
            } else if (merge.getFromItem() != null) {
                return true; // a source shape not read here: no bound proven
            }
            if (merge.getUsingTable() != null) {
                read.add(merge.getUsingTable().getFullyQualifiedName());
            }
        } catch (RuntimeException e) {
            return true;
        }
        return namesAny(read, tables);
    }

    /**
     * Whether the rows come from a query (which may yield every key of the target), not from a VALUES list or from one
     * row of values selected without a table ({@link #oneRowOfValues}).
     */
    private static boolean fromQuery(Select select) {
        Select s = select;
        while (s instanceof ParenthesedSelect p) {
            s = p.getSelect();
        }
        return s != null && !(s instanceof Values) && !oneRowOfValues(s);
    }

    /**
     * Whether {@code select} yields one row at most, as a VALUES row does: a plain SELECT without FROM, joins or
     * windows whose every item is built of literals and parameters alone ({@code SELECT ?, CAST(? AS text)}), the form
     * an application writes for an upsert of one row. Anything else (a function, which may return a set, a subquery,
     * a column, a set operation) may yield more rows, and counts as a query.
     */
    private static boolean oneRowOfValues(Select select) {
        if (!(select instanceof PlainSelect plain) || plain.getFromItem() != null
                || plain.getJoins() != null && !plain.getJoins().isEmpty() || plain.getSelectItems() == null
                || plain.getWindowDefinitions() != null && !plain.getWindowDefinitions().isEmpty()) {
            return false;
        }
        for (SelectItem<?> item : plain.getSelectItems()) {
            if (!valueOnly(item.getExpression())) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code e} is a literal or parameter, or a cast, sign, parenthesis, arithmetic or concatenation of them. */
    private static boolean valueOnly(Expression e) {
        if (e instanceof JdbcParameter || e instanceof JdbcNamedParameter || e instanceof StringValue
                || e instanceof LongValue || e instanceof DoubleValue || e instanceof NullValue) {
            return true;
        }
        if (e instanceof CastExpression cast) {
            return valueOnly(cast.getLeftExpression());
        }
        if (e instanceof SignedExpression signed) {
            return valueOnly(signed.getExpression());
        }
        if (e instanceof Parenthesis parenthesis) {
            return valueOnly(parenthesis.getExpression());
        }
        if (e instanceof Concat || e instanceof Addition || e instanceof Subtraction || e instanceof Multiplication) {
            BinaryExpression binary = (BinaryExpression) e;
            return valueOnly(binary.getLeftExpression()) && valueOnly(binary.getRightExpression());
        }
        return false;
    }

    /**
     * The UPDATE an upsert over a query amounts to: it may update every existing row of the target,
     * so it is unbounded unless its own condition ({@code ON CONFLICT … DO UPDATE … WHERE}) restricts it.
     */
    private List<StatementAnalysis> upsertUpdate(TableRef target, Expression where, Scope scope, QueryWalker q) {
        StatementBuilder update = new StatementBuilder(Action.UPDATE);
        update.tablesWritten.add(target);
        set(update, new WhereClassifier(dialect, column -> true, Set.of(target.name()), true, false, null, scope, q::tableRef)
                .bound(where));
        return update.build();
    }

    private static void insertColumns(List<Column> columns, TableRef target, StatementBuilder out, QueryWalker q) {
        if (columns != null) {
            columns.forEach(c -> out.columns.add(new ColumnRef(target, q.name(c.getColumnName()), Clause.INSERT)));
        }
    }

    private static String aliasOf(Table table, TableRef target, QueryWalker q) {
        return table.getAlias() == null ? target.name() : q.name(table.getAlias().getName());
    }

    private void updateSets(List<UpdateSet> sets, TableRef target, Scope scope, StatementBuilder out, QueryWalker q) {
        updateSets(sets, c -> List.of(target), scope, out, q);
    }

    /** The SET columns, each as a column of the tables {@code tablesOf} gives for it, and the values they are set to. */
    private void updateSets(List<UpdateSet> sets, java.util.function.Function<Column, List<TableRef>> tablesOf, Scope scope,
                            StatementBuilder out, QueryWalker q) {
        if (sets == null) {
            return;
        }
        for (UpdateSet set : sets) {
            set.getColumns().forEach(c -> tablesOf.apply(c).forEach(
                    t -> out.columns.add(new ColumnRef(t, q.name(c.getColumnName()), Clause.SET))));
            if (set.getValues() != null) {
                q.expression(set.getValues(), scope, Clause.VALUE, null);
            }
        }
    }

    private void returning(ReturningClause returning, Scope scope, StatementBuilder out, QueryWalker q) {
        if (returning != null) {
            out.resultColumns = StatementWalker.resultColumns(q.selectItems(returning, scope, Clause.RETURNING));
        }
    }

    /**
     * Whether {@code joins} (MariaDB's {@code UPDATE a JOIN b ON … SET …} or {@code DELETE a FROM a JOIN b ON …}) are
     * one or more inner joins, each of whose ON condition alone bounds the target (links its rows to the joined rows:
     * {@code a.id = b.a_id}). Then the rows written are target rows paired with the joined rows they match, and a WHERE
     * that bounds either side of a pair ({@code WHERE b.status = 'x'}) bounds the write, as it bounds a MERGE's matched
     * rows. A LEFT, RIGHT, FULL, CROSS,
     * NATURAL or USING join, or an ON condition that does not bound the target ({@code ON 1 = 1}, {@code ON b.y > 0}),
     * pairs a target row with rows whatever it holds: then only the target's own columns bound.
     */
    private boolean linkedInnerJoins(List<Join> joins, Predicate<Column> targetColumn, Set<String> targetTables) {
        if (joins == null || joins.isEmpty()) {
            return false;
        }
        WhereClassifier link = new WhereClassifier(dialect, targetColumn, targetTables, true, false);
        for (Join join : joins) {
            boolean inner = !join.isSimple() && !join.isLeft() && !join.isRight() && !join.isOuter() && !join.isFull()
                    && !join.isCross() && !join.isNatural() && !join.isSemi() && !join.isApply() && !join.isAsOf()
                    && !join.isWindowJoin() && !join.isFetch() && !join.isArray()
                    && (join.getUsingColumns() == null || join.getUsingColumns().isEmpty());
            if (!inner || join.getOnExpressions() == null || join.getOnExpressions().size() != 1
                    || !link.linksInForm(join.getOnExpressions().iterator().next())) {
                return false;
            }
        }
        return true;
    }

    private static void joined(List<Join> joins, List<FromItem> into) {
        if (joins != null) {
            joins.forEach(j -> into.add(j.getFromItem()));
        }
    }

    /** Whether one of the tables {@code read} (as written) is, by its last name part, one of {@code tables}. */
    private boolean namesAny(Set<String> read, Set<String> tables) {
        for (String table : read) {
            List<String> parts = Tokens.of(table, dialect).nameAt(0);
            String name = parts.isEmpty() ? table : dialect.normalizeIdentifier(parts.get(parts.size() - 1));
            if (tables.stream().anyMatch(t -> dialect.sameName(t, name))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether one of the statement's other FROM items (a join, USING, FROM) may read one of {@code tables}:
     * a column of such an item may be the target's own, so comparing with it proves no bound.
     */
    private boolean readsAny(List<FromItem> items, Set<String> tables) {
        Set<String> read = new HashSet<>();
        for (FromItem item : items) {
            if (item == null) {
                continue;
            }
            if (item instanceof Table table) {
                read.add(table.getFullyQualifiedName());
            } else if (item instanceof ParenthesedSelect select) {
                try {
                    read.addAll(new TablesNamesFinder<Void>().getTables((net.sf.jsqlparser.statement.Statement) select));
                } catch (RuntimeException e) {
                    return true;
                }
            } else {
                return true; // a FROM item read no further here: it may be the target
            }
        }
        return namesAny(read, tables);
    }

    /**
     * The target tables' names and the names of the statement's CTEs that read one of them ({@code WITH
     * x AS (SELECT id FROM t) DELETE FROM t WHERE id IN (SELECT id FROM x)}): a subquery over either
     * proves no bound.
     */
    private Set<String> withTargets(List<WithItem<?>> items, Set<String> targetTables) {
        Set<String> names = new HashSet<>(targetTables);
        if (items == null) {
            return names;
        }
        for (WithItem<?> item : items) {
            Set<String> read = new HashSet<>();
            try {
                read.addAll(new TablesNamesFinder<Void>().getTables((net.sf.jsqlparser.statement.Statement) item.getSelect()));
            } catch (RuntimeException e) {
                read.add(item.getAliasName()); // a body the finder cannot walk: assume it reads the target
                names.add(dialect.normalizeIdentifier(item.getAliasName()));
                continue;
            }
            for (String table : read) {
                List<String> parts = Tokens.of(table, dialect).nameAt(0);
                String name = parts.isEmpty() ? table : dialect.normalizeIdentifier(parts.get(parts.size() - 1));
                if (names.stream().anyMatch(t -> dialect.sameName(t, name))) {
                    names.add(dialect.normalizeIdentifier(item.getAliasName()));
                    break;
                }
            }
        }
        return names;
    }

    private Predicate<Column> targetColumns(TableRef target, String alias) {
        // once aliased, a table goes by its alias only: its own name then names another relation (UPDATE t AS a … FROM
        // t WHERE t.id = 1 bounds the other instance), or none
        return qualifiedBy(Set.of(alias));
    }

    /** Unqualified columns, and columns qualified by one of {@code names}, may read the target's rows. */
    private Predicate<Column> qualifiedBy(Set<String> names) {
        return column -> {
            Table qualifier = column.getTable();
            if (qualifier == null || qualifier.getName() == null) {
                return true;
            }
            String name = dialect.normalizeIdentifier(qualifier.getName());
            return names.stream().anyMatch(n -> dialect.sameName(n, name));
        };
    }

    private Scope withScope(List<WithItem<?>> items, QueryWalker q, Scope outer) {
        if (items == null || items.isEmpty()) {
            return outer;
        }
        Scope scope = new Scope(outer, dialect);
        q.withItems(items, scope);
        return scope;
    }

    private Scope targetScope(Scope outer, Table table, TableRef target, QueryWalker q) {
        Scope scope = new Scope(outer, dialect);
        scope.add(Relation.base(aliasOf(table, target, q), target));
        return scope;
    }
}
