package io.governed.jdbc.pipeline;

import io.governed.jdbc.session.PreparedNames;
import java.sql.SQLException;

import io.governed.jdbc.audit.StatementAudit;
import io.governed.policy.engine.StatementBinding;

import io.governed.jdbc.session.SessionNames;
import io.governed.identity.Identity;
import io.governed.jdbc.gate.CallKind;
import io.governed.jdbc.gate.GateRequest;
import io.governed.jdbc.gate.SqlText;
import io.governed.policy.Decision;
import io.governed.sql.Dialect;
import io.governed.sql.RoutineCatalog;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.names.NameResolver;
import io.governed.sql.SqlAnalyzer;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One statement on its way through the {@link StatementPipeline}: what the wrapper knew when it
 * arrived (the SQL, the JDBC call, the connection), and what the stages found out on the way (the
 * identity, the analysis, the decision, the timings, the rows, the masked columns). The stages read
 * and fill it; it is the {@link GateRequest} the decision function sees.
 *
 * <p>An execution belongs to one statement on one thread, and ends exactly once: completed or
 * failed (or refused, before it started).
 */
public final class Execution implements GateRequest {
    private final SqlAnalyzer analyzer;
    private final String connectionId;
    private final Dialect dialect;
    private final SessionNames names;
    private final Identity connectionIdentity;
    private final SqlText sql;
    private final SqlText analysedSql;
    private final CallKind callKind;
    private final boolean runs;
    private final GeneratedKeys generatedKeys;
    private RoutineCatalog routines = RoutineCatalog.NONE;

    private Identity identity;
    private SqlAnalysis resolvedAnalysis;
    private Decision decision;
    private long entered;
    /** A time ({@link System#nanoTime}) the connection read as it made this run, 0 when it read none: used, not read again. */
    private long madeAt;
    private long started;
    private long rows;
    private boolean rowsKnown;
    private boolean rewritable;
    /** {@link #sessionTraits} as last asked in this run (valid while its analysis is the statement's). */
    private SessionTraits sessionTraits;
    /** {@link #mayRunCodeThroughRelations}: 0 not asked yet, 1 no, 2 it may. */
    private byte codeThroughRelations;
    private boolean prepared;
    private NewRowCheck newRowCheck;
    private Supplier<ServerEndpoint> server = UNKNOWN_SERVER;
    private static final Supplier<ServerEndpoint> UNKNOWN_SERVER = () -> ServerEndpoint.UNKNOWN;
    private io.governed.jdbc.masking.ResultMasks.ColumnValues columnValues = io.governed.jdbc.masking.ResultMasks.ColumnValues.NONE;
    /** The session's resolver this statement is decided and resolved under, read when first asked for. */
    private NameResolver currentNames;
    /** What few executions are told ({@link Rare}), made when the first of it is set; {@code null} while none is. */
    private Rare rare;
    /** The id of this run's audit event, made when first asked for. */
    private String eventId;
    /** {@link AuditStage}'s answer, asked once per run, whether the sinks record its events: 0 not asked yet, 1 no, 2 yes. */
    byte recorded;
    /** {@link AuditStage}'s answer, asked once per run, whether a meter registry reads its metrics: 0 not asked yet, 1 no, 2 yes. */
    byte counted;
    boolean ended;

    /**
     * The part of an execution most statements never set: masks, refusals, row filters, updatable results, batches,
     * tracing, query-timeout caps, statements prepared by name, waits for approval, callers the policy limits. Kept
     * apart so that the usual run carries (and allocates) none of it; each field's default is what the execution
     * answers while no holder exists.
     */
    private static final class Rare {
        private List<String> maskedColumns = List.of();
        private long maskedValues;
        private String refusedBy;
        private String preparedAs;
        private List<List<Object>> batchedValues = List.of();
        private io.governed.sql.RowFilterRewriter.Rewrite rowFilterRewrite;
        private boolean resultsUpdatable;
        private RowWrite rowWrite;
        /** A refusal a wrapper found before the decision, thrown by {@link WrapperRefusalStage}; {@code null} otherwise. */
        private SQLException refusedByWrapper;
        /** The identity the entries of the batch this execution belongs to were added as; {@code null} outside a batch. */
        private Identity batchedAs;
        private StatementAudit.SpanIds span;
        /** The tracing stage's per-statement state (its span), typed loosely so that this class never needs OpenTelemetry. */
        private Object traced;
        private int queryTimeoutCap;
        private boolean queryTimeoutCapped;
        private List<String> wouldMask = List.of();
        /** The statement prepared by name this execution runs ({@link #runsByName}), or {@code null}. */
        private PreparedNames.Entry byName;
        /** The text this execution is analysed as instead of what it runs ({@link #analysedAs}), or {@code null}. */
        private SqlText analysedInstead;
        /** Whether the statement waited before being decided again: its entry time no longer says how old a reading is. */
        private boolean waited;
        /** {@link #readAfresh}'s time, or {@code 0}: the session's reading in force serves. */
        private long readSince;

