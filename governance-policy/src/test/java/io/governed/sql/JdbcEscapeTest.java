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
    void onlyTheEscapedStatementOfSeveralHasTheTrait() {
        var statements = Analyses.statements("CALL a(); {call b()}", Dialect.POSTGRESQL);
        assertThat(statements.get(0).traits()).doesNotContain(Trait.JDBC_ESCAPE);
        assertThat(statements.get(1).traits()).contains(Trait.JDBC_ESCAPE);
    }
}
