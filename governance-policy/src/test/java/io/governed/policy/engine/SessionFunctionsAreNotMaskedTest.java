package io.governed.policy.engine;

import io.governed.sql.Dialect;
import io.governed.sql.ResultColumn;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What schema tools ask about the session (Flyway's {@code CALL SCHEMA()}, {@code SELECT current_schema()}, an
 * advisory lock) derives from no table, so a policy with masks does not redact it: a redacted schema name would
 * send the tool to a schema called {@code ****}.
 */
class SessionFunctionsAreNotMaskedTest {

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "H2         | CALL SCHEMA()",
        "H2         | SELECT SCHEMA()",
        "H2         | SELECT H2VERSION()",
        "POSTGRESQL | SELECT current_schema()",
        "POSTGRESQL | SELECT current_database()",
        "POSTGRESQL | SELECT version()",
        "POSTGRESQL | SELECT pg_try_advisory_lock(77431708279161)",
        "POSTGRESQL | SHOW search_path",
        "POSTGRESQL | SELECT has_table_privilege('customers', 'select')",
        "POSTGRESQL | SELECT pg_has_role('analyst', 'member')",
        "POSTGRESQL | SELECT pg_try_advisory_xact_lock(?)",
        "POSTGRESQL | SELECT pg_advisory_unlock(?)",
        "POSTGRESQL | SELECT pg_advisory_unlock_all()",
        "MARIADB    | SELECT GET_LOCK(?,10)",
        "MARIADB    | SELECT GET_LOCK('flyway-lock',10)",
        "MARIADB    | SELECT RELEASE_LOCK(?)",
        "MARIADB    | SELECT IS_FREE_LOCK(?)",
        "MARIADB    | SELECT IS_USED_LOCK(?)",
        "MARIADB    | SELECT RELEASE_ALL_LOCKS()",
    })
    void sessionStateDerivesFromNoTable(Dialect dialect, String sql) {
        SqlAnalysis analysis = new SqlAnalyzer().analyze(sql, dialect);
        assertThat(analysis.parseError()).isNull();
        ResultColumn column = analysis.statements().get(0).resultColumns().get(0);
        assertThat(column.unknownLineage()).isFalse();
        assertThat(column.sources()).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "SELECT FORMATDATETIME(signed_up, 'yyyy') FROM customers",
        "SELECT PARSEDATETIME(day_text, 'yyyy-MM-dd') FROM customers",
    })
    void h2DateFunctionsDeriveFromTheirArguments(String sql) {
        ResultColumn column = new SqlAnalyzer().analyze(sql, Dialect.H2).statements().get(0).resultColumns().get(0);
        assertThat(column.unknownLineage()).isFalse();
        assertThat(column.sources()).hasSize(1);
    }

    /** A lock keyed by a column answers about the column's values (IS_USED_LOCK(ssn) probes GET_LOCK(ssn, 0)): its lineage. */
    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "MARIADB    | SELECT IS_USED_LOCK(ssn) FROM customers",
        "MARIADB    | SELECT GET_LOCK(ssn, 0) FROM customers",
        "MARIADB    | SELECT IS_FREE_LOCK(CONCAT('k', ssn)) FROM customers",
        "POSTGRESQL | SELECT pg_try_advisory_lock_shared(hashtext(ssn)) FROM customers",
        "POSTGRESQL | SELECT pg_try_advisory_lock(length(ssn)) FROM customers",
    })
    void aLockKeyedByAColumnKeepsItsLineage(Dialect dialect, String sql) {
        ResultColumn column = new SqlAnalyzer().analyze(sql, dialect).statements().get(0).resultColumns().get(0);
        assertThat(column.unknownLineage() || column.sources().stream().anyMatch(s -> s.column().equals("ssn"))).isTrue();
    }

    @org.junit.jupiter.api.Test
    void aJsonTableOverALiteralDerivesFromNoTable() {
        SqlAnalysis analysis = new SqlAnalyzer().analyze(
                "SELECT * FROM JSON_TABLE('[1, 2]', '$[*]' COLUMNS (x INT PATH '$')) AS t", Dialect.MARIADB);
        ResultColumn column = analysis.statements().get(0).resultColumns().get(0);
        assertThat(column.unknownLineage()).isFalse();
        assertThat(column.sources()).isEmpty();
        ResultColumn fromSsn = new SqlAnalyzer().analyze(
                "SELECT t.x FROM customers c, JSON_TABLE(c.ssn, '$[*]' COLUMNS (x INT PATH '$')) AS t", Dialect.MARIADB)
                .statements().get(0).resultColumns().get(0);
        assertThat(fromSsn.sources()).extracting(s -> s.column()).contains("ssn");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {"SELECT my_function()", "SELECT my_schema.lookup_secret(1)"})
    void otherFunctionsStillHaveUnknownLineage(String sql) {
        SqlAnalysis analysis = new SqlAnalyzer().analyze(sql, Dialect.POSTGRESQL);
        assertThat(analysis.statements().get(0).resultColumns().get(0).unknownLineage()).isTrue();
    }
}
