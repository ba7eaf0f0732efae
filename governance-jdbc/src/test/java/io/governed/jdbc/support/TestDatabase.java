package io.governed.jdbc.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The databases the integration tests run against, each reachable through its own driver
 * ({@code jdbc:...}) and through the governed driver ({@code jdbc:governed:...}) with the same
 * delegate URL and credentials.
 */
public enum TestDatabase {
    /** Embedded H2, always available; one in-memory database per test run. */
    H2("H2 (embedded)", "h2:mem:governed_it;DB_CLOSE_DELAY=-1", "sa", "",
            "nothing to start, H2 runs in the test JVM"),
    /** PostgreSQL on the local machine, trust authentication. */
    POSTGRESQL("PostgreSQL at 127.0.0.1:5432", "postgresql://127.0.0.1:5432/" + Fork.DATABASE + "?connectTimeout=5", "postgres", "",
            "start it with: sudo service postgresql start (database 'test', user 'postgres', trust auth)"),
    /** MariaDB on the local machine; multi-statement execution is switched on for the multi-result tests. */
    MARIADB("MariaDB at 127.0.0.1:3306", "mariadb://127.0.0.1:3306/" + Fork.DATABASE + "?allowMultiQueries=true&connectTimeout=5000",
            "root", "", "start it with: sudo service mariadb start (database 'test', user 'root', empty password)");

    /**
     * The database this JVM's tests use on each server: {@code test} in the first (or only) test JVM,
     * {@code test_fork}N in fork N of the integration tests (failsafe passes {@code it.fork}).
     */
    public static final String DATABASE = Fork.DATABASE;

    /** The raw PostgreSQL URL of this fork's database, without parameters. */
    public static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/" + DATABASE;

    /** The raw MariaDB URL of this fork's database, without parameters. */
    public static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/" + DATABASE;

    /**
     * {@code name} for this fork: unchanged in the first JVM, {@code name_fork}N in fork N, for the tests that use
     * databases of their own beside {@link #DATABASE}.
     */
    public static String forkName(String name) {
        return Fork.suffixed(name);
    }

    /** The principal that connections opened through the governed URL carry. */
    public static final String GOVERNED_PRINCIPAL = "it-runner";

    private final String description;
    private final String urlAfterJdbc;
    private final String user;
    private final String password;
    private final String startHint;

    TestDatabase(String description, String urlAfterJdbc, String user, String password, String startHint) {
        this.description = description;
        this.urlAfterJdbc = urlAfterJdbc;
        this.user = user;
        this.password = password;
        this.startHint = startHint;
    }

    /** The delegate driver's own URL. */
    public String rawUrl() {
        return "jdbc:" + urlAfterJdbc;
    }

    /** The same database through the governed driver. */
    public String governedUrl() {
        return "jdbc:governed:" + urlAfterJdbc;
    }

    /** {@link #rawUrl()} of the database {@code database} on the same server, with the same parameters. */
    public String rawUrl(String database) {
        return "jdbc:" + otherDatabase(database);
    }

    /** {@link #governedUrl()} of the database {@code database} on the same server, with the same parameters. */
    public String governedUrl(String database) {
        return "jdbc:governed:" + otherDatabase(database);
    }

    private String otherDatabase(String database) {
        String own = "/" + DATABASE + "?";
        if (this == H2 || !urlAfterJdbc.contains(own)) {
            throw new UnsupportedOperationException(description + " has no other databases to connect to");
        }
        return urlAfterJdbc.replace(own, "/" + database + "?");
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** A connection through the delegate driver. */
    public Connection connectRaw() throws SQLException {
        ForkLockExtension.ensureForkDatabases();
        return DriverManager.getConnection(rawUrl(), credentials());
    }

    /**
     * A connection through {@code jdbc:governed:} whose identity is {@link #GOVERNED_PRINCIPAL}, under
     * a policy that permits everything, so that it differs from the raw driver in nothing but the wrapper.
     */
    public Connection connectGoverned() throws SQLException {
        return connectGoverned(new Properties());
    }

    /** {@link #connectGoverned()} with further {@code governed.*} settings ({@code governed.unwrap}, {@code governed.audit}, …). */
    public Connection connectGoverned(Properties settings) throws SQLException {
        Properties properties = credentials();
        properties.setProperty("governed.policy", PERMIT_ALL_POLICY);
        properties.setProperty("governed.principal", GOVERNED_PRINCIPAL);
        properties.setProperty("governed.kind", "service");
        properties.putAll(settings);
        ForkLockExtension.ensureForkDatabases();
        return DriverManager.getConnection(governedUrl(), properties);
    }

    /**
     * {@link #connectGoverned(Properties)} under the policy file {@code policy}, as a member of {@code groups}, with the
     * attribute {@code tenant} when it is not {@code null}.
     */
    public Connection connectGoverned(java.nio.file.Path policy, String tenant, String... groups) throws SQLException {
        Properties settings = new Properties();
        settings.setProperty("governed.policy", policy.toString());
        if (tenant != null) {
            settings.setProperty("governed.attribute.tenant", tenant);
        }
        if (groups.length > 0) {
            settings.setProperty("governed.groups", String.join(",", groups));
        }
        return connectGoverned(settings);
    }

    /** The test policy that permits every statement, unparseable ones included. */
    public static final String PERMIT_ALL_POLICY = "classpath:policies/permit-all.yaml";

    private Properties credentials() {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return properties;
    }

    /**
     * Skips the calling test when this database cannot be reached, or fails it when the environment
     * variable {@code CI} is {@code true}: on a build server a missing database is a broken build,
     * not a reason to test less. Test classes use {@link RequiresDatabase} instead.
     */
    public void requireReachable() {
        Optional<String> problem = unreachableReason();
        if (problem.isPresent() && failWhenUnreachable()) {
            fail(problem.get() + ". CI=true, so an unreachable database fails the build instead of skipping.");
        }
        assumeTrue(problem.isEmpty(), problem::get);
    }

    /** Why this database cannot be reached and how to start it, or empty when it can be. */
    public Optional<String> unreachableReason() {
        try (Connection ignored = connectRaw()) {
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of(description + " is not reachable (" + e.getMessage() + "): " + startHint);
        }
    }

    /** True when the environment variable {@code CI} is {@code true}. */
    static boolean failWhenUnreachable() {
        return "true".equals(System.getenv("CI"));
    }
}
