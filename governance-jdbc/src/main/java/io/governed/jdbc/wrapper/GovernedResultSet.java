package io.governed.jdbc.wrapper;

import io.governed.identity.Identity;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.gate.SqlText;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.identity.IdentityResolution;
import io.governed.jdbc.masking.MaskedColumnReader;
import io.governed.jdbc.masking.ResultMasks;
import io.governed.jdbc.pipeline.Execution;
import io.governed.jdbc.pipeline.MaskableResult;
import io.governed.policy.Decision;
import io.governed.policy.masking.ColumnMask;
import io.governed.policy.masking.MaskPlanner;
import io.governed.sql.SqlAnalysis;

import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.NClob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A result set of a governed statement. {@link #getStatement()} gives the governed statement (or
 * {@code null} for a metadata result set); a value that is itself a result set (a refcursor column)
 * or an array comes back governed; {@code updateRow}, {@code insertRow} and {@code deleteRow}
 * pass the gate as the UPDATE, INSERT or DELETE they amount to, and each is audited as that statement
 * (its text without values, one row): allowed, refused by the gate, or failed by the driver.
 *
 * <p>Columns the policy masks for the statement's identity are masked in every getter (see
 * {@link MaskingResultSet}); writing to them is denied, and so is unwrapping to the driver's own
 * result set, which would show them in clear. Rows are read one at a time, as the driver gives them.
 */
public class GovernedResultSet extends MaskingResultSet implements MaskableResult {
    private final GovernedStatement statement;
    /** The connection whose governance this result set answers to: its statement's, or the metadata's. */
    private final GovernedConnection connection;
    private final Execution run;
    private final Kind kind;
    /** Whom the masks are for, when some column is masked. */
    private Identity viewer;
    /**
     * The identity the values of this result set were read for: its execution's, or for a value of another result (a
     * refcursor, an array's elements) that result's; {@code null} when not known (metadata).
     */
    private Identity readFor;
    /** The reader of the masks laid on for {@link #viewer}, or {@code null} when none were. */
    private MaskedColumnReader own;
    /** The identity {@link #masking} was last decided for ({@link #reader()}). */
    private Identity decidedFor;
    /**
     * Whether {@link #decidedFor} is the identity reading as long as the thread's scoped identity is {@link #keptScoped}
     * and the connection's own is {@link #keptOwn} ({@link #reader()}): then the identity is not resolved again.
     */
    private boolean kept;
    private Identity keptScoped;
    private Identity keptOwn;
    /**
     * Whether {@link #masking} is the reader whoever reads: no identity is known the values were read for (metadata), or
     * the policy neither masks anyone nor filters rows. Set with the identity the values were read for
     * ({@link #readFor(Identity)}); the planner and the row filters are the connection's, fixed with its governance
     * ({@link GovernedConnection#resultPlanner}, {@link GovernedConnection#resultFiltering}), and not held here.
     */
    private boolean whoeverReads;

    /**
     * A result set of an execution, or its generated keys. Its masks are laid on by the pipeline's
     * masking stage ({@link #applyMasks}) before the caller sees it.
     *
     * @param delegate  the driver's result set
     * @param statement the governed statement that produced it
     * @param run       the execution whose rows these are (counted for it), or {@code null} (generated keys)
     * @param kind      what the result set is
     */
    public GovernedResultSet(ResultSet delegate, GovernedStatement statement, Execution run, Kind kind) {
        super(delegate);
        this.statement = statement;
        this.connection = statement == null ? null : statement.connection;
        this.run = run;
        this.kind = kind;
        readFor(run == null ? null : run.identity());
    }

    /** The connection's governance's mask planner when it masks anyone (worked out once per connection), else {@code null}. */
    private static MaskPlanner plannerOf(GovernedConnection connection) {
        return connection == null ? null : connection.resultPlanner();
    }

    /** The connection's governance's engine when its policy filters rows (worked out once per connection), else {@code null}. */
    private static io.governed.policy.engine.PolicyEngine filteringOf(GovernedConnection connection) {
        return connection == null ? null : connection.resultFiltering();
    }

    /**
     * The generated keys of a statement run as {@code readFor}: counted for no execution, masked by the pipeline for that
     * identity and, when another reads them, for both ({@link #reader()}).
     */
    static GovernedResultSet generatedKeys(ResultSet keys, GovernedStatement statement, Identity readFor) {
        GovernedResultSet governed = new GovernedResultSet(keys, statement, null, Kind.GENERATED_KEYS);
        governed.readFor(readFor);
        return governed;
    }

    /** A result set outside any statement run: metadata results, values that are result sets. */
    public GovernedResultSet(ResultSet delegate, GovernedStatement statement) {
        this(delegate, statement, statement == null ? null : statement.connection);
    }

    private GovernedResultSet(ResultSet delegate, GovernedStatement statement, GovernedConnection connection) {
        super(delegate);
        this.statement = statement;
        this.connection = connection;
        this.run = null;
        this.kind = Kind.RESULTS;
        readFor(null);
    }

    /** The values of this result were read for {@code identity} ({@code null}: not known): the reader is decided for it. */
    private void readFor(Identity identity) {
        this.readFor = identity;
        this.decidedFor = identity;
        this.whoeverReads = identity == null || plannerOf(connection) == null && filteringOf(connection) == null;
        this.plain = whoeverReads && masking == null;
    }

    @Override
    public Kind resultKind() {
        return kind;
    }

    @Override
    public ResultSetMetaData driverMetaData() throws SQLException {
        return delegate.getMetaData();
    }

