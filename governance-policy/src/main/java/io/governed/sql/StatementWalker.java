package io.governed.sql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Sequence;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Block;
import net.sf.jsqlparser.statement.Commit;
import net.sf.jsqlparser.statement.DeclareStatement;
import net.sf.jsqlparser.statement.DescribeStatement;
import net.sf.jsqlparser.statement.ExplainStatement;
import net.sf.jsqlparser.statement.IfElseStatement;
import net.sf.jsqlparser.statement.PurgeStatement;
import net.sf.jsqlparser.statement.ResetStatement;
import net.sf.jsqlparser.statement.ReturningClause;
import net.sf.jsqlparser.statement.RollbackStatement;
import net.sf.jsqlparser.statement.SavepointStatement;
import net.sf.jsqlparser.statement.SetStatement;
import net.sf.jsqlparser.statement.ShowColumnsStatement;
import net.sf.jsqlparser.statement.ShowStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;
import net.sf.jsqlparser.statement.UseStatement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.alter.AlterSession;
import net.sf.jsqlparser.statement.alter.RenameTableStatement;
import net.sf.jsqlparser.statement.alter.sequence.AlterSequence;
import net.sf.jsqlparser.statement.analyze.Analyze;
import net.sf.jsqlparser.statement.comment.Comment;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.schema.CreateSchema;
import net.sf.jsqlparser.statement.create.sequence.CreateSequence;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.view.AlterView;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.delete.ParenthesedDelete;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.execute.Execute;
import net.sf.jsqlparser.statement.grant.Grant;
import net.sf.jsqlparser.statement.grant.Revoke;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.insert.ParenthesedInsert;
import net.sf.jsqlparser.statement.lock.LockStatement;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.merge.MergeDelete;
import net.sf.jsqlparser.statement.merge.MergeInsert;
import net.sf.jsqlparser.statement.merge.MergeOperation;
import net.sf.jsqlparser.statement.merge.MergeUpdate;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.show.ShowTablesStatement;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.update.ParenthesedUpdate;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.statement.upsert.Upsert;
import net.sf.jsqlparser.statement.upsert.UpsertType;

/**
 * Turns one parsed statement into its {@link StatementAnalysis}, followed by the analyses of the
 * data-modifying statements nested in it (CTEs, MERGE branches, the rows a REPLACE deletes, the
 * statement an EXPLAIN runs).
 *
 * <p>Conventions: a schema-wide object ({@code DROP SCHEMA s}, {@code DROP DATABASE d},
 * {@code CREATE SCHEMA s}) is reported as the table {@code s.*}, every object in it; a called
 * procedure or function ({@code CALL p}, {@code EXEC p}) is reported in {@code tablesRead}; a
 * {@code REPLACE} is an INSERT with {@link Trait#UPSERT} followed by a nested DELETE of the target
 * with a {@link WhereKind#PRESENT} WHERE (it deletes the rows whose keys collide).
 */
final class StatementWalker {

    private static final Set<String> DYNAMIC_PROCEDURES = Set.of("sp_executesql", "sp_sqlexec");

    private final Dialect dialect;

    StatementWalker(Dialect dialect) {
        this.dialect = dialect;
    }

    /** The analysis of a top-level statement, followed by what is nested in it. */
    List<StatementAnalysis> analyze(Statement statement) {
        return analyze(statement, new Scope(null, dialect));
    }

    /** The analysis of a statement whose CTE names resolve in {@code scope}. */
    List<StatementAnalysis> analyze(Statement statement, Scope scope) {
        StatementBuilder out = new StatementBuilder(Action.OTHER);
        QueryWalker queries = new QueryWalker(dialect, out, this::analyze);
        walk(statement, out, queries, scope);
        return out.build();
    }

