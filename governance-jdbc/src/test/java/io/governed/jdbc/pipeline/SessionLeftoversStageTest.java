package io.governed.jdbc.pipeline;

import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SessionLeftoversStageTest {
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private boolean leaves(String sql, Dialect dialect) {
        return SessionLeftoversStage.leaves(analyzer.analyze(sql, dialect));
    }

    @Test
    void queriesAndRowChangesOfKnownBuiltInsLeaveNothing() {
        for (String sql : new String[] {
                "SELECT name FROM customers WHERE id = ?", "SELECT current_setting('app.tenant', true)",
                "INSERT INTO orders (id, status) VALUES (1, 'open')", "UPDATE orders SET status = 'x' WHERE id = 1",
                "DELETE FROM orders WHERE id = 1", "SELECT lower(name) FROM customers"}) {
            assertThat(leaves(sql, Dialect.POSTGRESQL)).as(sql).isFalse();
        }
        assertThat(leaves("SELECT @tenant", Dialect.MARIADB)).as("reading a variable").isFalse();
        assertThat(leaves("SELECT @batch", Dialect.H2)).as("reading a variable").isFalse();
    }

    @Test
    void anH2VariableTemporaryTableOrSchemaMayBeLeftInTheSession() {
        for (String sql : new String[] {
                "SET @batch = 1", "SET @v = (SELECT note FROM notes WHERE id = 1)", "SELECT SET(@v, note) FROM notes",
                "CREATE LOCAL TEMPORARY TABLE t (a INT)", "SET SCHEMA other", "SET SCHEMA_SEARCH_PATH other, PUBLIC",
                "SET TIME ZONE 'UTC'"}) {
            assertThat(leaves(sql, Dialect.H2)).as(sql).isTrue();
        }
    }

    @Test
    void everythingElseMayLeaveSomethingInTheSession() {
        for (String sql : new String[] {
                "SELECT set_config('app.tenant', ?, false)", "SET app.tenant = 'a'", "SET search_path = other",
                "PREPARE p AS SELECT ssn FROM customers", "EXECUTE p",
                "DECLARE c CURSOR WITH HOLD FOR SELECT ssn FROM customers", "FETCH ALL FROM c", "LISTEN ch",
                "SELECT pg_advisory_lock(42)", "CREATE TEMP TABLE t (a int)", "SELECT my_function(1)",
                "DO $$ BEGIN PERFORM set_config('app.x', 'a', false); END $$", "SELECT name INTO copy FROM customers",
                "not sql at all"}) {
            assertThat(leaves(sql, Dialect.POSTGRESQL)).as(sql).isTrue();
        }
        for (String sql : new String[] {
                "SET @tenant = 'a'", "SELECT @k := name FROM customers", "SELECT GET_LOCK('k', 0)",
                "PREPARE p FROM 'SELECT 1'", "CREATE TEMPORARY TABLE t (a INT)", "SELECT LAST_INSERT_ID(5)",
                "USE other"}) {
            assertThat(leaves(sql, Dialect.MARIADB)).as(sql).isTrue();
        }
    }

    @Test
    void onlyDiscardAllItselfCountsAsTheApplicationsReset() {
        assertThat(SessionLeftoversStage.discardsAll("DISCARD ALL")).isTrue();
        assertThat(SessionLeftoversStage.discardsAll("  discard\n all ; ")).isTrue();
        assertThat(SessionLeftoversStage.discardsAll("DISCARD TEMP")).isFalse();
        assertThat(SessionLeftoversStage.discardsAll("DISCARD ALL; SET app.x = 'a'")).isFalse();
        assertThat(SessionLeftoversStage.discardsAll("/* */ DISCARD ALL")).isFalse();
    }
}
