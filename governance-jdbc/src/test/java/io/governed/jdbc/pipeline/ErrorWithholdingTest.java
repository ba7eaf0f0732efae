package io.governed.jdbc.pipeline;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.audit.AuditError;
import io.governed.policy.Decision;
import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLWarning;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exception a caller errors are scrubbed for gets in place of one raised in user code: no part of the database's
 * message, the same SQLState, vendor code and kind, nothing chained; every warning of a chain alike; a fixed text that
 * scrubbing leaves as it is; and governance's own exceptions unchanged.
 */
class ErrorWithholdingTest {
    private static final String VALUE = "olivia.wren@example.com";

    @Test
    void anErrorKeepsItsStateCodeAndKindAndNothingOfItsMessage() {
        SQLException original = new SQLIntegrityConstraintViolationException("taken by " + VALUE, "23505", 7,
                new RuntimeException(VALUE));
        original.setNextException(new SQLException(VALUE));
        original.addSuppressed(new IllegalStateException(VALUE));

        SQLException withheld = ErrorScrubbingStage.withheld(original);

        assertThat((Throwable) withheld).isInstanceOf(SQLIntegrityConstraintViolationException.class);
        assertThat(withheld.getSQLState()).isEqualTo("23505");
        assertThat(withheld.getErrorCode()).as("user code may set the vendor code to any number").isZero();
        assertThat(withheld.getMessage()).isEqualTo(ErrorScrubbingStage.WITHHELD_ERROR).doesNotContain("taken");
        assertThat(withheld.getCause()).isNull();
        assertThat((Throwable) withheld.getNextException()).isNull();
        assertThat(withheld.getSuppressed()).isEmpty();
    }

    @Test
    void aBatchKeepsItsCounts() {
        BatchUpdateException original = new BatchUpdateException(VALUE, "P0001", 0, new long[] {1, -3}, null);
        SQLException withheld = ErrorScrubbingStage.withheld(original);
        assertThat((Throwable) withheld).isInstanceOfSatisfying(BatchUpdateException.class,
                b -> assertThat(b.getLargeUpdateCounts()).containsExactly(1, -3));
        assertThat(withheld.getMessage()).doesNotContain(VALUE);
    }

    @Test
    void everyWarningOfAChainIsWithheld() {
        SQLWarning first = new SQLWarning("looked at " + VALUE, "00000");
        first.setNextWarning(new SQLWarning("token quokka", "01000", 3));
        SQLWarning withheld = (SQLWarning) ErrorScrubbingStage.withheld(first);
        assertThat(withheld.getMessage()).isEqualTo(ErrorScrubbingStage.WITHHELD_WARNING);
        assertThat((Throwable) withheld.getNextWarning()).isNotNull();
        assertThat(withheld.getNextWarning().getMessage()).isEqualTo(ErrorScrubbingStage.WITHHELD_WARNING);
        assertThat(withheld.getNextWarning().getSQLState()).isEqualTo("01000");
        assertThat(withheld.getNextWarning().getErrorCode()).isZero();
        assertThat((Throwable) withheld.getNextWarning().getNextWarning()).isNull();
    }

    @Test
    void scrubbingTheFixedTextAgainLeavesItAsItIs() {
        SQLException withheld = ErrorScrubbingStage.withheld(new SQLException(VALUE, "P0001"));
        assertThat(ErrorScrubbingStage.scrubbed(withheld).getMessage()).isEqualTo(ErrorScrubbingStage.WITHHELD_ERROR);
        SQLWarning warning = (SQLWarning) ErrorScrubbingStage.withheld(new SQLWarning(VALUE));
        assertThat(ErrorScrubbingStage.scrubbed(warning).getMessage()).isEqualTo(ErrorScrubbingStage.WITHHELD_WARNING);
        assertThat(ErrorScrubbingStage.WITHHELD_ERROR).contains("log of the database", "no mask or row filter");
    }

    @Test
    void governancesOwnExceptionsPassUnchanged() {
        GovernanceException refusal = new GovernanceException(Decision.deny(List.of("r"), "denied"));
        assertThat((Throwable) ErrorScrubbingStage.withheld(refusal)).isSameAs(refusal);
    }

    @Test
    void theAuditFormKeepsStateKindAndCodeAndNoMessage() {
        AuditError error = AuditError.fromUserCode(new SQLIntegrityConstraintViolationException("taken by " + VALUE,
                "23505", 7));
        assertThat(error.sqlState()).isEqualTo("23505");
        assertThat(error.message()).contains("SQLIntegrityConstraintViolationException").doesNotContain(VALUE, "taken")
                .as("a vendor code user code may have set").doesNotContain("7");
        assertThat(AuditError.fromUserCode(new SQLIntegrityConstraintViolationException("taken", "23505", 23505)).message())
                .as("a state and code H2 defines as a pair").contains("vendor code 23505");
    }
}
