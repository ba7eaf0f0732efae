package io.governed.jdbc.pipeline;

import io.governed.jdbc.gate.SqlText;
import io.governed.sql.Dialect;
import io.governed.sql.PreparedStatementNames;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PreparedNamesStage} and {@link SessionRoleStage} take a short path for a statement whose analysis, of its text
 * as written, is of queries and row changes only ({@link SqlAnalysis#queriesAndRowChangesOnly}). Every statement those
 * stages act on (one that prepares, runs or drops a statement by name, changes the role or the session authorization,
 * resets or discards the session's state, runs code the analysis does not see) and every text the analysis could not
 * read still takes the full path; and for every statement that takes the short one, what the full path reads from its
 * text and analysis gives the answer the short path takes for granted.
 */
class UsualStatementPathTest {
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    /** Statements the two stages act on, PostgreSQL. */
    private static final List<String> POSTGRES_ACTED_ON = List.of(
            "PREPARE p AS SELECT * FROM customers WHERE id = $1",
            "prepare p(int) as update customers set name = 'x' where id = $1",
            "/* c */ PREPARE p AS SELECT 1",
            "PREPARE p AS WITH x AS (SELECT 1) SELECT * FROM x",
            "PREPARE p AS INSERT INTO t VALUES (1)",
            "PREPARE p AS DELETE FROM t WHERE id = 1",
            "EXECUTE p",
            "EXECUTE p(1, 'a')",
            "execute \"P\"(?)",
            "DEALLOCATE p",
            "DEALLOCATE PREPARE p",
            "DEALLOCATE ALL",
            "SELECT 1; PREPARE p AS SELECT 2",
            "SELECT 1; DEALLOCATE ALL",
            "SELECT * FROM t; EXECUTE p",
            "SET ROLE r",
            "SET LOCAL ROLE r",
            "SET SESSION ROLE r",
            "RESET ROLE",
            "SET ROLE NONE",
            "SET SESSION AUTHORIZATION r",
            "SET SESSION AUTHORIZATION DEFAULT",
            "RESET SESSION AUTHORIZATION",
            "SELECT set_config('role', 'r', false)",
            "SELECT set_config('session_authorization', 'r', false)",
            "SELECT set_config('app.tenant', ?, false)",
            "SELECT set_config(?, ?, false)",
            "SELECT * FROM t WHERE set_config('role', 'r', true) IS NOT NULL",
            "UPDATE t SET a = set_config('role', 'r', false)",
            "RESET ALL",
            "RESET search_path",
            "DISCARD ALL",
            "DISCARD PLANS",
            "DISCARD TEMP",
            "SET search_path TO other",
            "SET CONSTRAINTS ALL IMMEDIATE",
            "BEGIN",
            "COMMIT",
            "CREATE TEMPORARY TABLE tt (a int)",
            "SELECT * INTO TEMPORARY tt FROM t",
            "DO $$ BEGIN EXECUTE 'SET ROLE r'; END $$",
            "CALL my_procedure()",
            "SELECT my_function(id) FROM t",
            "SELECT * FROM my_function()",
            "CREATE FUNCTION f() RETURNS int AS 'SELECT 1' LANGUAGE sql",
            "DROP TABLE t",
            "SELEC name FROM",
            "PREPARE",
            "EXECUTE");

    /** Statements the two stages act on, MariaDB. */
    private static final List<String> MARIADB_ACTED_ON = List.of(
            "PREPARE s FROM 'SELECT * FROM customers WHERE id = ?'",
            "PREPARE s FROM @q",
            "prepare `s` from 'UPDATE t SET a = 1'",
            "EXECUTE s",
            "EXECUTE s USING @v",
            "EXECUTE s USING 1, 'a'",
            "EXECUTE IMMEDIATE 'SELECT 1'",
            "DEALLOCATE PREPARE s",
            "DROP PREPARE s",
            "SELECT 1; PREPARE s FROM 'SELECT 2'",
            "SET ROLE r",
            "SET ROLE NONE",
            "SET DEFAULT ROLE r",
            "SET @v = 1",
            "SET @v = (SELECT ssn FROM t)",
            "SET sql_mode = 'ANSI_QUOTES'",
            "SET SESSION sql_mode = ''",
            "SET NAMES utf8mb4",
            "USE other",
            "CALL my_procedure()",
            "SELECT my_function(id) FROM t",
            "CREATE TEMPORARY TABLE tt (a int)",
            "BEGIN NOT ATOMIC SELECT 1; END",
            "SELEC name FROM");

    /** Usual statements, some of which take the short path. */
    private static final List<String> USUAL = List.of(
            "SELECT name FROM customers WHERE id = ?",
            "SELECT c.name, o.total FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.id = ?",
            "UPDATE stock SET qty = qty - ? WHERE item_id = ? AND warehouse_id = ?",
            "INSERT INTO orders (id, customer_id) VALUES (?, ?)",
            "DELETE FROM new_orders WHERE id = ?",
            "SELECT count(*) FROM t WHERE name LIKE ?",
            "SELECT lower(name) FROM customers",
            "WITH d AS (DELETE FROM t WHERE id = ? RETURNING *) SELECT * FROM d",
            "SELECT 1",
            "SELECT * FROM prepared_statements",
            "SELECT 'PREPARE p AS SELECT 1' FROM t",
            "SELECT execute FROM t",
            "SELECT 1; SELECT 2");

    @Test
    void everyStatementTheStagesActOnTakesTheFullPath() {
        List<String> shortened = new ArrayList<>();
        for (String sql : POSTGRES_ACTED_ON) {
            if (analyzer.analyze(sql, Dialect.POSTGRESQL).queriesAndRowChangesOnly()) {
                shortened.add("PostgreSQL: " + sql);
            }
        }
        for (String sql : MARIADB_ACTED_ON) {
            if (analyzer.analyze(sql, Dialect.MARIADB).queriesAndRowChangesOnly()) {
                shortened.add("MariaDB: " + sql);
            }
        }
        assertThat(shortened).isEmpty();
    }

    @Test
    void theUsualPreparedQueryAndRowChangeTakeTheShortPath() {
        for (Dialect dialect : List.of(Dialect.POSTGRESQL, Dialect.MARIADB)) {
            assertThat(analyzer.analyze(USUAL.get(0), dialect).queriesAndRowChangesOnly()).as(dialect + " select").isTrue();
            assertThat(analyzer.analyze(USUAL.get(2), dialect).queriesAndRowChangesOnly()).as(dialect + " update").isTrue();
        }
    }

    /**
     * For every statement, of either list, that takes the short path: the text reads as no {@code PREPARE},
     * {@code EXECUTE} or {@code DEALLOCATE}, changes no privilege, runs no code the analysis sees no further into, and
     * is no reset of the role: what the full path would have found.
     */
    @Test
    void whatTheFullPathReadsAgreesWithTheShortPathWhereverItIsTaken() {
        List<String> all = new ArrayList<>(USUAL);
        all.addAll(POSTGRES_ACTED_ON);
        all.addAll(MARIADB_ACTED_ON);
        int shortPaths = 0;
        for (Dialect dialect : List.of(Dialect.POSTGRESQL, Dialect.MARIADB)) {
            for (String sql : all) {
                SqlText text = new SqlText(sql);
                SqlAnalysis analysis = text.analysis(analyzer, dialect);
                if (!analysis.queriesAndRowChangesOnly()) {
                    continue;
                }
                shortPaths++;
                assertTheFullPathFindsNothing(text, analysis, dialect);
            }
        }
        assertThat(shortPaths).as("statements on the short path").isGreaterThanOrEqualTo(2 * 9);
    }

    /**
     * What the full path reads from a text on the short path ({@code analysis}, its analysis in {@code dialect}, allows
     * it): the text reads as no {@code PREPARE}, {@code EXECUTE} or {@code DEALLOCATE}, changes no privilege, runs no
     * code the analysis sees no further into, and is no reset of the role.
     */
    static void assertTheFullPathFindsNothing(SqlText text, SqlAnalysis analysis, Dialect dialect) {
        String sql = text.sql();
        String what = dialect + ": " + sql;
        assertThat(analysis.parsed()).as(what).isTrue();
        assertThat(PreparedStatementNames.prepare(sql, dialect)).as(what).isNull();
        assertThat(PreparedStatementNames.deallocated(sql, dialect)).as(what).isNull();
        assertThat(PreparedStatementNames.executed(sql, dialect)).as(what).isNull();
        assertThat(PreparedStatementNames.executedAnyhow(sql, dialect)).as(what).isNull();
        SessionTraits traits = SessionTraits.of(text, analysis, dialect);
        assertThat(traits.changesPrivileges).as(what).isFalse();
        assertThat(traits.runsUnseenCode).as(what).isFalse();
        assertThat(traits.reset).as(what).isEqualTo(SessionRoleStage.Reset.NONE);
    }
}
