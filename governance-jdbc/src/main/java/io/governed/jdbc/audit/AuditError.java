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

    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/");
    private static final Pattern KEY_VALUE_DETAIL = Pattern.compile("=\\((?:[^()]|\\([^()]*\\))*\\)");
    /** pgjdbc's conversion error, which prints the value bare after the colon: {@code Bad value for type int : 219-…}. */
    private static final Pattern BAD_VALUE = Pattern.compile("(?i)(bad value for type [^:]*:).*");
    /** Numbers, which drivers print bare (a duplicate key, a value out of range). */
    /**
     * Text after a colon (past a leading severity such as PostgreSQL's {@code ERROR:}): where a message
     * prints the offending value bare ({@code cross-database references are not implemented: bob@x.com}).
     */
    private static final Pattern AFTER_COLON = Pattern.compile(
            "^((?:(?:ERROR|FATAL|PANIC|WARNING|NOTICE|INFO|DEBUG|LOG):\\s+)?+[^:]*:)\\s(?!\\?).*$");
    private static final Pattern NUMBER = Pattern.compile("(?<![A-Za-z_])[-+]?\\d+(?:[.,]\\d+)*(?![A-Za-z_])");

    public AuditError {
        Objects.requireNonNull(message, "message");
    }

    /**
     * The audit form of a database error: its SQLState and the first line of its message with every
     * quoted text (single, double or back quotes), comment, {@code =(value)} detail, number and
     * the value of a {@code Bad value for type …:} conversion error, and whatever follows a colon past the
     * severity (where a value may be printed bare) replaced by {@code ?}.
     *
     * <p>Database messages carry the offending value in many shapes ({@code Key (email)=(bob@example.com)
     * already exists}, H2's {@code "PUBLIC.T(ID) ( 42 )"}, MariaDB's {@code Duplicate entry '42'});
     * this keeps them out of the audit trail at the price of also hiding quoted object names. It is a
     * best effort over free text: a driver that prints a value as a bare word is not caught.
     */
    public static AuditError from(SQLException e) {
        return new AuditError(e.getSQLState(), withoutValues(String.valueOf(e.getMessage())));
    }

    /**
     * What the audit trail records of the message of an error or warning raised in code the database ran for a
     * statement (a user routine, a trigger, a {@code DO} block): nothing of the text, which such code composes with
     * any value it reads ({@code RAISE EXCEPTION '%', v}, {@code SIGNAL … SET MESSAGE_TEXT = v}) in a shape no
     * scrubbing can tell from words.
     */
    static final String FROM_USER_CODE = "the database's message is not recorded, as code the database ran for the"
            + " statement (a user routine, trigger or DO block) may have composed it with values";

    /**
     * The audit form of an error of a statement that may have run code of the database's users: its SQLState when the
     * databases define it ({@link MessageTemplate#userCodeState}: such code may compose it from a value), the kind of
     * exception, its vendor code only where {@link MessageTemplate#userCodeVendorCode} keeps it (such code may set it to
     * any number), and no part of its message ({@link #FROM_USER_CODE}).
     */
    public static AuditError fromUserCode(SQLException e) {
        int code = MessageTemplate.userCodeVendorCode(e.getSQLState(), e.getErrorCode());
        return new AuditError(MessageTemplate.userCodeState(e.getSQLState()), e.getClass().getSimpleName()
                + (code == 0 ? "" : " with vendor code " + code) + ": " + FROM_USER_CODE);
    }

    /** The quote characters around quoted text in databases' messages. */
    private static final String QUOTES = "'\"`";

    /**
     * {@code text} with everything from the first quote character to the last one replaced by {@code ?}, or to the
     * end when there is an odd number of them: text in single, double or back quotes (values, and names that may hold values: H2
     * quotes whole details). Quotes do not pair as the message's author meant when a value holds a quote of its own:
     * MariaDB prints a value between single quotes as it is ({@code Duplicate entry 'pat.o'brien@example.com' for key
     * 'email'}), so a span is removed whole rather than each pair. A quote in a word of the message ({@code doesn't})
     * costs the words after it.
     */
    private static String quotedSpan(String text) {
        int first = -1;
        int last = -1;
        int count = 0;
        for (int i = 0; i < text.length(); i++) {
            if (QUOTES.indexOf(text.charAt(i)) >= 0) {
                first = first < 0 ? i : first;
                last = i;
                count++;
            }
        }
        if (first < 0) {
            return text;
        }
        // an odd number of quotes: the last may open a value that runs to the end
        return text.substring(0, first) + "?" + (count % 2 == 0 ? text.substring(last + 1) : "");
    }

    static String withoutValues(String message) {
        int newline = message.indexOf('\n');
        String text = (newline < 0 ? message : message.substring(0, newline)).strip();
        text = COMMENT.matcher(text).replaceAll("?");
        text = quotedSpan(text);
        text = KEY_VALUE_DETAIL.matcher(text).replaceAll("=(?)");
        text = BAD_VALUE.matcher(text).replaceAll("$1 ?");
        text = NUMBER.matcher(text).replaceAll("?");
        return AFTER_COLON.matcher(text).replaceAll("$1 ?");
    }
}
