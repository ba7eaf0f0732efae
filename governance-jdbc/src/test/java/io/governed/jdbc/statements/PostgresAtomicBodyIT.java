package io.governed.jdbc.statements;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL routines with SQL-standard bodies ({@code BEGIN ATOMIC stmt; stmt; END}) as a Flyway migration writes
 * them, sent through the governed driver: a migration identity the rules permit to define code, though not to change
 * the rows the bodies change, defines them (read back, and called, through a raw connection): the bodies' statements are
 * run by calls, judged where a call runs them, not by the definition; a {@code DROP TABLE} after such a body in the same text is seen, and a forbid of drops
 * refuses the whole text (42501), so that neither the definition nor the drop runs.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresAtomicBodyIT {

    private static final String DB = "mf_db_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String URL = "postgresql://127.0.0.1:5432/" + DB + "?connectTimeout=5";

    /**
     * A Flyway-like versioned migration: a function and a procedure, each with several statements in its body. Flyway
     * sends each statement of a script on its own (the PostgreSQL driver sends a text holding a {@code BEGIN ATOMIC}
     * body and a further statement as one command, which the server refuses).
     */
    private static final String FUNCTION = """
            -- V2__audit_routines.sql
            CREATE OR REPLACE FUNCTION mf_app.mf_touch(p_id bigint)
                RETURNS bigint
                LANGUAGE sql
            BEGIN ATOMIC
                INSERT INTO mf_app.mf_log (item_id, note) VALUES (p_id, 'touched; END');
                UPDATE mf_app.mf_items SET touched = touched + 1 WHERE id = p_id;
                RETURN CASE WHEN p_id > 0 THEN p_id ELSE -p_id END /* END; */;
            END;
            """;
    private static final String PROCEDURE = """
            CREATE PROCEDURE mf_app.mf_reset(p_id bigint)
                LANGUAGE sql
            BEGIN ATOMIC
                DELETE FROM mf_app.mf_log WHERE item_id = p_id;
                UPDATE mf_app.mf_items SET touched = 0 WHERE id = p_id; -- END;
            END
            """;

    @BeforeAll
    static void database() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE DATABASE " + DB);
        }
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("CREATE SCHEMA mf_app");
            st.execute("CREATE TABLE mf_app.mf_items (id bigint PRIMARY KEY, touched int NOT NULL DEFAULT 0)");
            st.execute("CREATE TABLE mf_app.mf_log (item_id bigint, note text)");
            st.execute("CREATE TABLE mf_app.mf_victim (id int)");
            st.execute("INSERT INTO mf_app.mf_items VALUES (1, 0)");
            st.execute("INSERT INTO mf_app.mf_victim VALUES (1)");
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + URL, "postgres", "");
    }

    private static Connection as(String principal) throws SQLException, IOException {
        Path policy = Files.createTempFile("mf-atomic", ".yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                  - { id: no-drops, effect: forbid, actions: [drop], resources: ["*"] }
                  - id: no-row-changes
                    effect: forbid
                    actions: [insert, update, delete]
                    resources: ["mf_app.mf_items", "mf_app.mf_log"]
                """);
        policy.toFile().deleteOnExit();
        Properties settings = new Properties();
        settings.setProperty("user", "postgres");
        settings.setProperty("password", "");
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.principal", principal);
        settings.setProperty("governed.kind", "service");
        return DriverManager.getConnection("jdbc:governed:" + URL, settings);
    }

    private static List<String> rawRows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection raw = raw(); Statement st = raw.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private static List<String> routines() throws SQLException {
        return rawRows("SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                + "WHERE n.nspname = 'mf_app' ORDER BY 1");
    }

    @Test
    void aMigrationDefinesRoutinesWithSeveralStatementsInTheirBodies() throws Exception {
        try (Connection c = as("mf-migrator"); Statement st = c.createStatement()) {
            st.execute(FUNCTION);
            st.execute(PROCEDURE);
        }
        assertThat(routines()).contains("mf_touch", "mf_reset");
        // the bodies are whole: calling them runs every statement
        assertThat(rawRows("SELECT mf_app.mf_touch(1)")).containsExactly("1");
        assertThat(rawRows("SELECT touched FROM mf_app.mf_items WHERE id = 1")).containsExactly("1");
        assertThat(rawRows("SELECT note FROM mf_app.mf_log WHERE item_id = 1")).containsExactly("touched; END");
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("CALL mf_app.mf_reset(1)");
        }
        assertThat(rawRows("SELECT touched FROM mf_app.mf_items WHERE id = 1")).containsExactly("0");
        assertThat(rawRows("SELECT count(*) FROM mf_app.mf_log")).containsExactly("0");
    }

    @Test
    void aDropAfterABodyIsSeenAndAForbidRefusesTheText() throws Exception {
        for (String sql : new String[] {
                "CREATE FUNCTION mf_app.mf_hidden() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END; "
                        + "DROP TABLE mf_app.mf_victim",
                "CREATE FUNCTION mf_app.mf_hidden() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 'END;'; "
                        + "SELECT CASE WHEN true THEN 1 END; END;\n-- END\nDROP TABLE mf_app.mf_victim;",
                "CREATE FUNCTION mf_app.mf_hidden() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; "
                        + "DROP TABLE mf_app.mf_victim"}) {
            try (Connection c = as("mf-migrator"); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(e.getMessage())
                                .isEqualTo("42501"));
            }
        }
        assertThat(rawRows("SELECT count(*) FROM mf_app.mf_victim")).containsExactly("1");
        assertThat(routines()).doesNotContain("mf_hidden");
    }
}
