package io.governed.jdbc.it;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL: a forbid of {@code drop} on {@code public."rf_a.b"} refuses every way of dropping or emptying that table
 * through the governed driver, although the parser splits {@code "rf_a.b"} into a schema and a table: an unqualified
 * dotted name is refused as read otherwise (saying to qualify or rename it), a qualified one is read whole and the
 * forbid applies. The table and its row are still there, read through a raw connection.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresQuotedDottedNameIT {
    private Path policy;

    @BeforeEach
    void table() throws SQLException, IOException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE public.\"rf_a.b\" (id int)");
            st.execute("INSERT INTO public.\"rf_a.b\" VALUES (1)");
        }
        policy = Files.createTempFile("rf-dotted", ".yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                  - { id: keep-dotted, effect: forbid, actions: [drop, truncate, delete, alter], resources: ['public."rf_a.b"'] }
                """);
    }

    @AfterEach
    void drop() throws SQLException, IOException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS public.\"rf_a.b\"");
        }
        Files.deleteIfExists(policy);
    }

    private Connection governed() throws SQLException {
        Properties settings = new Properties();
        settings.setProperty("governed.policy", policy.toString());
        return TestDatabase.POSTGRESQL.connectGoverned(settings);
    }

    private static long rawCount() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM public.\"rf_a.b\"")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "DROP TABLE \"rf_a.b\"",
            "DROP TABLE IF EXISTS \"rf_a.b\"",
            "DROP TABLE public.\"rf_a.b\"",
            "TRUNCATE \"rf_a.b\"",
            "TRUNCATE TABLE public.\"rf_a.b\"",
            "DELETE FROM \"rf_a.b\"",
            "ALTER TABLE \"rf_a.b\" RENAME TO rf_gone",
            "ALTER TABLE public.\"rf_a.b\" RENAME TO rf_gone",
    })
    void theForbidOnTheDottedNameHoldsHoweverItIsWritten(String sql) throws SQLException {
        try (Connection c = governed(); Statement st = c.createStatement()) {
            SQLException refused = null;
            try {
                st.execute(sql);
            } catch (SQLException e) {
                refused = e;
            }
            assertThat((Throwable) refused).as(sql).isInstanceOf(GovernanceException.class);
            assertThat(refused.getMessage()).as(sql).containsAnyOf("keep-dotted", "rename the object");
        }
        assertThat(rawCount()).as(sql).isEqualTo(1);
    }
}
