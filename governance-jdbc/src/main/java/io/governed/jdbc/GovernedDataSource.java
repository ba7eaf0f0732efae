package io.governed.jdbc;

import io.governed.jdbc.config.GovernedSettings;
import io.governed.jdbc.connect.DataSourceSettings;
import io.governed.jdbc.routines.PostgresRoutineCatalog;
import io.governed.jdbc.wrapper.GovernedConnection;
import io.governed.jdbc.wrapper.UnwrapGuard;
import io.governed.sql.Dialect;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.ShardingKey;
import java.util.Objects;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Wraps any {@link DataSource} (a HikariCP pool, a driver's own data source) so that every
 * connection it gives is a {@link GovernedConnection}.
 *
 * <pre>{@code
 * DataSource governed = new GovernedDataSource(hikari, governanceSettings);
 * }</pre>
 *
 * <p>Wrap the pool, not each connection: the pool keeps raw connections and this wrapper governs
 * each borrowing. The pool itself is not handed out by {@link #unwrap} unless {@code governed.unwrap=allow}. Closing this data source closes the wrapped one when that is closeable.
 *
 * <p>What the wrapped data source does when it opens a connection happens before governance sees it, so its settings
 * are checked when a connection is asked for, as a {@code jdbc:governed:} URL's are: a HikariCP
 * {@code connectionInitSql}, pgjdbc's {@code options}, H2's {@code INIT} and the like are refused (08001), and so is
 * a data source whose settings cannot be read, unless {@code governed.connect.unlisted-data-source=allow}
 * (see {@link DataSourceSettings}).
 */
public class GovernedDataSource implements DataSource, AutoCloseable {
    private final DataSource delegate;
    private final Governance governance;
    private volatile Dialect dialect;
    /** Whether the wrapped data source's settings passed and can no longer change. */
    private volatile boolean settingsSettled;
    /**
     * How a connection beside a transaction is opened for a borrowing without a user and password ({@link #besideAs}),
     * worked out at the first such borrowing and shared by all later ones; {@link #NO_OPENER} when none can be opened.
     */
    private volatile java.util.concurrent.Callable<Connection> sharedBesideOpener;
    /** {@link #sharedBesideOpener} when no connection beside a transaction can be opened through this data source. */
    private static final java.util.concurrent.Callable<Connection> NO_OPENER = () -> null;
    /** Tells the wrapped pool to drop a connection ({@link #evict}), one for the data source's life. */
    private final java.util.function.Consumer<Connection> evictor = this::evict;

    /** Governs {@code delegate} with the given runtime. */
    public GovernedDataSource(DataSource delegate, Governance governance) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.governance = Objects.requireNonNull(governance, "governance");
    }

    /**
     * Governs {@code delegate} with {@code governed.*} settings taken from {@code settings}, then the
     * system properties, then {@code governed.properties}; the identity settings become the default identity.
     *
     * @throws SQLException when a setting is unknown or invalid
     */
    public GovernedDataSource(DataSource delegate, Properties settings) throws SQLException {
        this(delegate, fromSettings(GovernedSettings.resolve(settings)));
    }

    private static Governance fromSettings(GovernedSettings settings) throws SQLException {
        return Governance.fromSettings(settings, settings.identity());
    }

    /** The governance runtime of this data source. */
    public Governance governance() {
        return governance;
    }

    @Override
    public Connection getConnection() throws SQLException {
        checkSettings();
        return besideAs(govern(delegate.getConnection()), null, null);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        checkSettings();
        return besideAs(govern(delegate.getConnection(username, password)), username, password);
    }

    /**
     * Tells {@code governed}'s session how a connection beside a {@code REPEATABLE READ} or {@code SERIALIZABLE}
     * transaction is opened (PostgreSQL): with pgjdbc's own data source ({@code PGSimpleDataSource}), whose every
     * connection is a new physical one of the same settings, from the delegate itself (as {@code username} when
     * given); with HikariCP, from the data source or the URL, user and properties it opens its own connections with,
     * never from the pool. Any other data source: none (such a transaction's statements stay refused for a caller the
     * policy limits).
     */
    private Connection besideAs(Connection governed, String username, String password) {
        if (dialect != Dialect.POSTGRESQL || !(governed instanceof GovernedConnection g)) {
            return governed;
        }
        java.util.concurrent.Callable<Connection> opener = username == null ? sharedBesideOpener()
                : besideOpener(delegate, username, password);
        if (opener != null) {
            g.session().besideOpener(opener);
        }
        return governed;
    }

    /**
     * {@link #besideOpener} of a borrowing without a user and password, worked out once: what it depends on is fixed
     * once the wrapped data source has handed out a connection (pgjdbc's data source by its class; HikariCP's inner data
     * source and URL, which it seals when its pool starts), and the pool's user, password and properties, which its
     * MXBean may change, are read when a connection beside is opened, not at each borrowing.
     */
    private java.util.concurrent.Callable<Connection> sharedBesideOpener() {
        java.util.concurrent.Callable<Connection> known = sharedBesideOpener;
        if (known == null) {
            java.util.concurrent.Callable<Connection> found = besideOpener(delegate, null, null);
            known = found == null ? NO_OPENER : found;
            sharedBesideOpener = known;
        }
        return known == NO_OPENER ? null : known;
    }

    private static java.util.concurrent.Callable<Connection> besideOpener(DataSource delegate, String username,
                                                                       String password) {
        if (isPgjdbcDataSource(delegate)) {
            return username == null ? delegate::getConnection : () -> delegate.getConnection(username, password);
        }
        if (username != null) {
            return null;
        }
        for (Class<?> c = delegate.getClass(); c != null; c = c.getSuperclass()) {
            if ("com.zaxxer.hikari.HikariConfig".equals(c.getName())) {
                try {
                    Object inner = c.getMethod("getDataSource").invoke(delegate);
                    if (inner instanceof DataSource ds) {
                        return isPgjdbcDataSource(ds) ? ds::getConnection : null;
                    }
                    String url = (String) c.getMethod("getJdbcUrl").invoke(delegate);
                    if (url == null || !url.startsWith("jdbc:postgresql:")) {
                        return null;
                    }
                    return new HikariBeside(delegate, c);
                } catch (ReflectiveOperationException | RuntimeException unknown) {
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * Opens a connection beside a transaction as a HikariCP pool over a PostgreSQL URL opens its own: with the pool's
     * URL, user, password and data source properties as they are when it is opened; none ({@code null}) when they cannot
     * be read or the URL is no longer PostgreSQL's.
     */
    private static final class HikariBeside implements java.util.concurrent.Callable<Connection> {
        private final DataSource pool;
        private final java.lang.reflect.Method url;
        private final java.lang.reflect.Method user;
        private final java.lang.reflect.Method secret;
        private final java.lang.reflect.Method properties;

        HikariBeside(DataSource pool, Class<?> config) throws NoSuchMethodException {
            this.pool = pool;
            this.url = config.getMethod("getJdbcUrl");
            this.user = config.getMethod("getUsername");
            this.secret = config.getMethod("getPassword");
            this.properties = config.getMethod("getDataSourceProperties");
        }

        @Override
        public Connection call() throws SQLException {
            String jdbcUrl;
            Properties settings = new Properties();
            try {
                jdbcUrl = (String) url.invoke(pool);
                String userName = (String) user.invoke(pool);
                String password = (String) secret.invoke(pool);
                Properties given = (Properties) properties.invoke(pool);
                if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
                    return null;
                }
                if (given != null) {
                    settings.putAll(given);
                }
                if (userName != null) {
                    settings.setProperty("user", userName);
                }
                if (password != null) {
                    settings.setProperty("password", password);
                }
            } catch (ReflectiveOperationException | RuntimeException unknown) {
                return null;
            }
            return java.sql.DriverManager.getConnection(jdbcUrl, settings);
        }
    }

    /** Whether {@code ds} is one of pgjdbc's data sources whose every connection is a new physical one (not its pool). */
    private static boolean isPgjdbcDataSource(DataSource ds) {
        String name = ds.getClass().getName();
        return "org.postgresql.ds.PGSimpleDataSource".equals(name);
    }

    /** Refuses (08001) connections of a wrapped data source whose settings act past the gate; see {@link DataSourceSettings}. */
    private void checkSettings() throws SQLException {
        if (!settingsSettled) {
            settingsSettled = DataSourceSettings.check(delegate, governance.unlistedDataSourcesAllowed());
        }
    }

    @Override
    public ConnectionBuilder createConnectionBuilder() throws SQLException {
        checkSettings();
        ConnectionBuilder builder = delegate.createConnectionBuilder();
        return new ConnectionBuilder() {
            @Override
            public ConnectionBuilder user(String username) {
                builder.user(username);
                return this;
            }

            @Override
            public ConnectionBuilder password(String password) {
                builder.password(password);
                return this;
            }

            @Override
            public ConnectionBuilder shardingKey(ShardingKey shardingKey) {
                builder.shardingKey(shardingKey);
                return this;
            }

            @Override
            public ConnectionBuilder superShardingKey(ShardingKey superShardingKey) {
                builder.superShardingKey(superShardingKey);
                return this;
            }

            @Override
            public Connection build() throws SQLException {
                checkSettings();
                return govern(builder.build());
            }
        };
    }

    private Connection govern(Connection raw) throws SQLException {
        Dialect d = dialect;
        if (d == null) {
            d = Dialect.fromJdbcUrl(raw.getMetaData().getURL());
            if (d == Dialect.GENERIC) {
                d = Dialect.fromProductName(raw.getMetaData().getDatabaseProductName());
            }
            dialect = d;
        }
        try {
            // read for each connection: H2 folds names as the database was first opened, which no URL here tells
            d = io.governed.jdbc.connect.H2NameCase.of(raw, d);
        } catch (SQLException refused) {
            try {
                raw.close();
            } catch (SQLException notClosed) {
                refused.addSuppressed(notClosed);
            }
            throw refused;
        }
        GovernedConnection governed = new GovernedConnection(raw, governance, null, d, PostgresRoutineCatalog.of(raw, d));
        governed.evictThrough(evictor);
        return governed;
    }

    /**
     * Tells the pool to drop {@code raw}, one of its connections that a governed connection aborted rather than hand on
     * its session: the delegate's {@code evictConnection(Connection)} (HikariCP's), when it has one. Otherwise the pool
     * learns it from the error of the aborted connection, or finds it closed when it next checks it.
     */
    private void evict(Connection raw) {
        java.lang.reflect.Method evictConnection;
        try {
            evictConnection = delegate.getClass().getMethod("evictConnection", Connection.class);
        } catch (NoSuchMethodException | RuntimeException none) {
            return;
        }
        try {
            evictConnection.invoke(delegate, raw);
        } catch (ReflectiveOperationException | RuntimeException notEvicted) {
            throw new IllegalStateException("the pool did not drop the connection", notEvicted);
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    /**
     * This data source for the types it is; the wrapped one (a pool, whose connections are raw) only
     * under {@code governed.unwrap=allow}, audited. See {@link UnwrapGuard}.
     */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return UnwrapGuard.unwrap(this, delegate, iface, governance, null, () -> governance.identityResolution().current(null));
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return UnwrapGuard.isWrapperFor(this, delegate, iface, governance);
    }

    /**
     * Writes out the audit events still queued (waiting up to the audit's close timeout), then closes
     * the wrapped data source when it is {@link AutoCloseable} (a pool, say).
     */
    @Override
    public void close() throws SQLException {
        governance.flushAudit();
        if (delegate instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (SQLException e) {
                throw e;
            } catch (Exception e) {
                throw new SQLException("Closing the wrapped data source failed: " + e.getMessage(), e);
            }
        }
    }
}
