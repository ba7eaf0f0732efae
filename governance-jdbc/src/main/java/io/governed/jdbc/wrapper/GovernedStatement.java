package io.governed.jdbc.wrapper;

import io.governed.jdbc.gate.CallKind;
import io.governed.jdbc.gate.SqlText;
import io.governed.jdbc.pipeline.Execution;
import io.governed.jdbc.pipeline.GeneratedKeys;
import io.governed.jdbc.pipeline.GeneratedKeysSql;
import io.governed.jdbc.pipeline.MaskableResult;
import io.governed.jdbc.pipeline.StatementPipeline;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A statement whose every execution path enters the {@link StatementPipeline} before the delegate
 * sees the SQL: {@code executeQuery}, every {@code execute}, {@code executeUpdate} and
 * {@code executeLargeUpdate} overload, and {@code addBatch}; {@code executeBatch}/{@code executeLargeBatch}
 * check each batched statement again, as the identity current when the batch runs, which must be the one its entries
 * were added as ({@link io.governed.jdbc.pipeline.BatchIdentityStage}). Each execution is
 * an {@link Execution}, which the pipeline ends (completed or failed) when the statement has run; its
 * result sets, further results and generated keys pass the pipeline before the caller sees them.
 */
public class GovernedStatement extends ForwardingStatement {
    protected final GovernedConnection connection;
    /**
     * What was batched since the last run or clear, in order: one entry per {@code addBatch}; {@code null} until the
     * first (most statements never batch, and an ORM makes one statement per prepare).
     */
    private List<SqlText> batch;
    /** The identity the batch's entries were added as, or {@code null} while the batch is empty. */
    private io.governed.identity.Identity batchedAs;
    protected final StatementPipeline pipeline;
    /** The execution whose results this statement holds now, until another statement runs. */
    private Execution current;
    /** How the connection knows this statement as one that ran ({@link GovernedConnection#statementRan}), or {@code null}. */
    private GovernedConnection.RanStatement tracked;
    /** The identity this statement last ran as (kept after its execution ends: its results and OUT values are that identity's), or {@code null}. */
    private io.governed.identity.Identity ranAs;
    /**
     * Whether the last run of this statement (an entry of its last batch) may have run code of the database's users
     * ({@link Execution#mayRunUserCode}): its warnings, and the errors of its further results, are then withheld from a
     * caller errors are scrubbed for. The driver clears a statement's warnings when it runs again.
     */
    private boolean userCode;
    private ResultSet lastRawResult;
    private ResultSet lastResult;
    /**
     * The results of this statement with masked or checked columns that may still be open ({@code null} until one
     * opened): a field size limit set while one is open would cut its values before they are masked.
     */
    private java.util.List<MaskingResultSet> maskedResults;
    /** Whether the two timeouts below are known (read from the delegate, or set through this statement). */
    private boolean timeoutKnown;
    /** The query timeout the application set, in seconds (0: none). */
    private int requestedTimeout;
    /** The query timeout the delegate has now, in seconds (0: none). */
    private int appliedTimeout;
    /** The database statement the last row-filter rewrite ran as, closed when another statement runs. */
    private java.sql.PreparedStatement rewritten;

    public GovernedStatement(GovernedConnection connection, Statement delegate) {
        super(delegate);
        this.connection = connection;
        this.pipeline = connection.pipeline();
    }

    /** A call to the delegate that returns a count. */
    @FunctionalInterface
    private interface CountingCall {
        long run() throws SQLException;
    }

    /** A call to the delegate's {@code execute}: true when its first result is a result set. */
    @FunctionalInterface
    private interface ExecuteCall {
        boolean run() throws SQLException;
    }

    /** Starts the execution of {@code sql} in the pipeline, ending the previous execution of this statement first. */
    protected final Execution begin(SqlText sql, SqlText analysedSql, CallKind callKind, GeneratedKeys keys)
            throws SQLException {
        endCurrent();
        return started(connection.begin(sql, analysedSql, callKind, keys, parametersOf(sql), newRowsOf(sql)));
    }

