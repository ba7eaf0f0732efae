package io.governed.sql;

import static io.governed.sql.Analyses.first;
import static io.governed.sql.Analyses.maria;
import static io.governed.sql.Analyses.table;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code CONVERT(value, type)} of MariaDB and H2, which the parser reads as SQL Server's {@code CONVERT(type, value)}:
 * the value converted is what the parser took for a type's name ({@code CONVERT(ssn, CHAR)} returns the SSN as it is),
 * so its columns are the result's sources, a filter's columns and a computation's, as in {@code CAST(ssn AS CHAR)}.
 */
class ConvertToTypeTest {

    private static final TableRef CUSTOMERS = table("customers");

    @Test
    void theValueConvertedIsTheResultsSource() {
        ResultColumn converted = maria("SELECT CONVERT(c.ssn, CHAR) AS v FROM customers c").resultColumns().get(0);
        // the type, which the parser read as a value (a column CHAR), stays a source too: it can only add a mask
        assertThat(converted.sources()).contains(new SourceColumn(CUSTOMERS, "ssn"));
        assertThat(converted.transformed()).isTrue();
        ResultColumn h2 = first("SELECT CONVERT(ssn, CHAR(3)) AS v FROM customers", Dialect.H2).resultColumns().get(0);
        assertThat(h2.sources()).contains(new SourceColumn(table("CUSTOMERS"), "SSN")); // H2 folds names to upper case
    }

    @Test
    void theValueConvertedInAConditionIsAFiltersColumnAndAComputation() {
        StatementAnalysis filtered = maria("SELECT c.id FROM customers c WHERE CONVERT(c.ssn, CHAR) < '5'");
        assertThat(filtered.columns()).contains(new ColumnRef(CUSTOMERS, "ssn", Clause.WHERE));
        StatementAnalysis computed = maria("SELECT CONVERT(c.ssn, SIGNED) AS v FROM customers c");
        assertThat(computed.columns()).contains(new ColumnRef(CUSTOMERS, "ssn", Clause.COMPUTED));
    }

    @Test
    void aValueTheParserCannotReadAgainIsRefusedAsReadOtherwise() {
        SqlAnalysis misread = Analyses.analyze("SELECT CONVERT(VARCHAR, ssn) AS v FROM customers", Dialect.MARIADB);
        assertThat(misread.parsed()).isFalse();
        assertThat(misread.parseError()).startsWith(SqlAnalyzer.READ_OTHERWISE);
    }

    @Test
    void sqlServerReadsTheTypeFirst() {
        ResultColumn converted = first("SELECT CONVERT(VARCHAR, ssn) AS v FROM customers", Dialect.SQLSERVER)
                .resultColumns().get(0);
        assertThat(converted.sources()).containsExactly(new SourceColumn(CUSTOMERS, "ssn"));
    }
}
