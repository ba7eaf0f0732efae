package io.governed.jdbc.audit;

import java.sql.SQLException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Why a statement failed, as an audit event records it.
 *
 * @param sqlState the SQLState, or {@code null} when there is none
 * @param message  a one-line description without data values
 */
public record AuditError(String sqlState, String message) {

    private static final Pattern QUOTED_LITERAL = Pattern.compile("'(?:[^']|'')*'");
    private static final Pattern KEY_VALUE_DETAIL = Pattern.compile("=\\((?:[^()]|\\([^()]*\\))*\\)");

    public AuditError {
        Objects.requireNonNull(message, "message");
    }

    /**
     * The audit form of a database error: its SQLState and the first line of its message with quoted
     * literals and {@code =(value)} details replaced by {@code ?}.
     *
     * <p>Database messages often quote the offending value ({@code Key (email)=(bob@example.com)
     * already exists}); this keeps such values out of the audit trail. It is a best effort: a driver
     * that puts values into a message unquoted is not caught.
     */
    public static AuditError from(SQLException e) {
        return new AuditError(e.getSQLState(), withoutValues(String.valueOf(e.getMessage())));
    }

    static String withoutValues(String message) {
        int newline = message.indexOf('\n');
        String firstLine = newline < 0 ? message : message.substring(0, newline);
        String noLiterals = QUOTED_LITERAL.matcher(firstLine.strip()).replaceAll("?");
        return KEY_VALUE_DETAIL.matcher(noLiterals).replaceAll("=(?)");
    }
}
