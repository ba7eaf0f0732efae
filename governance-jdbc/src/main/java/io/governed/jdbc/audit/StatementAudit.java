package io.governed.jdbc.audit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.governed.identity.Identity;
import io.governed.jdbc.metrics.GovernanceMetrics;
import io.governed.policy.Decision;
import io.governed.sql.Action;
import io.governed.sql.ColumnRef;
import io.governed.sql.IdentityMemo;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;
import io.governed.sql.Trait;

import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns what happened to one statement into its audit event and its metrics: a refusal at the
 * gate, a completed execution (rows and database time) or a failed one (its SQLState).
 *
 * <p>Either part may be absent: without a dispatcher nothing is audited, without metrics nothing is
 * counted. The event carries the literal-free text of the statement, never its literals or values.
 */
public final class StatementAudit {
    /** The action of the event an unwrap to a driver's own interface leaves. */
    public static final String UNWRAP = "unwrap";

    /**
     * The database time of what was not timed: a check, which does not run (a prepare the database rejected), or the
     * rollback the database did when a failed statement took the connection with it. Its event has no
     * {@code duration_us} and the metrics no database time, where 0 would read as something that took no time.
     */
    public static final long UNTIMED = -1;
    private final AuditDispatcher dispatcher;
    private final GovernanceMetrics metrics;
    private final AuditPolicy policy;
    /** What events say about each analysed statement, worked out once per analysis (compared by identity). */
    private final Cache<SqlAnalysis, Summary> summaries = Caffeine.newBuilder().weakKeys().maximumSize(10_000).executor(Runnable::run).build();

    /**
     * The summaries of the statements run lately, looked at before the cache: a statement run again (kept, or prepared
     * again in the next transaction, as an ORM does) finds its summary without a lookup in the cache, which allocates.
     */
    private final IdentityMemo<SqlAnalysis, Summary> recentSummaries =
            new IdentityMemo<>(256, analysis -> summaries.get(analysis, Summary::of));

    /** The parts of an event that depend on the statement alone. */
    private record Summary(Action action, String actionName, String statement, String fingerprint,
                           List<String> tables, List<String> columns) {
        static final Summary UNKNOWN = new Summary(Action.UNKNOWN, Action.UNKNOWN.externalName(), null, null, List.of(), List.of());

        static Summary of(SqlAnalysis analysis) {
            Action action = StatementAudit.action(analysis);
            return new Summary(action, StatementAudit.actionName(analysis, action), analysis.fingerprint(),
                    fingerprintId(analysis.fingerprint()), StatementAudit.tables(analysis), StatementAudit.columns(analysis));
        }
    }

    private Summary summaryOf(SqlAnalysis analysis) {
        if (analysis == null) {
            return Summary.UNKNOWN;
        }
        // a text too long for the analyser's cache is not held on to here either
        return analysis.fingerprint().length() > SqlAnalyzer.MAXIMUM_CACHED_FINGERPRINT_LENGTH
                ? summaries.get(analysis, Summary::of) : recentSummaries.get(analysis);
    }

    /**
     * @param dispatcher where events go, or {@code null} for no audit
     * @param metrics    where counts and timings go, or {@code null} for none
     */
    public StatementAudit(AuditDispatcher dispatcher, GovernanceMetrics metrics) {
        this(dispatcher, metrics, null);
    }

    /**
     * @param dispatcher where events go, or {@code null} for no audit
     * @param metrics    where counts and timings go, or {@code null} for none
     * @param policy     the policy version every event names, or {@code null} when no policy loaded from files decides
     */
    public StatementAudit(AuditDispatcher dispatcher, GovernanceMetrics metrics, AuditPolicy policy) {
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.policy = policy;
    }

    /** The policy version events name, or {@code null}. */
    public AuditPolicy policy() {
        return policy;
    }

    /** True when events are written: the caller then provides analyses for them. */
    public boolean audits() {
        return dispatcher != null;
    }

    /** True when there is anything to record at all. */
    public boolean records() {
        return dispatcher != null || metrics != null;
    }

    public AuditDispatcher dispatcher() {
        return dispatcher;
    }

    public GovernanceMetrics metrics() {
        return metrics;
    }

