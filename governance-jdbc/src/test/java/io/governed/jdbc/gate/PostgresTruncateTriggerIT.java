package io.governed.jdbc.gate;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On PostgreSQL a {@code TRUNCATE} runs the table's {@code TRUNCATE} triggers, whose functions may do anything: emptying
 * a scratch table ran a trigger that deleted every payment, which the clerk may not delete, and the gate never asked.
 * The truncate is now a call of the trigger's function, whose body is the statement's own: refused (42501) until the
 * policy permits both the call and what the body does. The payments are counted through a raw connection.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresTruncateTriggerIT {

    @Test
    void aTruncateTriggersBodyNeedsThePermitsOfWhatItDoes() throws Exception {
        String suffix = UniqueNames.of("t");
        String scratch = "scratch_" + suffix;
        String payments = "payments_" + suffix;
        String wipe = "wipe_" + suffix;
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE " + scratch + " (id int)");
            st.execute("CREATE TABLE " + payments + " (id int)");
            st.execute("INSERT INTO " + scratch + " VALUES (1)");
            st.execute("INSERT INTO " + payments + " VALUES (1), (2)");
            st.execute("CREATE FUNCTION " + wipe + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM "
                    + payments + "; RETURN NULL; END $$");
            st.execute("CREATE TRIGGER " + wipe + " BEFORE TRUNCATE ON " + scratch + " FOR EACH STATEMENT EXECUTE"
                    + " FUNCTION " + wipe + "()");
        }
        Path policy = Files.createTempFile("truncate-trigger", ".yaml");
        try {
            String rules = """
                    version: 1
                    default: deny
                    rules:
                      - { id: clerks-scratch, effect: permit, principals: { groups: [clerks] }, actions: [select, delete, truncate],
                          resources: ["public.%1$s"] }
                      - { id: callers, effect: permit, principals: { groups: [callers] }, actions: [call],
                          resources: ["public.%2$s"] }
                      - { id: payment-admins, effect: permit, principals: { groups: [payment-admins] }, actions: [delete],
                          resources: ["public.%3$s"] }
                    """.formatted(scratch, wipe, payments);
            Files.writeString(policy, rules);
            try (Connection c = TestDatabase.POSTGRESQL.connectGoverned(policy, null, "clerks");
                 Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.execute("TRUNCATE " + scratch)).isInstanceOf(GovernanceException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                        .hasMessageContaining("call on public." + wipe);
            }
            try (Connection c = TestDatabase.POSTGRESQL.connectGoverned(policy, null, "clerks", "callers");
                 Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.execute("TRUNCATE " + scratch)).isInstanceOf(GovernanceException.class)
                        .hasMessageContaining("delete on public." + payments);
            }
            assertThat(count(scratch)).isEqualTo(1);
            assertThat(count(payments)).as("the payments the trigger would have deleted").isEqualTo(2);
            try (Connection c = TestDatabase.POSTGRESQL.connectGoverned(policy, null, "clerks");
                 Statement st = c.createStatement()) {
                // the trigger fires on TRUNCATE only: a delete of the same rows needs no call of its function
                assertThat(st.executeUpdate("DELETE FROM " + scratch + " WHERE id = 2")).isZero();
            }
            try (Connection c = TestDatabase.POSTGRESQL.connectGoverned(policy, null, "clerks", "callers",
                    "payment-admins"); Statement st = c.createStatement()) {
                st.execute("TRUNCATE " + scratch);
            }
            assertThat(count(scratch)).isZero();
            assertThat(count(payments)).isZero();
        } finally {
            Files.deleteIfExists(policy);
            try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + scratch + ", " + payments);
                st.execute("DROP FUNCTION IF EXISTS " + wipe + "()");
            }
        }
    }

    @Test
    void aTruncateRunsNoRoutineOfTheTablesDefaultsChecksOrIndexes() throws Exception {
        String suffix = UniqueNames.of("t");
        String tickets = "tickets_" + suffix;
        String code = "code_" + suffix;
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE FUNCTION " + code + "(p int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT p + 1 $$");
            st.execute("CREATE TABLE " + tickets + " (id int DEFAULT " + code + "(0) CHECK (" + code + "(id) > 0))");
            st.execute("CREATE INDEX ON " + tickets + " (" + code + "(id))");
            st.execute("INSERT INTO " + tickets + " VALUES (1)");
        }
        Path policy = Files.createTempFile("truncate-expressions", ".yaml");
        try {
            Files.writeString(policy, """
                    version: 1
                    default: deny
                    rules:
                      - { id: clerks, effect: permit, principals: { groups: [clerks] }, actions: [select, insert, truncate],
                          resources: ["public.%1$s"] }
                    """.formatted(tickets));
            try (Connection c = TestDatabase.POSTGRESQL.connectGoverned(policy, null, "clerks");
                 Statement st = c.createStatement()) {
                // an insert runs the default's, the check's and the index's routine
                assertThatThrownBy(() -> st.execute("INSERT INTO " + tickets + " VALUES (2)"))
                        .isInstanceOf(GovernanceException.class).hasMessageContaining("call on public." + code);
                // a truncate runs none of them: only TRUNCATE triggers, and the table has none
                st.execute("TRUNCATE " + tickets);
            }
            assertThat(count(tickets)).isZero();
        } finally {
            Files.deleteIfExists(policy);
            try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + tickets);
                st.execute("DROP FUNCTION IF EXISTS " + code + "(int)");
            }
        }
    }

    private static long count(String table) throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