    private void walk(Statement statement, StatementBuilder out, QueryWalker q, Scope scope) {
        if (statement instanceof ParenthesedInsert p) {
            walk(p.getInsert(), out, q, scope);
        } else if (statement instanceof ParenthesedUpdate p) {
            walk(p.getUpdate(), out, q, scope);
        } else if (statement instanceof ParenthesedDelete p) {
            walk(p.getDelete(), out, q, scope);
        } else if (statement instanceof Select select) {
            out.action = Action.SELECT;
            out.resultColumns = resultColumns(q.query(select, scope));
        } else if (statement instanceof Insert insert) {
            insert(insert, out, q, scope);
        } else if (statement instanceof Upsert upsert) {
            upsert(upsert, out, q, scope);
        } else if (statement instanceof Update update) {
            update(update, out, q, scope);
        } else if (statement instanceof Delete delete) {
            delete(delete, out, q, scope);
        } else if (statement instanceof Merge merge) {
            merge(merge, out, q, scope);
        } else if (statement instanceof Drop drop) {
            drop(drop, out, q);
        } else if (statement instanceof Truncate truncate) {
            out.action = Action.TRUNCATE;
            truncate.getTables().forEach(t -> out.tablesWritten.add(q.tableRef(t)));
            if (truncate.getCascade() || hasWord(truncate, "cascade")) {
                out.trait(Trait.CASCADE);
            }
        } else if (statement instanceof Alter alter) {
            alter(alter, out, q);
        } else if (statement instanceof CreateTable create) {
            out.action = Action.CREATE;
            out.tablesWritten.add(q.tableRef(create.getTable()));
            if (create.isIfNotExists()) {
                out.trait(Trait.IF_EXISTS);
            }
            if (create.getSelect() != null) {
                q.query(create.getSelect(), scope);
                out.trait(Trait.COPIES_DATA);
            }
            if (create.getLikeTable() != null) {
                out.tablesRead.add(q.tableRef(create.getLikeTable()));
            }
        } else if (statement instanceof CreateView view) {
            out.action = Action.CREATE;
            out.tablesWritten.add(q.tableRef(view.getView()));
            if (view.getSelect() != null) {
                q.query(view.getSelect(), scope);
            }
        } else if (statement instanceof AlterView view) {
            out.action = Action.ALTER;
            out.tablesWritten.add(q.tableRef(view.getView()));
            if (view.getSelect() != null) {
                q.query(view.getSelect(), scope);
            }
        } else if (statement instanceof CreateIndex index) {
            out.action = Action.CREATE;
            out.tablesWritten.add(q.tableRef(index.getTable()));
        } else if (statement instanceof CreateSchema schema) {
            out.action = Action.CREATE;
            out.tablesWritten.add(new TableRef(q.name(schema.getSchemaName()), "*"));
        } else if (statement instanceof CreateSequence sequence) {
            out.action = Action.CREATE;
            out.tablesWritten.add(sequenceRef(sequence.getSequence(), q));
        } else if (statement instanceof AlterSequence sequence) {
            out.action = Action.ALTER;
            out.tablesWritten.add(sequenceRef(sequence.getSequence(), q));
        } else if (statement instanceof RenameTableStatement rename) {
            out.action = Action.RENAME;
            out.trait(Trait.RENAMES);
            rename.getTableNames().forEach(e -> {
                out.tablesWritten.add(q.tableRef(e.getKey()));
                out.tablesWritten.add(q.tableRef(e.getValue()));
            });
        } else if (statement instanceof Comment comment) {
            out.action = Action.COMMENT;
            Table target = comment.getTable() != null ? comment.getTable()
                    : comment.getView() != null ? comment.getView()
                    : comment.getColumn() != null ? comment.getColumn().getTable() : null;
            if (target != null && target.getName() != null) {
                out.tablesWritten.add(q.tableRef(target));
            }
        } else if (statement instanceof Grant || statement instanceof Revoke) {
            privileges(statement, out, q);
        } else if (statement instanceof Execute execute) {
            execute(execute, out, q, scope);
        } else if (statement instanceof Analyze analyze) {
            out.action = Action.OTHER;
            if (analyze.getTables() != null) {
                analyze.getTables().forEach(t -> out.tablesRead.add(q.tableRef(t)));
            }
        } else if (statement instanceof Commit || statement instanceof RollbackStatement
                || statement instanceof SavepointStatement) {
            out.action = Action.TRANSACTION;
        } else if (statement instanceof SetStatement || statement instanceof ResetStatement
                || statement instanceof AlterSession) {
            out.action = Action.SET;
        } else if (statement instanceof ShowStatement || statement instanceof ShowTablesStatement
                || statement instanceof ShowColumnsStatement || statement instanceof DescribeStatement) {
            out.action = Action.SHOW;
        } else if (statement instanceof ExplainStatement explain) {
            out.action = Action.EXPLAIN;
            if (explain.getStatement() != null) {
                // EXPLAIN ANALYZE runs the statement: whatever it does is nested here.
                out.nest(analyze(explain.getStatement(), scope));
            }
        } else if (statement instanceof UseStatement) {
            out.action = Action.USE;
        } else if (statement instanceof LockStatement lock) {
            out.action = Action.LOCK;
            out.tablesRead.add(q.tableRef(lock.getTable()));
        } else if (statement instanceof Block block) {
            out.action = Action.OTHER;
            block.getStatements().forEach(s -> out.nest(analyze(s, scope)));
        } else if (statement instanceof IfElseStatement ifElse) {
            out.action = Action.OTHER;
            out.nest(analyze(ifElse.getIfStatement(), scope));
            if (ifElse.getElseStatement() != null) {
                out.nest(analyze(ifElse.getElseStatement(), scope));
            }
        } else if (statement instanceof PurgeStatement) {
            out.action = Action.DROP;
        } else if (statement instanceof UnsupportedStatement) {
            throw new IllegalStateException("unsupported statement");
        } else if (statement instanceof DeclareStatement) {
            out.action = Action.OTHER;
        } else {
            out.action = byClassName(statement);
        }
    }