    /**
     * Call before a statement runs: in {@code required} mode it refuses the statement while events
     * cannot be recorded, so that nothing runs unaudited.
     */
    public void beforeExecution() throws AuditUnavailableException {
        if (dispatcher != null) {
            dispatcher.checkAvailable();
        }
    }

    /**
     * The OpenTelemetry trace and span a statement ran in, copied into its audit event.
     *
     * @param traceId 32 hex characters
     * @param spanId  16 hex characters
     */
    public record SpanIds(String traceId, String spanId) {
    }

    /**
     * A statement the gate refused or sent for approval; nothing of it reached the database.
     *
     * <p>Here and in {@link #completed} and {@link #failed}, the caller has asked the dispatcher once for the statement
     * whether its sinks record it ({@link AuditDispatcher#recording()}) and passes the id of its event when they do;
     * with {@code null}, no event is built (the metrics are counted all the same).
     *
     * @param eventId the statement's event id, which its approval events name, or {@code null}: not recorded
     * @param span    the traced statement's span, or {@code null}
     */
    public void refused(String eventId, String connectionId, Identity identity, SqlAnalysis analysis, Decision decision,
                        SpanIds span) throws SQLException {
        record(eventId, connectionId, identity, analysis, decision, AuditDecision.of(decision.effect()), null, null, null,
                List.of(), span);
    }

    /** A statement that ran: {@code rows} returned or affected (or {@code null} when unknown). */
    public void completed(String eventId, String connectionId, Identity identity, SqlAnalysis analysis, Decision decision,
                          Long rows, long databaseNanos, List<String> maskedColumns) throws SQLException {
        completed(eventId, connectionId, identity, analysis, decision, rows, databaseNanos, maskedColumns, List.of(), null);
    }

    /**
     * A statement that ran, in a traced statement's span ({@code null} when untraced), whose result columns
     * {@code wouldMask} masks in observe mode would have masked: recorded as {@code would_mask} (unless its
     * decision is a would-be denial, {@code would_deny}).
     */
    public void completed(String eventId, String connectionId, Identity identity, SqlAnalysis analysis, Decision decision,
                          Long rows, long databaseNanos, List<String> maskedColumns, List<String> wouldMask, SpanIds span)
            throws SQLException {
        databaseTime(databaseNanos);
        Long durationUs = durationUs(databaseNanos);
        if (decision != null && decision.wouldDeny()) {
            Decision wouldBe = decision.wouldBe();
            record(eventId, connectionId, identity, analysis,
                    Decision.deny(wouldBe.rules(), "observe mode, not enforced: " + wouldBe.reason()),
                    AuditDecision.WOULD_DENY, rows, durationUs, null, maskedColumns, span);
            return;
        }
        if (!wouldMask.isEmpty()) {
            record(eventId, connectionId, identity, analysis, Decision.allow(decision == null ? List.of() : decision.rules(),
                            "observe mode, not enforced: masks would have masked " + String.join(", ", wouldMask)),
                    AuditDecision.WOULD_MASK, rows, durationUs, null, maskedColumns, span);
            return;
        }
        record(eventId, connectionId, identity, analysis, decision, AuditDecision.ALLOW, rows, durationUs, null,
                maskedColumns, span);
    }

    /**
     * A statement the database failed, in a traced statement's span ({@code null} when untraced). The error of a
     * statement that may have run code of the database's users ({@link Decision#mayRunUserCode}; no decision: it may) is
     * recorded without its message ({@link AuditError#fromUserCode}), for every caller: the trail is read by others than
     * the caller, and such code composes its messages with any value it reads.
     */
    public void failed(String eventId, String connectionId, Identity identity, SqlAnalysis analysis, Decision decision,
                       long databaseNanos, SQLException failure, SpanIds span) throws SQLException {
        databaseTime(databaseNanos);
        record(eventId, connectionId, identity, analysis, decision, AuditDecision.ERROR, null, durationUs(databaseNanos),
                errorOf(failure, decision == null || decision.mayRunUserCode()), List.of(), span);
    }

