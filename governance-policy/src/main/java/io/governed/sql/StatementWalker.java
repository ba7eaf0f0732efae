package io.governed.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Block;
import net.sf.jsqlparser.statement.Commit;
import net.sf.jsqlparser.statement.DeclareStatement;
import net.sf.jsqlparser.statement.DescribeStatement;
import net.sf.jsqlparser.statement.ExplainStatement;
import net.sf.jsqlparser.statement.IfElseStatement;
import net.sf.jsqlparser.statement.PurgeStatement;
import net.sf.jsqlparser.statement.ResetStatement;
import net.sf.jsqlparser.statement.RollbackStatement;
import net.sf.jsqlparser.statement.SavepointStatement;
import net.sf.jsqlparser.statement.SetStatement;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.statement.ShowColumnsStatement;
import net.sf.jsqlparser.statement.ShowStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;
import net.sf.jsqlparser.statement.UseStatement;
import net.sf.jsqlparser.statement.alter.Alter;
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
import net.sf.jsqlparser.statement.create.view.TemporaryOption;
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
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.show.ShowIndexStatement;
import net.sf.jsqlparser.statement.show.ShowTablesStatement;
import net.sf.jsqlparser.statement.refresh.RefreshMaterializedViewStatement;
import net.sf.jsqlparser.statement.create.synonym.CreateSynonym;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.update.ParenthesedUpdate;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.upsert.Upsert;

/**
 * Turns one parsed statement into its {@link StatementAnalysis}, followed by the analyses of the
 * data-modifying statements nested in it (CTEs, MERGE branches, the rows a REPLACE deletes, the
 * statement an EXPLAIN runs).
 *
 * <p>Conventions: a schema-wide object ({@code DROP SCHEMA s}, {@code DROP DATABASE d},
 * {@code CREATE SCHEMA s}) is reported as the table {@code s.*}, every object in it; a called
 * procedure or function ({@code CALL p}, {@code EXEC p}, {@code SELECT f()}) that is not a
 * {@linkplain BuiltInRoutines built-in} is reported in {@code routines}; a
 * {@code REPLACE} is an INSERT with {@link Trait#UPSERT} followed by a nested DELETE of the target
 * with a {@link WhereKind#PRESENT} WHERE (it deletes the rows whose keys collide).
 */
final class StatementWalker {

    private static final Set<String> DYNAMIC_PROCEDURES = Set.of("sp_executesql", "sp_sqlexec");
    /**
     * H2 functions of no argument that only report the session's state, which H2 lets a {@code CALL}
     * evaluate like a query ({@code CALL SCHEMA()}, as Flyway sends): read as a SELECT of no table.
     */
    private static final Set<String> H2_SESSION_FUNCTIONS = Set.of(
            "schema", "current_schema", "database", "current_catalog", "user", "current_user", "session_user",
            "h2version", "session_id", "readonly", "lock_mode", "lock_timeout", "database_path");

    private final Dialect dialect;
    private final Set<String> dottedNames;
    private final DataChangeWalker dataChanges;
    private final DefinitionWalker definitions;

    StatementWalker(Dialect dialect) {
        this(dialect, Set.of());
    }

    /**
     * A walker of statements whose text holds the quoted names {@code dottedNames} (normalised), each holding a dot:
     * the parser splits such a name at its dots in many statements ({@link QueryWalker#tableRef}).
     */
    StatementWalker(Dialect dialect, Set<String> dottedNames) {
        this.dottedNames = dottedNames;
        this.dialect = dialect;
        this.dataChanges = new DataChangeWalker(dialect);
        this.definitions = new DefinitionWalker(dialect);
    }

    /** The text of the top-level statement being walked, when known ({@link #analyze(Statement, String)}). */
    private String source;

    /** The analysis of a top-level statement, followed by what is nested in it. */
    List<StatementAnalysis> analyze(Statement statement) {
        return analyze(statement, new Scope(null, dialect));
    }

    /**
     * The analysis of a top-level statement parsed from {@code source} (its text as the analysis read it, or
     * {@code null} when not known): words the parser leaves out when it prints a statement ({@code OR REPLACE} of
     * a {@code CREATE DATABASE}, say) are read from there.
     */
    List<StatementAnalysis> analyze(Statement statement, String source) {
        this.source = source;
        try {
            return analyze(statement, new Scope(null, dialect));
        } finally {
            this.source = null;
        }
    }

    /** The analysis of a statement whose CTE names resolve in {@code scope}. */
    List<StatementAnalysis> analyze(Statement statement, Scope scope) {
        StatementBuilder out = new StatementBuilder(Action.OTHER);
        QueryWalker queries = new QueryWalker(dialect, out, this::analyze, dottedNames);
        walk(statement, out, queries, scope);
        return out.build();
    }

