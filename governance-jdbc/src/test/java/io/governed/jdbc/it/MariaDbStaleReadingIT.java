package io.governed.jdbc.it;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On MariaDB, a masked analyst's governed connection has read a relation (a view's definition, a table's kind); another
 * session changes it so that a clear column holds the SSN: it replaces the view in place ({@code CREATE OR REPLACE
 * VIEW}), makes it read another table, puts a view in the place of the table under the table's name, or writes the view
 * in a {@code sql_mode} that reads quotes and {@code ||} otherwise. The analyst's next statements, at once, plain, kept and
 * run by name, must give no SSN in clear through any getter, and still be served.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbStaleReadingIT {
    private static final String CLEAR = "123-45";
    private static final String POLICY = """
            version: 1
            default: deny
            classification: { auto-detect: false, tags: { pii.ssn: ["*.ssn"] } }
            rules:
              - { id: read, effect: permit, principals: { kinds: [agent] }, actions: [select], resources: ["*"] }
              - { id: by-name, effect: permit, principals: { kinds: [agent] }, actions: [select, execute], resources: ["*"], when: { traits: [dynamic-sql] } }
            masks:
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4 }
            """;
    @TempDir
    Path dir;

    @BeforeEach
    void tables() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP VIEW IF EXISTS frs_v, frs_staff");
            st.execute("DROP TABLE IF EXISTS frs_people, frs_staff, frs_staff_old, frs_secret");
            st.execute("CREATE TABLE frs_staff (id int PRIMARY KEY, name varchar(40), ssn varchar(40))");
            st.execute("INSERT INTO frs_staff VALUES (1, 'Ann', '123-45-6789')");
            st.execute("CREATE TABLE frs_secret (id int PRIMARY KEY, tax varchar(40))");
            st.execute("INSERT INTO frs_secret VALUES (1, '123-45-6789')");
            st.execute("CREATE TABLE frs_people (id int PRIMARY KEY, name varchar(40), ssn varchar(40))");
            st.execute("INSERT INTO frs_people VALUES (1, 'Ann', '123-45-6789')");
            st.execute("CREATE VIEW frs_v AS SELECT id, name, ssn FROM frs_people");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP VIEW IF EXISTS frs_v, frs_staff");
            st.execute("DROP TABLE IF EXISTS frs_people, frs_staff, frs_staff_old, frs_secret");
        }
    }

    private Connection analyst() throws Exception {
        Path policy = dir.resolve("stale.yaml");
        Files.writeString(policy, POLICY);
        Properties p = new Properties();
        p.setProperty("user", "root");
        p.setProperty("password", "");
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "ann");
        p.setProperty("governed.kind", "agent");
        return DriverManager.getConnection("jdbc:governed:" + TestDatabase.MARIADB.rawUrl().substring("jdbc:".length()), p);
    }

    /** The analyst's connection over a session whose {@code sql_mode} is {@code sqlMode}. */
    private Connection analyst(String sqlMode) throws Exception {
        Path policy = dir.resolve("stale.yaml");
        Files.writeString(policy, POLICY);
        Connection raw = TestDatabase.MARIADB.connectRaw();
        try (Statement st = raw.createStatement()) {
            st.execute("SET SESSION sql_mode = '" + sqlMode + "'");
        }
        io.governed.jdbc.Governance governance = io.governed.jdbc.Governance.builder()
                .policy(io.governed.policy.load.PolicyLoader.fromString("stale.yaml", POLICY)).withoutAudit()
                .defaultIdentity(io.governed.identity.Identity.builder("ann").kind(io.governed.identity.IdentityKind.AGENT)
                        .build()).build();
        return new io.governed.jdbc.wrapper.GovernedConnection(raw, governance, null, io.governed.sql.Dialect.MARIADB);
    }

    /** What another session runs. */
    private static void other(String... statements) throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement other = raw.createStatement()) {
            for (String statement : statements) {
                other.execute(statement);
            }
        }
    }

    /** The first row's {@code name} column as a raw connection reads {@code relation}: the attack put the SSN there. */
    private static String rawName(String relation) throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM " + relation + " WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    /** Every getter of every row of a kept statement's run. */
    private static List<String> seen(java.sql.PreparedStatement kept) {
        List<String> seen = new ArrayList<>();
        try {
            kept.setInt(1, 1);
            try (ResultSet rs = kept.executeQuery()) {
                seen.addAll(EveryGetter.ofAllRows(rs));
            }
        } catch (SQLException refused) {
            seen.addAll(ExceptionTexts.of(refused));
        }
        return seen;
    }

    private static List<String> seen(Connection c, String sql) {
        List<String> seen = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            seen.addAll(EveryGetter.ofAllRows(rs));
        } catch (SQLException refused) {
            seen.addAll(ExceptionTexts.of(refused));
        }
        return seen;
    }

    @Test
    void aViewReplacedInPlaceIsSeenAtOnce() throws Exception {
        try (Connection c = analyst(); Statement st = c.createStatement()) {
            assertThat(seen(c, "SELECT id, name, ssn FROM frs_v")).contains("1.name.getString=Ann")
                    .noneMatch(s -> s.contains(CLEAR));
            st.execute("PREPARE frs_p FROM 'SELECT id, name FROM frs_v'");
            assertThat(seen(c, "EXECUTE frs_p")).contains("1.name.getString=Ann");
            try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement other = raw.createStatement()) {
                other.execute("CREATE OR REPLACE VIEW frs_v AS SELECT id, ssn AS name, name AS ssn FROM frs_people");
            }
            List<String> executed = seen(c, "EXECUTE frs_p");
            List<String> plain = seen(c, "SELECT id, name FROM frs_v");
            org.assertj.core.api.SoftAssertions.assertSoftly(soft -> {
                soft.assertThat(executed).as("EXECUTE frs_p").noneMatch(s -> s.contains(CLEAR));
                soft.assertThat(plain).as("the plain statement").noneMatch(s -> s.contains(CLEAR));
            });
        }
    }

    /** A table replaced by a view of its name, whose {@code name} column is the SSN: a kept and a plain statement. */
    @Test
    void aTableReplacedByAViewOfItsNameIsSeenAtOnce() throws Exception {
        try (Connection c = analyst();
             java.sql.PreparedStatement kept = c.prepareStatement("SELECT id, name FROM frs_staff WHERE id = ?")) {
            assertThat(seen(kept)).contains("1.name.getString=Ann");
            assertThat(seen(kept)).contains("1.name.getString=Ann");
            other("RENAME TABLE frs_staff TO frs_staff_old",
                    "CREATE VIEW frs_staff AS SELECT id, ssn AS name, name AS ssn FROM frs_staff_old");
            assertThat(rawName("frs_staff")).isEqualTo("123-45-6789");
            List<String> fromKept = seen(kept);
            List<String> plain = seen(c, "SELECT id, name FROM frs_staff");
            org.assertj.core.api.SoftAssertions.assertSoftly(soft -> {
                soft.assertThat(fromKept).as("the kept statement").noneMatch(s -> s.contains(CLEAR))
                        .anyMatch(s -> s.startsWith("1.name.getString=") && s.endsWith("6789"));
                soft.assertThat(plain).as("the plain statement").noneMatch(s -> s.contains(CLEAR))
                        .anyMatch(s -> s.startsWith("1.name.getString=") && s.endsWith("6789"));
            });
        }
    }

    /** A view replaced so that it reads a table no statement of the session named, whose SSN it shows as a name. */
    @Test
    void aViewMadeToReadAnotherTableIsSeenAtOnce() throws Exception {
        other("DROP TABLE frs_secret", "CREATE TABLE frs_secret (id int PRIMARY KEY, ssn varchar(40))",
                "INSERT INTO frs_secret VALUES (1, '123-45-6789')");
        try (Connection c = analyst();
             java.sql.PreparedStatement kept = c.prepareStatement("SELECT id, name FROM frs_v WHERE id = ?")) {
            assertThat(seen(kept)).contains("1.name.getString=Ann");
            assertThat(seen(kept)).contains("1.name.getString=Ann");
            other("CREATE OR REPLACE VIEW frs_v AS SELECT s.id, s.ssn AS name, p.name AS ssn"
                    + " FROM frs_secret s JOIN frs_people p ON p.id = s.id");
            assertThat(rawName("frs_v")).isEqualTo("123-45-6789");
            List<String> fromKept = seen(kept);
            assertThat(fromKept).noneMatch(s -> s.contains(CLEAR))
                    .anyMatch(s -> s.startsWith("1.name.getString=") && s.endsWith("6789"));
        }
    }

    /**
     * The view replaced by a session reading {@code "…"} as names and {@code ||} as concatenation, its clear column
     * {@code "ssn" || ''} (a value made of the SSN: redacted); the analyst's own session in that mode too, where the
     * driver's reading runs.
     */
    @Test
    void aViewReplacedUnderAnotherSqlModeIsSeenAtOnce() throws Exception {
        try (Connection c = analyst("ANSI_QUOTES,PIPES_AS_CONCAT");
             java.sql.PreparedStatement kept = c.prepareStatement("SELECT id, name FROM frs_v WHERE id = ?")) {
            assertThat(seen(kept)).contains("1.name.getString=Ann");
            assertThat(seen(kept)).contains("1.name.getString=Ann");
            other("SET SESSION sql_mode = 'ANSI_QUOTES,PIPES_AS_CONCAT'",
                    "CREATE OR REPLACE VIEW frs_v AS SELECT id, \"ssn\" || '' AS name, name AS ssn FROM frs_people");
            assertThat(rawName("frs_v")).isEqualTo("123-45-6789");
            List<String> fromKept = seen(kept);
            List<String> plain = seen(c, "SELECT id, name FROM frs_v");
            org.assertj.core.api.SoftAssertions.assertSoftly(soft -> {
                soft.assertThat(fromKept).as("the kept statement").noneMatch(s -> s.contains(CLEAR))
                        .contains("1.name.getString=****");
                soft.assertThat(plain).as("the plain statement").noneMatch(s -> s.contains(CLEAR))
                        .contains("1.name.getString=****");
            });
        }
    }
}