    /**
     * {@code run} is this statement's execution now: its identity is the one its results and OUT values are read as, the
     * timeout is applied, and the connection knows this statement holds an execution (once, the first time), so that
     * closing the connection ends it ({@link #endOpenExecution}) when the application leaves the statement open.
     */
    private Execution started(Execution run) throws SQLException {
        current = run;
        ranAs = run.identity();
        userCode = run.mayRunUserCode();
        track();
        applyTimeout(run);
        executing();
        return run;
    }

    /** {@link #execution}'s value while this statement or its connection was closed on another thread meanwhile. */
    private static final Object CLOSED_MEANWHILE = new Object();
    private static final java.lang.invoke.VarHandle EXECUTION;

    static {
        try {
            EXECUTION = java.lang.invoke.MethodHandles.lookup().findVarHandle(GovernedStatement.class, "execution",
                    Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The thread whose call of the driver runs the current execution, from its start until that call returns or throws
     * (the run is then ended, or its results are open); {@link #CLOSED_MEANWHILE} when this statement or its connection
     * was closed on another thread meanwhile; {@code null} otherwise. Such a close leaves that execution to its own
     * thread, which ends it with the driver's answer: ended by the close, its event said it ran without error while the
     * caller got the driver's error for the close. One field changed atomically: the executing thread's return
     * ({@link #returned}) and another thread's close ({@link #runningElsewhere}) agree on which of them ends the run.
     */
    private volatile Object execution;

    /** The current execution's driver call starts on this thread. */
    private void executing() {
        execution = Thread.currentThread();
    }

    /**
     * The driver's call of the current execution returned or threw: whether the statement or its connection was closed
     * on another thread meanwhile, so that the run, which that close left to this thread, is to be ended now.
     */
    private boolean returned() {
        return execution != null && EXECUTION.getAndSet(this, null) == CLOSED_MEANWHILE;
    }

    /**
     * Whether the current execution's driver call is running on another thread, which then ends the run itself (a close
     * is noted for it); otherwise the caller may end it.
     */
    private boolean runningElsewhere() {
        Thread caller = Thread.currentThread();
        while (true) {
            Object now = execution;
            if (now == null || now == caller) {
                return false;
            }
            if (now == CLOSED_MEANWHILE || EXECUTION.compareAndSet(this, now, CLOSED_MEANWHILE)) {
                return true;
            }
        }
    }

    /** Tells the connection, once, that this statement holds executions. */
    private void track() {
        if (tracked == null) {
            tracked = connection.statementRan(this);
        }
    }

    /** {@link #begin} of a plain statement's SQL, which runs the row-filter rewrite the pipeline may give it. */
    private Execution beginRewritable(SqlText sql, CallKind callKind, GeneratedKeys keys) throws SQLException {
        endCurrent();
        Execution run = keys != GeneratedKeys.NONE ? connection.beginRewritable(sql, callKind, keys, newRowsOf(sql))
                : callKind != CallKind.UPDATE && concurrency() == ResultSet.CONCUR_UPDATABLE
                ? connection.beginRewritableUpdatable(sql, callKind, newRowsOf(sql))
                : connection.beginRewritable(sql, callKind, newRowsOf(sql));
        return started(run); // a rewrite's statement takes the delegate's timeout, capped there
    }

    /** {@link #begin} of a prepared statement's run, prepared as {@code preparedAs} (a rewrite's SQL, or null). */
    protected final Execution beginPrepared(SqlText sql, SqlText analysedSql, GeneratedKeys keys, CallKind callKind,
                                            String preparedAs) throws SQLException {
        endCurrent();
        return started(connection.enterPrepared(sql, analysedSql, keys, callKind, true, preparedAs, List.of(),
                parametersOf(sql), newRowsOf(sql)));
    }

    /** Whether the run's SQL runs as the application wrote it: no row filter restricted it (an INSERT's rows were only checked). */
    private static boolean runsAsWritten(Execution run) {
        return run.rowFilterRewrite() == null || run.rowFilterRewrite().unchanged();
    }

    /**
     * The prepared statement the run's row-filter rewrite runs as, with its values bound and this statement's
     * limits; kept until another statement runs or this one closes.
     */
    private java.sql.PreparedStatement rewrittenFor(Execution run) throws SQLException {
        java.sql.PreparedStatement prepared = connection.prepareRewritten(run.rowFilterRewrite(), run.generatedKeys(),
                resultSetType(), run.rowFilterRewrite().readInPlace() ? concurrency() : ResultSet.CONCUR_READ_ONLY);
        rewritten = prepared;
        prepared.setMaxRows(delegate.getMaxRows());
        prepared.setQueryTimeout(delegate.getQueryTimeout());
        prepared.setFetchSize(delegate.getFetchSize());
        return prepared;
    }

    /** The delegate's result set type and concurrency, read once ({@code -1}: not read yet). */
    private int resultSetType = -1;
    private int concurrency = -1;

    /** The result set type of the application's statement, which a rewrite it runs is prepared with. */
    private int resultSetType() throws SQLException {
        if (resultSetType < 0) {
            resultSetType = delegate.getResultSetType();
        }
        return resultSetType;
    }

    /** The result set concurrency of the application's statement, which a rewrite it runs is prepared with. */
    private int concurrency() throws SQLException {
        if (concurrency < 0) {
            concurrency = delegate.getResultSetConcurrency();
        }
        return concurrency;
    }

    /**
     * The statement that holds the results of the last run: the database statement its row-filter rewrite ran as, or
     * the delegate.
     */
    private Statement results() {
        java.sql.PreparedStatement ran = rewritten;
        return ran != null ? ran : delegate;
    }

    /**
     * The digest of the values bound to {@code sql} when it runs now, which approvals are bound to: none
     * for a plain statement; a prepared statement's values for its own SQL.
     */
    protected java.util.function.Supplier<String> parametersOf(SqlText sql) {
        return null;
    }

    /**
     * How an INSERT of {@code sql} run now checks its new rows against the row filters: a plain statement's values are
     * all in its text; a prepared statement's are those bound now.
     */
    protected io.governed.jdbc.pipeline.NewRowCheck newRowsOf(SqlText sql) {
        if (valuesInText == null) {
            valuesInText = checks -> connection.failingRowChecks(checks, List.of(java.util.Map.of()));
        }
        return valuesInText;
    }

    /**
     * The check of an INSERT whose values are all in its text, one for the statement's life (nothing made per run),
     * made at its first run: a prepared statement, prepared afresh for every transaction as an ORM does, checks the
     * values bound instead and never needs it.
     */
    private io.governed.jdbc.pipeline.NewRowCheck valuesInText;

    /**
     * The digest of a batched {@code sql}'s values: none for a plain statement; for a prepared one,
     * a digest no approval of exact values matches, since the entries' values are not kept.
     */
    protected java.util.function.Supplier<String> batchParametersOf(SqlText sql) {
        return null;
    }

    /**
     * Gives the delegate the shorter of the application's query timeout and the cap the pipeline put on
     * {@code run} (a policy's {@code statement-timeout}); the application's own when there is no cap.
     */
    private void applyTimeout(Execution run) throws SQLException {
        int cap = run.queryTimeoutCap();
        if (cap == 0 && (!timeoutKnown || appliedTimeout == requestedTimeout)) {
            return; // nothing capped, nothing to restore: the common case costs nothing
        }
        if (!timeoutKnown) {
            requestedTimeout = delegate.getQueryTimeout();
            appliedTimeout = requestedTimeout;
            timeoutKnown = true;
        }
        boolean capped = cap != 0 && (requestedTimeout == 0 || cap < requestedTimeout);
        run.queryTimeoutCapped(capped);
        int effective = capped ? cap : requestedTimeout;
        if (effective != appliedTimeout) {
            try {
                delegate.setQueryTimeout(effective);
            } catch (SQLException e) {
                throw failed(run, e);
            } catch (RuntimeException | Error e) {
                failedUnchecked(run, e);
                throw e;
            }
            appliedTimeout = effective;
        }
    }

    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        delegate.setQueryTimeout(seconds);
        requestedTimeout = seconds;
        appliedTimeout = seconds;
        timeoutKnown = true;
    }

    /** The timeout the application set: a cap the policy puts on one run does not show here. */
    @Override
    public int getQueryTimeout() throws SQLException {
        int delegates = delegate.getQueryTimeout();
        return timeoutKnown ? requestedTimeout : delegates;
    }

    /** Ends {@code run}: the statement ran and returned or affected {@code rows} rows ({@code null}: unknown). */
    protected final void completed(Execution run, Long rows) throws SQLException {
        returned();
        run.rows(rows);
        pipeline.completed(run);
    }

    /** Ends {@code run} with the database's error, and gives back the error to throw. */
    protected final SQLException failed(Execution run, SQLException failure) {
        returned();
        return pipeline.failed(run, failure);
    }

    /**
     * Ends {@code run} with an unchecked exception the driver threw (recorded by its class name only); the caller
     * rethrows {@code thrown} itself, unchanged.
     */
    protected final void failedUnchecked(Execution run, Throwable thrown) {
        returned();
        pipeline.failedUnchecked(run, thrown);
    }

    /** Runs an update-counting call as {@code sql}, and ends the run with its count. */
    private long counted(String sql, GeneratedKeys keys, CountingCall call) throws SQLException {
        SqlText text = GovernedConnection.text(sql);
        Execution run = beginRewritable(text, CallKind.UPDATE, keys);
        long count;
        try {
            count = runsAsWritten(run) ? call.run() : rewrittenFor(run).executeLargeUpdate();
        } catch (SQLException e) {
            throw failed(run, e);
        } catch (RuntimeException | Error e) {
            failedUnchecked(run, e);
            throw e;
        }
        completed(run, count);
        return count;
    }

    /** Runs an {@code execute} call as {@code sql}. */
    private boolean executing(String sql, GeneratedKeys keys, ExecuteCall call) throws SQLException {
        SqlText text = GovernedConnection.text(sql);
        Execution run = beginRewritable(text, CallKind.EXECUTE, keys);
        try {
            return executed(run, runsAsWritten(run) ? call.run() : rewrittenFor(run).execute());
        } catch (SQLException e) {
            throw failed(run, e);
        } catch (RuntimeException | Error e) {
            failedUnchecked(run, e);
            throw e;
        }
    }

    /** Ends a run of {@code execute}: with the update count when there is no result set, else when its results are read. */
    protected final boolean executed(Execution run, boolean hasResultSet) throws SQLException {
        boolean closed = returned();
        if (!hasResultSet) {
            int count = results().getUpdateCount();
            completed(run, count < 0 ? null : (long) count);
        } else if (closed) {
            endCurrent();
        }
        return hasResultSet;
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        SqlText text = GovernedConnection.text(sql);
        Execution run = beginRewritable(text, CallKind.QUERY, GeneratedKeys.NONE);
        try {
            return wrapResult(runsAsWritten(run) ? delegate.executeQuery(sql) : rewrittenFor(run).executeQuery());
        } catch (SQLException e) {
            throw failed(run, e);
        } catch (RuntimeException | Error e) {
            failedUnchecked(run, e);
            throw e;
        }
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        return (int) counted(sql, GeneratedKeys.NONE, () -> delegate.executeUpdate(sql));
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return (int) counted(sql, GeneratedKeys.of(autoGeneratedKeys), () -> delegate.executeUpdate(sql, autoGeneratedKeys));
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        return (int) counted(sql, GeneratedKeys.of(columnIndexes), () -> delegate.executeUpdate(sql, columnIndexes));
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        return (int) counted(sql, GeneratedKeys.of(columnNames), () -> delegate.executeUpdate(sql, columnNames));
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        return counted(sql, GeneratedKeys.NONE, () -> delegate.executeLargeUpdate(sql));
    }

    @Override
    public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return counted(sql, GeneratedKeys.of(autoGeneratedKeys), () -> delegate.executeLargeUpdate(sql, autoGeneratedKeys));
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        return counted(sql, GeneratedKeys.of(columnIndexes), () -> delegate.executeLargeUpdate(sql, columnIndexes));
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        return counted(sql, GeneratedKeys.of(columnNames), () -> delegate.executeLargeUpdate(sql, columnNames));
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        return executing(sql, GeneratedKeys.NONE, () -> delegate.execute(sql));
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        return executing(sql, GeneratedKeys.of(autoGeneratedKeys), () -> delegate.execute(sql, autoGeneratedKeys));
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        return executing(sql, GeneratedKeys.of(columnIndexes), () -> delegate.execute(sql, columnIndexes));
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        return executing(sql, GeneratedKeys.of(columnNames), () -> delegate.execute(sql, columnNames));
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        SqlText text = GovernedConnection.text(sql);
        Execution checked = connection.checkBatched(text, batchedAs);
        connection.byDriver(checked, () -> {
            delegate.addBatch(sql);
            return null;
        });
        batched(text, checked);
    }

    /** Whether two batched entries are the same statement text (added as one text object, or the same text twice). */
    private static boolean sameText(SqlText a, SqlText b) {
        return a == b || a.sql().equals(b.sql());
    }

    /**
     * Starts the execution of a batched entry when the batch runs, deciding for it and the {@code times} − 1 entries of
     * the same text that follow it: a statement that needs a row-filter rewrite runs it ({@link #executeBatch}).
     */
    protected Execution beginBatched(SqlText text, int times, io.governed.identity.Identity addedAs) throws SQLException {
        return connection.beginBatched(text, newRowsOf(text), times, addedAs);
    }

    /** The SQL a batched {@code text} is analysed as: itself, for a plain statement. */
    protected SqlText analysedOf(SqlText text) {
        return text;
    }

    /** The generated keys a batched {@code text} returns: none, for a plain statement. */
    protected GeneratedKeys keysOf(SqlText text) {
        return GeneratedKeys.NONE;
    }

    /** Records one batched execution of {@code text}, checked at the gate by the caller as {@code checked}. */
    protected final void batched(SqlText text, Execution checked) {
        if (batch == null) {
            batch = new ArrayList<>();
        }
        if (batch.isEmpty()) {
            batchedAs = checked.identity();
        }
        batch.add(text);
    }

    /** The identity the batch's entries were added as, or {@code null} while the batch is empty. */
    protected final io.governed.identity.Identity batchedAs() {
        return batchedAs;
    }

    @Override
    public void clearBatch() throws SQLException {
        delegate.clearBatch();
        if (batch != null) {
            batch.clear();
        }
        batchedAs = null;
    }

    @Override
    public int[] executeBatch() throws SQLException {
        return toInts(runBatch(false));
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        return runBatch(true);
    }

    /** Runs the batch through the driver's {@code executeLargeBatch} ({@code large}) or {@code executeBatch}. */
    private long[] runBatch(boolean large) throws SQLException {
        List<Execution> runs = beginBatch();
        if (runsOneByOne(runs)) {
            return runOneByOne(runs, large);
        }
        boolean readsCountsOnly = large && connection.dialect() == io.governed.sql.Dialect.MARIADB;
        if (readsCountsOnly) {
            int returningRows = entryReturningRows(runs);
            if (returningRows >= 0) {
                BatchUpdateException refused = new BatchUpdateException("Batch entry " + (returningRows + 1)
                        + " returns rows, which MariaDB Connector/J's executeLargeBatch cannot read: nothing of the "
                        + "batch ran. Run the query on its own (executeQuery), or the batch with executeBatch",
                        "0100E", 0, new long[0], null);
                clearDriverBatch(refused);
                throw endBatch(runs, new long[0], refused);
            }
        }
        long[] counts;
        try {
            counts = large ? delegate.executeLargeBatch() : toLongs(delegate.executeBatch());
        } catch (BatchUpdateException e) {
            throw endBatch(runs, large ? e.getLargeUpdateCounts() : toLongs(e.getUpdateCounts()), e);
        } catch (SQLException e) {
            throw endBatch(runs, new long[0], e);
        } catch (ClassCastException e) {
            if (!readsCountsOnly) {
                clearDriverBatch(e);
                batchThrew(runs, new long[0], e);
                throw e;
            }
            // MariaDB Connector/J's executeLargeBatch fails so on an entry that returned rows, after the batch ran
            BatchUpdateException failed = new BatchUpdateException("An entry of the batch returned rows, which MariaDB "
                    + "Connector/J's executeLargeBatch cannot read; the batch ran, and its counts are unknown. Run "
                    + "queries on their own (executeQuery), or the batch with executeBatch", "0100E", 0, new long[0], e);
            clearDriverBatch(failed);
            throw endBatch(runs, new long[0], failed);
        } catch (RuntimeException | Error e) {
            clearDriverBatch(e); // what the driver kept of the batch must not run with a later one, unrecorded
            batchThrew(runs, new long[0], e);
            throw e;
        }
        endBatch(runs, counts, null);
        return counts;
    }

    /**
     * The index of the first of a plain statement's batch entries that returns rows (a query, by the analysis of its
     * text), or -1 when none does.
     */
    private static int entryReturningRows(List<Execution> runs) {
        for (int i = 0; i < runs.size(); i++) {
            Execution run = runs.get(i);
            io.governed.sql.SqlAnalysis analysis = run.analysis();
            if (run.preparedExecution() || analysis == null) {
                continue;
            }
            for (io.governed.sql.StatementAnalysis statement : analysis.statements()) {
                if (!statement.has(io.governed.sql.Trait.NESTED) && !statement.resultColumns().isEmpty()) {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * Checks every batched statement again, as the identity current now, and starts an execution for each
     * entry (a text batched many times in a row is decided once). The batch is spent either way, as
     * JDBC says; a refusal clears the driver's batch too, so nothing of it runs.
     */
    private List<Execution> beginBatch() throws SQLException {
        endCurrent();
        List<SqlText> texts = batch == null ? new ArrayList<>() : new ArrayList<>(batch);
        io.governed.identity.Identity addedAs = batchedAs;
        if (batch != null) {
            batch.clear();
        }
        batchedAs = null;
        List<Execution> runs = new ArrayList<>(texts.size());
        try {
            for (int i = 0; i < texts.size(); ) {
                SqlText text = texts.get(i);
                int times = 1;
                while (i + times < texts.size() && sameText(texts.get(i + times), text)) {
                    times++;
                }
                // one decision for the text's entries in a row, made knowing how many runs it allows
                Execution run = beginBatched(text, times, addedAs);
                runs.add(run);
                for (int k = 1; k < times; k++) {
                    run = pipeline.repeat(run);
                    runs.add(run);
                }
                i += times;
            }
        } catch (SQLException refused) {
            delegate.clearBatch();
            throw refused;
        }
        if (!runs.isEmpty()) {
            current = runs.get(runs.size() - 1); // its generated keys, if the driver returns any, are the batch's
            track();
            ranAs = current.identity();
            boolean anyUserCode = false;
            for (Execution run : runs) {
                anyUserCode |= run.mayRunUserCode();
            }
            userCode = anyUserCode;
            try {
                applyTimeout(current);
            } catch (SQLException e) {
                clearDriverBatch(e);
                throw endBatch(runs, new long[0], e);
            } catch (RuntimeException | Error e) {
                clearDriverBatch(e);
                batchThrew(runs, new long[0], e);
                throw e;
            }
            executing();
        }
        return runs;
    }

    /** Clears the driver's batch of a batch that does not run, so that none of its entries runs later unchecked. */
    private void clearDriverBatch(Throwable failure) {
        try {
            delegate.clearBatch();
        } catch (SQLException | RuntimeException notCleared) {
            failure.addSuppressed(notCleared);
        }
    }

    /**
     * Ends each batched execution with its count, or with the failure for the entries the driver did
     * not run; gives back the failure to throw (as the pipeline returned it for the first failed entry).
     */
    private SQLException endBatch(List<Execution> runs, long[] counts, SQLException failure) throws SQLException {
        returned();
        SQLException thrown = failure;
        boolean first = true;
        for (int i = 0; i < runs.size(); i++) {
            Execution run = runs.get(i);
            if (i < counts.length && counts[i] != Statement.EXECUTE_FAILED) {
                completed(run, counts[i] == Statement.SUCCESS_NO_INFO ? null : counts[i]);
            } else if (failure != null) {
                SQLException returned = pipeline.failed(run, failure);
                if (first) {
                    thrown = returned;
                    first = false;
                }
            } else {
                completed(run, null);
            }
        }
        return thrown;
    }

    /**
     * Ends each batched execution when the driver threw an unchecked exception ({@code thrown}, which the caller
     * rethrows unchanged): those it counted in {@code counts} as completed, the others as failed by {@code thrown}. What
     * cannot be recorded is added to {@code thrown} as suppressed; every entry is ended either way.
     */
    private void batchThrew(List<Execution> runs, long[] counts, Throwable thrown) {
        returned();
        for (int i = 0; i < runs.size(); i++) {
            Execution run = runs.get(i);
            if (i < counts.length && counts[i] != Statement.EXECUTE_FAILED) {
                try {
                    completed(run, counts[i] == Statement.SUCCESS_NO_INFO ? null : counts[i]);
                } catch (SQLException | RuntimeException unrecorded) {
                    thrown.addSuppressed(unrecorded);
                }
            } else {
                pipeline.failedUnchecked(run, thrown);
            }
        }
    }

    /** Whether some entry of a plain statement's batch runs a row-filter rewrite, which the driver's batch cannot run. */
    private static boolean runsOneByOne(List<Execution> runs) {
        for (Execution run : runs) {
            if (!run.preparedExecution() && !runsAsWritten(run)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs a batch whose entries include row-filter rewrites one entry at a time, in order, on this connection (so in
     * the caller's transaction): a rewrite as a prepared statement with its filter values bound, any other entry as
     * written. The counts are in the batch's order; the first entry that fails stops the batch with a
     * {@link BatchUpdateException} holding the counts of the entries before it, as JDBC lets a driver do.
     */
    private long[] runOneByOne(List<Execution> runs, boolean large) throws SQLException {
        try {
            delegate.clearBatch(); // the entries run here, not in the driver's batch
        } catch (SQLException e) {
            throw endBatch(runs, new long[0], e);
        } catch (RuntimeException | Error e) {
            batchThrew(runs, new long[0], e);
            throw e;
        }
        long[] counts = new long[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            Execution run = runs.get(i);
            try {
                if (runsAsWritten(run)) {
                    counts[i] = delegate.executeLargeUpdate(run.sql().sql());
                } else {
                    try (java.sql.PreparedStatement rewrite = connection.prepareRewritten(run.rowFilterRewrite())) {
                        rewrite.setQueryTimeout(delegate.getQueryTimeout());
                        counts[i] = rewrite.executeLargeUpdate();
                    }
                }
            } catch (SQLException e) {
                long[] done = java.util.Arrays.copyOf(counts, i);
                BatchUpdateException failure = large
                        ? new BatchUpdateException(e.getMessage(), e.getSQLState(), e.getErrorCode(), done, e)
                        : new BatchUpdateException(e.getMessage(), e.getSQLState(), e.getErrorCode(), toInts(done), e);
                throw endBatch(runs, done, failure);
            } catch (RuntimeException | Error e) {
                batchThrew(runs, java.util.Arrays.copyOf(counts, i), e);
                throw e;
            }
        }
        endBatch(runs, counts, null);
        return counts;
    }

    private static int[] toInts(long[] counts) {
        int[] ints = new int[counts.length];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = counts[i] > Integer.MAX_VALUE ? Statement.SUCCESS_NO_INFO : (int) counts[i];
        }
        return ints;
    }

    private static long[] toLongs(int[] counts) {
        long[] longs = new long[counts == null ? 0 : counts.length];
        for (int i = 0; i < longs.length; i++) {
            longs[i] = counts[i];
        }
        return longs;
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        ResultSet raw;
        try {
            raw = results().getResultSet();
        } catch (SQLException e) {
            throw connection.databaseError(e, userCode);
        }
        return wrapResult(raw);
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        try {
            return results().getMoreResults();
        } catch (SQLException e) {
            throw connection.databaseError(e, userCode);
        }
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        try {
            return results().getMoreResults(current);
        } catch (SQLException e) {
            throw connection.databaseError(e, userCode);
        }
    }

    /** The update count of the current result, of the statement the last run ran as (its rewrite's, if it had one). */
    @Override
    public int getUpdateCount() throws SQLException {
        try {
            return results().getUpdateCount();
        } catch (SQLException e) {
            throw connection.databaseError(e, userCode);
        }
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        try {
            return results().getLargeUpdateCount();
        } catch (SQLException e) {
            throw connection.databaseError(e, userCode);
        }
    }

    /** The driver's warnings (of the statement the last run ran as), scrubbed as its errors are. */
    @Override
    public SQLWarning getWarnings() throws SQLException {
        SQLWarning warnings;
        try {
            warnings = results().getWarnings();
        } catch (SQLException e) {
            throw connection.databaseError(e, userCode);
        }
        return warnings == null ? null : (SQLWarning) connection.databaseError(warnings, userCode);
    }

    /**
     * The generated keys of the last execution, passed through the pipeline like a query's result:
     * masked with the lineage of the columns the driver was asked to return.
     */
    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        ResultSet keys;
        try {
            keys = results().getGeneratedKeys();
        } catch (SQLException e) {
            Execution ran = current;
            if (ran != null && !ran.generatedKeys().requested()) {
                // MariaDB's driver refuses keys not asked for; its message, scrubbed, told nothing of the fix: say it,
                // with the driver's error, scrubbed as any, as the cause
                SQLException notRequested = GeneratedKeysSql.notRequested(ran.resolvedAnalysis());
                notRequested.initCause(connection.databaseError(e, userCode));
                throw notRequested;
            }
            throw connection.databaseError(e, userCode);
        }
        if (keys == null) {
            return null;
        }
        Execution run = current;
        if (run == null) {
            return GovernedResultSet.nested(keys, this, ranAs); // no execution to trace them to: masked as the metadata says
        }
        return pipeline.resultOpened(run, GovernedResultSet.generatedKeys(keys, this, run.identity()));
    }

    /** Whether the last run of this statement may have run code of the database's users. */
    boolean ranUserCode() {
        return userCode;
    }

    @Override
    public void clearWarnings() throws SQLException {
        Statement ran = results();
        if (ran != delegate) {
            ran.clearWarnings();
        }
        delegate.clearWarnings();
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public void close() throws SQLException {
        try {
            if (!runningElsewhere()) {
                endCurrent();
            }
        } finally {
            if (tracked != null) {
                connection.statementClosed(tracked);
            }
            delegate.close();
        }
    }

    /**
     * The connection closes with this statement still open: its execution whose results were left open ends as when
     * the statement closes, so that its event is recorded (the rows read so far). The delegate is left to the driver,
     * which closes it with the connection.
     */
    final void endOpenExecution() throws SQLException {
        if (runningElsewhere()) {
            return; // its driver call is still running there, which ends it with the driver's answer
        }
        endCurrent();
    }

    /** Ends the execution whose results were left unread: its event says how many rows were read. */
    private void endCurrent() throws SQLException {
        returned();
        java.sql.PreparedStatement spent = rewritten;
        if (spent != null) {
            rewritten = null;
            spent.close();
        }
        Execution run = current;
        if (run != null) {
            current = null;
            pipeline.completed(run);
        }
    }

    /**
     * Wraps a result set of this statement, counting its rows for the current run. The same raw result
     * set always gives the same wrapper, so {@code getResultSet()} called twice returns one object, as
     * drivers do.
     */
    protected final ResultSet wrapResult(ResultSet raw) throws SQLException {
        boolean closed = returned();
        if (raw == null) {
            return null;
        }
        if (closed) {
            ResultSet result = wrapResult(raw);
            endCurrent(); // closed on another thread while the driver ran it: its results are of no use now
            return result;
        }
        if (raw != lastRawResult) {
            Execution run = current;
            ResultSet governed = run == null ? GovernedResultSet.nested(raw, this, ranAs)
                    : pipeline.resultOpened(run, new GovernedResultSet(raw, this, run, MaskableResult.Kind.RESULTS));
            lastRawResult = raw;
            lastResult = governed;
        }
        return lastResult;
    }

    /**
     * A driver that cuts values to the limit reads it in every getter (pgjdbc does): a limit set while a result with
     * masked columns is open would cut the values read next before they are masked, so it is refused then, as a
     * result opened under it is.
     */
    @Override
    public void setMaxFieldSize(int max) throws SQLException {
        if (max > 0 && maskedResults != null) {
            maskedResults.removeIf(GovernedStatement::closed);
            for (MaskingResultSet open : maskedResults) {
                open.fieldSizeLimitChanging(max);
            }
        }
        super.setMaxFieldSize(max);
    }

    /** The identity this statement last ran as, or {@code null} before it ran. */
    final io.governed.identity.Identity ranAs() {
        return ranAs;
    }

    /** A result of this statement (its rows, generated keys, a cursor it returned) has masked or checked columns. */
    final void maskedResultOpened(MaskingResultSet result) {
        if (maskedResults == null) {
            maskedResults = new java.util.ArrayList<>(2);
        } else if (maskedResults.size() >= 8) {
            maskedResults.removeIf(GovernedStatement::closed);
        }
        maskedResults.add(result);
    }

    private static boolean closed(ResultSet result) {
        try {
            return result.isClosed();
        } catch (SQLException e) {
            return false; // kept: checked for the limit like an open one
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + connection.connectionId() + "]";
    }
}
