package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;
import io.governed.jdbc.GovernanceException;
import io.governed.sql.Dialect;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One statement's way through governance. Every execution path of every governed wrapper
 * ({@code execute*}, {@code executeLarge*}, batches, {@code prepareStatement}/{@code prepareCall},
 * {@code nativeSQL}, row writes of an updatable result set, further results and generated keys) enters
 * this pipeline once, and the stages run in this order:
 *
 * <pre>
 *  1. {@link IdentityStage}        who runs it: scoped (runAs) &gt; resolver &gt; connection &gt; default; or refused (28000)
 *     {@link WrapperRefusalStage}  a refusal the wrapper found itself (an updatable result set's write of a masked or
 *                              filtered column), thrown here once the caller is known, so that it is audited (42501)
 *     {@link BatchIdentityStage}   a batch entry added, or a batch run, as an identity other than the one its earlier
 *                              entries were added as: refused (42501), nothing of the batch runs
 *     {@link SessionRoleStage}     a role another identity's statement set on the session (SET ROLE, SET SESSION
 *                              AUTHORIZATION, set_config) and did not reset: refused (42501); records such statements
 *     {@link SessionLeftoversStage} what another identity's statements left in the session (custom settings, user
 *                              variables, prepared statements, cursors, temporary tables, locks, LISTENs): the session is
 *                              reset first, or the statement refused (42501) where it cannot be; records such statements
 *     {@link FreshReadingStage}    PostgreSQL and MariaDB, a caller a mask, a row filter or a limit applies to: the statement's run is
 *                              judged on a reading of the session (and of user code under built-in names) made as it
 *                              runs, not one kept from earlier statements; refused (42501) when it cannot be read
 *     {@link PreparedNamesStage}   {@code EXECUTE name} of a statement prepared by name through the governed connection
 *                              runs as that statement (analysed, decided, filtered, masked, audited as it); records the
 *                              names a PREPARE prepared once it succeeded, and forgets them in its BeforeRun part
 *  2. {@link ColumnClassificationStage} with auto-detection: the columns the statement names that are not classified yet
 *                              are, from values the driver reads of them itself, so that their tags decide
 *     {@link DecisionStage}        analysis (cached by fingerprint) and the policy's decision; approval; deny → 42501
 *     {@link SessionStage}         the analysis as the session resolved its unqualified names; a statement that may change
 *                              the session (SET search_path, USE, DDL, a routine call) has it read again before the next need
 *     {@link RowFilterStage}       a statement on a row-filtered table is rewritten to see only the rows its filters admit,
 *                              identity values bound as parameters; what cannot be rewritten for certain is refused (42501)
 *     {@link MaskedWriteBackStage} an UPDATE setting a column masked for the caller to a value in its masked form (an
 *                              entity read and written back whole) is refused (42501): it would overwrite the stored value
 *  3. {@link MaskingStage}         each result set handed out reads masked columns through the mask plan
 *     {@link LimitStage}           the policy's limits (when it has any): statements a minute, query timeout, rows a result
 *     application stages       {@code Governance.builder().stage(…)}: limits, spans, vetoes (in registration order)
 *     {@link SessionRoleStage.BeforeRun}, {@link SessionLeftoversStage.BeforeRun}  what may change the role or leave
 *                              something in the session is recorded before it runs, once no stage refused it
 *  4. {@link ErrorScrubbingStage}  database errors lose their values for callers a mask applies to
 *  5. {@link AuditStage}           the audit event and the metrics of every outcome: refused, completed, failed
 *     … the delegate driver runs the statement between {@code enter} and {@code completed}/{@code failed}
 * </pre>
 *
 * <p>The stages are held in arrays built once per {@code Governance}, one per hook, holding the stages that
 * override it, as {@link PipelineStage}s (an application's stage through {@link ApplicationStage}), so that each
 * call is dispatched through a class; entering, completing or failing an execution allocates nothing of its own and
 * uses no reflection. A refusal (any stage's
 * {@code enter} throwing) is told to every stage, so the audit stage records it; an exception a stage
 * throws that is not an {@link SQLException} refuses the statement too (fail closed). A run the driver ends with an
 * unchecked exception instead of an {@link SQLException} fails like any other ({@link #failedUnchecked}): the stages
 * see it as an {@link UncheckedDriverException}, and the caller gets the driver's own exception.
 *
 * <p>A connection passes its statements through the pipeline of its database's dialect ({@link #on}): the same stages
 * in the same order, less those whose every hook returns at once on that dialect ({@link PipelineStage#runsOn}), so
 * that a connection to H2, say, does not enter the stages of statements prepared by name, which only PostgreSQL and
 * MariaDB keep.
 */
public final class StatementPipeline {
    private final StatementStage[] stages;
    /**
     * Per hook, the stages that override it, in order: a stage is not called for what it does not do. Held as
     * {@link PipelineStage}s, so that each call is dispatched through a class, not searched for through an interface.
     */
    private final PipelineStage[] entering;
    private final PipelineStage[] repeating;
    private final PipelineStage[] refusing;
    private final PipelineStage[] opening;
    private final PipelineStage[] completing;
    private final PipelineStage[] failing;
    private final PipelineStage[] scrubbing;
    /** The stage that scrubs and withholds errors ({@link ErrorScrubbingStage}), or {@code null} when there is none. */
    private final ErrorScrubbingStage withholding;
    /** Asked as each execution enters: whether anything would keep its durations; {@code null}: nothing ever would. */
    private final Predicate<Execution> timing;
    /** The pipeline of each dialect, the stages that run on it ({@link #on}); {@code null} in such a pipeline itself. */
    private final EnumMap<Dialect, StatementPipeline> byDialect;

    /**
     * @param stages the stages, in order
     * @param timing asked of each execution that runs ({@link Execution#runs()}) as it enters, whether it is timed
     *               (something would keep its durations); {@code null} when nothing ever would. An execution entered
     *               untimed is not timed later: its {@link Execution#entered()} and {@link Execution#started()} stay
     *               0, and no clock is read for it. A check that does not run (a prepare, an {@code addBatch}, a
     *               {@code nativeSQL}) has no duration to keep and is never timed, so nothing is asked for it.
     */
    public StatementPipeline(List<? extends StatementStage> stages, Predicate<Execution> timing) {
        this.stages = stages.toArray(new StatementStage[0]);
        PipelineStage[] held = new PipelineStage[this.stages.length];
        for (int i = 0; i < held.length; i++) {
            StatementStage stage = Objects.requireNonNull(this.stages[i], "stage");
            held[i] = stage instanceof PipelineStage builtIn ? builtIn : new ApplicationStage(stage);
        }
        this.entering = overriding(held, "enter", Execution.class);
        this.repeating = overriding(held, "repeated", Execution.class);
        this.refusing = overriding(held, "refused", Execution.class, SQLException.class);
        this.opening = overriding(held, "resultOpened", Execution.class, ResultSet.class);
        this.completing = overriding(held, "completed", Execution.class);
        this.failing = overriding(held, "failed", Execution.class, SQLException.class);
        this.scrubbing = overriding(held, "databaseError", Identity.class, SQLException.class);
        ErrorScrubbingStage found = null;
        for (PipelineStage stage : held) {
            if (stage instanceof ErrorScrubbingStage scrubbingStage) {
                found = scrubbingStage;
                break;
            }
        }
        this.withholding = found;
        this.timing = timing;
        this.byDialect = new EnumMap<>(Dialect.class);
        for (Dialect dialect : Dialect.values()) {
            byDialect.put(dialect, new StatementPipeline(this, dialect));
        }
    }

    /** {@code all}'s pipeline for connections of {@code dialect}: its hooks' stages less those not running on it. */
    private StatementPipeline(StatementPipeline all, Dialect dialect) {
        this.stages = all.stages;
        this.entering = on(all.entering, dialect);
        this.repeating = on(all.repeating, dialect);
        this.refusing = on(all.refusing, dialect);
        this.opening = on(all.opening, dialect);
        this.completing = on(all.completing, dialect, PipelineStage::completesOn);
        this.failing = on(all.failing, dialect);
        this.scrubbing = on(all.scrubbing, dialect);
        this.withholding = all.withholding;
        this.timing = all.timing;
        this.byDialect = null;
    }

    /** The stages of {@code hook} that run on {@code dialect} ({@link PipelineStage#runsOn}). */
    private static PipelineStage[] on(PipelineStage[] hook, Dialect dialect) {
        return on(hook, dialect, PipelineStage::runsOn);
    }

    /** The stages of {@code hook} for which {@code runs} holds on {@code dialect} ({@link #completing}'s: {@link PipelineStage#completesOn}). */
    private static PipelineStage[] on(PipelineStage[] hook, Dialect dialect,
                                      java.util.function.BiPredicate<PipelineStage, Dialect> runs) {
        List<PipelineStage> running = new ArrayList<>(hook.length);
        for (PipelineStage stage : hook) {
            if (runs.test(stage, dialect)) {
                running.add(stage);
            }
        }
        return running.toArray(new PipelineStage[0]);
    }

    /**
     * The pipeline for the statements of a connection to a database of {@code dialect}: the same stages in the same
     * order, less those none of whose hooks does anything on that dialect, so that its statements do not enter them.
     * Every execution passed through it must be of that dialect ({@link Execution#dialect}).
     *
     * @throws IllegalStateException when this is already the pipeline of one dialect
     */
    public StatementPipeline on(Dialect dialect) {
        if (byDialect == null) {
            throw new IllegalStateException("This pipeline is already one dialect's; ask the pipeline of every stage");
        }
        return byDialect.get(Objects.requireNonNull(dialect, "dialect"));
    }

    /** The classes of the stages each execution entering this pipeline passes ({@link StatementStage#enter}), in order. */
    List<Class<?>> enteringStages() {
        return classes(entering);
    }

    /** The classes of the stages each execution completing in this pipeline passes ({@link StatementStage#completed}). */
    List<Class<?>> completingStages() {
        return classes(completing);
    }

    /** The classes of the stages each result opened in this pipeline passes ({@link StatementStage#resultOpened}). */
    List<Class<?>> openingStages() {
        return classes(opening);
    }

    private static List<Class<?>> classes(PipelineStage[] hook) {
        List<Class<?>> classes = new ArrayList<>(hook.length);
        for (PipelineStage stage : hook) {
            classes.add(stage.stageClass());
        }
        return classes;
    }

    /**
     * The stages whose class overrides the hook {@code name} (the interface's default does nothing),
     * found once here so that no call on the hot path goes to a stage with nothing to do.
     */
    private static PipelineStage[] overriding(PipelineStage[] held, String name, Class<?>... parameters) {
        List<PipelineStage> found = new ArrayList<>(held.length);
        for (PipelineStage stage : held) {
            try {
                if (stage.stageClass().getMethod(name, parameters).getDeclaringClass() != StatementStage.class) {
                    found.add(stage);
                }
            } catch (NoSuchMethodException impossible) {
                throw new IllegalStateException("StatementStage has no hook " + name, impossible);
            }
        }
        return found.toArray(new PipelineStage[0]);
    }

    /** The stages in order (a copy), those of every dialect. */
    public List<StatementStage> stages() {
        return List.of(stages);
    }

    /**
     * Passes {@code execution} through every stage's {@link StatementStage#enter enter}.
     *
     * @throws SQLException the refusal of the first stage that refused; every stage was told
     */
    public void enter(Execution execution) throws SQLException {
        if (timing != null && execution.runs() && timing.test(execution)) {
            long made = execution.madeAt();
            execution.entered(made != 0 ? made : System.nanoTime());
        }
        pass(execution, false);
    }

    /**
     * Another run of {@code previous}'s statement, the next entry of a batch with the same text: it is
     * not decided again, but every stage's {@link StatementStage#repeated repeated} hook sees it.
     *
     * @throws SQLException the refusal of the first stage that refused; every stage was told
     */
    public Execution repeat(Execution previous) throws SQLException {
        Execution execution = previous.again();
        pass(execution, true);
        return execution;
    }

    /** Passes {@code execution} through every stage's {@code enter} (or {@code repeated}); a refusal is told to every stage. */
    private void pass(Execution execution, boolean repeated) throws SQLException {
        PipelineStage[] s = repeated ? repeating : entering;
        int i = 0;
        try {
            for (; i < s.length; i++) {
                if (repeated) {
                    s[i].repeated(execution);
                } else {
                    s[i].enter(execution);
                }
            }
        } catch (SQLException refusal) {
            throw refuse(execution, s[i], refusal);
        } catch (RuntimeException failure) {
            throw refuse(execution, s[i], GovernanceException.failedClosed("Statement refused because governance stage "
                    + s[i].stageClass().getSimpleName() + " failed (" + failure.getClass().getSimpleName()
                    + "); nothing was sent to the database", GovernanceException.SQLSTATE_DENIED, failure));
        }
    }

    private SQLException refuse(Execution execution, PipelineStage by, SQLException refusal) {
        execution.ended = true;
        execution.refusedBy(by.stageClass().getName());
        for (PipelineStage stage : refusing) {
            try {
                stage.refused(execution, refusal);
            } catch (RuntimeException unrecorded) {
                refusal.addSuppressed(unrecorded); // the statement stays refused either way
            }
        }
        return refusal;
    }

    /**
     * Passes a result set of {@code execution} through every stage before the caller sees it. When a
     * stage cannot prepare it (its masks cannot be decided, say), the result set is closed, the
     * execution fails, and nothing of the result is handed out.
     */
    public ResultSet resultOpened(Execution execution, ResultSet resultSet) throws SQLException {
        ResultSet result = resultSet;
        try {
            for (PipelineStage stage : opening) {
                result = stage.resultOpened(execution, result);
            }
            return result;
        } catch (SQLException | RuntimeException unprepared) {
            try {
                resultSet.close();
            } catch (SQLException closing) {
                unprepared.addSuppressed(closing);
            }
            if (unprepared instanceof GovernanceException refused) {
                throw failed(execution, refused);
            }
            throw failed(execution, new SQLException("The result could not be governed, so it is not handed out: "
                    + unprepared.getMessage(), GovernanceException.SQLSTATE_DENIED, unprepared));
        }
    }

    /**
     * Ends {@code execution} as completed (its rows as {@link Execution#rows} says); nothing happens
     * when it has ended already.
     *
     * @throws SQLException when a stage cannot record the completion (an audit that must be durable and is down)
     */
    public void completed(Execution execution) throws SQLException {
        if (execution.ended) {
            return;
        }
        execution.ended = true;
        SQLException first = null;
        for (PipelineStage stage : completing) {
            try {
                stage.completed(execution);
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Ends {@code execution} as failed by the database, and returns the exception to throw to the
     * caller. An execution that has ended already is not ended again; its error is still passed
     * through {@link #databaseError} (a row read after the run ended, say).
     */
    public SQLException failed(Execution execution, SQLException failure) {
        if (execution == null) {
            return failure;
        }
        if (execution.ended) {
            return databaseError(execution.identity(), failure, execution.mayRunUserCode());
        }
        execution.ended = true;
        SQLException result = failure;
        for (PipelineStage stage : failing) {
            try {
                result = stage.failed(execution, result);
            } catch (RuntimeException unrecorded) {
                result.addSuppressed(unrecorded); // the stages after it (the audit) are still told
            }
        }
        return result;
    }

    /**
     * Ends {@code execution} as failed by an unchecked exception the driver threw ({@code thrown}: a
     * {@link RuntimeException} or an {@link Error}), which the caller then rethrows as it is. Every stage's
     * {@link StatementStage#failed failed} hook sees it as it sees a database's error, as an
     * {@link UncheckedDriverException} whose message is {@code thrown}'s class name only (its own message may quote
     * values), so the audit records it once, as failed. What a stage could not record (an audit that must be durable and
     * is down) is added to {@code thrown} as suppressed; {@code thrown} is not otherwise changed, and nothing a stage
     * throws replaces it. Nothing happens when the execution has ended already.
     *
     * <p>A {@link VirtualMachineError} (out of memory, stack overflow) is not recorded: telling the stages allocates
     * (an event, its encoding, a queue entry) and could fail part-way through the audit trail's chain. The execution is
     * only marked ended, so that it is never recorded later as completed; the JVM's state is undefined after such an
     * error anyway.
     */
    public void failedUnchecked(Execution execution, Throwable thrown) {
        if (execution == null || execution.ended) {
            return;
        }
        if (thrown instanceof VirtualMachineError) {
            execution.ended = true;
            return;
        }
        try {
            UncheckedDriverException failure = new UncheckedDriverException(thrown);
            SQLException result = failed(execution, failure);
            suppressInto(thrown, failure);
            if (result != failure) {
                suppressInto(thrown, result);
            }
        } catch (RuntimeException | Error unrecorded) {
            execution.ended = true;
            try {
                thrown.addSuppressed(unrecorded);
            } catch (RuntimeException | Error ignored) {
                // the driver's exception is rethrown either way
            }
        }
    }

    private static void suppressInto(Throwable thrown, SQLException failure) {
        for (Throwable unrecorded : failure.getSuppressed()) {
            if (unrecorded != thrown) {
                thrown.addSuppressed(unrecorded);
            }
        }
    }

    /**
     * Passes an error from the database outside a statement's run through every stage, as {@link #databaseError(Identity,
     * SQLException)}; when {@code mayHaveRunUserCode} (it comes from a statement that may have run code of the database's
     * users, or from a commit or a warning after one, or it cannot be told), its message is withheld first for a caller
     * errors are scrubbed for ({@link ErrorScrubbingStage#withheld}).
     */
    public SQLException databaseError(Identity identity, SQLException error, boolean mayHaveRunUserCode) {
        SQLException result = error;
        if (mayHaveRunUserCode && withholding != null && withholding.appliesTo(identity)) {
            result = ErrorScrubbingStage.withheld(error);
        }
        return databaseError(identity, result);
    }

    /** Passes an error from the database outside a statement's run through every stage; returns the exception to throw. */
    public SQLException databaseError(Identity identity, SQLException error) {
        SQLException result = error;
        for (PipelineStage stage : scrubbing) {
            result = stage.databaseError(identity, result);
        }
        return result;
    }
}
