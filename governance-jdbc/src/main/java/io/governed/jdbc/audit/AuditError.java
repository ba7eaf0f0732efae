package io.governed.jdbc.audit;

import java.sql.SQLException;
import java.util.Objects;

/**
 * Why a statement failed, as an audit event records it.
 *
 * @param sqlState the SQLState, or {@code null} when there is none
 * @param message  a one-line description without data values
 */
public record AuditError(String sqlState, String message) {

    public AuditError {
        Objects.requireNonNull(message, "message");
    }

    /** What the message field reads in place of the database's words when its message opens with a variable part. */
    static final String NO_FIXED_WORDS = "the database's message opens with a part that may hold a value, and is not recorded";

    /**
     * The audit form of a failure, built only from what holds no value, for every caller (masked or not): the kind of
     * exception (its class's simple name), its vendor code where {@link MessageTemplate#userCodeVendorCode} keeps it, and
     * the fixed words its message opens with ({@link MessageTemplate#of}: its first line, past a severity, up to the first
     * character that is not an ASCII letter, space, comma, hyphen or slash), or {@link #NO_FIXED_WORDS}; its SQLState
     * where the databases define it ({@link MessageTemplate#userCodeState}, else {@code HY000}). Nothing after the opening
     * words is kept, so no value a database prints (quoted or bare, after a colon, a number, a parenthesis, on a later
     * line) reaches the trail, whatever its shape: e.g. {@code PSQLException: duplicate key value violates unique
     * constraint}. The whole message is in the database's log, or the caller's exception when no mask or row filter applies
     * to it.
     *
     * <p>Governance's own exceptions keep their SQLState (a constant of the driver); one whose message holds no value by
     * construction ({@link ValueFreeMessage}, the class name of an unchecked exception the delegate driver threw) is
     * recorded with that message alone.
     */
    public static AuditError from(SQLException e) {
        if (e instanceof ValueFreeMessage) {
            return new AuditError(e.getSQLState(), String.valueOf(e.getMessage()));
        }
        int code = MessageTemplate.userCodeVendorCode(e.getSQLState(), e.getErrorCode());
        String words = MessageTemplate.of(e.getMessage());
        return new AuditError(recordedState(e),
                kind(e) + (code == 0 ? "" : " with vendor code " + code) + ": " + (words.isEmpty() ? NO_FIXED_WORDS : words));
    }

    /**
     * The SQLState of {@code e} as the trail and the telemetry record it: governance's own exceptions' as they are (a
     * constant of the driver), any other's only where the databases define it ({@link MessageTemplate#userCodeState},
     * else {@code HY000}), since code of the database's users may compose it from a value ({@code RAISE … USING ERRCODE
     * = left(v, 5)}, {@code SIGNAL SQLSTATE v}).
     */
    public static String recordedState(SQLException e) {
        return e.getClass().getName().startsWith("io.governed.") ? e.getSQLState()
                : MessageTemplate.userCodeState(e.getSQLState());
    }

    /** The simple name of {@code e}'s class (its full name when it has none): a name in code, never a value. */
    private static String kind(SQLException e) {
        String name = e.getClass().getSimpleName();
        return name.isEmpty() ? e.getClass().getName() : name;
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
        return new AuditError(MessageTemplate.userCodeState(e.getSQLState()), kind(e)
                + (code == 0 ? "" : " with vendor code " + code) + ": " + FROM_USER_CODE);
    }
}