    /**
     * The audit form of {@code failure}: without its message when it may come from code of the database's users, unless
     * it is governance's own (a refusal, an unchecked driver exception named by its class), which holds no value.
     */
    private static AuditError errorOf(SQLException failure, boolean mayComeFromUserCode) {
        return mayComeFromUserCode && !failure.getClass().getName().startsWith("io.governed.")
                ? AuditError.fromUserCode(failure) : AuditError.from(failure);
    }

    /**
     * An {@code unwrap} of a governed object to {@code interfaceName}, one of the driver's own
     * interfaces: handed out ({@code allowed}, under {@code governed.unwrap=allow}) or refused. Recorded
     * as action {@value #UNWRAP}, the interface named in the reason.
     *
     * @throws SQLException when the event cannot be taken (an unavailable audit in {@code required} mode)
     */
    public void unwrap(String connectionId, Identity identity, String interfaceName, boolean allowed) throws SQLException {
        if (dispatcher != null && dispatcher.recording()) {
            dispatcher.submit(AuditEvent.builder().connectionId(connectionId).identity(identity).action(UNWRAP)
                    .decision(allowed ? AuditDecision.ALLOW : AuditDecision.DENY).policy(policy)
                    .reason((allowed ? "unwrapped to " : "refused unwrap to ") + interfaceName).build());
        }
    }

    /**
     * The end of a transaction through the JDBC API rather than SQL text: {@code Connection.commit()},
     * {@code rollback()}, {@code rollback(Savepoint)}, or {@code setAutoCommit(true)}, which commits. Recorded as the
     * {@code commit}, {@code rollback} or {@code rollback to savepoint} it amounts to (action {@code transaction},
     * statement and fingerprint as that SQL text's), the call named in the reason, so that the trail tells a change that was committed from one that
     * was undone, an approved one included. Not decided: every statement of the transaction passed the gate, and
     * ending it changes nothing they did not.
     *
     * @param statement     {@code commit}, {@code rollback} or {@code rollback to savepoint} (never a savepoint's name)
     * @param call          the JDBC call that ended it, for the reason
     * @param databaseNanos how long the driver took, or {@link #UNTIMED}
     * @param failure       the database's failure to end it, or {@code null}
     * @throws SQLException when the event cannot be taken (an unavailable audit in {@code required} mode)
     */
    public void transactionEnded(String connectionId, Identity identity, String statement, String call,
                                 long databaseNanos, SQLException failure) throws SQLException {
        transactionEnded(connectionId, identity, statement, call, databaseNanos, failure, true);
    }

    /**
     * As {@link #transactionEnded(String, Identity, String, String, long, SQLException)}, telling whether a statement of
     * the transaction may have run code of the database's users: a commit runs their deferred constraint triggers, so
     * its failure is then recorded without its message ({@link AuditError#fromUserCode}).
     */
    public void transactionEnded(String connectionId, Identity identity, String statement, String call,
                                 long databaseNanos, SQLException failure, boolean userCodeRan) throws SQLException {
        AuditDecision outcome = failure == null ? AuditDecision.ALLOW : AuditDecision.ERROR;
        databaseTime(databaseNanos);
        if (metrics != null) {
            metrics.statement(outcome, Action.TRANSACTION);
        }
        if (dispatcher != null && dispatcher.recording()) {
            // made directly, as a statement's event is: the fields builder().identity(identity) and the setters give
            dispatcher.submit(AuditEvent.ofStatement(Instant.now(), AuditEvent.newEventId(), connectionId, identity,
                    Action.TRANSACTION.externalName(), statement, transactionFingerprintId(statement), List.of(), List.of(),
                    outcome, List.of(), endReason(call, failure != null), List.of(), null, durationUs(databaseNanos),
                    failure == null ? null : errorOf(failure, userCodeRan), null, null, null, policy));
        }
    }

    /** The reason of a transaction's end made by {@code call}; the usual two spelled out rather than joined at every end. */
    private static String endReason(String call, boolean failed) {
        if (failed) {
            return call + " failed";
        }
        return switch (call) {
            case "Connection.commit()" -> "Connection.commit() ended the transaction";
            case "Connection.rollback()" -> "Connection.rollback() ended the transaction";
            default -> call + " ended the transaction";
        };
    }

    /** Gives the metrics the database's time of a statement or a transaction's end, unless it was {@link #UNTIMED}. */
    private void databaseTime(long databaseNanos) {
        if (metrics != null && databaseNanos != UNTIMED) {
            metrics.databaseTime(databaseNanos);
        }
    }