    private void walk(Statement statement, StatementBuilder out, QueryWalker q, Scope scope) {
        Tokens definition = null;
        if (!(statement instanceof Select || statement instanceof Insert || statement instanceof Update
                || statement instanceof Delete || statement instanceof Merge || statement instanceof Upsert
                || statement instanceof ParenthesedInsert || statement instanceof ParenthesedUpdate
                || statement instanceof ParenthesedDelete || statement instanceof Execute)) {
            // Code definitions, role and privilege changes, server settings: recognised by their words,
            // whatever class the parser made of them.
            Tokens tokens = Tokens.of(statement.toString(), dialect);
            if (!dottedNames.isEmpty()) {
                // the tokens are of the parse tree as printed, where a quoted name the parser split ("a.b") is "a"."b"
                for (int i = 0; i < tokens.size(); i++) {
                    if (tokens.get(i).isName() && !(i > 0 && tokens.get(i - 1).kind() == TokenSpacing.Kind.SYMBOL
                            && tokens.get(i - 1).text().equals("."))) {
                        q.requireNotSplit(tokens.nameAt(i));
                    }
                }
            }
            if (CodeAndPrivilegeStatements.classify(tokens, dialect, out)) {
                if (out.action == Action.DEFINE_CODE && dialect == Dialect.POSTGRESQL) {
                    ruleActions(statement.toString(), tokens, out, scope);
                }
                if (out.action == Action.DEFINE_CODE && dialect == Dialect.MARIADB) {
                    eventBody(source != null ? source : statement.toString(), out, scope);
                }
                if (statement instanceof SetStatement set) {
                    // SET GLOBAL x = (SELECT …), SET app.x = (SELECT …): the values read tables all the same
                    setValues(set, q, scope, out);
                }
                return;
            }
            CodeAndPrivilegeStatements.markOwnerChange(tokens, out);
            CodeAndPrivilegeStatements.indexCalls(tokens, dialect, out);
            if (statement instanceof CreateTable || statement instanceof Alter) {
                CodeAndPrivilegeStatements.definitionCalls(tokens, dialect, out);
                if (!(statement instanceof CreateTable create && create.getSelect() != null)) {
                    definitionQueries(statement.toString(), tokens, out, q, scope);
                }
            }
            definition = tokens;
        }
        walkClassified(statement, out, q, scope);
        if (definition != null) {
            CodeAndPrivilegeStatements.markReplace(source != null ? Tokens.of(source, dialect) : definition, out);
            CodeAndPrivilegeStatements.markAttachedCode(source != null ? Tokens.of(source, dialect) : definition, out);
        }
    }

