package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One step of a statement's way through governance: a small piece (identity, decision, masking,
 * audit, an application's own check) with hooks at the points of an {@link Execution}'s life. Every
 * hook does nothing by default, so a stage overrides only what it is about.
 *
 * <p>The {@link StatementPipeline} calls the stages in its fixed order. A stage must be thread-safe:
 * one instance serves every statement of every connection of its {@code Governance}. It keeps
 * per-statement state in the {@link Execution}, never in itself.
 *
 * <p>Register an application's stage with {@code Governance.builder().stage(stage)}: it runs after
 * the decision (it sees the identity, the analysis and the allowing decision) and before the audit,
 * which therefore records what it refuses.
 */
public interface StatementStage {

    /**
     * The statement is about to reach the database (or, for a prepare, an {@code addBatch} or a
     * {@code nativeSQL}, to be handed to the driver). Throw to refuse it: nothing of it reaches the
     * database, and every stage is told through {@link #refused}.
     */
    default void enter(Execution execution) throws SQLException {
    }

    /**
     * The statement runs once more as the next entry of a batch, decided with the same identity and
     * decision as the entry before it ({@code execution} is that entry's, already entered): the
     * stages that count runs count it. Throw to refuse it, as from {@link #enter}.
     */
    default void repeated(Execution execution) throws SQLException {
    }

    /**
     * The statement was refused by a stage (this one or another) before it reached the database.
     * Called on every stage, whether or not it had entered.
     */
    default void refused(Execution execution, SQLException refusal) {
    }

    /**
     * A result set of the statement (a query's result, a further result of {@code getMoreResults},
     * its generated keys) is about to be handed to the caller; returns the result set to hand out, maybe
     * wrapped. Throw to withhold it: the execution then fails.
     */
    default ResultSet resultOpened(Execution execution, ResultSet resultSet) throws SQLException {
        return resultSet;
    }

    /** The statement ran: its results were read to the end or closed, or its update count is known. */
    default void completed(Execution execution) throws SQLException {
    }

    /**
     * The database failed the statement; returns the exception to throw to the caller (the same one,
     * or a replacement: a scrubbed message, say). When the driver threw an unchecked exception instead of an
     * {@link SQLException}, {@code failure} is an {@link UncheckedDriverException} naming its class only, and the
     * caller gets the driver's exception whatever this returns. Called once per execution; an unchecked exception
     * thrown here is added to the failure as suppressed, and the stages after this one are still called.
     */
    default SQLException failed(Execution execution, SQLException failure) {
        return failure;
    }

    /**
     * An error from the database outside a statement's run (reading a row or a value, a commit, a
     * rollback, {@code setAutoCommit}, a warning) for a caller running as {@code identity} (or
     * {@code null} when none could be established); returns the exception to throw.
     */
    default SQLException databaseError(Identity identity, SQLException error) {
        return error;
    }
}
