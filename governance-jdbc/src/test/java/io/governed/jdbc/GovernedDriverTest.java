package io.governed.jdbc;

import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The driver as a user meets it: URLs, settings, delegation and the errors a mistake gets. */
class GovernedDriverTest {
    /** A driver for {@code jdbc:capture:} URLs that keeps the properties it was given. */
    static final class CapturingDriver implements Driver {
        final AtomicReference<Properties> seen = new AtomicReference<>();

        @Override
        public Connection connect(String url, Properties info) {
            if (!acceptsURL(url)) {
                return null;
            }
            seen.set(info);
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                    (p, m, a) -> m.getReturnType() == boolean.class ? false : null);
        }

        @Override
        public boolean acceptsURL(String url) {
            return url.startsWith("jdbc:capture:");
        }

        @Override
        public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
            return new DriverPropertyInfo[]{new DriverPropertyInfo("captureMode", "fast")};
        }

        @Override
        public int getMajorVersion() {
            return 1;
        }

        @Override
        public int getMinorVersion() {
            return 0;
        }

        @Override
        public boolean jdbcCompliant() {
            return false;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }
    }

    private static final CapturingDriver CAPTURE = new CapturingDriver();

    @BeforeAll
    static void register() throws SQLException {
        DriverManager.registerDriver(CAPTURE);
    }

    @AfterAll
    static void deregister() throws SQLException {
        DriverManager.deregisterDriver(CAPTURE);
    }

    private static Properties identity() {
        Properties p = new Properties();
        p.setProperty("governed.principal", "alice");
        return p;
    }

    @Test
    void theGovernedUrlIsFoundThroughDriverManagerAndGivesAGovernedConnection() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:governed:h2:mem:driver-test", identity())) {
            assertThat(c).isInstanceOf(GovernedConnection.class);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 40 + 2")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
            assertThat(c.getMetaData().getURL()).isEqualTo("jdbc:h2:mem:driver-test");
        }
    }

    @Test
    void acceptsOnlyGovernedUrlsAndLeavesOthersToTheirDrivers() throws SQLException {
        GovernedDriver driver = new GovernedDriver();
        assertThat(driver.acceptsURL("jdbc:governed:postgresql://db/app")).isTrue();
        assertThat(driver.acceptsURL("JDBC:GOVERNED:h2:mem:x")).isTrue();
        assertThat(driver.acceptsURL("jdbc:postgresql://db/app")).isFalse();
        assertThat(driver.acceptsURL(null)).isFalse();
        assertThat(driver.connect("jdbc:h2:mem:x", new Properties())).as("JDBC: null for another driver's URL").isNull();
    }

    @Test
    void governanceSettingsNeverReachTheDelegateAndOtherPropertiesDo() throws SQLException {
        Properties p = identity();
        p.setProperty("governed.groups", "analysts");
        p.setProperty("governed.attribute.tenant", "acme");
        p.setProperty("user", "app");
        p.setProperty("password", "s3cret");
        p.setProperty("sslmode", "require");
        p.setProperty("governed.connect.unlisted-driver", "allow");
        DriverManager.getConnection("jdbc:governed:capture:db", p).close();
        Properties seen = CAPTURE.seen.get();
        assertThat(seen.stringPropertyNames()).containsExactlyInAnyOrder("user", "password", "sslmode");
        assertThat(seen.getProperty("password")).isEqualTo("s3cret");
        assertThat(p.getProperty("governed.principal")).as("the caller's properties are not modified").isEqualTo("alice");
    }

    @Test
    void aDriverWithoutAListOfHarmlessSettingsIsRefusedUnlessAllowed() throws SQLException {
        Properties p = identity();
        p.setProperty("initStatement", "DROP TABLE users");
        CAPTURE.seen.set(null);
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:governed:capture:db", p))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(CapturingDriver.class.getName())
                .hasMessageContaining("governed.connect.unlisted-driver=allow")
                .hasMessageNotContaining("DROP TABLE")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
        assertThat(CAPTURE.seen.get()).as("the driver was not asked to connect").isNull();

        p.setProperty("governed.connect.unlisted-driver", "allow");
        DriverManager.getConnection("jdbc:governed:capture:db", p).close();
        assertThat(CAPTURE.seen.get().getProperty("initStatement")).isEqualTo("DROP TABLE users");
    }

    @Test
    void propertyInfoMergesTheDelegatesAndTheGovernanceSettings() throws SQLException {
        DriverPropertyInfo[] info = new GovernedDriver().getPropertyInfo("jdbc:governed:capture:db", new Properties());
        assertThat(Arrays.stream(info).map(i -> i.name))
                .contains("captureMode", "governed.policy", "governed.principal", "governed.groups", "governed.kind",
                        "governed.on-behalf-of", "governed.purpose", "governed.audit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:governed:", "jdbc:governed:   ", "jdbc:governed:h2", "jdbc:governed:governed:h2:mem:x",
            "jdbc:governed:jdbc:h2:mem:x"})
    void aMalformedUrlSaysWhatToWrite(String url) {
        assertThatThrownBy(() -> DriverManager.getConnection(url, identity()))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Malformed governed URL")
                .hasMessageContaining("jdbc:governed:postgresql://localhost:5432/app")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
    }

    @Test
    void noDelegateDriverNamesTheUrlWithoutItsPasswordAndTheDriversTried() {
        String url = "jdbc:governed:nosuchdb://admin:hunter2@db:5432/app?password=hunter2&ssl=true";
        assertThatThrownBy(() -> DriverManager.getConnection(url, identity()))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("No JDBC driver accepts 'jdbc:nosuchdb://admin:***@db:5432/app?password=***&ssl=***'")
                .hasMessageContaining("org.h2.Driver")
                .hasMessageContaining("Put the database's JDBC driver on the classpath")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void noParameterValueOfTheUrlIsShownWhateverItsName() {
        String url = "jdbc:governed:nosuchdb://db/app;apiKey=sk-live-4242;service=billing-prod?sslkey=/keys/prod.pk8";
        assertThatThrownBy(() -> DriverManager.getConnection(url, identity()))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("'jdbc:nosuchdb://db/app;apiKey=***;service=***'")
                .hasMessageNotContaining("4242").hasMessageNotContaining("billing-prod").hasMessageNotContaining("prod.pk8");
    }

    @Test
    void anUnknownSettingIsRejectedWithTheClosestKnownOne() {
        Properties p = identity();
        p.setProperty("governed.principle", "bob");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:governed:h2:mem:x", p))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Unknown setting 'governed.principle'")
                .hasMessageContaining("Did you mean 'governed.principal'?")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
    }

    @Test
    void anInvalidKindNamesTheAcceptedValues() {
        Properties p = identity();
        p.setProperty("governed.kind", "robot");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:governed:h2:mem:x", p))
                .hasMessageContaining("governed.kind has the value 'robot': use human, service or agent");
    }

    @Test
    void identitySettingsWithoutAPrincipalAreRejected() {
        Properties p = new Properties();
        p.setProperty("governed.groups", "dba");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:governed:h2:mem:x", p))
                .hasMessageContaining("'governed.groups' is given but governed.principal is not");
    }

    @Test
    void aStatementWithoutAnyIdentityIsRefusedBeforeTheDatabaseSeesIt() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:governed:h2:mem:anonymous", new Properties())) {
            assertThatThrownBy(() -> c.createStatement().execute("CREATE TABLE t(x INT)"))
                    .isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("No identity for this statement")
                    .hasMessageContaining("governed.principal")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("28000");
            assertThat(c.getMetaData().getTables(null, null, "T", null).next()).as("the table was not created").isFalse();
        }
    }
}
