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
 * PostgreSQL renames a migration writes (ALTER VIEW, MATERIALIZED VIEW, INDEX, SEQUENCE, SCHEMA … RENAME TO) and
 * CREATE TABLE … INHERITS (schema.parent): a migration identity the mask exempts runs them through the governed driver
 * (read back in the catalog through a raw connection); a caller the mask applies to is refused the rename of a view a
 * pattern names, and a schema rename, with 42501 naming the mask, and the names stay as they were.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresRenameFormsIT {

    private static final String SSN = "219-45-6789";
    private static final String DB = "pf_db_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String URL = "postgresql://127.0.0.1:5432/" + DB + "?connectTimeout=5";

    @BeforeAll
    static void database() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE DATABASE " + DB);
        }
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("CREATE SCHEMA pf_app");
            st.execute("CREATE SCHEMA pf_other");
            st.execute("CREATE TABLE pf_app.customers (id int PRIMARY KEY, ssn text)");
            st.execute("INSERT INTO pf_app.customers VALUES (1, '" + SSN + "')");
            st.execute("CREATE VIEW pf_app.customer_view AS SELECT id, ssn FROM pf_app.customers");
            st.execute("CREATE VIEW pf_app.clear_view AS SELECT id FROM pf_app.customers");
            st.execute("CREATE VIEW pf_app.migrated_view AS SELECT id, ssn FROM pf_app.customers");
            st.execute("CREATE MATERIALIZED VIEW pf_app.ids AS SELECT id FROM pf_app.customers");
            st.execute("CREATE INDEX pf_ssn_idx ON pf_app.customers (ssn)");
            st.execute("CREATE SEQUENCE pf_app.pf_seq");
            st.execute("CREATE TABLE pf_other.notes (id int)");
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

    private static Connection as(String principal, String kind) throws SQLException, IOException {
        Path policy = Files.createTempFile("pf-renames", ".yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                masks:
                  - id: hide-ssn
                    columns: { patterns: ["pf_app.customers.ssn", "pf_app.customer_view.ssn"] }
                    function: redact
                    unless: { names: [pf-migrator] }
                """);
        policy.toFile().deleteOnExit();
        Properties settings = new Properties();
        settings.setProperty("user", "postgres");
        settings.setProperty("password", "");
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.principal", principal);
        settings.setProperty("governed.kind", kind);
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

    private static List<String> relationsOf(String schema) throws SQLException {
        return rawRows("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '"
                + schema + "' ORDER BY 1");
    }

    @Test
    void aCallerTheMaskAppliesToIsRefusedRenamingWhatAPatternNames() throws Exception {
        for (String sql : new String[] {"ALTER VIEW pf_app.customer_view RENAME TO pf_cv",
                "ALTER VIEW IF EXISTS pf_app.customer_view /* c */ RENAME TO pf_cv",
                "ALTER SCHEMA pf_app RENAME TO pf_app_old"}) {
            try (Connection c = as("pf-analyst", "human"); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(e.getMessage()).isEqualTo("42501"))
                        .hasMessageContaining("hide-ssn").hasMessageNotContaining("unparseable").hasMessageNotContaining(SSN);
            }
        }
        assertThat(relationsOf("pf_app")).contains("customer_view").doesNotContain("pf_cv");
        assertThat(rawRows("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'pf_app%'")).containsExactly("pf_app");
        // an analyst renames a view no pattern names
        try (Connection c = as("pf-analyst", "human"); Statement st = c.createStatement()) {
            st.execute("ALTER VIEW pf_app.clear_view RENAME TO pf_clear2");
        }
        assertThat(relationsOf("pf_app")).contains("pf_clear2").doesNotContain("clear_view");
    }

    @Test
    void aMigrationRunsEachFormAndTheCatalogShowsIt() throws Exception {
        try (Connection c = as("pf-migrator", "service"); Statement st = c.createStatement()) {
            st.execute("ALTER MATERIALIZED VIEW pf_app.ids RENAME TO pf_ids2");
            st.execute("ALTER INDEX pf_app.pf_ssn_idx RENAME TO pf_ssn_idx2");
            st.execute("ALTER SEQUENCE IF EXISTS pf_app.pf_seq RENAME TO pf_seq2");
            st.execute("ALTER VIEW pf_app.migrated_view RENAME TO pf_mv_m");
            st.execute("CREATE TABLE pf_app.pf_kid () INHERITS (pf_app.customers)");
            st.execute("ALTER SCHEMA pf_other RENAME TO pf_other2");
        }
        assertThat(relationsOf("pf_app")).contains("pf_ids2", "pf_ssn_idx2", "pf_seq2", "pf_mv_m", "pf_kid")
                .doesNotContain("ids", "pf_ssn_idx", "pf_seq", "migrated_view");
        assertThat(rawRows("SELECT inhparent::regclass::text FROM pg_inherits WHERE inhrelid = 'pf_app.pf_kid'::regclass"))
                .containsExactly("pf_app.customers");
        assertThat(rawRows("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'pf_other%'")).containsExactly("pf_other2");
        assertThat(relationsOf("pf_other2")).containsExactly("notes");
        // the masked caller reads the child's and the parent's rows masked
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("INSERT INTO pf_app.pf_kid VALUES (2, '" + SSN + "')");
        }
        try (Connection c = as("pf-analyst", "human"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT ssn FROM pf_app.customers ORDER BY id")) {
            while (rs.next()) {
                assertThat(rs.getString(1)).isNotEqualTo(SSN);
                assertThat(String.valueOf(rs.getObject(1))).doesNotContain("6789");
            }
        }
    }
}
