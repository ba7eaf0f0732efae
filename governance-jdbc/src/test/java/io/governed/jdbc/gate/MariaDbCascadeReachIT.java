package io.governed.jdbc.gate;

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
 * MariaDB reads {@code CASCADE} after {@code DROP TABLE} and {@code DROP VIEW} and ignores it: the views over a table
 * dropped stay (invalid), and a table other tables' foreign keys reference is not dropped. The gate judges the
 * statement as naming what it names: a clerk permitted to drop the table drops it, under a forbid of dropping the view
 * over it, and the view is still there, read through a raw connection.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbCascadeReachIT {
    private final String lone = UniqueNames.of("csc_lone");
    private final String view = UniqueNames.of("csc_lone_v");
    private final String customers = UniqueNames.of("csc_customers");
    private final String orders = UniqueNames.of("csc_orders");
    private Path policy;

    @BeforeEach
    void objects() throws SQLException, IOException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute(sql("CREATE TABLE {L} (id int PRIMARY KEY, name varchar(20))"));
            st.execute(sql("CREATE VIEW {V} AS SELECT id, name FROM {L}"));
            st.execute(sql("CREATE TABLE {C} (id int PRIMARY KEY) ENGINE=InnoDB"));
            st.execute(sql("CREATE TABLE {O} (id int PRIMARY KEY, customer_id int, FOREIGN KEY (customer_id)"
                    + " REFERENCES {C} (id)) ENGINE=InnoDB"));
            st.execute(sql("INSERT INTO {C} VALUES (1)"));
            st.execute(sql("INSERT INTO {O} VALUES (10, 1)"));
        }
        policy = Files.createTempFile("mariadb-cascade-reach", ".yaml");
        Files.writeString(policy, sql("""
                version: 1
                default: deny
                rules:
                  - { id: clerks-named, effect: permit, principals: { groups: [clerks] }, actions: ["*"],
                      resources: ["{L}", "{C}"] }
                  - { id: keep-dependents, effect: forbid, actions: [drop, alter, delete, truncate],
                      resources: ["{V}", "{O}"] }
                """));
    }

    @AfterEach
    void drop() throws SQLException, IOException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute(sql("DROP VIEW IF EXISTS {V}"));
            st.execute(sql("DROP TABLE IF EXISTS {O}, {C}, {L}"));
        }
        Files.deleteIfExists(policy);
    }

    private String sql(String template) {
        return template.replace("{L}", lone).replace("{V}", view).replace("{C}", customers).replace("{O}", orders);
    }

    private String left() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery(sql("SELECT group_concat(table_name ORDER BY table_name)"
                     + " FROM information_schema.TABLES WHERE table_schema = DATABASE() AND table_name IN"
                     + " ('{L}', '{V}', '{C}', '{O}')"))) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void cascadeIsIgnoredSoTheDropReachesWhatItNamesOnly() throws SQLException {
        try (Connection c = TestDatabase.MARIADB.connectGoverned(policy, null, "clerks"); Statement st = c.createStatement()) {
            st.execute(sql("DROP TABLE {L} CASCADE"));
            // a referenced table is not dropped, CASCADE or not
            assertThatThrownBy(() -> st.execute(sql("DROP TABLE {C} CASCADE"))).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isNotEqualTo("42501"));
        }
        assertThat(left()).isEqualTo(String.join(",", java.util.stream.Stream.of(customers, view, orders).sorted()
                .toList()));
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery(sql("SELECT count(*) FROM {O}"))) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }
}