    // ---------------------------------------------------------------- data changes

    private void insert(Insert insert, StatementBuilder out, QueryWalker q, Scope outer) {
        out.action = Action.INSERT;
        Scope scope = withScope(insert.getWithItemsList(), q, outer);
        TableRef target = q.tableRef(insert.getTable());
        out.tablesWritten.add(target);
        if (insert.getColumns() != null) {
            insert.getColumns().forEach(c -> out.columns.add(new ColumnRef(target, q.name(c.getColumnName()), Clause.INSERT)));
        }
        if (insert.getSelect() != null) {
            q.query(insert.getSelect(), scope);
        }
        Scope targetScope = targetScope(scope, insert.getTable(), target, q);
        if (insert.getConflictAction() != null) {
            out.trait(Trait.UPSERT);
            updateSets(insert.getConflictAction().getUpdateSets(), target, targetScope, out, q);
            q.expression(insert.getConflictAction().getWhereExpression(), targetScope, Clause.WHERE, null);
        }
        if (insert.getDuplicateUpdateSets() != null && !insert.getDuplicateUpdateSets().isEmpty()) {
            out.trait(Trait.UPSERT);
            updateSets(insert.getDuplicateUpdateSets(), target, targetScope, out, q);
        }
        updateSets(insert.getSetUpdateSets(), target, targetScope, out, q);
        returning(insert.getReturningClause(), targetScope, out, q);
    }