    private void walkClassified(Statement statement, StatementBuilder out, QueryWalker q, Scope scope) {
        if (statement instanceof ParenthesedInsert p) {
            walk(p.getInsert(), out, q, scope);
        } else if (statement instanceof ParenthesedUpdate p) {
            walk(p.getUpdate(), out, q, scope);
        } else if (statement instanceof ParenthesedDelete p) {
            walk(p.getDelete(), out, q, scope);
        } else if (statement instanceof Select select) {
            out.action = Action.SELECT;
            out.resultColumns = resultColumns(q.query(select, scope));
            if (out.action == Action.CREATE) {
                // SELECT … INTO t (the query walker made it a create): what the query selects fills t
                out.copiedColumns = out.resultColumns;
            }
        } else if (statement instanceof Insert insert) {
            dataChanges.insert(insert, out, q, scope);
        } else if (statement instanceof Upsert upsert) {
            dataChanges.upsert(upsert, out, q, scope);
        } else if (statement instanceof Update update) {
            dataChanges.update(update, out, q, scope);
        } else if (statement instanceof Delete delete) {
            dataChanges.delete(delete, out, q, scope);
        } else if (statement instanceof Merge merge) {
            dataChanges.merge(merge, out, q, scope);
        } else if (statement instanceof Drop drop) {
            definitions.drop(drop, out, q);
        } else if (statement instanceof Truncate truncate) {
            out.action = Action.TRUNCATE;
            if (truncate.getTables() != null && !truncate.getTables().isEmpty()) {
                truncate.getTables().forEach(t -> out.tablesWritten.add(q.tableRef(t)));
            } else if (truncate.getTable() != null) {
                out.tablesWritten.add(q.tableRef(truncate.getTable()));
            }
            if (truncate.getCascade() || definitions.hasWord(truncate, "cascade")) {
                out.trait(Trait.CASCADE);
            }
        } else if (statement instanceof Alter alter) {
            definitions.alter(alter, out, q);
            if (dialect == Dialect.POSTGRESQL && out.action == Action.ALTER && !out.traits.contains(Trait.ADDS_ONLY)) {
                // a new type or default rewrites the rows and rebuilds the indexes, VALIDATE CONSTRAINT runs a check
                // over every row: the table's expressions are computed anew over its stored rows
                out.trait(Trait.REEVALUATES_ROWS);
            }
        } else if (statement instanceof CreateTable create) {
            out.action = Action.CREATE;
            out.tablesWritten.add(q.tableRef(create.getTable()));
            if (create.isIfNotExists()) {
                out.trait(Trait.IF_EXISTS);
            }
            if (isTemporary(create)) {
                out.trait(Trait.TEMPORARY);
            }
            if (create.getSelect() != null) {
                out.copiedColumns = resultColumns(q.query(create.getSelect(), scope));
                out.trait(Trait.COPIES_DATA);
            }
            if (create.getLikeTable() != null) {
                out.tablesRead.add(q.tableRef(create.getLikeTable()));
            }
            if (create.getPartitionOf() != null) {
                // PARTITION OF p: the new table takes the parent's columns, and its rows are the parent's
                out.tablesRead.add(q.tableRef(create.getPartitionOf()));
            }
            inheritedParents(create, out);
            exclusionConstraints(create, q.tableRef(create.getTable()), out, q, scope);
            if (dialect == Dialect.MARIADB) {
                TableRef created = q.tableRef(create.getTable());
                DefinitionWalker.mergeUnion(MariaDbTableOptions.unionTables(create.toString(), true, created.schema(),
                        dialect), out);
            }
        } else if (statement instanceof CreateView view) {
            out.action = Action.CREATE;
            out.tablesWritten.add(q.tableRef(view.getView()));
            if (view.getTemporary() != null && view.getTemporary() != TemporaryOption.NONE) {
                // CREATE TEMP VIEW: the session keeps it past the statement and its caller, ahead of the schemas on
                // the search path, where its name may stand for a table's (as a temporary table's does)
                out.trait(Trait.TEMPORARY);
            }
            if (view.getSelect() != null) {
                List<ResultColumn> columns = resultColumns(q.query(view.getSelect(), scope));
                if (view.isMaterialized()) {
                    // a materialized view keeps the rows its query computes (now, or at each REFRESH of a view made
                    // WITH NO DATA), as CREATE TABLE … AS does: what it selects is copied into it
                    out.copiedColumns = columns;
                    out.trait(Trait.COPIES_DATA);
                }
            }
        } else if (statement instanceof AlterView view) {
            out.action = Action.ALTER;
            out.trait(Trait.DROPS_PART); // ALTER VIEW … AS: the view's definition is replaced, whatever it kept out
            out.tablesWritten.add(q.tableRef(view.getView()));
            if (view.getSelect() != null) {
                q.query(view.getSelect(), scope);
            }
        } else if (statement instanceof CreateIndex index) {
            out.action = Action.CREATE;
            TableRef indexed = q.tableRef(index.getTable());
            out.tablesWritten.add(indexed);
            indexedValues(index, indexed, out, q, scope);
        } else if (statement instanceof CreateSchema schema) {
            out.action = Action.CREATE;
            out.tablesWritten.add(new TableRef(q.name(schema.getSchemaName()), "*"));
        } else if (statement instanceof CreateSequence sequence) {
            out.action = Action.CREATE;
            out.tablesWritten.add(definitions.sequenceRef(sequence.getSequence(), q));
        } else if (statement instanceof AlterSequence sequence) {
            out.action = Action.ALTER;
            out.tablesWritten.add(definitions.sequenceRef(sequence.getSequence(), q));
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
            definitions.privileges(statement, out, q);
        } else if (statement instanceof Execute execute) {
            execute(execute, out, q, scope);
        } else if (statement instanceof Analyze analyze) {
            // OTHER on each table (the action carries it), and a read of it, as before
            out.action = Action.OTHER;
            if (analyze.getTables() != null) {
                analyze.getTables().forEach(t -> out.tablesRead.add(q.tableRef(t)));
            }
            out.tablesWritten.addAll(out.tablesRead);
            if (dialect == Dialect.POSTGRESQL) {
                out.trait(Trait.REEVALUATES_ROWS); // it samples the expressions of its tables' indexes
            }
        } else if (statement instanceof Commit || statement instanceof RollbackStatement
                || statement instanceof SavepointStatement) {
            out.action = Action.TRANSACTION;
        } else if (statement instanceof SetStatement set) {
            out.action = Action.SET;
            setValues(set, q, scope, out);
        } else if (statement instanceof ResetStatement || statement instanceof AlterSession) {
            out.action = Action.SET;
        } else if (statement instanceof ShowStatement show && dialect == Dialect.POSTGRESQL) {
            out.action = Action.SHOW;
            // PostgreSQL's SHOW name: one value of a server setting, derived from no table (Flyway reads
            // search_path this way and sets it back later, so a redacted value would break the session). Only a
            // built-in setting on the safe list comes back as it is: a custom setting (SHOW app.x) holds whatever an
            // earlier statement on the connection gave it (set_config('app.x', ssn, false), another borrower's on a
            // pooled connection) or an administrator wrote (ALTER ROLE … SET app.api_key = '…'), a built-in of free text
            // (temp_tablespaces, application_name) what anyone wrote, and SHOW ALL lists them all: untraceable.
            String name = show.getName() == null ? "setting" : show.getName().toLowerCase(java.util.Locale.ROOT);
            String unquoted = name.length() > 1 && name.startsWith("\"") && name.endsWith("\"")
                    ? name.substring(1, name.length() - 1) : name;
            boolean custom = show.getName() == null || !SafeSettings.listed(dialect, unquoted);
            out.resultColumns = List.of(new ResultColumn(1, name, List.of(), List.of(), custom, false, true));
        } else if (statement instanceof DescribeStatement describe) {
            // DESCRIBE t (DESC t): t's definition, a show on t and a read of it (a caller kept from reading t is kept
            // from its columns too)
            out.action = Action.SHOW;
            described(describe.getTable(), out, q);
        } else if (statement instanceof ShowColumnsStatement columns) {
            out.action = Action.SHOW;
            described(columns.getTableName(), out, q);
        } else if (statement instanceof ShowIndexStatement index) {
            out.action = Action.SHOW;
            described(index.getTableName(), out, q);
        } else if (statement instanceof ShowTablesStatement tables) {
            // SHOW TABLES FROM|IN s: the names of s's tables, a show on s.*
            out.action = Action.SHOW;
            if (tables.getDbName() != null) {
                out.tablesWritten.add(new TableRef(q.name(tables.getDbName()), "*"));
            }
        } else if (statement instanceof ShowStatement) {
            out.action = Action.SHOW;
        } else if (statement instanceof ExplainStatement explain) {
            out.action = Action.EXPLAIN;
            if (explain.getStatement() != null) {
                // EXPLAIN ANALYZE runs the statement: whatever it does is nested here.
                out.nest(analyze(explain.getStatement(), scope));
            } else if (explain.getTable() != null) {
                // MariaDB EXPLAIN t: DESCRIBE t
                described(explain.getTable(), out, q);
            }
            // an explain of each table the statement reads or writes: a permit of explain on some tables does not
            // reach others
            out.tablesWritten.addAll(out.tablesRead);
        } else if (statement instanceof UseStatement) {
            out.action = Action.USE;
        } else if (statement instanceof LockStatement lock) {
            // As UnparsedStatementFallback reads the forms the parser does not: a lock on the table, and a read of it.
            out.action = Action.LOCK;
            out.tablesWritten.add(q.tableRef(lock.getTable()));
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
        } else if (statement instanceof PurgeStatement purge) {
            out.action = Action.DROP;
            if (purge.getObject() instanceof Table table) {
                out.tablesWritten.add(q.tableRef(table));
            } else {
                out.tablesWritten.add(new TableRef("*", "*")); // a recycle bin or a tablespace: any table
            }
        } else if (statement instanceof RefreshMaterializedViewStatement refresh) {
            // the view's rows are computed anew (WITH NO DATA: emptied): OTHER on the view; and its definition runs as a
            // query, reading what it reads and calling what it calls: a read of the view
            out.action = Action.OTHER;
            TableRef view = refresh.getView() == null ? new TableRef("*", "*") : q.tableRef(refresh.getView());
            out.tablesWritten.add(view);
            out.tablesRead.add(view);
            out.trait(Trait.REEVALUATES_ROWS); // the view's indexes are built anew over its new rows
        } else if (statement instanceof CreateSynonym synonym) {
            // a second name for the target, by which it may be read or written later: a create of the synonym and a
            // read of the target (a caller kept from reading it may not name it anew)
            out.action = Action.CREATE;
            out.tablesWritten.add(synonymRef(synonym.getSynonym() == null ? null : synonym.getSynonym().getFullyQualifiedName(), q));
            out.tablesRead.add(synonymRef(synonym.getFor(), q));
            out.trait(Trait.RENAMES); // the target's columns, read under the synonym's name, match no pattern naming the target
        } else if (statement instanceof UnsupportedStatement) {
            throw new IllegalStateException("unsupported statement");
        } else if (statement instanceof DeclareStatement) {
            out.action = Action.OTHER;
        } else {
            ReadByClass read = READ_BY_CLASS.get(statement.getClass().getName());
            if (read == null) {
                // a kind of statement no rule above reads (a parser's newer class, or a code, role or settings statement
                // its words did not show): what it does is not known, so it is not guessed from its class's name
                throw new UnreadForm("a " + statement.getClass().getSimpleName() + " statement is not a kind the "
                        + "analysis reads: what it reads, writes or runs is unknown, so it is refused; run it as an "
                        + "administrator outside the governed connection, or write it in a form the analysis reads");
            }
            out.action = read.action();
            switch (read.reach()) {
                case NAMED_OBJECT -> {
                }
                case PUBLISHED_TABLES -> publishedTables(Tokens.of(statement.toString(), dialect), out);
                // a subscription copies rows from another server into the tables its publications name there (also at
                // ALTER … REFRESH PUBLICATION): tables the statement does not name, so any table
                case EVERY_TABLE -> out.tablesWritten.add(new TableRef("*", "*"));
            }
        }
    }

