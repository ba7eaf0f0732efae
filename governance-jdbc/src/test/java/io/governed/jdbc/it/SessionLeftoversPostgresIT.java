package io.governed.jdbc.it;

import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * PostgreSQL keeps in the session, past the statement and the borrowing, what a statement puts there: a custom setting
 * (set_config('app.tenant', …, false), SET app.tenant), which views and row security read with current_setting; a
 * statement prepared by name; a cursor declared WITH HOLD; a LISTEN; an advisory lock. The next identity on the same
 * physical session, the pool's next borrower or another identity's statement on a shared connection, must not inherit
 * any of it: here a view shows the customers of the tenant the setting names. Outcomes are read in the database
 * through a raw borrowing of the pool's one connection.
 */
@ServerWide("SET ROLE / SESSION AUTHORIZATION, other sessions")
class SessionLeftoversPostgresIT extends SessionLeftoversFixture {
    private final String view = UniqueNames.of("slp_tenant_customers");

    SessionLeftoversPostgresIT() {
        super("slp");
    }

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @BeforeEach
    void createView() throws Exception {
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("INSERT INTO " + customers + " VALUES (2, 'Bob', '987-65-4321')");
            st.execute("CREATE VIEW " + view + " AS SELECT id, name, ssn FROM " + customers
                    + " WHERE name = current_setting('app.tenant', true)");
        }
    }

    @AfterEach
    void dropView() throws Exception {
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP VIEW IF EXISTS " + view);
        }
    }

    @Test
    void aTenantSetInOneBorrowingIsNotTheNextBorrowersTenant() throws Exception {
        for (String set : List.of("SELECT set_config('app.tenant', 'Ann', false)", "SET app.tenant = 'Ann'",
                "SELECT set_config('app.tenant', name, false) FROM " + customers + " WHERE id = 1")) {
            assertThat(borrowAs(PII_READER, set, "SELECT ssn FROM " + view)).as("the premise: " + set)
                    .containsExactly(SSN);

            assertThat(rawSession("SELECT coalesce(current_setting('app.tenant', true), '')")).as(set)
                    .containsExactly("");
            assertThat(borrowAs(BOB, "SELECT ssn FROM " + view)).as("the next borrower's view: " + set).isEmpty();
            assertThat(borrowAs(OTHER_READER, "SELECT ssn FROM " + view)).as("nor an unmasked one's: " + set).isEmpty();
            assertThat(borrowAs(OTHER_READER, "SELECT coalesce(current_setting('app.tenant', true), '')")).as(set)
                    .containsExactly("");
        }
    }

    /**
     * Code the text does not show leaves things too: a trigger function, or a view, calling set_config. The statement
     * that fires it names only a table or a view; the next identity must still not see the tenant it set.
     */
    /**
     * pgjdbc's ApplicationName client info is the session's application_name: what one borrowing sets through
     * setClientInfo is neither the next borrower's current_setting nor its getClientInfo, nor another identity's on a
     * shared connection.
     */
    @Test
    void clientInfoOneIdentitySetIsNotReadByTheNext() throws Exception {
        String asOpened = rawSession("SELECT current_setting('application_name')").get(0);
        assertThat(asOpened).isNotEqualTo("tenant-ann");
        borrowSettingClientInfo(PII_READER, "ApplicationName", "tenant-ann");

        assertThat(borrowAs(OTHER_READER, "SELECT current_setting('application_name')")).as("the next borrower's")
                .containsExactly(asOpened);
        assertThat(borrowedClientInfoAs(OTHER_READER, "ApplicationName")).as("the next borrower's client info")
                .doesNotContain("tenant-ann").startsWith(asOpened);
        assertThat(rawSession("SELECT current_setting('application_name')")).containsExactly(asOpened);

        Connection c = sharedConnection(new Properties());
        String sharedAsOpened = sharedAs(c, PII_READER, "SELECT current_setting('application_name')").get(0);
        setClientInfoAs(c, PII_READER, "ApplicationName", "tenant-ann");
        assertThat(sharedAs(c, PII_READER, "SELECT current_setting('application_name')")).containsExactly("tenant-ann");
        assertThat(sharedAs(c, OTHER_READER, "SELECT current_setting('application_name')"))
                .as("another identity's statement").containsExactly(sharedAsOpened);
        assertThat(clientInfoAs(c, OTHER_READER, "ApplicationName")).doesNotContain("tenant-ann");
        setClientInfoAs(c, PII_READER, "ApplicationName", "tenant-ann");
        assertThat(clientInfoAs(c, OTHER_READER, "ApplicationName")).as("another identity's getClientInfo")
                .doesNotContain("tenant-ann").startsWith(sharedAsOpened);
        assertThat(sharedAs(c, OTHER_READER, "SELECT current_setting('application_name')")).containsExactly(sharedAsOpened);
    }

    @Test
    void aTenantSetByATriggerOrAViewIsNotTheNextIdentitysTenant() throws Exception {
        String log = UniqueNames.of("slp_log");
        String fn = UniqueNames.of("slp_set_tenant");
        String setting = UniqueNames.of("slp_setting_view");
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE FUNCTION " + fn + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "PERFORM set_config('app.tenant', 'Ann', false); RETURN NEW; END $$");
            st.execute("CREATE TABLE " + log + " (n int)");
            st.execute("CREATE TRIGGER " + fn + " BEFORE INSERT ON " + log + " FOR EACH ROW EXECUTE FUNCTION " + fn + "()");
            st.execute("CREATE VIEW " + setting + " AS SELECT set_config('app.tenant', 'Ann', false) AS tenant");
        }
        try {
            for (String fires : List.of("INSERT INTO " + log + " VALUES (1)", "SELECT tenant FROM " + setting)) {
                assertThat(borrowAs(PII_READER, fires, "SELECT name FROM " + view)).as("the premise: " + fires)
                        .containsExactly("Ann");
                assertThat(borrowAs(BOB, "SELECT name FROM " + view)).as("the next borrower's view: " + fires).isEmpty();

                Connection c = sharedConnection(new Properties());
                assertThat(sharedAs(c, PII_READER, fires, "SELECT name FROM " + view)).as(fires).containsExactly("Ann");
                assertThat(sharedAs(c, BOB, "SELECT name FROM " + view)).as("another identity's: " + fires).isEmpty();
            }
        } finally {
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP VIEW " + setting);
                st.execute("DROP TABLE " + log);
                st.execute("DROP FUNCTION " + fn + "()");
            }
        }
    }

    /**
     * A kept prepared statement's answers that depend on its text alone are worked out once and kept; who ran it, and
     * whether the relations it names run code, are asked at every run. A kept set_config run again by one identity leaves
     * nothing for another identity's kept query; a kept query of a table that has since become a view calling code is
     * judged, for a caller a mask applies to, on the relations as they are now.
     */
    @Test
    void keptPreparedStatementsAreJudgedAtEveryRunAsWhoRunsThemAndAsTheRelationsAreThen() throws Exception {
        String relation = UniqueNames.of("pc_slp_kept");
        String fn = UniqueNames.of("pc_slp_kept_tenant");
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE " + relation + " (tenant text)");
            st.execute("INSERT INTO " + relation + " VALUES ('nobody')");
        }
        Connection c = sharedConnection(new Properties());
        try (PreparedStatement set = c.prepareStatement("SELECT set_config('app.tenant', ?, false)");
             PreparedStatement read = c.prepareStatement("SELECT name FROM " + view);
             PreparedStatement fires = c.prepareStatement("SELECT tenant FROM " + relation)) {
            for (int run = 0; run < 7; run++) { // past pgjdbc's prepareThreshold: the server's statements too
                set.setString(1, "Ann");
                assertThat(keptAs(PII_READER, set)).containsExactly("Ann");
                assertThat(keptAs(PII_READER, read)).as("the premise, run " + run).containsExactly("Ann");
                assertThat(keptAs(BOB, read)).as("another identity's run " + run).isEmpty();
                assertThat(keptAs(PII_READER, read)).as("the tenant is gone for its own identity too").isEmpty();
            }
            for (int run = 0; run < 7; run++) {
                assertThat(keptAs(PII_READER, fires)).containsExactly("nobody");
            }
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP TABLE " + relation);
                st.execute("CREATE FUNCTION " + fn + "() RETURNS text LANGUAGE plpgsql AS $$ BEGIN "
                        + "PERFORM set_config('app.tenant', 'Ann', false); RETURN 'Ann'; END $$");
                st.execute("CREATE VIEW " + relation + " AS SELECT " + fn + "() AS tenant");
            }
            // BOB, whom a mask applies to, is judged on a reading of the relations made as the statement runs: the
            // kept query's table is now a view calling code that may hand out any value, refused to him
            assertThatThrownBy(() -> keptAs(BOB, fires)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            assertThat(keptAs(BOB, read)).as("nothing of it ran").isEmpty();
        } finally {
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                try {
                    st.execute("DROP VIEW IF EXISTS " + relation);
                } catch (SQLException stillATable) {
                    st.execute("DROP TABLE IF EXISTS " + relation);
                }
                st.execute("DROP FUNCTION IF EXISTS " + fn + "()");
            }
        }
    }

    /** Runs the kept query {@code statement} as {@code identity}; returns its first column. */
    private static List<String> keptAs(io.governed.identity.Identity identity, PreparedStatement statement)
            throws Exception {
        return IdentityContext.runAs(identity, () -> {
            List<String> out = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    @Test
    void theSchemaThePoolSetsIsTheSchemaAfterTheReset() throws Exception {
        // HikariCP's schema (Spring Boot's spring.datasource.hikari.schema) is set through JDBC once per physical
        // connection and tracked by the pool, which does not set it again: DISCARD ALL must not take it away
        String schema = UniqueNames.of("slp_app");
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
            st.execute("CREATE TABLE " + schema + ".accounts (id INT)");
            st.execute("INSERT INTO " + schema + ".accounts VALUES (7)");
        }
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl(database().rawUrl());
        config.setUsername(database().user());
        config.setPassword(database().password());
        config.setSchema(schema);
        config.setMaximumPoolSize(1);
        try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config)) {
            io.governed.jdbc.GovernedDataSource app = new io.governed.jdbc.GovernedDataSource(pool,
                    io.governed.jdbc.Governance.builder().withoutAudit().defaultIdentity(BOB)
                            .policy(io.governed.policy.load.PolicyLoader.fromString("slp-schema.yaml", policy())).build());
            for (int borrowing = 0; borrowing < 3; borrowing++) {
                try (Connection c = app.getConnection(); Statement st = c.createStatement()) {
                    try (ResultSet rs = st.executeQuery("SELECT id FROM accounts")) {
                        assertThat(rs.next()).as("borrowing " + borrowing).isTrue();
                        assertThat(rs.getInt(1)).isEqualTo(7);
                    }
                    st.execute("SELECT set_config('app.tenant', 'Bob', false)"); // leaves a setting: reset at close
                }
            }
        } finally {
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    @Test
    void anAppThatSetsItsTenantAtEveryBorrowingKeepsWorking() throws Exception {
        for (int round = 0; round < 3; round++) {
            for (var who : List.of(PII_READER, BOB)) {
                String tenant = who == BOB ? "Bob" : "Ann";
                boolean transaction = round == 1;
                List<String> names = IdentityContext.runAs(who, () -> {
                    try (Connection c = governed.getConnection()) {
                        c.setAutoCommit(!transaction);
                        try (PreparedStatement set = c.prepareStatement("SELECT set_config('app.tenant', ?, false)");
                             PreparedStatement read = c.prepareStatement("SELECT name FROM " + view)) {
                            set.setString(1, tenant);
                            set.executeQuery().close();
                            List<String> seen = new ArrayList<>();
                            try (ResultSet rs = read.executeQuery()) {
                                while (rs.next()) {
                                    seen.add(rs.getString(1));
                                }
                            }
                            if (transaction) {
                                c.commit();
                            }
                            return seen;
                        }
                    }
                });
                assertThat(names).as("round " + round + " as " + who.principal()).containsExactly(tenant);
            }
        }
    }

    @Test
    void whatABorrowingLeftInTheSessionIsGoneForTheNext() throws Exception {
        IdentityContext.runAs(PII_READER, () -> {
            try (Connection c = governed.getConnection()) {
                c.setAutoCommit(false);
                PooledSessionRoleFixture.run(c,
                        "PREPARE slp_p AS SELECT ssn FROM " + customers,
                        "DECLARE slp_c CURSOR WITH HOLD FOR SELECT ssn FROM " + customers,
                        "LISTEN slp_channel",
                        "SELECT pg_advisory_lock(4242)");
                c.commit();
            }
            return null;
        });

        assertThat(rawSession("SELECT count(*) FROM pg_prepared_statements WHERE name = 'slp_p'")).containsExactly("0");
        assertThat(rawSession("SELECT count(*) FROM pg_cursors WHERE name = 'slp_c'")).containsExactly("0");
        assertThat(rawSession("SELECT count(*) FROM pg_listening_channels()")).containsExactly("0");
        assertThat(rawSession("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"))
                .containsExactly("0");
        for (String leftover : List.of("EXECUTE slp_p", "FETCH ALL FROM slp_c")) {
            IdentityContext.runAs(BOB, () -> {
                try (Connection c = governed.getConnection(); Statement st = c.createStatement()) {
                    assertThatThrownBy(() -> st.execute(leftover)).as(leftover).isInstanceOf(SQLException.class)
                            .hasMessageNotContaining("6789");
                }
                return null;
            });
        }
    }

    @Test
    void anotherIdentitysStatementOnASharedConnectionFindsTheSessionAsOpened() throws Exception {
        Connection c = sharedConnection(new Properties());
        assertThat(sharedAs(c, PII_READER, "SELECT set_config('app.tenant', 'Ann', false)", "SET app.note = 'Ann''s'",
                "PREPARE slp_q AS SELECT ssn FROM " + customers, "LISTEN slp_channel", "SELECT pg_advisory_lock(4343)",
                "SELECT ssn FROM " + view)).as("the premise").containsExactly(SSN);

        assertThat(sharedAs(c, BOB, "SELECT ssn FROM " + view)).as("not Ann's tenant").isEmpty();
        assertThat(sharedAs(c, OTHER_READER, "SELECT coalesce(current_setting('app.tenant', true), '') || '|' "
                + "|| coalesce(current_setting('app.note', true), '')")).containsExactly("|");
        assertThat(sharedAs(c, PII_READER, "SET app.tenant = 'Ann'", "PREPARE slp_q AS SELECT ssn FROM " + customers,
                "LISTEN slp_channel", "SELECT pg_advisory_lock(4343)", "SELECT ssn FROM " + view)).containsExactly(SSN);
        assertThat(sharedAs(c, OTHER_READER, "SELECT (SELECT count(*) FROM pg_prepared_statements WHERE name = 'slp_q') "
                + "+ (SELECT count(*) FROM pg_listening_channels()) "
                + "+ (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid())"))
                .containsExactly("0");
        sharedAs(c, PII_READER, "PREPARE slp_q AS SELECT ssn FROM " + customers);
        // EXECUTE runs SQL the analysis does not see, which is refused to BOB, whom a mask applies to; an identity no
        // mask applies to reaches the database, which no longer knows the name: the SQLState tells
        assertThatThrownBy(() -> sharedAs(c, BOB, "EXECUTE slp_q")).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                .hasMessageNotContaining("6789");
        assertThatThrownBy(() -> sharedAs(c, OTHER_READER, "EXECUTE slp_q")).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as("no prepared statement of that name")
                        .isEqualTo("26000"))
                .hasMessageNotContaining("6789");

        assertThat(sharedAs(c, BOB, "SELECT set_config('app.tenant', 'Bob', false)", "SELECT name FROM " + view))
                .as("a tenant set per request works").containsExactly("Bob");
        assertThat(sharedAs(c, PII_READER, "SELECT name FROM " + view)).as("and is not the next identity's").isEmpty();
        assertThat(sharedAs(c, PII_READER, "SELECT set_config('app.tenant', 'Ann', false)", "SELECT name FROM " + view))
                .containsExactly("Ann");
        assertThat(sharedAs(c, PII_READER, "SELECT name FROM " + view)).as("the same identity keeps its own")
                .containsExactly("Ann");
    }

    @Test
    void theResetKeepsTheSessionsIsolationLevel() throws Exception {
        Connection c = sharedConnection(new Properties());
        c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE); // as a pool configured for it does
        sharedAs(c, PII_READER, "SELECT set_config('app.tenant', 'Ann', false)");

        assertThat(sharedAs(c, OTHER_READER, "SELECT current_setting('transaction_isolation') || ' '"
                + "|| coalesce(current_setting('app.tenant', true), '')")).containsExactly("serializable ");
    }

    @Test
    void aResultLeftOpenDoesNotDelayTheReset() throws Exception {
        Connection c = sharedConnection(new Properties());
        Statement open = c.createStatement();
        IdentityContext.runAs(PII_READER, () -> {
            ResultSet rs = open.executeQuery("SELECT set_config('app.tenant', 'Ann', false)");
            assertThat(rs.next()).isTrue(); // neither read to the end nor closed
            return null;
        });

        assertThat(sharedAs(c, OTHER_READER, "SELECT ssn FROM " + view)).as("not Ann's tenant").isEmpty();
        open.close();
    }

    @Test
    void anotherIdentityMayNotJoinATransactionInWhichTheSessionWasGivenSomething() throws Exception {
        Connection c = sharedConnection(new Properties());
        c.setAutoCommit(false);
        sharedAs(c, PII_READER, "SELECT set_config('app.tenant', 'Ann', false)");

        assertLeftoverRefused(c, BOB, "SELECT name FROM " + view);
        c.commit();
        assertThat(sharedAs(c, PII_READER, "SELECT current_setting('app.tenant', true)"))
                .as("the premise: committed, the setting stays").containsExactly("Ann");
        c.commit();

        assertThat(sharedAs(c, BOB, "SELECT name FROM " + view)).as("a new transaction starts from a reset session")
                .isEmpty();
        c.commit();
        sharedAs(c, PII_READER, "SELECT set_config('app.tenant', 'Ann', false)");
        c.commit();
        assertThat(sharedAs(c, BOB, "SELECT set_config('app.tenant', 'Bob', false)", "SELECT name FROM " + view))
                .containsExactly("Bob");
        c.commit();
    }
}
