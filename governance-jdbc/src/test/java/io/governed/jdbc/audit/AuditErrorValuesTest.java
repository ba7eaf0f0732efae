package io.governed.jdbc.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

/** What an error message keeps once its values are removed, for the audit trail and scrubbed errors. */
class AuditErrorValuesTest {

    @Test
    void aValuePrintedBareAfterAColonIsRemovedAndTheSeverityAndStateKept() {
        AuditError error = AuditError.from(new SQLException(
                "ERROR: cross-database references are not implemented: liam.wright2@example.com\n  Position: 8", "0A000"));
        assertThat(error.message()).isEqualTo("ERROR: cross-database references are not implemented: ?")
                .doesNotContain("liam");
        assertThat(error.sqlState()).isEqualTo("0A000");
        assertThat(AuditError.from(new SQLException("improper qualified name (too many dotted names): a.b.c.d", "42601"))
                .message()).isEqualTo("improper qualified name (too many dotted names): ?");
    }

    /**
     * MariaDB prints a value between single quotes as it is, a quote inside it included ({@code o'brien}), so the quotes
     * of a message do not pair as its author meant: what lies between the first quote and the last one all goes.
     */
    @Test
    void aValueHoldingAQuoteOfItsOwnGoesWhole() {
        AuditError duplicate = AuditError.from(new SQLException(
                "(conn=3538) Duplicate entry 'pat.o'brien@example.com' for key 'email'", "23000"));
        assertThat(duplicate.message()).doesNotContain("brien").doesNotContain("example").startsWith("(conn=?) Duplicate entry ?");
        AuditError truncated = AuditError.from(new SQLException(
                "Truncated incorrect INTEGER value: 'o'neil.x@example.com'", "01000"));
        assertThat(truncated.message()).doesNotContain("neil").doesNotContain("example");
        AuditError twoQuotes = AuditError.from(new SQLException(
                "Duplicate entry 'a'b'c@example.com' for key 'email'", "23000"));
        assertThat(twoQuotes.message()).doesNotContain("b").doesNotContain("c@").doesNotContain("example");
        AuditError doubleQuoted = AuditError.from(new SQLException(
                "invalid input syntax for type integer: \"pat\"brien@example.com\"", "22P02"));
        assertThat(doubleQuoted.message()).doesNotContain("brien").doesNotContain("example");
        AuditError odd = AuditError.from(new SQLException(
                "Incorrect datetime value: 'pat.o'brien@example.com' at row 1", "22007"));
        assertThat(odd.message()).isEqualTo("Incorrect datetime value: ?");
    }

    @Test
    void aMessageWithoutAValueAfterAColonKeepsItsWords() {
        assertThat(AuditError.from(new SQLException("ERROR: permission denied for table accounts", "42501")).message())
                .isEqualTo("ERROR: permission denied for table accounts");
    }
}
