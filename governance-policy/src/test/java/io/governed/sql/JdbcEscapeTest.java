package io.governed.sql;

import static io.governed.sql.Analyses.pg;
import static io.governed.sql.Analyses.table;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** JDBC escape syntax is translated before parsing. */
class JdbcEscapeTest {

    @Test
    void callEscapeIsACallWithTheEscapeTrait() {
        StatementAnalysis s = pg("{call app.refresh(?, 'x')}");
        assertThat(s.action()).isEqualTo(Action.CALL);
        assertThat(s.traits()).contains(Trait.JDBC_ESCAPE);
        assertThat(s.routines()).containsExactly(table("app", "refresh"));
    }

    @Test
    void functionCallEscapeWithAReturnValueIsACall() {
        StatementAnalysis s = pg("{ ? = call compute(?) }");
        assertThat(s.action()).isEqualTo(Action.CALL);
        assertThat(s.traits()).contains(Trait.JDBC_ESCAPE);
        assertThat(s.routines()).containsExactly(table("compute"));
    }

    @Test
    void aPlainCallHasNoEscapeTrait() {
        assertThat(pg("CALL refresh(1)").traits()).doesNotContain(Trait.JDBC_ESCAPE);
    }

    @Test
    void scalarFunctionDateAndOuterJoinEscapesAreReadThrough() {
        StatementAnalysis s = pg("SELECT {fn ucase(u.name)} FROM {oj users u LEFT OUTER JOIN orders o ON u.id = o.uid} "
                + "WHERE created > {d '2024-01-01'} AND at < {ts '2024-01-01 00:00:00'} AND t < {t '10:00:00'} "
                + "AND name LIKE 'a\\_%' {escape '\\'}");
        assertThat(s.action()).isEqualTo(Action.SELECT);
        assertThat(s.tablesRead()).containsExactlyInAnyOrder(table("users"), table("orders"));
        assertThat(s.resultColumns().get(0).sources()).containsExactly(new SourceColumn(table("users"), "name"));
    }

    @Test
    void bracesInsideStringsAreNotEscapes() {
        StatementAnalysis s = pg("SELECT '{call evil()}' FROM t");
        assertThat(s.action()).isEqualTo(Action.SELECT);
        assertThat(s.traits()).doesNotContain(Trait.JDBC_ESCAPE);
    }

    @Test
    void aClosingBraceInsideACommentStringOrNameWithinAnEscapeIsRefused() {
        // pgjdbc ends {d …}, {t …}, {ts …}, {oj …}, {escape …} and the tail of {fn …} at the first '}', wherever it
        // stands: the comment, string or name would end early and the database read another statement
        for (String sql : new String[] {
            "SELECT 1 FROM {oj a LEFT JOIN b ON true /* *}/ ; DELETE FROM p; -- */ }",
            "SELECT {d '2020-01-01' /* *}/ , ssn FROM c -- */ }",
            "SELECT {fn lower(name) /* *}/ , ssn FROM c -- */ } FROM c",
            "SELECT {fn lower('x') || E'\\}' } || '; DELETE FROM p; -- '",
            "SELECT {t '10:00:00' || $a$ $}a$ ; DELETE FROM p; -- $a$ }",
            "SELECT a FROM t WHERE a LIKE 'x' {escape '!' -- }\n}",
            "SELECT {fn lower(\"}\")} FROM t",
            "SELECT {fn lower('}')} FROM t",
        }) {
            for (Dialect dialect : new Dialect[] {Dialect.POSTGRESQL, Dialect.H2, Dialect.MARIADB}) {
                if (dialect != Dialect.POSTGRESQL && sql.contains("$a$")) {
                    continue; // no $tag$ quotes there
                }
                SqlAnalysis analysis = Analyses.analyze(sql, dialect);
                assertThat(analysis.parsed()).as(dialect + ": " + sql).isFalse();
                assertThat(analysis.parseError()).as(sql).startsWith(SqlAnalyzer.READ_OTHERWISE).contains("within a JDBC escape");
            }
        }
    }

    @Test
    void closingBracesOutsideEscapesAndEscapesWithoutThemStillRead() {
        assertThat(pg("SELECT '{1,2}'::int[], {fn ucase(name)} /* {} */ FROM t WHERE x = '}'").action())
                .isEqualTo(Action.SELECT);
        assertThat(pg("SELECT {fn ucase(name)}, '}' FROM {oj a LEFT JOIN b ON a.id = b.id} -- }").tablesRead())
                .containsExactlyInAnyOrder(table("a"), table("b"));
    }

    @Test
    void onlyTheEscapedStatementOfSeveralHasTheTrait() {
        var statements = Analyses.statements("CALL a(); {call b()}", Dialect.POSTGRESQL);
        assertThat(statements.get(0).traits()).doesNotContain(Trait.JDBC_ESCAPE);
        assertThat(statements.get(1).traits()).contains(Trait.JDBC_ESCAPE);
    }
}
