package io.governed.sql;

import static io.governed.sql.Analyses.first;
import static io.governed.sql.Analyses.table;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's and H2's {@code x = ANY(array)} ({@code ALL}, {@code SOME}) is a comparison, not a call of a routine
 * named {@code any}: those words are reserved there. A quoted or qualified name, or MariaDB's {@code any(…)}, stays a call.
 */
class ArrayComparisonTest {

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | SELECT id FROM customers WHERE id = ANY(?)",
        "POSTGRESQL | SELECT id FROM customers WHERE id = ANY('{1,2}'::int[])",
        "POSTGRESQL | SELECT id FROM customers WHERE name = any(ARRAY['a', 'b'])",
        "POSTGRESQL | SELECT id FROM customers WHERE id <> ALL(CAST(? AS int[]))",
        "POSTGRESQL | DELETE FROM orders WHERE id = SOME(?)",
        "H2         | SELECT id FROM customers WHERE id = ANY(?)",
    })
    void anArrayComparisonCallsNoRoutine(Dialect dialect, String sql) {
        StatementAnalysis s = first(sql, dialect);
        assertThat(s.routines()).as(sql).isEmpty();
        assertThat(s.traits()).as(sql).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | SELECT id FROM customers WHERE id = \"any\"(?)",
        "POSTGRESQL | SELECT id FROM customers WHERE id = public.any(?)",
        "POSTGRESQL | SELECT any(id, name) FROM customers",
        "MARIADB    | SELECT id FROM customers WHERE id = any(?)",
    })
    void aQuotedQualifiedOrOtherAnyIsACall(Dialect dialect, String sql) {
        assertThat(first(sql, dialect).routines()).as(sql).isNotEmpty();
    }

    @Test
    void theComparisonDerivesFromItsOperands() {
        StatementAnalysis s = first("SELECT ssn = ANY(ARRAY[email]) AS m FROM customers", Dialect.POSTGRESQL);
        assertThat(s.resultColumns().get(0).unknownLineage()).isFalse();
        assertThat(s.resultColumns().get(0).sources()).contains(new SourceColumn(table("customers"), "email"));
    }
}
