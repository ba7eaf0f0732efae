package io.governed.jdbc.session;

import io.governed.identity.Identity;
import io.governed.jdbc.gate.SqlText;
import io.governed.sql.Dialect;
import io.governed.sql.SessionEffects;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;
import io.governed.sql.names.NameResolver;
import io.governed.sql.names.Resolution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one physical connection's session says about unqualified names, read from the database on
 * first need and read again after anything that may have changed it.
 *
 * <p>Reading: PostgreSQL's {@code current_schemas(true)} and, for the names statements use,
 * {@code pg_class} and {@code pg_inherits}; H2's {@code SCHEMA()}, its schema search path and {@code INFORMATION_SCHEMA.TABLES};
 * MariaDB's {@code DATABASE()}. Other databases are not read: every name could be in any schema.
 *
 * <p>Marked stale (read again on next need): after every statement {@link SessionEffects} does not
 * prove harmless ({@code SET}, {@code RESET}, {@code USE}, DDL, {@code CALL}, {@code DO}, transaction
 * ends, role changes, unanalysable statements, calls of routines that are not known built-ins,
 * {@code set_config} anywhere); on PostgreSQL also after reading a relation that may run code when
 * read (a view, a rule, row security) or writing one that may run code when written (a trigger, a
 * rule, a cascading foreign key, a partition or child table, a domain, a default or check calling a
 * routine that is not a known built-in), as {@code pg_class} and its neighbours say; after {@code setSchema}, {@code setCatalog}, and a commit or rollback that ends a
 * transaction in which something was marked; and after {@value #MAXIMUM_AGE_SECONDS} seconds, so that
 * relations other sessions create or drop are seen.
 *
 * <p>It also keeps the texts last prepared on the physical connection ({@link #preparedText}), so that an
 * application that prepares the same statement again (an ORM does, in every transaction) finds the analysis, name
 * resolution and decision remembered on it from the last time, through the same session and identity.
 *
 * <p>A connection's statements run one at a time; the methods are synchronized for the rare caller
 * that shares one across threads. The three questions every statement asks ({@link #current(long)},
 * {@link #settledThenRunning}, {@link #mayRunCodeThroughRelations}) are answered without the monitor while the answer
 * follows from the snapshot in force alone ({@link #steady}, and what was found under it); they take the monitor
 * otherwise.
 */
public final class SessionState implements SessionNames {
    private static final Logger LOG = LoggerFactory.getLogger(SessionState.class);

    /** Longest time one reading of the session is trusted, in seconds. */
    public static final long MAXIMUM_AGE_SECONDS = 10;
    private static final long MAXIMUM_AGE_NANOS = MAXIMUM_AGE_SECONDS * 1_000_000_000L;

    /** The connection statements reach the session through now (a pool's proxy of this borrowing, say); weak, as the registry's key. */
    private volatile WeakReference<Connection> via;
    private final Dialect dialect;
    private final SessionReader reader;
    private Snapshot snapshot;
    /** A batch entry that may change the session is decided but has not run yet: every name is unknown until it has. */
    private boolean batchPending;
    /**
     * {@link #snapshot} while the session is read and no batch is pending, else {@code null}: set, under the monitor,
     * by every change of either ({@link #renew}, {@link #batchPending(boolean)}), and read without it by the questions
     * every statement asks. A reader that finds it a moment before a change is answered as if it had asked before.
     */
    private volatile Snapshot steady;
    /** Something that may have changed the session ran since the transaction began: its end may undo it. */
    private boolean changedInTransaction;
    /** Something that may have changed the session ran during this borrowing: a pool may undo it when it is returned. */
    private boolean changedInBorrowing;
    /**
     * The last statement about to run that may change the session (so the snapshot was renewed for it): the session
     * must not be read for it before it ran, and it counts as running code. Written under the lock; volatile so that
     * {@link #ran}, told of every statement, takes the lock only for this one.
     */
    private volatile SqlAnalysis lastChanging;

    /**
     * Who last changed the session's role or authorization (a statement with the trait {@code privilege-change} that ran),
     * or {@code null} when nothing has since the session was opened or last reset. Read on every statement, so volatile.
     */
    private volatile Identity roleChangedBy;
    /**
     * A statement ran code the analysis does not see into (a routine that is not a built-in, SQL given as text), which
     * may have changed the role ({@code set_config('role', …)} in a function or a {@code DO} block): not enough to refuse
     * another identity's statements, but the role is reset when the borrowing ends.
     */
    private volatile boolean roleMayHaveChanged;
    /** Whether that change may reach past the role (a session authorization, a setting by a name not seen): only a full reset undoes it. */
    private boolean authorizationChanged;

    /**
     * Who last ran a statement that may have left something in the session past itself (a setting, a user variable, a
     * prepared statement, a cursor, a temporary table, a lock, a LISTEN; see {@code SessionLeftoversStage}), as an
     * {@link Identity} or {@link #NO_IDENTITY}; {@code null} when nothing has since the session was opened or last
     * reset. Read on every statement, so volatile.
     */
    private volatile Object leftBy;
    private static final Object NO_IDENTITY = new Object();
    /**
     * H2: the session's state ({@link SessionReset#h2State}) before the first statement since it was opened or last reset
     * that may have left something in it, to set it back to; {@code null} when not read, or not readable.
     */
    private volatile java.util.Map<String, String> h2AsOpened;
    /**
     * What a pool may have set for the session through JDBC (schema, transaction isolation level, MariaDB's database),
     * read before the first statement since it was opened or last reset that may have left something in it, to set
     * again after a reset ({@link SessionReset.AsOpened}); {@link SessionReset.AsOpened#UNREAD} when not read.
     */
    private volatile SessionReset.AsOpened asOpened = SessionReset.AsOpened.UNREAD;
    /**
     * The connection's client info ({@code Connection.getClientInfo()}) before the first {@code setClientInfo} on it, to
     * set it back to (after every reset of the session too); {@code null} when it was never set.
     * pgjdbc sends {@code ApplicationName} to the server ({@code SET application_name}, read with
     * {@code current_setting}); MariaDB Connector/J keeps client info in the driver, where a session reset does not
     * reach it (H2 too, in the compatibility modes that accept client info). {@link #CLIENT_INFO_UNREAD} when it could not be read: nothing to set back to.
     */
    private java.util.Properties clientInfoAsOpened;
    private static final java.util.Properties CLIENT_INFO_UNREAD = new java.util.Properties();
    /** Who last set client info, as an {@link Identity} or {@link #NO_IDENTITY}; {@code null} when nobody since it was set back. */
    private volatile Object clientInfoBy;
    /** A statement ran since the transaction began (or since auto-commit was last switched): a reset would end it. */
    private boolean ranInTransaction;

    /** How many texts {@link #preparedText} keeps: the last prepared, by their SQL. */
    static final int PREPARED_TEXTS = 128;
    /** Longest SQL text {@link #preparedText} keeps. */
    static final int LONGEST_PREPARED_TEXT = 8192;
    private final java.util.LinkedHashMap<String, SqlText> preparedTexts = new java.util.LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, SqlText> eldest) {
            return size() > PREPARED_TEXTS;
        }
    };

    /** The statements prepared by name through the governed connection on this session ({@link PreparedNames}). */
    private final PreparedNames preparedNames = new PreparedNames();

    SessionState(Connection via, Dialect dialect) {
        this.via = new WeakReference<>(Objects.requireNonNull(via, "via"));
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.reader = SessionReader.of(dialect);
        this.snapshot = new Snapshot(null, this::connection, false);
        publish();
    }

    /** The session may have changed: the next question reads it again. Under the monitor. */
    private void renew() {
        snapshot = new Snapshot(snapshot, this::connection, false);
        publish();
    }

    /**
     * The reading is read again for its age (or to see what other sessions changed since a moment), not because this
     * session may have changed it: the new reading is compared with the last one read, and when it answers alike
     * ({@link Snapshot#continues}) what texts remembered under the last one is kept. Under the monitor.
     */
    private void renewByAge() {
        // PostgreSQL's readings compare ({@link SessionReader.Reading#continues}); elsewhere nothing is compared
        snapshot = new Snapshot(snapshot, this::connection, dialect == Dialect.POSTGRESQL);
        publish();
    }

    /** Renews the reading as {@link #current(long)} does when it is older than its limit (for tests that cannot wait). */
    synchronized void renewAsAged() {
        if (reader != null && !batchPending) {
            renewByAge();
        }
    }

    private void batchPending(boolean pending) {
        batchPending = pending;
        publish();
    }

    /** Sets {@link #steady} from the snapshot and the pending batch, as they are now. Under the monitor. */
    private void publish() {
        steady = reader == null || batchPending ? null : snapshot;
    }

    /** Reads go through {@code connection} from now on: the wrapper of a new borrowing of the physical connection. */
    synchronized void readThrough(Connection connection) {
        via = new WeakReference<>(connection);
        if (changedInBorrowing) {
            renew(); // a pool may have reset what the last borrowing changed (its schema, say)
            changedInBorrowing = false;
        }
        // otherwise the reading stands: a pool resets only what was changed through it, and every change
        // made through a governed connection marks the session; a borrowing per transaction then costs
        // no round trip
    }

    /**
     * The text of a statement prepared on this physical connection: the one kept from the last time {@code sql} was
     * prepared here (one of the last {@value #PREPARED_TEXTS}, up to {@value #LONGEST_PREPARED_TEXT} chars), with what
     * was remembered on it, or a new one. What a text remembers is keyed by what it depends on (the analyser, the
     * session's reading, the identity), so a text found again is only a shortcut, never another answer.
     */
    public synchronized SqlText preparedText(String sql) {
        if (sql.length() > LONGEST_PREPARED_TEXT) {
            return new SqlText(sql);
        }
        return preparedTexts.computeIfAbsent(sql, SqlText::new);
    }

    /** The statements prepared by name through the governed connection that the session holds. */
    public PreparedNames preparedNames() {
        return preparedNames;
    }

    /**
     * The identity whose statement changed the session's role or authorization and has not been reset since, or
     * {@code null}: a plain read of a field, for the check before every statement.
     */
    public Identity roleChangedBy() {
        return roleChangedBy;
    }

    /**
     * A statement of {@code identity} that may change the session's role ran (or may have, in part);
     * {@code authorization} when it may have changed more than the role (the session authorization, say), which
     * {@link #roleOnlyReset} does not undo.
     */
    public synchronized void roleChanged(Identity identity, boolean authorization) {
        authorizationChanged = roleChangedBy == null ? authorization : authorizationChanged || authorization;
        if (roleChangedBy != null && !roleChangedBy.equals(identity)) {
            authorizationChanged = true; // two identities' changes: only a full reset is known to undo both
        }
        roleChangedBy = Objects.requireNonNull(identity, "identity");
    }

    /** A statement ran code the analysis does not see into, which may have changed the role. */
    public void roleMayHaveChanged() {
        roleMayHaveChanged = true;
    }

    /** Whether the role is to be reset when the borrowing ends: it was changed, or may have been, since the last reset. */
    public boolean roleToReset() {
        return roleChangedBy != null || roleMayHaveChanged;
    }

    /** A statement that sets the role back ({@code RESET ROLE}) ran: the session is as opened unless more than the role was changed. */
    public synchronized void roleOnlyReset() {
        if (!authorizationChanged) {
            roleChangedBy = null;
        }
    }

    /**
     * The session's role and authorization are back to those it was opened with: a statement that resets both ran
     * ({@code RESET SESSION AUTHORIZATION}), or the connection reset them when a borrowing ended.
     */
    public synchronized void roleReset() {
        roleChangedBy = null;
        authorizationChanged = false;
        roleMayHaveChanged = false;
    }

    /**
     * Whether something a statement of another identity than {@code identity} ran may still be in the session: a plain
     * read of a field, for the check before every statement.
     */
    public boolean leftByAnother(Identity identity) {
        Object by = leftBy;
        return by != null && !by.equals(identity == null ? NO_IDENTITY : identity);
    }

    /** Whether anything a statement ran may still be in the session: a borrowing that ends hands it on reset. */
    public boolean leftovers() {
        return leftBy != null;
    }

    /**
     * A statement of {@code identity} is about to run that may leave something in the session. On H2 the session's state
     * is read first, when nothing was left since the session was opened or last reset: the state a reset sets it back
     * to. A state that cannot be read leaves none to set back to, and the session is then not reset but aborted. On
     * every database what a pool may have set through JDBC is read then (isolation level; PostgreSQL's schema, MariaDB's
     * database), what the reset sets again ({@link SessionReset.AsOpened}).
     */
    public void leaving(Identity identity) {
        if (dialect.isH2() && leftBy == null) {
            Connection connection = connection();
            java.util.Map<String, String> state = null;
            try {
                state = connection == null ? null : SessionReset.h2State(connection);
            } catch (SQLException | RuntimeException unread) {
                LOG.debug("Could not read the H2 session's state ({}): the session will not be reset but aborted",
                        unread.getClass().getSimpleName());
            }
            h2AsOpened = state;
        }
        if (dialect.catalogRead() && leftBy == null) {
            Connection connection = connection();
            asOpened = connection == null ? SessionReset.AsOpened.UNREAD : SessionReset.asOpened(connection, dialect);
        }
        left(identity);
    }

    /**
     * Resets the session behind {@code connection} ({@link SessionReset}), on H2 back to its state before the first
     * statement that may have left something in it; then sets the connection's client info back
     * ({@link #restoreClientInfo}).
     */
    public void reset(Connection connection) throws SQLException {
        preparedNames.reset(); // first: a reset that fails part-way leaves no name known
        SessionReset.reset(connection, dialect, h2AsOpened, asOpened);
        restoreClientInfo(connection);
    }

    /**
     * {@code identity} is about to set client info through {@code connection}: what was there before is read first
     * (the first time client info is set on the connection), to set back to before another
     * identity may read it. What another identity set is set back first, so that none of it stays beside this one's.
     * On PostgreSQL, whose {@code ApplicationName} pgjdbc sets in the server session, it counts as a leftover
     * ({@link #leaving}): the session is reset for the next borrower or another identity's statement.
     *
     * @throws SQLException when what another identity set could not be set back
     */
    public synchronized void clientInfoChanging(Identity identity, Connection connection) throws SQLException {
        if (clientInfoByAnother(identity)) {
            restoreClientInfo(connection);
        }
        if (clientInfoAsOpened == null) {
            java.util.Properties read;
            try {
                read = copy(connection.getClientInfo());
            } catch (SQLException | RuntimeException unread) {
                LOG.debug("Could not read the connection's client info ({}): it will not be set back, and the connection "
                        + "is aborted rather than handed on", unread.getClass().getSimpleName());
                read = CLIENT_INFO_UNREAD;
            }
            clientInfoAsOpened = read;
        }
        clientInfoBy = identity == null ? NO_IDENTITY : identity;
        if (dialect == Dialect.POSTGRESQL) {
            leaving(identity);
        }
    }

    /** Whether client info another identity than {@code identity} set may still be on the connection. */
    public boolean clientInfoByAnother(Identity identity) {
        Object by = clientInfoBy;
        return by != null && !by.equals(identity == null ? NO_IDENTITY : identity);
    }

    /** Whether client info set since the session was opened (or its client info set back) may still be on the connection. */
    public boolean clientInfoSet() {
        return clientInfoBy != null;
    }

    /**
     * Sets the connection's client info back to what it was before the first {@code setClientInfo} on it, and reads it
     * again: every name has its value as then, and a name that was not there is cleared. Nothing when it was never set.
     *
     * @throws SQLException when it could not be read before, or reads otherwise after: the connection must not be handed
     *                      on (the message names the properties, never their values)
     */
    public synchronized void restoreClientInfo(Connection connection) throws SQLException {
        java.util.Properties opened = clientInfoAsOpened;
        if (opened == null) {
            return;
        }
        if (opened == CLIENT_INFO_UNREAD) {
            throw new SQLException("the connection's client info before it was set could not be read, so it cannot be "
                    + "set back");
        }
        java.util.Properties now = copy(connection.getClientInfo());
        if (!now.equals(opened)) {
            java.util.Set<String> names = new java.util.TreeSet<>(now.stringPropertyNames());
            names.addAll(opened.stringPropertyNames());
            connection.setClientInfo(copy(opened)); // JDBC: replaces the whole set, a name not in it cleared
            for (String name : names) {
                if (opened.getProperty(name) == null) {
                    // MariaDB Connector/J adds the given set to its own and takes no null value, but hands out its own
                    // set from getClientInfo(): a name it kept is removed there (a driver's copy is left as it is)
                    connection.getClientInfo().remove(name);
                }
            }
            now = copy(connection.getClientInfo());
            if (!now.equals(opened)) {
                java.util.Set<String> differ = new java.util.TreeSet<>();
                for (String name : names) {
                    if (!java.util.Objects.equals(now.getProperty(name), opened.getProperty(name))) {
                        differ.add(name);
                    }
                }
                throw new SQLException("the connection's client info differs from what it was before it was set, after "
                        + "setting it back, in " + differ);
            }
        }
        clientInfoBy = null; // what it was before is kept: a session reset may change it again (DISCARD ALL does)
    }

    private static java.util.Properties copy(java.util.Properties properties) {
        java.util.Properties copy = new java.util.Properties();
        if (properties != null) {
            for (String name : properties.stringPropertyNames()) {
                copy.setProperty(name, properties.getProperty(name));
            }
        }
        return copy;
    }

    /** A statement of {@code identity} ran that may have left something in the session. */
    public void left(Identity identity) {
        Object by = identity == null ? NO_IDENTITY : identity;
        if (!by.equals(leftBy)) {
            leftBy = by;
        }
    }

    /** Whether a statement (or a savepoint) ran since the last commit or rollback: outside auto-commit, a transaction is open. */
    public boolean ranInTransaction() {
        return ranInTransaction;
    }

    /** A statement ran on the session (which, outside auto-commit, is now in a transaction). */
    public void ran() {
        if (!ranInTransaction) {
            ranInTransaction = true;
        }
    }

    /**
     * The session was put back as it was opened ({@link SessionReset}, or the application's own {@code DISCARD ALL}):
     * nothing is left in it, the role included, and names are read again.
     */
    public synchronized void wasReset() {
        preparedNames.reset();
        leftBy = null;
        roleReset();
        changed();
    }

    /**
     * Resets the session for another identity's statement ({@link SessionReset}), through the connection of the
     * current borrowing. Outside auto-commit only when no statement ran in the transaction yet: auto-commit is switched
     * on for the reset (committing nothing) and off again. Never while a transaction SQL began in auto-commit mode is
     * open ({@link #transactionBegunBySql}), which the reset would break (PostgreSQL's {@code DISCARD ALL} fails in it and
     * aborts it) or roll back (MariaDB's {@code COM_RESET_CONNECTION}).
     *
     * @throws SQLException when it could not be reset: the statement must not run
     */
    public synchronized void resetForAnother() throws SQLException {
        Connection connection = connection();
        if (connection == null) {
            throw new SQLException("the connection is gone");
        }
        boolean autoCommit = connection.getAutoCommit();
        if (!autoCommit && ranInTransaction) {
            throw new SQLException("statements ran in the transaction");
        }
        if (autoCommit && !Boolean.FALSE.equals(transactionBegunBySql(connection, dialect))) {
            // the reset (DISCARD ALL, COM_RESET_CONNECTION) would fail inside it, aborting it, or roll it back
            throw new SQLException("a transaction begun by SQL (BEGIN or START TRANSACTION) is open, or whether one is"
                    + " could not be told");
        }
        if (!autoCommit) {
            connection.setAutoCommit(true);
        }
        try {
            reset(connection);
        } finally {
            if (!autoCommit) {
                connection.setAutoCommit(false);
            }
        }
        wasReset();
        ranInTransaction = false;
    }

    /** The connection of the current borrowing, or {@code null} when it is gone. */
    private Connection connection() {
        return via.get();
    }

    /**
     * Whether the session is inside a transaction now, so that a rollback may still undo what a statement just did (a
     * {@code RESET ROLE}): outside auto-commit, or in a transaction SQL began in auto-commit mode
     * ({@link #transactionBegunBySql}). True when it cannot be told.
     */
    public boolean insideTransaction() {
        Connection connection = connection();
        if (connection == null) {
            return true;
        }
        try {
            return !connection.getAutoCommit() || !Boolean.FALSE.equals(transactionBegunBySql(connection, dialect));
        } catch (SQLException | RuntimeException unknown) {
            return true;
        }
    }

    /**
     * Whether the database holds a transaction open on {@code connection}, in auto-commit mode, that SQL began
     * ({@code BEGIN}, {@code START TRANSACTION}): JDBC's auto-commit flag does not say so on PostgreSQL and MariaDB.
     * PostgreSQL: pgjdbc's {@code BaseConnection.getTransactionState()}, kept from the server's replies (no query).
     * MariaDB: the server's {@code @@in_transaction} (one query; asked only before a session is reset for another
     * identity or a role reset is judged).
     * {@code false} on H2, whose {@code BEGIN} switches the connection's auto-commit off; {@code null} when it cannot be
     * told (another driver, or one that does not unwrap to its own connection class).
     */
    static Boolean transactionBegunBySql(Connection connection, Dialect dialect) {
        try {
            switch (dialect) {
                case POSTGRESQL -> {
                    String state = io.governed.jdbc.routines.PostgresRoutineCatalog.transactionState(connection);
                    return state == null ? null : !"IDLE".equals(state);
                }
                case MARIADB -> {
                    // not Connector/J's status flag IN_TRANSACTION: a result's last packet carries the flags as they
                    // were while the statement ran, so after a SELECT of a transactional table in auto-commit it still
                    // says a transaction is open; the server's own variable says what is open now
                    try (java.sql.Statement s = connection.createStatement();
                         java.sql.ResultSet rs = s.executeQuery("SELECT @@in_transaction")) {
                        return rs.next() ? rs.getInt(1) != 0 : null;
                    }
                }
                case H2, H2_LOWER_CASE -> {
                    return false;
                }
                default -> {
                    return null;
                }
            }
        } catch (SQLException | RuntimeException | LinkageError unknown) {
            return null;
        }
    }

    @Override
    public NameResolver current() {
        return current(System.nanoTime());
    }

    @Override
    public NameResolver current(long nowNanos) {
        Snapshot now = steady;
        return now != null && nowNanos - now.taken <= MAXIMUM_AGE_NANOS ? now : currentRenewed(nowNanos);
    }

    /**
     * {@link #current()}, but with each unqualified relation name resolved as the database resolves it at this moment
     * (a query on the session, {@link PostgresNamesNow}) rather than as the reading in force found it, which does not
     * see what other sessions created since it was taken. PostgreSQL only; {@code null} elsewhere, or when the session
     * is not read. Each call makes a new lookup: for a check that must not trust the reading (the names of a statement
     * kept by name, at its {@code EXECUTE}).
     */
    public NameResolver currentAfresh() {
        if (dialect != Dialect.POSTGRESQL || reader == null) {
            return null;
        }
        return new PostgresNamesNow(this::connection, current());
    }

    /**
     * On PostgreSQL and MariaDB, the snapshot in force unless it was read before {@code sinceNanos}, else a new one, read
     * on its first question: so a statement of a caller the policy limits is judged on the relations, views and columns
     * its names find as it runs, not on a reading up to {@value #MAXIMUM_AGE_SECONDS} seconds old that another
     * session's {@code CREATE VIEW} in a schema searched first, or {@code CREATE OR REPLACE VIEW}, has overtaken. One
     * reading per such statement (PostgreSQL: the search path and the names used, in one round trip; MariaDB: the
     * database and what the names used are, in one query); elsewhere {@link #current()}.
     */
    @Override
    public NameResolver currentReadSince(long sinceNanos) {
        if (dialect.isH2()) {
            return currentSinceSchemaChange();
        }
        if (dialect != Dialect.POSTGRESQL && dialect != Dialect.MARIADB) {
            return current();
        }
        synchronized (this) {
            if (reader == null || batchPending) {
                return NameResolver.unknown();
            }
            if (snapshot.reading != null && snapshot.readAt - sinceNanos < 0) {
                renewByAge();
            }
            return snapshot;
        }
    }

    /**
     * H2's database meta modification id ({@link H2SessionReader#metaModificationId}) when the snapshot in force was
     * last checked against it, or {@link H2SessionReader#UNKNOWN_META_ID}: the snapshot is renewed when the id differs.
     */
    private long h2MetaId = H2SessionReader.UNKNOWN_META_ID;

    /**
     * H2: the snapshot in force, or a new one (read on its first question) when the database's schema changed since it
     * was last checked: every DDL of any session (a view in a schema searched first, {@code CREATE OR REPLACE VIEW}, an
     * alias) moves the embedded database's meta modification id, read in-process, with no query. When the id cannot be
     * read (a remote session, a wrapper that does not unwrap to H2's connection), a new snapshot every time.
     */
    private NameResolver currentSinceSchemaChange() {
        Connection connection = connection();
        long id = connection == null ? H2SessionReader.UNKNOWN_META_ID : H2SessionReader.metaModificationId(connection);
        synchronized (this) {
            if (reader == null || batchPending) {
                return NameResolver.unknown();
            }
            if (id == H2SessionReader.UNKNOWN_META_ID || id != h2MetaId) {
                // the id read before the new snapshot is read: a change in between renews it once more, next time
                renew();
                h2MetaId = id;
            }
            return current();
        }
    }

    /**
     * PostgreSQL: whether the session's transaction may have taken its snapshot before now and sees the catalog as it
     * was then, while the database looks names up and expands views on the newest catalog: a {@code REPEATABLE READ} or
     * {@code SERIALIZABLE} transaction a statement already ran in (or SQL began). The transaction state is pgjdbc's,
     * kept without a query; inside a transaction one query asks its isolation, and with it what the reading beside the
     * transaction must know of the session ({@link #readBeside(InTransaction)}), sent with the savepoint that keeps its
     * failure from aborting the transaction, set and released in its round trip
     * ({@link CatalogQuery#leavingTheTransaction(Connection, String, CatalogQuery.Binding, CatalogQuery.Results)}).
     * {@code null} elsewhere, outside a transaction, in a {@code READ COMMITTED} one (each statement its own snapshot)
     * and in an aborted one (the database refuses its statements).
     *
     * @return what the query told, when the snapshot may predate the statement; else {@code null}
     * @throws SQLException when the isolation cannot be read
     */
    public InTransaction transactionSnapshotMayPredate() throws SQLException {
        if (dialect != Dialect.POSTGRESQL) {
            return null;
        }
        Connection connection = connection();
        if (connection == null) {
            throw new SQLException("the connection is gone");
        }
        String state = io.governed.jdbc.routines.PostgresRoutineCatalog.transactionState(connection);
        if ("IDLE".equals(state) || "FAILED".equals(state)) {
            return null;
        }
        InTransaction read = CatalogQuery.leavingTheTransaction(connection, IN_TRANSACTION,
                unbound -> { }, executed -> {
                    try (java.sql.ResultSet rs = executed.getResultSet()) {
                        return rs != null && rs.next() ? InTransaction.of(rs) : null;
                    }
                });
        if (read == null) {
            throw new SQLException("the transaction's isolation could not be read");
        }
        return read.snapshotMayPredate ? read : null;
    }

    /**
     * The session inside its transaction, as {@link #IN_TRANSACTION} read it: whether the transaction's snapshot may
     * predate the statement (its isolation), and what {@link #readBeside} must know: the effective
     * search path, the settings the reading's queries depend on, the user in force and the session's, whether the
     * session has a temporary schema, and whether the transaction has written.
     */
    public static final class InTransaction {
        final boolean snapshotMayPredate;
        final String[] schemas;
        final String standardStrings;
        final String variableConflict;
        final String user;
        final String sessionUser;
        final boolean temporarySchema;
        final boolean written;

        private InTransaction(boolean snapshotMayPredate, String[] schemas, String standardStrings,
                              String variableConflict, String user, String sessionUser, boolean temporarySchema,
                              boolean written) {
            this.snapshotMayPredate = snapshotMayPredate;
            this.schemas = schemas;
            this.standardStrings = standardStrings;
            this.variableConflict = variableConflict;
            this.user = user;
            this.sessionUser = sessionUser;
            this.temporarySchema = temporarySchema;
            this.written = written;
        }

        /** The row of {@link #IN_TRANSACTION} {@code rs} is on. */
        static InTransaction of(java.sql.ResultSet rs) throws SQLException {
            String isolation = rs.getString(1);
            java.sql.Array path = rs.getArray(2);
            return new InTransaction(!"read committed".equals(isolation) && !"read uncommitted".equals(isolation),
                    path == null ? null : (String[]) path.getArray(), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getBoolean(7), rs.getBoolean(8));
        }
    }

    // --- the reading beside a REPEATABLE READ or SERIALIZABLE transaction ------------------------------------------

    /**
     * Opens a connection to the same database with the same settings (URL, properties, user) as the physical one, for
     * {@link #readBeside}; {@code null}: none can be opened (a data source of a kind whose connections are not known to
     * be new physical ones).
     */
    private volatile java.util.concurrent.Callable<Connection> besideOpener;
    /** The connection beside the transaction, open while a transaction that needed it is; under the monitor. */
    private Connection beside;
    /** The settings last set on {@link #beside} ({@link #BESIDE_SETTINGS}' values joined), or {@code null}. */
    private String besideSettings;
    /** The user {@link #beside} is logged in as ({@code current_user} there once opened). */
    private String besideUser;

    /** How the session's connections beside it are opened ({@link #besideOpener}). */
    public void besideOpener(java.util.concurrent.Callable<Connection> opener) {
        besideOpener = opener;
    }

    /**
     * The transaction's isolation, and what the session's own reading must tell before its catalog can be read beside
     * it ({@link InTransaction}): the effective search path,
     * the settings the reading's queries depend on, the role in force and the user, whether it has a temporary schema
     * (of objects no other session sees), and whether its transaction has written anything (a transaction that has no
     * transaction id has changed no catalog: no definition, no temporary object, no row).
     */
    private static final String IN_TRANSACTION = "SELECT pg_catalog.current_setting('transaction_isolation'),"
            + " pg_catalog.current_schemas(true)::pg_catalog.text[],"
            + " pg_catalog.current_setting('standard_conforming_strings'),"
            + " pg_catalog.current_setting('plpgsql.variable_conflict', true),"
            + " current_user::pg_catalog.text, session_user::pg_catalog.text,"
            + " pg_catalog.pg_my_temp_schema() OPERATOR(pg_catalog.<>) 0,"
            + " pg_catalog.txid_current_if_assigned() IS NOT NULL";

    /** The settings made on the connection beside: the session's path, its string literals' and PL/pgSQL's. */
    private static final String BESIDE_SETTINGS = "SELECT pg_catalog.set_config('search_path', ?, false),"
            + " pg_catalog.set_config('standard_conforming_strings', ?, false),"
            + " pg_catalog.set_config('default_transaction_read_only', 'on', false)";
    private static final String BESIDE_VARIABLE_CONFLICT = "SELECT pg_catalog.set_config('plpgsql.variable_conflict', ?, false)";

    /**
     * PostgreSQL, in a {@code REPEATABLE READ} or {@code SERIALIZABLE} transaction that took its snapshot: from now on
     * the session's reading is made on a connection beside it (opened on first need with the physical connection's
     * settings, in auto-commit, read-only, each of its queries on the newest catalog, as the database resolves the
     * statement's names), with the session's effective search path and the settings the reading depends on; closed when
     * the transaction ends, however it ends ({@link #transactionEnded}, {@link #statementEnded}). What
     * {@link #transactionSnapshotMayPredate} read of the session for the statement, {@code read} (no query more on it),
     * must show that the reading beside it sees what the session's statement will: the transaction has written nothing
     * (a definition of its own, a temporary object, a row, a row lock, also one rolled back to a savepoint), the session
     * has no temporary schema, no role is set ({@code SET ROLE}), and the connection beside is of the same user.
     *
     * <p>A transaction that has written is not read inside itself instead: its own catalog queries see the catalog of
     * its snapshot and its own changes, not what other sessions committed since, which the database's name lookup uses
     * (a view of every tenant made since in a schema searched first); the connection beside sees those, not the
     * transaction's own changes. Neither shows what the statement will use: it is refused.
     *
     * @return {@code null} when the reading is now made beside the transaction; else why it cannot be (the statement
     *         must then be refused)
     */
    public synchronized String readBeside(InTransaction read) {
        Connection connection = connection();
        if (connection == null) {
            return "the connection is gone";
        }
        String[] schemas = read.schemas;
        String standardStrings = read.standardStrings;
        String variableConflict = read.variableConflict;
        String user = read.user;
        if (read.temporarySchema) {
            return "the session has a temporary schema, whose objects the catalog read beside the transaction does"
                    + " not see";
        }
        if (read.written) {
            return "the transaction has written (changed the catalog or rows, or locked rows), which the catalog read"
                    + " beside the transaction does not see";
        }
        if (user == null || !user.equals(read.sessionUser) || roleChangedBy != null) {
            return "a role is set in the session (SET ROLE), under which the catalog cannot be read beside the"
                    + " transaction";
        }
        if (schemas == null) {
            return "the session's search path could not be read";
        }
        StringBuilder path = new StringBuilder();
        for (String schema : schemas) {
            if (schema == null || schema.startsWith("pg_temp")) {
                return "the session's search path holds a temporary schema";
            }
            path.append(path.length() == 0 ? "" : ", ").append('"').append(schema.replace("\"", "\"\"")).append('"');
        }
        String settings = path + "\u0000" + standardStrings + "\u0000" + variableConflict;
        try {
            Connection open = besideOpen();
            if (open == null) {
                return "no connection of the same settings can be opened beside it (a connection of a data source"
                        + " whose connections are not known to be new physical ones)";
            }
            if (!user.equals(besideUser)) {
                return "the connection beside it is of another user";
            }
            if (!settings.equals(besideSettings)) {
                besideSettings = null;
                try (java.sql.PreparedStatement ps = open.prepareStatement(BESIDE_SETTINGS)) {
                    ps.setString(1, path.toString());
                    ps.setString(2, standardStrings);
                    ps.executeQuery().close();
                }
                if (variableConflict != null) {
                    try (java.sql.PreparedStatement ps = open.prepareStatement(BESIDE_VARIABLE_CONFLICT)) {
                        ps.setString(1, variableConflict);
                        ps.executeQuery().close();
                    }
                }
                besideSettings = settings;
            }
        } catch (SQLException | RuntimeException e) {
            closeBeside();
            return "a connection beside it could not be opened or set (" + (e instanceof SQLException q
                    ? "SQLState " + q.getSQLState() : e.getClass().getSimpleName()) + ")";
        }
        String wanted = settings;
        snapshot = new Snapshot(snapshot, () -> besideSetFor(wanted), false);
        snapshot.beside = true;
        publish();
        changedInTransaction = true; // the transaction's end reads the session on itself again
        return null;
    }

    /**
     * The connection beside the transaction, while its settings are {@code wanted}; {@code null} (so the reading fails,
     * closed) once it is closed or set for another reading.
     */
    private synchronized Connection besideSetFor(String wanted) {
        return beside != null && wanted.equals(besideSettings) ? beside : null;
    }

    /** The connection beside the transaction, opened when none is; {@code null} when none can be. Under the monitor. */
    private Connection besideOpen() throws SQLException {
        if (beside != null && !beside.isClosed()) {
            return beside;
        }
        closeBeside();
        java.util.concurrent.Callable<Connection> opener = besideOpener;
        if (opener == null) {
            return null;
        }
        Connection opened;
        try {
            opened = opener.call();
        } catch (SQLException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException("could not open", "08001", e);
        }
        if (opened == null) {
            return null;
        }
        try {
            opened.setAutoCommit(true);
            opened.setReadOnly(true);
            try (java.sql.Statement st = opened.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT current_user::pg_catalog.text")) {
                besideUser = rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException | RuntimeException e) {
            try {
                opened.close();
            } catch (SQLException notClosed) {
                e.addSuppressed(notClosed);
            }
            throw e;
        }
        beside = opened;
        besideOpen = true;
        return opened;
    }

    /** Whether a connection is open beside the transaction ({@link #beside}), read without the monitor. */
    private volatile boolean besideOpen;

    /**
     * A statement ran or failed: when a connection is open beside the transaction and the session is in none now as
     * pgjdbc tells it (no query), SQL ended the transaction ({@code COMMIT}, {@code ROLLBACK}, {@code END},
     * {@code ABORT}, a {@code PREPARE TRANSACTION}, a {@code COMMIT} of an aborted one, a failed {@code COMMIT}), and the
     * connection beside it is closed as {@code commit()} closes it; also when the state cannot be told. A rollback to a
     * savepoint leaves the transaction open, and {@code COMMIT AND CHAIN} begins the next one at once: the connection
     * beside serves it, closed when the chain ends. One volatile read while none is open.
     */
    public void statementEnded() {
        if (!besideOpen) {
            return;
        }
        Connection connection = connection();
        String state = connection == null ? null
                : io.governed.jdbc.routines.PostgresRoutineCatalog.transactionState(connection);
        if (!"OPEN".equals(state) && !"FAILED".equals(state)) {
            closeBeside();
        }
    }

    /** Closes the connection beside the transaction, if one is open; a reading made through it reads nothing more. */
    public synchronized void closeBeside() {
        Connection open = beside;
        beside = null;
        besideOpen = false;
        if (snapshot.beside) {
            renew(); // the next question reads the session on itself again
        }
        besideSettings = null;
        besideUser = null;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException | RuntimeException notClosed) {
                LOG.debug("Could not close the connection beside the transaction ({})",
                        notClosed.getClass().getSimpleName());
            }
        }
    }

    /**
     * {@link #routinesReadSince}, through the connection beside the transaction ({@link #readBeside}).
     *
     * @throws SQLException when it cannot be read (or no connection is beside the transaction)
     */
    public synchronized io.governed.sql.RoutineCatalog routinesReadBeside(io.governed.sql.RoutineCatalog catalog,
                                                                          long sinceNanos) throws SQLException {
        if (beside == null || besideSettings == null) {
            throw new SQLException("no connection is open beside the transaction");
        }
        return io.governed.jdbc.routines.PostgresRoutineCatalog.readSince(catalog, beside, sinceNanos);
    }

    /**
     * PostgreSQL: {@code catalog}, or the database's user code read anew when {@code catalog} was read before
     * {@code sinceNanos} ({@link io.governed.jdbc.routines.PostgresRoutineCatalog#readSince}), through the session's
     * connection; {@code catalog} elsewhere.
     *
     * @throws SQLException when it cannot be read
     */
    public io.governed.sql.RoutineCatalog routinesReadSince(io.governed.sql.RoutineCatalog catalog, long sinceNanos)
            throws SQLException {
        if (dialect != Dialect.POSTGRESQL) {
            return catalog;
        }
        Connection connection = connection();
        if (connection == null) {
            throw new SQLException("the connection is gone");
        }
        return io.governed.jdbc.routines.PostgresRoutineCatalog.readSince(catalog, connection, sinceNanos);
    }

    /**
     * PostgreSQL, for a statement of a caller the policy limits that names the relations {@code first} and may reach
     * user code: the session's reading made since {@code sinceNanos} ({@link #currentReadSince}) and the database's user
     * code under built-in names read since then too ({@link #routinesReadSince}), both made now by the statements of
     * one round trip (the search path, {@code first}'s lookup and the user code, sent with one {@code Sync}; inside a
     * transaction with the savepoint they run under). {@code null} when that is not how they are read: elsewhere, no
     * name to look up, {@code routines} read since already (by another connection), the session's reading made since
     * already or not to be made, or the round trip failed (then the session's reading is made as ever, and the user code
     * must be read as {@link #routinesReadSince} reads it: the caller reads it so).
     *
     * @throws SQLException when what was read refuses the statement (a cast of user code between two system types), or
     *                      the further queries a cast of user code needs fail
     */
    public io.governed.sql.RoutineCatalog readAfreshWithUserCode(long sinceNanos, Set<String> first,
                                                                  io.governed.sql.RoutineCatalog routines)
            throws SQLException {
        if (dialect != Dialect.POSTGRESQL || first.isEmpty() || !(reader instanceof PostgresSessionReader postgres)) {
            return null;
        }
        Connection connection = connection();
        if (connection == null
                || !io.governed.jdbc.routines.PostgresRoutineCatalog.dueSince(routines, connection, sinceNanos)) {
            return null;
        }
        PostgresSessionReader.WithUserCode read;
        long readAt;
        synchronized (this) {
            if (batchPending) {
                return null;
            }
            if (snapshot.reading != null && snapshot.readAt - sinceNanos < 0) {
                renewByAge();
            }
            Snapshot fresh = snapshot;
            if (fresh.reading != null) {
                return null; // read since the statement entered: the user code is read on its own
            }
            readAt = System.nanoTime(); // before the query: both readings are as old as it
            try {
                read = postgres.read(SessionState.this::connection, fresh.expected, first, true);
            } catch (SQLException | RuntimeException e) {
                LOG.debug("Could not read the session's search path ({}): unqualified names count as in any schema",
                        e.getClass().getSimpleName());
                read = new PostgresSessionReader.WithUserCode(SessionReader.Reading.UNKNOWN, null);
            }
            fresh.readAt = readAt;
            fresh.reading = read.reading();
            fresh.expected = Set.of();
            fresh.compared();
        }
        if (read.userCode() == null) {
            return null;
        }
        return io.governed.jdbc.routines.PostgresRoutineCatalog.readFrom(routines, connection, readAt, read.userCode());
    }

    private synchronized NameResolver currentRenewed(long nowNanos) {
        if (reader == null || batchPending) {
            return NameResolver.unknown();
        }
        if (nowNanos - snapshot.taken > MAXIMUM_AGE_NANOS) {
            renewByAge();
        }
        return snapshot;
    }

    @Override
    public synchronized boolean readsPlainStringsTheUsualWay() {
        return current() instanceof Snapshot now && now.reading().readsPlainStringsTheUsualWay();
    }

    @Override
    public synchronized void running(SqlAnalysis resolved) {
        if (reader != null && snapshot.modeConfirmed) {
            changed();
            lastChanging = resolved;
            return;
        }
        if (reader == null || snapshot.harmless.has(resolved)) {
            return;
        }
        if (SessionEffects.mayChangeNameResolution(resolved)) {
            changed();
            lastChanging = resolved;
            return;
        }
        if (dialect == Dialect.POSTGRESQL) {
            if (!runsNoCode(resolved)) {
                changed();
                lastChanging = resolved;
                return;
            }
            snapshot.noCode.add(resolved);
        }
        snapshot.harmless.add(resolved);
    }

    /**
     * Whether the statements may run code the analysis does not see through the relations they name: a view, a rule
     * or row security when read, a trigger, a foreign key action, a default or a check calling a routine when written
     * (see each database's {@link SessionReader.Reading#runsNoCode}). Such code may change the role, leave a setting or
     * a lock behind, as a routine called by name may. True when the session cannot be read.
     */
    public boolean mayRunCodeThroughRelations(SqlAnalysis resolved) {
        if (reader == null) {
            return true;
        }
        Snapshot now = steady;
        if (now != null && now.noCode.has(resolved)) {
            return false;
        }
        return mayRunCodeThroughRelationsExamined(resolved);
    }

    private synchronized boolean mayRunCodeThroughRelationsExamined(SqlAnalysis resolved) {
        if (snapshot.noCode.has(resolved)) {
            return false;
        }
        if (resolved == lastChanging || batchPending || SessionEffects.mayChangeNameResolution(resolved)) {
            return true; // not read before it ran: what the session holds may be about to change
        }
        if (!runsNoCode(resolved)) {
            return true;
        }
        snapshot.noCode.add(resolved);
        return false;
    }

    /**
     * Statements (their resolved analyses, by identity) found to have a property under one snapshot, which holds it:
     * the last {@value #SIZE} of them, forgotten with the snapshot. A transaction's statements are prepared again in the
     * next one with the same analyses (the engine keeps a resolution per snapshot), so they are found here instead of
     * examined again, where one statement remembered served only a statement run again at once. Added to under the
     * session's monitor; {@link #has} may be asked without it (it compares references only: an entry being replaced
     * is missed, and the question is then asked under the monitor).
     */
    private static final class Found {
        private static final int SIZE = 32;
        private final SqlAnalysis[] found = new SqlAnalysis[SIZE];
        private int next;

        boolean has(SqlAnalysis resolved) {
            for (SqlAnalysis statement : found) {
                if (statement == resolved) {
                    return true;
                }
            }
            return false;
        }

        void add(SqlAnalysis resolved) {
            found[next] = resolved;
            next = (next + 1) % SIZE;
        }

        /** Adds what {@code other} found (under a snapshot proven to answer alike), oldest first. */
        void addAll(Found other) {
            for (int i = 0; i < SIZE; i++) {
                SqlAnalysis statement = other.found[(other.next + i) % SIZE];
                if (statement != null) {
                    add(statement);
                }
            }
        }
    }

    @Override
    public synchronized void batched(SqlAnalysis resolved) {
        steady = null; // a snapshot renewed for this entry is not handed out before the batch is marked pending
        NameResolver before = snapshot;
        running(resolved);
        batchPending(batchPending || snapshot != before);
    }

    /**
     * Both under one taking of the session's monitor; none when no batch is pending and the statement was found not to
     * change the session under the snapshot in force (as {@link #running} would find it).
     */
    @Override
    public void settledThenRunning(SqlAnalysis resolved, boolean runs) {
        Snapshot now = steady;
        if (now == null || runs && !now.harmless.has(resolved)) {
            settledThenRunningExamined(resolved, runs);
        }
    }

    private synchronized void settledThenRunningExamined(SqlAnalysis resolved, boolean runs) {
        SessionNames.super.settledThenRunning(resolved, runs);
    }

    /**
     * The last statement that may change the session ran: a reading taken since it was told ({@link #running}), by a
     * stage judging it before it ran (the row filter's check of the relations it writes, say), is of the session as it
     * was, and would serve the next statements (a table the statement made a MERGE table over a row-filtered one still
     * read as a table of its own rows): it is read again.
     */
    @Override
    public void ran(SqlAnalysis resolved) {
        if (resolved != lastChanging) {
            return; // not a statement that may change the session: nothing to read again, no lock taken
        }
        synchronized (this) {
            if (reader != null && resolved == lastChanging && snapshot.reading != null) {
                renew();
            }
        }
    }

    @Override
    public synchronized void settled() {
        if (batchPending) {
            renew(); // first: the snapshot before the batch ran must not be handed out once none is pending
            batchPending(false);
        }
    }

    /** {@code Connection.setSchema}, {@code setCatalog}, or anything else that may have changed the session ran. */
    public synchronized void changed() {
        renew();
        changedInTransaction = true;
        changedInBorrowing = true;
    }

    /**
     * Part of the transaction was rolled back: a {@code SET} since the savepoint is undone, so the session
     * is read again if anything in the transaction may have changed it (which the transaction's end may still undo).
     */
    public synchronized void rolledBackToSavepoint() {
        if (changedInTransaction) {
            renew();
            changedInBorrowing = true;
        }
    }

    /** Auto-commit as the current borrowing last set or read it: {@code false} (a transaction may be open) when unknown. */
    private volatile boolean autoCommit;

    /** Auto-commit as the current borrowing set it (or read it when the borrowing began). */
    public void autoCommit(boolean on) {
        autoCommit = on;
    }

    /**
     * Whether the physical connection is gone with a transaction open (outside auto-commit, a statement or savepoint
     * ran since the last end): a failed statement took the session with it (a server restart, {@code
     * pg_terminate_backend}, a cut network), and the database rolled the transaction back. Then the transaction counts
     * as ended, so that it is told once.
     */
    public synchronized boolean transactionLost() {
        Connection connection = ranInTransaction && !autoCommit ? connection() : null;
        if (connection == null) {
            return false;
        }
        try {
            if (!SessionStates.physical(connection).isClosed()) {
                return false;
            }
        } catch (SQLException | RuntimeException unreadable) {
            return false; // a connection that cannot tell is not known to be gone; its end is recorded at close
        }
        transactionEnded();
        return true;
    }

    /**
     * The transaction ended (commit or rollback): a {@code SET LOCAL} ends with it, a rolled-back {@code SET}
     * is undone. Nothing needs reading again unless something in it may have changed the session, which
     * marked it.
     */
    public synchronized void transactionEnded() {
        preparedNames.transactionEnded();
        ranInTransaction = false;
        if (beside != null) {
            closeBeside();
        }
        if (changedInTransaction) {
            renew();
            changedInTransaction = false;
            changedInBorrowing = true;
        }
    }

    /**
     * Whether every relation the statements read is known to run no code when read, and every one they
     * write none when written (PostgreSQL: views, rules, row security, triggers, defaults can).
     */
    private boolean runsNoCode(SqlAnalysis resolved) {
        List<StatementAnalysis> statements = resolved.statements();
        for (int i = 0; i < statements.size(); i++) { // indexed: no iterator per run
            StatementAnalysis statement = statements.get(i);
            for (TableRef table : statement.tablesRead()) {
                if (!snapshot.runsNoCode(table, false)) {
                    return false;
                }
            }
            for (TableRef table : statement.tablesWritten()) {
                if (!snapshot.runsNoCode(table, true)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public synchronized String toString() {
        return "session of " + dialect + ": " + snapshot;
    }

    /**
     * One reading of the session: read on its first question, then fixed. Compared by identity, so
     * the engine resolves a statement again under the next snapshot, unless the next one, renewed by age, proves it
     * answers alike ({@link #continues}).
     */
    private final class Snapshot implements NameResolver, SqlText.Continuing {
        private final long taken = System.nanoTime();
        /**
         * The statements lately found not to change the session under this snapshot: a statement run again, kept or
         * prepared again in the next transaction, is not examined again while the snapshot stands.
         */
        final Found harmless = new Found();
        /** The statements lately found to run no code through their relations under this snapshot. */
        final Found noCode = new Found();
        private SessionReader.Reading reading;
        /** When {@link #reading} was read ({@link System#nanoTime}), once it is; under the session's monitor. */
        private long readAt;
        /**
         * The relation names the reading before this one asked about, for this one's first lookup to include
         * ({@link SessionReader#read(java.util.function.Supplier, Set)}); {@code null} while the session has not been
         * read at all; dropped once read.
         */
        private Set<String> expected;

        /**
         * The last snapshot read before this one, when this one replaced it (or one never read that replaced it) by age
         * ({@link #renewByAge}): what this one's reading is compared with once read; {@code null} when there is none to
         * compare with, or once compared. Under the session's monitor.
         */
        private Snapshot comparable;
        /**
         * What texts remember their results under ({@link #continues}): the key of the snapshot this one's reading was
         * proven to answer alike ({@link #comparable}'s), else one of its own; {@code null} until read. Under the
         * session's monitor.
         */
        private Object key;
        /** The relation names the proof of {@link #key} rests on: every later reading carrying it is compared on them. */
        private Set<String> keyNames = Set.of();
        /**
         * A snapshot replaced this one (set under the session's monitor when the next one is made, before that one's
         * reading is compared with this one's).
         */
        private volatile boolean replaced;
        /**
         * This snapshot answered a question after it was replaced (a thread that took it before the renewal, on a
         * connection shared across threads): what was worked out with that answer may rest on a lookup the comparison
         * with the next reading did not see, so nothing worked out under this snapshot is carried to a later one
         * ({@link #continues}).
         */
        private volatile boolean askedWhenReplaced;

        /** The connection the reading's catalog queries run on: the session's, or the one beside its transaction. */
        private final java.util.function.Supplier<Connection> through;
        /** Whether {@link #through} is the connection beside the transaction ({@link #readBeside}); under the monitor. */
        boolean beside;

        /**
         * A snapshot replacing {@code before} ({@code null}: the session's first), read on its first question through
         * {@code through}.
         */
        Snapshot(Snapshot before, java.util.function.Supplier<Connection> through, boolean byAge) {
            this.through = through;
            if (before != null) {
                before.replaced = true;
            }
            if (before == null) {
                expected = null;
            } else if (before.reading != null) {
                // under the session's monitor, as every replacement is
                expected = before.reading.relationNamesRead();
                if (byAge && before.key != null) {
                    comparable = before;
                    if (!before.keyNames.isEmpty()) {
                        // the names its key rests on too, so that this reading looks them up in its first lookup
                        Set<String> names = new java.util.HashSet<>(expected);
                        names.addAll(before.keyNames);
                        expected = Set.copyOf(names);
                    }
                }
            } else {
                expected = before.expected;
                comparable = byAge ? before.comparable : null;
            }
        }

        /** The session this is a reading of. */
        private SessionState owner() {
            return SessionState.this;
        }

        /**
         * The reading was just read: its key is {@link #comparable}'s when this reading answers every question
         * {@link #comparable}'s was asked (and those its key rests on) as it answered them
         * ({@link SessionReader.Reading#continues}, field by field), and the statements found harmless or running no code
         * under it are so under this one; else a key of its own. Neither is compared when read beside a transaction.
         * Under the session's monitor.
         */
        void compared() {
            Snapshot c = comparable;
            comparable = null;
            if (c != null && c.key != null && c.reading != null && !beside && !c.beside
                    && reading != SessionReader.Reading.UNKNOWN && c.reading != SessionReader.Reading.UNKNOWN) {
                Set<String> names = new java.util.HashSet<>(c.keyNames);
                names.addAll(c.reading.relationNamesRead());
                if (reading.continues(c.reading, names)) {
                    key = c.key;
                    keyNames = Set.copyOf(names);
                    harmless.addAll(c.harmless);
                    noCode.addAll(c.noCode);
                    return;
                }
            }
            key = new Object();
            keyNames = Set.of();
        }

        /**
         * Whether what was worked out under {@code earlier} (a snapshot of this session) holds under this one: this is
         * it, or this one's reading was proven to answer alike ({@link #compared}), read now when it was not (with the
         * names the last reading asked about, in the renewal's own round trip) and could be.
         */
        @Override
        public boolean continues(Object earlier) {
            if (earlier == this) {
                return true;
            }
            if (!(earlier instanceof Snapshot e) || e.owner() != SessionState.this || e.askedWhenReplaced) {
                return false;
            }
            synchronized (SessionState.this) {
                Object k = e.key;
                if (k == null) {
                    return false;
                }
                if (reading == null) {
                    Snapshot c = comparable;
                    if (c == null || c.key != k) {
                        return false; // cannot be proven: the reading is left to its first question
                    }
                    reading(expected == null || expected.isEmpty() ? null : expected);
                }
                return key == k;
            }
        }

        private SessionReader.Reading reading() {
            return reading(null);
        }

        /**
         * {@code answer}, an answer this snapshot gave; noted as {@link #askedWhenReplaced} when the snapshot was replaced
         * before the answer was complete. Such an answer may rest on a lookup made after the next reading was compared
         * with this one, which that comparison did not see.
         */
        private <T> T asked(T answer) {
            noteAnswered();
            return answer;
        }

        /** {@link #asked(Object)} for a {@code boolean} answer, unboxed. */
        private boolean asked(boolean answer) {
            noteAnswered();
            return answer;
        }

        /** An answer was just completed: noted as {@link #askedWhenReplaced} when this snapshot was replaced by then. */
        private void noteAnswered() {
            if (replaced) {
                askedWhenReplaced = true;
            }
        }

        /**
         * The reading, read first when it was not: with the relations {@code first} (the first question's, or
         * {@code null}) looked up in the same round trip where the reader can.
         */
        private SessionReader.Reading reading(Set<String> first) {
            synchronized (SessionState.this) {
                if (reading == null) {
                    readAt = System.nanoTime(); // before the query: a reading is as old as its first question
                    reading = read(first);
                    expected = Set.of();
                    compared();
                }
                return reading;
            }
        }

        private SessionReader.Reading read(Set<String> first) {
            try {
                return first == null || first.isEmpty() ? reader.read(through, expected)
                        : reader.read(through, expected, first);
            } catch (SQLException | RuntimeException e) {
                LOG.debug("Could not read the session's search path ({}): unqualified names count as in any schema",
                        e.getClass().getSimpleName());
                return SessionReader.Reading.UNKNOWN;
            }
        }

        @Override
        public void prepare(Set<String> names) {
            reading(names).names().prepare(names);
            noteAnswered();
        }

        @Override
        public Resolution resolve(String name) {
            return asked(reading().names().resolve(name));
        }

        @Override
        public String viewDefinition(String schema, String name) {
            return asked(reading().names().viewDefinition(schema, name));
        }

        @Override
        public Set<String> columns(String schema, String name) {
            return asked(reading().names().columns(schema, name));
        }

        @Override
        public String columnType(String schema, String name, String column) {
            return asked(reading().names().columnType(schema, name, column));
        }

        @Override
        public RelationKind relationKind(String schema, String name) {
            return asked(reading().names().relationKind(schema, name));
        }

        @Override
        public java.util.List<TableRef> ancestors(String schema, String name) {
            return asked(reading().names().ancestors(schema, name));
        }

        @Override
        public java.util.List<TableRef> descendants(String schema, String name) {
            return asked(reading().names().descendants(schema, name));
        }

        @Override
        public java.util.List<TableRef> routinesRunOnWrite(String schema, String name) {
            return asked(reading().names().routinesRunOnWrite(schema, name));
        }

        @Override
        public java.util.List<TableRef> routinesRunOnWrite(String schema, String name, io.governed.sql.Action action,
                                                           boolean upsert) {
            return asked(reading().names().routinesRunOnWrite(schema, name, action, upsert));
        }

        @Override
        public java.util.List<TableRef> routinesOfRowSecurity(String schema, String name) {
            return asked(reading().names().routinesOfRowSecurity(schema, name));
        }

        @Override
        public java.util.List<TableRef> routinesGivenRows(String schema, String name) {
            return asked(reading().names().routinesGivenRows(schema, name));
        }

        @Override
        public java.util.List<TableRef> routinesOfEventTriggers() {
            return asked(reading().names().routinesOfEventTriggers());
        }

        @Override
        public java.util.List<TableRef> routinesRunOnRead(String schema, String name) {
            return asked(reading().names().routinesRunOnRead(schema, name));
        }

        @Override
        public java.util.List<io.governed.sql.names.CascadedWrite> cascadedWrites(String schema, String name,
                                                                                  io.governed.sql.Action action) {
            return asked(reading().names().cascadedWrites(schema, name, action));
        }

        @Override
        public java.util.List<String> routineBodies(String schema, String name) {
            return asked(reading().names().routineBodies(schema, name));
        }

        @Override
        public Set<String> schemasNaming(String name) {
            return asked(reading().names().schemasNaming(name));
        }

        @Override
        public boolean viewDefinitionUnknown(String schema, String name) {
            return asked(reading().names().viewDefinitionUnknown(schema, name));
        }

        @Override
        public boolean readsRoutines() {
            return asked(reading().names().readsRoutines());
        }

        /**
         * H2's functions of its compatibility mode, as this reading of the session found the mode: asked of the reading
         * only when a call of a name the analyser's list lacks is judged (nothing is read before).
         */
        private final io.governed.sql.RoutineCatalog modeBuiltIns = routine -> {
            boolean builtIn = reading().names().sessionBuiltIns().isBuiltIn(routine);
            if (builtIn) {
                modeConfirmed = true;
            }
            return builtIn;
        };

        /**
         * A call of a mode's function was taken for H2's own under this snapshot (confirmed with the database then): the
         * statement making it is followed by a new snapshot, so that the next one's call is confirmed again (the mode is
         * the database's, which another session may switch) and no decision or resolution made under this one serves it.
         */
        volatile boolean modeConfirmed;

        @Override
        public io.governed.sql.RoutineCatalog sessionBuiltIns() {
            return dialect.isH2() ? modeBuiltIns : io.governed.sql.RoutineCatalog.NONE;
        }

        /** The database's catalog is read (a reading that failed leaves names unplaced, not unchecked). */
        @Override
        public boolean readsCatalog() {
            return reader != null;
        }

        @Override
        public boolean systemMayHoldRoutine(String name) {
            return asked(reading().names().systemMayHoldRoutine(name));
        }

        @Override
        public boolean plpgsqlResolvesAsDefault() {
            return asked(reading().names().plpgsqlResolvesAsDefault());
        }

        /**
         * Reads the session first when nothing has yet: a statement whose names are all schema-qualified resolves
         * none, and a snapshot never read would otherwise count every statement as one that may change the session,
         * renewing the snapshot (and so every resolution and decision remembered under it) at every statement.
         */
        boolean runsNoCode(TableRef table, boolean write) {
            return asked(runsNoCodeAsRead(table, write));
        }

        private boolean runsNoCodeAsRead(TableRef table, boolean write) {
            SessionReader.Reading r = reading();
            if (table.schema() != null) {
                return r.runsNoCode(table, write);
            }
            // a name the decision did not resolve (a decision function other than a policy resolves none, and a
            // policy leaves a name unqualified when it cannot be sure): it runs no code only if the name certainly
            // resolves, and in every schema it may resolve to the relation runs none
            Resolution where = r.names().resolve(table.name());
            if (!where.certain() || where.schemas().isEmpty()) {
                return false;
            }
            for (String schema : where.schemas()) {
                if (!r.runsNoCode(new TableRef(schema, table.name()), write)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            SessionReader.Reading r = reading;
            return r == null ? "not read yet" : r.names().toString();
        }
    }
}
