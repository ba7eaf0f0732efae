package io.governed.jdbc.it;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
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
 * On PostgreSQL, the migration forms the parser cannot read and the analysis reads from their tokens: a foreign key and
 * a check added {@code NOT VALID} and validated later, a deferrable foreign key, {@code ALTER INDEX … ATTACH PARTITION}
 * and {@code SET TABLESPACE}, {@code CREATE SEQUENCE IF NOT EXISTS}, {@code DROP INDEX CONCURRENTLY}. The governed migration identity runs them and a
 * raw connection sees their effect; an analyst the policy does not permit schema changes is refused each, and an AI
 * agent planting a routine call in the application's table through a {@code NOT VALID} check is refused; the catalog,
 * read through a raw connection, shows nothing changed.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@ServerWide("tablespaces")
class PostgresMigrationFormsIT {
    private static final String URL = "postgresql://127.0.0.1:5432/" + TestDatabase.DATABASE + "?connectTimeout=5";
    private static final String POLICY = "classpath:policies/mf-migration-forms.yaml";

    /** The migration, statement by statement, as Flyway would run it. */
    private static final List<String> MIGRATION = List.of(
            "ALTER TABLE mf_app.orders ADD CONSTRAINT mf_orders_user FOREIGN KEY (user_id) REFERENCES mf_app.users (id) NOT VALID",
            "ALTER TABLE mf_app.orders VALIDATE CONSTRAINT mf_orders_user",
            "ALTER TABLE mf_app.orders ADD CONSTRAINT mf_total CHECK (total >= 0) NOT VALID",
            "ALTER TABLE mf_app.orders ADD CONSTRAINT mf_orders_buyer FOREIGN KEY (buyer_id) REFERENCES mf_app.users (id)"
                    + " DEFERRABLE INITIALLY DEFERRED",
            "ALTER INDEX mf_app.mf_meas_idx ATTACH PARTITION mf_app.mf_meas_2024_idx",
            "ALTER INDEX mf_app.mf_meas_idx SET TABLESPACE pg_default",
            "CREATE SEQUENCE IF NOT EXISTS mf_app.mf_order_seq START WITH 1000",
            "DROP INDEX CONCURRENTLY IF EXISTS mf_app.mf_orders_total_idx");

    @BeforeAll
    static void reachable() {
        TestDatabase.POSTGRESQL.requireReachable();
    }

    @BeforeEach
    void schema() throws Exception {
        dropSchema();
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("CREATE SCHEMA mf_app");
            st.execute("CREATE TABLE mf_app.users (id int PRIMARY KEY, name text)");
            st.execute("CREATE TABLE mf_app.orders (id int PRIMARY KEY, user_id int, buyer_id int, total int)");
            st.execute("INSERT INTO mf_app.users VALUES (1, 'Ann')");
            st.execute("INSERT INTO mf_app.orders VALUES (1, 1, 1, 10)");
            st.execute("CREATE TABLE mf_app.customers (id int PRIMARY KEY, name text, ssn text)");
            st.execute("CREATE FUNCTION mf_app.mf_log_it(v text) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$");
            st.execute("CREATE TABLE mf_app.meas (id int, y int) PARTITION BY RANGE (y)");
            st.execute("CREATE TABLE mf_app.meas_2024 PARTITION OF mf_app.meas FOR VALUES FROM (2024) TO (2025)");
            st.execute("CREATE INDEX mf_meas_idx ON ONLY mf_app.meas (id)");
            st.execute("CREATE INDEX mf_meas_2024_idx ON mf_app.meas_2024 (id)");
            st.execute("CREATE INDEX mf_orders_total_idx ON mf_app.orders (total)");
        }
        Thread.sleep(1100); // the driver's catalog readings are cached about a second
    }

    @AfterEach
    void dropSchema() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS mf_app CASCADE");
        }
    }

    private static Connection raw() throws SQLException {
        return TestDatabase.POSTGRESQL.connectRaw();
    }

    private static Connection governed(String principal, String kind) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", "");
        p.setProperty("governed.policy", POLICY);
        p.setProperty("governed.principal", principal);
        p.setProperty("governed.kind", kind);
        if (kind.equals("agent")) {
            p.setProperty("governed.on-behalf-of", "ann");
        }
        return DriverManager.getConnection("jdbc:governed:" + URL, p);
    }

    private static String constraints() throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection raw = raw(); Statement st = raw.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT conname, convalidated, condeferrable, condeferred FROM pg_constraint c"
                        + " JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'mf_app'"
                        + " AND contype IN ('f', 'c') ORDER BY conname")) {
            while (rs.next()) {
                out.append(rs.getString(1)).append(rs.getBoolean(2) ? " valid" : " not-valid")
                        .append(rs.getBoolean(3) ? " deferrable" : "").append(rs.getBoolean(4) ? " deferred" : "")
                        .append(';');
            }
        }
        return out.toString();
    }

    private static boolean indexAttached() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT count(*) FROM pg_inherits WHERE inhrelid = 'mf_app.mf_meas_2024_idx'::regclass"
                        + " AND inhparent = 'mf_app.mf_meas_idx'::regclass")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    private static boolean sequenceExists() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT to_regclass('mf_app.mf_order_seq') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static boolean totalIndexExists() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT to_regclass('mf_app.mf_orders_total_idx') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    @Test
    void theMigrationIdentityRunsTheMigration() throws SQLException {
        try (Connection c = governed("mf-migrator", "service"); Statement st = c.createStatement()) {
            for (String sql : MIGRATION) {
                st.execute(sql);
            }
        }
        assertThat(constraints()).isEqualTo(
                "mf_orders_buyer valid deferrable deferred;mf_orders_user valid;mf_total not-valid;");
        assertThat(indexAttached()).isTrue();
        assertThat(sequenceExists()).isTrue();
        assertThat(totalIndexExists()).isFalse();
    }

    @Test
    void anAnalystNotPermittedSchemaChangesIsRefusedEachAndNothingChanges() throws SQLException {
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
        assertThat(constraints()).isEmpty();
        assertThat(indexAttached()).isFalse();
        assertThat(sequenceExists()).isFalse();
        assertThat(totalIndexExists()).isTrue();
    }

    @Test
    void anAgentPlantingARoutineCallThroughANotValidCheckIsRefused() throws SQLException {
        String sql = "ALTER TABLE mf_app.customers ADD CONSTRAINT mf_grab CHECK (mf_app.mf_log_it(ssn)) NOT VALID";
        try (Connection c = governed("bot", "agent"); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute(sql)).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("42501");
                assertThat(e.getMessage()).contains("mask-ssn", "runs later in other sessions' statements");
            });
            // a check calling no routine is the agent's to add, as the same check without NOT VALID is
            st.execute("ALTER TABLE mf_app.customers ADD CONSTRAINT mf_named CHECK (name <> '') NOT VALID");
        }
        assertThat(constraints()).isEqualTo("mf_named not-valid;");
    }
}
