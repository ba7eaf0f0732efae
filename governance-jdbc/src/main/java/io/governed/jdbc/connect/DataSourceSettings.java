package io.governed.jdbc.connect;

import io.governed.jdbc.gate.SqlText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The check of what a data source wrapped by {@code GovernedDataSource} does when it opens a connection, before the
 * governed connection exists: the same settings {@link DelegateSettings} refuses in a {@code jdbc:governed:} URL
 * (pgjdbc's {@code options=-c role=…}, H2's {@code INIT}, MariaDB's {@code initSql}, …), and what a pool runs on its
 * raw connections (HikariCP's {@code connectionInitSql} and {@code connectionTestQuery}, Tomcat JDBC's {@code initSQL},
 * validation and interceptors, DBCP's {@code connectionInitSqls} and {@code validationQuery}). The settings are read
 * from the data sources this class knows how to read: HikariCP, Tomcat JDBC's and Commons DBCP2's pools, pgjdbc's,
 * MariaDB Connector/J's and H2's data sources, Spring's driver-based data sources, its routing data source's targets, its delegating proxies and its
 * embedded database, followed down to the data source that connects.
 * Any other data source is refused, since what it runs at connect time cannot be read, unless
 * {@code governed.connect.unlisted-data-source=allow}.
 *
 * <p>The check runs when a connection is asked for, not per statement: a data source's settings can change until
 * it connects (HikariCP seals its configuration once its pool starts, after which one check stands for good; Tomcat
 * JDBC and DBCP never do, so they are read at every borrowing).
 */
public final class DataSourceSettings {
    private static final Logger LOG = LoggerFactory.getLogger(DataSourceSettings.class);

    private static final String HIKARI = "com.zaxxer.hikari.HikariConfig";
    private static final String HIKARI_DATA_SOURCE = "com.zaxxer.hikari.HikariDataSource";
    private static final String PGJDBC = "org.postgresql.ds.common.BaseDataSource";
    private static final Set<String> MARIADB = Set.of("org.mariadb.jdbc.MariaDbDataSource",
            "org.mariadb.jdbc.MariaDbPoolDataSource");
    private static final String H2 = "org.h2.jdbcx.JdbcDataSource";
    private static final String SPRING_DRIVER_BASED = "org.springframework.jdbc.datasource.AbstractDriverBasedDataSource";
    private static final String SPRING_SIMPLE_DRIVER = "org.springframework.jdbc.datasource.SimpleDriverDataSource";
    private static final String SPRING_DELEGATING = "org.springframework.jdbc.datasource.DelegatingDataSource";
    /** Spring's data source that routes each connection to one of its targets by a key of the application's. */
    private static final String SPRING_ROUTING = "org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource";
    private static final String GOVERNED = "io.governed.jdbc.GovernedDataSource";
    private static final String GOVERNED_DRIVER = "io.governed.jdbc.GovernedDriver";
    /**
     * Tomcat JDBC's pool, by its exact classes: a subclass may connect otherwise than the settings it shows say.
     * {@code XADataSource} adds only the XA interface over the same pool.
     */
    private static final Set<String> TOMCAT = Set.of("org.apache.tomcat.jdbc.pool.DataSource",
            "org.apache.tomcat.jdbc.pool.XADataSource", "org.apache.tomcat.jdbc.pool.DataSourceProxy");
    /**
     * Commons DBCP2's pool, by its exact class: its subclasses ({@code BasicManagedDataSource}) connect through an XA
     * data source or a connection factory of their own, which its settings do not show.
     */
    private static final String DBCP = "org.apache.commons.dbcp2.BasicDataSource";
    /** commons-pool's own eviction policy, which only looks at idle times; any other is code handed the raw connections. */
    private static final String DEFAULT_EVICTION = "org.apache.commons.pool2.impl.DefaultEvictionPolicy";
    /** Tomcat JDBC's package of interceptors, which it tries after a name as written fails to load. */
    private static final String TOMCAT_INTERCEPTORS = "org.apache.tomcat.jdbc.pool.interceptor.";
    /**
     * The Tomcat JDBC interceptors that run nothing on the connection and leave its session alone:
     * {@code StatementFinalizer} closes the statements a borrower left open when it returns the connection,
     * {@code ResetAbandonedTimer} pushes back the abandoned-connection timer at each call. Any other interceptor is
     * code between the pool and the raw connection (it may run statements, change the session, or answer in the
     * connection's stead, as {@code ConnectionState} answers auto-commit, read-only, isolation and catalog from a
     * cache), so it is refused. {@code TrapException}, which the pool puts first whenever interceptors are named,
     * only unwraps the exceptions its proxies' reflection wraps.
     */
    static final Set<String> TOMCAT_HARMLESS_INTERCEPTORS = Set.of(TOMCAT_INTERCEPTORS + "StatementFinalizer",
            TOMCAT_INTERCEPTORS + "ResetAbandonedTimer", "org.apache.tomcat.jdbc.pool.TrapException");
    /** Spring's embedded database ({@code EmbeddedDatabaseBuilder}, test slices), which hands its data source out by unwrap. */
    private static final String SPRING_EMBEDDED = "org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseFactory$EmbeddedDataSourceProxy";

    /** HikariCP's settings (its setters' names) that say what a connection runs or connects with: each one is read. */
    static final Set<String> HIKARI_READ = Set.of("connectionInitSql", "connectionTestQuery", "jdbcUrl",
            "driverClassName", "dataSourceClassName", "dataSourceProperties", "dataSourceProperty", "dataSource",
            "dataSourceJNDI");

    /**
     * HikariCP's settings that leave alone what the gate relies on: credentials, sizes and timeouts, what JDBC's own
     * setters set (auto-commit, read-only, isolation, catalog and schema, which the governed connection reads back
     * from the server), metrics, threads, and the application's own classes for credentials and exception mapping.
     */
    static final Set<String> HIKARI_HARMLESS = Set.of("username", "password", "credentials", "credentialsProvider",
            "credentialsProviderClassName", "connectionTimeout", "idleTimeout", "leakDetectionThreshold", "maxLifetime",
            "maximumPoolSize", "minimumIdle", "validationTimeout", "keepaliveTime", "initializationFailTimeout",
            "autoCommit", "readOnly", "transactionIsolation", "catalog", "schema", "allowPoolSuspension",
            "isolateInternalQueries", "metricsTrackerFactory", "metricRegistry", "healthCheckRegistry",
            "healthCheckProperties", "healthCheckProperty", "registerMbeans", "poolName", "scheduledExecutor",
            "threadFactory", "exceptionOverride", "exceptionOverrideClassName");

    /**
     * Tomcat JDBC's settings ({@code PoolConfiguration}'s and its data source's setters) that say what a connection
     * runs or connects with: each one is read ({@code connectionProperties} is parsed into {@code dbProperties};
     * {@code poolProperties} replaces the configuration as a whole, whose every setting the pool's getters read).
     */
    static final Set<String> TOMCAT_READ = Set.of("poolProperties", "initSQL", "validationQuery", "validator", "validatorClassName",
            "jdbcInterceptors", "url", "driverClassName", "dbProperties", "connectionProperties", "dataSource",
            "dataSourceJNDI");

    /**
     * Tomcat JDBC's settings that leave alone what the gate relies on: credentials, sizes, timeouts and sweeping,
     * when to validate (what validation runs is read), what JDBC's own setters set by default (auto-commit,
     * read-only, isolation, catalog, which the governed connection tracks itself as it does HikariCP's), committing
     * or rolling back on return what governed statements did, and the pool's own proxies, queue, locks and JMX.
     */
    static final Set<String> TOMCAT_HARMLESS = Set.of("username", "password", "alternateUsernameAllowed", "name",
            "initialSize", "maxActive", "maxIdle", "minIdle", "maxWait", "maxAge", "minEvictableIdleTimeMillis",
            "timeBetweenEvictionRunsMillis", "numTestsPerEvictionRun", "removeAbandoned", "removeAbandonedTimeout",
            "abandonWhenPercentageFull", "suspectTimeout", "logAbandoned", "testOnBorrow", "testOnConnect",
            "testOnReturn", "testWhileIdle", "validationInterval", "validationQueryTimeout", "logValidationErrors",
            "defaultAutoCommit", "defaultReadOnly", "defaultTransactionIsolation", "defaultCatalog", "commitOnReturn",
            "rollbackOnReturn", "accessToUnderlyingConnectionAllowed", "useDisposableConnectionFacade",
            "useStatementFacade", "useEquals", "useLock", "fairQueue", "jmxEnabled", "propagateInterruptState",
            "ignoreExceptionOnPreLoad", "logWriter", "loginTimeout");

    /** DBCP2's settings ({@code BasicDataSource}'s setters, adders and removers) that say what a connection runs or connects with. */
    static final Set<String> DBCP_READ = Set.of("connectionInitSqls", "validationQuery", "url", "driverClassName",
            "driver", "driverClassLoader", "connectionProperties", "connectionProperty", "connectionFactoryClassName",
            "evictionPolicyClassName");

    /**
     * DBCP2's settings that leave alone what the gate relies on: credentials, sizes, timeouts and eviction timing,
     * when to validate, what JDBC's own setters set by default (auto-commit, read-only, isolation, catalog, schema,
     * a statement's query timeout), committing or rolling back on return, statement pooling and cached state of the
     * connection's own setters, which SQL codes end a connection, logging and JMX.
     */
    static final Set<String> DBCP_HARMLESS = Set.of("username", "password", "initialSize", "maxTotal", "maxIdle",
            "minIdle", "maxWait", "maxWaitMillis", "maxConn", "maxConnLifetimeMillis", "lifo", "minEvictableIdle",
            "minEvictableIdleTimeMillis", "softMinEvictableIdle", "softMinEvictableIdleTimeMillis",
            "durationBetweenEvictionRuns", "timeBetweenEvictionRunsMillis", "numTestsPerEvictionRun", "testOnBorrow",
            "testOnCreate", "testOnReturn", "testWhileIdle", "validationQueryTimeout", "fastFailValidation",
            "disconnectionSqlCodes", "disconnectionIgnoreSqlCodes", "defaultAutoCommit", "defaultReadOnly",
            "defaultTransactionIsolation", "defaultCatalog", "defaultSchema", "defaultQueryTimeout",
            "autoCommitOnReturn", "enableAutoCommitOnReturn", "rollbackOnReturn", "cacheState",
            "poolPreparedStatements", "maxOpenPreparedStatements", "clearStatementPoolOnReturn",
            "accessToUnderlyingConnectionAllowed", "removeAbandonedOnBorrow", "removeAbandonedOnMaintenance",
            "removeAbandonedTimeout", "logAbandoned", "abandonedUsageTracking", "abandonedLogWriter",
            "logExpiredConnections", "jmxName", "registerConnectionMBean", "logWriter", "loginTimeout");

    /** The statements a pool's connection test may be, which read nothing and change nothing. */
    private static final Set<String> PINGS = Set.of("select 1", "select 1 from dual", "values 1", "values (1)",
            "values(1)", "/* ping */ select 1");

    private static final String FIX = " Put Governed JDBC beneath the pool instead (a jdbc:governed: URL as its "
            + "JDBC URL: HikariCP's jdbcUrl, Tomcat JDBC's or DBCP's url), where the gate checks what the pool runs, or run the set-up as the first statement of each "
            + "borrowing.";

    /** The unlisted data source classes already warned of. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private DataSourceSettings() {
    }

    /**
     * Refuses (08001) when {@code dataSource}, or a data source beneath it, opens connections with settings or
     * statements governance cannot allow, or is of a kind whose settings cannot be read (unless
     * {@code unlistedAllowed}). The message names each setting, never its value.
     *
     * @return whether the verdict stands for good (the settings can no longer change), so the check need not run again
     */
    public static boolean check(DataSource dataSource, boolean unlistedAllowed) throws SQLException {
        Findings findings = new Findings();
        read(dataSource, findings, 0);
        if (!findings.refusals.isEmpty()) {
            throw new SQLException("Connection refused: " + String.join("; ", findings.refusals) + ". Remove "
                    + (findings.refusals.size() == 1 ? "it" : "them") + " from the wrapped data source's "
                    + "configuration." + FIX, DelegateSettings.REFUSED);
        }
        if (!findings.unlisted.isEmpty()) {
            if (!unlistedAllowed) {
                throw new SQLException("Connection refused: Governed JDBC cannot read what "
                        + String.join(" or ", findings.unlisted) + " runs or sets when it connects, so it cannot tell "
                        + "whether its connections reach the gate with a session changed past it. Wrap a HikariCP, "
                        + "Tomcat JDBC or Commons DBCP2 pool or a pgjdbc, MariaDB Connector/J or H2 data source, connect with a jdbc:governed: "
                        + "URL, or set governed.connect.unlisted-data-source=allow to take responsibility for its "
                        + "settings.", DelegateSettings.REFUSED);
            }
            for (String unlisted : findings.unlisted) {
                if (WARNED.add(unlisted)) {
                    LOG.warn("Wrapping {} with its connection settings unchecked "
                            + "(governed.connect.unlisted-data-source=allow): what it runs or sets when it connects "
                            + "is not governed", unlisted);
                }
            }
        }
        return findings.settled;
    }

    private static final class Findings {
        final List<String> refusals = new ArrayList<>();
        final List<String> unlisted = new ArrayList<>();
        /** Whether every data source read can no longer change its settings. */
        boolean settled = true;
    }

    private static void read(Object dataSource, Findings findings, int depth) throws SQLException {
        if (dataSource == null) {
            return;
        }
        if (depth > 8) {
            findings.unlisted.add("a chain of more than eight data sources");
            return;
        }
        Class<?> type = dataSource.getClass();
        if (is(type, GOVERNED)) {
            return; // its connections are governed, its own data source checked when it connects
        }
        if (is(type, HIKARI)) {
            readHikari(dataSource, findings, depth);
        } else if (TOMCAT.contains(type.getName())) {
            findings.settled = false; // Tomcat JDBC reads its properties anew for each connection it opens
            readTomcat(dataSource, findings, depth);
        } else if (type.getName().equals(DBCP)) {
            findings.settled = false;
            readDbcp(dataSource, findings);
        } else if (is(type, PGJDBC)) {
            findings.settled = false;
            driver("org.postgresql.Driver", type.getClassLoader(), null, pgjdbcSettings(dataSource),
                    "the pgjdbc data source's URL", "the pgjdbc data source's settings", findings);
        } else if (isAny(type, MARIADB)) {
            findings.settled = false;
            driver("org.mariadb.jdbc.Driver", type.getClassLoader(), text(dataSource, "getUrl"), null, "the MariaDB data source's URL", null, findings);
        } else if (is(type, H2)) {
            findings.settled = false;
            driver("org.h2.Driver", type.getClassLoader(), text(dataSource, "getURL"), null, "the H2 data source's URL", null, findings);
        } else if (is(type, SPRING_EMBEDDED) && dataSource instanceof DataSource embedded) {
            findings.settled = false;
            DataSource inner = embedded.unwrap(DataSource.class);
            if (inner == embedded) {
                findings.unlisted.add(type.getName());
            } else {
                read(inner, findings, depth + 1);
            }
        } else if (is(type, SPRING_DELEGATING)) {
            findings.settled = false;
            read(get(dataSource, "getTargetDataSource"), findings, depth + 1);
        } else if (is(type, SPRING_ROUTING)) {
            findings.settled = false;
            readRouting(dataSource, type, findings, depth);
        } else if (is(type, SPRING_DRIVER_BASED)) {
            findings.settled = false;
            String url = text(dataSource, "getUrl");
            Object properties = get(dataSource, "getConnectionProperties");
            Object driver = is(type, SPRING_SIMPLE_DRIVER) ? get(dataSource, "getDriver") : null;
            if (driver == null) {
                driver = driverFor(url);
            }
            driver(driver == null ? null : driver.getClass().getName(), driver == null ? null : driver.getClass().getClassLoader(), url,
                    properties instanceof Properties p ? p : null, type.getSimpleName() + "'s url",
                    type.getSimpleName() + "'s connectionProperties", findings);
        } else {
            findings.unlisted.add(type.getName());
        }
    }

    /**
     * Spring's routing data source connects through the target its subclass's key picks among those resolved when it
     * was initialised (and the default): each of them is read. A subclass that picks its target or connects another
     * way (overrides {@code determineTargetDataSource} or {@code getConnection}) could connect through anything, and
     * counts as unlisted, as does one not initialised yet, whose targets are not resolved.
     */
    private static void readRouting(Object routing, Class<?> type, Findings findings, int depth) throws SQLException {
        for (Class<?> c = type; c != null && !c.getName().equals(SPRING_ROUTING); c = c.getSuperclass()) {
            for (Method declared : c.getDeclaredMethods()) {
                String name = declared.getName();
                if ((name.equals("determineTargetDataSource") && declared.getParameterCount() == 0)
                        || name.equals("getConnection")) {
                    findings.unlisted.add(type.getName() + " (it overrides " + name + ")");
                    return;
                }
            }
        }
        Object targets;
        try {
            targets = type.getMethod("getResolvedDataSources").invoke(routing);
        } catch (ReflectiveOperationException | RuntimeException e) {
            findings.unlisted.add(type.getName() + " (its targets are not resolved: call afterPropertiesSet first)");
            return;
        }
        if (!(targets instanceof java.util.Map<?, ?> resolved)) {
            findings.unlisted.add(type.getName() + " (its targets are not resolved: call afterPropertiesSet first)");
            return;
        }
        for (Object target : resolved.values()) {
            read(target, findings, depth + 1);
        }
        read(get(routing, "getResolvedDefaultDataSource"), findings, depth + 1);
    }

    private static void readHikari(Object hikari, Findings findings, int depth) throws SQLException {
        if (!(is(hikari.getClass(), HIKARI_DATA_SOURCE) && Boolean.TRUE.equals(get(hikari, "isRunning")))) {
            findings.settled = false; // a pool seals its configuration when it starts
        }
        String url = text(hikari, "getJdbcUrl");
        Object inner = get(hikari, "getDataSource");
        String innerClass = text(hikari, "getDataSourceClassName");
        // HikariCP connects through dataSource, else dataSourceClassName, and only then through jdbcUrl
        boolean governedBeneath = governed(url) && inner == null && blank(innerClass);
        if (!governedBeneath) {
            rawStatements(findings, "HikariCP's connectionInitSql", !blank(text(hikari, "getConnectionInitSql")),
                    false, "HikariCP's connectionTestQuery", text(hikari, "getConnectionTestQuery"));
        }
        if (!blank(text(hikari, "getDataSourceJNDI"))) {
            findings.unlisted.add("a data source looked up in JNDI (HikariCP's dataSourceJNDI)");
        }
        Object properties = get(hikari, "getDataSourceProperties");
        Properties settings = properties instanceof Properties p ? p : new Properties();
        if (inner != null) {
            read(inner, findings, depth + 1);
        } else if (!blank(innerClass)) {
            read(configured(innerClass.strip(), settings, findings), findings, depth + 1);
        } else if (url != null && !governedBeneath) {
            driverBased(text(hikari, "getDriverClassName"), url, settings, "HikariCP's jdbcUrl",
                    "HikariCP's dataSourceProperties", findings);
        }
    }

    /**
     * Tomcat JDBC's pool: it connects through the data source it wraps ({@code dataSource}, or one it looks up by
     * {@code dataSourceJNDI}) if any, else through {@code driverClassName} (or the driver registered for the URL) with
     * {@code url} and {@code dbProperties}; on each new connection it runs {@code initSQL}, and its validation
     * ({@code validationQuery} or a {@code validator}) and its {@code jdbcInterceptors} act on the raw connection.
     */
    private static void readTomcat(Object pool, Findings findings, int depth) throws SQLException {
        Object inner = get(pool, "getDataSource");
        String jndi = text(pool, "getDataSourceJNDI");
        String url = text(pool, "getUrl");
        boolean governedBeneath = inner == null && blank(jndi) && governed(url);
        if (!governedBeneath) {
            rawStatements(findings, "Tomcat JDBC's initSQL", !blank(text(pool, "getInitSQL")), false,
                    "Tomcat JDBC's validationQuery", text(pool, "getValidationQuery"));
            if (get(pool, "getValidator") != null || !blank(text(pool, "getValidatorClassName"))) {
                findings.refusals.add("Tomcat JDBC's validator (validatorClassName) runs code of its own on "
                        + "connections the gate never sees");
            }
            if (!tomcatInterceptorsHarmless(pool)) {
                findings.refusals.add("Tomcat JDBC's jdbcInterceptors names an interceptor other than "
                        + "StatementFinalizer and ResetAbandonedTimer, which is code between the pool and connections "
                        + "the gate never sees");
            }
        }
        if (inner != null) {
            read(inner, findings, depth + 1);
        } else if (!blank(jndi)) {
            findings.unlisted.add("a data source looked up in JNDI (Tomcat JDBC's dataSourceJNDI)");
        } else if (url != null && !governedBeneath) {
            // setConnectionProperties parses its text into dbProperties: reading these reads both
            Object properties = get(pool, "getDbProperties");
            driverBased(text(pool, "getDriverClassName"), url, properties instanceof Properties p ? p : new Properties(),
                    "Tomcat JDBC's url", "Tomcat JDBC's dbProperties (connectionProperties)", findings);
        }
    }

    /**
     * Whether each of the pool's interceptors is one known to leave the connection alone, judged by the class Tomcat
     * JDBC itself would load for it (a name as written first, then in its interceptor package), which must be
     * Tomcat's own: a look-alike class of the same name elsewhere is not.
     */
    private static boolean tomcatInterceptorsHarmless(Object pool) throws SQLException {
        Object definitions = get(pool, "getJdbcInterceptorsAsArray");
        if (definitions == null) {
            return true;
        }
        if (!(definitions instanceof Object[] each)) {
            return false;
        }
        for (Object definition : each) {
            try {
                Object loaded = definition.getClass().getMethod("getInterceptorClass").invoke(definition);
                if (!(loaded instanceof Class<?> interceptor) || !TOMCAT_HARMLESS_INTERCEPTORS.contains(interceptor.getName())
                        || interceptor.getClassLoader() != pool.getClass().getClassLoader()) {
                    return false;
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return false; // an interceptor that cannot be told is not known to be harmless
            }
        }
        return true;
    }

    /**
     * Commons DBCP2's {@code BasicDataSource}: it connects through {@code driver}, else {@code driverClassName} (loaded
     * by {@code driverClassLoader}), else the driver registered for {@code url}, with its connection properties; on
     * each new connection it runs {@code connectionInitSqls}, and {@code validationQuery} validates it. A
     * {@code connectionFactoryClassName} or an eviction policy of the application's own is code handed the
     * connections, whatever the settings say.
     */
    private static void readDbcp(Object pool, Findings findings) throws SQLException {
        String url = text(pool, "getUrl");
        Object driver = get(pool, "getDriver");
        boolean governedBeneath = governed(url) && (driver == null || driver.getClass().getName().equals(GOVERNED_DRIVER));
        if (!blank(text(pool, "getConnectionFactoryClassName"))) {
            findings.refusals.add("DBCP's connectionFactoryClassName makes the connections with code of its own, "
                    + "whose effect on them cannot be read");
        }
        String eviction = text(pool, "getEvictionPolicyClassName");
        if (!blank(eviction) && !eviction.strip().equals(DEFAULT_EVICTION)) {
            findings.refusals.add("DBCP's evictionPolicyClassName names an eviction policy other than commons-pool's "
                    + "default, which is code handed the pool's connections");
        }
        readStartedDbcp(pool, findings);
        if (governedBeneath) {
            return; // the gate beneath the pool sees what it runs
        }
        Object initSqls = get(pool, "getConnectionInitSqls");
        rawStatements(findings, "DBCP's connectionInitSqls", !(initSqls instanceof Collection<?> statements)
                || !statements.isEmpty(), true, "DBCP's validationQuery", text(pool, "getValidationQuery"));
        if (url == null) {
            return; // it cannot connect
        }
        Properties properties = dbcpConnectionProperties(pool);
        if (driver != null) {
            driver(driver.getClass().getName(), driver.getClass().getClassLoader(), url, properties, "DBCP's url",
                    "DBCP's connectionProperties", findings);
            return;
        }
        String driverClass = text(pool, "getDriverClassName");
        Object driverLoader = get(pool, "getDriverClassLoader");
        if (!blank(driverClass) && driverLoader instanceof ClassLoader loader) {
            driver(driverClass.strip(), loader, url, properties, "DBCP's url", "DBCP's connectionProperties", findings);
        } else {
            driverBased(driverClass, url, properties, "DBCP's url", "DBCP's connectionProperties", findings);
        }
    }

    /**
     * What a started DBCP2 pool runs: it builds its connection factory from its settings when it starts and keeps it,
     * so a setting changed since (connectionInitSqls emptied, the URL or properties changed) leaves the started pool
     * running the former one. Its factory is read as well as its settings; a factory of another kind is refused.
     */
    private static void readStartedDbcp(Object pool, Findings findings) throws SQLException {
        Object started = get(pool, "getConnectionPool");
        if (started == null) {
            return;
        }
        Object factory = get(started, "getFactory");
        if (factory == null || !factory.getClass().getName().equals("org.apache.commons.dbcp2.PoolableConnectionFactory")) {
            findings.refusals.add("DBCP's started pool makes its connections with a factory whose settings cannot be read");
            return;
        }
        Object connections = get(factory, "getConnectionFactory");
        String url = connections != null && connections.getClass().getName().equals("org.apache.commons.dbcp2.DriverConnectionFactory")
                ? text(connections, "getConnectionString") : null;
        Object driver = url == null ? null : get(connections, "getDriver");
        if (governed(url) && driver != null && driver.getClass().getName().equals(GOVERNED_DRIVER)) {
            return; // the gate beneath the pool sees what it runs
        }
        Object initSqls = get(factory, "getConnectionInitSqls");
        rawStatements(findings, "DBCP's connectionInitSqls, in force since its pool started,", initSqls != null
                && (!(initSqls instanceof Collection<?> statements) || !statements.isEmpty()), true,
                "DBCP's validationQuery, in force since its pool started,", text(factory, "getValidationQuery"));
        if (driver == null) {
            findings.refusals.add("DBCP's started pool makes its connections with a connection factory whose settings "
                    + "cannot be read");
            return;
        }
        Object properties = get(connections, "getProperties");
        driver(driver.getClass().getName(), driver.getClass().getClassLoader(), url,
                properties instanceof Properties p ? p : new Properties(), "DBCP's url (in force since its pool started)",
                "DBCP's connectionProperties (in force since its pool started)", findings);
    }

    /**
     * DBCP2's connection properties, which it hands the driver along with the URL but shows through no getter (only
     * {@code addConnectionProperty}, {@code removeConnectionProperty} and {@code setConnectionProperties} write them).
     * They are read from its private field {@code connectionProperties}: reading them is the only way to check what
     * the driver is handed, and refusing every DBCP pool would leave Spring Boot's DBCP users only the unchecked
     * {@code unlisted-data-source=allow}. The read fails closed: a DBCP version without that field, a field of
     * another type, or a module that does not open it to reflection refuses the borrowing (08001) rather than pass
     * settings unread.
     */
    private static Properties dbcpConnectionProperties(Object pool) throws SQLException {
        try {
            Field field = pool.getClass().getDeclaredField("connectionProperties");
            if (field.getType() != Properties.class) {
                throw new NoSuchFieldException("connectionProperties is no longer a Properties");
            }
            field.setAccessible(true);
            Object value = field.get(pool);
            Properties copy = new Properties();
            if (value instanceof Properties properties) {
                synchronized (properties) {
                    copy.putAll(properties);
                }
            }
            return copy;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new SQLException("Connection refused: the connection properties of the wrapped " + DBCP
                    + " could not be read (" + e.getClass().getSimpleName() + "), so what its driver is handed cannot "
                    + "be checked. Open org.apache.commons.dbcp2 to Governed JDBC, or put Governed JDBC beneath the "
                    + "pool (a jdbc:governed: URL as its url).", DelegateSettings.REFUSED, e);
        }
    }

    /** The check of a URL and properties handed to {@code driverClass}, or else to the driver registered for the URL. */
    private static void driverBased(String driverClass, String url, Properties properties, String urlPlace,
            String propertiesPlace, Findings findings) {
        Driver registered = driverFor(url);
        String named = blank(driverClass) ? (registered == null ? null : registered.getClass().getName()) : driverClass.strip();
        ClassLoader loader = registered != null && registered.getClass().getName().equals(named)
                ? registered.getClass().getClassLoader() : Thread.currentThread().getContextClassLoader();
        driver(named, loader, url, properties, urlPlace, propertiesPlace, findings);
    }

    /**
     * Refuses what a pool runs on its raw connections, where the gate never sees it: set-up statements on each new
     * connection (when {@code setUpRuns}; {@code setUpSetting} names them, {@code several} when it is a list), and a
     * test statement ({@code testSetting}, {@code test}) other than a ping.
     */
    private static void rawStatements(Findings findings, String setUpSetting, boolean setUpRuns, boolean several,
            String testSetting, String test) {
        if (setUpRuns) {
            findings.refusals.add(setUpSetting + (several ? " runs statements" : " runs a statement")
                    + " on each new connection that the gate never sees");
        }
        if (!ping(test)) {
            findings.refusals.add(testSetting + " runs a statement other than a ping (SELECT 1) on connections the "
                    + "gate never sees");
        }
    }

    /** Whether a pool's test statement is absent or a ping, which reads nothing and changes nothing. */
    private static boolean ping(String test) {
        if (blank(test)) {
            return true;
        }
        String words = SqlText.words(test, 64);
        return words != null && PINGS.contains(words);
    }

    private static boolean governed(String url) {
        return url != null && url.regionMatches(true, 0, "jdbc:governed:", 0, 14);
    }

    /**
     * The settings of a pgjdbc data source that differ from pgjdbc's defaults: its {@code setUrl} fills in every
     * setting the URL leaves out with its default, so its URL names them all; one at its default is as if unset.
     */
    private static Properties pgjdbcSettings(Object dataSource) throws SQLException {
        Properties settings = new Properties();
        try {
            Class<?> property = Class.forName("org.postgresql.PGProperty", false, dataSource.getClass().getClassLoader());
            Method value = dataSource.getClass().getMethod("getProperty", property);
            Method name = property.getMethod("getName");
            Method defaultValue = property.getMethod("getDefaultValue");
            for (Object each : property.getEnumConstants()) {
                Object set = value.invoke(dataSource, each);
                if (set != null && !set.equals(defaultValue.invoke(each))) {
                    settings.setProperty((String) name.invoke(each), set.toString());
                }
            }
            return settings;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new SQLException("Connection refused: the settings of the wrapped " + dataSource.getClass().getName()
                    + " could not be read (" + e.getClass().getSimpleName() + "), so what it sets when it connects "
                    + "cannot be checked", DelegateSettings.REFUSED, e);
        }
    }

    /**
     * The data source HikariCP would make of {@code className} and its {@code dataSourceProperties} (set as bean
     * properties, as HikariCP sets them), for the kinds this class reads; {@code null} after noting any other kind.
     */
    private static Object configured(String className, Properties settings, Findings findings) {
        boolean known = className.startsWith("org.postgresql.ds.") || className.equals("org.postgresql.xa.PGXADataSource")
                || MARIADB.contains(className) || className.equals(H2);
        if (!known) {
            findings.unlisted.add(className + " (HikariCP's dataSourceClassName)");
            return null;
        }
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> type = Class.forName(className, false, loader != null ? loader : DataSourceSettings.class.getClassLoader());
            Object dataSource = type.getConstructor().newInstance();
            for (String key : settings.stringPropertyNames()) {
                setProperty(dataSource, key, settings.getProperty(key), findings);
            }
            return dataSource;
        } catch (ReflectiveOperationException | LinkageError e) {
            findings.unlisted.add(className + " (HikariCP's dataSourceClassName, which could not be loaded here)");
            return null;
        }
    }

    private static void setProperty(Object dataSource, String key, String value, Findings findings) {
        String setter = "set" + (key.isEmpty() ? "" : Character.toUpperCase(key.charAt(0)) + key.substring(1));
        for (Method method : dataSource.getClass().getMethods()) {
            if (method.getName().equals(setter) && method.getParameterCount() == 1) {
                Class<?> parameter = method.getParameterTypes()[0];
                try {
                    if (parameter == String.class) {
                        method.invoke(dataSource, value);
                    } else if (parameter == int.class || parameter == Integer.class) {
                        method.invoke(dataSource, Integer.parseInt(value.strip()));
                    } else if (parameter == boolean.class || parameter == Boolean.class) {
                        method.invoke(dataSource, Boolean.parseBoolean(value.strip()));
                    } else if (parameter == String[].class) {
                        method.invoke(dataSource, (Object) value.split(","));
                    } else {
                        continue;
                    }
                    return;
                } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                    break;
                }
            }
        }
        // a setting the data source does not take as given: its effect cannot be told
        findings.refusals.add("the dataSourceProperties setting '" + DelegateSettings.printable(key) + "' could not be read as a "
                + dataSource.getClass().getSimpleName() + " setting");
    }

    private static void driver(String driverClass, ClassLoader driverLoader, String url, Properties properties, String urlPlace,
            String propertiesPlace, Findings findings) {
        if (url != null && url.regionMatches(true, 0, "jdbc:governed:", 0, 14)) {
            return; // connects through the governed driver, which checks its own URL
        }
        if (driverClass == null) {
            findings.unlisted.add("the driver of " + urlPlace + " (none is registered for it here)");
            return;
        }
        List<String> refusals = DelegateSettings.refusals(driverClass, driverLoader, url, properties, "in " + urlPlace,
                "in " + propertiesPlace);
        if (refusals == null) {
            findings.unlisted.add(driverClass + " (the driver of " + urlPlace + ")");
        } else {
            findings.refusals.addAll(refusals);
        }
    }

    private static Driver driverFor(String url) {
        if (url == null) {
            return null;
        }
        try {
            return DriverManager.getDriver(url);
        } catch (SQLException e) {
            return null;
        }
    }

    private static Object get(Object target, String getter) throws SQLException {
        try {
            Method method = target.getClass().getMethod(getter);
            return method.invoke(target);
        } catch (InvocationTargetException e) {
            throw new SQLException("Connection refused: the settings of the wrapped " + target.getClass().getName()
                    + " could not be read (" + getter + " failed), so what it runs when it connects cannot be checked",
                    DelegateSettings.REFUSED, e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new SQLException("Connection refused: the settings of the wrapped " + target.getClass().getName()
                    + " could not be read (no public " + getter + "), so what it runs when it connects cannot be "
                    + "checked", DelegateSettings.REFUSED, e);
        }
    }

    private static String text(Object target, String getter) throws SQLException {
        Object value = get(target, getter);
        return value == null ? null : value.toString();
    }

    private static boolean is(Class<?> type, String className) {
        return isAny(type, Set.of(className));
    }

    private static boolean isAny(Class<?> type, Set<String> classNames) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (classNames.contains(c.getName())) {
                return true;
            }
        }
        return false;
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