    /** An event's {@code duration_us}: {@code null} for {@link #UNTIMED}. */
    private static Long durationUs(long databaseNanos) {
        return databaseNanos == UNTIMED ? null : databaseNanos / 1000;
    }

    /** Time governance spent on a statement on the caller's thread (identity, analysis, decision). */
    public void overhead(long nanos) {
        if (metrics != null) {
            metrics.overhead(nanos);
        }
    }

    private void record(String eventId, String connectionId, Identity identity, SqlAnalysis analysis, Decision decision,
                        AuditDecision outcome, Long rows, Long durationUs, AuditError error, List<String> maskedColumns,
                        SpanIds span) throws SQLException {
        boolean recorded = eventId != null && dispatcher != null;
        if (!recorded && (metrics == null || !metrics.read())) {
            return; // nothing would keep the event or the count: no summary looked up
        }
        Summary summary = summaryOf(analysis);
        if (metrics != null) {
            metrics.statement(outcome, summary.action());
        }
        if (!recorded) {
            return;
        }
        // made directly rather than through AuditEvent.builder(): one object less for every statement recorded
        dispatcher.submit(AuditEvent.ofStatement(Instant.now(), eventId, connectionId, identity, summary.actionName(),
                summary.statement(), summary.fingerprint(), summary.tables(), summary.columns(), outcome,
                decision == null ? List.of() : decision.rules(), decision == null ? null : decision.reason(),
                maskedColumns, rows, durationUs, error, decision == null ? null : decision.approvalRequestId(),
                span == null ? null : span.traceId(), span == null ? null : span.spanId(), policy));
    }

    private static Action action(SqlAnalysis analysis) {
        if (analysis == null || !analysis.parsed() || analysis.statements().isEmpty()) {
            return Action.UNKNOWN;
        }
        return analysis.statements().get(0).action();
    }

    /** The statement's action; for several statements in one text, their actions joined by {@code +}. */
    private static String actionName(SqlAnalysis analysis, Action first) {
        if (analysis == null || !analysis.multiStatement()) {
            return first.externalName();
        }
        Set<String> actions = new LinkedHashSet<>();
        for (StatementAnalysis s : analysis.statements()) {
            if (!s.has(Trait.NESTED)) {
                actions.add(s.action().externalName());
            }
        }
        return String.join("+", actions);
    }

    private static List<String> tables(SqlAnalysis analysis) {
        if (analysis == null) {
            return List.of();
        }
        Set<String> tables = new LinkedHashSet<>();
        for (StatementAnalysis s : analysis.statements()) {
            s.tablesWritten().stream().map(TableRef::qualifiedName).sorted().forEach(tables::add);
            s.tablesRead().stream().map(TableRef::qualifiedName).sorted().forEach(tables::add);
        }
        return List.copyOf(tables);
    }

    private static List<String> columns(SqlAnalysis analysis) {
        if (analysis == null) {
            return List.of();
        }
        Set<String> columns = new LinkedHashSet<>();
        for (StatementAnalysis s : analysis.statements()) {
            for (ColumnRef c : s.columns()) {
                columns.add(c.table() == null ? c.column() : c.table().qualifiedName() + "." + c.column());
            }
        }
        return List.copyOf(columns);
    }

    private static final String COMMIT_ID = fingerprintId("commit");
    private static final String ROLLBACK_ID = fingerprintId("rollback");

    /** {@link #fingerprintId} of a transaction's end, the two usual ones worked out once rather than at every commit. */
    private static String transactionFingerprintId(String statement) {
        return switch (statement) {
            case "commit" -> COMMIT_ID;
            case "rollback" -> ROLLBACK_ID;
            default -> fingerprintId(statement);
        };
    }

    /** A short stable id of the fingerprint text (64-bit FNV-1a, hex), to group events of one statement shape. */
    static String fingerprintId(String fingerprint) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < fingerprint.length(); i++) {
            hash ^= fingerprint.charAt(i);
            hash *= 0x100000001b3L;
        }
        String hex = Long.toHexString(hash);
        return "0".repeat(16 - hex.length()) + hex;
    }
}
