package io.governed.jdbc.gate;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On MariaDB and H2, as on PostgreSQL ({@link PostgresForeignKeyCascadeIT}), deleting a customer deletes its orders
 * ({@code ON DELETE CASCADE}) and clears its notes' reference ({@code ON DELETE SET NULL}), and changing its key changes
 * its orders' ({@code ON UPDATE CASCADE}): a clerk permitted to write customers but not the referencing tables is
 * refused (42501, naming the table and the action), and the tables hold what they held, read through a raw connection;
 * a caller permitted every table deletes, and the database cascades.
 */
class ForeignKeyCascadeIT {

    @Nested
    @RequiresDatabase(TestDatabase.MARIADB)
    class OnMariaDb {
        @Test
        void writesThatCascadeNeedPermitsOnTheTablesTheyReach() throws Exception {
            new Scenario(TestDatabase.MARIADB, false).run();
        }
    }

    @Nested
    @RequiresDatabase(TestDatabase.H2)
    class OnH2 {
        @Test
        void writesThatCascadeNeedPermitsOnTheTablesTheyReach() throws Exception {
            new Scenario(TestDatabase.H2, true).run();
        }
    }

    private static final class Scenario {
        private final TestDatabase database;
        /** Names as the database stores them (H2 folds unquoted names to upper case). */
        private final String customers;
        private final String orders;
        private final String notes;

        Scenario(TestDatabase database, boolean upper) {
            this.database = database;
            this.customers = stored(UniqueNames.of("fk_customers"), upper);
            this.orders = stored(UniqueNames.of("fk_orders"), upper);
            this.notes = stored(UniqueNames.of("fk_notes"), upper);
        }

        private static String stored(String name, boolean upper) {
            return upper ? name.toUpperCase(Locale.ROOT) : name;
        }

        private String sql(String template) {
            return template.replace("{C}", customers).replace("{O}", orders).replace("{N}", notes);
        }

        void run() throws Exception {
            try (Connection raw = database.connectRaw(); Statement st = raw.createStatement()) {
                st.execute(sql("CREATE TABLE {C} (id INT PRIMARY KEY, name VARCHAR(20))"));
                st.execute(sql("CREATE TABLE {O} (id INT PRIMARY KEY, customer_id INT, FOREIGN KEY (customer_id)"
                        + " REFERENCES {C} (id) ON DELETE CASCADE ON UPDATE CASCADE)"));
                st.execute(sql("CREATE TABLE {N} (id INT PRIMARY KEY, customer_id INT, FOREIGN KEY (customer_id)"
                        + " REFERENCES {C} (id) ON DELETE SET NULL)"));
                st.execute(sql("INSERT INTO {C} VALUES (1, 'ann'), (2, 'bob')"));
                st.execute(sql("INSERT INTO {O} VALUES (10, 1), (20, 2)"));
                st.execute(sql("INSERT INTO {N} VALUES (100, 1)"));
            }
            Path policy = Files.createTempFile("fk-cascades", ".yaml");
            try {
                Files.writeString(policy, sql("""
                        version: 1
                        default: deny
                        rules:
                          - { id: clerks-customers, effect: permit, principals: { groups: [clerks] },
                              actions: [select, insert, update, delete], resources: ["{C}"] }
                          - { id: order-clerks, effect: permit, principals: { groups: [order-clerks] },
                              actions: [delete], resources: ["{O}"] }
                          - { id: note-clerks, effect: permit, principals: { groups: [note-clerks] },
                              actions: [update], resources: ["{N}"] }
                          - { id: managers, effect: permit, principals: { groups: [managers] },
                              actions: [select, insert, update, delete], resources: ["{C}", "{O}", "{N}"] }
                        """));
                try (Connection c = database.connectGoverned(policy, null, "clerks"); Statement st = c.createStatement()) {
                    refused(st, sql("DELETE FROM {C} WHERE id = 1"), "whose rows the database", "when the statement"
                            + " writes", customers);
                    refused(st, sql("UPDATE {C} SET id = 3 WHERE id = 2"), sql("update on "), orders);
                }
                try (Connection c = database.connectGoverned(policy, null, "clerks", "note-clerks");
                     Statement st = c.createStatement()) {
                    refused(st, sql("DELETE FROM {C} WHERE id = 1"), sql("delete on "), sql("{O}, whose rows the"
                            + " database deletes through a foreign key's ON DELETE CASCADE"));
                }
                try (Connection c = database.connectGoverned(policy, null, "clerks", "order-clerks");
                     Statement st = c.createStatement()) {
                    refused(st, sql("DELETE FROM {C} WHERE id = 1"), sql("update on "), sql("{N}, whose rows the"
                            + " database updates through a foreign key's referential action"));
                }
                assertThat(rows()).isEqualTo("1,2 10:1,20:2 100:1");
                try (Connection c = database.connectGoverned(policy, null, "managers"); Statement st = c.createStatement()) {
                    assertThat(st.executeUpdate(sql("DELETE FROM {C} WHERE id = 1"))).isEqualTo(1);
                }
                assertThat(rows()).as("the database cascaded").isEqualTo("2 20:2 100:-");
            } finally {
                Files.deleteIfExists(policy);
                try (Connection raw = database.connectRaw(); Statement st = raw.createStatement()) {
                    st.execute(sql("DROP TABLE IF EXISTS {N}"));
                    st.execute(sql("DROP TABLE IF EXISTS {O}"));
                    st.execute(sql("DROP TABLE IF EXISTS {C}"));
                }
            }
        }

        private static void refused(Statement st, String statement, String... fragments) {
            assertThatThrownBy(() -> st.execute(statement)).as(statement).isInstanceOf(GovernanceException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                    .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
        }

        private String rows() throws SQLException {
            return column("SELECT id FROM {C} ORDER BY id") + " " + column("SELECT id, customer_id FROM {O} ORDER BY id")
                    + " " + column("SELECT id, customer_id FROM {N} ORDER BY id");
        }

        private String column(String query) throws SQLException {
            StringBuilder out = new StringBuilder();
            try (Connection raw = database.connectRaw(); Statement st = raw.createStatement();
                 ResultSet rs = st.executeQuery(sql(query))) {
                while (rs.next()) {
                    out.append(out.length() == 0 ? "" : ",").append(rs.getString(1));
                    if (rs.getMetaData().getColumnCount() > 1) {
                        out.append(':').append(rs.getString(2) == null ? "-" : rs.getString(2));
                    }
                }
            }
            return out.toString();
        }
    }
}
