package io.governed.jdbc.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditSink;
import io.governed.sql.Action;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Governance's Micrometer meters. The statement path calls {@link #statement}, {@link #databaseTime},
 * {@link #overhead} and {@link #maskedValues}; these look nothing up by name or tag, so they cost an
 * array read and an increment.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><td>{@value #STATEMENTS}</td><td>counter, tags {@code decision}, {@code action}</td><td>statements governed</td></tr>
 *   <tr><td>{@value #DATABASE_TIME}</td><td>timer</td><td>time spent in the database</td></tr>
 *   <tr><td>{@value #OVERHEAD}</td><td>timer</td><td>time spent governing (identity, analysis, decision, masking)</td></tr>
 *   <tr><td>{@value #ROW_FILTER_REWRITES}</td><td>counter, tag {@code outcome} ({@code rewritten}, {@code refused})</td><td>statements restricted by row filters, or refused because they could not be</td></tr>
 *   <tr><td>{@value #MASKED_VALUES}</td><td>counter</td><td>values masked in results</td></tr>
 *   <tr><td>{@value #AUDIT_QUEUE_DEPTH}</td><td>gauge, tag {@code sinks}</td><td>audit events waiting to be written</td></tr>
 *   <tr><td>{@value #AUDIT_DROPPED}</td><td>function counter, tag {@code sinks}</td><td>audit events dropped</td></tr>
 *   <tr><td>{@code cache.*{cache=governed.analysis}}</td><td>Caffeine binder</td><td>the SQL analysis cache</td></tr>
 * </table>
 */
public final class GovernanceMetrics {

    public static final String STATEMENTS = "governed.statements";
    public static final String DATABASE_TIME = "governed.database.time";
    public static final String OVERHEAD = "governed.overhead";
    public static final String MASKED_VALUES = "governed.masked.values";
    public static final String ROW_FILTER_REWRITES = "governed.rowfilter.rewrites";
    public static final String AUDIT_QUEUE_DEPTH = "governed.audit.queue.depth";
    public static final String AUDIT_DROPPED = "governed.audit.dropped";
    /** The {@code cache} tag of the analysis cache's meters. */
    public static final String ANALYSIS_CACHE = "governed.analysis";

    private static final int ACTIONS = Action.values().length;

    private final MeterRegistry registry;
    /**
     * The registries a composite registry (Micrometer's global one, say) forwards to, or {@code null} for any other
     * registry. While it forwards to none, recording is skipped: a composite meter would only walk its empty list
     * of children, which costs an iterator per statement and meter.
     */
    private final java.util.Set<MeterRegistry> forwardsTo;
    /** One counter per (decision, action), created on first use: index decision * ACTIONS + action. */
    private final AtomicReferenceArray<Counter> statements =
            new AtomicReferenceArray<>(AuditDecision.values().length * ACTIONS);
    private final Timer databaseTime;
    private final Timer overhead;
    private final Counter maskedValues;
    private final Counter rowFilterRewrites;
    private final Counter rowFilterRefusals;

    /** Meters in the given registry. */
    public GovernanceMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.forwardsTo = registry instanceof CompositeMeterRegistry composite ? composite.getRegistries() : null;
        this.databaseTime = Timer.builder(DATABASE_TIME).description("Time statements spent in the database").register(registry);
        this.overhead = Timer.builder(OVERHEAD).description("Time spent governing statements").register(registry);
        this.maskedValues = Counter.builder(MASKED_VALUES).description("Values masked in results").register(registry);
        this.rowFilterRewrites = Counter.builder(ROW_FILTER_REWRITES).tag("outcome", "rewritten")
                .description("Statements restricted by row filters, or refused because they could not be").register(registry);
        this.rowFilterRefusals = Counter.builder(ROW_FILTER_REWRITES).tag("outcome", "refused")
                .description("Statements restricted by row filters, or refused because they could not be").register(registry);
    }

    /** Meters in Micrometer's global registry. */
    public static GovernanceMetrics global() {
        return new GovernanceMetrics(Metrics.globalRegistry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Counts one governed statement with its outcome and kind. */
    public void statement(AuditDecision decision, Action action) {
        if (unread()) {
            return;
        }
        int index = decision.ordinal() * ACTIONS + action.ordinal();
        Counter c = statements.get(index);
        if (c == null) {
            c = Counter.builder(STATEMENTS).description("Statements governed")
                    .tag("decision", decision.externalName()).tag("action", action.externalName()).register(registry);
            statements.set(index, c);
        }
        c.increment();
    }

    /** Whether a measurement would be kept: false while the registry is a composite that forwards to no registry. */
    public boolean read() {
        return !unread();
    }

    /** True while the registry is a composite that forwards to no registry: nothing would keep a measurement. */
    private boolean unread() {
        java.util.Set<MeterRegistry> to = forwardsTo;
        return to != null && to.isEmpty();
    }

    /** Records time a statement spent in the database. */
    public void databaseTime(long nanos) {
        if (unread()) {
            return;
        }
        databaseTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Records time spent governing a statement, excluding the database. */
    public void overhead(long nanos) {
        if (unread()) {
            return;
        }
        overhead.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts one statement rewritten for its row filters ({@code true}) or refused because it could not be. */
    public void rowFilterRewrite(boolean rewritten) {
        (rewritten ? rowFilterRewrites : rowFilterRefusals).increment();
    }

    /** Counts values masked in a result. */
    public void maskedValues(long count) {
        maskedValues.increment(count);
    }

    /**
     * Publishes the dispatcher's queue depth and dropped-event count, tagged {@code sinks} with the
     * dispatcher's sinks (so that several dispatchers in one registry stay apart).
     */
    public GovernanceMetrics bind(AuditDispatcher dispatcher) {
        String sinks = String.join(",", dispatcher.sinks().stream().map(AuditSink::describe).toList());
        Gauge.builder(AUDIT_QUEUE_DEPTH, dispatcher, AuditDispatcher::queueDepth).tag("sinks", sinks)
                .description("Audit events waiting to be written").register(registry);
        FunctionCounter.builder(AUDIT_DROPPED, dispatcher, AuditDispatcher::droppedEvents).tag("sinks", sinks)
                .description("Audit events dropped").register(registry);
        return this;
    }

    /**
     * Publishes the SQL analysis cache's statistics as {@code cache.*} meters tagged
     * {@code cache=}{@value #ANALYSIS_CACHE}. The cache must record statistics
     * ({@code Caffeine.newBuilder().recordStats()}) for hit and miss counts to move.
     */
    public <K, V, C extends Cache<K, V>> C bindAnalysisCache(C cache) {
        return CaffeineCacheMetrics.<K, V, C>monitor(registry, cache, ANALYSIS_CACHE);
    }
}