    private void upsert(Upsert upsert, StatementBuilder out, QueryWalker q, Scope scope) {
        out.action = Action.INSERT;
        TableRef target = q.tableRef(upsert.getTable());
        out.tablesWritten.add(target);
        if (upsert.getColumns() != null) {
            upsert.getColumns().forEach(c -> out.columns.add(new ColumnRef(target, q.name(c.getColumnName()), Clause.INSERT)));
        }
        if (upsert.getSelect() != null) {
            q.query(upsert.getSelect(), scope);
        }
        Scope targetScope = targetScope(scope, upsert.getTable(), target, q);
        updateSets(upsert.getUpdateSets(), target, targetScope, out, q);
        updateSets(upsert.getDuplicateUpdateSets(), target, targetScope, out, q);
        UpsertType type = upsert.getUpsertType();
        if (type == UpsertType.REPLACE || type == UpsertType.REPLACE_SET || type == UpsertType.INSERT_OR_REPLACE) {
            out.trait(Trait.UPSERT);
            StatementBuilder deletion = new StatementBuilder(Action.DELETE);
            deletion.tablesWritten.add(target);
            deletion.where = WhereKind.PRESENT;
            out.nest(deletion.build());
        } else if (type == UpsertType.UPSERT || (upsert.getDuplicateUpdateSets() != null && !upsert.getDuplicateUpdateSets().isEmpty())) {
            out.trait(Trait.UPSERT);
        }
    }

    private void update(Update update, StatementBuilder out, QueryWalker q, Scope outer) {
        out.action = Action.UPDATE;
        Scope scope = new Scope(withScope(update.getWithItemsList(), q, outer), dialect);
        TableRef target = q.tableRef(update.getTable());
        out.tablesWritten.add(target);
        String alias = update.getTable().getAlias() == null ? target.name() : q.name(update.getTable().getAlias().getName());
        scope.add(Relation.base(alias, target));
        q.joins(update.getStartJoins(), scope);
        if (update.getFromItem() != null) {
            q.fromItem(update.getFromItem(), scope);
        }
        q.joins(update.getJoins(), scope);
        updateSets(update.getUpdateSets(), target, scope, out, q);
        q.expression(update.getWhere(), scope, Clause.WHERE, null);
        out.where = bound(update.getWhere(), joinConditions(update.getStartJoins(), update.getJoins()),
                targetColumns(target, alias));
        returning(update.getReturningClause(), scope, out, q);
    }

    private void delete(Delete delete, StatementBuilder out, QueryWalker q, Scope outer) {
        out.action = Action.DELETE;
        Scope scope = new Scope(withScope(delete.getWithItemsList(), q, outer), dialect);
        List<Table> named = delete.getTables() != null && !delete.getTables().isEmpty() ? delete.getTables() : List.of();
        Table main = delete.getTable();
        TableRef mainRef = q.tableRef(main);
        String mainAlias = main.getAlias() == null ? mainRef.name() : q.name(main.getAlias().getName());
        scope.add(Relation.base(mainAlias, mainRef));
        if (delete.getUsingFromItemList() != null) {
            delete.getUsingFromItemList().forEach(f -> q.fromItem(f, scope));
        } else if (delete.getUsingList() != null) {
            delete.getUsingList().forEach(t -> q.fromItem(t, scope));
        }
        q.joins(delete.getJoins(), scope);
        Set<String> targetNames = new HashSet<>();
        if (named.isEmpty()) {
            out.tablesWritten.add(mainRef);
            targetNames.add(mainAlias);
            targetNames.add(mainRef.name());
        } else {
            // MariaDB multi-table DELETE a, b FROM a JOIN b …: the listed names are the targets.
            for (Table t : named) {
                Relation r = scope.resolve(null, q.name(t.getName()));
                TableRef ref = r != null && r.table() != null ? r.table() : q.tableRef(t);
                out.tablesWritten.add(ref);
                targetNames.add(q.name(t.getName()));
                targetNames.add(ref.name());
            }
        }
        if (!named.isEmpty() || !out.tablesWritten.contains(mainRef)) {
            out.tablesRead.add(mainRef);
        }
        q.expression(delete.getWhere(), scope, Clause.WHERE, null);
        out.where = bound(delete.getWhere(), joinConditions(delete.getJoins(), null),
                qualifiedBy(targetNames));
        returning(delete.getReturningClause(), scope, out, q);
    }

