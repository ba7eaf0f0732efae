package io.governed.jdbc.gate;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * On the real servers, whose catalogs print the views' definitions (pg_get_viewdef, information_schema.VIEWS), a forbid
 * on a table holds for the views over it, at two levels of views, for reading and for writing through an updatable
 * view; the table, read raw, shows what the view holds and that nothing changed. A view over another table stays
 * readable.
 */
class ViewRulesIT {

    abstract static class OnServer {
        final String salaries = UniqueNames.of("vr_salaries");
        final String orders = UniqueNames.of("vr_orders");
        Path policy;

        abstract TestDatabase database();

        @BeforeEach
        void tables() throws SQLException, IOException {
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                st.execute("CREATE TABLE " + salaries + " (id INT PRIMARY KEY, amount INT)");
                st.execute("INSERT INTO " + salaries + " VALUES (1, 91000), (2, 87000)");
                st.execute("CREATE TABLE " + orders + " (id INT PRIMARY KEY, total INT)");
                st.execute("INSERT INTO " + orders + " VALUES (1, 10)");
                st.execute("CREATE VIEW " + salaries + "_pay AS SELECT id, amount FROM " + salaries);
                st.execute("CREATE VIEW " + salaries + "_sum AS SELECT sum(amount) AS total FROM " + salaries + "_pay");
                st.execute("CREATE VIEW " + orders + "_view AS SELECT id, total FROM " + orders);
            }
            policy = Files.createTempFile("view-rules", ".yaml");
            Files.writeString(policy, """
                    version: 1
                    rules:
                      - { id: everything, effect: permit, actions: ["*"], resources: ["*"] }
                      - { id: no-salaries-for-agents, effect: forbid, actions: [select, update],
                          resources: ["*.%s"], principals: { kinds: [agent] } }
                    """.formatted(salaries));
        }

        @AfterEach
        void drop() throws SQLException, IOException {
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP VIEW " + salaries + "_sum");
                st.execute("DROP VIEW " + salaries + "_pay");
                st.execute("DROP VIEW " + orders + "_view");
                st.execute("DROP TABLE " + salaries);
                st.execute("DROP TABLE " + orders);
            }
            Files.deleteIfExists(policy);
        }

        Connection agent() throws SQLException {
            Properties settings = new Properties();
            settings.setProperty("governed.policy", policy.toString());
            settings.setProperty("governed.principal", "report-bot");
            settings.setProperty("governed.kind", "agent");
            settings.setProperty("governed.on-behalf-of", "ann");
            return database().connectGoverned(settings);
        }

        void assertRefused(String sql) throws SQLException {
            try (Connection c = agent(); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql)
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("no-salaries-for-agents")
                        .hasMessageContaining("beneath view")
                        .hasMessageNotContaining("91000")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            }
        }

        @Test
        void anAgentBarredFromATableReachesItThroughNoView() throws SQLException {
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement();
                 ResultSet rs = st.executeQuery("SELECT total FROM " + salaries + "_sum")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("the view, read raw").isEqualTo(178000);
            }
            assertRefused("SELECT * FROM " + salaries + "_pay");
            assertRefused("SELECT total FROM " + salaries + "_sum");
            assertRefused("UPDATE " + salaries + "_pay SET amount = 0 WHERE id = 1");
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement();
                 ResultSet rs = st.executeQuery("SELECT amount FROM " + salaries + " WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("nothing changed, read raw").isEqualTo(91000);
            }
        }

        @Test
        void aViewOverAnotherTableStaysReadable() throws SQLException {
            try (Connection c = agent(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT total FROM " + orders + "_view")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(10);
            }
        }
    }

    @Nested
    @RequiresDatabase(TestDatabase.POSTGRESQL)
    class PostgreSql extends OnServer {
        @Override
        TestDatabase database() {
            return TestDatabase.POSTGRESQL;
        }
    }

    @Nested
    @RequiresDatabase(TestDatabase.MARIADB)
    class MariaDb extends OnServer {
        @Override
        TestDatabase database() {
            return TestDatabase.MARIADB;
        }
    }
}
