package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** H2's {@code TABLE(name type = expression, …)} is read, and its columns carry its expressions' lineage. */
class H2TableFunctionTest {

    @Test
    void aTableOfLiteralsDerivesFromNoTable() {
        SqlAnalysis analysis = new SqlAnalyzer().analyze("SELECT * FROM TABLE(x INT = ARRAY[1, 2, 3])", Dialect.H2);
        assertThat(analysis.parseError()).isNull();
        StatementAnalysis s = analysis.statements().get(0);
        assertThat(s.action()).isEqualTo(Action.SELECT);
        assertThat(s.resultColumns()).allSatisfy(c -> {
            assertThat(c.unknownLineage()).isFalse();
            assertThat(c.sources()).isEmpty();
        });
    }

    @Test
    void aTableOverASubqueryCarriesItsColumns() {
        SqlAnalysis analysis = new SqlAnalyzer().analyze(
                "SELECT * FROM TABLE(a INT = ARRAY[1, 2], b VARCHAR(20) = (SELECT ARRAY_AGG(ssn) FROM customers)) t",
                Dialect.H2);
        assertThat(analysis.parseError()).isNull();
        StatementAnalysis s = analysis.statements().get(0);
        assertThat(s.tablesRead()).extracting(TableRef::name).contains("CUSTOMERS");
        assertThat(s.resultColumns()).anySatisfy(c -> assertThat(c.sources()).extracting(SourceColumn::column).contains("SSN"));
    }

    @Test
    void aTableWithoutAnAssignmentIsStillUnreadable() {
        assertThat(new SqlAnalyzer().analyze("SELECT * FROM TABLE(x INT)", Dialect.H2).parsed()).isFalse();
    }
}