    /**
     * The statements no rule above reads beyond their kind, by the exact name of their class (several of the parser's
     * packages are not exported by its module): each creates or changes a database, a domain, a type, a publication or a
     * subscription (their names and owners read from their words). A class not here, a subclass included, is refused
     * ({@link UnreadForm}).
     */
    private static final Map<String, ReadByClass> READ_BY_CLASS = Map.of(
            "net.sf.jsqlparser.statement.create.database.CreateDatabase", new ReadByClass(Action.CREATE, Reach.NAMED_OBJECT),
            "net.sf.jsqlparser.statement.create.domain.CreateDomain", new ReadByClass(Action.CREATE, Reach.NAMED_OBJECT),
            "net.sf.jsqlparser.statement.alter.AlterDomain", new ReadByClass(Action.ALTER, Reach.NAMED_OBJECT),
            "net.sf.jsqlparser.statement.create.type.CreateType", new ReadByClass(Action.CREATE, Reach.NAMED_OBJECT),
            "net.sf.jsqlparser.statement.alter.AlterType", new ReadByClass(Action.ALTER, Reach.NAMED_OBJECT),
            "net.sf.jsqlparser.statement.create.publication.CreatePublication",
            new ReadByClass(Action.CREATE, Reach.PUBLISHED_TABLES),
            "net.sf.jsqlparser.statement.alter.AlterPublication", new ReadByClass(Action.ALTER, Reach.PUBLISHED_TABLES),
            "net.sf.jsqlparser.statement.create.subscription.CreateSubscription",
            new ReadByClass(Action.CREATE, Reach.EVERY_TABLE),
            "net.sf.jsqlparser.statement.alter.AlterSubscription", new ReadByClass(Action.ALTER, Reach.EVERY_TABLE));

    /** What a statement of {@link #READ_BY_CLASS} is, and which tables it reaches beyond the object it names. */
    private record ReadByClass(Action action, Reach reach) {
    }

    /** The tables a statement read by its class reaches. */
    private enum Reach {
        /** none: it creates or changes the database, domain or type it names */
        NAMED_OBJECT,
        /** the tables its publication names (every table when they cannot be told) */
        PUBLISHED_TABLES,
        /** every table: a subscription writes the tables the other server's publications name */
        EVERY_TABLE
    }

