package io.governed.jdbc.pipeline;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.governed.identity.Identity;
import io.governed.jdbc.GovernanceException;
import io.governed.policy.Decision;
import io.governed.policy.Policy;
import io.governed.policy.model.AppliedLimits;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The policy's {@code limits}: for the identity a statement runs as, the tightest of each bound among
 * the limits whose {@code principals} match it.
 * <ul>
 *   <li>{@code max-statements}: a principal runs at most that many statements in any 60 seconds, in
 *       this process (each entry of a batch counts); the next one is refused (42501) before it reaches the database.</li>
 *   <li>{@code statement-timeout}: the statement runs with the shorter of that timeout and the one the
 *       application set ({@code setQueryTimeout}); never a longer one.</li>
 *   <li>{@code max-rows}: each result hands out at most that many rows, then ends with an
 *       {@link java.sql.SQLWarning} ({@code truncate}) or fails with 42501 ({@code refuse}).</li>
 * </ul>
 * When a bound bites, the statement's audit event names the limit among its rules and says so in its reason.
 */
public final class LimitStage extends PipelineStage {
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final Policy policy;
    private final LongSupplier clock;
    private final Cache<String, Window> windows;
    private volatile StatementPipeline pipeline;

    /** @param policy the policy whose limits are in force */
    public LimitStage(Policy policy) {
        this(policy, System::nanoTime);
    }

    /**
     * @param policy the policy whose limits are in force
     * @param clock  the time in nanoseconds ({@link System#nanoTime} but in tests)
     */
    public LimitStage(Policy policy, LongSupplier clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        // a principal idle for more than a minute has an empty window: forgetting it changes nothing
        this.windows = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(2)).ticker(clock::getAsLong)
                .executor(Runnable::run).build();
    }

    /** The pipeline this stage is part of, which ends a statement whose result is refused past its {@code max-rows}. */
    public void attach(StatementPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** Whether the policy has any limit: without one, the stage need not be in the pipeline. */
    public static boolean needed(Policy policy) {
        return policy != null && !policy.limits().isEmpty();
    }

    @Override
    public void enter(Execution execution) throws SQLException {
        if (execution.runs()) {
            AppliedLimits limits = limitsOf(execution);
            count(execution, limits);
            execution.capQueryTimeout(limits.timeoutSeconds());
        }
    }

    @Override
    public void repeated(Execution execution) throws SQLException {
        count(execution, limitsOf(execution));
    }

    private AppliedLimits limitsOf(Execution execution) {
        Identity identity = execution.identity();
        return identity == null ? AppliedLimits.NONE : policy.limitsFor(identity);
    }

    /** Counts one more statement of the principal against its {@code max-statements}, or refuses it. */
    private void count(Execution execution, AppliedLimits limits) throws SQLException {
        if (limits.maxStatements() == 0) {
            return;
        }
        String principal = execution.identity().principal();
        Window window = windows.get(limits.maxStatementsLimit() + '\u0000' + principal, key -> new Window(limits.maxStatements()));
        if (!window.admit(clock.getAsLong(), limits.maxStatements())) {
            throw new GovernanceException(Decision.deny(List.of(limits.maxStatementsLimit()),
                    "Statement refused: " + principal + " has run " + limits.maxStatements()
                            + " statements in the last minute, the most limit '" + limits.maxStatementsLimit()
                            + "' allows (max-statements); wait and run it again, or ask for the limit to be raised"));
        }
    }

    @Override
    public ResultSet resultOpened(Execution execution, ResultSet resultSet) throws SQLException {
        AppliedLimits limits = limitsOf(execution);
        if (limits.maxRows() == 0) {
            return resultSet;
        }
        return new CappedResultSet(resultSet, execution, pipeline, limits);
    }

    @Override
    public SQLException failed(Execution execution, SQLException failure) {
        int cap = execution.queryTimeoutCap();
        if (execution.queryTimeoutCapped() && timedOut(failure)) {
            AppliedLimits limits = limitsOf(execution);
            if (limits.timeoutLimit() != null && limits.timeoutSeconds() == cap) {
                note(execution, limits.timeoutLimit(), "statement-timeout: stopped after " + cap + "s by limit '"
                        + limits.timeoutLimit() + "'");
            }
        }
        return failure;
    }

    /** Whether the database says the statement ran out of time (or was cancelled, which timeouts do). */
    private static boolean timedOut(SQLException failure) {
        String state = failure.getSQLState();
        return failure instanceof SQLTimeoutException || "57014".equals(state) || "HYT00".equals(state)
                || "70100".equals(state);
    }

    /**
     * Records in the execution's decision (and so in its audit event) that {@code limit} bit:
     * its id among the rules, {@code what} in the reason.
     */
    static void note(Execution execution, String limit, String what) {
        Decision decision = execution.decision();
        if (decision == null) {
            execution.decision(Decision.allow(List.of(limit), what));
            return;
        }
        List<String> rules = new ArrayList<>(decision.rules());
        if (!rules.contains(limit)) {
            rules.add(limit);
        }
        execution.decision(new Decision(decision.effect(), rules, decision.reason() + "; " + what,
                decision.approvalRequestId(), decision.wouldBe(), decision.mayRunUserCode()));
    }

    /** The times of one principal's last statements under one limit: a ring of at most {@code max} entries. */
    private static final class Window {
        private long[] times;
        private int next;
        private int size;

        Window(int max) {
            this.times = new long[max];
        }

        /** Records a statement at {@code now} unless {@code max} ran in the minute before it. */
        synchronized boolean admit(long now, int max) {
            if (times.length != max) { // the policy changed under the same id: start afresh
                times = new long[max];
                next = 0;
                size = 0;
            }
            if (size == max) {
                if (now - times[next] < MINUTE) {
                    return false;
                }
            } else {
                size++;
            }
            times[next] = now;
            next = (next + 1) % max;
            return true;
        }
    }
}