        /**
         * What {@link #again()} carries to the next run of a batch (the rest starts anew with each run), or {@code null}
         * when none of it is set.
         */
        Rare again() {
            if (readSince == 0 && preparedAs == null && batchedValues.isEmpty() && rowFilterRewrite == null
                    && !resultsUpdatable && rowWrite == null && batchedAs == null && queryTimeoutCap == 0) {
                return null;
            }
            Rare next = new Rare();
            next.readSince = readSince;
            next.preparedAs = preparedAs;
            next.batchedValues = batchedValues;
            next.rowFilterRewrite = rowFilterRewrite;
            next.resultsUpdatable = resultsUpdatable;
            next.rowWrite = rowWrite;
            next.batchedAs = batchedAs;
            next.queryTimeoutCap = queryTimeoutCap;
            return next;
        }
    }

    /** The holder of the rarely set fields, made now if none was. */
    private Rare rare() {
        Rare r = rare;
        if (r == null) {
            r = new Rare();
            rare = r;
        }
        return r;
    }

    /**
     * @param analyzer           the analyser whose analysis the stages share (memoised on {@code sql})
     * @param connectionId       the governed connection's id
     * @param dialect            the connection's database dialect
     * @param names              how the session resolves unqualified names, or {@code null} when unknown
     * @param connectionIdentity the connection's own identity, or {@code null}
     * @param sql                the statement's SQL
     * @param analysedSql        the SQL it amounts to with what the driver appends for its generated keys
     *                           ({@link GeneratedKeysSql}); {@code sql} when nothing is appended
     * @param callKind           the JDBC call that brought it
     * @param runs               whether the statement runs now ({@code false} for a prepare, an
     *                           {@code addBatch}, a {@code nativeSQL}: they are checked, and never complete)
     * @param generatedKeys      which generated keys the call asked the driver for ({@link GeneratedKeys#NONE} for none)
     */
    /** The digest of the bound values, for approvals; none bound unless set. */
    private Supplier<String> parametersDigest = NO_PARAMETERS;
    private static final Supplier<String> NO_PARAMETERS = () -> StatementBinding.NO_PARAMETERS;
    /** How many times the statement runs under this execution's decision: a batch's entries of it in a row; else 1. */
    private int executions = 1;

    public Execution(SqlAnalyzer analyzer, String connectionId, Dialect dialect, SessionNames names,
                     Identity connectionIdentity, SqlText sql, SqlText analysedSql, CallKind callKind, boolean runs,
                     GeneratedKeys generatedKeys) {
        this.analyzer = analyzer;
        this.connectionId = connectionId;
        this.dialect = dialect;
        this.names = names;
        this.connectionIdentity = connectionIdentity;
        this.sql = sql;
        this.analysedSql = analysedSql;
        this.callKind = callKind;
        this.runs = runs;
        this.generatedKeys = generatedKeys;
    }

    /** The OpenTelemetry span this statement runs in, for its audit event; {@code null} when it is not traced. */
    public StatementAudit.SpanIds span() {
        Rare r = rare;
        return r == null ? null : r.span;
    }

    /** Records the span the statement runs in (the tracing stage calls it when it starts the span). */
    public void span(StatementAudit.SpanIds ids) {
        if (ids != null || rare != null) {
            rare().span = ids;
        }
    }

    /** Where the statement goes (database, host, port), read from the connection on first need. */
    public ServerEndpoint server() {
        return server.get();
    }

    /** Tells where the statement goes; the supplier is asked only by stages that need it (tracing). */
    public Execution withServer(Supplier<ServerEndpoint> endpoint) {
        this.server = Objects.requireNonNull(endpoint, "endpoint");
        return this;
    }

