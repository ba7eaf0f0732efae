package io.governed.jdbc.wrapper;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.gate.CallKind;
import io.governed.jdbc.gate.SqlText;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.identity.IdentityResolution;
import io.governed.jdbc.identity.IdentityResolver;
import io.governed.jdbc.session.SessionState;
import io.governed.jdbc.session.SessionStates;
import io.governed.policy.engine.DecisionContext;
import io.governed.policy.engine.PolicyEngine;
import io.governed.jdbc.pipeline.Execution;
import io.governed.jdbc.pipeline.GeneratedKeys;
import io.governed.jdbc.pipeline.GeneratedKeysSql;
import io.governed.jdbc.pipeline.ServerEndpoint;
import io.governed.jdbc.pipeline.StatementPipeline;
import io.governed.sql.Dialect;
import io.governed.sql.RoutineCatalog;
import io.governed.sql.SqlAnalysis;

import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Savepoint;
import java.sql.Statement;
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

    private final Governance governance;
    private final StatementPipeline pipeline;
    private final Dialect dialect;
    private final String connectionId;
    private final Identity openedWith;
    /** How the physical connection's session resolves unqualified names, read from the database on need. */
    private final SessionState session;
    private volatile Identity identity;
    /** The database's built-in routines beyond the analyser's list. */
    private final RoutineCatalog routines;
    /** The database, host and port statements go to, read on first need (by tracing). */
    private volatile ServerEndpoint server;

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
        this.pipeline = governance.pipeline();
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.identity = identity;
        this.openedWith = identity;
        this.session = SessionStates.of(delegate, dialect);
        this.connectionId = "gc-" + IDS.incrementAndGet();
    }

    private ServerEndpoint server() {
        ServerEndpoint known = server;
        if (known == null) {
            known = ServerEndpoint.of(delegate);
            server = known;
        }
        return known;
    }

    /** This connection's id, as audit events and error messages name it. */
    public String connectionId() {
        return connectionId;
    }

    public Dialect dialect() {
        return dialect;
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
     * identities still win. Dropped again by {@link #endRequest()}; see the class comment on pools.
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
     * {@code nativeSQL}, a row write): a refusal is audited and thrown.
     */
    Execution check(SqlText sql, CallKind callKind) throws SQLException {
        return enter(sql, sql, callKind, false, GeneratedKeys.NONE, null);
    }

    /**
     * {@link #check} of a statement that returns {@code keys}, checked as {@code analysedSql}, the SQL
     * the driver will make of it ({@link #analysedText}).
     */
    Execution check(SqlText sql, SqlText analysedSql, CallKind callKind, GeneratedKeys keys) throws SQLException {
        return enter(sql, analysedSql, callKind, false, keys, null);
    }

    /**
     * Passes {@code sql} through the pipeline to run now: a refusal is audited and thrown; the
     * execution returned ends, completed or failed, when the statement has run.
     */
    Execution begin(SqlText sql, SqlText analysedSql, CallKind callKind, GeneratedKeys keys) throws SQLException {
        return enter(sql, analysedSql, callKind, true, keys, null);
    }

    /** {@link #begin} of a statement run with bound values whose digest {@code parameters} gives. */
    Execution begin(SqlText sql, SqlText analysedSql, CallKind callKind, GeneratedKeys keys,
                    java.util.function.Supplier<String> parameters) throws SQLException {
        return enter(sql, analysedSql, callKind, true, keys, parameters);
    }

    /** The SQL {@code sql} amounts to once the driver has appended what {@code keys} need ({@link GeneratedKeysSql}). */
    SqlText analysedText(SqlText sql, GeneratedKeys keys) {
        return GeneratedKeysSql.analysedText(sql, keys, dialect, governance.analyzer());
    }

    private Execution enter(SqlText sql, SqlText analysedSql, CallKind callKind, boolean runs, GeneratedKeys keys,
                            java.util.function.Supplier<String> parameters) throws SQLException {
        Execution execution = new Execution(governance.analyzer(), connectionId, dialect, session, identity, sql, analysedSql,
                callKind, runs, keys).withRoutines(routines).withServer(this::server);
        if (parameters != null) {
            execution.withParameters(parameters);
        }
        pipeline.enter(execution);
        return execution;
    }

    /**
     * An error from the database outside a statement's run (a commit, a warning, a row read), as the
     * caller may see it: see {@link StatementPipeline#databaseError}.
     */
    SQLException databaseError(SQLException error) {
        Identity current;
        try {
            current = currentIdentity();
        } catch (SQLException | RuntimeException none) {
            current = null;
        }
        return pipeline.databaseError(current, error);
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
        SqlText text = checked(sql, CallKind.PREPARE);
        return new GovernedPreparedStatement(this, delegate.prepareStatement(sql), text);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        Execution checked = checked(sql, GeneratedKeys.of(autoGeneratedKeys));
        return new GovernedPreparedStatement(this, delegate.prepareStatement(sql, autoGeneratedKeys), checked);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        Execution checked = checked(sql, GeneratedKeys.of(columnIndexes));
        return new GovernedPreparedStatement(this, delegate.prepareStatement(sql, columnIndexes), checked);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        Execution checked = checked(sql, GeneratedKeys.of(columnNames));
        return new GovernedPreparedStatement(this, delegate.prepareStatement(sql, columnNames), checked);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        SqlText text = checked(sql, CallKind.PREPARE);
        return new GovernedPreparedStatement(this, delegate.prepareStatement(sql, resultSetType, resultSetConcurrency), text);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
                                              int resultSetHoldability) throws SQLException {
        SqlText text = checked(sql, CallKind.PREPARE);
        return new GovernedPreparedStatement(this,
                delegate.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability), text);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        SqlText text = checked(sql, CallKind.PREPARE_CALL);
        return new GovernedCallableStatement(this, delegate.prepareCall(sql), text);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        SqlText text = checked(sql, CallKind.PREPARE_CALL);
        return new GovernedCallableStatement(this, delegate.prepareCall(sql, resultSetType, resultSetConcurrency), text);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
                                         int resultSetHoldability) throws SQLException {
        SqlText text = checked(sql, CallKind.PREPARE_CALL);
        return new GovernedCallableStatement(this,
                delegate.prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability), text);
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        checked(sql, CallKind.NATIVE_SQL);
        return delegate.nativeSQL(sql);
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

    @Override
    public void setSchema(String schema) throws SQLException {
        try {
            delegate.setSchema(schema);
        } finally {
            session.changed();
        }
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        try {
            delegate.setCatalog(catalog);
        } finally {
            session.changed();
        }
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        return new GovernedArray(delegate.createArrayOf(typeName, elements), null);
    }

    /**
     * Ends a unit of work (pools that follow JDBC 4.3 call this when a connection goes back): an
     * identity set with {@link #setIdentity} is dropped, back to the one the connection was opened with.
     */
    @Override
    public void endRequest() throws SQLException {
        identity = openedWith;
        delegate.endRequest();
    }

    // Errors of the database outside a statement's run pass the pipeline, which scrubs them for
    // callers a mask applies to: a deferred constraint failing at commit names the values it checked.

    @Override
    public void commit() throws SQLException {
        try {
            delegate.commit();
        } catch (SQLException e) {
            throw databaseError(e);
        } finally {
            session.transactionEnded();
        }
    }

    @Override
    public void rollback() throws SQLException {
        try {
            delegate.rollback();
        } catch (SQLException e) {
            throw databaseError(e);
        } finally {
            session.transactionEnded(); // a rolled-back SET is undone: read again if one ran
        }
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        try {
            delegate.rollback(savepoint);
        } catch (SQLException e) {
            throw databaseError(e);
        } finally {
            session.rolledBackToSavepoint();
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

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        try {
            delegate.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            throw databaseError(e);
        } finally {
            session.transactionEnded(); // switching auto-commit on commits
        }
    }

    /** The driver's warnings, scrubbed as its errors are. */
    @Override
    public SQLWarning getWarnings() throws SQLException {
        SQLWarning warnings;
        try {
            warnings = delegate.getWarnings();
        } catch (SQLException e) {
            throw databaseError(e);
        }
        return warnings == null ? null : (SQLWarning) databaseError(warnings);
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
        if (sql == null) {
            throw new SQLException("SQL text is null", "22004");
        }
        SqlText text = new SqlText(sql);
        return check(text, analysedText(text, keys), CallKind.PREPARE, keys);
    }

    private SqlText checked(String sql, CallKind callKind) throws SQLException {
        if (sql == null) {
            throw new SQLException("SQL text is null", "22004");
        }
        SqlText text = new SqlText(sql);
        check(text, callKind);
        return text;
    }
}