    /**
     * {@code CREATE|ALTER PUBLICATION p FOR|ADD|SET|DROP TABLE a, b}, {@code … TABLES IN SCHEMA s}, {@code … ALL TABLES}:
     * the rows of each table are handed to every subscriber, so the publication's action is on each table (on
     * {@code s.*}, on every table), and each is read. A publication that names no table is on every table, since its
     * tables cannot be told.
     */
    private void publishedTables(Tokens tokens, StatementBuilder out) {
        for (int i = 3; i < tokens.size(); i++) {
            if (tokens.isWord(i, "all") && tokens.isWord(i + 1, "tables")) {
                out.tablesWritten.add(new TableRef("*", "*"));
            } else if (tokens.isWord(i, "tables") && tokens.isWord(i + 1, "in") && tokens.isWord(i + 2, "schema")) {
                for (int j = i + 3; !tokens.nameAt(j).isEmpty(); j += 2) {
                    out.tablesWritten.add(new TableRef(dialect.normalizeIdentifier(tokens.get(j).text()), "*"));
                    if (!tokens.get(j + 1).text().equals(",")) {
                        break;
                    }
                }
            } else if (tokens.isWord(i, "table")) {
                for (int j = i + 1; ; ) {
                    if (tokens.isWord(j, "only")) {
                        j++;
                    }
                    List<String> name = tokens.nameAt(j);
                    if (name.isEmpty()) {
                        break;
                    }
                    out.tablesWritten.add(new TableRef(name.size() > 1 ? dialect.normalizeIdentifier(name.get(name.size() - 2))
                            : null, dialect.normalizeIdentifier(name.get(name.size() - 1))));
                    j += name.size() * 2 - 1;
                    for (int depth = 0; j < tokens.size() && (depth > 0 || !tokens.get(j).text().equals(",")
                            && !tokens.isWord(j, "table")); j++) {
                        // a column list or row filter of the table
                        depth += tokens.get(j).text().equals("(") ? 1 : tokens.get(j).text().equals(")") ? -1 : 0;
                    }
                    if (!tokens.get(j).text().equals(",")) {
                        break;
                    }
                    j++;
                }
            }
        }
        if (out.tablesWritten.isEmpty()) {
            out.tablesWritten.add(new TableRef("*", "*"));
        }
        out.tablesRead.addAll(out.tablesWritten);
    }

    /**
     * The values a {@code SET} assigns: {@code SET @v = (SELECT ssn …)} or {@code SET max_join_size = (SELECT
     * card_number …)} reads tables and copies what it reads into a session variable or setting, which later statements
     * read back ({@code SELECT @v}, {@code SELECT @@max_join_size}) or write anywhere. So the tables count as read
     * and every column beneath a value counts as a value written, as in {@code UPDATE t SET x = expr}. A bare word
     * ({@code SET autocommit = ON}, {@code SET sql_mode = TRADITIONAL}) names a keyword, never a column: a SET has
     * no FROM for a column to come from.
     */
    private static void setValues(SetStatement set, QueryWalker q, Scope scope, StatementBuilder out) {
        for (int i = 0; i < set.getCount(); i++) {
            List<Expression> values = set.getExpressions(i);
            if (values == null) {
                continue;
            }
            boolean valueReadBefore = out.sessionValues.contains(Clause.KEPT);
            for (Expression value : values) {
                if (!(value instanceof net.sf.jsqlparser.schema.Column column) || column.getTable() != null
                        && column.getTable().getName() != null) {
                    q.expression(value, scope, Clause.KEPT, null);
                    out.trait(Trait.KEEPS_VALUE);
                }
            }
            if (!valueReadBefore && isUserVariable(set.getName(i))) {
                // SET @a = @b moves one variable's value to another, as @a := @b does: it writes it nowhere else
                out.sessionValues.remove(Clause.KEPT);
            }
        }
    }

    /**
     * PostgreSQL's {@code INHERITS (p [, …])} among a CREATE TABLE's options: each parent read, as {@code LIKE p} reads
     * it (the new table takes its columns, and its rows are rows of the parent when the parent is read). A clause that
     * cannot be read for certain counts as one of any table.
     */
    private void inheritedParents(CreateTable create, StatementBuilder out) {
        List<String> options = create.getTableOptionsStrings();
        if (options == null || options.stream().noneMatch("inherits"::equalsIgnoreCase)) {
            return;
        }
        Tokens tokens = Tokens.of(String.join(" ", options), dialect);
        int inherits = tokens.indexOfWord("inherits", 0);
        List<TableRef> parents = new java.util.ArrayList<>();
        if (DefinitionWalker.inheritsClause(tokens, inherits, dialect, parents) < 0) {
            out.tablesRead.add(new TableRef(null, "*"));
            return;
        }
        out.tablesRead.addAll(parents);
    }

    /** Whether a CREATE TABLE makes a temporary table: {@code TEMPORARY} or {@code TEMP} among its options, in any case. */
    private static boolean isTemporary(CreateTable create) {
        List<String> options = create.getCreateOptionsStrings();
        return options != null && options.stream().anyMatch(o -> o != null
                && (o.equalsIgnoreCase("temporary") || o.equalsIgnoreCase("temp")));
    }

    /** Whether a SET assigns a user variable ({@code @a}), not a setting ({@code @@x}, {@code max_join_size}). */
    private static boolean isUserVariable(Object name) {
        String text = name == null ? "" : name.toString().trim();
        return text.startsWith("@") && !text.startsWith("@@");
    }

