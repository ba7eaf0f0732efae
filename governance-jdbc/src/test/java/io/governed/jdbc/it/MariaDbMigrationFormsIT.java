package io.governed.jdbc.it;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On MariaDB, the migration forms the parser cannot read and the analysis reads from their tokens: {@code DROP FOREIGN
 * KEY} and {@code ALTER ONLINE TABLE} (a column added). The governed migration
 * identity runs them and a raw connection sees their effect; an analyst the policy does not permit schema changes is
 * refused each and the catalog shows nothing changed. {@code ALTER IGNORE TABLE} stays refused to everyone.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbMigrationFormsIT {
    private static final String URL = "mariadb://127.0.0.1:3306/" + TestDatabase.DATABASE + "?connectTimeout=5000";
    private static final String POLICY = "classpath:policies/mf-migration-forms.yaml";

    private static final List<String> MIGRATION = List.of(
            "ALTER TABLE mf_orders DROP FOREIGN KEY mf_fk_user",
            // (a rename cannot run online: the server refuses ALTER ONLINE TABLE … RENAME TO itself)
            "ALTER ONLINE TABLE mf_orders ADD COLUMN mf_note VARCHAR(20)");

    @BeforeAll
    static void reachable() {
        TestDatabase.MARIADB.requireReachable();
    }

    @BeforeEach
    void tables() throws Exception {
        dropTables();
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE mf_users (id INT PRIMARY KEY, email VARCHAR(40)) ENGINE=InnoDB");
            st.execute("CREATE TABLE mf_orders (id INT PRIMARY KEY, user_id INT,"
                    + " CONSTRAINT mf_fk_user FOREIGN KEY (user_id) REFERENCES mf_users (id)) ENGINE=InnoDB");
            st.execute("CREATE TABLE mf_moved (id INT)");
            st.execute("INSERT INTO mf_users VALUES (1, 'a@x'), (2, 'a@x')");
        }
        Thread.sleep(1100); // the driver's catalog readings are cached about a second
    }

    @AfterEach
    void dropTables() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS mf_orders, mf_users, mf_moved, mf_renamed");
        }
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + URL, "root", "");
    }

    private static Connection governed(String principal, String kind) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "root");
        p.setProperty("password", "");
        p.setProperty("governed.policy", POLICY);
        p.setProperty("governed.principal", principal);
        p.setProperty("governed.kind", kind);
        return DriverManager.getConnection("jdbc:governed:" + URL, p);
    }

    /** The foreign keys and columns of mf_orders, the name of mf_moved, the count of mf_users. */
    private static String catalog() throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT constraint_name FROM information_schema.referential_constraints"
                    + " WHERE constraint_schema = '" + TestDatabase.DATABASE + "' AND table_name = 'mf_orders' ORDER BY 1")) {
                while (rs.next()) {
                    out.append("fk ").append(rs.getString(1)).append(';');
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT column_name FROM information_schema.columns"
                    + " WHERE table_schema = '" + TestDatabase.DATABASE + "' AND table_name = 'mf_orders' ORDER BY ordinal_position")) {
                while (rs.next()) {
                    out.append(rs.getString(1)).append(';');
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT table_schema, table_name FROM information_schema.tables"
                    + " WHERE table_name IN ('mf_moved', 'mf_renamed') ORDER BY 1, 2")) {
                while (rs.next()) {
                    out.append(rs.getString(2)).append(" in ").append(rs.getString(1)).append(';');
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM mf_users")) {
                rs.next();
                out.append(rs.getInt(1)).append(" users");
            }
        }
        return out.toString();
    }

    @Test
    void theMigrationIdentityRunsTheMigration() throws SQLException {
        try (Connection c = governed("mf-migrator", "service"); Statement st = c.createStatement()) {
            for (String sql : MIGRATION) {
                st.execute(sql);
            }
        }
        assertThat(catalog()).isEqualTo("id;user_id;mf_note;mf_moved in " + TestDatabase.DATABASE + ";2 users");
    }

    @Test
    void anAnalystNotPermittedSchemaChangesIsRefusedEachAndNothingChanges() throws SQLException {
        String before = catalog();
        assertThat(before).isEqualTo("fk mf_fk_user;id;user_id;mf_moved in " + TestDatabase.DATABASE + ";2 users");
        try (Connection c = governed("ann", "human"); Statement st = c.createStatement()) {
            for (String sql : MIGRATION) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql)
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).as(sql).isEqualTo("42501");
                            assertThat(e.getMessage()).as(sql).contains("schema-by-migration")
                                    .doesNotContain("could not be parsed");
                        });
            }
        }
        assertThat(catalog()).isEqualTo(before);
    }

    @Test
    void alterIgnoreTableWhichDeletesDuplicateRowsStaysRefusedToEveryone() throws SQLException {
        String before = catalog();
        try (Connection c = governed("mf-migrator", "service"); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute("ALTER IGNORE TABLE mf_users ADD UNIQUE INDEX mf_uq (email)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42501");
                        assertThat(e.getMessage()).contains("could not be parsed");
                    });
        }
        assertThat(catalog()).isEqualTo(before);
    }
}
