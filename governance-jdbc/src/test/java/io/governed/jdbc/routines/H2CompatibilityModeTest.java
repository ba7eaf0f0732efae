package io.governed.jdbc.routines;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * H2 in a compatibility mode runs that mode's functions as its own (TO_DATE and VERSION in MODE=PostgreSQL): a caller
 * permitted to read a table but to call no routine uses them as any built-in. An alias of such a name is user code
 * wherever H2 could run it: in the regular mode, after the database's mode is switched back (by any session), or while
 * an alias of the name is within the session's reach; a masked column keeps its mask through the mode's functions.
 */
class H2CompatibilityModeTest {
    private static final String MARK = "hm-alias-ran";
    private final JdbcDataSource h2 = new JdbcDataSource();
    private Connection keeper;

    private static final String READ_ONLY = """
            version: 1
            rules:
              - { id: read, effect: permit, actions: [select], resources: ["*"] }
            masks:
              - { id: hide-ssn, columns: { patterns: ["*.hm_people.ssn_text"] }, function: redact, unless: { kinds: [human] } }
            """;

    private static final String READ_UNMASKED = """
            version: 1
            rules:
              - { id: read, effect: permit, actions: [select], resources: ["*"] }
            """;

    private static final String ALL_BUT_CALLS = """
            version: 1
            rules:
              - { id: everything, effect: permit, actions: ["*"], resources: ["*"] }
              - { id: no-calls, effect: forbid, actions: [call], resources: ["*"] }
            """;

