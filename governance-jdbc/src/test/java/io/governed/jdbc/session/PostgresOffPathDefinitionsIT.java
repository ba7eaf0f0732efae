package io.governed.jdbc.session;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.sql.TableRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * The relation lookup finds every relation of a name, in every schema (the resolution of a name that may resolve to
 * several relations needs them all), but prints definitions (pg_get_viewdef, pg_get_expr, which read the relation with
 * a lock on it) only of those a statement can mean: of the schemas of the session's path, and of a schema a statement
 * names. A view of the table's name in a schema off the path, locked ACCESS EXCLUSIVE by another connection (a
 * migration replacing it), no longer makes the application's statement wait for it, or fail once its lock_timeout is
 * reached. A relation off the path that a statement names with its schema is still judged by its definitions.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresOffPathDefinitionsIT {
    private static final String APP = UniqueNames.of("pr_odf_app");
    private static final String OTHER = UniqueNames.of("pr_odf_other");
    private static final String TABLE = UniqueNames.of("pr_odf_t");
    private static final String KEEP = UniqueNames.of("pr_odf_keep");
    /** A view off the path over {@link #TABLE}, which a row filter restricts. */
    private static final String OVER = UniqueNames.of("pr_odf_over");
    /** A table off the path whose default changes the session, and one that runs nothing. */
    private static final String SETS = UniqueNames.of("pr_odf_sets");
    private static final String PLAIN = UniqueNames.of("pr_odf_plain");
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/" + TestDatabase.DATABASE + "?connectTimeout=5&currentSchema=";

    @TempDir
    static Path dir;
    private static Path appOnly;
    private static Path filtered;

    private Connection locker;

    @BeforeAll
    static void schemas() throws Exception {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + APP);
            s.execute("CREATE SCHEMA " + OTHER);
            s.execute("CREATE TABLE " + APP + "." + TABLE + " (id INT PRIMARY KEY)");
            s.execute("CREATE TABLE " + APP + "." + KEEP + " (id INT PRIMARY KEY)");
            s.execute("CREATE VIEW " + OTHER + "." + TABLE + " AS SELECT 1 AS id");
            s.execute("CREATE VIEW " + OTHER + "." + OVER + " AS SELECT id FROM " + APP + "." + TABLE);
            s.execute("CREATE TABLE " + OTHER + "." + SETS + " (id INT,"
                    + " note TEXT DEFAULT pg_catalog.set_config('pr_odf.note', 'set', false))");
            s.execute("CREATE TABLE " + OTHER + "." + PLAIN + " (id INT, note TEXT DEFAULT 'x')");
            s.execute("INSERT INTO " + APP + "." + TABLE + " VALUES (1), (2)");
        }
        appOnly = dir.resolve("app-only.yaml");
        Files.writeString(appOnly, """
                version: 1
                default: deny
                rules:
                  - id: the-application-schema
                    effect: permit
                    actions: [select, insert, set, show, transaction]
                    resources: ["%s.*"]
                """.formatted(APP));
        filtered = dir.resolve("filtered.yaml");
        Files.writeString(filtered, """
                version: 1
                default: deny
                rules:
                  - { id: all, effect: permit, actions: [select, insert, set, show, transaction], resources: ["*"] }
                row-filters:
                  - { id: only-one, tables: ["%s.%s"], filter: "id = 1" }
                """.formatted(APP, TABLE));
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + APP + ", " + OTHER + " CASCADE");
        }
    }

    @AfterEach
    void release() throws SQLException {
        if (locker != null) {
            locker.rollback();
            locker.close();
            locker = null;
        }
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection(URL + APP, "postgres", "");
    }

    private static Connection governed(Path policy) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", "");
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "pr-writer");
        p.setProperty("governed.kind", "service");
        return DriverManager.getConnection("jdbc:governed:" + URL.substring("jdbc:".length()) + APP, p);
    }

    /** Another session takes the view of the table's name off the path, as a migration replacing it would. */
    private void lockTheViewOffThePath() throws SQLException {
        locker = raw();
        locker.setAutoCommit(false);
        try (Statement s = locker.createStatement()) {
            s.execute("SET LOCAL lock_timeout = '10s'"); // a lock the application's session holds fails the test
            s.execute("LOCK TABLE " + OTHER + "." + TABLE + " IN ACCESS EXCLUSIVE MODE");
        }
    }

    private static String committedIds(String table) throws SQLException {
        try (Connection c = raw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT string_agg(id::text, ',' ORDER BY id) FROM " + APP + "." + table)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void insert(Connection c, String table, int id) throws SQLException {
        try (Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("INSERT INTO " + table + " VALUES (" + id + ")")).isEqualTo(1);
        }
    }

    @Test
    void aStatementNamingATableWhoseNamesakeViewOffThePathIsLockedIsDecidedAndRunsInTheTransaction() throws Exception {
        try (Connection raw = raw(); Statement s = raw.createStatement()) {
            s.execute("DELETE FROM " + APP + "." + TABLE + " WHERE id > 2");
            s.execute("TRUNCATE " + APP + "." + KEEP);
        }
        try (Connection c = governed(appOnly)) {
            c.setAutoCommit(false);
            insert(c, KEEP, 1);
            lockTheViewOffThePath();
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL lock_timeout = '20ms'"); // the session is read again: the lookup waits for no lock
            }
            // the policy needs to know where the unqualified name resolves: it is told, without the view off the path
            insert(c, TABLE, 3);
            insert(c, KEEP, 2);
            c.commit();
        }
        assertThat(committedIds(KEEP)).isEqualTo("1,2");
        assertThat(committedIds(TABLE)).isEqualTo("1,2,3");
    }

    @Test
    void theLookupStillFindsTheNamesakeOffThePathWithoutWaitingForItsLock() throws Exception {
        lockTheViewOffThePath();
        try (Connection c = raw(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET LOCAL lock_timeout = '20ms'");
            SessionReader.Reading reading = new PostgresSessionReader().read(() -> c);
            assertThat(((io.governed.sql.names.RelationLocator) reading).schemasHolding(TABLE)).as("every schema holding the name")
                    .containsExactlyInAnyOrder(APP, OTHER);
            assertThat(reading.runsNoCode(new TableRef(APP, TABLE), false)).isTrue();
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + TABLE)) {
                assertThat(rs.next()).isTrue(); // the transaction goes on
            }
            c.rollback();
        }
    }

    @Test
    void aRelationOffThePathNamedWithItsSchemaIsStillJudgedByItsDefinitions() throws Exception {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            SessionReader.Reading reading = new PostgresSessionReader().read(() -> c);
            assertThat(((io.governed.sql.names.RelationLocator) reading).schemasHolding(SETS)).containsExactly(OTHER);
            assertThat(reading.runsNoCode(new TableRef(OTHER, SETS), true)).as("its default sets a setting").isFalse();
            assertThat(reading.runsNoCode(new TableRef(OTHER, PLAIN), true)).as("its default is a constant").isTrue();
            assertThat(reading.names().viewDefinition(OTHER, OVER)).as("the view's definition")
                    .contains(TABLE);
        }
    }

    @Test
    void aViewOffThePathNamedWithItsSchemaOverARowFilteredTableIsRefused() throws Exception {
        try (Connection c = governed(filtered); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT id FROM " + OTHER + "." + OVER))
                    .isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("defined over a row-filtered table");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + TABLE)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("the filter applies to the table itself").isEqualTo(1);
            }
        }
    }
}
