package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;
import io.governed.jdbc.audit.MessageTemplate;
import io.governed.policy.engine.PolicyEngine;
import io.governed.policy.masking.MaskPlanner;

import java.sql.BatchUpdateException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.sql.SQLWarning;

/**
 * Stage 4: database errors lose their values. A database's message often quotes the value that
 * failed ({@code invalid input syntax for type integer: "219-09-9999"}, {@code Key (email)=(…)
 * already exists}), so a caller a mask applies to could read a masked column through an error, and a
 * caller a row filter restricts could read rows the filter hides (a database may evaluate the caller's
 * condition on rows the rewrite's filter then drops, and warn with their values: MariaDB's
 * {@code Truncated incorrect DOUBLE value: '…'}). For such a caller every error of the database (a
 * failed statement, a row or value read, a commit, a warning) is replaced by one whose message is built from what is
 * proven to hold no value ({@link MessageTemplate#message}: the fixed words the database's message starts with, up to
 * its first quote, colon, parenthesis, digit or other character outside plain ASCII words, the SQLState and what its
 * class says, and where to read the whole message), rather than the database's message with the values it is known to
 * quote removed, with the same SQLState, vendor code and kind ({@code SQLIntegrityConstraintViolationException},
 * {@code BatchUpdateException} with its counts, a chain of {@code SQLWarning}s), and no cause or
 * suppressed exception through which the original could be reached.
 *
 * <p>A statement that may run code of the database's users ({@link Execution#mayRunUserCode}: it calls a user routine,
 * runs a {@code DO} block or a {@code CALL}, writes a relation whose triggers, defaults or checks run routines) gets no
 * part of the database's message back: such code composes messages with any value it reads ({@code RAISE EXCEPTION
 * '%', v}, {@code RAISE NOTICE}, {@code USING DETAIL}, MariaDB's {@code SIGNAL … SET MESSAGE_TEXT = v}), and a value
 * printed bare as a word (a name, an e-mail address, a token) is nothing scrubbing can tell from the message's own
 * words. Such code may also set the SQLState ({@code RAISE … USING ERRCODE = left(v, 5)}) and the vendor code
 * ({@code SIGNAL … SET MYSQL_ERRNO = v}). Its errors and warnings are replaced by ones with a fixed message
 * ({@link #withheld}), the same kind, the SQLState only where the databases define it for a condition of their own
 * ({@link MessageTemplate#userCodeState}, else {@code HY000}) and no vendor code ({@code 0}); so are those of a commit after such a statement (deferred constraint triggers run then) and the
 * warnings of the statement and the connection after it, as the wrappers tell {@link StatementPipeline#databaseError(Identity,
 * SQLException, boolean)}.
 *
 * <p>Callers no mask and no row filter apply to see the database's own exceptions. Governance's own
 * exceptions (refusals), which carry no values, pass unchanged.
 */
public final class ErrorScrubbingStage extends PipelineStage {
    private final PolicyEngine engine;
    private final MaskPlanner planner;
    private final boolean anyRowFilter;

    /** @param engine the policy's engine, or {@code null} when there is no policy (then nothing is scrubbed) */
    public ErrorScrubbingStage(PolicyEngine engine) {
        this.engine = engine;
        this.planner = engine == null ? null : engine.maskPlanner();
        this.anyRowFilter = engine != null && !engine.policy().rowFilters().isEmpty();
    }

    @Override
    public SQLException failed(Execution execution, SQLException failure) {
        if (!appliesTo(execution.identity())) {
            return failure;
        }
        return execution.mayRunUserCode() ? withheld(failure) : scrubbed(failure);
    }

    @Override
    public SQLException databaseError(Identity identity, SQLException error) {
        return appliesTo(identity) ? scrubbed(error) : error;
    }

    /** Whether errors are scrubbed for {@code identity}: a mask or a row filter applies to it, or it is unknown. */
    boolean appliesTo(Identity identity) {
        if (engine == null) {
            return false;
        }
        if (identity == null) {
            return true;
        }
        return planner.masksAnythingFor(identity) || anyRowFilter && engine.rowFiltersApplyTo(identity);
    }

    /**
     * {@code error} with its message scrubbed as the audit trail scrubs it, its SQLState, vendor code
     * and kind kept, and nothing attached: no cause, no suppressed exception, no next exception
     * (pgjdbc puts the server's full error there). A warning keeps its chain of next warnings, each
     * scrubbed alike. Governance's own exceptions come back as they are.
     */
    public static SQLException scrubbed(SQLException error) {
        if (error == null || error.getClass().getName().startsWith("io.governed.")) {
            return error;
        }
        SQLException clean = copy(error, scrubbedMessage(error));
        clean.setStackTrace(error.getStackTrace());
        if (clean instanceof SQLWarning warning && error instanceof SQLWarning original) {
            SQLWarning tail = warning;
            int guard = 0;
            for (SQLWarning next = original.getNextWarning(); next != null && guard++ < 1000; next = next.getNextWarning()) {
                SQLWarning cleanNext = (SQLWarning) copy(next, scrubbedMessage(next));
                cleanNext.setStackTrace(next.getStackTrace());
                tail.setNextWarning(cleanNext);
                tail = cleanNext;
            }
        }
        return clean;
    }