    /** How the driver reads a column's values itself, for auto-detection ({@link ColumnClassificationStage}); none unless set. */
    public io.governed.jdbc.masking.ResultMasks.ColumnValues columnValues() {
        return columnValues;
    }

    /** Tells how the driver reads a column's values itself, through the statement's connection. */
    public Execution withColumnValues(io.governed.jdbc.masking.ResultMasks.ColumnValues values) {
        this.columnValues = Objects.requireNonNull(values, "values");
        return this;
    }

    Object traced() {
        Rare r = rare;
        return r == null ? null : r.traced;
    }

    void traced(Object state) {
        if (state != null || rare != null) {
            rare().traced = state;
        }
    }

    /** Another run of the same statement with the same identity and decision (the next entry of a batch), already entered. */
    public Execution again() {
        Execution next = new Execution(analyzer, connectionId, dialect, names, connectionIdentity, sql, analysedSql,
                callKind, runs, generatedKeys);
        next.routines = routines;
        next.rare = rare == null ? null : rare.again();
        next.server = server;
        next.columnValues = columnValues;
        next.parametersDigest = parametersDigest;
        next.identity = identity;
        next.decision = decision;
        next.resolvedAnalysis = resolvedAnalysis;
        next.rewritable = rewritable;
        next.prepared = prepared;
        next.newRowCheck = newRowCheck;
        next.entered = entered;
        next.started = started;
        next.recorded = recorded; // a batch's rows are recorded as its first was, as they are timed as it was
        next.counted = counted;
        return next;
    }

    /**
     * The {@code event_id} of this run's audit event; the approval events recorded while deciding it name it
     * as their {@code statement_event_id}. Made when first asked for (each run of a batch has its own).
     */
    public String eventId() {
        if (eventId == null) {
            eventId = io.governed.jdbc.audit.AuditEvent.newEventId();
        }
        return eventId;
    }

    @Override
    public SqlText sql() {
        return sql;
    }

    /**
     * The SQL analysed and decided on: the text as written (with what the driver appends for its generated keys), or,
     * for an {@code EXECUTE name} of a statement prepared by name through the governed connection
     * ({@link #runsByName}), the text of that statement.
     */
    @Override
    public SqlText analysedSql() {
        Rare r = rare;
        SqlText instead = r == null ? null : r.analysedInstead;
        return instead != null ? instead : analysedSql;
    }

    /** The SQL as written, with what the driver appends for its generated keys: never the statement run by name. */
    public SqlText analysedAsWritten() {
        return analysedSql;
    }

    /**
     * This execution runs, by name, the statement {@code prepared} holds, prepared through the governed connection:
     * from now on it is analysed, decided, filtered, masked and audited as that statement (its text is {@link #sql()}
     * still, which is what the database is sent). Set before the decision, by {@link PreparedNamesStage}.
     */
    void runsByName(PreparedNames.Entry prepared) {
        rare().byName = prepared;
        analysedAs(prepared.statement());
    }

    /**
     * This execution is analysed, decided and audited as {@code text}, which amounts to what it runs but is not sent:
     * MariaDB's {@code PREPARE s FROM '…'} of one plain string as {@code PREPARE s AS …}, whose statement the analysis
     * reads (the analysis of the text as written depends on its fingerprint alone, which has no string in it). Set
     * before the decision, by {@link PreparedNamesStage}.
     */
    void analysedAs(SqlText text) {
        rare().analysedInstead = text;
        this.resolvedAnalysis = null;
    }

    /** The statement prepared by name this execution runs ({@link #runsByName}), or {@code null}. */
    public PreparedNames.Entry byName() {
        Rare r = rare;
        return r == null ? null : r.byName;
    }

    /**
     * The analysis the audit records: {@link #analysis()}; for a statement run by name, that statement's, with a
     * fingerprint telling both: {@code EXECUTE p(?) -- prepared as: SELECT id, ssn FROM customers}.
     */
    public SqlAnalysis auditedAnalysis() {
        SqlAnalysis analysis = analysis();
        Rare r = rare;
        if (r == null || r.analysedInstead == null) {
            return analysis;
        }
        String written = analysisOf(analysedSql).fingerprint();
        String fingerprint = written + (r.byName != null ? " -- prepared as: " : " -- read as: ") + analysis.fingerprint();
        return analysis.parsed() ? new SqlAnalysis(fingerprint, dialect, analysis.statements(), null)
                : SqlAnalysis.unparseable(fingerprint, dialect, analysis.parseError());
    }

