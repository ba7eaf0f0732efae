package io.governed.jdbc.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * MariaDB keeps in the session, past the statement and the borrowing, a user variable (SET @tenant = …), a named lock
 * (GET_LOCK), a statement prepared by name (PREPARE … FROM). The next identity on the same physical
 * session, the pool's next borrower or another identity's statement on a shared connection, must not inherit any of
 * it. MariaDB resets a session only through the protocol (COM_RESET_CONNECTION), which the driver sends when the
 * connection has useResetConnection=true; without it a session that was left something is not handed on at all.
 */
@ServerWide("SET ROLE / SESSION AUTHORIZATION")
class SessionLeftoversMariaDbIT extends SessionLeftoversFixture {
    private static final List<String> LEAVE = List.of(
            "SET @slm_tenant = 'Ann'",
            "SELECT GET_LOCK('slm_lock', 0)",
            "PREPARE slm_p FROM 'SELECT 1'");

    SessionLeftoversMariaDbIT() {
        super("slm");
    }

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Test
    void whatABorrowingLeftInTheSessionIsGoneForTheNext() throws Exception {
        borrowAs(PII_READER, LEAVE.toArray(String[]::new));

        assertSessionClear();
        assertThat(borrowAs(OTHER_READER, "SELECT @slm_tenant")).as("the next borrower's").containsExactly((String) null);
    }

    /**
     * MariaDB Connector/J keeps client info in the driver, where no session reset reaches it: what one borrowing sets
     * through setClientInfo is not what the next borrower's getClientInfo reads, nor another identity's on a shared
     * connection, and the connection is kept (no reset needed).
     */
    @Test
    void clientInfoOneIdentitySetIsNotReadByTheNext() throws Exception {
        String before = rawSession("SELECT CONNECTION_ID()").get(0);
        borrowSettingClientInfo(PII_READER, "ClientUser", "tenant-ann");

        assertThat(borrowedClientInfoAs(OTHER_READER, "ClientUser")).as("the next borrower's client info")
                .doesNotContain("tenant-ann");
        try (Connection raw = pool.getConnection()) {
            assertThat(raw.getClientInfo().values()).as("the pooled connection's").doesNotContain("tenant-ann");
        }
        assertThat(rawSession("SELECT CONNECTION_ID()")).as("the same connection").containsExactly(before);

        Connection c = sharedConnection(new Properties());
        setClientInfoAs(c, PII_READER, "ClientUser", "tenant-ann");
        assertThat(clientInfoAs(c, OTHER_READER, "ClientUser")).as("another identity's getClientInfo")
                .doesNotContain("tenant-ann");
        setClientInfoAs(c, PII_READER, "ClientUser", "tenant-ann");
        IdentityContext.runAs(PII_READER, () -> c.getClientInfo().setProperty("ClientHostname", "tenant-ann"));
        assertThat(IdentityContext.runAs(PII_READER, () -> c.getClientInfo("ClientHostname")))
                .as("the driver's own set is not handed out to be changed past setClientInfo").isNull();
        setClientInfoAs(c, OTHER_READER, "ApplicationName", "rex-app");
        assertThat(clientInfoAs(c, OTHER_READER, "ClientUser")).as("beside what another identity set since")
                .doesNotContain("tenant-ann").contains("rex-app");
    }

