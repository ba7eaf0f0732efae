package io.governed.jdbc.pipeline;

import io.governed.sql.names.NameResolver;
import io.governed.sql.names.AnalysisResolution;
import io.governed.sql.TableRef;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.SqlAnalysis;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.metrics.GovernanceMetrics;
import io.governed.policy.Decision;
import io.governed.policy.engine.PolicyEngine;
import io.governed.sql.RowFilterRewriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Row filters: after the decision, a statement of a caller some row filters restrict is rewritten so that
 * every reference to a filtered table sees only the rows the filters admit ({@link RowFilterRewriter}); the
 * identity's values are bound as parameters. The wrapper runs the rewrite in place of the SQL, as a prepared
 * statement; the decision (and so the audit event) names the filters applied.
 *
 * <p>An INSERT into a filtered table runs (as written, or as rewritten when it selects its rows or updates on a
 * conflict) after the wrapper's {@link NewRowCheck} found that every new row passes the filters (the database evaluates
 * them with the rows' values bound; for an INSERT … SELECT, that no selected row is left out); a row that does not
 * refuses it. A MERGE into a filtered table runs as its rewrite, after the same check of the row its insert branch adds.
 *
 * <p>A query whose results are updatable gets the filters of its one table in its WHERE when it reads that table
 * alone, so that it stays updatable; a row write through its result set is allowed as the result set governs it
 * (an UPDATE or DELETE of a row it read, for a caller whose filters make the same query; an INSERT whose new row
 * passes the filters).
 *
 * <p>Fails closed: a statement on a filtered table that cannot be rewritten for certain, that needs an identity
 * attribute the caller lacks, or that comes through a JDBC call that cannot run a rewrite yet (a callable statement,
 * a row write through any other result set) is denied, naming the filter. A prepared statement
 * is prepared as its rewrite; it runs only for callers whose filters make the same statement, with their values bound
 * at each execution (and each {@code addBatch}). A statement run or prepared with generated keys has its rewrite prepared with the same request for keys, so the driver returns
 * the keys of the rows the rewrite changed; they are masked as the statement written, analysed with the driver's
 * RETURNING list, once the rewrite analysed with that list is found to return the same columns.
 */
public final class RowFilterStage extends PipelineStage {
    /** Views defined over views are followed this deep. */
    private static final int MAXIMUM_VIEW_DEPTH = 8;

    private final PolicyEngine engine;
    private final GovernanceMetrics metrics;
    /** Analyses of views' definitions. */
    private final SqlAnalyzer views = new SqlAnalyzer(1_000);
    /** Rewrites by text and what the caller's filters read of the caller: a kept statement is rewritten once. */
    private final io.governed.sql.RowFilterRewriteCache rewrites = new io.governed.sql.RowFilterRewriteCache();

