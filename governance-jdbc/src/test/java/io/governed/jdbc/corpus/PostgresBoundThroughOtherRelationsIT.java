package io.governed.jdbc.corpus;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A write that looks bounded by a subquery over another relation, through the driver against PostgreSQL, where that
 * relation holds the written table's own rows: a view of it (over a view, in another schema, named through the search
 * path), a CTE over it, its partition's parent, a set-returning function reading it. Each deleted or updated every row
 * under a forbid of unbounded writes; each is refused now, and the rows are checked through a raw connection. A subquery
 * over a distinct table still bounds.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresBoundThroughOtherRelationsIT {
    private static final String DATABASE = TestDatabase.forkName("governed_bound_through");
    private static final String POLICY = """
            version: 1
            default: deny
            rules:
              - { id: devs-everything, effect: permit, principals: { groups: [devs] }, actions: ["*"], resources: ["s.*", "r.*"] }
              - { id: no-unbounded-writes, effect: forbid, actions: [update, delete], when: { where: absent } }
            """;

    private final PostgresCorpusDatabase postgres = new PostgresCorpusDatabase();
    private String policyPath;

    @BeforeAll
    void policy() throws Exception {
        Servers.ensurePostgresDatabase(DATABASE);
        policyPath = Servers.policyFile("bound-through", POLICY);
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
            // unqualified names resolve through s, then r
            s.execute("ALTER DATABASE " + DATABASE + " SET search_path = s, r, public");
        }
    }

    @BeforeEach
    void fixture() throws SQLException {
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS s CASCADE");
            s.execute("DROP SCHEMA IF EXISTS r CASCADE");
            s.execute("CREATE SCHEMA s");
            s.execute("CREATE SCHEMA r");
            s.execute("CREATE TABLE s.victim (id int PRIMARY KEY, v text)");
            s.execute("INSERT INTO s.victim VALUES (1, 'one'), (2, 'two')");
            s.execute("CREATE VIEW s.victim_v AS SELECT * FROM s.victim");
            s.execute("CREATE VIEW s.victim_vv AS SELECT * FROM s.victim_v");
            s.execute("CREATE VIEW r.victim_r AS SELECT id, v FROM s.victim_v");
            s.execute("CREATE TABLE s.other (id int PRIMARY KEY, flag boolean)");
            s.execute("INSERT INTO s.other VALUES (1, true), (2, false)");
            s.execute("CREATE TABLE s.parent (id int, v text) PARTITION BY RANGE (id)");
            s.execute("CREATE TABLE s.child PARTITION OF s.parent FOR VALUES FROM (0) TO (100)");
            s.execute("INSERT INTO s.parent VALUES (1, 'one'), (2, 'two')");
            s.execute("CREATE FUNCTION s.victim_ids() RETURNS SETOF int LANGUAGE sql AS 'SELECT id FROM s.victim'");
        }
    }

    private Connection dev() throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policyPath);
        p.setProperty("governed.principal", "dave");
        p.setProperty("governed.groups", "devs");
        return postgres.governed(DATABASE, p);
    }

    private List<String> rows(String table) throws SQLException {
        return postgres.rawColumn(DATABASE, "SELECT id || ':' || v FROM " + table + " ORDER BY id");
    }

    private void refused(String sql) throws SQLException {
        try (Connection c = dev(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(sql)).as(sql)
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42501");
                        assertThat(e.getMessage()).contains("no-unbounded-writes");
                    });
            c.unwrap(GovernedConnection.class).governance().flushAudit();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "DELETE FROM s.victim WHERE id IN (SELECT id FROM s.victim_v)",
            "DELETE FROM victim WHERE id IN (SELECT id FROM victim_v)",
            "DELETE FROM s.victim WHERE id IN (SELECT id FROM s.victim_vv)",
            "DELETE FROM s.victim WHERE id IN (SELECT id FROM r.victim_r)",
            "DELETE FROM s.victim WHERE id IN (SELECT id FROM victim_r)",
            "DELETE FROM s.victim WHERE EXISTS (SELECT 1 FROM s.victim_v w WHERE w.id = victim.id)",
            "DELETE FROM s.victim WHERE id = ANY (SELECT w.id FROM s.victim_v w)",
            "UPDATE s.victim SET v = 'gone' WHERE id IN (SELECT id FROM s.victim_v)",
            "UPDATE victim SET v = 'gone' WHERE EXISTS (SELECT 1 FROM victim_vv w WHERE w.id = victim.id)",
            "WITH c AS (SELECT id FROM s.victim) DELETE FROM s.victim WHERE id IN (SELECT c.id FROM c)",
            "DELETE FROM s.victim WHERE id IN (SELECT x FROM s.victim_ids() x)",
            "DELETE FROM s.victim USING s.victim_v w WHERE victim.id = w.id",
    })
    void aWriteBoundedOnlyThroughItsOwnRowsIsRefusedAndEveryRowStays(String sql) throws SQLException {
        refused(sql);
        assertThat(rows("s.victim")).containsExactly("1:one", "2:two");
    }

    @Test
    void aPartitionsParentDoesNotBoundAWriteOfThePartition() throws SQLException {
        refused("DELETE FROM s.child WHERE id IN (SELECT p.id FROM s.parent p)");
        refused("UPDATE s.parent SET v = 'gone' WHERE id IN (SELECT c.id FROM s.child c)");
        assertThat(rows("s.parent")).containsExactly("1:one", "2:two");
    }

    @Test
    void aSubqueryOverADistinctTableStillBounds() throws SQLException {
        try (Connection c = dev(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM s.victim WHERE id IN (SELECT o.id FROM s.other o WHERE o.flag)");
            s.execute("UPDATE victim SET v = 'kept' WHERE id IN (SELECT id FROM other WHERE NOT flag)");
        }
        assertThat(rows("s.victim")).containsExactly("2:kept");
    }
}
