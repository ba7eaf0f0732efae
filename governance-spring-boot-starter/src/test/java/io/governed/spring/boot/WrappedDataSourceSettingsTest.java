package io.governed.spring.boot;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the data source a Spring application wraps may run when it connects: Spring Boot's HikariCP pool with
 * {@code spring.datasource.hikari.connection-init-sql}, its Tomcat JDBC and DBCP2 pools with their init statements, and Spring's own driver-based data sources (behind its
 * transaction-aware proxy too) with H2's {@code INIT} in their URL. Each borrowing is refused (08001) naming the
 * setting, and the row the set-up would delete stays (read through a raw connection); harmless ones connect.
 */
class WrappedDataSourceSettingsTest {
    private final String url = "jdbc:h2:mem:wrapped-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final Governance governance = Governance.builder().withoutAudit()
            .defaultIdentity(Identity.builder("app").kind(IdentityKind.SERVICE).build()).build();
    private Connection raw;

    @BeforeEach
    void victim() throws SQLException {
        raw = DriverManager.getConnection(url, "sa", "");
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE victim (id INT PRIMARY KEY)");
            s.execute("INSERT INTO victim VALUES (1)");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("DROP ALL OBJECTS");
        }
        raw.close();
    }

    @Test
    void aBootPoolWhoseInitSqlDeletesRefusesItsBorrowingsAndTheRowStays() throws SQLException {
        assertBootPoolRefused("com.zaxxer.hikari.HikariDataSource",
                "spring.datasource.hikari.connection-init-sql=DELETE FROM victim", "connectionInitSql");
        assertThat(victimRows()).isEqualTo(1);
    }

    @Test
    void bootsTomcatAndDbcpPoolsWhoseInitStatementsDeleteRefuseTheirBorrowingsAndTheRowStays() throws SQLException {
        assertBootPoolRefused("org.apache.tomcat.jdbc.pool.DataSource", "spring.datasource.tomcat.init-sql=DELETE FROM victim",
                "initSQL");
        assertBootPoolRefused("org.apache.commons.dbcp2.BasicDataSource",
                "spring.datasource.dbcp2.connection-init-sqls=DELETE FROM victim", "connectionInitSqls");
        assertThat(victimRows()).isEqualTo(1);
    }

    @Test
    void bootsTomcatAndDbcpPoolsWithAPingServeGovernedConnections() {
        for (String[] pool : new String[][] {
                {"org.apache.tomcat.jdbc.pool.DataSource", "spring.datasource.tomcat.validation-query=SELECT 1"},
                {"org.apache.commons.dbcp2.BasicDataSource", "spring.datasource.dbcp2.validation-query=SELECT 1"}}) {
            boot(pool[0], pool[1]).run(context -> {
                try (Connection c = context.getBean(DataSource.class).getConnection()) {
                    assertThat(c).isInstanceOf(GovernedConnection.class);
                }
            });
        }
    }

    /** Spring Boot's data source of {@code type} on the test's database with {@code setUp}, wrapped by the starter. */
    private ApplicationContextRunner boot(String type, String setUp) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, GovernanceAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + url, "spring.datasource.username=sa",
                        "spring.datasource.type=" + type, setUp,
                        "governed.principal=app", "governed.kind=service", "governed.audit.sinks=memory:wrapped-settings");
    }

    private void assertBootPoolRefused(String type, String setUp, String setting) {
        boot(type, setUp).run(context -> {
            DataSource dataSource = context.getBean(DataSource.class);
            assertThat(dataSource).isInstanceOf(GovernedDataSource.class);
            assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"))
                    .hasMessageContaining(setting)
                    .hasMessageNotContaining("DELETE");
        });
    }

    @Test
    void aBootPoolWithoutSetUpServesGovernedConnections() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, GovernanceAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + url, "spring.datasource.username=sa",
                        "spring.datasource.hikari.connection-test-query=SELECT 1",
                        "governed.principal=app", "governed.kind=service", "governed.audit.sinks=memory:wrapped-settings")
                .run(context -> {
                    try (Connection c = context.getBean(DataSource.class).getConnection()) {
                        assertThat(c).isInstanceOf(GovernedConnection.class);
                    }
                });
    }

    @Test
    void aDataSourceBeanWhoseSettingsCannotBeReadIsRefusedUnlessThePropertyAllowsIt() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GovernanceAutoConfiguration.class))
                .withBean(DataSource.class, () -> new Opaque(new DriverManagerDataSource(url, "sa", "")))
                .withPropertyValues("governed.principal=app", "governed.kind=service",
                        "governed.audit.sinks=memory:wrapped-settings");
        runner.run(context -> assertThatThrownBy(context.getBean(DataSource.class)::getConnection)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(Opaque.class.getName())
                .hasMessageContaining("governed.connect.unlisted-data-source=allow"));
        runner.withPropertyValues("governed.connect.unlisted-data-source=allow").run(context -> {
            try (Connection c = context.getBean(DataSource.class).getConnection()) {
                assertThat(c).isInstanceOf(GovernedConnection.class);
            }
        });
    }

    /** A data source of a kind whose settings cannot be read: it connects through another. */
    static final class Opaque extends org.springframework.jdbc.datasource.AbstractDataSource {
        private final DataSource inner;

        Opaque(DataSource inner) {
            this.inner = inner;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return inner.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return inner.getConnection(username, password);
        }
    }

    @Test
    void springsDriverBasedDataSourcesAreReadThroughTheirProxies() throws SQLException {
        DriverManagerDataSource managed = new DriverManagerDataSource(url + ";INIT=DELETE FROM victim", "sa", "");
        assertRefused(new GovernedDataSource(managed, governance));
        assertRefused(new GovernedDataSource(new TransactionAwareDataSourceProxy(managed), governance));
        SimpleDriverDataSource simple = new SimpleDriverDataSource(new org.h2.Driver(), url, "sa", "");
        java.util.Properties init = new java.util.Properties();
        init.setProperty("INIT", "DELETE FROM victim");
        simple.setConnectionProperties(init);
        assertRefused(new GovernedDataSource(simple, governance));
        assertThat(victimRows()).isEqualTo(1);

        DataSource benign = new TransactionAwareDataSourceProxy(new DriverManagerDataSource(url, "sa", ""));
        try (Connection c = new GovernedDataSource(benign, governance).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM victim")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    /** A data source routing by a key of the application's (a tenant, say), as multi-tenant applications do. */
    static final class ByTenant extends org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource {
        static String tenant = "plain";

        ByTenant(DataSource plain, DataSource other, DataSource fallback) {
            setTargetDataSources(java.util.Map.of("plain", plain, "other", other));
            setDefaultTargetDataSource(fallback);
            afterPropertiesSet();
        }

        @Override
        protected Object determineCurrentLookupKey() {
            return tenant;
        }
    }

    /** One that picks its target itself, past the targets it was given. */
    static final class PicksItsOwn extends org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource {
        private final DataSource own;

        PicksItsOwn(DataSource given, DataSource own) {
            this.own = own;
            setTargetDataSources(java.util.Map.of("given", given));
            afterPropertiesSet();
        }

        @Override
        protected Object determineCurrentLookupKey() {
            return "given";
        }

        @Override
        protected DataSource determineTargetDataSource() {
            return own;
        }
    }

    @Test
    void springsRoutingDataSourceIsReadThroughEveryTarget() throws SQLException {
        DataSource plain = new DriverManagerDataSource(url, "sa", "");
        DataSource deleting = new DriverManagerDataSource(url + ";INIT=DELETE FROM victim", "sa", "");
        ByTenant.tenant = "plain";
        assertRefused(new GovernedDataSource(new ByTenant(plain, deleting, plain), governance));
        assertRefused(new GovernedDataSource(new ByTenant(plain, plain, deleting), governance));
        assertThat(victimRows()).as("no target ran its set-up").isEqualTo(1);

        GovernedDataSource routed = new GovernedDataSource(new ByTenant(plain, plain, plain), governance);
        for (String tenant : new String[] {"plain", "other", "unknown"}) {
            ByTenant.tenant = tenant;
            try (Connection c = routed.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM victim")) {
                assertThat(c).isInstanceOf(GovernedConnection.class);
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }

        assertThatThrownBy(() -> new GovernedDataSource(new PicksItsOwn(plain, deleting), governance).getConnection())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"))
                .hasMessageContaining("determineTargetDataSource");
        assertThat(victimRows()).isEqualTo(1);
    }

    @Test
    void springsEmbeddedDatabaseIsReadThroughTheDataSourceItConnectsWith() throws SQLException {
        org.springframework.jdbc.datasource.embedded.EmbeddedDatabase embedded =
                new org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder()
                        .setType(org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType.H2)
                        .generateUniqueName(true).build();
        try (Connection c = new GovernedDataSource(embedded, governance).getConnection()) {
            assertThat(c).isInstanceOf(GovernedConnection.class);
        } finally {
            embedded.shutdown();
        }
    }

    private static void assertRefused(GovernedDataSource governed) {
        assertThatThrownBy(governed::getConnection).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"))
                .hasMessageContaining("'INIT'")
                .hasMessageNotContaining("DELETE");
    }

    private int victimRows() throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM victim")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
