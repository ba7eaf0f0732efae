package io.governed.jdbc.gate;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On PostgreSQL a rule ({@code CREATE RULE … ON DELETE TO tickets DO ALSO DELETE FROM audit}) runs statements of its own
 * when its table is written, which no analysis sees: the write counts as a call of any routine. A clerk permitted to
 * delete tickets is refused (42501) and the audit table keeps its rows, read through a raw connection; under the
 * baseline, the migration identity (permitted every call) deletes, and the rule runs.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresWriteRulesIT {
    private final String tickets = UniqueNames.of("wr_tickets");
    private final String audit = UniqueNames.of("wr_audit");
    private Path policy;

    @BeforeEach
    void tables() throws SQLException, IOException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE public." + tickets + " (id int PRIMARY KEY)");
            st.execute("CREATE TABLE public." + audit + " (id int PRIMARY KEY)");
            st.execute("INSERT INTO public." + tickets + " VALUES (1), (2)");
            st.execute("INSERT INTO public." + audit + " VALUES (7)");
            st.execute("CREATE RULE " + tickets + "_wipe AS ON DELETE TO public." + tickets + " DO ALSO DELETE FROM public."
                    + audit);
        }
        policy = Files.createTempFile("write-rules", ".yaml");
        Files.writeString(policy, """
                version: 1
                default: deny
                rules:
                  - { id: clerks-tickets, effect: permit, principals: { groups: [clerks] }, actions: [select, delete],
                      resources: ["public.%s"] }
                """.formatted(tickets));
    }

    @AfterEach
    void drop() throws SQLException, IOException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS public." + tickets + ", public." + audit);
        }
        Files.deleteIfExists(policy);
    }

    private static long count(String table) throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM public." + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection underTheBaseline(String principal, String purpose) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", TestDatabase.POSTGRESQL.user());
        p.setProperty("password", TestDatabase.POSTGRESQL.password());
        p.setProperty("governed.principal", principal);
        p.setProperty("governed.kind", "service");
        if (purpose != null) {
            p.setProperty("governed.purpose", purpose);
        }
        return DriverManager.getConnection(TestDatabase.POSTGRESQL.governedUrl(), p);
    }

    @Test
    void aWriteOfATableWithARuleIsRefusedUnlessEveryRoutineMayBeCalled() throws SQLException {
        String delete = "DELETE FROM " + tickets + " WHERE id = 1";
        try (Connection c = TestDatabase.POSTGRESQL.connectGoverned(policy, null, "clerks"); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute(delete)).isInstanceOf(GovernanceException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                    .hasMessageContaining("call on any routine, since which routines writing public." + tickets)
                    .hasMessageContaining("CREATE RULE");
        }
        try (Connection c = underTheBaseline("app", null); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute(delete)).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("call on any routine");
        }
        assertThat(count(tickets)).isEqualTo(2);
        assertThat(count(audit)).as("the rule did not run").isEqualTo(1);
        try (Connection c = underTheBaseline("schema-owner", "migration"); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate(delete)).isEqualTo(1);
        }
        assertThat(count(audit)).as("the rule ran for the migration identity").isZero();
    }
}
