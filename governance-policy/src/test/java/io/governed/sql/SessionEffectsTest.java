package io.governed.sql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * What code a relation runs may leave in the session, read from the text the database prints for it: a column's
 * default or check (an expression), a view's definition (queries). Only calls of built-ins known to leave nothing pass.
 */
class SessionEffectsTest {

    @Test
    void expressionsThatComputeFromBuiltInsLeaveNothing() {
        for (String expression : new String[] {"now()", "nextval('orders_id_seq'::regclass)", "lower((name)::text)",
                "(n > 0)", "CHECK ((length(email) > 3))", "gen_random_uuid()", "'open'::character varying",
                "CURRENT_TIMESTAMP", "coalesce(current_setting('app.tenant', true), '')", null}) {
            assertThat(SessionEffects.expressionMayLeaveSomething(expression, Dialect.POSTGRESQL)).as(expression).isFalse();
        }
    }

    @Test
    void expressionsThatCallUserCodeOrKeepTheirArgumentsMayLeaveSomething() {
        for (String expression : new String[] {"set_config('app.tenant', 'x', false)", "audit.stamp()",
                "pg_try_advisory_lock(42)", "setval('s', 10)", "\"lower\"(name)", "pg_notify('c', name)",
                "stamp(name)", "'unterminated"}) {
            assertThat(SessionEffects.expressionMayLeaveSomething(expression, Dialect.POSTGRESQL)).as(expression).isTrue();
        }
        assertThat(SessionEffects.expressionMayLeaveSomething("LAST_INSERT_ID(7)", Dialect.MARIADB)).isTrue();
        assertThat(SessionEffects.expressionMayLeaveSomething("GET_LOCK('l', 0)", Dialect.MARIADB)).isTrue();
        assertThat(SessionEffects.expressionMayLeaveSomething("\"PUBLIC\".\"STAMP\"(NAME)", Dialect.H2)).isTrue();
    }

    @Test
    void viewDefinitionsAreReadAsQueries() {
        assertThat(SessionEffects.textMayLeaveSomething(" SELECT t.id, lower(t.name) AS n, count(*) OVER () AS c"
                + " FROM vt.t WHERE t.name = current_setting('app.tenant'::text, true);", Dialect.POSTGRESQL)).isFalse();
        assertThat(SessionEffects.textMayLeaveSomething(" SELECT t.id FROM vt.t ; SELECT x.n FROM generate_series(1, 3)"
                + " x(n);", Dialect.POSTGRESQL)).isFalse();
        assertThat(SessionEffects.textMayLeaveSomething(" SELECT set_config('app.tenant'::text, 'Ann'::text, false)"
                + " AS tenant;", Dialect.POSTGRESQL)).isTrue();
        assertThat(SessionEffects.textMayLeaveSomething(" SELECT t.id FROM vt.t ; SELECT pg_try_advisory_lock(1) AS l;",
                Dialect.POSTGRESQL)).as("the second of a view's views").isTrue();
        assertThat(SessionEffects.textMayLeaveSomething(null, Dialect.POSTGRESQL)).isFalse();
    }

    @Test
    void everyBuiltInThatKeepsItsArgumentsCountsWhereverItIsCalled() {
        for (String name : new String[] {"pg_advisory_lock", "pg_try_advisory_xact_lock", "get_lock", "release_lock",
                "last_insert_id", "setval", "set_config", "pg_notify"}) {
            assertThat(KnownFunctions.keepsArguments(name)).as(name).isTrue();
            assertThat(SessionEffects.expressionMayLeaveSomething(name + "(1)", Dialect.POSTGRESQL)).as(name).isTrue();
            assertThat(SessionEffects.expressionMayLeaveSomething("1 + " + name.toUpperCase() + " (1)", Dialect.MARIADB))
                    .as(name).isTrue();
        }
    }

    @Test
    void oneTextIsAnsweredForEachDialectItIsAnalysedIn() {
        // the same String object, analysed for two databases: MariaDB reads '#' as the start of a comment, PostgreSQL as
        // an operator before a call of a user function
        String sql = "SELECT a # stamp(b)\nFROM t";
        SqlAnalyzer analyzer = new SqlAnalyzer();
        for (int round = 0; round < 3; round++) {
            SqlAnalysis postgres = analyzer.analyze(sql, Dialect.POSTGRESQL);
            SqlAnalysis mariadb = analyzer.analyze(sql, Dialect.MARIADB);
            assertThat(SessionEffects.callsUnknownRoutine(postgres)).as("PostgreSQL, round " + round).isTrue();
            assertThat(SessionEffects.callsUnknownRoutine(mariadb)).as("MariaDB, round " + round).isFalse();
            assertThat(SessionEffects.mayChangeNameResolution(postgres)).isTrue();
            assertThat(SessionEffects.mayChangeNameResolution(mariadb)).isFalse();
        }
    }
}