    /** {@link MessageTemplate#message}, or the fixed text of an error already {@link #withheld}, which holds no value. */
    private static String scrubbedMessage(SQLException error) {
        String message = error.getMessage();
        return WITHHELD_ERROR.equals(message) || WITHHELD_WARNING.equals(message) ? message : MessageTemplate.message(error);
    }

    /**
     * What a caller scrubbing applies to reads instead of the message of an error raised in code the database ran for
     * the statement. Written without quotes (nor apostrophes), digits or colons, so that scrubbing it again leaves it as
     * it is.
     */
    static final String WITHHELD_ERROR = "The statement failed, and the message of the database is withheld, since the"
            + " statement may run code the database runs for it (a user routine, trigger, DO block, deferred constraint"
            + " or statement prepared by name), which may put any value it reads in its messages, its SQLState and its vendor"
            + " code; the SQLState is the database's where the database defines it for a condition of its own (else the"
            + " general error state), the vendor code is withheld as zero. Read the message in the log of the database, or run the statement as an"
            + " identity no mask or row filter applies to";

    /** As {@link #WITHHELD_ERROR}, for a warning or notice ({@code RAISE NOTICE}, {@code RAISE WARNING}). */
    static final String WITHHELD_WARNING = "The database raised a warning or notice, and its message is withheld, since"
            + " the statement may run code the database runs for it (a user routine, trigger, DO block, deferred"
            + " constraint or statement prepared by name), which may put any value it reads in its messages;"
            + " the SQLState is the database's where the database defines it for a condition of its own (else the general"
            + " error state), the vendor code is withheld as zero. Read it in the log of the database (where the"
            + " server logs messages of that level), or run the statement as an identity no mask or row filter applies to";

    /**
     * {@code error} with no part of its message: {@link #WITHHELD_ERROR} (a warning: {@link #WITHHELD_WARNING}), its
     * SQLState, vendor code and kind kept, and nothing attached, as {@link #scrubbed}; each warning of a chain alike.
     * Governance's own exceptions come back as they are.
     */
    public static SQLException withheld(SQLException error) {
        if (error == null || error.getClass().getName().startsWith("io.governed.")) {
            return error;
        }
        SQLException clean = copy(error, error instanceof SQLWarning ? WITHHELD_WARNING : WITHHELD_ERROR,
                MessageTemplate.userCodeState(error.getSQLState()), MessageTemplate.userCodeVendorCode(error.getSQLState(), error.getErrorCode()));
        clean.setStackTrace(error.getStackTrace());
        if (clean instanceof SQLWarning warning && error instanceof SQLWarning original) {
            SQLWarning tail = warning;
            int guard = 0;
            for (SQLWarning next = original.getNextWarning(); next != null && guard++ < 1000; next = next.getNextWarning()) {
                SQLWarning cleanNext = (SQLWarning) copy(next, WITHHELD_WARNING, MessageTemplate.userCodeState(next.getSQLState()),
                        MessageTemplate.userCodeVendorCode(next.getSQLState(), next.getErrorCode()));
                cleanNext.setStackTrace(next.getStackTrace());
                tail.setNextWarning(cleanNext);
                tail = cleanNext;
            }
        }
        return clean;
    }

    /** A warning chain with every message scrubbed; {@code null} for none. */
    public static SQLWarning scrubbed(SQLWarning warning) {
        return (SQLWarning) scrubbed((SQLException) warning);
    }

    /** A new exception of the same kind as {@code e}, with {@code message} and no cause. */
    private static SQLException copy(SQLException e, String message) {
        return copy(e, message, e.getSQLState(), e.getErrorCode());
    }

    /** A new exception of the same kind as {@code e}, with {@code message}, {@code state} and {@code code}, and no cause. */
    private static SQLException copy(SQLException e, String message, String state, int code) {
        if (e instanceof SQLWarning) {
            return new SQLWarning(message, state, code);
        }
        if (e instanceof BatchUpdateException batch) {
            return new BatchUpdateException(message, state, code, batch.getLargeUpdateCounts(), null);
        }
        if (e instanceof SQLIntegrityConstraintViolationException) {
            return new SQLIntegrityConstraintViolationException(message, state, code);
        }
        if (e instanceof SQLDataException) {
            return new SQLDataException(message, state, code);
        }
        if (e instanceof SQLSyntaxErrorException) {
            return new SQLSyntaxErrorException(message, state, code);
        }
        if (e instanceof SQLFeatureNotSupportedException) {
            return new SQLFeatureNotSupportedException(message, state, code);
        }
        if (e instanceof SQLInvalidAuthorizationSpecException) {
            return new SQLInvalidAuthorizationSpecException(message, state, code);
        }
        if (e instanceof SQLNonTransientConnectionException) {
            return new SQLNonTransientConnectionException(message, state, code);
        }
        if (e instanceof SQLNonTransientException) {
            return new SQLNonTransientException(message, state, code);
        }
        if (e instanceof SQLTransactionRollbackException) {
            return new SQLTransactionRollbackException(message, state, code);
        }
        if (e instanceof SQLTimeoutException) {
            return new SQLTimeoutException(message, state, code);
        }
        if (e instanceof SQLTransientConnectionException) {
            return new SQLTransientConnectionException(message, state, code);
        }
        if (e instanceof SQLTransientException) {
            return new SQLTransientException(message, state, code);
        }
        if (e instanceof SQLRecoverableException) {
            return new SQLRecoverableException(message, state, code);
        }
        return new SQLException(message, state, code);
    }
}
