package io.governed.jdbc.rowfilter;

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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On PostgreSQL: a view over a row-filtered table, in a schema off the session's path, whose definition the driver's
 * catalog lookup cannot read. The session first names a table of the same name on its path (so the view's name is
 * looked up without its definition), then a migration's raw connection holds an ACCESS EXCLUSIVE lock on the filtered
 * table (which printing the view's definition waits for) while the session's {@code lock_timeout} is short, and the
 * caller reads the view by its qualified name: the second lookup, for the view's own schema, fails. A definition not
 * read is not "no view": the statement is refused (42501, naming the filter and what could not be read), nothing is
 * sent to the database; once the lock is gone, the view is refused as a view over the filtered table.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresRowFilterUnreadViewIT {
    private final String schema = UniqueNames.of("sx_rfx");
    private final String orders = UniqueNames.of("sx_rf_orders");
    private final String view = UniqueNames.of("sx_rf_v");
    private Path policy;

    @BeforeEach
    void fixture() throws SQLException, IOException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
            st.execute("CREATE TABLE public." + orders + " (id int, tenant text)");
            st.execute("INSERT INTO public." + orders + " VALUES (1, 'a'), (2, 'b')");
            st.execute("CREATE VIEW " + schema + "." + view + " AS SELECT id, tenant FROM public." + orders);
            st.execute("CREATE TABLE public." + view + " (id int)");
        }
        policy = Files.createTempFile("sx-rf-unread", ".yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                row-filters:
                  - id: tenant-isolation
                    tables: [%s]
                    filter: "tenant = :identity.tenant"
                """.formatted(orders));
    }

    @AfterEach
    void drop() throws SQLException, IOException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            st.execute("DROP TABLE IF EXISTS public." + view);
            st.execute("DROP TABLE IF EXISTS public." + orders + " CASCADE");
        }
        Files.deleteIfExists(policy);
    }

    @Test
    void aViewWhoseDefinitionCouldNotBeReadIsRefusedToTheFilteredCaller() throws SQLException {
        try (Connection c = TestDatabase.POSTGRESQL.connectGoverned(policy, "a"); Statement st = c.createStatement()) {
            st.execute("SET lock_timeout = '300ms'");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + view)) { // public's table of that name
                rs.next();
            }
            try (Connection migration = TestDatabase.POSTGRESQL.connectRaw(); Statement m = migration.createStatement()) {
                migration.setAutoCommit(false);
                m.execute("LOCK TABLE public." + orders + " IN ACCESS EXCLUSIVE MODE");
                assertThatThrownBy(() -> st.executeQuery("SELECT tenant FROM " + schema + "." + view))
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(e.getMessage()).isEqualTo("42501"))
                        .hasMessageContaining("tenant-isolation")
                        .hasMessageContaining("could not be read from the catalog")
                        .hasMessageContaining("nothing was sent to the database");
                migration.rollback();
            }
            assertThatThrownBy(() -> st.executeQuery("SELECT tenant FROM " + schema + "." + view))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                    .hasMessageContaining("tenant-isolation").hasMessageContaining("defined over a row-filtered table");
        }
    }
}