    private void execute(Execute execute, StatementBuilder out, QueryWalker q, Scope scope) {
        String routine = execute.getName();
        List<String> parts = routine == null ? List.of() : Tokens.of(routine, dialect).nameAt(0);
        String bare = parts.isEmpty() ? "" : QueryWalker.routineName(parts.get(parts.size() - 1), dialect);
        Execute.ExecType type = execute.getExecType();
        if (dialect.isH2() && type == Execute.ExecType.CALL && parts.size() == 1
                && H2_SESSION_FUNCTIONS.contains(bare)
                && (execute.getExprList() == null || execute.getExprList().isEmpty())) {
            out.action = Action.SELECT;
            // one value of the session's state, derived from no table
            out.resultColumns = List.of(new ResultColumn(1, bare, List.of(), List.of(), false, false, true));
            return;
        }
        if (dialect.isH2() && type == Execute.ExecType.CALL && routine != null
                && String.join(" ", routine.strip().split("\\s+")).equalsIgnoreCase("NEXT VALUE FOR")
                && execute.getExprList() != null && execute.getExprList().size() == 1
                && execute.getExprList().get(0) instanceof net.sf.jsqlparser.schema.Column) {
            // H2's CALL NEXT VALUE FOR s, which the parser reads as a call of a routine named NEXT VALUE FOR with the
            // sequence as its argument: the query of one value that advances the sequence, as SELECT NEXT VALUE FOR s
            out.action = Action.SELECT;
            out.trait(Trait.ADVANCES_SEQUENCE);
            out.resultColumns = List.of(new ResultColumn(1, "NEXT VALUE FOR", List.of(), List.of(), false, false, true));
            return;
        }
        if (type == Execute.ExecType.CALL || (type == Execute.ExecType.EXEC && !DYNAMIC_PROCEDURES.contains(bare))) {
            out.action = Action.CALL;
        } else {
            out.action = Action.EXECUTE;
            out.trait(Trait.DYNAMIC_SQL);
        }
        if (!parts.isEmpty() && !bare.equals("immediate") && out.action == Action.CALL) {
            boolean listed = RoutineCalls.note(parts, dialect, out);
            if (listed && type == Execute.ExecType.CALL && dialect == Dialect.MARIADB) {
                // MariaDB's CALL runs a stored procedure, never a built-in function, whatever its name: CALL concat(…)
                // runs a procedure named concat the database holds (or fails), so the name is a user routine's here
                // even where a call of it in an expression is the server's own. (H2's CALL evaluates an expression;
                // pgjdbc runs a JDBC {call f(…)} escape, read as this CALL, as SELECT * FROM f(…), where PostgreSQL
                // finds pg_catalog's function first)
                out.routines.add(RoutineCalls.routine(parts, dialect));
            }
        }
        if (execute.getExprList() != null) {
            q.expression(execute.getExprList(), scope, Clause.OTHER, null);
        }
    }

    /**
     * The table whose definition a {@code DESCRIBE}, {@code SHOW COLUMNS|INDEX FROM} or MariaDB {@code EXPLAIN t}
     * shows: a show on it and a read of it.
     */
    private void described(Object table, StatementBuilder out, QueryWalker q) {
        TableRef ref;
        if (table instanceof Table t && t.getName() != null) {
            ref = q.tableRef(t);
        } else if (table instanceof String name && !Tokens.of(name, dialect).nameAt(0).isEmpty()) {
            List<String> parts = Tokens.of(name, dialect).nameAt(0);
            ref = new TableRef(parts.size() > 1 ? dialect.normalizeIdentifier(parts.get(parts.size() - 2)) : null,
                    dialect.normalizeIdentifier(parts.get(parts.size() - 1)));
        } else {
            ref = new TableRef("*", "*"); // a table that cannot be read: any table
        }
        out.tablesWritten.add(ref);
        out.tablesRead.add(ref);
    }

    /** A synonym's name or target as a table; any table when it cannot be read. */
    private TableRef synonymRef(String name, QueryWalker q) {
        List<String> parts = name == null ? List.of() : Tokens.of(name, dialect).nameAt(0);
        if (parts.isEmpty()) {
            return new TableRef("*", "*");
        }
        return new TableRef(parts.size() > 1 ? dialect.normalizeIdentifier(parts.get(parts.size() - 2)) : null,
                dialect.normalizeIdentifier(parts.get(parts.size() - 1)));
    }

    /** Statements with no dedicated handling, classified by what they are called. */
    /**
     * The statements a PostgreSQL rule runs ({@code CREATE [OR REPLACE] RULE r AS ON INSERT TO t DO ALSO INSERT INTO
     * notes SELECT id, ssn FROM people}), nested in the definition as if it ran them: each time {@code t} is written
     * they run, so a harmless write by anyone would copy what they read. A mask on what they copy refuses the definition
     * to those it applies to, and each needs the permits it would need on its own. Actions the parser cannot read are
     * left to the check of the writes of {@code t}, which count as calls of any routine.
     */
    private void ruleActions(String text, Tokens tokens, StatementBuilder out, Scope scope) {
        String actions = CodeAndPrivilegeStatements.ruleActions(tokens, text);
        StatementParser.Result parsed = actions == null ? null : StatementParser.parse(actions, 0);
        if (parsed == null || !parsed.parsed()) {
            return;
        }
        for (Statement action : parsed.statements()) {
            out.nest(analyze(action, scope));
        }
    }

    /**
     * The statement a MariaDB event runs on its schedule ({@code CREATE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP DO
     * INSERT INTO notes SELECT id, ssn FROM people}), as the event's definer, nested in the definition as if it ran it:
     * a mask on what it copies refuses the definition to those it applies to, and it needs the permits it would need on
     * its own. A body that cannot be read makes the definition {@link Trait#UNREAD_BODY}.
     */
    private void eventBody(String text, StatementBuilder out, Scope scope) {
        Tokens tokens = Tokens.of(text, dialect);
        CodeAndPrivilegeStatements.EventBody body = CodeAndPrivilegeStatements.eventBody(tokens, text);
        if (body == null || body.read() && body.statements().isEmpty()) {
            return;
        }
        if (!body.read()) {
            out.trait(Trait.UNREAD_BODY);
            return;
        }
        List<StatementAnalysis> nested = new ArrayList<>();
        for (String statement : body.statements()) {
            StatementParser.Result parsed = StatementParser.parse(statement, 0);
            if (!parsed.parsed() || parsed.statements().size() != 1) {
                out.trait(Trait.UNREAD_BODY);
                return;
            }
            nested.addAll(analyze(parsed.statements().get(0), scope));
        }
        out.nest(nested);
    }

