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

    @Test
    void aMessageWithoutAValueAfterAColonKeepsItsWords() {
        assertThat(AuditError.from(new SQLException("ERROR: permission denied for table accounts", "42501")).message())
                .isEqualTo("ERROR: permission denied for table accounts");
    }
}
