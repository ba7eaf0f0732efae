package io.governed.jdbc.wrapper;


import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.gate.CallKind;
import io.governed.jdbc.gate.SqlText;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.identity.IdentityResolution;
import io.governed.jdbc.identity.IdentityResolver;
import io.governed.jdbc.session.SessionReset;
import io.governed.jdbc.session.SessionState;
import io.governed.jdbc.session.SessionStates;
import io.governed.policy.engine.DecisionContext;
import io.governed.policy.engine.PolicyEngine;
import io.governed.policy.masking.MaskPlanner;
import io.governed.jdbc.pipeline.Execution;
import io.governed.jdbc.pipeline.GeneratedKeys;
import io.governed.jdbc.pipeline.GeneratedKeysSql;
import io.governed.jdbc.pipeline.ServerEndpoint;
import io.governed.jdbc.pipeline.StatementPipeline;
import io.governed.sql.Dialect;
import io.governed.sql.RoutineCatalog;
import io.governed.sql.RowFilterRewriter;
import io.governed.sql.SqlAnalysis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection whose statements pass the governance {@linkplain StatementPipeline pipeline}. Every statement, prepared statement and
 * callable statement it creates is governed; everything else is the delegate's behaviour.
 *
 * <p>The identity of a statement is resolved when the statement runs, in this order: the
 * {@link IdentityContext#runAs scoped identity} of the calling thread, the governance's
 * {@link IdentityResolver}, this connection's identity ({@link #setIdentity}), then the governance's
 * default identity. A scoped or resolved identity therefore never carries one caller's identity
 * into another's statement on a pooled connection.
 *
 * <p>{@link #setIdentity} is different: it belongs to this connection object. Behind a
 * {@code GovernedDataSource} that is one borrowing; but where a pool holds {@code jdbc:governed:}
 * connections themselves, it is the physical connection, and the identity stays for the next
 * borrower unless the pool calls {@link #endRequest()}. Use {@code runAs} for per-caller identity.
 */
public class GovernedConnection extends ForwardingConnection {
    private static final AtomicLong IDS = new AtomicLong();
    private static final Logger LOG = LoggerFactory.getLogger(GovernedConnection.class);

    private final Governance governance;
    private final StatementPipeline pipeline;
    private final Dialect dialect;
    private final String connectionId;
    private final Identity openedWith;
    /** How the physical connection's session resolves unqualified names, read from the database on need. */
    private final SessionState session;
    private volatile Identity identity;
    /** The database's built-in routines beyond the analyser's list, read again when due ({@link #routines(long)}). */
    private volatile RoutineCatalog routines;
    /** The database, host and port statements go to, read on first need (by tracing). */
    private volatile ServerEndpoint server;
    /**
     * The statements that ran through this connection and are not closed, held weakly (a statement the application drops
     * unclosed is not kept alive for it): closing the connection ends their open executions ({@link #close()}). Each
     * knows its place in the list, so that neither adding nor removing one hashes the statement (a statement's first
     * identity hash is a call into the JVM); references whose statement was collected are dropped when the list has
     * doubled since the last time they were ({@link #ranStatementsCheckedAt}).
     */
    private final java.util.ArrayList<RanStatement> ranStatements = new java.util.ArrayList<>();
    /** The size of {@link #ranStatements} at which collected statements are next looked for; under its lock. */
    private int ranStatementsCheckedAt = RAN_STATEMENTS_FIRST_CHECK;
    private static final int RAN_STATEMENTS_FIRST_CHECK = 16;

    /** A statement that ran, held weakly, and its place in {@link #ranStatements} (-1: not in it); under its lock. */
    static final class RanStatement extends java.lang.ref.WeakReference<GovernedStatement> {
        private int slot;

        private RanStatement(GovernedStatement statement, int slot) {
            super(statement);
            this.slot = slot;
        }
    }

    /**
     * @param delegate   the delegate driver's connection
     * @param governance the governance runtime whose gate its statements pass
     * @param identity   the connection's own identity, or {@code null}
     * @param dialect    the dialect of the database behind {@code delegate}
     */
    public GovernedConnection(Connection delegate, Governance governance, Identity identity, Dialect dialect) {
        this(delegate, governance, identity, dialect, RoutineCatalog.NONE);
    }

    /**
     * @param routines tells the database's built-in routines from user code, beyond the analyser's list
     *                 (see {@link io.governed.jdbc.routines.PostgresRoutineCatalog})
     */
    public GovernedConnection(Connection delegate, Governance governance, Identity identity, Dialect dialect,
                              RoutineCatalog routines) {
        super(delegate);
        this.routines = Objects.requireNonNull(routines, "routines");
        this.governance = Objects.requireNonNull(governance, "governance");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.pipeline = governance.pipeline().on(dialect); // the stages that run on its database
        MaskPlanner planner = governance.maskPlanner();
        this.resultPlanner = planner != null && planner.masksAnyone() ? planner : null;
        PolicyEngine engine = governance.engine();
        this.resultFiltering = engine != null && !engine.policy().rowFilters().isEmpty() ? engine : null;
        this.identity = identity;
        this.openedWith = identity;
        this.session = SessionStates.of(delegate, dialect);
        this.connectionId = "gc-" + IDS.incrementAndGet();
        try {
            session.autoCommit(delegate.getAutoCommit());
        } catch (SQLException unreadable) {
            session.autoCommit(false); // a transaction may be open: its loss is recorded
        }
    }

    /**
     * The governance's mask planner when its policy masks anyone, else {@code null}; its engine when the policy filters
     * rows, else {@code null}: what every result of this connection is read under, worked out once from the connection's
     * governance (whose planner, engine and policy are fixed) rather than for each result.
     */
    private final MaskPlanner resultPlanner;
    private final PolicyEngine resultFiltering;

    /** {@link #resultPlanner}: the mask planner a result of this connection is read under, or {@code null} when no one is masked. */
    MaskPlanner resultPlanner() {
        return resultPlanner;
    }

    /** {@link #resultFiltering}: the engine whose row filters a result's later readers are checked by, or {@code null} when none. */
    PolicyEngine resultFiltering() {
        return resultFiltering;
    }

    /** Where statements go, read from the connection when first asked for (one supplier for the connection's life). */
    private final java.util.function.Supplier<ServerEndpoint> serverEndpoint = this::server;

    private ServerEndpoint server() {
        ServerEndpoint known = server;
        if (known == null) {
            known = ServerEndpoint.of(delegate);
            server = known;
        }
        return known;
    }

    /**
     * Ends this borrowing, handing the physical connection's session back as it was opened. When a statement run through
     * it may have left something in the session ({@link SessionState#leftovers}: a custom setting such as
     * {@code app.tenant}, a user variable, a statement prepared by name, a cursor, a temporary table, a lock, a
     * {@code LISTEN}), the whole session is reset: an open transaction is rolled back, then PostgreSQL's
     * {@code DISCARD ALL} or MariaDB's {@code COM_RESET_CONNECTION} (with {@code useResetConnection=true}) runs, or H2's
     * user variables, schema, search path and time zone are set back ({@link SessionReset}). Otherwise,
     * when its role or session authorization was changed, or code ran that may have changed it, and was not reset since
     * ({@link SessionState#roleToReset}), the role is reset: an open transaction is rolled back (as a pool does with a
     * connection returned in one; a reset inside it would be undone with it), then PostgreSQL's
     * {@code RESET SESSION AUTHORIZATION} and {@code RESET ROLE} or MariaDB's {@code SET ROLE NONE} run, committed.
     * When that fails, or the database has no known reset, the physical connection is aborted rather than handed back
     * with a session nobody knows. A connection that closes its physical connection for good ({@link #closesForGood()},
     * one the governed driver opened) resets nothing: the server ends its session.
     */
    @Override
    public void close() throws SQLException {
        SQLException unended = endOpenExecutions();
        try {
            closeAndHandBack();
        } catch (SQLException | RuntimeException e) {
            if (unended != null) {
                e.addSuppressed(unended);
            }
            throw e;
        }
        if (unended != null) {
            throw unended;
        }
    }

    /**
     * A statement of this connection ran: closing the connection ends its execution if it is left open. Called once per
     * statement; the answer is what the statement hands to {@link #statementClosed}.
     */
    RanStatement statementRan(GovernedStatement statement) {
        synchronized (ranStatements) {
            if (ranStatements.size() >= ranStatementsCheckedAt) {
                dropCollectedStatements();
                ranStatementsCheckedAt = Math.max(RAN_STATEMENTS_FIRST_CHECK, 2 * ranStatements.size());
            }
            RanStatement ran = new RanStatement(statement, ranStatements.size());
            ranStatements.add(ran);
            return ran;
        }
    }

    /**
     * A statement of this connection was closed ({@code ran}: what {@link #statementRan} answered it): its executions
     * are ended already.
     */
    void statementClosed(RanStatement ran) {
        synchronized (ranStatements) {
            if (ran.slot >= 0) {
                removeRanStatement(ran.slot);
            }
        }
    }

    /** Removes the statement at {@code slot} of {@link #ranStatements}, the last one taking its place; under its lock. */
    private void removeRanStatement(int slot) {
        ranStatements.get(slot).slot = -1;
        int last = ranStatements.size() - 1;
        RanStatement moved = ranStatements.remove(last);
        if (slot != last) {
            ranStatements.set(slot, moved);
            moved.slot = slot;
        }
    }

    /** Drops the references of {@link #ranStatements} whose statement was collected; under its lock. */
    private void dropCollectedStatements() {
        for (int i = ranStatements.size() - 1; i >= 0; i--) {
            if (ranStatements.get(i).refersTo(null)) {
                removeRanStatement(i); // the one moved here from the end was looked at already
            }
        }
    }

    /**
     * Ends the executions of statements the application left open (their results unread or not closed), as closing each
     * statement would, so that every statement that ran has its event however the application closes: the first failure
     * is returned, with the others suppressed, after every statement has been tried.
     */
    private SQLException endOpenExecutions() {
        List<GovernedStatement> open;
        synchronized (ranStatements) {
            if (ranStatements.isEmpty()) {
                return null;
            }
            open = new java.util.ArrayList<>(ranStatements.size());
            for (RanStatement ran : ranStatements) {
                ran.slot = -1;
                GovernedStatement statement = ran.get();
                if (statement != null) {
                    open.add(statement);
                }
            }
            ranStatements.clear();
            ranStatementsCheckedAt = RAN_STATEMENTS_FIRST_CHECK;
        }
        SQLException first = null;
        for (GovernedStatement statement : open) {
            try {
                statement.endOpenExecution();
            } catch (SQLException | RuntimeException e) {
                SQLException failure = e instanceof SQLException sql ? sql : new SQLException("A statement left open"
                        + " could not be ended when its connection closed (" + e.getClass().getName() + "); the connection"
                        + " is closed all the same. Close statements before their connection", "HY000", e);
                if (first == null) {
                    first = failure;
                } else {
                    first.addSuppressed(failure);
                }
            }
        }
        return first;
    }

    private void closeAndHandBack() throws SQLException {
        session.closeBeside(); // a connection beside the transaction lives no longer than it, nor than this one
        if (!closesForGood) {
            handBack(); // a pooled connection's session goes to the next borrower as it was opened
        }
        boolean open = !abortedPhysical && !delegate.isClosed() && transactionOpen();
        long started = System.nanoTime();
        try {
            super.close();
        } catch (SQLException closed) {
            if (!abortedPhysical) {
                throw closed;
            }
            // a pool that hands back a connection it finds closed fails there: the connection is gone, as meant
        }
        if (open) {
            session.transactionEnded();
            auditRollbackOfLeftTransaction("Connection.close() with the transaction open (the database or the pool rolls "
                    + "it back)", started);
        }
    }

    /**
     * Aborts the connection as the driver does ({@link Connection#abort}). An open transaction, which the database rolls
     * back with the session, is recorded as a {@code rollback} of the identity in effect where {@code abort} was called,
     * once the driver has closed the physical connection: at once (MariaDB's) or in the task it hands {@code executor}
     * (pgjdbc's), also through a pool's proxy. A driver that leaves the connection open (H2's ignores {@code abort})
     * ended nothing, and nothing is recorded. An event that cannot be taken is logged: a connection being aborted is not
     * kept open for the audit.
     */
    @Override
    public void abort(java.util.concurrent.Executor executor) throws SQLException {
        if (executor == null || abortedPhysical || delegate.isClosed() || !transactionOpen()) {
            // the driver refuses a null executor as it does
            super.abort(executor);
            if (executor != null) {
                // a connection beside the transaction goes with this one, in the executor (abort does not wait); a
                // driver that takes a null executor without refusing it (H2's ignores abort) has none beside it
                executor.execute(session::closeBeside);
            }
            return;
        }
        Identity by = identityOrNone();
        long started = System.nanoTime();
        // a pool's proxy (HikariCP's) says it is open until it is handed back: the physical connection tells the abort
        Connection physical = SessionStates.physical(delegate);
        java.util.concurrent.atomic.AtomicBoolean recorded = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable recordIfEnded = () -> {
            try {
                if (physical.isClosed() && recorded.compareAndSet(false, true)) {
                    session.transactionEnded();
                    auditRollbackOfLeftTransaction(by, "Connection.abort() with the transaction open (the database "
                            + "rolls it back)", started);
                }
            } catch (SQLException unreadable) {
                LOG.warn("Connection {}: whether abort() closed the connection could not be read ({}); its transaction's "
                        + "end is not recorded", connectionId, unreadable.getMessage());
            }
        };
        super.abort(task -> executor.execute(() -> {
            try {
                task.run();
            } finally {
                recordIfEnded.run();
                session.closeBeside(); // a connection beside the transaction goes with this one
            }
        }));
        recordIfEnded.run();
    }

    /** Whether this borrowing aborted (or closed) the physical connection, rather than hand on its session. */
    private volatile boolean abortedPhysical;
    /**
     * Whether a statement that may run code of the database's users ({@link Execution#mayRunUserCode}) ran since the
     * transaction last ended: a commit then runs its deferred constraint triggers, whose messages are withheld as its own.
     */
    private boolean userCodeInTransaction;
    /**
     * Whether such a statement ran since the connection's warnings were last cleared: the database's notices of such code
     * may reach the connection's warnings (those of a commit, of a statement run outside a statement object's).
     */
    private boolean userCodeSinceWarningsCleared;
    /** Tells the pool the connection came from to drop it ({@link #evictThrough}); nothing by default. */
    private volatile java.util.function.Consumer<Connection> evict = connection -> { };

    /**
     * How to tell the pool {@code delegate} came from that it is to drop the connection when this borrowing aborts it
     * rather than hand its session on (HikariCP's {@code evictConnection}): a pool that learns it from no error (H2's
     * closed connection is 90007, not 08…) would hand the closed connection out again.
     */
    public void evictThrough(java.util.function.Consumer<Connection> evict) {
        this.evict = Objects.requireNonNull(evict, "evict");
    }

    /**
     * Whether closing this connection closes its physical connection for good ({@link #closesForGood()}): then its
     * session ends with it on the server, and nothing in it is reset for a next borrower.
     */
    private volatile boolean closesForGood;

    /**
     * Marks this connection as the only user of a physical connection it closes for good: one the governed driver
     * opened through {@code DriverManager}. Closing it skips the session reset a pooled connection gets (a
     * {@code DISCARD ALL}, a {@code COM_RESET_CONNECTION}, a role or client info set back): the server ends the session,
     * with its settings, variables, temporary tables and open transaction, when the connection closes. A pool built on
     * the governed driver closes such a connection only when it retires it; one that hands it on calls
     * {@link #endRequest()}, which still resets the session.
     */
    public void closesForGood() {
        this.closesForGood = true;
    }

    /**
     * The session as opened, for the next borrower: reset whole when a statement may have left something in it
     * ({@link SessionState#leftovers}), else its role reset when that may have changed; aborted when it cannot be.
     */
    private void handBack() {
        if (session.leftovers()) {
            resetSession();
        } else if (session.roleToReset()) {
            resetRole();
        }
        if (!abortedPhysical && session.clientInfoSet()) {
            restoreClientInfo();
        }
    }

    /**
     * Sets the client info this borrowing set ({@code setClientInfo}) back to what it was, which the driver would
     * otherwise hand the next borrower ({@code getClientInfo()}; pgjdbc's {@code ApplicationName} in the server session
     * too, which the session reset has set back already); aborts the physical connection when that fails.
     */
    private void restoreClientInfo() {
        try {
            if (!delegate.isClosed()) {
                session.restoreClientInfo(delegate);
            }
        } catch (SQLException | RuntimeException failed) {
            LOG.warn("Connection {}: the client info set through it could not be set back ({}: {}); the physical "
                    + "connection is aborted so that no other borrower reads it", connectionId,
                    failed.getClass().getSimpleName(), failed.getMessage());
            abortPhysical();
        }
    }

    /**
     * Sets a client info property (pgjdbc's {@code ApplicationName} sets the server's {@code application_name}). What the
     * connection had before is set back before another identity's statement or {@code getClientInfo} and when the
     * borrowing ends, so no other identity reads what this one set; on PostgreSQL the session is then reset as for any
     * setting a statement leaves.
     */
    @Override
    public void setClientInfo(String name, String value) throws java.sql.SQLClientInfoException {
        clientInfoChanging(java.util.Map.of(name == null ? "" : name, java.sql.ClientInfoStatus.REASON_UNKNOWN));
        super.setClientInfo(name, value);
    }

    /** Sets client info properties, set back as {@link #setClientInfo(String, String)} says. */
    @Override
    public void setClientInfo(java.util.Properties properties) throws java.sql.SQLClientInfoException {
        java.util.Map<String, java.sql.ClientInfoStatus> names = new java.util.HashMap<>();
        if (properties != null) {
            for (String name : properties.stringPropertyNames()) {
                names.put(name, java.sql.ClientInfoStatus.REASON_UNKNOWN);
            }
        }
        clientInfoChanging(names);
        super.setClientInfo(properties);
    }

    private void clientInfoChanging(java.util.Map<String, java.sql.ClientInfoStatus> names)
            throws java.sql.SQLClientInfoException {
        try {
            session.clientInfoChanging(identityOrNone(), delegate);
        } catch (SQLException | RuntimeException notSetBack) {
            throw new java.sql.SQLClientInfoException("Client info refused: another identity set client info on this "
                    + "connection that could not be set back before this one sets its own (" + notSetBack.getMessage()
                    + "). Set client info in a borrowing of its own", GovernanceException.SQLSTATE_DENIED, 0, names,
                    notSetBack);
        }
    }

    /**
     * A copy of the connection's client info; what another identity set on it is set back first. A copy, since a
     * driver may hand out its own set (MariaDB Connector/J does), which the caller could change past
     * {@link #setClientInfo(String, String)} and so past setting it back.
     */
    @Override
    public java.util.Properties getClientInfo() throws SQLException {
        clientInfoFor(identityOrNone());
        java.util.Properties info = super.getClientInfo();
        java.util.Properties copy = new java.util.Properties();
        if (info != null) {
            copy.putAll(info);
        }
        return info == null ? null : copy;
    }

    /** A client info property; what another identity set on the connection is set back first. */
    @Override
    public String getClientInfo(String name) throws SQLException {
        clientInfoFor(identityOrNone());
        return super.getClientInfo(name);
    }

    private void clientInfoFor(Identity reader) throws SQLException {
        if (!session.clientInfoByAnother(reader)) {
            return;
        }
        try {
            session.restoreClientInfo(delegate);
        } catch (SQLException | RuntimeException notSetBack) {
            throw GovernanceException.failedClosed("Reading client info refused: another identity set client info on "
                    + "connection " + connectionId + " that could not be set back (" + notSetBack.getMessage() + "). Read "
                    + "it in a borrowing of its own, or end the request (Connection.endRequest) before another identity "
                    + "uses the connection", GovernanceException.SQLSTATE_DENIED, null);
        }
    }

    /**
     * Resets the whole session ({@link SessionReset}: PostgreSQL's {@code DISCARD ALL}, MariaDB's
     * {@code COM_RESET_CONNECTION}) after rolling back an open transaction, outside auto-commit; aborts the physical
     * connection when that fails or the database has no known reset (a MariaDB connection without
     * {@code useResetConnection=true}, say).
     */
    private void resetSession() {
        try {
            if (delegate.isClosed()) {
                return;
            }
            boolean autoCommit = delegate.getAutoCommit();
            if (!autoCommit) {
                rollBackOnHandBack();
                delegate.setAutoCommit(true);
            }
            session.reset(delegate);
            if (!autoCommit) {
                delegate.setAutoCommit(false);
            }
            session.wasReset();
        } catch (SQLException | RuntimeException failed) {
            LOG.warn("Connection {}: the session, in which a statement may have left settings, variables, prepared "
                    + "statements, cursors, temporary tables, locks or LISTENs, could not be reset ({}: {}); the physical "
                    + "connection is aborted so that no other borrower inherits them", connectionId,
                    failed.getClass().getSimpleName(), failed.getMessage());
            abortPhysical();
        }
    }

    /**
     * Rolls back what a borrowing that ends leaves open before its session is reset; a transaction that was open is
     * recorded as a {@code rollback} of the identity in effect.
     */
    private void rollBackOnHandBack() throws SQLException {
        boolean open = session.ranInTransaction();
        long started = System.nanoTime();
        delegate.rollback();
        session.transactionEnded();
        userCodeInTransaction = false;
        if (open) {
            auditRollbackOfLeftTransaction("the end of the borrowing (the session is reset)", started);
        }
    }

    /**
     * Records the rollback of a transaction a borrowing left open ({@link #transactionEnded}); an event that cannot be
     * taken is logged, not thrown: the borrowing is ending and the rollback ran either way.
     */
    private void auditRollbackOfLeftTransaction(String call, long started) {
        auditRollbackOfLeftTransaction(identityOrNone(), call, started);
    }

    private void auditRollbackOfLeftTransaction(Identity by, String call, long started) {
        try {
            transactionEnded(by, "rollback", call, started, null, false);
        } catch (SQLException unrecorded) {
            LOG.warn("Connection {}: the rollback of the transaction its borrowing left open could not be audited ({})",
                    connectionId, unrecorded.getMessage());
        }
    }

    private void resetRole() {
        List<String> reset = switch (dialect) {
            case POSTGRESQL -> List.of("RESET SESSION AUTHORIZATION", "RESET ROLE");
            case MARIADB -> List.of("SET ROLE NONE");
            default -> List.of();
        };
        try {
            if (delegate.isClosed()) {
                return;
            }
            if (reset.isEmpty()) {
                throw new SQLException("no known statement resets the role of a " + dialect + " session");
            }
            boolean autoCommit = delegate.getAutoCommit();
            if (!autoCommit) {
                rollBackOnHandBack();
            }
            try (Statement statement = delegate.createStatement()) {
                for (String sql : reset) {
                    statement.execute(sql);
                }
            }
            if (!autoCommit) {
                delegate.commit();
            }
            session.changed(); // the search path's "$user" follows the role: names are read again
            session.roleReset();
        } catch (SQLException | RuntimeException failed) {
            LOG.warn("Connection {}: the session's role, changed by a statement, could not be reset ({}); the physical "
                    + "connection is aborted so that no other borrower runs with that role", connectionId,
                    failed.getClass().getSimpleName());
            abortPhysical();
        }
    }

    /**
     * Aborts the physical connection (closes it when abort left it open, as H2's does), then asks it for a statement: a
     * pool whose connection {@code delegate} is (HikariCP, say) learns from the error (SQLState 08…) that it is broken
     * and drops it, rather than hand it out again. A pool that does not learn it from H2's error (90007) finds the
     * connection closed when it next checks it, and a borrower it hands it to before that fails: nobody inherits the
     * session.
     */
    private void abortPhysical() {
        abortedPhysical = true;
        try {
            evict.accept(delegate);
        } catch (RuntimeException notEvicted) {
            LOG.warn("Connection {}: the pool was not told to drop the connection ({})", connectionId,
                    notEvicted.getClass().getSimpleName());
        }
        try {
            delegate.abort(Runnable::run);
        } catch (SQLException | RuntimeException notAborted) {
            LOG.warn("Connection {}: could not abort the physical connection ({})", connectionId,
                    notAborted.getClass().getSimpleName());
        }
        try {
            // H2's abort does nothing: the physical connection is closed, which ends its session (and its temporary
            // tables, variables); a pool proxy's own close would only hand it back
            Connection physical = io.governed.jdbc.session.SessionStates.physical(delegate);
            if (!physical.isClosed()) {
                physical.close();
            }
        } catch (SQLException | RuntimeException notClosed) {
            LOG.warn("Connection {}: could not close the physical connection ({})", connectionId,
                    notClosed.getClass().getSimpleName());
        }
        try (Statement statement = delegate.createStatement()) {
            statement.execute("SELECT 1");
        } catch (SQLException | RuntimeException expected) {
            // the pool saw it
        }
    }

    /** This connection's id, as audit events and error messages name it. */
    public String connectionId() {
        return connectionId;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** {@link #valuesOf}, made once: each statement's execution is told it. */
    private final io.governed.jdbc.masking.ResultMasks.ColumnValues columnValues = this::valuesOf;

    /** How long the driver's own read of a column's values for auto-detection may take. */
    private static final int SAMPLE_SECONDS = 5;
    /** How much of each text or binary value the driver's own read of a column keeps (the drivers that honour it). */
    private static final int SAMPLE_FIELD_BYTES = 65_536;

    /**
     * Up to {@code rows} non-null values of base column {@code column} as text auto-detection can read
     * ({@link io.governed.classification.DetectableText}), read by the driver itself to classify the column and never
     * handed to the caller: the first rows of its table as the database reads them, under no condition of the caller's.
     * {@code null} when they cannot be read (the table is not known, the session may not read it, the read fails or
     * takes longer than a few seconds); {@link io.governed.jdbc.masking.ResultMasks.ColumnValues#NOT_NOW} when the
     * transaction has already failed. On PostgreSQL the read runs as {@link
     * io.governed.jdbc.session.CatalogQuery#leavingTheTransaction} runs the session's catalog readings: inside a
     * transaction (outside auto-commit, or a block the application opened with {@code BEGIN}) under a savepoint, so that
     * its failure leaves the caller's transaction as it was.
     */
    public List<Object> valuesOf(io.governed.classification.QualifiedColumn column, int rows) {
        if (column.table() == null || column.table().isEmpty()) {
            return null;
        }
        String table = column.schema() == null || column.schema().isEmpty() ? dialect.quoted(column.table())
                : dialect.quoted(column.schema()) + "." + dialect.quoted(column.table());
        String value = dialect.quoted(column.column());
        String sample = "SELECT " + value + " FROM " + table + " WHERE " + value + " IS NOT NULL";
        io.governed.jdbc.session.CatalogQuery.Work<List<Object>> read = physical -> {
            List<Object> values = new java.util.ArrayList<>();
            try (Statement s = physical.createStatement()) {
                s.setMaxRows(rows);
                s.setMaxFieldSize(SAMPLE_FIELD_BYTES); // a sample of a column of documents need not hold them whole
                s.setQueryTimeout(SAMPLE_SECONDS);
                try (java.sql.ResultSet rs = s.executeQuery(sample)) {
                    while (values.size() < rows && rs.next()) {
                        Object detectable = io.governed.jdbc.masking.ColumnReads.detectable(rs.getObject(1));
                        if (detectable == io.governed.jdbc.masking.ColumnReads.NOT_DETECTABLE) {
                            LOG.debug("Auto-detection cannot read the values of column {} (the driver gives them as {}): "
                                    + "values computed from it are redacted until it is classified", column,
                                    rs.getObject(1).getClass().getName());
                            return null;
                        }
                        values.add(detectable);
                    }
                }
            }
            return values;
        };
        try {
            // PostgreSQL aborts a transaction at its first failed statement, whether JDBC opened it (auto-commit off) or
            // the application did with BEGIN sent as SQL: the read runs as the session's catalog readings do, under a
            // savepoint while a transaction is open
            return dialect == Dialect.POSTGRESQL ? io.governed.jdbc.session.CatalogQuery.leavingTheTransaction(delegate, read)
                    : read.run(delegate);
        } catch (RuntimeException e) {
            // a driver that fails this way fails the caller's own statements too; here it leaves the column unread
            LOG.warn("Auto-detection's read of column {} failed in the driver ({}): values computed from it are redacted"
                    + " until it is classified", column, e.getClass().getName());
            return null;
        } catch (SQLException e) {
            LOG.debug("Auto-detection could not read the values of column {} (SQLState {}): values computed from it are"
                    + " redacted until it is classified", column, e.getSQLState());
            if ("25P02".equals(e.getSQLState())) {
                return io.governed.jdbc.masking.ResultMasks.ColumnValues.NOT_NOW; // a failed transaction reads nothing
            }
            return null;
        }
    }

    public Governance governance() {
        return governance;
    }

    /** The connection's own identity, or {@code null}. */
    public Identity identity() {
        return identity;
    }

    /**
     * Sets this connection object's own identity; {@code null} removes it. Scoped and resolved
     * identities still win. Dropped again by {@link #endRequest()}; see the class comment on pools. An identity verified
     * from a token that names the migration principal is refused (28000) when a statement runs as it: only the
     * connection's service token ({@code governed.identity.token}) may name that principal.
     */
    public void setIdentity(Identity identity) {
        this.identity = identity;
    }

    /**
     * The identity a statement run now, on this thread, would be checked as ({@link IdentityResolution});
     * {@code null} when there is none.
     *
     * @throws SQLException (28000) when a scoped identity is required and there is none
     */
    public Identity currentIdentity() throws SQLException {
        return governance.identityResolution().current(identity);
    }

    /** The pipeline every statement of this connection passes. */
    public StatementPipeline pipeline() {
        return pipeline;
    }

    /**
     * Passes {@code sql} through the pipeline without running it (a prepare, an {@code addBatch}, a
     * {@code nativeSQL}): a refusal is audited and thrown.
     */
    Execution check(SqlText sql, CallKind callKind) throws SQLException {
        return enter(sql, sql, callKind, false, GeneratedKeys.NONE, null, null, null);
    }

    /**
     * {@link #check} of a plain statement's {@code addBatch}: an INSERT's new rows are checked when the batch runs, and a
     * statement that needs a row-filter rewrite runs it then.
     */
    Execution checkBatched(SqlText sql, Identity batchedAs) throws SQLException {
        return enter(sql, sql, CallKind.BATCH, false, GeneratedKeys.NONE, null,
                execution -> execution.rewritable().batchedAs(batchedAs), LATER);
    }

    /**
     * Passes the statement a row write of an updatable result set amounts to ({@code sql}, without values) through the
     * pipeline to run now: a refusal is audited and thrown; the execution returned ends, completed or failed, when the
     * driver's {@code updateRow}, {@code insertRow} or {@code deleteRow} has run, and is audited then as that statement.
     */
    Execution beginRowWrite(SqlText sql) throws SQLException {
        return enter(sql, sql, CallKind.ROW_WRITE, true, GeneratedKeys.NONE, null, null, null);
    }

    /**
     * Passes the query a {@code refreshRow} of an updatable result set amounts to ({@code sql}) through the pipeline to
     * run now, as {@link #beginRowWrite} passes a row write: the execution returned ends when the driver has read the row.
     */
    Execution beginRowRead(SqlText sql) throws SQLException {
        return enter(sql, sql, CallKind.QUERY, true, GeneratedKeys.NONE, null, null, null);
    }

    /**
     * A row write (as {@code sql}, the statement it amounts to) that a result set refused itself, before the decision:
     * it passes through the pipeline so that it is audited as refused, tied to the caller like any statement. Returns
     * the exception to throw: {@code refusal}, or the identity's refusal when there is no identity.
     */
    SQLException refusedRowWrite(SqlText sql, SQLException refusal) {
        return refusedByWrapper(sql, CallKind.ROW_WRITE, refusal);
    }

    /**
     * A read of a result with no statement of its own (a refcursor, as {@code sql}, the SELECT its rows amount to) that a
     * result set refused itself: it passes through the pipeline so that it is audited as refused, tied to the caller.
     * Returns the exception to throw: {@code refusal}, or the identity's refusal when there is no identity.
     */
    SQLException refusedNestedRead(SqlText sql, SQLException refusal) {
        return refusedByWrapper(sql, CallKind.QUERY, refusal);
    }

    /**
     * Passes {@code sql}, a {@code kind} of call a wrapper refused itself for {@code refusal}, through the pipeline so
     * that it is audited as refused; returns the exception to throw.
     */
    private SQLException refusedByWrapper(SqlText sql, CallKind kind, SQLException refusal) {
        Execution execution;
        try {
            execution = enter(sql, sql, kind, true, GeneratedKeys.NONE, null, e -> e.refusedByWrapper(refusal), null);
        } catch (SQLException refused) {
            return refused;
        }
        return pipeline.failed(execution, refusal); // not reached while the pipeline has its wrapper-refusal stage
    }

    /**
     * {@link #beginRowWrite} of a row write through a result set read through a row-filter rewrite ({@code write}); an
     * INSERT's new row is checked with {@code rows}.
     */
    Execution beginRowWrite(SqlText sql, Execution.RowWrite write, io.governed.jdbc.pipeline.NewRowCheck rows)
            throws SQLException {
        return enter(sql, sql, CallKind.ROW_WRITE, true, GeneratedKeys.NONE, null, execution -> execution.rowWrite(write),
                rows);
    }

    /** Stands for the check of new rows made when a batch runs (an {@code addBatch} runs nothing). */
    private static final io.governed.jdbc.pipeline.NewRowCheck LATER = checks -> {
        throw new io.governed.jdbc.pipeline.NewRowCheck.Unchecked("new rows are checked when the batch runs");
    };

    /**
     * {@link #check} of a statement that returns {@code keys}, checked as {@code analysedSql}, the SQL
     * the driver will make of it ({@link #analysedText}).
     */
    Execution check(SqlText sql, SqlText analysedSql, CallKind callKind, GeneratedKeys keys) throws SQLException {
        return enter(sql, analysedSql, callKind, false, keys, null, null, null);
    }

    /**
     * Passes {@code sql} through the pipeline to run now: a refusal is audited and thrown; the
     * execution returned ends, completed or failed, when the statement has run.
     */
    Execution begin(SqlText sql, SqlText analysedSql, CallKind callKind, GeneratedKeys keys) throws SQLException {
        return enter(sql, analysedSql, callKind, true, keys, null, null, null);
    }

    /** {@link #begin} of a statement whose caller runs the row-filter rewrite the pipeline may give it. */
    Execution beginRewritable(SqlText sql, CallKind callKind, io.governed.jdbc.pipeline.NewRowCheck rows) throws SQLException {
        return enter(sql, sql, callKind, true, GeneratedKeys.NONE, null, execution -> execution.rewritable(), rows);
    }

    /**
     * {@link #beginRewritable} of a plain statement's batch entry, batched {@code times} times in a row: the decision is
     * made once for all of them ({@link Execution#runningTimes}).
     */
    Execution beginBatched(SqlText sql, io.governed.jdbc.pipeline.NewRowCheck rows, int times, Identity addedAs)
            throws SQLException {
        return enter(sql, sql, CallKind.BATCH, true, GeneratedKeys.NONE, null,
                execution -> execution.rewritable().runningTimes(times).batchedAs(addedAs), rows);
    }

    /**
     * {@link #beginRewritable} of a statement run with {@code keys}, checked as the SQL the driver will make of it
     * ({@link #analysedText}); its rewrite is run with the same keys ({@link #prepareRewritten(RowFilterRewriter.Rewrite, GeneratedKeys)}).
     */
    Execution beginRewritable(SqlText sql, CallKind callKind, GeneratedKeys keys, io.governed.jdbc.pipeline.NewRowCheck rows)
            throws SQLException {
        return enter(sql, analysedText(sql, keys), callKind, true, keys, null, execution -> execution.rewritable(), rows);
    }

    /** {@link #beginRewritable} of a statement whose results may be updated ({@link Execution#updatableResults}). */
    Execution beginRewritableUpdatable(SqlText sql, CallKind callKind, io.governed.jdbc.pipeline.NewRowCheck rows)
            throws SQLException {
        return enter(sql, sql, callKind, true, GeneratedKeys.NONE, null,
                execution -> execution.rewritable().updatableResults(true), rows);
    }

    /**
     * {@link #begin} (or, for an {@code addBatch}, {@link #check}) of a prepared statement prepared as
     * {@code preparedAs} ({@link Execution#prepared}).
     */
    Execution enterPrepared(SqlText sql, CallKind callKind, boolean runs, String preparedAs,
                            List<List<Object>> batchedValues, java.util.function.Supplier<String> parameters,
                            io.governed.jdbc.pipeline.NewRowCheck rows)
            throws SQLException {
        return enterPrepared(sql, sql, GeneratedKeys.NONE, callKind, runs, preparedAs, batchedValues, parameters, rows);
    }

    /** {@link #enterPrepared} of a statement prepared to return {@code keys}, checked as {@code analysedSql}. */
    Execution enterPrepared(SqlText sql, SqlText analysedSql, GeneratedKeys keys, CallKind callKind, boolean runs,
                            String preparedAs, List<List<Object>> batchedValues,
                            java.util.function.Supplier<String> parameters, io.governed.jdbc.pipeline.NewRowCheck rows)
            throws SQLException {
        return enterPrepared(sql, analysedSql, keys, callKind, runs, preparedAs, batchedValues, parameters, rows, 1, null);
    }

    /**
     * {@link #enterPrepared} deciding for {@code times} runs: a batch of the statement's {@code times} entries, whose
     * earlier entries were added as {@code batchedAs} ({@code null}: none were).
     */
    Execution enterPrepared(SqlText sql, SqlText analysedSql, GeneratedKeys keys, CallKind callKind, boolean runs,
                            String preparedAs, List<List<Object>> batchedValues,
                            java.util.function.Supplier<String> parameters, io.governed.jdbc.pipeline.NewRowCheck rows,
                            int times, Identity batchedAs)
            throws SQLException {
        Execution execution = execution(sql, analysedSql, callKind, runs, keys, parameters)
                .prepared(preparedAs, batchedValues).runningTimes(times).batchedAs(batchedAs);
        if (rows != null) {
            execution.checkingNewRows(rows);
        }
        pipeline.enter(execution);
        ran(execution);
        return execution;
    }

    /** Checks at most this many rows' conditions in one query. */
    private static final int ROWS_PER_CHECK = 256;

    /**
     * Runs the checks of an INSERT's new rows on this connection, once for each entry's bound values (a plain
     * statement's one entry has none): {@code SELECT CASE WHEN (<row 1>) AND (<row 2>) … THEN 1 ELSE 0 END, …}, a
     * column per filter, every value bound as a parameter, the application's exactly as it bound them.
     *
     * @return the ids of the filters some row does not pass
     */
    List<String> failingRowChecks(List<RowFilterRewriter.RowCheck> checks, List<java.util.Map<Integer, Object[]>> entries)
            throws SQLException, io.governed.jdbc.pipeline.NewRowCheck.Unchecked {
        List<java.util.Map.Entry<RowFilterRewriter.RowCheck, java.util.Map<Integer, Object[]>>> rows = new java.util.ArrayList<>();
        for (java.util.Map<Integer, Object[]> entry : entries) {
            for (RowFilterRewriter.RowCheck check : checks) {
                rows.add(new java.util.AbstractMap.SimpleImmutableEntry<>(check, entry));
            }
        }
        java.util.Set<String> failing = new java.util.LinkedHashSet<>();
        for (int from = 0; from < rows.size(); from += ROWS_PER_CHECK) {
            failing.addAll(failingOf(rows.subList(from, Math.min(rows.size(), from + ROWS_PER_CHECK))));
        }
        return List.copyOf(failing);
    }

    private List<String> failingOf(List<java.util.Map.Entry<RowFilterRewriter.RowCheck, java.util.Map<Integer, Object[]>>> rows)
            throws SQLException, io.governed.jdbc.pipeline.NewRowCheck.Unchecked {
        java.util.Map<String, List<java.util.Map.Entry<RowFilterRewriter.RowCheck, java.util.Map<Integer, Object[]>>>> byFilter =
                new java.util.LinkedHashMap<>();
        for (var row : rows) {
            byFilter.computeIfAbsent(row.getKey().filter(), id -> new java.util.ArrayList<>()).add(row);
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (var filter : byFilter.values()) {
            if (sql.length() > 7) {
                sql.append(", ");
            }
            sql.append("CASE WHEN ");
            for (int i = 0; i < filter.size(); i++) {
                sql.append(i == 0 ? "(" : " AND (").append(filter.get(i).getKey().condition()).append(')');
            }
            sql.append(" THEN 1 ELSE 0 END");
        }
        List<String> ids = List.copyOf(byFilter.keySet());
        try (PreparedStatement check = delegate.prepareStatement(sql.toString())) {
            int index = 1;
            for (var filter : byFilter.values()) {
                for (var row : filter) {
                    for (RowFilterRewriter.Binding binding : row.getKey().bindings()) {
                        bindCheckValue(check, index++, binding, row.getValue());
                    }
                }
            }
            List<String> failing = new java.util.ArrayList<>();
            try (java.sql.ResultSet result = check.executeQuery()) {
                if (!result.next()) {
                    return ids;
                }
                for (int i = 0; i < ids.size(); i++) {
                    if (result.getInt(i + 1) != 1) {
                        failing.add(ids.get(i));
                    }
                }
            }
            return failing;
        }
    }

    private static void bindCheckValue(PreparedStatement check, int index, RowFilterRewriter.Binding binding,
                                       java.util.Map<Integer, Object[]> entry)
            throws SQLException, io.governed.jdbc.pipeline.NewRowCheck.Unchecked {
        if (!binding.application()) {
            if (binding.value() == null) {
                check.setNull(index, java.sql.Types.NULL);
            } else {
                check.setObject(index, binding.value());
            }
            return;
        }
        Object[] call = entry == null ? null : entry.get(binding.applicationIndex());
        if (call == null) {
            throw new io.governed.jdbc.pipeline.NewRowCheck.Unchecked("parameter " + binding.applicationIndex()
                    + ", the value of a column the filter reads, is not set (or its value was not recorded); set it "
                    + "before running the statement");
        }
        try {
            BoundParameters.replay(call, check, index);
        } catch (BoundParameters.NotReplayable e) {
            throw new io.governed.jdbc.pipeline.NewRowCheck.Unchecked("parameter " + binding.applicationIndex()
                    + ", the value of a column the filter reads, was bound with " + e.getMessage() + ", whose value cannot "
                    + "be read twice; bind it with setString, setInt, setLong, setObject or the like");
        }
    }

    /** A statement of the database's own, to run a row-filter rewrite with (closed by the caller). */
    PreparedStatement prepareRewritten(RowFilterRewriter.Rewrite rewrite) throws SQLException {
        return prepareRewritten(rewrite, GeneratedKeys.NONE);
    }

    /** {@link #prepareRewritten(RowFilterRewriter.Rewrite)} of a statement that returns {@code keys}. */
    PreparedStatement prepareRewritten(RowFilterRewriter.Rewrite rewrite, GeneratedKeys keys) throws SQLException {
        return prepareRewritten(rewrite, keys, java.sql.ResultSet.TYPE_FORWARD_ONLY, java.sql.ResultSet.CONCUR_READ_ONLY);
    }

    /**
     * {@link #prepareRewritten(RowFilterRewriter.Rewrite, GeneratedKeys)} whose results, when it returns no keys, are
     * of {@code type} and {@code concurrency} (those of the application's statement).
     */
    PreparedStatement prepareRewritten(RowFilterRewriter.Rewrite rewrite, GeneratedKeys keys, int type, int concurrency)
            throws SQLException {
        PreparedStatement prepared = keys == GeneratedKeys.NONE
                && (type != java.sql.ResultSet.TYPE_FORWARD_ONLY || concurrency != java.sql.ResultSet.CONCUR_READ_ONLY)
                ? delegate.prepareStatement(rewrite.sql(), type, concurrency) : prepareWithKeys(rewrite.sql(), keys);
        try {
            bindFilterValues(prepared, rewrite);
        } catch (SQLException e) {
            prepared.close();
            throw e;
        }
        return prepared;
    }

    /** The driver's statement for {@code sql}, prepared to return {@code keys} as the application asked for them. */
    private PreparedStatement prepareWithKeys(String sql, GeneratedKeys keys) throws SQLException {
        return switch (keys.kind()) {
            case NONE -> delegate.prepareStatement(sql);
            case DRIVER_CHOICE -> delegate.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
            case COLUMN_NAMES -> delegate.prepareStatement(sql, keys.columnNames().toArray(new String[0]));
            case COLUMN_INDEXES -> delegate.prepareStatement(sql, keys.columnIndexes());
        };
    }

    /** Binds the values of {@code rewrite}'s filters (not the application's parameters) into {@code prepared}. */
    static void bindFilterValues(PreparedStatement prepared, RowFilterRewriter.Rewrite rewrite) throws SQLException {
        bindFilterValues(prepared, rewrite, null);
    }

    /**
     * Binds the values of a rewrite that are not the application's; a {@link RowFilterRewriter.Narrowing} bound as the
     * application's setter call for its parameter in {@code calls} (by the application's index; {@code null}: none
     * known) says: the value itself when it was bound as an integer, else the column's whole range.
     */
    static void bindFilterValues(PreparedStatement prepared, RowFilterRewriter.Rewrite rewrite,
                                 java.util.Map<Integer, Object[]> calls) throws SQLException {
        List<RowFilterRewriter.Binding> bindings = rewrite.bindings();
        for (int i = 0; i < bindings.size(); i++) {
            if (!bindings.get(i).application()) {
                Object value = bindings.get(i).value();
                if (value instanceof RowFilterRewriter.Narrowing narrowing) {
                    prepared.setLong(i + 1, narrowing.bound(
                            boundInteger(calls == null ? null : calls.get(narrowing.applicationIndex()))));
                } else {
                    prepared.setObject(i + 1, value);
                }
            }
        }
    }

    /**
     * The integer an application's setter call bound, when it bound one through {@code setByte}, {@code setShort},
     * {@code setInt}, {@code setLong} or {@code setObject} without a target type (which the driver sends as that
     * integer); {@code null} for any other call (a string, a decimal, a floating-point number, a NULL, a conversion).
     */
    static Long boundInteger(Object[] call) {
        if (call == null || call.length != 2 || !(call[0] instanceof String setter)) {
            return null;
        }
        boolean integerSetter = setter.equals("setByte") || setter.equals("setShort") || setter.equals("setInt")
                || setter.equals("setLong") || setter.equals("setObject");
        Object x = call[1];
        return integerSetter && (x instanceof Long || x instanceof Integer || x instanceof Short || x instanceof Byte)
                ? ((Number) x).longValue() : null;
    }

    /** {@link #begin} of a statement run with bound values whose digest {@code parameters} gives. */
    Execution begin(SqlText sql, SqlText analysedSql, CallKind callKind, GeneratedKeys keys,
                    java.util.function.Supplier<String> parameters) throws SQLException {
        return enter(sql, analysedSql, callKind, true, keys, parameters, null, null);
    }

    /** {@link #begin} of a statement that checks an INSERT's new rows with {@code rows}. */
    Execution begin(SqlText sql, SqlText analysedSql, CallKind callKind, GeneratedKeys keys,
                    java.util.function.Supplier<String> parameters, io.governed.jdbc.pipeline.NewRowCheck rows)
            throws SQLException {
        return enter(sql, analysedSql, callKind, true, keys, parameters, null, rows);
    }

    /** The SQL {@code sql} amounts to once the driver has appended what {@code keys} need ({@link GeneratedKeysSql}). */
    SqlText analysedText(SqlText sql, GeneratedKeys keys) {
        return GeneratedKeysSql.analysedText(sql, keys, dialect, governance.analyzer());
    }

    /** A new run of {@code sql} on this connection, not yet entered into the pipeline. */
    private Execution execution(SqlText sql, SqlText analysedSql, CallKind callKind, boolean runs, GeneratedKeys keys,
                                java.util.function.Supplier<String> parameters) {
        GovernanceException unread = null;
        RoutineCatalog catalog = routines;
        // one clock read for the routine catalog's age and the pipeline's (entry time, the session reading's age)
        long now = io.governed.jdbc.routines.PostgresRoutineCatalog.agesWithTime(catalog) ? System.nanoTime() : 0;
        if (io.governed.jdbc.routines.PostgresRoutineCatalog.due(catalog, now)) {
            try {
                catalog = routines(now);
            } catch (SQLException e) {
                unread = GovernanceException.failedClosed("The statement was refused: what the database's own code "
                        + "defines beside its built-ins could not be read again (" + e.getMessage() + ")",
                        GovernanceException.SQLSTATE_DENIED, e);
            }
            now = System.nanoTime(); // the catalog may have been read meanwhile (once a second): the time is read again
        }
        Execution execution = new Execution(governance.analyzer(), connectionId, dialect, session, identity, sql, analysedSql,
                callKind, runs, keys).withRoutines(catalog).withServer(serverEndpoint).withColumnValues(columnValues).madeAt(now);
        if (unread != null) {
            execution.refusedByWrapper(unread);
            return execution;
        }
        if (keys.requested() && keysAddedToSeveralStatements(sql)) {
            execution.refusedByWrapper(GovernanceException.failedClosed("This SQL text holds several statements and asks "
                    + "for generated keys (" + keys + "): the driver adds a RETURNING clause to its INSERT, UPDATE, DELETE "
                    + "or MERGE statements, whose rows would come back as results of the text that governance cannot "
                    + "trace to the columns they come from. Run the statement whose keys you need on its own, or write "
                    + "its RETURNING clause yourself; nothing was sent to the database",
                    GovernanceException.SQLSTATE_DENIED, null));
        }
        return parameters == null ? execution : execution.withParameters(parameters);
    }

    /**
     * Whether {@code sql} holds several statements one of which is a write without a result list of its own: asked for
     * generated keys, pgjdbc appends {@code RETURNING} to each such write, and its rows come back among the text's
     * results, which the masks lay the text's one select list over ({@link GeneratedKeysSql} adds the clause to a
     * single statement only, where its rows are the keys).
     */
    private boolean keysAddedToSeveralStatements(SqlText sql) {
        SqlAnalysis analysis = analysis(sql);
        if (analysis == null || !analysis.parsed() || !analysis.multiStatement()) {
            return false;
        }
        for (io.governed.sql.StatementAnalysis statement : analysis.statements()) {
            io.governed.sql.Action action = statement.action();
            if ((action == io.governed.sql.Action.INSERT || action == io.governed.sql.Action.UPDATE
                    || action == io.governed.sql.Action.DELETE || action == io.governed.sql.Action.MERGE)
                    && statement.resultColumns().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private Execution enter(SqlText sql, SqlText analysedSql, CallKind callKind, boolean runs, GeneratedKeys keys,
                            java.util.function.Supplier<String> parameters, java.util.function.Consumer<Execution> rewriting,
                            io.governed.jdbc.pipeline.NewRowCheck rows)
            throws SQLException {
        Execution execution = execution(sql, analysedSql, callKind, runs, keys, parameters);
        if (rewriting != null) {
            rewriting.accept(execution);
        }
        if (rows != null) {
            execution.checkingNewRows(rows);
        }
        pipeline.enter(execution);
        ran(execution);
        return execution;
    }

    /** Notes that {@code execution}, allowed, runs code of the database's users if it may. */
    private void ran(Execution execution) {
        if (execution.runs() && execution.mayRunUserCode()) {
            userCodeInTransaction = true;
            userCodeSinceWarningsCleared = true;
        }
    }

    /**
     * An error from the database outside a statement's run (a rollback, a savepoint's release), as the
     * caller may see it: see {@link StatementPipeline#databaseError}.
     */
    SQLException databaseError(SQLException error) {
        return databaseError(error, false);
    }

    /**
     * An error from the database outside a statement's run (a commit, a warning, a row read), as the caller may see it;
     * {@code mayHaveRunUserCode} when it may come from code of the database's users (a trigger run at commit, a notice of
     * a routine): see {@link StatementPipeline#databaseError(Identity, SQLException, boolean)}.
     */
    SQLException databaseError(SQLException error, boolean mayHaveRunUserCode) {
        Identity current;
        try {
            current = currentIdentity();
        } catch (SQLException | RuntimeException none) {
            current = null;
        }
        return pipeline.databaseError(current, error, mayHaveRunUserCode);
    }

    /** Whether a statement that may run code of the database's users ran since the connection's warnings were cleared. */
    boolean userCodeSinceWarningsCleared() {
        return userCodeSinceWarningsCleared;
    }

    /** The analysis of {@code sql} in this connection's dialect, computed once per text. */
    SqlAnalysis analysis(SqlText sql) {
        return governance.analysisOf(sql, dialect);
    }

    @Override
    public Statement createStatement() throws SQLException {
        return new GovernedStatement(this, delegate.createStatement());
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        return new GovernedStatement(this, delegate.createStatement(resultSetType, resultSetConcurrency));
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        return new GovernedStatement(this, delegate.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        Execution checked = checkedPrepare(sql);
        return prepared(checked, as -> delegate.prepareStatement(as));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        Execution checked = checked(sql, GeneratedKeys.of(autoGeneratedKeys));
        return preparedWithKeys(checked, as -> delegate.prepareStatement(as, autoGeneratedKeys));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        Execution checked = checked(sql, GeneratedKeys.of(columnIndexes));
        return preparedWithKeys(checked, as -> delegate.prepareStatement(as, columnIndexes));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        Execution checked = checked(sql, GeneratedKeys.of(columnNames));
        return preparedWithKeys(checked, as -> delegate.prepareStatement(as, columnNames));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        Execution checked = checkedPrepare(sql, resultSetConcurrency == java.sql.ResultSet.CONCUR_UPDATABLE);
        int concurrency = rewrittenConcurrency(checked, resultSetConcurrency);
        return prepared(checked, as -> delegate.prepareStatement(as, resultSetType, concurrency));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
                                              int resultSetHoldability) throws SQLException {
        Execution checked = checkedPrepare(sql, resultSetConcurrency == java.sql.ResultSet.CONCUR_UPDATABLE);
        int concurrency = rewrittenConcurrency(checked, resultSetConcurrency);
        return prepared(checked, as -> delegate.prepareStatement(as, resultSetType, concurrency, resultSetHoldability));
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        return preparedCall(sql, as -> delegate.prepareCall(as));
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        return preparedCall(sql, as -> delegate.prepareCall(as, resultSetType, resultSetConcurrency));
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
                                         int resultSetHoldability) throws SQLException {
        return preparedCall(sql, as -> delegate.prepareCall(as, resultSetType, resultSetConcurrency, resultSetHoldability));
    }

    /** A {@code prepareCall} of {@code sql}, checked as the caller now, the driver's statement made by {@code driver}. */
    private CallableStatement preparedCall(String sql, Preparing<CallableStatement> driver) throws SQLException {
        Execution checked = check(text(sql), CallKind.PREPARE_CALL);
        return new GovernedCallableStatement(this, byDriver(checked, driver, sql), checked.sql());
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        Execution checked = check(text(sql), CallKind.NATIVE_SQL);
        return byDriver(checked, () -> delegate.nativeSQL(sql));
    }

    /** How this connection's session resolves unqualified names (read from the database when first needed). */
    public SessionState session() {
        return session;
    }

    /** {@code analysis} with its unqualified names resolved as the session resolves them now: what masks are planned on. */
    SqlAnalysis resolved(SqlAnalysis analysis) {
        PolicyEngine engine = governance.engine();
        return analysis == null || engine == null ? analysis : engine.resolved(analysis, DecisionContext.of(session.current()));
    }

    /**
     * Judged as the statement the driver runs for it, which the policy sees, the audit records and the session's
     * leftovers count as if the application had run it: PostgreSQL's {@code SET search_path TO "s"} ({@code TO DEFAULT}
     * for {@code null}), H2's {@code SET SCHEMA "s"}, and on other databases {@code SET SCHEMA "s"}. MariaDB's driver
     * ignores it (its {@code useCatalogTerm}, which would make it a {@code USE}, is refused at connect), and it passes
     * to the driver unjudged. A refusal leaves the session as it was.
     */
    @Override
    public void setSchema(String schema) throws SQLException {
        sessionCall(schemaStatement(schema), () -> {
            delegate.setSchema(schema);
            return null;
        });
    }

    /**
     * Judged as the statement the driver runs for it ({@link #setSchema}): MariaDB's and other databases'
     * {@code USE `c`}; PostgreSQL's and H2's drivers ignore it, and it passes to them unjudged.
     */
    @Override
    public void setCatalog(String catalog) throws SQLException {
        sessionCall(catalogStatement(catalog), () -> {
            delegate.setCatalog(catalog);
            return null;
        });
    }

    /**
     * Runs {@code call}, the driver's change of the session, as {@code sql} passes the pipeline (decided, audited,
     * counted as a session leftover; its failure ends the run as {@link #byDriver} ends a check's); {@code null}: a call
     * the driver ignores, run unjudged.
     */
    private void sessionCall(String sql, DriverCall<Void> call) throws SQLException {
        if (sql == null) {
            call.call();
            return;
        }
        SqlText text = text(sql);
        Execution run = begin(text, text, CallKind.EXECUTE, GeneratedKeys.NONE);
        try {
            byDriver(run, call);
        } finally {
            session.changed();
        }
        pipeline.completed(run);
    }

    /** The statement a {@code setSchema(schema)} amounts to on this connection's database ({@link #setSchema}). */
    private String schemaStatement(String schema) throws SQLException {
        return switch (dialect) {
            case POSTGRESQL -> schema == null ? "SET search_path TO DEFAULT" : "SET search_path TO " + dialect.quoted(schema);
            case MARIADB -> null; // the driver ignores it
            default -> "SET SCHEMA " + dialect.quoted(named(schema, "schema"));
        };
    }

    /** The statement a {@code setCatalog(catalog)} amounts to on this connection's database ({@link #setCatalog}). */
    private String catalogStatement(String catalog) throws SQLException {
        return switch (dialect) {
            case POSTGRESQL, H2, H2_LOWER_CASE -> null; // the drivers ignore it
            case MARIADB -> catalog == null ? null : "USE " + dialect.quoted(catalog); // the driver ignores null
            default -> "USE " + dialect.quoted(named(catalog, "catalog"));
        };
    }

    /** {@code name}, or SQLState {@code 22004} (null value not allowed) for {@code null}, naming what is missing. */
    private static String named(String name, String what) throws SQLException {
        if (name == null) {
            throw new SQLException("The " + what + " name is null: name the " + what + " to use", "22004");
        }
        return name;
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        return new GovernedArray(delegate.createArrayOf(typeName, elements), null);
    }

    /**
     * Ends a unit of work (pools that follow JDBC 4.3 call this when a connection goes back): an
     * identity set with {@link #setIdentity} is dropped, back to the one the connection was opened with, and the session
     * is reset as by {@link #close()}.
     */
    @Override
    public void endRequest() throws SQLException {
        identity = openedWith;
        handBack();
        delegate.endRequest();
    }

    // Errors of the database outside a statement's run pass the pipeline, which scrubs them for
    // callers a mask applies to: a deferred constraint failing at commit names the values it checked.

    /**
     * The routine catalog, read again from the database when its reading is older than a second and the session is
     * outside a transaction ({@link io.governed.jdbc.routines.PostgresRoutineCatalog#current}).
     */
    private RoutineCatalog routines(long nowNanos) throws SQLException {
        RoutineCatalog known = routines;
        RoutineCatalog now = io.governed.jdbc.routines.PostgresRoutineCatalog.current(known, delegate, idle, nowNanos);
        if (now != known) {
            routines = now;
        }
        return now;
    }

    /** {@link #idle()}, one supplier for the connection's life (none made per statement). */
    private final java.util.function.BooleanSupplier idle = this::idle;

    /** Whether no transaction is open on the session: auto-commit, or nothing ran since the last commit or rollback. */
    private boolean idle() {
        try {
            return delegate.getAutoCommit() || !session.ranInTransaction();
        } catch (SQLException e) {
            return false; // not read again now; the statement meets the broken connection itself
        }
    }

    /** A savepoint opens the transaction outside auto-commit, as a statement does. */
    @Override
    public Savepoint setSavepoint() throws SQLException {
        Savepoint savepoint = super.setSavepoint();
        session.ran();
        return savepoint;
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        Savepoint savepoint = super.setSavepoint(name);
        session.ran();
        return savepoint;
    }

    @Override
    public void commit() throws SQLException {
        boolean open = transactionOpen();
        if (open) {
            governance.audit().beforeExecution(); // in required mode, nothing is committed that the audit cannot record
        }
        long started = System.nanoTime();
        SQLException failure = null;
        boolean userCode = userCodeInTransaction; // deferred constraint triggers run now
        try {
            delegate.commit();
        } catch (SQLException e) {
            failure = databaseError(e, userCode);
            throw failure;
        } finally {
            session.transactionEnded();
            userCodeInTransaction = false;
            if (open) {
                transactionEnded("commit", "Connection.commit()", started, failure, userCode);
            }
        }
    }

    /** A rollback is never refused, whatever the audit's state: undoing runs nothing the gate would have to check. */
    @Override
    public void rollback() throws SQLException {
        boolean open = transactionOpen();
        long started = System.nanoTime();
        SQLException failure = null;
        try {
            delegate.rollback();
        } catch (SQLException e) {
            failure = databaseError(e);
            throw failure;
        } finally {
            session.transactionEnded(); // a rolled-back SET is undone: read again if one ran
            userCodeInTransaction = false;
            if (open) {
                transactionEnded("rollback", "Connection.rollback()", started, failure);
            }
        }
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        boolean open = transactionOpen();
        long started = System.nanoTime();
        SQLException failure = null;
        try {
            delegate.rollback(savepoint);
        } catch (SQLException e) {
            failure = databaseError(e);
            throw failure;
        } finally {
            session.rolledBackToSavepoint();
            if (open) {
                transactionEnded("rollback to savepoint", "Connection.rollback(Savepoint)", started, failure);
            }
        }
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        try {
            delegate.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            throw databaseError(e);
        }
    }

    /**
     * Switching auto-commit on commits an open transaction, which is then recorded as {@link #commit()} records it.
     * Switching it off when it is off already changes nothing (JDBC: the call is a no-op): an open transaction goes on,
     * and still counts as open, so that the routine catalog is not read again in it (a reading ends with a rollback), a
     * session is not reset in it for another identity (a reset switches auto-commit on, which commits) and its end is
     * recorded. Flyway does so in each of its nested transaction templates, inside the one that created the schema.
     */
    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        if (!autoCommit && offAlready()) {
            try {
                delegate.setAutoCommit(false);
                session.autoCommit(false);
            } catch (SQLException e) {
                throw databaseError(e, userCodeInTransaction);
            }
            return;
        }
        boolean commits = autoCommit && transactionOpen();
        if (commits) {
            governance.audit().beforeExecution();
        }
        long started = System.nanoTime();
        SQLException failure = null;
        boolean userCode = userCodeInTransaction; // switching auto-commit on commits: deferred triggers run then
        try {
            delegate.setAutoCommit(autoCommit);
            session.autoCommit(autoCommit);
        } catch (SQLException e) {
            failure = databaseError(e, userCode);
            throw failure;
        } finally {
            session.transactionEnded(); // switching auto-commit on commits; switching it off, nothing was open
            userCodeInTransaction = false;
            if (commits) {
                transactionEnded("commit", "Connection.setAutoCommit(true)", started, failure, userCode);
            }
        }
    }

    /** Whether auto-commit is off already; a connection whose state cannot be read counts as off (a transaction kept). */
    private boolean offAlready() {
        try {
            return !delegate.getAutoCommit();
        } catch (SQLException unreadable) {
            return true;
        }
    }

    /**
     * Whether a transaction is open that a commit or rollback would end: auto-commit is off and a statement or savepoint
     * ran since the last end. A connection whose state cannot be read counts as having one (its end is recorded).
     */
    private boolean transactionOpen() {
        try {
            return session.ranInTransaction() && !delegate.getAutoCommit();
        } catch (SQLException unreadable) {
            return true;
        }
    }

    /**
     * Records the end of a transaction through the JDBC API ({@link io.governed.jdbc.audit.StatementAudit#transactionEnded})
     * for the identity in effect (none when a required scope has ended: a pool's rollback when a connection is handed
     * back runs outside any). An event that cannot be taken is thrown, or attached to the driver's {@code failure}.
     */
    private void transactionEnded(String statement, String call, long started, SQLException failure) throws SQLException {
        transactionEnded(identityOrNone(), statement, call, started, failure, false);
    }

    /** As above; {@code userCode}: a statement of the transaction may have run code of the database's users. */
    private void transactionEnded(String statement, String call, long started, SQLException failure, boolean userCode)
            throws SQLException {
        transactionEnded(identityOrNone(), statement, call, started, failure, userCode);
    }

    private void transactionEnded(Identity by, String statement, String call, long started, SQLException failure,
                                  boolean userCode) throws SQLException {
        long nanos = System.nanoTime() - started;
        try {
            governance.audit().transactionEnded(connectionId, by, statement, call, nanos, failure, userCode);
        } catch (SQLException unrecorded) {
            if (failure == null) {
                throw unrecorded;
            }
            failure.addSuppressed(unrecorded);
        }
    }

    /** The identity in effect on the calling thread, or {@code null} when a required scope has ended. */
    private Identity identityOrNone() {
        try {
            return currentIdentity();
        } catch (SQLException none) {
            return null;
        }
    }

    /** The driver's warnings, scrubbed as its errors are. */
    @Override
    public SQLWarning getWarnings() throws SQLException {
        SQLWarning warnings;
        try {
            warnings = delegate.getWarnings();
        } catch (SQLException e) {
            throw databaseError(e, userCodeSinceWarningsCleared);
        }
        return warnings == null ? null : (SQLWarning) databaseError(warnings, userCodeSinceWarningsCleared);
    }

    /** Clears the driver's warnings, after which they hold no notice of code an earlier statement ran. */
    @Override
    public void clearWarnings() throws SQLException {
        try {
            delegate.clearWarnings();
        } catch (SQLException e) {
            throw databaseError(e);
        }
        userCodeSinceWarningsCleared = false;
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return new GovernedDatabaseMetaData(this, delegate.getMetaData());
    }

    @Override
    public String toString() {
        return "GovernedConnection[" + connectionId + ", " + dialect + "]";
    }

    /** Checks {@code sql}, prepared to return {@code keys}, as the SQL the driver will make of it. */
    private Execution checked(String sql, GeneratedKeys keys) throws SQLException {
        SqlText text = session.preparedText(requireSql(sql));
        return enter(text, analysedText(text, keys), CallKind.PREPARE, false, keys, null, execution -> execution.rewritable(),
                LATER);
    }

    /**
     * The governed statement over the driver's, prepared to return the check's generated keys, as the check's
     * row-filter rewrite when there is one (the driver then returns the keys of the rows the rewrite changed).
     */
    private PreparedStatement preparedWithKeys(Execution checked, Preparing<PreparedStatement> driver) throws SQLException {
        RowFilterRewriter.Rewrite rewrite = checked.rowFilterRewrite();
        return new GovernedPreparedStatement(this,
                byDriver(checked, driver, rewrite == null ? checked.sql().sql() : rewrite.sql()), checked, rewrite);
    }

    /** A driver call that prepares the given SQL. */
    @FunctionalInterface
    private interface Preparing<T extends PreparedStatement> {
        T prepare(String sql) throws SQLException;
    }

    /** A {@code prepareStatement} without generated keys, checked as the caller now, whose row-filter rewrite is prepared. */
    private Execution checkedPrepare(String sql) throws SQLException {
        return checkedPrepare(sql, false);
    }

    /**
     * The concurrency a statement asked for with {@code concurrency} is prepared with: read-only when its row-filter
     * rewrite makes the filtered table a derived table, whose rows no driver can update (and some refuse to prepare).
     */
    private static int rewrittenConcurrency(Execution checked, int concurrency) {
        RowFilterRewriter.Rewrite rewrite = checked.rowFilterRewrite();
        return rewrite != null && !rewrite.unchanged() && !rewrite.readInPlace()
                ? java.sql.ResultSet.CONCUR_READ_ONLY : concurrency;
    }

    /** {@link #checkedPrepare(String)} of a statement whose results may be updated ({@link Execution#updatableResults}). */
    private Execution checkedPrepare(String sql, boolean updatable) throws SQLException {
        SqlText text = session.preparedText(requireSql(sql));
        return enter(text, text, CallKind.PREPARE, false, GeneratedKeys.NONE, null,
                execution -> execution.rewritable().updatableResults(updatable), LATER);
    }

    /** The governed statement over the driver's, prepared as the check's row-filter rewrite when there is one. */
    private PreparedStatement prepared(Execution checked, Preparing<PreparedStatement> driver) throws SQLException {
        RowFilterRewriter.Rewrite rewrite = checked.rowFilterRewrite();
        return new GovernedPreparedStatement(this,
                byDriver(checked, driver, rewrite == null ? checked.sql().sql() : rewrite.sql()), checked.sql(), rewrite);
    }

    /**
     * The driver's statement for a checked text, prepared as {@code sql}: a prepare the database rejects (on a driver
     * that prepares on the server, as H2's does) fails the check ({@link #byDriver(Execution, DriverCall)}).
     */
    private <T extends PreparedStatement> T byDriver(Execution checked, Preparing<T> driver, String sql) throws SQLException {
        return byDriver(checked, () -> driver.prepare(sql));
    }

    /** What the driver does for a check that runs nothing (a prepare, an {@code addBatch}, a {@code nativeSQL}). */
    @FunctionalInterface
    interface DriverCall<T> {
        T call() throws SQLException;
    }

    /**
     * Makes the driver's call for {@code checked}, a check that runs nothing. Its failure ends the check as failed, as
     * a run's failure ends the run: an {@code error} event with the database's SQLState and no database time (a check is
     * not timed), and the error as the caller sees any other of the database's (scrubbed by the pipeline's error stages);
     * an unchecked exception is rethrown as it is, recorded once.
     */
    <T> T byDriver(Execution checked, DriverCall<T> call) throws SQLException {
        try {
            return call.call();
        } catch (SQLException e) {
            throw pipeline.failed(checked, e);
        } catch (RuntimeException | Error e) {
            pipeline.failedUnchecked(checked, e);
            throw e;
        }
    }

    /** {@code sql} as a text to check; SQLState {@code 22004} for {@code null} (statements' texts too). */
    static SqlText text(String sql) throws SQLException {
        return new SqlText(requireSql(sql));
    }

    /** {@code sql}, or SQLState {@code 22004} (null value not allowed) for {@code null}, as drivers answer it. */
    private static String requireSql(String sql) throws SQLException {
        if (sql == null) {
            throw new SQLException("SQL text is null", "22004");
        }
        return sql;
    }
}