    /** The driver's metadata, governed: its {@code unwrap} to the driver's own object is as {@link UnwrapGuard} allows. */
    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        return GovernedResultSetMetaData.of(delegate.getMetaData(), connection);
    }

    @Override
    public String autoIncrementColumn(String schema, String table) throws SQLException {
        if (connection == null) {
            return null;
        }
        java.sql.DatabaseMetaData md = connection.getMetaData();
        String catalog = connection.dialect() == io.governed.sql.Dialect.MARIADB ? schema : null;
        try (ResultSet columns = md.getColumns(catalog, catalog == null ? schema : null, table, "%")) {
            while (columns.next()) {
                if ("YES".equalsIgnoreCase(columns.getString("IS_AUTOINCREMENT"))) {
                    return columns.getString("COLUMN_NAME");
                }
            }
        }
        return null;
    }

    @Override
    public java.util.List<io.governed.classification.QualifiedColumn> tableColumns(String schema, String table)
            throws SQLException {
        if (connection == null) {
            return null;
        }
        java.sql.DatabaseMetaData md = connection.getMetaData();
        String catalog = connection.dialect() == io.governed.sql.Dialect.MARIADB ? schema : null;
        // Only base tables: a view's column names say nothing of the columns its values come from.
        try (ResultSet tables = md.getTables(catalog, catalog == null ? schema : null, table, null)) {
            boolean any = false;
            while (tables.next()) {
                String type = tables.getString("TABLE_TYPE");
                if (type == null || !(type.equalsIgnoreCase("TABLE") || type.equalsIgnoreCase("BASE TABLE"))) {
                    return null;
                }
                any = true;
            }
            if (!any) {
                return null;
            }
        }
        java.util.List<io.governed.classification.QualifiedColumn> out = new java.util.ArrayList<>();
        try (ResultSet columns = md.getColumns(catalog, catalog == null ? schema : null, table, "%")) {
            while (columns.next()) {
                String owner = connection.dialect() == io.governed.sql.Dialect.MARIADB
                        ? columns.getString("TABLE_CAT") : columns.getString("TABLE_SCHEM");
                out.add(new io.governed.classification.QualifiedColumn(owner, columns.getString("TABLE_NAME"),
                        columns.getString("COLUMN_NAME")));
            }
        }
        return out.isEmpty() ? null : out;
    }

    @Override
    public java.util.List<Object> columnValues(io.governed.classification.QualifiedColumn column, int rows) {
        return connection == null ? null : connection.valuesOf(column, rows);
    }

    @Override
    public void applyMasks(ResultMasks masks, MaskPlanner planner, Identity viewer) throws SQLException {
        this.own = new MaskedColumnReader(delegate, masks, planner, viewer);
        this.masking = own;
        this.plain = false;
        this.viewer = viewer;
        this.decidedFor = viewer;
        this.kept = false;
        if (statement != null) {
            statement.maskedResultOpened(this);
        }
    }

    /** A result set of database metadata, on {@code connection}: no statement of its own. */
    static GovernedResultSet ofMetadata(ResultSet delegate, GovernedConnection connection) {
        return new GovernedResultSet(delegate, null, connection);
    }

    /** The governed connection this result set was read on, or {@code null}. */
    GovernedConnection connection() {
        return connection;
    }

    /**
     * A result set that is a value of another (a refcursor column or OUT parameter, an array's
     * elements): nothing traces its columns, so each is masked as the driver's metadata says, for the
     * identity current now, and redacted when the metadata names no base column.
     */
    static GovernedResultSet nested(ResultSet delegate, GovernedStatement statement, Identity readFor) throws SQLException {
        GovernedResultSet nested = new GovernedResultSet(delegate, statement);
        nested.readFor(readFor);
        if (statement != null) {
            try {
                nested.checkBaseTablesReadable(statement.connection, readFor);
                nested.mask(statement.connection, viewerOf(statement.connection, readFor), () -> null);
            } catch (SQLException | RuntimeException refused) {
                Wrappers.closing(delegate, refused);
                throw refused;
            }
        }
        return nested;
    }

    /**
     * A result with no statement of its own (a refcursor a routine opened) holds rows of the tables the driver names
     * for its columns: the SELECT of those columns must pass the gate as the caller (audited when refused) and, when it
     * was read for another identity, as that identity too, or the rows are not handed out. A routine the caller may
     * call would otherwise hand out a table the caller may not read. Columns the driver names no table for are
     * redacted by their masks.
     */
    private void checkBaseTablesReadable(GovernedConnection connection, Identity readFor) throws SQLException {
        String read = io.governed.jdbc.masking.BaseColumnsRead.of(delegate.getMetaData(), connection.dialect());
        if (read == null) {
            return;
        }
        SqlText text = new SqlText(read);
        io.governed.policy.engine.PolicyEngine engine = connection.governance().engine();
        Identity current = connection.currentIdentity();
        List<Identity> readers = readFor == null || readFor.equals(current) ? List.of(current) : List.of(current, readFor);
        io.governed.policy.engine.DecisionContext context =
                io.governed.policy.engine.DecisionContext.of(connection.session().current());
        if (engine != null) {
            // the database filtered none of the cursor's rows: a row filter of its tables would be bypassed
            java.util.Set<String> filters = new java.util.LinkedHashSet<>();
            SqlAnalysis resolved = engine.resolved(connection.analysis(text), context);
            for (Identity reader : readers) {
                filters.addAll(engine.rowFiltersApplying(reader, resolved));
            }
            if (!filters.isEmpty()) {
                throw connection.refusedNestedRead(text, new GovernanceException(Decision.deny(List.copyOf(filters),
                        "Row filter" + (filters.size() == 1 ? " " : "s ") + String.join(", ", filters) + " restrict"
                        + (filters.size() == 1 ? "s" : "") + " the rows of a table this result set (a cursor a routine "
                        + "opened) reads, and the database filtered none of its rows, so they are not handed out. "
                        + "Read the rows with a SELECT, which the filters then restrict")));
            }
        }
        try {
            connection.check(text, io.governed.jdbc.gate.CallKind.QUERY);
            if (engine != null && readers.size() > 1) {
                Decision decision = engine.check(readFor, connection.analysis(text), context);
                if (!decision.allowed()) {
                    throw connection.refusedNestedRead(text, new GovernanceException(decision));
                }
            }
        } catch (GovernanceException refused) {
            throw new GovernanceException(Decision.deny(refused.ruleIds(), "The rows of this result set (a cursor a "
                    + "routine opened) come from tables whose read is refused, so they are not handed out: "
                    + refused.reason() + (refused.reason().endsWith(".") ? "" : ".")
                    + " Read the rows with a SELECT the policy permits"));
        }
    }

    /**
     * Whom a value of another result is masked for: the identity that result was read for (a statement run in a
     * {@code runAs} scope hands out its values for that scope, also when they are read after it ended), or, when no mask
     * applies to that identity or it is not known, the identity current now (fail closed: the stricter of the two).
     */
    static Identity viewerOf(GovernedConnection connection, Identity readFor) throws SQLException {
        MaskPlanner planner = connection.governance().maskPlanner();
        if (readFor != null && planner != null && planner.masksAnythingFor(readFor)) {
            return readFor;
        }
        return connection.currentIdentity();
    }

    /**
     * Decides this result's masks for {@code identity}: from the analysis when there is one, else
     * from the metadata alone. Nothing is worked out (not even the analysis) when no mask can apply
     * to the identity.
     */
    private void mask(GovernedConnection connection, Identity identity, Supplier<SqlAnalysis> analysis) throws SQLException {
        MaskPlanner planner = connection.governance().maskPlanner();
        if (planner == null || identity == null || !planner.masksAnythingFor(identity)) {
            return;
        }
        ResultMasks masks = ResultMasks.resolve(planner, identity, connection.resolved(analysis.get()), null, connection.dialect(),
                delegate::getMetaData, this::tableColumns, connection.session().current(), this::columnValues);
        if (masks != null) {
            applyMasks(masks, planner, identity);
        }
    }

    /**
     * The masks for the identity reading now, when it is not the one the values were read for (a result opened in one
     * identity's scope and read in another's, or read in a scope after it was opened outside): the stricter of both
     * identities' masks, column by column, so that neither the reader nor the identity that ran the statement sees more
     * than its own masks allow. Decided again only when the identity reading changes. Values of no statement (metadata)
     * keep their masks. The identity reading is resolved at every value, except while the thread's scoped identity and
     * the connection's own are the objects they were when it was last found to be {@link #decidedFor} and it follows
     * from those two alone ({@link IdentityResolution#fixedBy}).
     *
     * <p>Asked before every value: this method is the answer that holds without resolving anyone, small enough for the
     * JIT to inline into the getters; {@link #readerNow} resolves the identity reading when it does not hold.
     */
    @Override
    protected MaskedColumnReader reader() throws SQLException {
        if (whoeverReads || kept && IdentityContext.scopedOrNull() == keptScoped && connection.identity() == keptOwn) {
            return masking; // no identity changes it, or the one resolved from these two is still decidedFor
        }
        return readerNow();
    }

    /** {@link #reader()} when the identity reading may not be {@link #decidedFor}: resolved, and the reader decided again. */
    private MaskedColumnReader readerNow() throws SQLException {
        Identity scoped = IdentityContext.scopedOrNull();
        Identity connectionOwn = connection.identity();
        IdentityResolution resolution = connection.governance().identityResolution();
        Identity now;
        try {
            now = resolution.current(connectionOwn);
        } catch (SQLException | RuntimeException none) {
            now = null; // no identity now (a scope required and ended, a token expired): the values stay readFor's
        }
        if (now == null) {
            now = viewer != null ? viewer : readFor;
        }
        if (now == decidedFor || now.equals(decidedFor)) {
            decidedFor = now;
            kept = resolution.fixedBy(scoped, connectionOwn);
            keptScoped = scoped;
            keptOwn = connectionOwn;
            return masking;
        }
        kept = false;
        io.governed.policy.engine.PolicyEngine filtering = filteringOf(connection);
        if (filtering != null) {
            checkRowsFor(now, filtering);
        }
        MaskPlanner planner = plannerOf(connection);
        MaskedColumnReader decided = planner == null ? own : readerFor(now, planner);
        if (decided != null && decided != masking) {
            decided.rowMoved(); // what it kept of a row it read before is not this row's
        }
        masking = decided;
        plain = false; // decided for this reader: asked again at the next value
        decidedFor = now;
        return decided;
    }

    /**
     * Refuses (42501) to hand the rows of this result to {@code now} when they were read for another identity and row
     * filters restrict {@code now} on the tables the statement read (or, when that cannot be told, anywhere): the rows are
     * the other identity's, which {@code now}'s filters may hide. Masks cannot stand in for a row filter.
     */
    private void checkRowsFor(Identity now, io.governed.policy.engine.PolicyEngine engine) throws SQLException {
        if (now.equals(readFor) || !engine.rowFiltersApplyTo(now)) {
            return;
        }
        SqlAnalysis analysis = run != null && kind == Kind.RESULTS ? run.resolvedAnalysis() : null;
        List<String> applying = analysis != null && analysis.parsed() ? engine.rowFiltersApplying(now, analysis) : null;
        if (applying != null && applying.isEmpty()) {
            return;
        }
        throw GovernanceException.failedClosed("The rows of this result were read for " + readFor.describe()
                + ", and row filters" + (applying == null ? "" : " " + applying) + " restrict " + now.describe()
                + ", which reads them now, on the tables it read: they are not handed to " + now.describe()
                + ". Run the query again as the identity that reads its rows (inside that identity's scope)",
                GovernanceException.SQLSTATE_DENIED, null);
    }

    private MaskedColumnReader readerFor(Identity now, MaskPlanner planner) throws SQLException {
        Identity base = viewer != null ? viewer : readFor;
        if (now.equals(base) || !planner.masksAnythingFor(now)) {
            return own;
        }
        SqlAnalysis analysis = run != null && kind == Kind.RESULTS ? run.resolvedAnalysis() : null;
        io.governed.sql.names.NameResolver names = run != null && run.names() != null ? run.names().current()
                : io.governed.sql.names.NameResolver.unknown();
        ResultMasks forNow = ResultMasks.resolve(planner, now, analysis, null, connection.dialect(), delegate::getMetaData,
                this::tableColumns, names, this::columnValues);
        if (forNow == null) {
            return own;
        }
        ResultMasks both = own == null ? forNow : ResultMasks.stricter(own.masks(), forNow, planner);
        return new MaskedColumnReader(delegate, both, planner, now, base);
    }

    @Override
    public boolean next() throws SQLException {
        onInsertRow = false;
        rowMoved();
        boolean more;
        try {
            more = delegate.next();
        } catch (SQLException e) {
            throw run != null ? connection.pipeline().failed(run, e) : databaseError(e);
        } catch (RuntimeException | Error e) {
            if (run != null) {
                connection.pipeline().failedUnchecked(run, e);
            }
            throw e;
        }
        if (run != null) {
            if (more) {
                run.rowRead();
            } else {
                resultsDone();
            }
        }
        return more;
    }

    /** An error of the driver's while reading this result, as the caller may see it (scrubbed by the pipeline). */
    private SQLException databaseError(SQLException e) {
        if (connection == null) {
            return e;
        }
        // a result of no execution (generated keys, metadata, a nested array): whatever ran before it may have run user code
        return run != null ? connection.pipeline().databaseError(run.identity(), e, run.mayRunUserCode())
                : connection.databaseError(e, statement == null ? connection.userCodeSinceWarningsCleared()
                : statement.ranUserCode());
    }

    @Override
    protected SQLException readFailed(SQLException e) {
        return databaseError(e);
    }

    @Override
    public boolean absolute(int row) throws SQLException {
        onInsertRow = false;
        rowMoved();
        try {
            return delegate.absolute(row);
        } catch (SQLException e) {
            throw databaseError(e);
        }
    }

    @Override
    public boolean relative(int rows) throws SQLException {
        onInsertRow = false;
        rowMoved();
        try {
            return delegate.relative(rows);
        } catch (SQLException e) {
            throw databaseError(e);
        }
    }

    @Override
    public boolean previous() throws SQLException {
        onInsertRow = false;
        rowMoved();
        try {
            return delegate.previous();
        } catch (SQLException e) {
            throw databaseError(e);
        }
    }

    @Override
    public boolean first() throws SQLException {
        onInsertRow = false;
        rowMoved();
        try {
            return delegate.first();
        } catch (SQLException e) {
            throw databaseError(e);
        }
    }

    @Override
    public boolean last() throws SQLException {
        onInsertRow = false;
        rowMoved();
        try {
            return delegate.last();
        } catch (SQLException e) {
            throw databaseError(e);
        }
    }

    @Override
    public void refreshRow() throws SQLException {
        checkRefresh();
        Execution read = checkRefreshRead();
        rowMoved();
        try {
            delegate.refreshRow();
        } catch (SQLException e) {
            throw read == null ? databaseError(e) : connection.pipeline().failed(read, e);
        } catch (RuntimeException | Error e) {
            if (read != null) {
                connection.pipeline().failedUnchecked(read, e);
            }
            throw e;
        }
        if (read != null) {
            read.rows(1L);
            connection.pipeline().completed(read);
        }
    }

    /**
     * {@code refreshRow} of an updatable result set reads the row from the database again, with values newer than those
     * the statement read: it passes the gate as the query it amounts to ({@code SELECT} the result's columns of its table
     * for the row), decided for the identity in effect and audited as that identity's read, once the driver's table is
     * known to be the one checked ({@link RowWriteStatement#checkDriverTable}). It is refused, audited, when that identity
     * is not the one the rows were read and masked for: the row would come back under another identity's masks. Returns
     * the execution to end once the driver has read the row ({@code null} for a result set that is not updatable, whose
     * {@code refreshRow} the driver refuses or makes without reading).
     */
    private Execution checkRefreshRead() throws SQLException {
        if (delegate.getConcurrency() != ResultSet.CONCUR_UPDATABLE) {
            return null; // checkRefresh has made sure of the run and the connection otherwise
        }
        String sql = RowWriteStatement.of(RowWriteStatement.Kind.REFRESH, delegate.getMetaData(), connection.dialect(),
                this::schemaAsWritten);
        try {
            RowWriteStatement.checkDriverTable(sentSql(), delegate.getMetaData(), connection.dialect(), this::schemaAsWritten);
            Identity now = connection.currentIdentity();
            if (!now.equals(run.identity())) {
                throw GovernanceException.failedClosed("refreshRow was refused: the rows of this result set were read, and"
                        + " their values masked, for " + run.identity().describe() + ", and " + now.describe() + " is in"
                        + " effect now; reading the row again would show it under the other identity's masks. Run the query"
                        + " again as " + now.describe() + " instead; nothing was sent to the database",
                        GovernanceException.SQLSTATE_DENIED, null);
            }
        } catch (GovernanceException refusal) {
            throw connection.refusedNestedRead(new SqlText(sql), refusal);
        }
        return connection.beginRowRead(new SqlText(sql));
    }

    /** The text of the statement whose rows these are as the driver received it: a row-filter rewrite's, or the statement's. */
    private String sentSql() {
        if (run == null) {
            return null;
        }
        io.governed.sql.RowFilterRewriter.Rewrite read = filteredRead();
        return read != null ? read.sql() : run.sql().sql();
    }

    /**
     * {@code refreshRow} of an updatable result set reads the row again with a query of the driver's own, which the gate
     * does not see: pgjdbc's names the table as the statement did, resolved by the session when it runs. It is refused
     * when that read could be another than the one the gate allowed: when the session now resolves the tables the
     * statement read otherwise (a {@code setSchema} or {@code SET search_path} since: the row of another schema's
     * table, which the caller may not read, would come back under masks planned for the first), when the rows were read
     * through a row-filter rewrite (the driver's read has no filters), or when there is no statement run to compare.
     */
    private void checkRefresh() throws SQLException {
        int concurrency;
        try {
            concurrency = delegate.getConcurrency();
        } catch (SQLException e) {
            throw databaseError(e);
        }
        if (concurrency != ResultSet.CONCUR_UPDATABLE) {
            return; // the driver re-reads nothing it was not asked for (or refuses refreshRow itself)
        }
        String why = null;
        if (run == null || connection == null) {
            why = "no statement run of this result set says which table its rows came from";
        } else if (filteredRead() != null) {
            why = "its rows were read through row filters " + filteredRead().filters()
                    + ", and the driver's read of the row again has none";
        } else {
            SqlAnalysis readAs = run.resolvedAnalysis();
            SqlAnalysis now = connection.resolved(run.analysis());
            if (readAs != null && now != null && !tablesRead(readAs).equals(tablesRead(now))) {
                why = "the session now resolves the tables the statement read " + tablesRead(readAs) + " as "
                        + tablesRead(now) + " (the schema or search path changed since), and the driver would read "
                        + "the row from there";
            }
        }
        if (why != null) {
            throw GovernanceException.failedClosed("refreshRow was refused: " + why
                    + ". Run the query again instead; nothing was sent to the database",
                    GovernanceException.SQLSTATE_DENIED, null);
        }
    }

    private static java.util.Set<io.governed.sql.TableRef> tablesRead(SqlAnalysis analysis) {
        java.util.Set<io.governed.sql.TableRef> tables = new java.util.LinkedHashSet<>();
        for (io.governed.sql.StatementAnalysis statement : analysis.statements()) {
            tables.addAll(statement.tablesRead());
        }
        return tables;
    }

    /** The driver's warnings, scrubbed as its errors are. */
    @Override
    public java.sql.SQLWarning getWarnings() throws SQLException {
        java.sql.SQLWarning warnings;
        try {
            warnings = delegate.getWarnings();
        } catch (SQLException e) {
            throw databaseError(e);
        }
        return warnings == null ? null : (java.sql.SQLWarning) databaseError(warnings);
    }

    @Override
    public void close() throws SQLException {
        try {
            if (run != null) {
                resultsDone();
            }
        } finally {
            delegate.close();
        }
    }

    private void resultsDone() throws SQLException {
        if (run.ended()) {
            return;
        }
        if (masking != null) {
            run.masked(masking.masks().maskedLabels(), masking.maskedValues());
        }
        connection.pipeline().completed(run);
    }

    @Override
    public Statement getStatement() {
        return statement;
    }

    @Override
    public Object getObject(int columnIndex) throws SQLException {
        try {
            refuseUngovernedCursor(columnIndex);
            MaskedColumnReader m = guarding(columnIndex);
            return governedValue(m == null ? delegate.getObject(columnIndex) : m.guardedObject(columnIndex), columnIndex);
        } catch (GovernanceException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public Object getObject(String columnLabel) throws SQLException {
        try {
            refuseUngovernedCursor(columnLabel);
            return governedValue(reader() == null ? delegate.getObject(columnLabel) : masking.getObject(masking.index(columnLabel)), columnLabel);
        } catch (GovernanceException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public Object getObject(int columnIndex, Map<String, Class<?>> map) throws SQLException {
        try {
            refuseUngovernedCursor(columnIndex);
            MaskedColumnReader m = guarding(columnIndex);
            return governedValue(m == null ? delegate.getObject(columnIndex, map) : m.getObject(columnIndex, map), columnIndex);
        } catch (GovernanceException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public Object getObject(String columnLabel, Map<String, Class<?>> map) throws SQLException {
        try {
            refuseUngovernedCursor(columnLabel);
            return governedValue(reader() == null ? delegate.getObject(columnLabel, map)
                    : masking.getObject(masking.index(columnLabel), map), columnLabel);
        } catch (GovernanceException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
        try {
            refuseUngovernedCursor(columnIndex);
            MaskedColumnReader m = guarding(columnIndex);
            return type.cast(governedValue(m == null ? delegate.getObject(columnIndex, type) : m.getObject(columnIndex, type), columnIndex));
        } catch (GovernanceException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public <T> T getObject(String columnLabel, Class<T> type) throws SQLException {
        try {
            refuseUngovernedCursor(columnLabel);
            return type.cast(governedValue(reader() == null ? delegate.getObject(columnLabel, type)
                    : masking.getObject(masking.index(columnLabel), type), columnLabel));
        } catch (GovernanceException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    @Override
    public Array getArray(int columnIndex) throws SQLException {
        try {
            if (reader() != null) {
                masking.refuseOpaque(columnIndex, "getArray");
            }
            return (Array) governedValue(delegate.getArray(columnIndex), columnIndex);
        } catch (GovernanceException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnIndex);
        }
    }

    @Override
    public Array getArray(String columnLabel) throws SQLException {
        try {
            if (reader() != null) {
                masking.refuseOpaque(masking.index(columnLabel), "getArray");
            }
            return (Array) governedValue(delegate.getArray(columnLabel), columnLabel);
        } catch (GovernanceException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw readFailed(e, columnLabel);
        }
    }

    /**
     * The governed result set itself for JDBC interfaces; the driver's own result set (for vendor
     * interfaces) only when no column is masked, since it would show masked columns in clear, and then
     * only as {@link UnwrapGuard} allows.
     */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (reader() != null && !iface.isInstance(this)) {
            throw GovernanceException.failedClosed("This result set has masked columns " + masking.masks().maskedLabels()
                    + ": it cannot be unwrapped to " + iface.getName() + ", which would show them in clear. "
                    + "Read the columns through the ResultSet interface", GovernanceException.SQLSTATE_DENIED, null);
        }
        return Wrappers.unwrap(this, delegate, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return reader() != null ? iface.isInstance(this) : Wrappers.isWrapperFor(this, delegate, iface);
    }

    @Override
    public void beforeFirst() throws SQLException {
        onInsertRow = false;
        super.beforeFirst();
    }

    @Override
    public void afterLast() throws SQLException {
        onInsertRow = false;
        super.afterLast();
    }

    @Override
    public void moveToInsertRow() throws SQLException {
        super.moveToInsertRow();
        onInsertRow = true;
        insertRowCalls = new java.util.TreeMap<>();
    }

    @Override
    public void moveToCurrentRow() throws SQLException {
        onInsertRow = false;
        super.moveToCurrentRow();
    }

    // The updaters whose value a row filter's check of an inserted row can bind again: on the insert row, a column a
    // filter reads is given only through them.

    @Override
    public void updateString(int columnIndex, String value) throws SQLException {
        recorded("setString", value, () -> super.updateString(columnIndex, value));
    }

    @Override
    public void updateString(String columnLabel, String value) throws SQLException {
        recorded("setString", value, () -> super.updateString(columnLabel, value));
    }

    @Override
    public void updateInt(int columnIndex, int value) throws SQLException {
        recorded("setInt", value, () -> super.updateInt(columnIndex, value));
    }

    @Override
    public void updateInt(String columnLabel, int value) throws SQLException {
        recorded("setInt", value, () -> super.updateInt(columnLabel, value));
    }

    @Override
    public void updateLong(int columnIndex, long value) throws SQLException {
        recorded("setLong", value, () -> super.updateLong(columnIndex, value));
    }

    @Override
    public void updateLong(String columnLabel, long value) throws SQLException {
        recorded("setLong", value, () -> super.updateLong(columnLabel, value));
    }

    @Override
    public void updateShort(int columnIndex, short value) throws SQLException {
        recorded("setShort", value, () -> super.updateShort(columnIndex, value));
    }

    @Override
    public void updateShort(String columnLabel, short value) throws SQLException {
        recorded("setShort", value, () -> super.updateShort(columnLabel, value));
    }

    @Override
    public void updateBigDecimal(int columnIndex, java.math.BigDecimal value) throws SQLException {
        recorded("setBigDecimal", value, () -> super.updateBigDecimal(columnIndex, value));
    }

    @Override
    public void updateBigDecimal(String columnLabel, java.math.BigDecimal value) throws SQLException {
        recorded("setBigDecimal", value, () -> super.updateBigDecimal(columnLabel, value));
    }

    @Override
    public void updateObject(int columnIndex, Object value) throws SQLException {
        recorded("setObject", value, () -> super.updateObject(columnIndex, value));
    }

    @Override
    public void updateObject(String columnLabel, Object value) throws SQLException {
        recorded("setObject", value, () -> super.updateObject(columnLabel, value));
    }

    @Override
    public void updateNull(int columnIndex) throws SQLException {
        recorded("setNull", java.sql.Types.NULL, () -> super.updateNull(columnIndex));
    }

    @Override
    public void updateNull(String columnLabel) throws SQLException {
        recorded("setNull", java.sql.Types.NULL, () -> super.updateNull(columnLabel));
    }

    /** An update call made while its setter and value are recorded. */
    private interface RecordedUpdate {
        void run() throws SQLException;
    }

    /**
     * Runs an update of the insert row or the current row with the setter call it amounts to recorded, for the row
     * filters' check of the row.
     */
    private void recorded(String setter, Object value, RecordedUpdate update) throws SQLException {
        recording = new Object[] {setter, value};
        try {
            update.run();
        } finally {
            recording = null;
        }
    }

    @Override
    public void updateRow() throws SQLException {
        Execution write = checkRowWrite(RowWriteStatement.Kind.UPDATE);
        rowMoved();
        try {
            delegate.updateRow();
        } catch (SQLException e) {
            throw rowWriteFailed(write, e);
        } catch (RuntimeException | Error e) {
            statement.connection.pipeline().failedUnchecked(write, e);
            throw e;
        }
        rowWritten(write);
    }

    @Override
    public void insertRow() throws SQLException {
        Execution write = checkRowWrite(RowWriteStatement.Kind.INSERT);
        rowMoved();
        try {
            delegate.insertRow();
        } catch (SQLException e) {
            throw rowWriteFailed(write, e);
        } catch (RuntimeException | Error e) {
            statement.connection.pipeline().failedUnchecked(write, e);
            throw e;
        }
        if (insertRowCalls != null) {
            insertRowCalls.clear();
        }
        rowWritten(write);
    }

    @Override
    public void deleteRow() throws SQLException {
        Execution write = checkRowWrite(RowWriteStatement.Kind.DELETE);
        rowMoved();
        try {
            delegate.deleteRow();
        } catch (SQLException e) {
            throw rowWriteFailed(write, e);
        } catch (RuntimeException | Error e) {
            statement.connection.pipeline().failedUnchecked(write, e);
            throw e;
        }
        rowWritten(write);
    }

    /**
     * Ends a row write the driver made: it is audited as the statement it amounts to (as the gate saw it, without
     * values), one row changed.
     */
    private void rowWritten(Execution write) throws SQLException {
        write.rows(1L);
        statement.connection.pipeline().completed(write);
    }

    /** Ends a row write the driver failed: it is audited as failed, and the error comes back as the caller may see it. */
    private SQLException rowWriteFailed(Execution write, SQLException e) {
        return statement.connection.pipeline().failed(write, e);
    }

    @Override
    protected void checkColumnWrite(int columnIndex) throws SQLException {
        try {
            checkMaskedColumnWrite(columnIndex);
            checkFilteredColumnWrite(columnIndex);
        } catch (GovernanceException refusal) {
            throw refusedWrite(onInsertRow ? RowWriteStatement.Kind.INSERT : RowWriteStatement.Kind.UPDATE, refusal);
        }
    }

    /**
     * A write this result set refuses itself (a masked column, a column a row filter reads, a row it cannot write in
     * place), audited as the refused statement the write amounts to, tied to the caller; returns the exception to
     * throw.
     */
    private SQLException refusedWrite(RowWriteStatement.Kind kind, GovernanceException refusal) {
        if (statement == null) {
            return refusal;
        }
        GovernedConnection connection = statement.connection;
        String sql;
        try {
            sql = RowWriteStatement.of(kind, delegate.getMetaData(), connection.dialect(), this::schemaAsWritten);
        } catch (SQLException | RuntimeException unnamed) {
            refusal.addSuppressed(unnamed); // the write stays refused; what it amounts to could not be told
            return refusal;
        }
        return connection.refusedRowWrite(new SqlText(sql), refusal);
    }

    private void checkMaskedColumnWrite(int columnIndex) throws SQLException {
        if (reader() != null && masking.guards(columnIndex)) {
            ColumnMask mask = masking.maskOf(columnIndex);
            String label = masking.masks().label(columnIndex);
            String reason = "Column '" + label + "' of this result set is masked for " + decidedFor.describe()
                    + (mask == null ? "" : " by " + mask.describe())
                    + ": it cannot be updated through the result set, whose values are masked. Run an UPDATE statement instead";
            throw new GovernanceException(Decision.deny(mask == null ? List.of() : List.of(mask.maskId()), reason));
        }
    }

    @Override
    protected void checkColumnWrite(String columnLabel) throws SQLException {
        if (reader() != null) {
            checkColumnWrite(masking.index(columnLabel));
        } else if (filteredRead() != null) {
            int index;
            try {
                index = delegate.findColumn(columnLabel);
            } catch (SQLException e) {
                throw databaseError(e);
            }
            checkColumnWrite(index);
        }
    }

    /**
     * A row write changes the table like the statement it amounts to, so it passes the gate as that statement; returns
     * its execution, to be ended (completed or failed) once the driver has written the row.
     */
    private Execution checkRowWrite(RowWriteStatement.Kind rowWrite) throws SQLException {
        if (statement == null) {
            throw new SQLException("This result set (from database metadata) cannot be updated", "24000");
        }
        GovernedConnection connection = statement.connection;
        try {
            RowWriteStatement.checkDriverTable(sentSql(), delegate.getMetaData(), connection.dialect(), this::schemaAsWritten);
        } catch (GovernanceException refusal) {
            throw refusedWrite(rowWrite, refusal);
        }
        io.governed.sql.RowFilterRewriter.Rewrite read = filteredRead();
        if (read != null) {
            if (!read.readInPlace()) {
                throw refusedWrite(rowWrite, filterDenied(read.filters(), NOT_IN_PLACE));
            }
            return checkFilteredRowWrite(connection, rowWrite, read);
        }
        String sql = RowWriteStatement.of(rowWrite, delegate.getMetaData(), connection.dialect(), this::schemaAsWritten);
        return connection.beginRowWrite(new SqlText(sql));
    }

    // Row filters. A result set read through a rewrite with the filters in its WHERE (a query of the filtered table
    // alone, created or prepared with CONCUR_UPDATABLE) holds only rows the filters admitted: updateRow and deleteRow act
    // on one of them, as long as no column a filter reads is changed (the updaters refuse that), and insertRow passes
    // the gate as an INSERT of the columns given on the insert row, whose new row the filters' check must admit.

    private static final String NOT_IN_PLACE = "this result set was read through a rewrite that makes the row-filtered "
            + "table a derived table, whose rows cannot be written through it; read the table alone (SELECT … FROM the "
            + "table [WHERE …], without joins, set operations or WITH) with a statement created or prepared with "
            + "CONCUR_UPDATABLE, or run an UPDATE, INSERT or DELETE statement; nothing was sent to the database";

    /** What an updater of the insert row amounts to as a setter call, while it runs; {@code null} otherwise. */
    private Object[] recording;
    /** Whether the cursor is on the insert row. */
    private boolean onInsertRow;
    /**
     * The columns given on the insert row, in order, with their setter calls ({@link #UNRECORDED} when not known); made
     * when the cursor first moves to the insert row (most result sets never do).
     */
    private java.util.TreeMap<Integer, Object[]> insertRowCalls;
    private static final Object[] UNRECORDED = {"unrecorded"};
    /** The columns the filters of a filtered read read (lower case) and the filter of each, once worked out. */
    private java.util.Map<String, String> filterColumns;
    /** Why no column of this filtered result may be written, or {@code null} when columns can be told apart. */
    private String unwritable;

    /** The row-filter rewrite this result set was read through, or {@code null}. */
    private io.governed.sql.RowFilterRewriter.Rewrite filteredRead() {
        if (run == null || run.rowFilterRewrite() == null || run.rowFilterRewrite().unchanged()) {
            return null;
        }
        return run.rowFilterRewrite();
    }

    /**
     * A column a row filter reads cannot be changed through a filtered result (the row could leave what the filter
     * admits); on the insert row it is given through an updater whose value the filter's check binds again.
     */
    private void checkFilteredColumnWrite(int columnIndex) throws SQLException {
        io.governed.sql.RowFilterRewriter.Rewrite read = filteredRead();
        if (read == null) {
            return;
        }
        if (!read.readInPlace()) {
            throw filterDenied(read.filters(), NOT_IN_PLACE);
        }
        workOutFilterColumns(read);
        if (unwritable != null) {
            throw filterDenied(read.filters(), unwritable);
        }
        ResultSetMetaData md = delegate.getMetaData();
        // the name a message may give is the one that matched a filter's column: a driver's label of anything else may
        // carry a value (MariaDB labels an unnamed expression with its text, bound values included)
        String column = md.getColumnLabel(columnIndex);
        String filter = filterColumns.get(lower(column));
        if (filter == null) {
            column = md.getColumnName(columnIndex);
            filter = filterColumns.get(lower(column));
        }
        if (onInsertRow) {
            if (filter != null && recording == null) {
                throw filterDenied(List.of(filter), "column " + column + " of the insert row is read by row filter "
                        + filter + ", whose check of the new row needs its value: give it with updateString, updateInt, "
                        + "updateLong, updateShort, updateBigDecimal, updateObject or updateNull; nothing was sent to the "
                        + "database");
            }
            insertRowCalls.put(columnIndex, recording != null ? recording : UNRECORDED);
            return;
        }
        if (filter != null) {
            throw filterDenied(List.of(filter), "column " + column + " is read by row filter " + filter + ", and "
                    + "updating it through the result set could move the row out of what the filter admits; update the "
                    + "other columns only; nothing was sent to the database");
        }
    }

    /**
     * The columns the result's filters read, and whether the result gives them as themselves: a filter's column that the
     * query renames or computes could not be told apart from the others, so no column of such a result is written.
     */
    private void workOutFilterColumns(io.governed.sql.RowFilterRewriter.Rewrite read) {
        if (filterColumns != null) {
            return;
        }
        java.util.Map<String, String> columns = new java.util.HashMap<>();
        io.governed.policy.engine.PolicyEngine engine = connection == null ? null : connection.governance().engine();
        if (engine == null || run.identity() == null) {
            unwritable = "the columns its row filters read are not known here; run an UPDATE, INSERT or DELETE statement; "
                    + "nothing was sent to the database";
            filterColumns = columns;
            return;
        }
        for (io.governed.sql.RowFilterRewriter.Filter filter : engine.rowFiltersFor(run.identity(), connection.dialect())) {
            if (read.filters().contains(filter.id())) {
                for (String column : filter.condition().columns()) {
                    columns.putIfAbsent(lower(column), filter.id());
                }
            }
        }
        filterColumns = columns;
        SqlAnalysis analysis = run.analysis();
        if (!analysis.parsed() || analysis.statements().size() != 1) {
            unwritable = "the query could not be analysed to tell the columns its row filters read from the others; run an "
                    + "UPDATE, INSERT or DELETE statement; nothing was sent to the database";
            return;
        }
        for (io.governed.sql.ResultColumn result : analysis.statements().get(0).resultColumns()) {
            for (io.governed.sql.SourceColumn source : result.sources()) {
                String filter = columns.get(lower(source.column()));
                if (filter != null && (result.transformed() || result.sources().size() != 1
                        || !lower(result.label()).equals(lower(source.column())))) {
                    unwritable = "the query gives column " + source.column() + ", which row filter " + filter
                            + " reads, under another name or computed, so the columns the filter reads cannot be told "
                            + "apart; select it as itself (or leave it out) to write through the result set; nothing was "
                            + "sent to the database";
                    return;
                }
            }
        }
    }

    private static String lower(String name) {
        return name == null ? "" : name.toLowerCase(java.util.Locale.ROOT);
    }

    /** A row write through a filtered result set passes the gate as the caller now, as the class comment above says. */
    private Execution checkFilteredRowWrite(GovernedConnection connection, RowWriteStatement.Kind rowWrite,
                                            io.governed.sql.RowFilterRewriter.Rewrite read) throws SQLException {
        String readSql = run.analysedSql().sql();
        if (rowWrite != RowWriteStatement.Kind.INSERT) {
            String sql = RowWriteStatement.of(rowWrite, delegate.getMetaData(), connection.dialect(), this::schemaAsWritten);
            return connection.beginRowWrite(new SqlText(sql), new Execution.RowWrite(rowWrite.name(), readSql, read), null);
        }
        if (!onInsertRow || insertRowCalls.isEmpty()) {
            throw filterDenied(read.filters(), "insertRow needs the cursor on the insert row (moveToInsertRow) with the "
                    + "columns of the new row given, those the row filters read among them; nothing was sent to the database");
        }
        List<Integer> columns = List.copyOf(insertRowCalls.keySet());
        java.util.Map<Integer, Object[]> calls = new java.util.HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            Object[] call = insertRowCalls.get(columns.get(i));
            if (call != UNRECORDED) {
                calls.put(i + 1, call);
            }
        }
        String sql = RowWriteStatement.insertOf(delegate.getMetaData(), connection.dialect(), columns, this::schemaAsWritten);
        return connection.beginRowWrite(new SqlText(sql), new Execution.RowWrite(rowWrite.name(), readSql, read),
                checks -> connection.failingRowChecks(checks, List.of(calls)));
    }

    /**
     * The schema the query this result set was read with wrote {@code table} with ({@code null}: the name alone, which
     * the session resolves when the write runs, as the driver's write does): the driver named the table of a column
     * without its schema. Refused when the query did not read a table of that name exactly once (or there is no query).
     */
    private String schemaAsWritten(String table) throws SQLException {
        java.util.Set<io.governed.sql.TableRef> named = new java.util.LinkedHashSet<>();
        io.governed.sql.SqlAnalysis read = run == null ? null : run.analysis();
        if (read != null && read.parsed()) {
            for (io.governed.sql.StatementAnalysis statement : read.statements()) {
                for (io.governed.sql.TableRef ref : statement.tablesRead()) {
                    if (ref.name().equals(table)) {
                        named.add(ref);
                    }
                }
            }
        }
        if (named.size() != 1) {
            throw GovernanceException.failedClosed("The write through this updatable ResultSet was refused: the driver "
                    + "names its table '" + table + "' without a schema, and the query "
                    + (named.isEmpty() ? "read no table of that name" : "read several tables of that name " + named)
                    + ", so governance cannot tell which table the write changes. Run an UPDATE, INSERT or DELETE "
                    + "statement naming the table instead.", GovernanceException.SQLSTATE_DENIED, null);
        }
        return named.iterator().next().schema();
    }

    private static GovernanceException filterDenied(List<String> filters, String why) {
        return new GovernanceException(Decision.deny(filters, "Statement denied by row filter"
                + (filters.size() == 1 ? " " : "s ") + String.join(", ", filters) + ": " + why));
    }

    /**
     * A result set with no statement (the rows of an array the application created, a metadata result) has no gate its
     * values could pass: a cursor column there would have the driver fetch a server cursor by the name the application
     * gave (pgjdbc's {@code FETCH ALL IN}), whatever routine opened it, past the gate, the masks and the audit. Refused
     * before the driver reads it.
     */
    private void refuseUngovernedCursor(int columnIndex) throws SQLException {
        if (statement == null && delegate.getMetaData().getColumnType(columnIndex) == java.sql.Types.REF_CURSOR) {
            throw Wrappers.ungovernedCursor();
        }
    }

    private void refuseUngovernedCursor(String columnLabel) throws SQLException {
        if (statement == null) {
            refuseUngovernedCursor(delegate.findColumn(columnLabel));
        }
    }

    /**
     * A value read from column {@code column}: a lob as {@link GovernedLobs} says (whether the column is a table's is
     * asked of lobs alone), anything else as {@link Wrappers#governed} says.
     */
    private Object governedValue(Object value, int column) throws SQLException {
        if (plain(value)) {
            return value;
        }
        return GovernedLobs.isLob(value) ? GovernedLobs.governed(value, () -> isTableColumn(column), lobReads(column))
                : governedValue(value);
    }

    private Object governedValue(Object value, String columnLabel) throws SQLException {
        if (plain(value)) {
            return value;
        }
        if (!GovernedLobs.isLob(value)) {
            return governedValue(value);
        }
        int column = findColumn(columnLabel);
        return GovernedLobs.governed(value, () -> isTableColumn(column), lobReads(column));
    }

    /**
     * What a lob of column {@code column}, handed out now, asks before each read of its content: the lob holds the
     * value as it was read for the identity reading now, so when the column was not masked for it and is masked for the
     * identity reading later (another scope's, or the stricter of both, as for this result's values), the content is
     * refused (42501): a lob's content cannot be masked. Nothing is asked of a lob of a column masked now (its value
     * is already the mask's).
     */
    private GovernedLobs.ReadCheck lobReads(int column) throws SQLException {
        MaskedColumnReader taken = reader();
        if (taken != null && taken.guards(column)) {
            return () -> { };
        }
        return () -> {
            MaskedColumnReader now;
            try {
                now = reader();
            } catch (SQLException | RuntimeException unknown) {
                throw lobRefused(column, unknown); // the masks of the identity reading now cannot be told
            }
            if (now != null && now != taken && now.guards(column)) {
                throw lobRefused(column, null);
            }
        };
    }

    private static SQLException lobRefused(int column, Exception cause) {
        return GovernanceException.failedClosed("The large value of column " + column + " was read for another identity"
                + " than the one reading it now, to which a mask of the column applies"
                + (cause == null ? "" : " or cannot be told") + ", and a large value's content cannot be masked: it is"
                + " not handed over. Read it in the scope it was read in, or run the query again as the identity reading"
                + " now", GovernanceException.SQLSTATE_DENIED, cause);
    }

    /**
     * Whether {@code value} is {@code null} or exactly of one of the JDK's value classes a driver gives for plain columns
     * (text, numbers, dates and times, booleans, bytes): none is a result set, an array or a lob, so it is handed out as it
     * is without the type checks {@link Wrappers#governed} and {@link GovernedLobs} make of any other value. Exact
     * classes only: a subclass of one of them (a driver's own) is checked as any other value.
     */
    private static boolean plain(Object value) {
        if (value == null) {
            return true;
        }
        Class<?> type = value.getClass();
        return type == String.class || type == Integer.class || type == Long.class || type == java.math.BigDecimal.class
                || type == java.sql.Timestamp.class || type == java.sql.Date.class || type == java.sql.Time.class
                || type == Boolean.class || type == Double.class || type == Short.class || type == byte[].class
                || type == java.time.OffsetDateTime.class || type == java.time.LocalDateTime.class
                || type == java.time.LocalDate.class || type == java.util.UUID.class || type == Float.class
                || type == Byte.class || type == java.math.BigInteger.class;
    }

    private Object governedValue(Object value) throws SQLException {
        return value == delegate ? value : Wrappers.governed(value, statement, readFor);
    }

    /** Whether the driver names a table column that column {@code column}'s values were read from. */
    private boolean isTableColumn(int column) throws SQLException {
        return io.governed.jdbc.masking.BaseColumnsRead.isTableColumn(delegate.getMetaData(), column, connection.dialect());
    }

    @Override
    public Blob getBlob(int columnIndex) throws SQLException {
        return (Blob) governedValue(super.getBlob(columnIndex), columnIndex);
    }

    @Override
    public Blob getBlob(String columnLabel) throws SQLException {
        return (Blob) governedValue(super.getBlob(columnLabel), columnLabel);
    }

    @Override
    public Clob getClob(int columnIndex) throws SQLException {
        return (Clob) governedValue(super.getClob(columnIndex), columnIndex);
    }

    @Override
    public Clob getClob(String columnLabel) throws SQLException {
        return (Clob) governedValue(super.getClob(columnLabel), columnLabel);
    }

    @Override
    public NClob getNClob(int columnIndex) throws SQLException {
        return (NClob) governedValue(super.getNClob(columnIndex), columnIndex);
    }

    @Override
    public NClob getNClob(String columnLabel) throws SQLException {
        return (NClob) governedValue(super.getNClob(columnLabel), columnLabel);
    }
}
