package io.governed.jdbc.it;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

/**
 * Masked values leaving through code MariaDB runs for a statement: a trigger copying its row's stored SSN into a table
 * anyone reads when another column is updated, and a procedure passing an SSN through a variable into such a table. A
 * writer the mask applies to is refused both and the table stays clean, read through a raw connection; the mask's
 * exempt run them, which shows what they would have written; a plain insert, whose row holds the caller's own values,
 * stays allowed.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbMaskedCodeFlowIT {
    private static final TestDatabase DATABASE = TestDatabase.MARIADB;
    private static final String SSN = "138-18-1624";
    private final String s = UniqueNames.of("mcf");

    @TempDir
    Path dir;
    private Path policy;

    private String sql(String template) {
        return template.replace("{C}", "customers_" + s).replace("{P}", "pub_" + s).replace("{G}", "trg_" + s)
                .replace("{R}", "proc_" + s).replace("{F}", "log_" + s).replace("{V}", "logged_" + s);
    }

    @BeforeEach
    void fixture() throws Exception {
        policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                default: deny
                rules:
                  - { id: writers, effect: permit, principals: { groups: [writers] }, actions: ["*"], resources: ["*"] }
                masks:
                  - { id: mask-ssn, columns: { patterns: ["*.ssn"] }, function: partial, keep-last: 4,
                      unless: { groups: [pii-readers] } }
                """);
        try (Connection raw = DATABASE.connectRaw(); Statement st = raw.createStatement()) {
            st.execute(sql("CREATE TABLE {C} (id INT PRIMARY KEY, name VARCHAR(20), ssn VARCHAR(20))"));
            st.execute(sql("INSERT INTO {C} VALUES (1, 'ada', '" + SSN + "')"));
            st.execute(sql("CREATE TABLE {P} (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(40))"));
            st.execute(sql("CREATE TRIGGER {G} AFTER UPDATE ON {C} FOR EACH ROW INSERT INTO {P} (v) VALUES (NEW.ssn)"));
            st.execute(sql("CREATE PROCEDURE {R}(IN k INT) BEGIN DECLARE v VARCHAR(20);"
                    + " SELECT ssn INTO v FROM {C} WHERE id = k; INSERT INTO {P} (v) VALUES (v); END"));
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection raw = DATABASE.connectRaw(); Statement st = raw.createStatement()) {
            st.execute(sql("DROP PROCEDURE IF EXISTS {R}"));
            st.execute(sql("DROP VIEW IF EXISTS {V}"));
            st.execute(sql("DROP FUNCTION IF EXISTS {F}"));
            st.execute(sql("DROP TABLE IF EXISTS {C}, {P}"));
        }
    }

    private List<String> pub() throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection raw = DATABASE.connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery(sql("SELECT v FROM {P}"))) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private void refusedToTheMaskedAndRunByTheExempt(String statement) throws SQLException {
        String text = sql(statement);
        try (Connection c = DATABASE.connectGoverned(policy, null, "writers"); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute(text)).as(text).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("42501");
                assertThat(e.getMessage()).contains("mask-ssn").contains("code the database runs").doesNotContain(SSN);
            });
        }
        assertThat(pub()).isEmpty();
        try (Connection c = DATABASE.connectGoverned(policy, null, "writers,pii-readers");
             Statement st = c.createStatement()) {
            st.execute(text);
        }
        assertThat(pub()).contains(SSN);
    }

    @Test
    void aTriggerCopyingItsRowsStoredSsnOnAnUpdateIsRefused() throws SQLException {
        refusedToTheMaskedAndRunByTheExempt("UPDATE {C} SET name = 'ada l' WHERE id = 1");
    }

    @Test
    void aProcedurePassingAnSsnThroughAVariableIsRefused() throws SQLException {
        refusedToTheMaskedAndRunByTheExempt("CALL {R}(1)");
    }

    @Test
    void aViewPassingAnSsnToAFunctionThatWritesIsRefused() throws SQLException {
        try (Connection raw = DATABASE.connectRaw(); Statement st = raw.createStatement()) {
            st.execute(sql("CREATE FUNCTION {F}(p VARCHAR(20)) RETURNS INT MODIFIES SQL DATA BEGIN"
                    + " INSERT INTO {P} (v) VALUES (p); RETURN 1; END"));
            st.execute(sql("CREATE VIEW {V} AS SELECT id, {F}(ssn) AS logged FROM {C}"));
        }
        refusedToTheMaskedAndRunByTheExempt("SELECT id, logged FROM {V}");
    }

    @Test
    void aPlainInsertsRowIsTheCallersOwn() throws SQLException {
        try (Connection c = DATABASE.connectGoverned(policy, null, "writers"); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate(sql("INSERT INTO {C} VALUES (2, 'bob', '219-09-9999')"))).isEqualTo(1);
        }
    }
}
