package io.governed.jdbc.session;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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
 * The session's reading (the search path, then the relations of the names statements use, from pg_class and its
 * neighbours) runs on the application's own connection, inside its open transaction. A catalog query that fails there
 * must leave the transaction as it was: PostgreSQL aborts a transaction at its first failed statement, and the
 * application's next statement would fail with 25P02 for an error it did not cause, and its work would be lost.
 *
 * Made to fail deterministically: the relation lookup prints the definition of every view of the name it looks up in
 * the schemas of the session's path, which takes a lock on the view (pg_get_viewdef). Another connection holds an
 * ACCESS EXCLUSIVE lock on a view of the table's name in a schema later on the path, which the table's schema hides (a
 * migration replacing it, say), and the application's
 * transaction waits for no lock (SET LOCAL lock_timeout): the lookup fails with 55P03, while the application's own
 * statements, which never touch that view, succeed. The lock is taken after the application's transaction wrote
 * another table (a lookup of the view's name inside the transaction would hold a lock on the view until its end, which
 * the other connection would wait for). What the database kept is read back through a raw connection.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresSessionReadingInTransactionIT {
    private static final String APP = UniqueNames.of("sr_app");
    private static final String OTHER = UniqueNames.of("sr_other");
    private static final String TABLE = UniqueNames.of("sr_t");
    private static final String KEEP = UniqueNames.of("sr_keep");
    /** Named by one test only, so that no other's reading looked it up ahead. */
    private static final String FIRST = UniqueNames.of("sr_first");
    private static final String URL_AFTER_JDBC = "postgresql://127.0.0.1:5432/" + TestDatabase.DATABASE + "?connectTimeout=5&currentSchema=";

    @TempDir
    static Path dir;
    private static Path appOnly;

    /** Holds the lock on the other schema's view while a test wants the lookup to fail; {@code null} otherwise. */
    private Connection locker;

    @BeforeAll
    static void schemas() throws Exception {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + APP);
            s.execute("CREATE SCHEMA " + OTHER);
            s.execute("CREATE TABLE " + APP + "." + TABLE + " (id INT PRIMARY KEY)");
            s.execute("CREATE TABLE " + APP + "." + KEEP + " (id INT PRIMARY KEY)");
            s.execute("CREATE VIEW " + OTHER + "." + TABLE + " AS SELECT 1 AS id");
            s.execute("CREATE TABLE " + APP + "." + FIRST + " (id INT PRIMARY KEY)");
            s.execute("CREATE VIEW " + OTHER + "." + FIRST + " AS SELECT 1 AS id");
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
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + APP + " CASCADE");
            s.execute("DROP SCHEMA IF EXISTS " + OTHER + " CASCADE");
        }
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + APP + "." + TABLE + ", " + APP + "." + KEEP + ", " + APP + "." + FIRST);
        }
    }

    @AfterEach
    void unlock() throws SQLException {
        release();
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + URL_AFTER_JDBC + "public", "postgres", "");
    }

    private static Connection governed(String policy) throws SQLException {
        return governed(policy, "");
    }

    private static Connection governed(String policy, String urlSuffix) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", "");
        p.setProperty("governed.policy", policy);
        p.setProperty("governed.principal", "sr-writer");
        p.setProperty("governed.kind", "service");
        // the other schema's view is on the path, behind the table: its definition is read with the table's name
        return DriverManager.getConnection("jdbc:governed:" + URL_AFTER_JDBC + APP + "," + OTHER + urlSuffix, p);
    }

    /** Another session takes the view of the table's name in the other schema, as a migration replacing it would. */
    private void lockTheOtherView() throws SQLException {
        lockTheOtherView(TABLE);
    }

    private void lockTheOtherView(String name) throws SQLException {
        locker = raw();
        locker.setAutoCommit(false);
        try (Statement s = locker.createStatement()) {
            s.execute("SET LOCAL lock_timeout = '10s'"); // a lock the application's session holds fails the test
            s.execute("LOCK TABLE " + OTHER + "." + name + " IN ACCESS EXCLUSIVE MODE");
        }
    }

    private void release() throws SQLException {
        if (locker != null) {
            locker.rollback();
            locker.close();
            locker = null;
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

    /**
     * A governed connection whose session was first read outside a transaction (a first reading also looks up the
     * names other connections used, the view's among them), then outside auto-commit with two rows inserted into
     * {@link #KEEP}.
     */
    private static Connection inTransaction(String policy) throws SQLException {
        return inTransaction(policy, "");
    }

    private static Connection inTransaction(String policy, String urlSuffix) throws SQLException {
        Connection c = governed(policy, urlSuffix);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + KEEP)) {
            assertThat(rs.next()).isTrue();
        }
        c.setAutoCommit(false);
        insert(c, KEEP, 1);
        insert(c, KEEP, 2);
        return c;
    }

    /**
     * A caller a mask applies to: its statement's readings made as it runs (the search path, the lookup and the user
     * code) are sent in one round trip with the savepoint they run under set and released in it. The lookup fails
     * there: the server skips the rest of the round trip, the savepoint is rolled back to, and the application's rows
     * written before in the transaction stay, committed with the one written after.
     */
    @Test
    void aFailedReadingOfAMaskedCallerSentWithItsSavepointLeavesTheTransactionAsItWas() throws Exception {
        Path masked = dir.resolve("masked.yaml");
        Files.writeString(masked, """
                version: 1
                default: deny
                classification: { auto-detect: false, tags: { pii.secret: ["*.secret"] } }
                rules:
                  - id: the-application-schema
                    effect: permit
                    actions: [select, insert, set, show, transaction]
                    resources: ["%s.*"]
                masks:
                  - { id: mask-secret, columns: { tags: [pii.secret] }, function: redact }
                """.formatted(APP));
        try (Connection c = inTransaction(masked.toString())) {
            lockTheOtherView();
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL lock_timeout = '20ms'");
            }
            assertThatThrownBy(() -> insert(c, TABLE, 3))
                    .isInstanceOf(GovernanceException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                    .hasMessageNotContaining("current transaction is aborted");
            release();
            insert(c, KEEP, 4);
            c.commit();
        }
        assertThat(committedIds(KEEP)).as("the rows inserted before and after the refusal, committed together")
                .isEqualTo("1,2,4");
        assertThat(committedIds(TABLE)).as("the refused row").isNull();
    }

    @Test
    void aFailedLookupUnderAPolicyThatNeedsTheNameIsRefusedAndTheTransactionGoesOn() throws Exception {
        try (Connection c = inTransaction(appOnly.toString())) {
            lockTheOtherView();
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL lock_timeout = '20ms'"); // the session is read again: the lookup waits for no lock
            }
            // where the unqualified name resolves cannot be read: not decided on a guess, refused
            assertThatThrownBy(() -> insert(c, TABLE, 3))
                    .isInstanceOf(GovernanceException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                    .hasMessageNotContaining("current transaction is aborted");
            release();
            insert(c, KEEP, 4); // the application's transaction is still usable
            c.commit();
        }
        assertThat(committedIds(KEEP)).as("the rows inserted before and after the refusal, committed together")
                .isEqualTo("1,2,4");
        assertThat(committedIds(TABLE)).as("the refused row").isNull();
    }

    @Test
    void aFailedLookupLeavesAStatementThePolicyPermitsAnywayToRunInTheTransaction() throws Exception {
        try (Connection c = inTransaction(TestDatabase.PERMIT_ALL_POLICY)) {
            lockTheOtherView();
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL lock_timeout = '20ms'");
            }
            insert(c, TABLE, 3); // what the table runs when written cannot be read: it counts as running code, and runs
            release();
            insert(c, KEEP, 4);
            c.commit();
        }
        assertThat(committedIds(KEEP)).as("every row, committed together").isEqualTo("1,2,4");
        assertThat(committedIds(TABLE)).isEqualTo("3");
    }

    @Test
    void withPgjdbcsOwnSavepointAroundEveryQueryAFailedLookupLeavesTheTransactionUsableToo() throws Exception {
        try (Connection c = inTransaction(TestDatabase.PERMIT_ALL_POLICY, "&autosave=always")) {
            lockTheOtherView();
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL lock_timeout = '20ms'");
            }
            insert(c, TABLE, 3);
            release();
            insert(c, KEEP, 4);
            c.commit();
        }
        assertThat(committedIds(KEEP)).isEqualTo("1,2,4");
        assertThat(committedIds(TABLE)).isEqualTo("3");
    }

    @Test
    void aFailedLookupThatBeganTheTransactionOutsideAutoCommitLeavesNoAbortedTransactionBehind() throws Exception {
        try (Connection c = inTransaction(TestDatabase.PERMIT_ALL_POLICY)) {
            try (Statement s = c.createStatement()) {
                s.execute("SET lock_timeout = '20ms'");
            }
            c.commit();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + KEEP)) {
                assertThat(rs.next()).isTrue(); // the session read again after the SET, in this transaction
            }
            c.commit(); // nothing changed the session in it: the reading stands
            lockTheOtherView(FIRST);
            // the first statement of the next transaction looks its name up: pgjdbc begins the transaction with the lookup
            insert(c, FIRST, 3);
            release();
            insert(c, KEEP, 4);
            c.commit();
        }
        assertThat(committedIds(KEEP)).isEqualTo("1,2,4");
        assertThat(committedIds(FIRST)).isEqualTo("3");
    }

    @Test
    void aTransactionTheApplicationAbortedStillReportsItsOwnError() throws Exception {
        try (Connection c = inTransaction(TestDatabase.PERMIT_ALL_POLICY)) {
            assertThatThrownBy(() -> insert(c, KEEP, 1)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"));
            assertThatThrownBy(() -> {
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCAL lock_timeout = '20ms'"); // the session is to be read again
                }
            }).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25P02"));
            assertThatThrownBy(() -> insert(c, TABLE, 2)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25P02"));
            c.rollback();
            insert(c, KEEP, 5);
            c.commit();
        }
        assertThat(committedIds(KEEP)).isEqualTo("5");
    }
}
