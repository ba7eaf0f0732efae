package io.governed.jdbc.masking;

import java.sql.SQLException;

/**
 * A getter that cannot return a masked column's value masked (a {@code getDouble} of a partially
 * masked card number, a {@code getArray} of a masked column, a conversion the driver failed).
 * Governance's own message, which names the column and the mask but never the value; SQLState
 * {@value MaskedColumnReader#SQLSTATE_UNMASKABLE}, or the driver's when the driver failed; for a column
 * under the {@code token} mask, {@value MaskedColumnReader#SQLSTATE_TOKEN_REFUSED}.
 */
public class UnmaskableColumnException extends SQLException {
    public UnmaskableColumnException(String message) {
        super(message, MaskedColumnReader.SQLSTATE_UNMASKABLE);
    }

    /** A masked column the driver could not read: its SQLState and vendor code, with governance's message. */
    public UnmaskableColumnException(String message, String sqlState, int vendorCode) {
        super(message, sqlState, vendorCode);
    }
}
