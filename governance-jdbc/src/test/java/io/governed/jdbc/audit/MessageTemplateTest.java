package io.governed.jdbc.audit;

import io.governed.jdbc.pipeline.ErrorScrubbingStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.SQLException;
import java.sql.SQLWarning;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a caller values must not reach reads of a database's message: the fixed words its template starts with, not the
 * message less the values known shapes quote. Messages in shapes no pattern of quotes and colons knows (PostgreSQL's
 * translated templates quote with guillemets; a value printed bare before the first colon) keep none of the value.
 */
class MessageTemplateTest {
    private static final String VALUE = "qzxv.wren";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ERROR: invalid input syntax for type integer: \"qzxv.wren\"|invalid input syntax for type integer",
            "(conn=3538) Duplicate entry 'qzxv.wren' for key 'email'|Duplicate entry",
            "Truncated incorrect DOUBLE value: 'qzxv.wren'|Truncated incorrect DOUBLE value",
            "Data conversion error converting \"qzxv.wren\"; SQL statement:|Data conversion error converting",
            "ERROR: value too long for type character varying(3)|value too long for type character varying",
            "ERROR: date/time field value out of range: \"qzxv.wren\"|date/time field value out of range",
            "FEHLER: Relation »qzxv.wren« existiert nicht|FEHLER",
            "ERREUR: la relation « qzxv.wren » n'existe pas|ERREUR",
            "\"qzxv.wren\" is not a valid binary digit|''",
    })
    void keepsTheFixedWordsBeforeTheFirstCharacterOutsidePlainWords(String message, String kept) {
        assertThat(MessageTemplate.of(message)).isEqualTo(kept);
    }

    /** Under the scrubbing by pattern these showed the value: it knew neither guillemets nor a value before a colon. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Relation »qzxv.wren« existiert nicht|42P01",
            "la relation « qzxv.wren » n'existe pas|42P01",
            "Ungültiger Wert „qzxv.wren“|22023",
    })
    void aScrubbedErrorShowsNoFragmentOfAValueInAShapeNoPatternKnows(String message, String state) {
        SQLException scrubbed = ErrorScrubbingStage.scrubbed(new SQLException(message, state, 7));
        assertThat(scrubbed.getMessage()).doesNotContain("qzxv").doesNotContain("wren");
        assertThat(scrubbed.getSQLState()).isEqualTo(state);
        assertThat(scrubbed.getErrorCode()).isEqualTo(7);
    }

    @Test
    void theMessageSaysWhatClassOfErrorHappenedAndHowToSeeItAndScrubbingItAgainKeepsIt() {
        SQLException scrubbed = ErrorScrubbingStage.scrubbed(new SQLException(
                "ERROR: invalid input syntax for type integer: \"" + VALUE + "\"\n  Position: 8", "22P02"));
        assertThat(scrubbed.getMessage()).startsWith("invalid input syntax for type integer (SQLState 22P02, data exception)")
                .contains("no mask or row filter applies to").doesNotContain(VALUE);
        assertThat(ErrorScrubbingStage.scrubbed(scrubbed).getMessage()).isEqualTo(scrubbed.getMessage());
        SQLWarning bare = (SQLWarning) ErrorScrubbingStage.scrubbed(new SQLWarning("'" + VALUE + "' was cut", "01000"));
        assertThat(bare.getMessage()).startsWith("A database warning (SQLState 01000, warning)");
        assertThat(ErrorScrubbingStage.scrubbed(bare).getMessage()).isEqualTo(bare.getMessage());
    }

    @Test
    void aStateUserCodeComposedIsReplacedAndADefinedOneKept() {
        assertThat(MessageTemplate.userCodeState("73915")).isEqualTo(MessageTemplate.UNKNOWN_STATE);
        assertThat(MessageTemplate.userCodeState("QZXVW")).isEqualTo(MessageTemplate.UNKNOWN_STATE);
        assertThat(MessageTemplate.userCodeState("23505")).isEqualTo("23505");
        assertThat(MessageTemplate.userCodeState("40001")).isEqualTo("40001");
        assertThat(MessageTemplate.userCodeState("P0001")).isEqualTo("P0001");
        assertThat(MessageTemplate.userCodeState("45000")).isEqualTo("45000");
        assertThat(MessageTemplate.userCodeState("42S02")).isEqualTo("42S02");
        SQLException withheld = ErrorScrubbingStage.withheld(new SQLException("no", "73915", 7391));
        assertThat(withheld.getSQLState()).isEqualTo("HY000");
        assertThat(withheld.getErrorCode()).isZero();
        assertThat(MessageTemplate.userCodeVendorCode("23505", 23505)).as("a pair H2 defines").isEqualTo(23505);
        assertThat(MessageTemplate.userCodeVendorCode("45000", 4242)).isZero();
        assertThat(MessageTemplate.userCodeVendorCode("73915", 73915)).isZero();
        assertThat(AuditError.fromUserCode(new SQLException("no", "73915", 7391)).message()).doesNotContain("7391");
        assertThat(AuditError.fromUserCode(new SQLException("no", "73915", 7391)).sqlState()).isEqualTo("HY000");
    }
}