    @Override
    public CallKind callKind() {
        return callKind;
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }

    @Override
    public String connectionId() {
        return connectionId;
    }

    @Override
    public SessionNames names() {
        return names;
    }

    /**
     * The session's resolver as it stood when this statement was first decided or resolved, read once (at the time it
     * entered the pipeline when timed, else at the time read as it was made, if any): the decision and the name
     * resolution see the same session, and the session is asked (and the clock read) once, not by each.
     */
    /**
     * The statement is of a caller the policy limits: {@link #currentNames()} is a reading of the session made since
     * {@code sinceNanos} ({@link SessionNames#currentReadSince}), not one kept from earlier statements, and {@code
     * routines} the database's user code read since then too ({@link FreshReadingStage}).
     */
    void readAfresh(long sinceNanos, RoutineCatalog routines) {
        if (sinceNanos != 0 || rare != null) {
            rare().readSince = sinceNanos;
        }
        currentNames = null;
        this.routines = routines;
    }

    /** {@link #readAfresh}'s time, or {@code 0}: the session's reading in force serves. */
    private long readSince() {
        Rare r = rare;
        return r == null ? 0 : r.readSince;
    }

    /** Whether {@link #readAfresh} was told: the statement's caller is one the policy limits. */
    public boolean readAfresh() {
        return readSince() != 0;
    }

    @Override
    public NameResolver currentNames() {
        NameResolver current = currentNames;
        if (current == null) {
            long at = entered != 0 ? entered : madeAt;
            Rare r = rare;
            long readSince = r == null ? 0 : r.readSince;
            boolean waited = r != null && r.waited;
            current = names == null ? NameResolver.unknown() : readSince != 0 ? names.currentReadSince(readSince)
                    : at != 0 && !waited ? names.current(at) : names.current();
            currentNames = current;
        }
        return current;
    }

    /**
     * The statement waited (for an approval): {@link #currentNames()} asks the session again, at the time it is next
     * asked, so that what is decided and resolved after the wait sees the session as it is then.
     */
    public void sessionReadAgain() {
        currentNames = null;
        Rare r = rare();
        r.waited = true;
        if (r.readSince != 0) {
            r.readSince = System.nanoTime();
        }
    }

    @Override
    public RoutineCatalog routines() {
        return routines;
    }

    @Override
    public StatementBinding binding() {
        PreparedNames.Entry prepared = byName();
        if (prepared != null) {
            // an approval is for the statement the name holds now, not for whatever the name may hold later
            return new StatementBinding(sql.sql() + " -- prepared as: " + prepared.statement().sql(), parametersDigest,
                    executions);
        }
        return new StatementBinding(sql.sql(), parametersDigest, executions);
    }

