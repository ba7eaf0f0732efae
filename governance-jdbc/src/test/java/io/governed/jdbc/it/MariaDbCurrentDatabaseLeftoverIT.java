package io.governed.jdbc.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On MariaDB, which has no search path, an agent a mask applies to leaves {@code USE} of a database of its choosing on a
 * pooled connection: the reset at the end of its borrowing must set the current database back to the one the session
 * had before, not to the agent's, where the next borrower's unqualified {@code INSERT INTO customers …} would land in the
 * agent's view, whose column takes another name in the agent's table.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbCurrentDatabaseLeftoverIT {
    private static final String LOOT = TestDatabase.forkName("sh_loot");
    private static final String SSN = "987-65-4321";
    private static final String POLICY = """
            version: 1
            default: deny
            classification: { auto-detect: false, tags: { pii.ssn: ["*.ssn"] } }
            rules:
              - { id: everything, effect: permit, principals: { kinds: [agent, service] }, actions: ["*"], resources: ["*"] }
            masks:
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4, unless: { kinds: [service] } }
            """;
    private static final Identity AGENT =
            Identity.builder("bot").kind(IdentityKind.AGENT).onBehalfOf(Identity.human("ann")).build();
    private static final Identity APP = Identity.builder("customer-service").kind(IdentityKind.SERVICE).build();

    @BeforeEach
    void databases() throws SQLException {
        TestDatabase.MARIADB.requireReachable();
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS sh_customers");
            st.execute("DROP DATABASE IF EXISTS " + LOOT);
            st.execute("CREATE TABLE sh_customers (id INT PRIMARY KEY, name VARCHAR(40), ssn VARCHAR(20))");
            st.execute("CREATE DATABASE " + LOOT);
            st.execute("CREATE TABLE " + LOOT + ".loot (id INT, name VARCHAR(40), secret VARCHAR(20))");
            st.execute("CREATE VIEW " + LOOT + ".sh_customers AS SELECT id, name, secret AS ssn FROM " + LOOT + ".loot");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS sh_customers");
            st.execute("DROP DATABASE IF EXISTS " + LOOT);
        }
    }

    @Test
    void aDatabaseTheAgentUsedIsNotTheNextBorrowersCurrentDatabase() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setPoolName("sh-use");
        config.setJdbcUrl(TestDatabase.MARIADB.rawUrl() + "&useResetConnection=true");
        config.setUsername(TestDatabase.MARIADB.user());
        config.setPassword(TestDatabase.MARIADB.password());
        config.setMaximumPoolSize(1); // one physical connection: every borrower shares its session
        try (HikariDataSource pool = new HikariDataSource(config)) {
            GovernedDataSource governed = new GovernedDataSource(pool,
                    Governance.builder().policy(PolicyLoader.fromString("sh-use.yaml", POLICY)).build());
            IdentityContext.runAs(AGENT, () -> {
                try (Connection c = governed.getConnection(); Statement st = c.createStatement()) {
                    st.execute("USE " + LOOT);
                }
                return null;
            });
            IdentityContext.runAs(APP, () -> {
                try (Connection c = governed.getConnection(); Statement st = c.createStatement()) {
                    st.execute("INSERT INTO sh_customers (id, name, ssn) VALUES (2, 'Bob', '" + SSN + "')");
                }
                return null;
            });
        }
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + LOOT + ".loot")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the application's rows in the agent's " + LOOT + ".loot").isZero();
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + TestDatabase.DATABASE + ".sh_customers WHERE ssn = '" + SSN + "'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the application's row in " + TestDatabase.DATABASE + ".sh_customers").isEqualTo(1);
            }
        }
    }
}
