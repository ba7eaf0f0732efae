package io.governed.jdbc.corpus;

import io.governed.identity.Identity;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A refcursor a routine the caller may call opens on the server: its rows reach the caller as a result set of their
 * own, through {@code getObject}, with no statement text the gate could read. Its columns are masked as the driver's
 * metadata names them, a view's column traced through the view's definition; and its rows are handed out only when
 * the caller may read the tables they come from. Cursor commands in SQL text ({@code FETCH}, {@code MOVE},
 * {@code CLOSE}, {@code DECLARE}) are refused.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresRefcursorReadsIT {
    private static final TestDatabase DB = TestDatabase.POSTGRESQL;
    private static final String SSN = "219-45-6789";
    private static final String NOTE = "vault note 7731-LOVELACE";
    private static final Identity ANALYST = Identity.builder("ann").groups("analysts").build();

    @BeforeAll
    void fixture() throws SQLException {
        dropEverything();
        try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE refcursor_people (id int PRIMARY KEY, name text, email text, ssn text)");
            s.execute("INSERT INTO refcursor_people VALUES (1, 'Ada', 'ada.lovelace@example.org', '" + SSN + "')");
            s.execute("CREATE VIEW refcursor_people_view AS SELECT id, reverse(ssn) AS backwards, "
                    + "replace(ssn, '-', '') AS digits, ssn AS tax_ref FROM refcursor_people");
            s.execute("CREATE SCHEMA refcursor_vault");
            s.execute("CREATE TABLE refcursor_vault.notes (id int PRIMARY KEY, body text)");
            s.execute("INSERT INTO refcursor_vault.notes VALUES (1, '" + NOTE + "')");
            s.execute("CREATE FUNCTION refcursor_reads_view() RETURNS refcursor LANGUAGE plpgsql AS $$ DECLARE c refcursor; "
                    + "BEGIN OPEN c FOR SELECT id, backwards, digits, tax_ref FROM refcursor_people_view; RETURN c; END $$");
            s.execute("CREATE FUNCTION refcursor_reads_vault() RETURNS refcursor LANGUAGE plpgsql AS $$ DECLARE c refcursor; "
                    + "BEGIN OPEN c FOR SELECT id, body FROM refcursor_vault.notes; RETURN c; END $$");
            s.execute("CREATE FUNCTION refcursor_reads_both() RETURNS SETOF refcursor LANGUAGE plpgsql AS $$ "
                    + "DECLARE a refcursor; b refcursor; BEGIN OPEN a FOR SELECT id, ssn FROM refcursor_people; RETURN NEXT a; "
                    + "OPEN b FOR SELECT p.id, n.body FROM refcursor_people p JOIN refcursor_vault.notes n ON n.id = p.id; "
                    + "RETURN NEXT b; END $$");
            s.execute("CREATE TABLE refcursor_orders (id int PRIMARY KEY, tenant_id text, total numeric)");
            s.execute("INSERT INTO refcursor_orders VALUES (1, 't1', 10), (2, 't2', 77777)");
            s.execute("CREATE FUNCTION refcursor_reads_orders() RETURNS refcursor LANGUAGE plpgsql AS $$ DECLARE c refcursor; "
                    + "BEGIN OPEN c FOR SELECT id, tenant_id, total FROM refcursor_orders; RETURN c; END $$");
            s.execute("CREATE FUNCTION refcursor_reads_named() RETURNS refcursor LANGUAGE plpgsql AS $$ "
                    + "DECLARE c refcursor := 'refcursor_named'; BEGIN OPEN c FOR SELECT ssn FROM refcursor_people; RETURN c; END $$");
            // the same cursors opened with EXECUTE: these bodies are not read, and the policy declares (wrongly) that
            // they reach no table, so a call of them is permitted and only the cursor's own check stands
            s.execute("CREATE FUNCTION refcursor_dyn_vault() RETURNS refcursor LANGUAGE plpgsql AS $$ DECLARE c refcursor; "
                    + "BEGIN OPEN c FOR EXECUTE 'SELECT id, body FROM refcursor_vault.notes'; RETURN c; END $$");
            s.execute("CREATE FUNCTION refcursor_dyn_both() RETURNS SETOF refcursor LANGUAGE plpgsql AS $$ "
                    + "DECLARE a refcursor; b refcursor; BEGIN OPEN a FOR EXECUTE 'SELECT id, ssn FROM refcursor_people'; "
                    + "RETURN NEXT a; OPEN b FOR EXECUTE 'SELECT p.id, n.body FROM refcursor_people p JOIN refcursor_vault.notes n"
                    + " ON n.id = p.id'; RETURN NEXT b; END $$");
            s.execute("CREATE FUNCTION refcursor_dyn_orders() RETURNS refcursor LANGUAGE plpgsql AS $$ DECLARE c refcursor; "
                    + "BEGIN OPEN c FOR EXECUTE 'SELECT id, tenant_id, total FROM refcursor_orders'; RETURN c; END $$");
        }
    }

    @AfterAll
    void dropEverything() throws SQLException {
        try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP FUNCTION IF EXISTS refcursor_reads_view(), refcursor_reads_vault(), refcursor_reads_both(), "
                    + "refcursor_reads_named(), refcursor_reads_orders(), refcursor_dyn_vault(), refcursor_dyn_both(), "
                    + "refcursor_dyn_orders()");
            s.execute("DROP VIEW IF EXISTS refcursor_people_view");
            s.execute("DROP TABLE IF EXISTS refcursor_people, refcursor_orders");
            s.execute("DROP SCHEMA IF EXISTS refcursor_vault CASCADE");
        }
    }

    /** A connection under the refcursor policy as {@code principal} of {@code groups}. */
    private static Connection governed(String principal, String groups) throws SQLException {
        return governed(principal, groups, new Properties());
    }

    private static Connection governed(String principal, String groups, Properties p) throws SQLException {
        p.setProperty("user", DB.user());
        p.setProperty("password", DB.password());
        p.setProperty("governed.policy", "classpath:policies/refcursor-policy.yaml");
        p.setProperty("governed.principal", principal);
        p.setProperty("governed.groups", groups);
        return DriverManager.getConnection(DB.governedUrl(), p);
    }

    /** Every getter's text of every row of each cursor {@code query} returns, read in one transaction. */
    private static List<String> cursorRows(Connection c, String query) throws SQLException {
        c.setAutoCommit(false);
        List<String> seen = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                try (ResultSet cursor = (ResultSet) rs.getObject(1)) {
                    seen.addAll(EveryGetter.ofAllRows(cursor));
                }
            }
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
        return seen;
    }

    @Test
    void aViewsColumnsComputedFromAMaskedColumnAreMaskedInACursor() throws SQLException {
        try (Connection analyst = governed("ann", "analysts")) {
            List<String> seen = cursorRows(analyst, "SELECT refcursor_reads_view()");
            assertThat(seen).isNotEmpty();
            assertThat(String.join("\n", seen))
                    .doesNotContain(SSN).doesNotContain(new StringBuilder(SSN).reverse().toString())
                    .doesNotContain(SSN.replace("-", "")).doesNotContain("219-45").doesNotContain("54-912");
            assertThat(seen).contains("1.tax_ref.getString=*******6789");
        }
    }

    @Test
    void aCallWhoseBodyOpensACursorOverATableTheCallerMayNotReadIsRefusedAtTheCall() throws SQLException {
        try (Connection analyst = governed("ann", "analysts")) {
            for (String call : List.of("SELECT refcursor_reads_vault()", "SELECT * FROM refcursor_reads_both()")) {
                assertThatThrownBy(() -> cursorRows(analyst, call))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("No rule permits select on refcursor_vault.notes, which the body of routine")
                        .hasMessageNotContaining(NOTE)
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            }
        }
    }

    @Test
    void aCursorOverATableTheCallerMayNotReadIsRefused() throws SQLException {
        try (Connection analyst = governed("ann", "analysts")) {
            assertThatThrownBy(() -> cursorRows(analyst, "SELECT refcursor_dyn_vault()"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("refcursor_vault.notes")
                    .hasMessageContaining("not handed out")
                    .hasMessageNotContaining(NOTE)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            try (Statement s = analyst.createStatement()) {
                assertThatThrownBy(() -> s.executeQuery("SELECT body FROM refcursor_vault.notes"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("refcursor_vault.notes");
            }
        }
    }

    @Test
    void theRefusalOfACursorIsAuditedAsTheSelectItAmountsToWithoutItsValues(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path log = dir.resolve("audit.jsonl");
        Properties audited = new Properties();
        audited.setProperty("governed.audit", "jsonl:" + log);
        try (Connection analyst = governed("ann", "analysts", audited)) {
            assertThatThrownBy(() -> cursorRows(analyst, "SELECT refcursor_dyn_vault()")).isInstanceOf(SQLException.class);
        }
        String denied = "";
        for (int wait = 0; wait < 50 && denied.isEmpty(); wait++) {
            denied = java.nio.file.Files.exists(log) ? java.nio.file.Files.readAllLines(log).stream()
                    .filter(line -> line.contains("\"decision\":\"deny\"")).findFirst().orElse("") : "";
            if (denied.isEmpty()) {
                Thread.sleep(100);
            }
        }
        assertThat(denied).contains("refcursor_vault.notes").contains("\"principal\":\"ann\"").doesNotContain(NOTE);
    }

    @Test
    void aCursorJoiningATableTheCallerMayNotReadIsRefusedWhileTheOtherKeepsItsMasks() throws SQLException {
        try (Connection analyst = governed("ann", "analysts")) {
            analyst.setAutoCommit(false);
            try (Statement s = analyst.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM refcursor_dyn_both()")) {
                assertThat(rs.next()).isTrue();
                try (ResultSet people = (ResultSet) rs.getObject(1)) {
                    assertThat(people.next()).isTrue();
                    assertThat(people.getString("ssn")).isEqualTo("*******6789");
                }
                assertThat(rs.next()).isTrue();
                assertThatThrownBy(() -> rs.getObject(1))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("refcursor_vault.notes")
                        .hasMessageNotContaining(NOTE);
            } finally {
                analyst.rollback();
            }
        }
    }

    @Test
    void aCursorOfAResultReadInAnAnalystsScopeIsRefusedAfterTheScopeEnds() throws Exception {
        try (Connection dba = governed("back-office", "dba")) {
            dba.setAutoCommit(false);
            try (Statement s = dba.createStatement()) {
                ResultSet rs = IdentityContext.runAs(ANALYST, () -> s.executeQuery("SELECT refcursor_dyn_vault()"));
                assertThat(rs.next()).isTrue();
                assertThatThrownBy(() -> rs.getObject(1))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("refcursor_vault.notes")
                        .hasMessageNotContaining(NOTE);
            } finally {
                dba.rollback();
            }
        }
    }

    @Test
    void anIdentityThatMayReadTheTableReadsTheCursorAsItsMasksSay() throws SQLException {
        try (Connection dba = governed("back-office", "dba")) {
            assertThat(cursorRows(dba, "SELECT refcursor_reads_vault()")).contains("1.body.getString=" + NOTE);
            assertThat(cursorRows(dba, "SELECT refcursor_reads_view()")).contains("1.tax_ref.getString=*******6789");
        }
    }

    @Test
    void aCursorOverARowFilteredTableIsRefusedSinceTheDatabaseFilteredNoneOfItsRows() throws SQLException {
        Properties tenant = new Properties();
        tenant.setProperty("governed.attribute.tenant", "t1");
        try (Connection analyst = governed("ann", "analysts", tenant)) {
            try (Statement s = analyst.createStatement(); ResultSet rs = s.executeQuery("SELECT id, total FROM refcursor_orders")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.next()).isFalse();
            }
            assertThatThrownBy(() -> cursorRows(analyst, "SELECT refcursor_reads_orders()"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("refcursor-tenant-isolation")
                    .hasMessageContaining("the filter rewrites the statement, not the routine's body")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            assertThatThrownBy(() -> cursorRows(analyst, "SELECT refcursor_dyn_orders()"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("refcursor-tenant-isolation")
                    .hasMessageContaining("the database filtered none of its rows")
                    .hasMessageNotContaining("77777")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
        }
        Properties support = new Properties();
        support.setProperty("governed.attribute.tenant", "t1");
        try (Connection supporter = governed("sue", "analysts,support", support)) {
            assertThat(cursorRows(supporter, "SELECT refcursor_reads_orders()")).contains("2.total.getString=77777");
        }
    }

    @Test
    void aCursorNamedInAnArrayTheApplicationCreatedIsRefusedBeforeTheDriverFetchesIt() throws SQLException {
        try (Connection analyst = governed("ann", "analysts")) {
            analyst.setAutoCommit(false);
            try (Statement s = analyst.createStatement()) {
                try (ResultSet opened = s.executeQuery("SELECT refcursor_reads_named()")) {
                    assertThat(opened.next()).isTrue(); // the cursor is open; its column is never read
                }
                java.sql.Array names = analyst.createArrayOf("refcursor", new Object[]{"refcursor_named"});
                List<String> seen = new ArrayList<>();
                try (ResultSet elements = names.getResultSet()) {
                    assertThat(elements.next()).isTrue();
                    seen.addAll(EveryGetter.of(elements, 2, "VALUE").values());
                    seen.addAll(EveryGetter.of(elements, 2, "value").values());
                    assertThatThrownBy(() -> elements.getObject(2))
                            .isInstanceOf(SQLException.class)
                            .hasMessageContaining("createArrayOf")
                            .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
                    assertThatThrownBy(() -> elements.getObject(2, ResultSet.class)).isInstanceOf(SQLException.class);
                }
                assertThat(String.join("\n", seen)).doesNotContain(SSN).doesNotContain("219-45");
                // refused before the driver fetched (and closed) it: the statement that opened it can still read it
                try (ResultSet again = s.executeQuery("SELECT 'refcursor_named'::refcursor")) {
                    assertThat(again.next()).isTrue();
                    try (ResultSet cursor = (ResultSet) again.getObject(1)) {
                        assertThat(cursor.next()).isTrue();
                        assertThat(cursor.getString(1)).isEqualTo("*******6789");
                    }
                }
            } finally {
                analyst.rollback();
            }
        }
    }

    @Test
    void aCursorNamedByTheCallerInAQueryIsReadAsTheQueryItAmountsTo() throws SQLException {
        try (Connection analyst = governed("ann", "analysts")) {
            analyst.setAutoCommit(false);
            try (Statement s = analyst.createStatement();
                 java.sql.PreparedStatement named = analyst.prepareStatement("SELECT ?::refcursor")) {
                try (ResultSet opened = s.executeQuery("SELECT refcursor_dyn_vault(), refcursor_reads_named()")) {
                    assertThat(opened.next()).isTrue();
                }
                named.setString(1, "refcursor_named");
                try (ResultSet rs = named.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(EveryGetter.text(rs.getObject(1))).isEqualTo("*******6789|");
                }
                named.setString(1, "<unnamed portal 1>");
                try (ResultSet rs = named.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThatThrownBy(() -> rs.getObject(1))
                            .isInstanceOf(SQLException.class)
                            .hasMessageContaining("refcursor_vault.notes")
                            .hasMessageNotContaining(NOTE);
                }
            } catch (Exception e) {
                throw e instanceof SQLException sql ? sql : new SQLException(e);
            } finally {
                analyst.rollback();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"FETCH ALL IN refcursor_named", "FETCH NEXT FROM refcursor_named", "MOVE 1 IN refcursor_named",
            "CLOSE refcursor_named", "DECLARE refcursor_own CURSOR FOR SELECT ssn FROM refcursor_people",
            "DECLARE refcursor_own CURSOR WITH HOLD FOR SELECT ssn FROM refcursor_people"})
    void cursorCommandsInSqlTextAreRefused(String command) throws SQLException {
        try (Connection analyst = governed("ann", "analysts")) {
            analyst.setAutoCommit(false);
            try (Statement s = analyst.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT refcursor_reads_named()")) {
                    rs.next();
                    assertThat(rs.getObject(1, org.postgresql.util.PGobject.class).getValue()).isEqualTo("refcursor_named");
                }
                assertThatThrownBy(() -> s.execute(command))
                        .isInstanceOf(SQLException.class)
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            } finally {
                analyst.rollback();
            }
        }
    }
}
