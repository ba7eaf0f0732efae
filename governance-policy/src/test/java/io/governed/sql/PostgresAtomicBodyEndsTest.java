package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On PostgreSQL a routine's SQL-standard body ({@code BEGIN ATOMIC stmt; … END}) ends at its own {@code END}: the
 * definition is one statement, judged as the same routine with its body quoted is, and a statement after it in the same
 * text is analysed on its own, never hidden inside the definition nor read out of the body; a body whose end is not
 * read for certain refuses the text when anything may follow it.
 */
class PostgresAtomicBodyEndsTest {

    private static final String F = "CREATE FUNCTION f(k int) RETURNS int LANGUAGE sql ";

    private static SqlAnalysis pg(String sql) {
        return new SqlAnalyzer().analyze(sql, Dialect.POSTGRESQL);
    }

    private static List<Action> actions(SqlAnalysis a) {
        return a.statements().stream().map(StatementAnalysis::action).toList();
    }

    private static boolean dropsVictim(SqlAnalysis a) {
        return a.statements().stream().anyMatch(s -> s.action() == Action.DROP
                && s.tablesWritten().contains(new TableRef(null, "victim")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        F + "BEGIN ATOMIC SELECT 1; END; DROP TABLE victim",
        F + "BEGIN ATOMIC SELECT 1; END ; DROP TABLE victim;",
        F + "BEGIN ATOMIC INSERT INTO log VALUES (k); UPDATE items SET n = n + 1 WHERE id = k; SELECT k; END;\n"
                + "DROP TABLE victim",
        F + "BEGIN ATOMIC SELECT 'END; BEGIN ATOMIC'; SELECT $$ END; $$; SELECT $q$;END;$q$; END; DROP TABLE victim",
        F + "BEGIN ATOMIC SELECT 1 /* END; */; -- END;\n SELECT 2; END; DROP TABLE victim",
        F + "BEGIN ATOMIC SELECT CASE WHEN k > 0 THEN 1 ELSE CASE k WHEN 0 THEN 2 END END; END; DROP TABLE victim",
        F + "BEGIN ATOMIC SELECT \"end\" FROM t; SELECT (CASE WHEN k = 1 THEN 1 END) + 1; END; DROP TABLE victim",
        "CREATE OR REPLACE FUNCTION app.f(k int DEFAULT 1, OUT r int) LANGUAGE sql IMMUTABLE PARALLEL SAFE SET "
                + "search_path = app BEGIN ATOMIC SELECT k; END; DROP TABLE victim",
        "CREATE PROCEDURE p(k int) LANGUAGE sql BEGIN ATOMIC DELETE FROM t WHERE id = k; END; DROP TABLE victim",
        "CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC END; DROP TABLE victim",
        F + "BEGIN ATOMIC SELECT 1; END; " + F + "BEGIN ATOMIC SELECT 2; END; DROP TABLE victim",
        F + "BEGIN ATOMIC SELECT 1; ; END; DROP TABLE victim",
        F + "BEGIN ATOMIC SELECT begin FROM t; END; DROP TABLE victim",
        "DROP TABLE victim; " + F + "BEGIN ATOMIC SELECT 1; END",
    })
    void aStatementAfterTheBodyIsAnalysedOnItsOwn(String sql) {
        SqlAnalysis a = pg(sql);
        assertThat(a.parsed()).as(sql + "\n" + a.parseError()).isTrue();
        assertThat(dropsVictim(a)).as(sql).isTrue();
        // only the definitions and the DROP: no statement of a body read as one of the text's own
        assertThat(actions(a)).as(sql).allMatch(action -> action == Action.DEFINE_CODE || action == Action.DROP);
        assertThat(actions(a)).as(sql).contains(Action.DEFINE_CODE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        F + "BEGIN ATOMIC SELECT 1; END",
        F + "BEGIN ATOMIC SELECT 1; END;",
        F + "BEGIN ATOMIC INSERT INTO log VALUES (k); DELETE FROM items WHERE id = k; SELECT k; END",
        F + "begin atomic select case when k > 0 then 'end;' end; select 2; end",
        "CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC END",
    })
    void aDefinitionAloneIsOneStatement(String sql) {
        SqlAnalysis a = pg(sql);
        assertThat(a.parsed()).as(a.parseError()).isTrue();
        assertThat(actions(a)).containsExactly(Action.DEFINE_CODE);
    }

    @Test
    void aDefinitionIsJudgedAsTheSameRoutineWithItsBodyQuoted() {
        String body = " INSERT INTO log SELECT ssn FROM customers WHERE id = k; DELETE FROM items; SELECT k; ";
        for (String header : List.of(F, "CREATE OR REPLACE FUNCTION app.f(k int) RETURNS int LANGUAGE sql ",
                "CREATE OR REPLACE PROCEDURE p(k int) LANGUAGE sql ")) {
            SqlAnalysis atomic = pg(header + "BEGIN ATOMIC" + body + "END");
            SqlAnalysis quoted = pg(header + "AS $$" + body + "$$");
            assertThat(atomic.statements()).as(header).isEqualTo(quoted.statements());
            assertThat(atomic.statements().get(0).traits().contains(Trait.ATTACHES_CODE))
                    .isEqualTo(header.contains("REPLACE"));
        }
        // no table of the body is the definition's own: the body is read from the catalog where a call runs it
        StatementAnalysis definition = pg(F + "BEGIN ATOMIC" + body + "END").statements().get(0);
        assertThat(definition.tablesRead()).isEmpty();
        assertThat(definition.tablesWritten()).containsExactly(new TableRef(null, "f"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // no END, or an END that closes nothing it may: where the body ends is not known
        F + "BEGIN ATOMIC SELECT 1; DROP TABLE victim",
        F + "BEGIN ATOMIC SELECT 1; SELECT 2; DROP TABLE victim",
        F + "BEGIN ATOMIC SELECT CASE WHEN k THEN 1; END; DROP TABLE victim",
        F + "BEGIN ATOMIC SELECT (1; END; DROP TABLE victim",
        F + "BEGIN ATOMIC SELECT 1 END; DROP TABLE victim",
        F + "BEGIN ATOMIC SELECT 1; END x; DROP TABLE victim",
        // END and CASE that may be names
        F + "BEGIN ATOMIC SELECT 1 AS end; END; DROP TABLE victim",
        F + "BEGIN ATOMIC SELECT t.end FROM t; END; DROP TABLE victim",
        F + "BEGIN ATOMIC SELECT 1 AS case; END; DROP TABLE victim",
        // nested, or elsewhere
        F + "BEGIN ATOMIC " + F + "BEGIN ATOMIC SELECT 1; END; END; DROP TABLE victim",
        "SELECT 1 AS begin atomic; SELECT 2; END; DROP TABLE victim",
        "CREATE FUNCTION f(k int DEFAULT (SELECT 1 FROM t WHERE begin atomic)) RETURNS int LANGUAGE sql "
                + "BEGIN ATOMIC SELECT 1; END; DROP TABLE victim",
    })
    void aBodyNotReadForCertainRefusesTheText(String sql) {
        SqlAnalysis a = pg(sql);
        assertThat(a.parsed()).as(sql).isFalse();
        assertThat(a.parseError()).as(sql).contains("BEGIN ATOMIC");
    }
}
