package io.governed.jdbc.it;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * Auto-detection reads the first rows of a base column itself (the driver's own query, never handed to the caller) to
 * classify a column a statement computes values from. On PostgreSQL that read runs inside the application's
 * transaction, and a failed statement aborts the transaction: the application's next statement would fail with 25P02
 * and its work would be lost. A transaction is open not only outside auto-commit but also when the application sends
 * BEGIN (or START TRANSACTION) as SQL while JDBC auto-commit stays on.
 *
 * Made to fail deterministically: the application reads its first rows of a view whose column fails to compute for
 * the rows after those (a division by zero, 22012); auto-detection's read of the column's first values reads past them
 * and fails, while every statement of the application's own succeeds.
 * What the database kept is read back through a raw connection; what the read handed out is read through every getter.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresSampleReadInTransactionIT {
    private static final TestDatabase DATABASE = TestDatabase.POSTGRESQL;
    private static final int ROWS = 30;
    /** The rows of the view whose value can be computed, and the rows the application reads. */
    private static final int FIRST_ROWS = 3;
    private final String suffix = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    private final String table = UniqueNames.of("pr_smp_t" + suffix);
    private final String view = UniqueNames.of("pr_smp_v" + suffix);
    private final String out = UniqueNames.of("pr_smp_out" + suffix);

    @TempDir
    Path dir;
    private Path policy;

    @BeforeEach
    void fixture() throws Exception {
        policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                default: deny
                classification: { auto-detect: true, tags: { pii.email: ["*.email"] } }
                rules:
                  - { id: app, effect: permit, principals: { groups: [app] }, actions: [select, insert, transaction, set], resources: ["*"] }
                masks:
                  - { id: mask-email, columns: { tags: [pii.email] }, function: email }
                """);
        try (Connection raw = DATABASE.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, reach text)");
            for (int i = 1; i <= ROWS; i++) {
                st.execute("INSERT INTO " + table + " VALUES (" + i + ", 'person.number" + i + "@example.org')");
            }
            // the value of every row after the first FIRST_ROWS cannot be computed (not a constant: planning folds none)
            st.execute("CREATE VIEW " + view + " AS SELECT id, CASE WHEN id <= " + FIRST_ROWS + " THEN reach"
                    + " ELSE (id / (id - id))::text END AS reach FROM " + table);
            st.execute("CREATE TABLE " + out + " (id int PRIMARY KEY)");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection raw = DATABASE.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP VIEW IF EXISTS " + view);
            st.execute("DROP TABLE IF EXISTS " + table);
            st.execute("DROP TABLE IF EXISTS " + out);
        }
    }

    private Connection asTheRole() throws SQLException {
        return DATABASE.connectGoverned(policy, null, "app");
    }

    private static void insert(Statement s, String table, int id) throws SQLException {
        assertThat(s.executeUpdate("INSERT INTO " + table + " VALUES (" + id + ")")).isEqualTo(1);
    }

    /**
     * Reads a value computed from the view's column (auto-detection samples the table's column for it), through every
     * getter; a refusal's messages instead of values. Returns what came out.
     */
    private List<String> readThroughTheView(Statement s) throws Exception {
        List<String> texts = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT replace(reach, '@', ' at ') AS r FROM " + view + " WHERE id <= "
                + FIRST_ROWS + " ORDER BY id")) {
            while (rs.next()) {
                texts.addAll(EveryGetter.of(rs, 1, "r").values());
            }
        } catch (SQLException refused) {
            texts.addAll(ExceptionTexts.of(refused));
        }
        return texts;
    }

    private static void assertNothingReadable(List<String> texts) {
        assertThat(texts).as("what the read handed out").isNotEmpty().allSatisfy(v -> assertThat(v)
                .as("an unread column's computed values are not handed out in clear").doesNotContain("person.number"));
    }

    private String committed() throws SQLException {
        try (Connection raw = DATABASE.connectRaw(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT string_agg(id::text, ',' ORDER BY id) FROM " + out)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"BEGIN", "START TRANSACTION", "BEGIN ISOLATION LEVEL READ COMMITTED"})
    void aFailedSampleReadInATransactionBlockOpenedBySqlInAutoCommitLeavesTheApplicationsTransactionUsable(String begin)
            throws Exception {
        try (Connection c = asTheRole(); Statement s = c.createStatement()) {
            assertThat(c.getAutoCommit()).isTrue();
            s.execute(begin);
            insert(s, out, 1);
            assertNothingReadable(readThroughTheView(s));
            insert(s, out, 2);
            insert(s, out, 3);
            s.execute("COMMIT");
        }
        assertThat(committed()).as("every row of the block, committed together").isEqualTo("1,2,3");
    }

    /**
     * A caller a mask applies to, in a REPEATABLE READ block opened by SQL: its first write is judged on a reading of the
     * catalog made beside the transaction (the one its own reading would see is the snapshot's, not the one the database
     * resolves names on); once the transaction has written, what it changed is not seen beside it, and the next
     * statement is refused before it reaches the database, saying how to run it; the block stays usable.
     */
    @Test
    void aMaskedCallersStatementsInARepeatableReadBlockAreRefusedOnceItWroteAndTheBlockStaysUsable() throws Exception {
        try (Connection c = asTheRole(); Statement s = c.createStatement()) {
            s.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            insert(s, out, 1);
            assertThatThrownBy(() -> insert(s, out, 2)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                    .hasMessageContaining("the transaction has written").hasMessageContaining("READ COMMITTED");
            s.execute("COMMIT");
            insert(s, out, 3);
        }
        assertThat(committed()).as("the refused row is not there, the next statement in auto-commit ran").isEqualTo("1,3");
    }

    @Test
    void aFailedSampleReadOutsideAutoCommitLeavesTheApplicationsTransactionUsable() throws Exception {
        try (Connection c = asTheRole(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            insert(s, out, 1);
            assertNothingReadable(readThroughTheView(s));
            insert(s, out, 2);
            insert(s, out, 3);
            c.commit();
        }
        assertThat(committed()).as("every row of the transaction, committed together").isEqualTo("1,2,3");
    }

    @Test
    void aFailedSampleReadInAutoCommitOutsideATransactionChangesNothingAndTheNextStatementsRun() throws Exception {
        try (Connection c = asTheRole(); Statement s = c.createStatement()) {
            insert(s, out, 1);
            assertNothingReadable(readThroughTheView(s));
            insert(s, out, 2);
        }
        assertThat(committed()).isEqualTo("1,2");
    }

    @Test
    void aTransactionBlockTheApplicationAbortedReadsNothingAndTheColumnStaysUnread() throws Exception {
        try (Connection c = asTheRole(); Statement s = c.createStatement()) {
            s.execute("BEGIN");
            insert(s, out, 1);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> insert(s, out, 1)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.executeQuery("SELECT replace(reach, '@', ' at ') FROM "
                    + view + " WHERE id <= " + FIRST_ROWS)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(ExceptionTexts.of(e)).as("what the refusal says").noneSatisfy(
                            t -> assertThat(t).contains("person.number")));
            s.execute("ROLLBACK");
            insert(s, out, 4);
            assertNothingReadable(readThroughTheView(s)); // still unread, still not handed out
        }
        assertThat(committed()).isEqualTo("4");
    }
}
