package io.governed.jdbc.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;

import org.junit.jupiter.api.Test;

/**
 * What the audit trail records of a database's error, for every caller: the kind of exception, the fixed words its
 * message opens with ({@link MessageTemplate#of}), a vendor code and SQLState only from the databases' lists; nothing
 * after the first character that may start a variable part, whatever shape the value has.
 */
class AuditErrorValuesTest {

    @Test
    void aValuePrintedBareAfterAColonOrANumberGoesWithEverythingAfterTheOpeningWords() {
        AuditError error = AuditError.from(new SQLException(
                "ERROR: cross-database references are not implemented: liam.wright2@example.com\n  Position: 8", "0A000"));
        assertThat(error.message()).isEqualTo("SQLException: cross-database references are not implemented");
        assertThat(error.sqlState()).isEqualTo("0A000");
        // PostgreSQL prints a dotted name bare after a quoted number; the number's removal used to uncover the rest
        assertThat(AuditError.from(new SQLException(
                "ERROR: improper relation name (too many dotted names): 7302958164.qzxjvk.wyqzx.vkzqj", "42601")).message())
                .isEqualTo("SQLException: improper relation name").doesNotContain("qzxjvk");
    }

    /** MariaDB prints a value between single quotes as it is, a quote inside it included ({@code o'brien}). */
    @Test
    void aValueHoldingAQuoteOfItsOwnIsNotRecorded() {
        AuditError duplicate = AuditError.from(new SQLIntegrityConstraintViolationException(
                "(conn=3538) Duplicate entry 'pat.o'brien@example.com' for key 'email'", "23000", 1062));
        assertThat(duplicate.message()).isEqualTo("SQLIntegrityConstraintViolationException: Duplicate entry");
        AuditError odd = AuditError.from(new SQLDataException(
                "Incorrect datetime value: 'pat.o'brien@example.com' at row 1", "22007", 1292));
        assertThat(odd.message()).isEqualTo("SQLDataException: Incorrect datetime value");
    }

    /** A message that opens with a variable part (a value raised as the whole message, a quoted name) keeps none of it. */
    @Test
    void aMessageOpeningWithAVariablePartKeepsNoneOfIt() {
        assertThat(AuditError.from(new SQLException("\"qzxjvk\" is not a valid binary digit", "22P02")).message())
                .isEqualTo("SQLException: " + AuditError.NO_FIXED_WORDS);
        assertThat(AuditError.from(new SQLException("7302958164 qzxjvk", "22P02")).message())
                .isEqualTo("SQLException: " + AuditError.NO_FIXED_WORDS);
        assertThat(AuditError.from(new SQLException("Ωжqzxjvk", "22P02")).message())
                .isEqualTo("SQLException: " + AuditError.NO_FIXED_WORDS);
    }

    @Test
    void aMessageWithoutAVariablePartKeepsItsWords() {
        assertThat(AuditError.from(new SQLException("ERROR: permission denied for table accounts", "42501")).message())
                .isEqualTo("SQLException: permission denied for table accounts");
    }

    /** A SQLState or vendor code outside the databases' lists may be a value a routine set: neither is recorded. */
    @Test
    void aStateOrVendorCodeOffTheListsIsNotRecorded() {
        AuditError error = AuditError.from(new SQLException("refused", "QZXJV", 73915));
        assertThat(error.sqlState()).isEqualTo(MessageTemplate.UNKNOWN_STATE);
        assertThat(error.message()).isEqualTo("SQLException: refused").doesNotContain("73915");
        // one of H2's own pairs is kept
        assertThat(AuditError.from(new SQLException("General error", "HY000", 50000)).message())
                .isEqualTo("SQLException with vendor code 50000: General error");
    }
}
