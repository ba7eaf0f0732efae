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
 * PostgreSQL's {@code ALTER VIEW|MATERIALIZED VIEW … RENAME COLUMN} and {@code ALTER VIEW|MATERIALIZED VIEW|SEQUENCE …
 * SET SCHEMA}, as a migration writes them, through the governed driver: a migration identity the mask exempts runs each
 * (read back in the catalog through a raw connection); a caller the mask applies to is refused renaming the masked
 * column of a view, and moving that view to another schema, with 42501 naming the mask, and the catalog is unchanged.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresRenameColumnAndSetSchemaIT {

    private static final String SSN = "219-45-6789";
    private static final String DB = "mf_db_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String URL = "postgresql://127.0.0.1:5432/" + DB + "?connectTimeout=5";

    @BeforeAll
    static void database() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE DATABASE " + DB);
        }
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("CREATE SCHEMA mf_app");
            st.execute("CREATE SCHEMA mf_other");
            st.execute("CREATE TABLE mf_app.customers (id int PRIMARY KEY, ssn text, note text)");
            st.execute("INSERT INTO mf_app.customers VALUES (1, '" + SSN + "', 'n')");
            st.execute("CREATE VIEW mf_app.customer_view AS SELECT id, ssn FROM mf_app.customers");
            st.execute("CREATE VIEW mf_app.notes_view AS SELECT id, note FROM mf_app.customers");
            st.execute("CREATE MATERIALIZED VIEW mf_app.ids AS SELECT id FROM mf_app.customers");
            st.execute("CREATE VIEW mf_app.moved_view AS SELECT id FROM mf_app.customers");
            st.execute("CREATE SEQUENCE mf_app.mf_seq");
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
        Path policy = Files.createTempFile("mf-renames", ".yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                masks:
                  - id: hide-ssn
                    columns: { patterns: ["mf_app.customers.ssn", "mf_app.customer_view.ssn"] }
                    function: redact
                    unless: { names: [mf-migrator] }
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

    private static List<String> columnsOf(String relation) throws SQLException {
        return rawRows("SELECT attname FROM pg_attribute WHERE attrelid = '" + relation + "'::regclass AND attnum > 0 "
                + "ORDER BY attnum");
    }

    @Test
    void aCallerTheMaskAppliesToIsRefusedRenamingOrMovingTheMaskedView() throws Exception {
        for (String sql : new String[] {"ALTER VIEW mf_app.customer_view RENAME COLUMN ssn TO tax_id",
                "ALTER VIEW IF EXISTS mf_app.customer_view SET SCHEMA mf_other"}) {
            try (Connection c = as("mf-analyst", "human"); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(e.getMessage()).isEqualTo("42501"))
                        .hasMessageContaining("hide-ssn").hasMessageNotContaining("unparseable").hasMessageNotContaining(SSN);
            }
        }
        assertThat(columnsOf("mf_app.customer_view")).containsExactly("id", "ssn");
        assertThat(relationsOf("mf_other")).doesNotContain("customer_view");
    }

    @Test
    void aMigrationRunsEachFormAndTheCatalogShowsIt() throws Exception {
        try (Connection c = as("mf-migrator", "service"); Statement st = c.createStatement()) {
            st.execute("ALTER VIEW mf_app.notes_view RENAME COLUMN note TO remark");
            st.execute("ALTER MATERIALIZED VIEW IF EXISTS mf_app.ids RENAME COLUMN id TO ident");
            st.execute("ALTER VIEW mf_app.moved_view SET SCHEMA mf_other");
            st.execute("ALTER SEQUENCE mf_app.mf_seq SET SCHEMA mf_other");
            st.execute("ALTER MATERIALIZED VIEW mf_app.ids SET SCHEMA mf_other");
        }
        assertThat(columnsOf("mf_app.notes_view")).containsExactly("id", "remark");
        assertThat(columnsOf("mf_other.ids")).containsExactly("ident");
        assertThat(relationsOf("mf_other")).contains("moved_view", "mf_seq", "ids");
        assertThat(relationsOf("mf_app")).doesNotContain("moved_view", "mf_seq", "ids");
    }
}