    /** The words that start a query in parentheses: a subquery. */
    private static final Set<String> QUERY_WORDS = Set.of("select", "with", "values", "table");

    /**
     * The queries in the expressions of a table's definition ({@code DEFAULT (SELECT ssn FROM people …)}, {@code ON
     * UPDATE (SELECT …)}, {@code CHECK (note <> (SELECT …))}, a generated column's {@code AS (…)}), which H2 accepts in a
     * {@code CREATE TABLE} or an {@code ALTER TABLE}: the database runs them on each row written later (a harmless
     * {@code INSERT} fills the column with what the query reads) or on the rows there are, so what they select is
     * copied into the table, as by {@code CREATE TABLE … AS SELECT}, and a mask on it refuses the definition for those
     * it applies to. A query the parser cannot read is refused as read otherwise than checked.
     */
    private void definitionQueries(String text, Tokens tokens, StatementBuilder out, QueryWalker q, Scope scope) {
        List<ResultColumn> copied = new ArrayList<>(out.copiedColumns);
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Tokens.Token open = tokens.get(i);
            if (open.kind() != TokenSpacing.Kind.SYMBOL || !open.text().equals("(") || tokens.get(i + 1).kind()
                    != TokenSpacing.Kind.WORD || !QUERY_WORDS.contains(tokens.get(i + 1).text())) {
                continue;
            }
            int depth = 0;
            int close = -1;
            for (int j = i; j < tokens.size() && close < 0; j++) {
                Tokens.Token t = tokens.get(j);
                if (t.kind() == TokenSpacing.Kind.SYMBOL && t.text().equals("(")) {
                    depth++;
                } else if (t.kind() == TokenSpacing.Kind.SYMBOL && t.text().equals(")") && --depth == 0) {
                    close = j;
                }
            }
            String query = close < 0 ? null : text.substring(tokens.get(i + 1).offset(), tokens.get(close).offset());
            StatementParser.Result parsed = query == null ? null : StatementParser.parse(query, 0);
            if (parsed == null || !parsed.parsed() || parsed.statements().size() != 1
                    || !(parsed.statements().get(0) instanceof Select select)) {
                throw new MisreadStatement("a query in the definition of a table (a column's default, a check, a"
                        + " generated column) could not be read, so what it copies into the table cannot be checked");
            }
            copied.addAll(resultColumns(q.query(select, scope)));
            i = close;
        }
        out.copiedColumns = copied;
    }

    static List<ResultColumn> resultColumns(List<OutputColumn> outputs) {
        List<ResultColumn> columns = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            OutputColumn c = outputs.get(i);
            Lineage l = c.lineage();
            columns.add(new ResultColumn(i + 1, c.label(), new ArrayList<>(l.sources), new ArrayList<>(l.allColumnsOf),
                    l.unknown, c.aggregateOnly(), l.transformed));
        }
        return columns;
    }

    /**
     * What building an index does with the rows already in its table, which the requester learns from whether it
     * succeeds: a unique index compares its columns' values with each other ({@link Clause#COMPARED}: whether two rows
     * share one), an index on an expression computes that expression on every row ({@link Clause#COMPUTED}: a division
     * by zero or a failed cast answers a question about the values), and a partial index tests its {@code WHERE} on
     * every row (a filter). A mask's {@code deny-inference} then decides, as for {@code ALTER TABLE … ADD UNIQUE} or a
     * query. An index of plain columns that is not unique tests nothing. An index whose columns cannot be read as a
     * column or an expression counts as computing on every column of the table.
     */
    private void indexedValues(CreateIndex create, TableRef table, StatementBuilder out, QueryWalker q, Scope outer) {
        net.sf.jsqlparser.statement.create.table.Index index = create.getIndex();
        Scope scope = new Scope(outer, dialect);
        scope.add(Relation.base(table.name(), table));
        boolean unique = index != null && index.getType() != null
                && index.getType().toUpperCase(java.util.Locale.ROOT).contains("UNIQUE");
        for (net.sf.jsqlparser.statement.create.table.Index.ColumnParams column
                : index == null || index.getColumns() == null ? List.<net.sf.jsqlparser.statement.create.table.Index.ColumnParams>of()
                : index.getColumns()) {
            Expression call = indexedCall(column);
            if (column.isExpression() && column.getExpression() != null) {
                q.expression(column.getExpression(), scope, unique ? Clause.COMPARED : Clause.COMPUTED, null);
            } else if (call != null) {
                // f(a) opclass: the parser keeps f as the item's column and (a) as its first option
                q.expression(call, scope, unique ? Clause.COMPARED : Clause.COMPUTED, null);
            } else if (column.getColumnName() != null && Tokens.of(column.getColumnName(), dialect).nameAt(0).size() == 1) {
                if (unique) {
                    out.columns.add(new ColumnRef(table, dialect.normalizeIdentifier(
                            Tokens.of(column.getColumnName(), dialect).nameAt(0).get(0)), Clause.COMPARED));
                }
            } else {
                out.columns.add(new ColumnRef(table, ColumnRef.ALL_COLUMNS, Clause.COMPUTED));
            }
        }
        if (create.getWhere() != null) {
            q.expression(create.getWhere(), scope, Clause.WHERE, null);
        }
    }

    /**
     * A PostgreSQL exclusion constraint of a new table ({@code EXCLUDE USING gist (room WITH =, during WITH &&) [WHERE
     * (p)]}), which the parser keeps as item texts: read as the unique index the database builds for it, each item's
     * {@code WITH operator} dropped (see {@link #indexedValues}): its items compared, the routines its expressions call
     * recorded (they run on every write of the table), its predicate a filter. An item that cannot be read so refuses
     * the statement.
     */
    private void exclusionConstraints(CreateTable create, TableRef table, StatementBuilder out, QueryWalker q,
                                      Scope scope) {
        if (create.getIndexes() == null) {
            return;
        }
        for (net.sf.jsqlparser.statement.create.table.Index index : create.getIndexes()) {
            if (!(index instanceof net.sf.jsqlparser.statement.create.table.ExcludeConstraint exclude)) {
                continue;
            }
            List<String> items = new ArrayList<>();
            for (String item : exclude.getColumnsNames() == null ? List.<String>of() : exclude.getColumnsNames()) {
                String element = exclusionElement(item, dialect);
                if (element == null) {
                    throw new MisreadStatement("an item of an EXCLUDE constraint could not be read as an element"
                            + " followed by WITH and an operator; write it as (expression) WITH operator");
                }
                items.add(element);
            }
            if (items.isEmpty()) {
                throw new MisreadStatement("an EXCLUDE constraint without a list of items is not read; write"
                        + " EXCLUDE [USING method] (element WITH operator, …) [WHERE (predicate)]");
            }
            String sql = "CREATE UNIQUE INDEX governed_exclusion ON governed_exclusion_table (" + String.join(", ", items)
                    + ")" + (exclude.getExpression() == null ? "" : " WHERE " + exclude.getExpression());
            CreateIndex read;
            try {
                read = (CreateIndex) net.sf.jsqlparser.parser.CCJSqlParserUtil.parse(sql);
            } catch (net.sf.jsqlparser.JSQLParserException | RuntimeException e) {
                throw new MisreadStatement("an EXCLUDE constraint's items could not be read; write each as a column or"
                        + " (expression), an operator class, WITH and an operator");
            }
            StatementBuilder exclusion = new StatementBuilder(Action.CREATE);
            indexedValues(read, table, exclusion, q, scope);
            out.columns.addAll(exclusion.columns);
        }
    }

    /**
     * An exclusion constraint's item without its {@code WITH operator} ({@code during WITH &&}: {@code during}), or
     * {@code null} when it does not end in one.
     */
    static String exclusionElement(String item, Dialect dialect) {
        Tokens tokens = Tokens.of(item, dialect);
        int depth = 0;
        int with = -1;
        for (int i = 0; i < tokens.size(); i++) {
            String text = tokens.get(i).text();
            if (tokens.get(i).kind() == TokenSpacing.Kind.SYMBOL && text.equals("(")) {
                depth++;
            } else if (tokens.get(i).kind() == TokenSpacing.Kind.SYMBOL && text.equals(")")) {
                depth--;
            } else if (depth == 0 && tokens.isWord(i, "with")) {
                with = i;
            }
        }
        if (with <= 0 || with + 1 >= tokens.size()) {
            return null;
        }
        for (int i = with + 1; i < tokens.size(); i++) {
            if (tokens.get(i).kind() != TokenSpacing.Kind.SYMBOL || tokens.get(i).text().equals("(")
                    || tokens.get(i).text().equals(")") || tokens.get(i).text().equals(",")) {
                return null; // an operator is symbols; OPERATOR(schema.op) is not read
            }
        }
        return item.substring(0, tokens.get(with).offset()).strip();
    }

    /** The words that may follow an index item without changing what it computes: its order and its nulls' place. */
    private static final Set<String> INDEX_ITEM_ORDER = Set.of("asc", "desc", "nulls", "first", "last");

    /**
     * An index item the parser read as a column with options where it is a call ({@code lower(email)}, {@code
     * lower(email) text_pattern_ops}: the column {@code lower} with the options {@code (email)} and {@code
     * text_pattern_ops}): the call, read again as an expression; {@code null} for an item that is no such call, and for
     * MariaDB's prefix length ({@code name(10)}, the column {@code name}: MariaDB has no index items of expressions). The
     * options after the call may only be an operator class, a collation and the order words; anything else (a cast, an
     * operator, a second list: forms the databases refuse) is not read.
     */
    private Expression indexedCall(net.sf.jsqlparser.statement.create.table.Index.ColumnParams column) {
        List<String> params = column.getParams();
        if (column.isExpression() || column.getColumnName() == null || params == null || params.isEmpty()
                || !params.get(0).startsWith("(")) {
            return null;
        }
        if (dialect == Dialect.MARIADB && params.get(0).matches("\\(\\s*[0-9]+\\s*\\)")) {
            return null;
        }
        boolean opclass = false;
        for (int i = 1; i < params.size(); i++) {
            String param = params.get(i);
            String word = param.toLowerCase(java.util.Locale.ROOT);
            if (word.equals("collate") && i + 1 < params.size() && Tokens.of(params.get(i + 1), dialect).nameAt(0).size()
                    >= 1) {
                i++;
            } else if (INDEX_ITEM_ORDER.contains(word)) {
                continue;
            } else if (!opclass && Tokens.of(param, dialect).nameAt(0).size() >= 1
                    && Tokens.of(param, dialect).size() == Tokens.of(param, dialect).nameAt(0).size() * 2 - 1) {
                opclass = true; // an operator class, which may be qualified
            } else {
                throw new MisreadStatement("an index item holds " + param + " after a call, which the analysis does not"
                        + " read; write an expression other than a plain call in parentheses: ((expression))");
            }
        }
        try {
            return net.sf.jsqlparser.parser.CCJSqlParserUtil.parseExpression(column.getColumnName() + params.get(0));
        } catch (net.sf.jsqlparser.JSQLParserException | RuntimeException e) {
            throw new MisreadStatement("an index item " + column.getColumnName() + "(…) could not be read as a call;"
                    + " write it as an expression in parentheses: ((expression))");
        }
    }
}