    /**
     * @param engine  whose row filters apply
     * @param metrics counts rewrites and refusals, or {@code null}
     */
    public RowFilterStage(PolicyEngine engine, GovernanceMetrics metrics) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.metrics = metrics;
    }

    /** Whether {@code policy} has row filters: without any, no statement is rewritten and the stage is left out. */
    public static boolean needed(io.governed.policy.Policy policy) {
        return policy != null && !policy.rowFilters().isEmpty();
    }

    @Override
    public void enter(Execution execution) throws GovernanceException {
        try {
            restrict(execution);
        } catch (GovernanceException refused) {
            count(false);
            throw refused;
        }
        if (execution.rowFilterRewrite() != null) {
            count(true);
        }
    }

    private void count(boolean rewritten) {
        if (metrics != null) {
            metrics.rowFilterRewrite(rewritten);
        }
    }

    private void restrict(Execution execution) throws GovernanceException {
        List<RowFilterRewriter.Filter> filters = engine.rowFiltersFor(execution.identity(), execution.dialect());
        if (!filters.isEmpty()) {
            refuseViewsOverFilteredTables(execution, filters);
            refusePartitionsOfFilteredTables(execution, filters);
        }
        if (execution.rowWrite() != null && !execution.rowWrite().kind().equals("INSERT")) {
            restrictRowWrite(execution, filters);
            return;
        }
        RowFilterRewriter.Rewrite rewrite;
        try {
            rewrite = filters.isEmpty() ? null : rewrites.rewrite(rewrittenText(execution).sql(),
                    execution.dialect(), filters, execution.identity(), execution.resultsUpdatable(), columnTypes(execution));
            if (rewrite != null && execution.preparedExecution() && !execution.resultsUpdatable()
                    && !Objects.equals(rewrite.sql(), execution.preparedAs())) {
                // a query prepared with updatable results was prepared with its filters in its WHERE
                RowFilterRewriter.Rewrite forUpdate = rewrites.rewrite(rewrittenText(execution).sql(),
                        execution.dialect(), filters, execution.identity(), true, columnTypes(execution));
                if (forUpdate != null && forUpdate.readInPlace() && Objects.equals(forUpdate.sql(), execution.preparedAs())) {
                    rewrite = forUpdate;
                }
            }
        } catch (RowFilterRewriter.RefusedException refused) {
            throw denied(refused.filters(), "it touches a row-filtered table and " + refused.getMessage()
                    + "; nothing was sent to the database");
        }
        if (rewrite != null && execution.byName() != null && !(rewrite.unchanged() && rewrite.checks().isEmpty())) {
            // the database runs the statement as it was prepared, by name: there is no text here to rewrite
            throw denied(rewrite.filters(), "it runs by name (EXECUTE) a statement prepared on the session that reads or "
                    + "writes a row-filtered table, and the database runs it as prepared, which the filter cannot "
                    + "rewrite; run the statement itself, which is rewritten with the filter; nothing was sent to the "
                    + "database");
        }
        if (rewrite != null) {
            refuseShadowedBuiltIns(execution, rewrite);
        }
        if (execution.rowWrite() != null && (rewrite == null || rewrite.checks().isEmpty())) {
            throw denied(execution.rowWrite().read().filters(), "the row inserted through the updatable result set cannot "
                    + "be checked against the filter the result set was read under (the caller's filters no longer apply to "
                    + "the table, or the table the driver names is not recognised as the filtered one); read the rows again "
                    + "as this caller, or run an INSERT statement; nothing was sent to the database");
        }
        if (execution.preparedExecution()) {
            checkPrepared(execution, rewrite);
        }
        if (rewrite == null) {
            List<String> expected = filters.isEmpty() ? List.of()
                    : engine.rowFiltersApplying(execution.identity(), execution.resolvedAnalysis());
            if (!expected.isEmpty()) {
                throw denied(expected, "the analysis finds a row-filtered table in it that the rewrite cannot restrict; "
                        + "nothing was sent to the database");
            }
            return;
        }
        boolean checksRows = !rewrite.checks().isEmpty();
        if (execution.callKind() == io.governed.jdbc.gate.CallKind.ROW_WRITE && execution.rowWrite() == null) {
            throw denied(rewrite.filters(), "it writes a row through an updatable result set, which is governed on a "
                    + "row-filtered table only when the result set was read from that table alone (SELECT … FROM the "
                    + "table [WHERE …], without joins, set operations or WITH) by a statement created or prepared with "
                    + "CONCUR_UPDATABLE; read the rows that way, or run an UPDATE, INSERT or DELETE statement; nothing was "
                    + "sent to the database");
        }
        if (checksRows && execution.newRowCheck() == null) {
            String statement = isMerge(execution) ? "MERGE" : "INSERT";
            throw denied(rewrite.filters(), (isMerge(execution) ? "its WHEN NOT MATCHED THEN INSERT inserts" : "it inserts")
                    + " into a row-filtered table, whose new rows are checked against the "
                    + "filter through Statement.executeUpdate, execute and addBatch and through prepared statements (also "
                    + "with generated keys, and their batches), not through " + execution.callKind()
                    + "; run the " + statement + " through one of those; nothing was sent to the database");
        }
        if (!execution.acceptsRewrite() && !(rewrite.unchanged() && checksRows)) {
            throw denied(rewrite.filters(), "row-filtered statements run through Statement.executeQuery, execute, "
                    + "executeUpdate, executeLargeUpdate (also with generated keys) and addBatch, and through prepared statements "
                    + "(also prepared with generated keys, and their batches) for now, not through "
                    + execution.callKind() + "; nothing was sent to the database");
        }
        if (!rewrite.unchanged() && execution.generatedKeys().requested()) {
            checkKeysTraceable(execution, rewrite);
        }
        if (checksRows && (execution.runs() || execution.rowWrite() != null)) {
            checkNewRows(execution, rewrite);
        }
        Decision allowed = execution.decision();
        List<String> rules = new ArrayList<>(allowed.rules());
        rewrite.filters().stream().filter(id -> !rules.contains(id)).forEach(rules::add);
        execution.decision(Decision.allow(rules, allowed.reason()));
        execution.rowFilterRewrite(rewrite);
    }

    /**
     * The filters' conditions are written into the statement (and into the checks of new rows), where the database
     * resolves their functions and operators as it resolves the application's own: on PostgreSQL through the session's
     * search path, which may find a function or operator of user code before the built-in ({@code public.=(text, text)}
     * ahead of {@code pg_catalog}, making {@code tenant_id = 't1'} true for every row). The decision refused such names
     * in the statement as written; the rewrite and its checks are held to the same catalog reading
     * ({@link io.governed.sql.RoutineCatalog#shadowedBuiltInIn}), so a filter never runs on a name user code defines too.
     */
    private static void refuseShadowedBuiltIns(Execution execution, RowFilterRewriter.Rewrite rewrite)
            throws GovernanceException {
        String shadowed = rewrite.unchanged() ? null : execution.routines().shadowedBuiltInIn(rewrite.sql());
        for (RowFilterRewriter.RowCheck check : rewrite.checks()) {
            if (shadowed == null) {
                shadowed = execution.routines().shadowedBuiltInIn(check.condition());
            }
        }
        if (shadowed != null) {
            throw denied(rewrite.filters(), "its row filter's condition, written into the statement, names " + shadowed
                    + ", which a function or operator outside pg_catalog also defines or overloads: the database could run"
                    + " that code in place of the built-in the filter means (the session's search path may find it"
                    + " first) and let through rows the filter holds back. Drop or rename that function or operator,"
                    + " or keep its schema out of the search path of the connections the filter applies to; nothing was"
                    + " sent to the database");
        }
    }

    /**
     * An {@code updateRow} or {@code deleteRow} through a result set read with the filters in its WHERE acts on a row the
     * filters admitted when it was read (its filters' columns cannot be updated through it: the result set refuses
     * that), so it is allowed for a caller whose filters make the same query with the same values; any other caller
     * is refused.
     */
    private void restrictRowWrite(Execution execution, List<RowFilterRewriter.Filter> filters) throws GovernanceException {
        Execution.RowWrite write = execution.rowWrite();
        RowFilterRewriter.Rewrite read = write.read();
        RowFilterRewriter.Rewrite now;
        try {
            now = filters.isEmpty() ? null : rewrites.rewrite(write.readSql(), execution.dialect(), filters,
                    execution.identity(), true, columnTypes(execution));
        } catch (RowFilterRewriter.RefusedException refused) {
            now = null;
        }
        if (now == null || !now.readInPlace() || !now.sql().equals(read.sql())
                || !boundValues(now).equals(boundValues(read))) {
            throw denied(read.filters(), "the row was read through an updatable result set under other row filters (or "
                    + "other values of them) than restrict the caller now; read the row again as this caller; nothing "
                    + "was sent to the database");
        }
        Decision allowed = execution.decision();
        List<String> rules = new ArrayList<>(allowed.rules());
        read.filters().stream().filter(id -> !rules.contains(id)).forEach(rules::add);
        execution.decision(Decision.allow(rules, allowed.reason()));
    }

    /**
     * The text rewritten: a statement run with generated keys is rewritten as the application wrote it, and the
     * rewrite is prepared with the same request for keys, so the driver adds to it what it adds to the SQL (its
     * RETURNING list); the statement as analysed, with that list, is what the decision and the masks saw.
     */
    private static io.governed.jdbc.gate.SqlText rewrittenText(Execution execution) {
        return execution.generatedKeys().requested() ? execution.sql() : execution.analysedSql();
    }

    /**
     * The generated keys of a rewrite are masked as the statement written was analysed with the driver's RETURNING
     * list: that holds only when the rewrite, analysed with the same list, returns the same columns from the same
     * tables and writes the same table; otherwise the statement is refused.
     */
    private static void checkKeysTraceable(Execution execution, RowFilterRewriter.Rewrite rewrite) throws GovernanceException {
        SqlAnalysis written = execution.analysis();
        SqlAnalysis rewritten = execution.analysisOf(execution.analysedTextOf(new io.governed.jdbc.gate.SqlText(rewrite.sql())));
        if (!written.parsed() || !rewritten.parsed() || written.statements().size() != 1
                || rewritten.statements().size() != 1
                || !written.statements().get(0).resultColumns().equals(rewritten.statements().get(0).resultColumns())
                || !written.statements().get(0).tablesWritten().equals(rewritten.statements().get(0).tablesWritten())) {
            if (isMerge(execution)) {
                throw denied(rewrite.filters(), "its generated keys (" + execution.generatedKeys() + ") could not be "
                        + "traced through the rewrite of the MERGE (the filter is added to its ON condition) to the columns "
                        + "they come from; run the MERGE without generated keys and read the rows it changed with a SELECT; "
                        + "nothing was sent to the database");
            }
            throw denied(rewrite.filters(), "its generated keys (" + execution.generatedKeys() + ") could not be traced "
                    + "through the rewrite to the columns they come from; run it without generated keys and read the "
                    + "rows with a SELECT; nothing was sent to the database");
        }
    }

    /** Whether the statement is a MERGE (whose new rows are those of its WHEN NOT MATCHED THEN INSERT). */
    private static boolean isMerge(Execution execution) {
        return isMerge(execution.analysis()) || isMerge(execution.analysisOf(execution.sql()));
    }

    private static boolean isMerge(SqlAnalysis analysis) {
        // a MERGE's branches follow it as statements of their own
        return analysis != null && !analysis.statements().isEmpty()
                && analysis.statements().get(0).action() == io.governed.sql.Action.MERGE;
    }

    /**
     * Every new row must pass every filter of the table, as the database evaluates it, before the INSERT (or the MERGE
     * whose WHEN NOT MATCHED THEN INSERT adds it) runs.
     */
    private static void checkNewRows(Execution execution, RowFilterRewriter.Rewrite rewrite) throws GovernanceException {
        List<String> ids = rewrite.checks().stream().map(RowFilterRewriter.RowCheck::filter).distinct().toList();
        boolean merge = isMerge(execution);
        String nothing = merge ? "the MERGE did not run, nothing was changed" : "nothing was inserted";
        List<String> failing;
        try {
            failing = execution.newRowCheck().failing(rewrite.checks());
        } catch (NewRowCheck.Unchecked unchecked) {
            throw denied(ids, "its new rows must pass the filter, and " + unchecked.getMessage()
                    + "; nothing was sent to the database");
        } catch (java.sql.SQLException failed) {
            throw denied(ids, "its new rows must pass the filter, and the database could not evaluate the filter for them "
                    + "(SQLState " + failed.getSQLState() + "); give the filter's columns values of their own types; "
                    + nothing);
        }
        if (!failing.isEmpty()) {
            throw denied(failing, (merge ? "the row its WHEN NOT MATCHED THEN INSERT adds" : "a row it inserts")
                    + " does not pass the filter (it would be another's row, or the filter is NULL for it); "
                    + (merge ? "give the MERGE's INSERT only values the filter admits; " : "insert only rows the filter admits; ")
                    + nothing);
        }
    }

    /**
     * The rewrite restricts the tables a statement names, not those a view it reads is defined over: a view
     * over a filtered table (directly or through other views, as the session's catalog defines them) is
     * refused to a caller the filter restricts, and so is a view whose definition cannot be analysed.
     *
     * <p>Nor does it restrict a relation that is neither a table nor a view ({@link NameResolver.RelationKind#OTHER}: a
     * foreign table, which may point back at a filtered table of the same database, an H2 synonym or linked table, a
     * MariaDB MERGE, FEDERATED or CONNECT table): its rows cannot be traced to a table, so they may be a
     * filtered table's, all of them. Reading or writing one (named by the statement, or read by a view it reads) is
     * refused to a caller any row filter restricts; and so is a relation whose kind the catalog lookup failed to tell.
     * A sequence holds its own state alone, and is read as a table is.
     *
     * <p>A name the resolution leaves without a schema (it could be in a schema no one can name: a statement after a
     * {@code SET search_path} of the same text, a search path or catalog that could not be read) is held to every
     * relation of that name the database holds, in any schema ({@link NameResolver#schemasNaming}): it is refused unless
     * each is a table or a sequence (a relation of the database's own schemas checked as that relation), and refused
     * when which schemas hold one cannot be read (on the databases whose catalog the driver reads).
     */
    private void refuseViewsOverFilteredTables(Execution execution, List<RowFilterRewriter.Filter> filters)
            throws GovernanceException {
        SqlAnalysis resolved = execution.resolvedAnalysis();
        if (execution.names() == null || resolved == null || !resolved.parsed()) {
            return;
        }
        NameResolver session = execution.names().current();
        List<String> ids = filters.stream().map(RowFilterRewriter.Filter::id).distinct().toList();
        for (StatementAnalysis statement : resolved.statements()) {
            for (TableRef table : statement.tablesRead()) {
                checkView(execution, session, table, 0, ids);
            }
            for (TableRef table : statement.tablesWritten()) {
                checkKind(execution.dialect(), session, table, ids, "writes");
            }
        }
    }

    /**
     * Refuses a relation of kind {@code OTHER}, or of a kind the catalog lookup could not tell, to the filtered caller.
     * A relation of the database's own schemas is judged by {@link io.governed.sql.SystemRelations}' listing of what
     * each holds instead (MariaDB's reader calls its system views {@code OTHER}).
     */
    private static void checkKind(io.governed.sql.Dialect dialect, NameResolver session, TableRef table, List<String> ids,
                                  String does) throws GovernanceException {
        if (table.schema() == null) {
            for (TableRef candidate : uncertain(dialect, session, table, ids, does)) {
                checkKind(dialect, session, candidate, ids, does);
            }
            return;
        }
        if (io.governed.sql.SystemRelations.inSystemSchema(dialect, table)) {
            return;
        }
        String relation = table.schema() + "." + table.name();
        NameResolver.RelationKind kind = session.relationKind(table.schema(), table.name());
        String how = "read tenant-scoped rows from the row-filtered table itself (its filter restricts them), or have an "
                + "identity no row filter applies to use " + relation + "; nothing was sent to the database";
        if (kind == NameResolver.RelationKind.OTHER) {
            throw denied(ids, "it " + does + " " + relation + ", which is neither a table nor a view (a foreign table, a "
                    + "synonym or linked table, a MERGE, FEDERATED or CONNECT table, say): its rows cannot be traced to a "
                    + "table, and may be a row-filtered table's, which the filter does not restrict under another name; "
                    + how);
        }
        if (kind == null && session.viewDefinitionUnknown(table.schema(), table.name())) {
            // no kind is "no such relation" only when the catalog said so: a lookup that failed proves nothing
            throw denied(ids, "it " + does + " " + relation + ", and what that relation is could not be read from the "
                    + "catalog (a lock another session holds, or a timeout, say), so its rows cannot be traced to a table "
                    + "and may be a row-filtered table's; run the statement again once the catalog can be read, or "
                    + how);
        }
    }

    /**
     * The relations of the database's own schemas that an unqualified {@code table} the resolution could not place for
     * certain may be, to be checked as they are; refuses it when the catalog does not show every other relation of that
     * name, in any schema, to be a table or a sequence: it may be that relation in a schema the driver cannot name, a
     * view over a filtered table or a relation whose rows cannot be traced to a table, which the filter does not restrict.
     */
    private static List<TableRef> uncertain(io.governed.sql.Dialect dialect, NameResolver session, TableRef table,
                                            List<String> ids, String does)
            throws GovernanceException {
        if (!dialect.catalogRead()) {
            return List.of(); // a database whose catalog the driver does not read: no relation's kind is told, named or not
        }
        String name = table.name();
        String how = "qualify the name with its schema (schema." + name + "), or run the statement in a text of its own "
                + "(not after a statement that changes the search path or schema); nothing was sent to the database";
        java.util.Set<String> schemas = session.schemasNaming(name);
        if (schemas == null) {
            throw denied(ids, "it " + does + " " + name + ", a name the driver cannot place in a schema for certain, and "
                    + "which schemas hold a relation of that name could not be read from the catalog: it may be a view "
                    + "over a row-filtered table, or a relation that is neither a table nor a view (a foreign table, a "
                    + "synonym or linked table, a MERGE table, say) whose rows the filter does not restrict; " + how);
        }
        List<TableRef> system = new ArrayList<>();
        for (String schema : new java.util.TreeSet<>(schemas)) {
            TableRef candidate = new TableRef(schema, name);
            if (io.governed.sql.SystemRelations.inSystemSchema(dialect, candidate)) {
                system.add(candidate);
            } else if (!session.holdsOwnRowsOnly(schema, name)) {
                NameResolver.RelationKind kind = session.relationKind(schema, name);
                throw denied(ids, "it " + does + " " + name + ", a name the driver cannot place in a schema for certain, "
                        + "and it may be " + schema + "." + name + ", which is " + (kind == NameResolver.RelationKind.VIEW
                        ? "a view (that may read a row-filtered table, which the filter does not restrict through it)"
                        : kind == NameResolver.RelationKind.OTHER ? "neither a table nor a view (a foreign table, a "
                        + "synonym or linked table, a MERGE table, say): its rows cannot be traced to a table, and may be "
                        + "a row-filtered table's" : "a relation whose kind could not be read from the catalog") + "; " + how);
            }
        }
        return system;
    }

    private void checkView(Execution execution, NameResolver session, TableRef table, int depth, List<String> ids)
            throws GovernanceException {
        if (table.schema() == null) {
            String does = depth == 0 ? "reads" : "reads a view defined over";
            for (TableRef candidate : uncertain(execution.dialect(), session, table, ids, does)) {
                checkView(execution, session, candidate, depth, ids);
            }
            return;
        }
        checkKind(execution.dialect(), session, table, ids, depth == 0 ? "reads" : "reads a view defined over");
        String definition = session.viewDefinition(table.schema(), table.name());
        String view = table.schema() + "." + table.name();
        List<String> all = engine.policy().rowFilters().stream().map(f -> f.id()).toList();
        if (definition == null && session.viewDefinitionUnknown(table.schema(), table.name())) {
            // "no definition" is "no view" only when the catalog said so: a lookup that failed proves nothing
            throw denied(all, "it reads " + view + ", and whether that is a view, and so whether its definition reads a "
                    + "row-filtered table, could not be read from the catalog (a lock another session holds on what the "
                    + "view reads, or a timeout, say); run the statement again once that lock is released, or read the "
                    + "table itself; nothing was sent to the database");
        }
        if (definition == null) {
            return;
        }
        if (depth >= MAXIMUM_VIEW_DEPTH) {
            throw denied(all, "it reads view " + view + ", defined over more views than the analysis follows, which may "
                    + "read a row-filtered table; nothing was sent to the database");
        }
        SqlAnalysis defined = AnalysisResolution.resolve(views.analyze(definition, execution.dialect()), session);
        if (!defined.parsed()) {
            throw denied(all, "it reads view " + view + ", whose definition cannot be analysed, so whether it reads a "
                    + "row-filtered table is not known; nothing was sent to the database");
        }
        List<String> applying = engine.rowFiltersApplying(execution.identity(), defined);
        if (!applying.isEmpty()) {
            throw denied(applying, "it reads view " + view + ", which is defined over a row-filtered table, and row "
                    + "filters do not reach through views; read the table itself; nothing was sent to the database");
        }
        for (StatementAnalysis statement : defined.statements()) {
            for (TableRef inner : statement.tablesRead()) {
                checkView(execution, session, inner, depth + 1, ids);
            }
        }
    }

    /**
     * The rewrite restricts the tables a statement names with their own filters, and a partition or inheritance child
     * (PostgreSQL) holds rows of its parent under a name of its own, while reading the parent reads its partitions'
     * rows: reading or writing a relation is refused to a caller whom a filter restricts in a table the relation is a
     * partition or child of (at any level), or in one of its own partitions or children, unless that filter restricts
     * the relation itself (so the rewrite applies it); and so is a relation of which the session's catalog cannot say
     * (a name that may resolve to a relation in any schema counts as every relation of that name).
     */
    private static void refusePartitionsOfFilteredTables(Execution execution, List<RowFilterRewriter.Filter> filters)
            throws GovernanceException {
        if (execution.dialect() != io.governed.sql.Dialect.POSTGRESQL) {
            return; // H2 has no partitions or inheritance; a MariaDB partition is read through its table alone
        }
        SqlAnalysis resolved = execution.resolvedAnalysis();
        if (resolved == null || !resolved.parsed()) {
            return; // not analysed: the rewrite refuses it
        }
        NameResolver session = execution.names() == null ? NameResolver.unknown() : execution.names().current();
        for (StatementAnalysis statement : resolved.statements()) {
            for (java.util.Set<TableRef> tables : List.of(statement.tablesRead(), statement.tablesWritten())) {
                for (TableRef table : tables) {
                    checkRelatives(session, table, filters);
                }
            }
        }
    }

    private static void checkRelatives(NameResolver session, TableRef table, List<RowFilterRewriter.Filter> filters)
            throws GovernanceException {
        String relation = table.schema() == null ? table.name() : table.schema() + "." + table.name();
        List<TableRef> ancestors = session.ancestors(table.schema(), table.name());
        List<TableRef> descendants = ancestors == null ? null : session.descendants(table.schema(), table.name());
        if (ancestors == null || descendants == null) {
            throw denied(filters.stream().map(RowFilterRewriter.Filter::id).distinct().toList(), "it names " + relation
                    + ", and whether that is a partition or inheritance child of a row-filtered table, or has one, could "
                    + "not be read from the catalog; run the statement again (outside a batch that changes the search "
                    + "path); nothing was sent to the database");
        }
        for (TableRef parent : ancestors) {
            List<String> missing = notRestricting(filters, parent, table);
            if (!missing.isEmpty()) {
                String name = parent.schema() + "." + parent.name();
                throw denied(missing, "it names " + relation + ", a partition or inheritance child of the row-filtered "
                        + "table " + name + ", and the filter does not name " + relation + "; use " + name + " itself (its "
                        + "filter restricts the rows of every partition); nothing was sent to the database");
            }
        }
        for (TableRef child : descendants) {
            List<String> missing = notRestricting(filters, child, table);
            if (!missing.isEmpty()) {
                String name = child.schema() + "." + child.name();
                throw denied(missing, "it names " + relation + ", whose rows include those of its partition or "
                        + "inheritance child " + name + ", which the filter restricts and the filter does not name "
                        + relation + "; read " + name + " itself, or add " + relation + " to the filter's tables; nothing "
                        + "was sent to the database");
            }
        }
    }

    /** The ids of the filters that restrict {@code relative} and not {@code table} (which the rewrite restricts with its own). */
    private static List<String> notRestricting(List<RowFilterRewriter.Filter> filters, TableRef relative, TableRef table) {
        List<String> ids = List.of();
        for (RowFilterRewriter.Filter filter : filters) {
            if (filter.tables().test(relative) && !filter.tables().test(table) && !ids.contains(filter.id())) {
                ids = new ArrayList<>(ids);
                ids.add(filter.id());
            }
        }
        return ids;
    }

    /**
     * The types of the filtered tables' columns as the session's reading of the catalog gives them, on MariaDB and H2,
     * where a comparison of an integer column with an integer goes beside the filter ({@link RowFilterRewriter#rewrite(
     * String, io.governed.sql.Dialect, List, io.governed.identity.Identity, boolean, RowFilterRewriter.ColumnTypes)}).
     * None when the session may hold something a statement left in it (a temporary table may hide the table the catalog
     * describes, which MariaDB's catalog does not list), or when a name without a schema cannot be placed for certain.
     */
    static RowFilterRewriter.ColumnTypes columnTypes(Execution execution) {
        io.governed.sql.Dialect dialect = execution.dialect();
        if (dialect != io.governed.sql.Dialect.MARIADB && !dialect.isH2()
                || !(execution.names() instanceof io.governed.jdbc.session.SessionState session) || session.leftovers()) {
            return RowFilterRewriter.ColumnTypes.NONE;
        }
        NameResolver names = session.current();
        return (schema, table, column) -> {
            List<String> schemas;
            if (schema != null) {
                schemas = List.of(schema);
            } else {
                io.governed.sql.names.Resolution resolution = names.resolve(table);
                if (!resolution.certain() || resolution.schemas().isEmpty()) {
                    return null;
                }
                schemas = resolution.schemas();
            }
            String type = null;
            for (String in : schemas) {
                String found = names.columnType(in, table, column);
                if (found == null || type != null && !type.equals(found)) {
                    return null;
                }
                type = found;
            }
            return type;
        };
    }

    /** A prepared statement runs only as the statement it was prepared as, with the values the caller's filters bind now. */
    private static void checkPrepared(Execution execution, RowFilterRewriter.Rewrite rewrite) throws GovernanceException {
        String now = rewrite == null ? null : rewrite.sql();
        List<String> ids = rewrite == null ? List.of() : rewrite.filters();
        if (!Objects.equals(now, execution.preparedAs())) {
            throw denied(ids, "the statement was prepared under other row filters than restrict the caller now (it was "
                    + "prepared as another caller); prepare it again as this caller; nothing was sent to the database");
        }
        List<Object> values = boundValues(rewrite);
        for (List<Object> batched : execution.batchedValues()) {
            if (!batched.equals(values)) {
                throw denied(ids, "an entry of the batch was added as a caller whose row filters bind other values; "
                        + "add the entries again as this caller; nothing was sent to the database");
            }
        }
    }

    /** The identity values (and filter literals) a rewrite binds, in order; empty for none. */
    public static List<Object> boundValues(RowFilterRewriter.Rewrite rewrite) {
        if (rewrite == null) {
            return List.of();
        }
        List<Object> values = new ArrayList<>();
        for (RowFilterRewriter.Binding binding : rewrite.bindings()) {
            if (!binding.application()) {
                values.add(binding.value());
            }
        }
        return values;
    }

    private static GovernanceException denied(List<String> filters, String why) {
        return new GovernanceException(Decision.deny(filters, "Statement denied by row filter"
                + (filters.size() == 1 ? " " : "s ") + String.join(", ", filters) + ": " + why));
    }
}
