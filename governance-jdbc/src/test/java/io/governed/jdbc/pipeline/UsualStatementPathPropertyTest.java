package io.governed.jdbc.pipeline;

import io.governed.jdbc.gate.SqlText;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated texts for the short path of {@link PreparedNamesStage} and {@link SessionRoleStage}: statements of one to
 * three parts, each a usual query or row change or one of the statements those stages act on (prepare, run or drop a
 * statement by name, change the role or the session authorization, reset or discard the session, run code), with the
 * words those stages look for also placed where they are no statement (a comment, a string, a name, an alias), in any
 * letter case, on PostgreSQL and MariaDB. Whenever the analysis of such a text allows the short path
 * ({@link SqlAnalysis#queriesAndRowChangesOnly}), what the full path reads from the text and its analysis must find
 * nothing to act on: no {@code PREPARE}, {@code EXECUTE} or {@code DEALLOCATE}, no privilege change, no code the
 * analysis does not see into, no reset of the role. {@link UsualStatementPathTest} holds the hand-written corpus.
 */
class UsualStatementPathPropertyTest {
    private static final SqlAnalyzer ANALYZER = new SqlAnalyzer();

    /** Statements the two stages act on (or may), by dialect: none of them may take the short path. */
    private static final List<String> POSTGRES_ACTED_ON = List.of(
            "PREPARE p AS SELECT * FROM customers WHERE id = $1", "PREPARE q (int) AS UPDATE t SET a = $1",
            "EXECUTE p", "EXECUTE p(1)", "DEALLOCATE p", "DEALLOCATE ALL", "DEALLOCATE PREPARE q",
            "SET ROLE r", "SET LOCAL ROLE r", "RESET ROLE", "SET ROLE NONE", "SET SESSION AUTHORIZATION r",
            "RESET SESSION AUTHORIZATION", "SELECT set_config('role', 'r', false)",
            "SELECT pg_catalog.set_config('session_authorization', 'r', true)", "SELECT set_config(?, ?, false)",
            "SELECT a FROM t WHERE set_config('role', 'r', true) IS NOT NULL", "RESET ALL", "DISCARD ALL",
            "DISCARD TEMP", "SET search_path TO other", "DO $$ BEGIN EXECUTE 'SET ROLE r'; END $$", "CALL proc()",
            "SELECT my_function(a) FROM t", "CREATE TEMPORARY TABLE tt (a int)", "SELECT * INTO TEMPORARY tt FROM t");
    private static final List<String> MARIADB_ACTED_ON = List.of(
            "PREPARE s FROM 'SELECT * FROM customers WHERE id = ?'", "PREPARE s FROM @q", "EXECUTE s",
            "EXECUTE s USING @v", "EXECUTE IMMEDIATE 'SET ROLE r'", "DEALLOCATE PREPARE s", "DROP PREPARE s",
            "SET ROLE r", "SET ROLE NONE", "SET DEFAULT ROLE r", "SET @v = 1", "SET sql_mode = 'ANSI_QUOTES'",
            "USE other", "CALL proc()", "SELECT my_function(a) FROM t", "CREATE TEMPORARY TABLE tt (a int)",
            "BEGIN NOT ATOMIC SELECT 1; END");
    /** Usual statements, with the stages' words where they are no statement. */
    private static final List<String> USUAL = List.of(
            "SELECT name FROM customers WHERE id = ?", "UPDATE t SET a = ? WHERE id = ?",
            "INSERT INTO t (id, a) VALUES (?, ?)", "DELETE FROM t WHERE id = ?",
            "SELECT 'PREPARE p AS SELECT 1' FROM t", "SELECT 'SET ROLE r', 'EXECUTE p' FROM t",
            "SELECT a AS prepare, a AS execute FROM t", "SELECT a FROM t /* SET ROLE r */",
            "SELECT a FROM t -- DEALLOCATE ALL\n", "UPDATE t SET a = 'RESET ROLE' WHERE id = ?",
            "SELECT lower(name) FROM customers WHERE name LIKE 'set_config%'", "SELECT count(*) FROM t",
            "WITH d AS (SELECT a FROM t) SELECT a FROM d", "SELECT 1");
    /** What may stand before a statement. */
    private static final List<String> LEADS = List.of("", " ", "\n", "/* PREPARE p AS SELECT 1 */ ", "-- SET ROLE r\n",
            "/* c */");

    record Part(String lead, String statement, boolean upper) {
        String text() {
            return lead + (upper ? statement.toUpperCase(Locale.ROOT) : statement);
        }
    }

    @Provide
    Arbitrary<Part> postgresParts() {
        return parts(POSTGRES_ACTED_ON);
    }

    @Provide
    Arbitrary<Part> mariaDbParts() {
        return parts(MARIADB_ACTED_ON);
    }

    private static Arbitrary<Part> parts(List<String> actedOn) {
        Arbitrary<String> statement = Arbitraries.oneOf(Arbitraries.of(USUAL), Arbitraries.of(actedOn));
        return Combinators.combine(Arbitraries.of(LEADS), statement, Arbitraries.of(true, false)).as(Part::new);
    }

    @Property(tries = 600)
    void onPostgresTheShortPathIsTakenOnlyWhereTheFullPathFindsNothing(
            @ForAll("postgresParts") Part first, @ForAll("postgresParts") Part second, @ForAll("postgresParts") Part third,
            @ForAll("counts") int count) {
        check(Dialect.POSTGRESQL, List.of(first, second, third).subList(0, count));
    }

    @Property(tries = 600)
    void onMariaDbTheShortPathIsTakenOnlyWhereTheFullPathFindsNothing(
            @ForAll("mariaDbParts") Part first, @ForAll("mariaDbParts") Part second, @ForAll("mariaDbParts") Part third,
            @ForAll("counts") int count) {
        check(Dialect.MARIADB, List.of(first, second, third).subList(0, count));
    }

    @Provide
    Arbitrary<Integer> counts() {
        return Arbitraries.integers().between(1, 3);
    }

    private static void check(Dialect dialect, List<Part> parts) {
        StringBuilder sql = new StringBuilder();
        boolean actedOn = false;
        for (Part part : parts) {
            if (!sql.isEmpty()) {
                sql.append("; ");
            }
            sql.append(part.text());
            actedOn |= !USUAL.contains(part.statement());
        }
        String text = sql.toString();
        SqlText sqlText = new SqlText(text);
        SqlAnalysis analysis = sqlText.analysis(ANALYZER, dialect);
        boolean shortPath = analysis.queriesAndRowChangesOnly();
        Statistics.label("path").collect(shortPath ? "short" : "full");
        // both paths must be generated often, or the property says nothing of the one left out
        Statistics.label("path").coverage(coverage -> {
            coverage.check("short").percentage(p -> p > 10);
            coverage.check("full").percentage(p -> p > 10);
        });
        String what = dialect + ": " + text;
        if (actedOn) {
            assertThat(shortPath).as("a text holding a statement the stages act on takes the full path: " + what).isFalse();
        }
        if (shortPath) {
            UsualStatementPathTest.assertTheFullPathFindsNothing(sqlText, analysis, dialect);
        }
    }
}