    private void merge(Merge merge, StatementBuilder out, QueryWalker q, Scope outer) {
        out.action = Action.MERGE;
        Scope scope = new Scope(withScope(merge.getWithItemsList(), q, outer), dialect);
        TableRef target = q.tableRef(merge.getTable());
        out.tablesWritten.add(target);
        String alias = merge.getTable().getAlias() == null ? target.name() : q.name(merge.getTable().getAlias().getName());
        scope.add(Relation.base(alias, target));
        if (merge.getFromItem() != null) {
            q.fromItem(merge.getFromItem(), scope);
        } else if (merge.getUsingTable() != null) {
            q.fromItem(merge.getUsingTable(), scope);
        }
        q.expression(merge.getOnCondition(), scope, Clause.JOIN, null);
        // A matched row is joined to a source row, so a condition on either side bounds a WHEN MATCHED branch.
        Predicate<Column> targetColumn = column -> true;
        List<MergeOperation> operations = merge.getOperations() == null ? List.of() : merge.getOperations();
        for (MergeOperation operation : operations) {
            if (operation instanceof MergeDelete delete) {
                q.expression(delete.getAndPredicate(), scope, Clause.WHERE, null);
                out.nest(mergeBranch(Action.DELETE, target, delete.getAndPredicate(), targetColumn));
            } else if (operation instanceof MergeUpdate update) {
                out.trait(Trait.UPSERT);
                q.expression(update.getAndPredicate(), scope, Clause.WHERE, null);
                q.expression(update.getWhereCondition(), scope, Clause.WHERE, null);
                updateSets(update.getUpdateSets(), target, scope, out, q);
                Expression bound = update.getAndPredicate() != null ? update.getAndPredicate() : update.getWhereCondition();
                // An upsert: with no condition of its own, the branch updates the rows the ON condition matched.
                out.nest(mergeBranch(Action.UPDATE, target, bound != null ? bound : merge.getOnCondition(), targetColumn));
                if (update.getDeleteWhereCondition() != null) {
                    q.expression(update.getDeleteWhereCondition(), scope, Clause.WHERE, null);
                    out.nest(mergeBranch(Action.DELETE, target, update.getDeleteWhereCondition(), targetColumn));
                }
            } else if (operation instanceof MergeInsert insert) {
                if (insert.getColumns() != null) {
                    insert.getColumns().forEach(c -> out.columns.add(new ColumnRef(target, q.name(c.getColumnName()), Clause.INSERT)));
                }
                q.expression(insert.getValues(), scope, Clause.OTHER, null);
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
                                                Predicate<Column> targetColumn) {
        StatementBuilder branch = new StatementBuilder(action);
        branch.tablesWritten.add(target);
        branch.where = new WhereClassifier(dialect, targetColumn).classify(condition);
        return branch.build();
    }

    private void updateSets(List<UpdateSet> sets, TableRef target, Scope scope, StatementBuilder out, QueryWalker q) {
        if (sets == null) {
            return;
        }
        for (UpdateSet set : sets) {
            set.getColumns().forEach(c -> out.columns.add(new ColumnRef(target, q.name(c.getColumnName()), Clause.SET)));
            if (set.getValues() != null) {
                q.expression(set.getValues(), scope, Clause.SET, null);
            }
        }
    }

    private void returning(ReturningClause returning, Scope scope, StatementBuilder out, QueryWalker q) {
        if (returning != null) {
            out.resultColumns = resultColumns(q.selectItems(returning, scope, Clause.RETURNING));
        }
    }

    /**
     * How an UPDATE or DELETE is bounded: by its WHERE, or by the ON condition of an inner join (which
     * keeps only target rows that have a match). A LIMIT is no bound: it caps how many rows go, not
     * which, and {@code DELETE FROM t LIMIT 1000000} empties most tables.
     */
    private WhereKind bound(Expression where, List<Expression> innerJoinConditions, Predicate<Column> targetColumn) {
        WhereClassifier classifier = new WhereClassifier(dialect, targetColumn);
        WhereKind kind = classifier.classify(where);
        if (kind.unbounded() && innerJoinConditions.stream().anyMatch(on -> classifier.classify(on) == WhereKind.PRESENT)) {
            return WhereKind.PRESENT;
        }
        return kind;
    }

    private static List<Expression> joinConditions(List<Join> first, List<Join> second) {
        List<Expression> conditions = new ArrayList<>();
        for (List<Join> joins : Arrays.asList(first, second)) {
            if (joins == null) {
                continue;
            }
            for (Join join : joins) {
                boolean inner = !(join.isLeft() || join.isRight() || join.isFull() || join.isOuter() || join.isCross()
                        || join.isNatural());
                if (inner && join.getOnExpressions() != null) {
                    conditions.addAll(join.getOnExpressions());
                }
            }
        }
        return conditions;
    }

    private Predicate<Column> targetColumns(TableRef target, String alias) {
        Set<String> names = new HashSet<>();
        names.add(alias);
        names.add(target.name());
        return qualifiedBy(names);
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
        scope.add(Relation.base(table.getAlias() == null ? target.name() : q.name(table.getAlias().getName()), target));
        return scope;
    }

    // ---------------------------------------------------------------- DDL and the rest

    private void drop(Drop drop, StatementBuilder out, QueryWalker q) {
        out.action = Action.DROP;
        String type = drop.getType() == null ? "" : drop.getType().toLowerCase(Locale.ROOT);
        boolean schemaWide = type.equals("schema") || type.equals("database");
        List<Table> names = drop.getNames() != null && !drop.getNames().isEmpty() ? drop.getNames() : List.of(drop.getName());
        for (Table name : names) {
            if (name == null || name.getName() == null) {
                continue;
            }
            out.tablesWritten.add(schemaWide ? new TableRef(q.name(name.getName()), "*") : q.tableRef(name));
        }
        if (drop.isIfExists()) {
            out.trait(Trait.IF_EXISTS);
        }
        if (hasWord(drop, "cascade")) {
            out.trait(Trait.CASCADE);
        }
    }

    private void alter(Alter alter, StatementBuilder out, QueryWalker q) {
        out.action = Action.ALTER;
        TableRef table = q.tableRef(alter.getTable());
        out.tablesWritten.add(table);
        if (alter.isUseTableIfExists()) {
            out.trait(Trait.IF_EXISTS);
        }
        for (AlterExpression expression : alter.getAlterExpressions()) {
            String operation = expression.getOperation() == null ? "" : expression.getOperation().name();
            if (operation.startsWith("DROP") || operation.equals("TRUNCATE_PARTITION")
                    || operation.equals("DISCARD_PARTITION") || operation.equals("REMOVE_PARTITIONING")
                    || operation.equals("COALESCE_PARTITION")) {
                out.trait(Trait.DROPS_PART);
            }
            if (operation.startsWith("RENAME")) {
                out.trait(Trait.RENAMES);
                if (expression.getNewTableName() != null) {
                    out.tablesWritten.add(new TableRef(table.schema(), q.name(expression.getNewTableName())));
                }
            }
            if (operation.equals("CHANGE")) {
                out.trait(Trait.RENAMES);
            }
            if (expression.isUsingIfExists()) {
                out.trait(Trait.IF_EXISTS);
            }
        }
        if (hasWord(alter, "cascade")) {
            out.trait(Trait.CASCADE);
        }
    }

    /** GRANT and REVOKE, read from their tokens: {@code GRANT privileges ON [kind] object TO …}. */
    private void privileges(Statement statement, StatementBuilder out, QueryWalker q) {
        out.action = statement instanceof Grant ? Action.GRANT : Action.REVOKE;
        Tokens tokens = Tokens.of(statement.toString(), dialect);
        int on = tokens.indexOfWord("on", 0);
        int end = on < 0 ? tokens.size() : on;
        for (int i = 1; i < end; i++) {
            if (tokens.isWord(i, "all")) {
                out.trait(Trait.ALL_PRIVILEGES);
            }
        }
        if (on >= 0) {
            int i = on + 1;
            if (tokens.isWord(i, "all")) {
                // ON ALL TABLES IN SCHEMA s
                int schema = tokens.indexOfWord("schema", i);
                if (schema >= 0) {
                    addName(tokens.nameAt(schema + 1), out, q, true);
                }
            } else {
                String kind = tokens.get(i).text();
                if (tokens.get(i + 1).isName() && Set.of("table", "sequence", "function", "procedure", "schema",
                        "database", "view", "routine").contains(kind)) {
                    i++;
                }
                boolean schemaWide = kind.equals("schema") || kind.equals("database");
                while (true) {
                    List<String> name = tokens.nameAt(i);
                    if (name.isEmpty()) {
                        break;
                    }
                    addName(name, out, q, schemaWide);
                    i += name.size() * 2 - 1;
                    if (!tokens.get(i).text().equals(",")) {
                        break;
                    }
                    i++;
                }
            }
        }
        if (tokens.containsWord("cascade")) {
            out.trait(Trait.CASCADE);
        }
    }

    private void addName(List<String> parts, StatementBuilder out, QueryWalker q, boolean schemaWide) {
        if (parts.isEmpty()) {
            return;
        }
        if (schemaWide) {
            out.tablesWritten.add(new TableRef(q.name(parts.get(parts.size() - 1)), "*"));
        } else if (parts.size() == 1) {
            out.tablesWritten.add(new TableRef(null, q.name(parts.get(0))));
        } else {
            out.tablesWritten.add(new TableRef(q.name(parts.get(parts.size() - 2)), q.name(parts.get(parts.size() - 1))));
        }
    }

    private void execute(Execute execute, StatementBuilder out, QueryWalker q, Scope scope) {
        String routine = execute.getName();
        List<String> parts = routine == null ? List.of() : Tokens.of(routine, dialect).nameAt(0);
        String bare = parts.isEmpty() ? "" : QueryWalker.routineName(parts.get(parts.size() - 1), dialect);
        Execute.ExecType type = execute.getExecType();
        if (type == Execute.ExecType.CALL || (type == Execute.ExecType.EXEC && !DYNAMIC_PROCEDURES.contains(bare))) {
            out.action = Action.CALL;
        } else {
            out.action = Action.EXECUTE;
            out.trait(Trait.DYNAMIC_SQL);
        }
        if (!parts.isEmpty() && !bare.equals("immediate")) {
            addRead(parts, out, q);
        }
        if (execute.getExprList() != null) {
            q.expression(execute.getExprList(), scope, Clause.OTHER, null);
        }
    }

    private void addRead(List<String> parts, StatementBuilder out, QueryWalker q) {
        if (parts.size() == 1) {
            out.tablesRead.add(new TableRef(null, q.name(parts.get(0))));
        } else if (parts.size() > 1) {
            out.tablesRead.add(new TableRef(q.name(parts.get(parts.size() - 2)), q.name(parts.get(parts.size() - 1))));
        }
    }

    private TableRef sequenceRef(Sequence sequence, QueryWalker q) {
        String schema = sequence.getSchemaName();
        return new TableRef(schema == null ? null : q.name(schema), q.name(sequence.getName()));
    }

    private boolean hasWord(Statement statement, String word) {
        return Tokens.of(statement.toString(), dialect).containsWord(word);
    }

    /** Statements with no dedicated handling, classified by what they are called. */
    private static Action byClassName(Statement statement) {
        String name = statement.getClass().getSimpleName();
        if (name.startsWith("Create")) {
            return Action.CREATE;
        }
        if (name.startsWith("Alter")) {
            return Action.ALTER;
        }
        if (name.startsWith("Drop")) {
            return Action.DROP;
        }
        return Action.OTHER;
    }

    static List<ResultColumn> resultColumns(List<OutputColumn> outputs) {
        List<ResultColumn> columns = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            OutputColumn c = outputs.get(i);
            Lineage l = c.lineage();
            columns.add(new ResultColumn(i + 1, c.label(), new ArrayList<>(l.sources), new ArrayList<>(l.allColumnsOf),
                    l.unknown, c.aggregateOnly()));
        }
        return columns;
    }
}
