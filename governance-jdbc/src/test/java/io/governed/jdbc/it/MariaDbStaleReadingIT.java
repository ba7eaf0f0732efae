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
 * On MariaDB, a masked analyst's governed connection has read a view's definition; another session replaces the view in
 * place ({@code CREATE OR REPLACE VIEW}) so that its clear column holds the SSN. The analyst's next statements, at once,
 * plain and run by name, must give no SSN in clear through any getter.
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
            st.execute("DROP VIEW IF EXISTS frs_v");
            st.execute("DROP TABLE IF EXISTS frs_people");
            st.execute("CREATE TABLE frs_people (id int PRIMARY KEY, name varchar(40), ssn varchar(40))");
            st.execute("INSERT INTO frs_people VALUES (1, 'Ann', '123-45-6789')");
            st.execute("CREATE VIEW frs_v AS SELECT id, name, ssn FROM frs_people");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP VIEW IF EXISTS frs_v");
            st.execute("DROP TABLE IF EXISTS frs_people");
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
}
