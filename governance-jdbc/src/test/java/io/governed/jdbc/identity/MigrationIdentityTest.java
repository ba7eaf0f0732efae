package io.governed.jdbc.identity;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.wrapper.GovernedConnection;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code governed.migration.principal}: the schema owner's statements run with purpose {@code migration},
 * which the baseline's schema-change forbids exempt; every other identity keeps the baseline as it is.
 */
class MigrationIdentityTest {
    private final String db = "jdbc:h2:mem:migration-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final String sink = "migration-" + UUID.randomUUID();
    private Connection raw;

    @BeforeEach
    void schema() throws SQLException {
        raw = DriverManager.getConnection(db);
        try (Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40))");
            st.execute("CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT, total INT)");
            st.execute("CREATE TABLE legacy (id INT)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        try (Statement st = raw.createStatement()) {
            st.execute("DROP ALL OBJECTS");
        }
        raw.close();
    }

    private Connection connect(String principal, String... more) throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.principal", principal);
        p.setProperty("governed.kind", "service");
        p.setProperty("governed.migration.principal", "schema-owner");
        p.setProperty("governed.audit", "memory:" + sink);
        for (int i = 0; i < more.length; i += 2) {
            p.setProperty(more[i], more[i + 1]);
        }
        return DriverManager.getConnection("jdbc:governed:" + db.substring("jdbc:".length()), p);
    }

    private List<AuditEvent> events(Connection c) throws SQLException {
        c.unwrap(GovernedConnection.class).governance().flushAudit();
        return MemorySink.named(sink).events();
    }

    private boolean tableExists(String name) throws SQLException {
        try (ResultSet rs = raw.getMetaData().getTables(null, "PUBLIC", name, null)) {
            return rs.next();
        }
    }

    private boolean columnType(String table, String column, String type) throws SQLException {
        try (ResultSet rs = raw.getMetaData().getColumns(null, "PUBLIC", table, column)) {
            return rs.next() && rs.getString("TYPE_NAME").equalsIgnoreCase(type);
        }
    }

    @Test
    void theMigrationPrincipalRunsAMigrationAndEachStatementIsAuditedAsOne() throws SQLException {
        try (Connection c = connect("schema-owner")) {
            try (Statement st = c.createStatement()) {
            st.execute("CALL SCHEMA()");
            st.execute("DROP TABLE legacy IF EXISTS");
            st.execute("ALTER TABLE orders ADD CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customers(id)");
            st.execute("ALTER TABLE orders ALTER COLUMN total BIGINT");
            st.execute("ALTER TABLE customers RENAME COLUMN name TO full_name");
            }
            List<AuditEvent> events = events(c);
            assertThat(events).hasSize(5).allSatisfy(e -> {
                assertThat(e.principal()).isEqualTo("schema-owner");
                assertThat(e.purpose()).isEqualTo("migration");
                assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW);
            });
        }
        assertThat(tableExists("LEGACY")).isFalse();
        assertThat(columnType("ORDERS", "TOTAL", "BIGINT")).isTrue();
        assertThat(columnType("CUSTOMERS", "FULL_NAME", "CHARACTER VARYING")).isTrue();
    }

    @Test
    void everyOtherIdentityMayOnlyAddAndIsRefusedTheRest() throws SQLException {
        try (Connection c = connect("order-service"); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE orders ADD COLUMN note VARCHAR(100)");
            st.execute("ALTER TABLE orders ADD CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customers(id)");
            assertThatThrownBy(() -> st.execute("DROP TABLE legacy IF EXISTS"))
                    .isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("baseline-no-destructive-ddl")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            assertThatThrownBy(() -> st.execute("ALTER TABLE orders ALTER COLUMN total BIGINT"))
                    .isInstanceOf(GovernanceException.class);
            assertThatThrownBy(() -> st.execute("ALTER TABLE customers DROP COLUMN name"))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("baseline-no-destructive-alter");
            assertThat(events(c)).filteredOn(e -> e.decision() == AuditDecision.DENY).hasSize(3)
                    .allSatisfy(e -> assertThat(e.purpose()).isNull());
        }
        assertThat(tableExists("LEGACY")).isTrue();
        assertThat(columnType("ORDERS", "TOTAL", "INTEGER")).isTrue();
        assertThat(columnType("ORDERS", "NOTE", "CHARACTER VARYING")).isTrue();
    }

    @Test
    void anAgentStatingTheMigrationPurposeIsNotExempt() throws SQLException {
        try (Connection c = connect("helper-bot", "governed.kind", "agent", "governed.on-behalf-of", "alice",
                "governed.purpose", "migration"); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute("DROP TABLE legacy")).isInstanceOf(GovernanceException.class);
        }
        assertThat(tableExists("LEGACY")).isTrue();
    }

    @Test
    void theMigrationPrincipalWithAnotherStatedPurposeIsNotExempt() throws SQLException {
        try (Connection c = connect("schema-owner", "governed.purpose", "reporting"); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute("DROP TABLE legacy")).isInstanceOf(GovernanceException.class);
        }
        assertThat(tableExists("LEGACY")).isTrue();
    }

    @Test
    void aScopedIdentityOfTheMigrationPrincipalIsAMigrationToo() throws Exception {
        try (Connection c = connect("order-service"); Statement st = c.createStatement()) {
            IdentityContext.runAs(Identity.builder("schema-owner").build(),
                    () -> st.execute("DROP TABLE legacy"));
            assertThatThrownBy(() -> st.execute("DROP TABLE orders")).isInstanceOf(GovernanceException.class);
        }
        assertThat(tableExists("LEGACY")).isFalse();
        assertThat(tableExists("ORDERS")).isTrue();
    }

    @Test
    void anIdentityOfTheMigrationPrincipalsNameFromAResolverIsRefusedNotMadeAMigration() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(db);
        Governance governance = Governance.builder()
                .policy(PolicyLoader.baseline()).withoutAudit().migrationPrincipal("schema-owner")
                .identityResolver(() -> Identity.builder("schema-owner").build()) // a user chose it
                .build();
        try (Connection c = new GovernedDataSource(h2, governance).getConnection();
             Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute("DROP TABLE legacy")).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("28000");
                assertThat(e.getMessage()).contains("governed.migration.principal", "IdentityContext.runAs");
            });
            IdentityContext.runAs(Identity.builder("schema-owner").build(),
                    () -> st.execute("DROP TABLE legacy")); // the application's own scope is trusted
        }
        assertThat(tableExists("LEGACY")).isFalse();
    }
}