    /**
     * This execution, deciding for {@code count} runs of the statement: a batch's first entry of a text batched
     * {@code count} times in a row, whose later entries repeat its decision ({@link StatementPipeline#repeat}).
     */
    public Execution runningTimes(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a statement runs at least once, not " + count + " times");
        }
        this.executions = count;
        return this;
    }

    /** This execution, with values bound whose digest {@code digest} gives (worked out only when an approval needs it). */
    public Execution withParameters(Supplier<String> digest) {
        this.parametersDigest = java.util.Objects.requireNonNull(digest, "digest");
        return this;
    }

    /** This execution, on a database whose built-in routines {@code catalog} knows too. */
    public Execution withRoutines(RoutineCatalog catalog) {
        this.routines = Objects.requireNonNull(catalog, "catalog");
        return this;
    }

    /**
     * The analysis with its unqualified names resolved as the session resolved them when the statement
     * was decided (set by the {@link SessionStage}); the plain {@link #analysis()} when nothing resolved it.
     */
    public SqlAnalysis resolvedAnalysis() {
        return resolvedAnalysis != null ? resolvedAnalysis : analysis();
    }

    /**
     * {@link io.governed.jdbc.session.SessionState#mayRunCodeThroughRelations} of the {@linkplain #resolvedAnalysis()
     * resolved analysis}, asked of {@code session} once per run: the stages that record what a statement may leave in the
     * session (its role, its settings) ask it before it runs and again when it completes, and the answer is the one for
     * the session it ran in (a statement run while this one's results were open may have changed the session since).
     */
    boolean mayRunCodeThroughRelations(io.governed.jdbc.session.SessionState session) {
        if (codeThroughRelations == 0) {
            codeThroughRelations = session.mayRunCodeThroughRelations(resolvedAnalysis()) ? (byte) 2 : (byte) 1;
        }
        return codeThroughRelations == 2;
    }

    /**
     * What the session stages ask of the statement's text and {@linkplain #analysis() analysis} alone ({@link
     * SessionTraits}), worked out once per analysis and kept on the text.
     */
    SessionTraits sessionTraits() {
        SqlText text = analysedSql();
        SqlAnalysis analysis = text.analysis(analyzer, dialect);
        SessionTraits kept = sessionTraits;
        if (kept != null && kept.analysis == analysis && analysis != null) {
            return kept; // this run's, asked again by a later stage: no look on the text
        }
        kept = SessionTraits.of(text, analysis, dialect);
        sessionTraits = kept;
        return kept;
    }

    void resolvedAnalysis(SqlAnalysis resolved) {
        this.resolvedAnalysis = resolved;
    }

    /** Whether the statement runs now, rather than only being prepared, batched or translated. */
    @Override
    public boolean runs() {
        return runs;
    }

    /** The generated keys the call asked the driver for. */
    public GeneratedKeys generatedKeys() {
        return generatedKeys;
    }

    /** The connection's own identity, or {@code null}: the identity stage's fallback. */
    public Identity connectionIdentity() {
        return connectionIdentity;
    }

    /** The identity the statement runs as, once the identity stage established it; {@code null} before. */
    @Override
    public Identity identity() {
        return identity;
    }

    public void identity(Identity identity) {
        this.identity = identity;
    }

    /**
     * The analysis of {@link #analysedSql()}: computed once per text, shared by the decision, the
     * masks and the audit.
     */
    public SqlAnalysis analysis() {
        return analysedSql().analysis(analyzer, dialect);
    }

    /** The analysis of another text in this statement's dialect, with the same analyser (memoised on {@code text}). */
    public SqlAnalysis analysisOf(SqlText text) {
        return text.analysis(analyzer, dialect);
    }

    /** The text {@code text} amounts to run with this execution's generated keys ({@link GeneratedKeysSql}). */
    public SqlText analysedTextOf(SqlText text) {
        return GeneratedKeysSql.analysedText(text, generatedKeys, dialect, analyzer);
    }

    /** The decision that allowed the statement, once the decision stage made it; {@code null} before. */
    public Decision decision() {
        return decision;
    }

    public void decision(Decision decision) {
        this.decision = decision;
    }

    /**
     * Whether the statement may run code of the database's users ({@link Decision#mayRunUserCode}): a routine, a
     * trigger, a {@code DO} block, whose messages may hold any value it read. {@code true} while no decision tells
     * otherwise (fail closed).
     */
    public boolean mayRunUserCode() {
        return decision == null || decision.mayRunUserCode();
    }

    /**
     * When the execution entered the pipeline ({@link System#nanoTime}), or 0 when it is not timed (nothing keeps its
     * durations, or it is a check that does not run: a prepare, an {@code addBatch}, a {@code nativeSQL}).
     */
    public long entered() {
        return entered;
    }

    void entered(long nanos) {
        this.entered = nanos;
    }

    /**
     * Records {@code nanos} ({@link System#nanoTime}, or 0 for none) as a time read as this run was made, which the
     * pipeline takes as the run's entry time and the session reading's age is told by, instead of reading the clock
     * again microseconds later. Not carried to {@link #again()}'s runs.
     */
    public Execution madeAt(long nanos) {
        this.madeAt = nanos;
        return this;
    }

    long madeAt() {
        return madeAt;
    }

    /** When the statement was handed to the database ({@link System#nanoTime}), or 0 when it is not timed. */
    public long started() {
        return started;
    }

    public void started(long nanos) {
        this.started = nanos;
    }

    /** The rows returned or affected, or {@code null} when unknown. */
    public Long rows() {
        return rowsKnown ? rows : null;
    }

    /** The statement affected {@code count} rows ({@code null}: unknown). */
    public void rows(Long count) {
        rowsKnown = count != null;
        rows = count == null ? 0 : count;
    }

    /** One more result row was read. */
    public void rowRead() {
        rows++;
        rowsKnown = true;
    }

    /** The labels of the result's masked columns. */
    public List<String> maskedColumns() {
        Rare r = rare;
        return r == null ? List.of() : r.maskedColumns;
    }

    /** How many values were masked. */
    public long maskedValues() {
        Rare r = rare;
        return r == null ? 0 : r.maskedValues;
    }

    /** The results' masked columns (labels) and how many values were masked. */
    public void masked(List<String> labels, long values) {
        List<String> columns = List.copyOf(labels);
        if (!columns.isEmpty() || values != 0 || rare != null) {
            Rare r = rare();
            r.maskedColumns = columns;
            r.maskedValues = values;
        }
    }

    /**
     * The longest query timeout, in seconds, the statement may run with (0: no cap): the statement
     * runs with the shorter of this and the timeout the application set ({@code setQueryTimeout}).
     */
    public int queryTimeoutCap() {
        Rare r = rare;
        return r == null ? 0 : r.queryTimeoutCap;
    }

    /** Caps the statement's query timeout at {@code seconds} (0: no cap); a tighter cap already set stays. */
    public void capQueryTimeout(int seconds) {
        int cap = queryTimeoutCap();
        if (seconds > 0 && (cap == 0 || seconds < cap)) {
            rare().queryTimeoutCap = seconds;
        }
    }

    /** Whether the statement runs with the {@link #queryTimeoutCap cap} because it is shorter than the application's timeout. */
    public boolean queryTimeoutCapped() {
        Rare r = rare;
        return r != null && r.queryTimeoutCapped;
    }

    /** The statement runs with its cap as its query timeout (the application's was longer, or none). */
    public void queryTimeoutCapped(boolean capped) {
        if (capped || rare != null) {
            rare().queryTimeoutCapped = capped;
        }
    }

    /** The labels of result columns that masks in observe mode would have masked (they were not). */
    public List<String> wouldMask() {
        Rare r = rare;
        return r == null ? List.of() : r.wouldMask;
    }

    /** Masks in observe mode would have masked the result columns {@code labels}. */
    public void wouldMask(List<String> labels) {
        if (!labels.isEmpty()) {
            Rare r = rare();
            List<String> all = new java.util.ArrayList<>(r.wouldMask);
            labels.stream().filter(l -> !all.contains(l)).forEach(all::add);
            r.wouldMask = List.copyOf(all);
        }
    }

    /** The class of the stage that refused the statement, or {@code null}. */
    public String refusedBy() {
        Rare r = rare;
        return r == null ? null : r.refusedBy;
    }

    void refusedBy(String stage) {
        if (stage != null || rare != null) {
            rare().refusedBy = stage;
        }
    }

    /**
     * Marks the execution as one whose wrapper runs a row-filter rewrite ({@link #rowFilterRewrite()}) in place
     * of its SQL; a statement that needs a rewrite is refused on any other execution.
     */
    public Execution rewritable() {
        this.rewritable = true;
        return this;
    }

    /**
     * Marks the execution as a prepared statement's: its database statement was prepared as {@code preparedAs}
     * (a row-filter rewrite's SQL, or {@code null} for the SQL as written), so the caller's rewrite now must be
     * the same statement; {@code batchedValues} are the identity values bound into each batched entry, which must
     * be the caller's now.
     */
    public Execution prepared(String preparedAs, List<List<Object>> batchedValues) {
        this.rewritable = true;
        this.prepared = true;
        List<List<Object>> values = List.copyOf(batchedValues);
        if (preparedAs != null || !values.isEmpty() || rare != null) {
            Rare r = rare();
            r.preparedAs = preparedAs;
            r.batchedValues = values;
        }
        return this;
    }

    /** Whether this is an execution of a statement prepared before ({@link #prepared(String, List)}). */
    public boolean preparedExecution() {
        return prepared;
    }

    /** The SQL the prepared statement's database statement was prepared as ({@code null}: as written). */
    public String preparedAs() {
        Rare r = rare;
        return r == null ? null : r.preparedAs;
    }

    /** The identity values bound into each batched entry of a prepared statement. */
    public List<List<Object>> batchedValues() {
        Rare r = rare;
        return r == null ? List.of() : r.batchedValues;
    }

    /**
     * Tells how the wrapper checks an INSERT's new rows against the row filters before it runs the statement (with the
     * values of every entry the run inserts); a statement whose new rows must be checked is refused without it.
     */
    public Execution checkingNewRows(NewRowCheck check) {
        this.newRowCheck = check;
        return this;
    }

    /** How the wrapper checks an INSERT's new rows, or {@code null} when this call cannot. */
    public NewRowCheck newRowCheck() {
        return newRowCheck;
    }

    /**
     * Marks the execution as a query whose results the application may update ({@code CONCUR_UPDATABLE}): a query of
     * one row-filtered table alone is then rewritten with the filters in its WHERE, so that it stays updatable
     * ({@link io.governed.sql.RowFilterRewriter#rewriteForUpdate}).
     */
    public Execution updatableResults(boolean updatable) {
        if (updatable || rare != null) {
            rare().resultsUpdatable = updatable;
        }
        return this;
    }

    /** Whether the query's results may be updated ({@link #updatableResults}). */
    public boolean resultsUpdatable() {
        Rare r = rare;
        return r != null && r.resultsUpdatable;
    }

    /**
     * A row write ({@code updateRow}, {@code insertRow}, {@code deleteRow}) through a result set read through a row-filter
     * rewrite of {@code readSql} ({@code read}, its filters in its WHERE).
     *
     * @param kind    {@code UPDATE}, {@code INSERT} or {@code DELETE}
     * @param readSql the text the query was rewritten from
     * @param read    the rewrite the result set was read through
     */
    public record RowWrite(String kind, String readSql, io.governed.sql.RowFilterRewriter.Rewrite read) {
    }

    /** Marks the execution as a row write through a row-filtered result set. */
    public Execution rowWrite(RowWrite write) {
        if (write != null || rare != null) {
            rare().rowWrite = write;
        }
        return this;
    }

    /** The row write through a row-filtered result set this execution checks, or {@code null}. */
    public RowWrite rowWrite() {
        Rare r = rare;
        return r == null ? null : r.rowWrite;
    }

    /**
     * Marks the execution as refused by the wrapper that made it, for {@code refusal} (an updatable result set asked to
     * write a masked column, say): {@link WrapperRefusalStage} throws it once the identity is known, so that every stage
     * is told of the refusal (the audit records it) as of any other.
     */
    public Execution refusedByWrapper(SQLException refusal) {
        if (refusal != null || rare != null) {
            rare().refusedByWrapper = refusal;
        }
        return this;
    }

    /** The refusal {@link #refusedByWrapper(SQLException)} marked, or {@code null}. */
    public SQLException refusedByWrapper() {
        Rare r = rare;
        return r == null ? null : r.refusedByWrapper;
    }

    /**
     * Marks the execution as an entry of a batch whose earlier entries were added as {@code identity} ({@code null}: the
     * batch's first entry): {@link BatchIdentityStage} refuses it when it would be decided as another identity.
     */
    public Execution batchedAs(Identity identity) {
        if (identity != null || rare != null) {
            rare().batchedAs = identity;
        }
        return this;
    }

    /** The identity {@link #batchedAs(Identity)} marked, or {@code null}. */
    public Identity batchedAs() {
        Rare r = rare;
        return r == null ? null : r.batchedAs;
    }

    /** Whether the wrapper runs a row-filter rewrite in place of the SQL. */
    public boolean acceptsRewrite() {
        return rewritable;
    }

    /** The statement to run in place of the SQL, with the caller's row filters applied, or {@code null} to run the SQL. */
    public io.governed.sql.RowFilterRewriter.Rewrite rowFilterRewrite() {
        Rare r = rare;
        return r == null ? null : r.rowFilterRewrite;
    }

    void rowFilterRewrite(io.governed.sql.RowFilterRewriter.Rewrite rewrite) {
        if (rewrite != null || rare != null) {
            rare().rowFilterRewrite = rewrite;
        }
    }

    /** Whether the execution has ended (completed, failed or refused). */
    public boolean ended() {
        return ended;
    }

    @Override
    public String toString() {
        return "Execution[" + connectionId + ", " + callKind + ", " + sql + "]";
    }
}
