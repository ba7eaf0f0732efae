package io.governed.jdbc;

import io.governed.identity.Identity;
import io.governed.jdbc.config.GovernedSettings;
import io.governed.jdbc.connect.DelegateSettings;
import io.governed.jdbc.connect.H2NameCase;
import io.governed.jdbc.routines.PostgresRoutineCatalog;
import io.governed.jdbc.config.Setting;
import io.governed.jdbc.wrapper.GovernedConnection;
import io.governed.sql.Dialect;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The {@code jdbc:governed:} driver. {@code jdbc:governed:<rest>} connects through whichever
 * registered driver accepts {@code jdbc:<rest>}, with the {@code governed.*} settings taken out of
 * the properties first, and returns a {@link GovernedConnection}. What is left of the URL and the properties is
 * checked first: a setting the delegate driver would act on past the gate refuses the connection
 * ({@link DelegateSettings}).
 *
 * <p>Registered with {@link DriverManager} by {@code META-INF/services/java.sql.Driver}, so putting
 * the jar on the classpath is enough. Connections whose governance settings are equal share one
 * {@link Governance} runtime.
 */
public final class GovernedDriver implements Driver {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GovernedDriver.class);

    static final int MAJOR_VERSION = 0;
    static final int MINOR_VERSION = 1;

    private static final GovernedDriver REGISTERED = new GovernedDriver();

    static {
        try {
            DriverManager.registerDriver(REGISTERED);
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Map<Map<String, String>, Governance> runtimes = new ConcurrentHashMap<>();

    @Override
    public boolean acceptsURL(String url) {
        return GovernedUrl.accepts(url);
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null; // JDBC: another driver's URL
        }
        String delegateUrl = GovernedUrl.delegateUrl(url);
        GovernedSettings settings = GovernedSettings.resolve(info == null ? new Properties() : info);
        Driver delegateDriver = delegateFor(url, delegateUrl);
        Governance governance = governanceFor(settings);
        Identity identity = connectionIdentity(settings, governance);
        Properties delegateProperties = GovernedSettings.withoutGovernanceKeys(info);
        DelegateSettings.check(delegateDriver, delegateUrl, delegateProperties,
                settings.isOn(Setting.CONNECT_UNLISTED_DRIVER, "allow", "refuse", false));
        Connection raw = delegateDriver.connect(delegateUrl, delegateProperties);
        if (raw == null) {
            throw new SQLException("Driver " + delegateDriver.getClass().getName() + " accepted '"
                    + GovernedUrl.redact(delegateUrl) + "' but returned no connection", "08001");
        }
        Dialect dialect;
        try {
            dialect = H2NameCase.of(raw, Dialect.fromJdbcUrl(delegateUrl));
        } catch (SQLException refused) {
            closeQuietly(raw, refused);
            throw refused;
        }
        GovernedConnection connection = new GovernedConnection(raw, governance, identity, dialect,
                PostgresRoutineCatalog.of(raw, dialect));
        connection.closesForGood(); // its close() closes the physical connection: the server ends the session
        if (dialect == Dialect.POSTGRESQL) {
            // the connection a REPEATABLE READ or SERIALIZABLE transaction's catalog is read beside, opened on need as
            // this one was: same driver, URL and properties (so the same user)
            Properties beside = new Properties();
            beside.putAll(delegateProperties);
            connection.session().besideOpener(() -> delegateDriver.connect(delegateUrl, beside));
        }
        LOG.debug("Opened {} to {}", connection.connectionId(), GovernedUrl.redact(delegateUrl));
        return connection;
    }

    private static void closeQuietly(Connection raw, SQLException cause) {
        try {
            raw.close();
        } catch (SQLException notClosed) {
            cause.addSuppressed(notClosed);
        }
    }

    /**
     * The connection's own identity: the asserted one of {@code governed.principal} and friends, or the one a
     * literal {@code governed.identity.token} vouches for (verified now: a refused token refuses the connection).
     */
    private static Identity connectionIdentity(GovernedSettings settings, Governance governance) throws SQLException {
        Identity asserted = settings.identity();
        String token = settings.literalToken();
        if (token == null) {
            return asserted;
        }
        if (asserted != null) {
            throw GovernedSettings.assertedAndVerifiedIdentity();
        }
        if (governance.tokenVerifier() == null) {
            throw GovernedSettings.withoutJwks(Setting.IDENTITY_TOKEN);
        }
        return io.governed.jdbc.identity.token.ServiceToken.verifiedFromSettings(governance.tokenVerifier(), token);
    }

    /**
     * The runtime shared by connections of the same governance settings. A literal service token is not part of
     * them (it is the connection's identity), so connections with ever new tokens do not pile up runtimes.
     */
    private Governance governanceFor(GovernedSettings settings) throws SQLException {
        Map<String, String> key = settings.governanceKey();
        Governance existing = runtimes.get(key);
        if (existing != null) {
            return existing;
        }
        Governance created = Governance.fromSettings(settings.literalToken() == null ? settings
                : settings.without(Setting.IDENTITY_TOKEN), null);
        existing = runtimes.putIfAbsent(key, created);
        return existing != null ? existing : created;
    }

    /** The registered driver, other than this one, that accepts {@code delegateUrl}. */
    private static Driver delegateFor(String url, String delegateUrl) throws SQLException {
        List<String> tried = new ArrayList<>();
        for (Enumeration<Driver> drivers = DriverManager.getDrivers(); drivers.hasMoreElements(); ) {
            Driver driver = drivers.nextElement();
            if (driver instanceof GovernedDriver) {
                continue;
            }
            tried.add(driver.getClass().getName());
            if (driver.acceptsURL(delegateUrl)) {
                return driver;
            }
        }
        throw new SQLException("No JDBC driver accepts '" + GovernedUrl.redact(delegateUrl) + "' (from '"
                + GovernedUrl.redact(url) + "'). Drivers tried: " + (tried.isEmpty() ? "none registered" : String.join(", ", tried))
                + ". Put the database's JDBC driver on the classpath, or correct the URL after 'jdbc:governed:'.",
                "08001");
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return new DriverPropertyInfo[0];
        }
        String delegateUrl = GovernedUrl.delegateUrl(url);
        List<DriverPropertyInfo> merged = new ArrayList<>();
        Collections.addAll(merged, delegateFor(url, delegateUrl)
                .getPropertyInfo(delegateUrl, GovernedSettings.withoutGovernanceKeys(info)));
        for (Setting setting : Setting.values()) {
            String value = info == null || setting == Setting.IDENTITY_TOKEN ? null : info.getProperty(setting.key());
            DriverPropertyInfo p = new DriverPropertyInfo(setting.key(), value);
            p.description = setting.description();
            p.required = false;
            merged.add(p);
        }
        return merged.toArray(new DriverPropertyInfo[0]);
    }

    @Override
    public int getMajorVersion() {
        return MAJOR_VERSION;
    }

    @Override
    public int getMinorVersion() {
        return MINOR_VERSION;
    }

    /** False: compliance is the delegate driver's, which depends on the URL. */
    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger("io.governed");
    }
}