    private void database(String mode) throws SQLException {
        // the mode is the database's: set by a session of its own (the driver refuses MODE in a wrapped source's URL)
        h2.setURL("jdbc:h2:mem:hm_mode-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        keeper = h2.getConnection();
        if (mode != null) {
            raw("SET MODE " + mode);
        }
        raw("CREATE TABLE hm_people (id INT PRIMARY KEY, ssn_text VARCHAR(20), born_text VARCHAR(20))");
        raw("INSERT INTO hm_people VALUES (1, '1990-01-02', '1980-05-06')");
    }

    @AfterEach
    void close() throws SQLException {
        if (keeper != null) {
            raw("SHUTDOWN");
            keeper.close();
        }
    }

    private void raw(String sql) throws SQLException {
        try (Statement st = keeper.createStatement()) {
            st.execute(sql);
        }
    }

    private void markAlias(String name, String schema) throws SQLException {
        raw("CREATE ALIAS " + (schema == null ? "" : schema + ".") + name
                + " AS 'String mark(String a, String b) { return \"" + MARK + "\"; }'");
    }

    private Connection governed(String policy) throws SQLException {
        Governance governance = Governance.builder().policy(PolicyLoader.fromString("mode.yaml", policy))
                .defaultIdentity(Identity.builder("hm-bot").kind(IdentityKind.AGENT).build())
                .withoutAudit().build();
        return new GovernedDataSource(h2, governance).getConnection();
    }

    private static String first(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    @Test
    void postgresModesFunctionsNeedNoCallPermit() throws SQLException {
        database("PostgreSQL");
        try (Connection c = governed(READ_UNMASKED)) {
            assertThat(first(c, "SELECT to_date(born_text, 'YYYY-MM-DD') FROM hm_people")).startsWith("1980-05-06");
            assertThat(first(c, "SELECT version()")).isNotBlank();
            assertThat(first(c, "SELECT array_to_string(ARRAY[born_text, 'x'], ',') FROM hm_people")).isEqualTo("1980-05-06,x");
            assertThat(first(c, "SELECT current_database()")).isNotBlank();
        }
    }

    @Test
    void eachModesOwnFunctionsNeedNoCallPermitInThatMode() throws SQLException {
        database("Oracle");
        try (Connection c = governed(READ_UNMASKED)) {
            assertThat(first(c, "SELECT to_date(born_text, 'YYYY-MM-DD') FROM hm_people")).startsWith("1980-05-06");
            assertThat(first(c, "SELECT sys_guid()")).isNotBlank();
        }
        raw("SET MODE MySQL");
        try (Connection c = governed(READ_UNMASKED)) {
            assertThat(first(c, "SELECT unix_timestamp()")).isNotBlank();
            assertThat(first(c, "SELECT date(born_text) FROM hm_people")).isEqualTo("1980-05-06");
        }
        raw("SET MODE MSSQLServer");
        try (Connection c = governed(READ_UNMASKED)) {
            assertThat(first(c, "SELECT getdate()")).isNotBlank();
            assertThat(first(c, "SELECT isnull(born_text, 'none') FROM hm_people")).isEqualTo("1980-05-06");
            assertThat(first(c, "SELECT len(born_text) FROM hm_people")).isEqualTo("10");
        }
    }

    @Test
    void aModesFunctionIsACallInTheRegularModeAndInAModeWithoutIt() throws SQLException {
        database(null);
        try (Connection c = governed(READ_ONLY)) {
            assertThatThrownBy(() -> first(c, "SELECT to_date(born_text, 'YYYY-MM-DD') FROM hm_people"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("call");
        }
        raw("SET MODE MySQL"); // TO_DATE is Oracle's and PostgreSQL's, not MySQL's
        markAlias("TO_DATE", null);
        try (Connection c = governed(READ_ONLY)) {
            assertThatThrownBy(() -> first(c, "SELECT to_date(born_text, 'YYYY-MM-DD') FROM hm_people"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("call")
                    .hasMessageNotContaining(MARK);
        }
        assertThat(first(keeper, "SELECT to_date(born_text, 'YYYY-MM-DD') FROM hm_people"))
                .as("the alias is what H2 runs there").isEqualTo(MARK);
    }

    @Test
    void anAliasWithinReachOfTheSessionKeepsTheNameACallEvenInTheMode() throws SQLException {
        database(null);
        markAlias("TO_DATE", null); // created in the regular mode
        raw("SET MODE PostgreSQL");
        try (Connection c = governed(READ_ONLY)) {
            assertThatThrownBy(() -> first(c, "SELECT to_date(born_text, 'YYYY-MM-DD') FROM hm_people"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("call");
            raw("SET MODE REGULAR"); // another session switches the database back
            assertThatThrownBy(() -> first(c, "SELECT to_date(born_text, 'YYYY-MM-DD') FROM hm_people"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("call").hasMessageNotContaining(MARK);
        }
    }

    @Test
    void anAliasCreatedAfterAnotherSessionSwitchedTheModeBackIsACall() throws SQLException {
        database("PostgreSQL");
        try (Connection c = governed(READ_UNMASKED)) {
            assertThat(first(c, "SELECT to_date(born_text, 'YYYY-MM-DD') FROM hm_people")).startsWith("1980-05-06");
            raw("SET MODE REGULAR");
            markAlias("TO_DATE", null);
            assertThatThrownBy(() -> first(c, "SELECT to_date(born_text, 'YYYY-MM-DD') FROM hm_people"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("call").hasMessageNotContaining(MARK);
        }
    }

    @Test
    void anAliasOfTheNameInAnySchemaKeepsTheModesFunctionACall() throws SQLException {
        database(null);
        raw("CREATE SCHEMA hm_other");
        markAlias("TO_DATE", "hm_other"); // H2 refuses an alias of the name in the mode
        raw("SET MODE PostgreSQL");
        assertThat(first(keeper, "SELECT to_date(born_text, 'YYYY-MM-DD') FROM hm_people"))
                .as("H2 runs its own there").startsWith("1980-05-06");
        try (Connection c = governed(READ_UNMASKED)) {
            // over-refused: the alias is out of the session's reach, but any alias of the name keeps it a call
            assertThatThrownBy(() -> first(c, "SELECT to_date(born_text, 'YYYY-MM-DD') FROM hm_people"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("call");
            assertThatThrownBy(() -> first(c, "SELECT hm_other.to_date(born_text, 'YYYY-MM-DD') FROM hm_people"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("call");
        }
    }

    @Test
    void setModeOnTheGovernedSessionIsReadAgain() throws SQLException {
        database(null);
        try (Connection c = governed(ALL_BUT_CALLS); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> first(c, "SELECT to_date(born_text, 'YYYY-MM-DD') FROM hm_people"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("no-calls");
            st.execute("SET MODE PostgreSQL");
            assertThat(first(c, "SELECT to_date(born_text, 'YYYY-MM-DD') FROM hm_people")).startsWith("1980-05-06");
            st.execute("SET MODE REGULAR");
            markAlias("TO_DATE", null);
            assertThatThrownBy(() -> first(c, "SELECT to_date(born_text, 'YYYY-MM-DD') FROM hm_people"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("no-calls").hasMessageNotContaining(MARK);
        }
    }

    @Test
    void aMaskedColumnStaysMaskedThroughAModesFunction() throws SQLException {
        database("PostgreSQL");
        try (Connection c = governed(READ_ONLY)) {
            String read;
            try {
                read = first(c, "SELECT to_date(ssn_text, 'YYYY-MM-DD') FROM hm_people");
            } catch (SQLException refused) {
                read = null; // refused outright: nothing handed out
            }
            assertThat(read).as("what the agent reads of the masked column: nothing, or not the date it holds")
                    .satisfiesAnyOf(r -> assertThat(r).isNull(), r -> assertThat(r).doesNotContain("1990"));
            assertThat(first(c, "SELECT ssn_text FROM hm_people")).isNotEqualTo("1990-01-02");
        }
    }
}