    @Test
    void aPoolThatResetsConnectionsKeepsTheConnection() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setPoolName("slm-reset");
        config.setJdbcUrl(database().rawUrl() + "&useResetConnection=true");
        config.setUsername(database().user());
        config.setPassword(database().password());
        config.setMaximumPoolSize(1);
        try (HikariDataSource resetting = new HikariDataSource(config)) {
            pool.close();
            pool = resetting;
            governed = new GovernedDataSource(resetting,
                    Governance.builder().policy(PolicyLoader.fromString("slm.yaml", policy())).build());
            String before = rawSession("SELECT CONNECTION_ID()").get(0);
            borrowAs(PII_READER, LEAVE.toArray(String[]::new));

            assertSessionClear();
            assertThat(rawSession("SELECT CONNECTION_ID()")).as("the same session, reset").containsExactly(before);
            assertThat(borrowAs(OTHER_READER, "SELECT @slm_tenant")).containsExactly((String) null);
            assertThat(borrowAs(OTHER_READER, "SET @slm_tenant = 'Bob'", "SELECT @slm_tenant")).containsExactly("Bob");
            assertThat(borrowAs(OTHER_READER, "SELECT @slm_tenant")).as("reset after each borrowing that set it")
                    .containsExactly((String) null);
        }
    }

    @Test
    void anotherIdentitysStatementOnASharedConnectionFindsTheSessionAsOpened() throws Exception {
        Properties reset = new Properties();
        reset.setProperty("useResetConnection", "true");
        Connection c = sharedConnection(reset);
        sharedAs(c, PII_READER, LEAVE.toArray(String[]::new));

        assertThat(sharedAs(c, OTHER_READER, "SELECT CONCAT_WS(',', @slm_tenant, IS_FREE_LOCK('slm_lock'))")).containsExactly("1");
        sharedAs(c, PII_READER, "PREPARE slm_p FROM 'SELECT 1'");
        // EXECUTE runs SQL the analysis does not see, which is refused to BOB, whom a mask applies to; an identity no
        // mask applies to reaches the database, which no longer knows the name: the error code tells
        assertThatThrownBy(() -> sharedAs(c, BOB, "EXECUTE slm_p")).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        assertThatThrownBy(() -> sharedAs(c, OTHER_READER, "EXECUTE slm_p")).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).as("unknown prepared statement")
                        .isEqualTo(1243));
        assertThat(sharedAs(c, OTHER_READER, "SET @slm_tenant = 'Bob'", "SELECT @slm_tenant")).containsExactly("Bob");
        assertThat(sharedAs(c, PII_READER, "SELECT @slm_tenant")).containsExactly((String) null);
    }

    @Test
    void withoutAResetAnotherIdentitysStatementIsRefused() throws Exception {
        Connection c = sharedConnection(new Properties());
        sharedAs(c, PII_READER, "SET @slm_tenant = 'Ann'");

        assertLeftoverRefused(c, OTHER_READER, "SELECT @slm_tenant");
        assertThat(sharedAs(c, PII_READER, "SELECT @slm_tenant")).as("the identity that set it goes on")
                .containsExactly("Ann");
    }

    /**
     * Code the text does not show leaves things too: a trigger setting a user variable, a view calling a stored
     * function that sets one. The statement that fires it names only a table or a view.
     */
    @Test
    void whatATriggerOrAViewLeavesIsGoneForTheNextIdentity() throws Exception {
        String log = io.governed.jdbc.support.UniqueNames.of("slm_log");
        String fn = io.governed.jdbc.support.UniqueNames.of("slm_set_tenant");
        String setting = io.governed.jdbc.support.UniqueNames.of("slm_setting_view");
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE " + log + " (n INT)");
            st.execute("CREATE TRIGGER " + log + "_t BEFORE INSERT ON " + log + " FOR EACH ROW SET @slm_tenant = 'Ann'");
            st.execute("CREATE FUNCTION " + fn + "() RETURNS TEXT NOT DETERMINISTIC BEGIN SET @slm_tenant = 'Ann'; "
                    + "RETURN 'x'; END");
            st.execute("CREATE VIEW " + setting + " AS SELECT " + fn + "() AS x");
        }
        try {
            Properties reset = new Properties();
            reset.setProperty("useResetConnection", "true");
            for (String fires : List.of("INSERT INTO " + log + " VALUES (1)", "SELECT x FROM " + setting)) {
                borrowAs(PII_READER, fires);
                assertThat(rawSession("SELECT @slm_tenant")).as("the next borrower's: " + fires)
                        .containsExactly((String) null);

                Connection c = sharedConnection(reset);
                assertThat(sharedAs(c, PII_READER, fires, "SELECT @slm_tenant")).as(fires).containsExactly("Ann");
                assertThat(sharedAs(c, OTHER_READER, "SELECT @slm_tenant")).as("another identity's: " + fires)
                        .containsExactly((String) null);
            }
        } finally {
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP VIEW " + setting);
                st.execute("DROP TABLE " + log);
                st.execute("DROP FUNCTION " + fn);
            }
        }
    }

    /**
     * A view whose definition computes with built-ins over tables leaves nothing: another identity's statement runs on
     * the session without a reset (which a connection without useResetConnection could not make); a view over one
     * calling a stored function may have, and that statement is refused.
     */
    @Test
    void aViewThatRunsNoCodeLeavesNothingAndOneThatMayIsKeptFromOthers() throws Exception {
        String plain = io.governed.jdbc.support.UniqueNames.of("slm_plain_view");
        String nested = io.governed.jdbc.support.UniqueNames.of("slm_nested_view");
        String fn = io.governed.jdbc.support.UniqueNames.of("slm_fn");
        String calling = io.governed.jdbc.support.UniqueNames.of("slm_calling_view");
        String overCalling = io.governed.jdbc.support.UniqueNames.of("slm_over_calling_view");
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE VIEW " + plain + " AS SELECT id, LOWER(name) AS n, COUNT(*) OVER () AS c FROM " + customers);
            st.execute("CREATE VIEW " + nested + " AS SELECT n FROM " + plain + " WHERE n <> ''");
            st.execute("CREATE FUNCTION " + fn + "() RETURNS TEXT NOT DETERMINISTIC BEGIN SET @slm_tenant = 'Ann'; "
                    + "RETURN 'x'; END");
            st.execute("CREATE VIEW " + calling + " AS SELECT " + fn + "() AS n");
            st.execute("CREATE VIEW " + overCalling + " AS SELECT n FROM " + calling);
        }
        try {
            for (String view : List.of(plain, nested)) {
                Connection c = sharedConnection(new Properties());
                sharedAs(c, PII_READER, "SELECT n FROM " + view);
                assertThat(sharedAs(c, OTHER_READER, "SELECT 1")).as(view).containsExactly("1");
            }
            for (String view : List.of(calling, overCalling)) {
                Connection c = sharedConnection(new Properties());
                sharedAs(c, PII_READER, "SELECT n FROM " + view);
                assertLeftoverRefused(c, OTHER_READER, "SELECT @slm_tenant");
            }
        } finally {
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP VIEW " + overCalling + ", " + calling + ", " + nested + ", " + plain);
                st.execute("DROP FUNCTION " + fn);
            }
        }
    }

    private void assertSessionClear() throws SQLException {
        assertThat(rawSession("SELECT CONCAT_WS(',', @slm_tenant, IS_FREE_LOCK('slm_lock'))")).containsExactly("1");
        try (Connection raw = pool.getConnection(); Statement st = raw.createStatement()) {
            assertThatThrownBy(() -> st.execute("EXECUTE slm_p")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("slm_p");
        }
    }
}
