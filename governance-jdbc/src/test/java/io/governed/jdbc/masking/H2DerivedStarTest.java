package io.governed.jdbc.masking;

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
 * A {@code *} over a derived table that is itself a {@code *} over a table, on H2, which names the derived table's
 * alias for each result column, not the base table: the columns of the table must keep their masks when no detector
 * knows their values (an API key of the application's own format). And {@code (TABLE t)} in a FROM list, which the
 * parser read as a table named {@code TABLE}, so that neither the rules on {@code t} nor its masks applied.
 */
class H2DerivedStarTest {
    private static final String KEY = "k7-internal-000451";
    private final String table = UniqueNames.of("dstar_keys");
    private final String hidden = UniqueNames.of("dstar_hidden");

    @TempDir
    Path dir;
    private Path policy;

    @BeforeEach
    void fixture() throws Exception {
        policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                classification:
                  tags:
                    secret: ["*.api_key"]
                rules:
                  - { id: read, effect: permit, actions: [select] }
                  - { id: not-hidden, effect: forbid, actions: [select], resources: ["*.%s"] }
                masks:
                  - { id: hide-secrets, columns: { tags: [secret] }, function: redact }
                """.formatted(hidden));
        try (Connection c = TestDatabase.H2.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, owner VARCHAR(20), api_key VARCHAR(40))");
            s.execute("INSERT INTO " + table + " VALUES (1, 'ada', '" + KEY + "')");
            s.execute("CREATE TABLE " + hidden + " (id INT PRIMARY KEY, note VARCHAR(40))");
            s.execute("INSERT INTO " + hidden + " VALUES (1, 'behind the rule')");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection c = TestDatabase.H2.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
            s.execute("DROP TABLE IF EXISTS " + hidden);
        }
    }

    private List<String> values(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = TestDatabase.H2.connectGoverned(policy, null, "analysts");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.add(rs.getString(i));
                    values.add(String.valueOf(rs.getObject(i)));
                }
            }
        }
        return values;
    }

    @Test
    void aStarOverADerivedStarKeepsTheMasksOfTheTablesColumns() throws SQLException {
        assertThat(values("SELECT api_key FROM " + table)).doesNotContain(KEY);
        for (String sql : new String[] {"SELECT * FROM (SELECT * FROM " + table + ") x",
                "SELECT x.* FROM (SELECT * FROM " + table + ") x",
                "SELECT k FROM (SELECT * FROM " + table + ") AS x(i, o, k)"}) {
            assertThat(values(sql)).as(sql).isNotEmpty().noneMatch(v -> v.contains(KEY));
        }
    }

    @Test
    void aTableStatementInFromIsRefusedRatherThanReadAsATableNamedTable() throws SQLException {
        for (String sql : new String[] {"SELECT * FROM (TABLE " + hidden + ") x", "SELECT * FROM (TABLE " + table + ") x",
                "SELECT o.id FROM " + table + " o JOIN (TABLE " + hidden + ") h ON h.id = o.id"}) {
            assertThatThrownBy(() -> values(sql)).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("42501");
                assertThat(e.getMessage()).contains("TABLE").doesNotContain(KEY, "behind the rule");
            });
        }
        // the rule still refuses the table named plainly, and TABLE t on its own is read as the query it is
        assertThatThrownBy(() -> values("SELECT * FROM " + hidden)).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> values("TABLE " + hidden)).isInstanceOf(SQLException.class);
        assertThat(values("TABLE " + table)).isNotEmpty().noneMatch(v -> v.contains(KEY));
    }
}
