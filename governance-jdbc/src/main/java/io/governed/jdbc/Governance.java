package io.governed.jdbc;

import io.governed.identity.Identity;
import io.governed.jdbc.config.GovernedSettings;
import io.governed.jdbc.approval.ApprovalNotifier;
import io.governed.jdbc.approval.ApprovalStores;
import io.governed.jdbc.approval.AuditingApprovalStore;
import io.governed.jdbc.approval.NotifyingApprovalStore;
import io.governed.jdbc.audit.JdbcSink;
import io.governed.policy.approval.ApprovalStore;
import io.governed.policy.approval.InMemoryApprovalStore;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.PolicyVersions;
import io.governed.jdbc.audit.SharedAuditDispatchers;
import io.governed.jdbc.audit.StatementAudit;
import io.governed.jdbc.audit.kafka.KafkaOptions;
import io.governed.jdbc.config.Setting;
import io.governed.jdbc.gate.SqlText;
import io.governed.jdbc.metrics.GovernanceMetrics;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.jdbc.gate.DecisionFunction;
import io.governed.jdbc.gate.PolicyDecisions;
import io.governed.jdbc.pipeline.AuditStage;
import io.governed.jdbc.pipeline.ColumnClassificationStage;
import io.governed.jdbc.pipeline.DecisionStage;
import io.governed.jdbc.pipeline.FreshReadingStage;
import io.governed.jdbc.pipeline.PreparedNamesStage;
import io.governed.jdbc.pipeline.ErrorScrubbingStage;
import io.governed.jdbc.pipeline.MaskedWriteBackStage;
import io.governed.jdbc.pipeline.SessionLeftoversStage;
import io.governed.jdbc.pipeline.SessionRoleStage;
import io.governed.jdbc.pipeline.IdentityStage;
import io.governed.jdbc.pipeline.WrapperRefusalStage;
import io.governed.jdbc.pipeline.BatchIdentityStage;
import io.governed.jdbc.pipeline.LimitStage;
import io.governed.jdbc.pipeline.MaskingStage;
import io.governed.jdbc.pipeline.RowFilterStage;
import io.governed.jdbc.pipeline.SessionStage;
import io.governed.jdbc.pipeline.StatementPipeline;
import io.governed.jdbc.pipeline.StatementStage;
import io.governed.jdbc.pipeline.Tracing;
import io.governed.jdbc.identity.IdentityResolution;
import io.governed.jdbc.identity.IdentityResolver;
import io.governed.jdbc.identity.IdentityResolvers;
import io.governed.jdbc.identity.token.ServiceToken;
import io.governed.jdbc.identity.token.TokenVerifier;
import io.governed.policy.Policy;
import io.governed.policy.engine.PolicyEngine;
import io.governed.policy.load.PolicyLoadException;
import io.governed.policy.load.PolicyLoader;
import io.governed.policy.masking.MaskPlanner;
import io.governed.sql.AnalysisLimits;
import io.governed.sql.SqlAnalyzer;
import io.governed.settings.Quantities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * One governance runtime: the {@link StatementPipeline} every statement passes and what its stages
 * use (the decision function, a policy usually; the SQL analyser with its cache; the default identity
 * and the identity resolver; the audit). Connections made with the same governance settings share
 * one runtime.
 *
 * <pre>{@code
 * Governance governance = Governance.builder()
 *         .policy(PolicyLoader.load("classpath:policies/app.yaml"))
 *         .defaultIdentity(Identity.builder("billing").kind(IdentityKind.SERVICE).build())
 *         .build();
 * DataSource ds = new GovernedDataSource(pool, governance);
 * }</pre>
 */
public final class Governance {
    private static final Logger LOG = LoggerFactory.getLogger(Governance.class);

    /** The audit sink of connections whose settings name none: every statement is audited somewhere. */
    public static final String DEFAULT_AUDIT = "slf4j";

    private final StatementPipeline pipeline;
    private final DecisionFunction decisions;
    private final SqlAnalyzer analyzer;
    private final StatementAudit audit;
    private final IdentityResolution identityResolution;
    private final boolean unwrapAllowed;
    private final boolean unlistedDataSourcesAllowed;
    private final MaskPlanner maskPlanner;
    private final PolicyEngine engine;
    private final Duration approvalWait;
    private final LongSupplier limitClock;

    /**
     * The names (without a schema) of the tables the {@code jdbc:} sinks of {@code dispatcher} write the trail to, which
     * no statement through the governed driver may read or write: the audited identity would delete its own events.
     */
    private static java.util.Set<String> auditTables(AuditDispatcher dispatcher) {
        if (dispatcher == null) {
            return java.util.Set.of();
        }
        java.util.Set<String> tables = new java.util.HashSet<>();
        for (io.governed.jdbc.audit.AuditSink sink : dispatcher.sinks()) {
            if (sink instanceof JdbcSink jdbc) {
                String table = jdbc.table();
                tables.add(table.substring(table.lastIndexOf('.') + 1));
            }
        }
        return tables;
    }

    private Governance(Builder b) {
        this.analyzer = b.analyzer != null ? b.analyzer : new SqlAnalyzer();
        AuditDispatcher dispatcher = b.auditChosen ? b.audit : defaultAudit();
        DecisionFunction decisions = b.decisionFunction;
        if (decisions == null) {
            ApprovalStore approvals = b.approvalStore != null ? b.approvalStore : new InMemoryApprovalStore();
            if (dispatcher != null) {
                approvals = new AuditingApprovalStore(approvals, dispatcher);
            }
            decisions = PolicyDecisions.of(b.policy != null ? b.policy : baseline(), approvals, analyzer,
                    auditTables(dispatcher));
        }
        this.decisions = decisions;
        this.engine = decisions instanceof PolicyDecisions policyDecisions ? policyDecisions.engine() : null;
        this.maskPlanner = engine == null ? null : engine.maskPlanner();
        GovernanceMetrics metrics = b.metrics;
        if (metrics != null) {
            metrics.bindAnalysisCache(analyzer.cache());
            if (dispatcher != null) {
                metrics.bind(dispatcher);
            }
        }
        this.audit = new StatementAudit(dispatcher, metrics, engine == null ? null : PolicyVersions.inForce(engine.policy()));
        if (b.serviceToken != null && b.tokenVerifier == null) {
            throw new IllegalStateException("A service token needs a token verifier: set tokenVerifier(…) "
                    + "(governed.identity.jwks, .issuer, .audience) too");
        }
        this.identityResolution = new IdentityResolution(b.identityResolver, b.defaultIdentity, b.requireScopedIdentity,
                b.migrationPrincipal, b.tokenVerifier,
                b.serviceToken == null ? null : new ServiceToken(b.tokenVerifier, b.serviceToken));
        this.unwrapAllowed = b.unwrapAllowed;
        this.unlistedDataSourcesAllowed = b.unlistedDataSourcesAllowed;
        this.approvalWait = b.approvalWait;
        this.limitClock = b.limitClock;
        this.pipeline = pipeline(b.stages, b.tracing ? Tracing.stage(b.openTelemetry) : null, metrics);
    }

    /** The one place stages are put in order: see {@link StatementPipeline} for what each does. */
    private StatementPipeline pipeline(List<StatementStage> applicationStages, StatementStage tracing,
                                       GovernanceMetrics metrics) {
        List<StatementStage> stages = new ArrayList<>();
        if (tracing != null) {
            stages.add(tracing); // first, so that refused statements are spans too
        }
        stages.add(new IdentityStage(identityResolution));
        stages.add(new WrapperRefusalStage());
        stages.add(new BatchIdentityStage());
        stages.add(new SessionRoleStage());
        stages.add(new SessionLeftoversStage()); // before the decision: a reset changes how names resolve
        if (FreshReadingStage.needed(engine)) {
            stages.add(new FreshReadingStage(engine)); // before anything reads the session for the statement
        }
        stages.add(new PreparedNamesStage(engine, maskPlanner)); // after a reset, which forgets the names; before the decision
        if (ColumnClassificationStage.needed(engine)) {
            stages.add(new ColumnClassificationStage(engine)); // before the decision: tags decide copy-out and inference
        }
        // without approval rules no decision is pending and no approval event is caused: the stage needs no store
        stages.add(new DecisionStage(decisions, approvalWait,
                engine == null || engine.policy().approvals().isEmpty() ? null : engine.approvalStore()));
        stages.add(new SessionStage(engine));
        if (engine != null && RowFilterStage.needed(engine.policy())) {
            stages.add(new RowFilterStage(engine, metrics));
        }
        PolicyEngine observer = decisions instanceof PolicyDecisions policyDecisions ? policyDecisions.observer() : null;
        if (MaskedWriteBackStage.needed(maskPlanner)) {
            stages.add(new MaskedWriteBackStage(maskPlanner));
        }
        stages.add(new MaskingStage(maskPlanner, observer == null ? null : observer.maskPlanner()));
        LimitStage limits = engine != null && LimitStage.needed(engine.policy()) ? new LimitStage(engine.policy(), limitClock) : null;
        if (limits != null) {
            stages.add(limits);
        }
        stages.addAll(applicationStages);
        // after every stage that may refuse: what is about to run is recorded before it runs
        stages.add(new SessionRoleStage.BeforeRun());
        stages.add(new SessionLeftoversStage.BeforeRun());
        stages.add(new PreparedNamesStage.BeforeRun());
        stages.add(new ErrorScrubbingStage(engine));
        AuditStage audited = new AuditStage(audit);
        stages.add(audited);
        StatementPipeline built = new StatementPipeline(stages, audit.records() ? audited::times : null);
        if (limits != null) {
            limits.attach(built);
        }
        return built;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The runtime the governance (non-identity) {@code governed.*} settings describe.
     *
     * @param defaultIdentity the identity of statements that have no other; may be {@code null}
     * @throws SQLException when the settings cannot be put into force
     */
    public static Governance fromSettings(GovernedSettings settings, Identity defaultIdentity) throws SQLException {
        return builderFromSettings(settings, defaultIdentity).build();
    }

    /**
     * A builder set up as the governance (non-identity) {@code governed.*} settings say, for a framework to add
     * to (its own metrics registry, its identity resolver) before building.
     *
     * @param defaultIdentity the identity of statements that have no other; may be {@code null}
     * @throws SQLException when the settings cannot be put into force
     */
    public static Builder builderFromSettings(GovernedSettings settings, Identity defaultIdentity) throws SQLException {
        String locations = settings.get(Setting.POLICY);
        Builder builder = builder().defaultIdentity(defaultIdentity).metrics(GovernanceMetrics.global())
                .requireScopedIdentity(settings.isOn(Setting.IDENTITY_REQUIRE_SCOPED, "true", "false", false))
                .allowUnwrap(settings.isOn(Setting.UNWRAP, "allow", "refuse", false))
                .allowUnlistedDataSources(settings.isOn(Setting.CONNECT_UNLISTED_DATA_SOURCE, "allow", "refuse", false))
                .tracing(tracingFrom(settings))
                .migrationPrincipal(settings.get(Setting.MIGRATION_PRINCIPAL))
                .identityResolver(IdentityResolvers.fromSettings(settings.get(Setting.IDENTITY_RESOLVER)));
        TokenVerifier verifier = TokenVerifier.fromSettings(settings);
        builder.tokenVerifier(verifier);
        String token = settings.get(Setting.IDENTITY_TOKEN);
        if (token != null && !token.isBlank()) {
            if (settings.get(Setting.PRINCIPAL) != null) {
                throw GovernedSettings.assertedAndVerifiedIdentity();
            }
            new ServiceToken(verifier, token).identity(); // refuse the connection now when its token is refused
            builder.serviceToken(token);
        }
        builder.audit(auditFrom(settings));
        approvalsFrom(settings, builder);
        builder.analyzer(new SqlAnalyzer(SqlAnalyzer.DEFAULT_MAXIMUM_CACHE_SIZE, analysisLimits(settings)));
        if (locations != null && !locations.isBlank()) {
            try {
                builder.policy(PolicyLoader.loadAll(locations));
            } catch (PolicyLoadException e) {
                throw new SQLException("The policy in governed.policy=" + locations + " cannot be used; fix it and connect again:\n"
                        + e.getMessage(), GovernedSettings.SQLSTATE_BAD_CONFIGURATION, e);
            } catch (RuntimeException e) {
                throw new SQLException("The policy in governed.policy=" + locations + " cannot be read: " + e.getMessage(),
                        GovernedSettings.SQLSTATE_BAD_CONFIGURATION, e);
            }
        }
        return builder;
    }

    /** The {@code governed.approvals*} settings: the store requests are kept in, and how long statements wait for approval. */
    private static void approvalsFrom(GovernedSettings settings, Builder builder) throws SQLException {
        String store = settings.get(Setting.APPROVALS);
        String notify = settings.get(Setting.APPROVALS_NOTIFY);
        try {
            ApprovalStore approvals = store == null || store.isBlank() ? null
                    : ApprovalStores.open(store, settings.get(Setting.APPROVALS_USER), settings.get(Setting.APPROVALS_PASSWORD));
            if (notify != null && !notify.isBlank()) {
                String secret = settings.get(Setting.APPROVALS_NOTIFY_SECRET);
                ApprovalNotifier notifier = new ApprovalNotifier(notify,
                        secret != null ? secret : System.getenv("GOVERNED_APPROVALS_NOTIFY_SECRET"),
                        store == null || store.isBlank() ? "memory" : JdbcSink.redact(store.trim()));
                approvals = new NotifyingApprovalStore(approvals != null ? approvals : new InMemoryApprovalStore(), notifier);
            }
            if (approvals != null) {
                builder.approvalStore(approvals);
            }
            String wait = settings.get(Setting.APPROVALS_WAIT);
            if (wait != null && !wait.isBlank()) {
                builder.approvalWait(Quantities.parseDuration(Setting.APPROVALS_WAIT.key(), wait));
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new SQLException("The approval settings cannot be used: " + e.getMessage(),
                    GovernedSettings.SQLSTATE_BAD_CONFIGURATION, e);
        }
    }

    /** The {@code governed.analysis.*} limits, the defaults where unset. */
    static AnalysisLimits analysisLimits(GovernedSettings settings) throws SQLException {
        AnalysisLimits limits = AnalysisLimits.DEFAULTS;
        try {
            String depth = settings.get(Setting.ANALYSIS_MAX_DEPTH);
            if (depth != null && !depth.isBlank()) {
                limits = limits.withMaxDepth(positiveInt(Setting.ANALYSIS_MAX_DEPTH, Quantities.parseSize(
                        Setting.ANALYSIS_MAX_DEPTH.key(), depth)));
            }
            String length = settings.get(Setting.ANALYSIS_MAX_LENGTH);
            if (length != null && !length.isBlank()) {
                limits = limits.withMaxLength(positiveInt(Setting.ANALYSIS_MAX_LENGTH, Quantities.parseSize(
                        Setting.ANALYSIS_MAX_LENGTH.key(), length)));
            }
            String time = settings.get(Setting.ANALYSIS_MAX_TIME);
            if (time != null && !time.isBlank()) {
                Duration limit = Quantities.parseDuration(Setting.ANALYSIS_MAX_TIME.key(), time);
                if (limit.isZero()) {
                    throw new IllegalArgumentException(Setting.ANALYSIS_MAX_TIME.key() + " must be longer than 0, like 2s");
                }
                limits = limits.withMaxTime(limit);
            }
        } catch (IllegalArgumentException e) {
            throw new SQLException(e.getMessage(), GovernedSettings.SQLSTATE_BAD_CONFIGURATION, e);
        }
        return limits;
    }

    private static int positiveInt(Setting setting, long value) {
        if (value < 1 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(setting.key() + " must be between 1 and " + Integer.MAX_VALUE + ", got " + value);
        }
        return (int) value;
    }

    /** {@code governed.otel}: whether statements are traced; refused at once when OpenTelemetry is missing. */
    private static boolean tracingFrom(GovernedSettings settings) throws SQLException {
        boolean on = settings.isOn(Setting.OTEL, "true", "false", false);
        if (on && !Tracing.available()) {
            throw new SQLException("governed.otel=true needs the OpenTelemetry API: add io.opentelemetry:opentelemetry-api"
                    + " to the application's dependencies, or set governed.otel=false", GovernedSettings.SQLSTATE_BAD_CONFIGURATION);
        }
        return on;
    }

    /** The shared dispatcher for the {@code governed.audit} sinks (the SLF4J sink when none are named). */
    private static AuditDispatcher auditFrom(GovernedSettings settings) throws SQLException {
        String sinks = settings.get(Setting.AUDIT);
        if (sinks == null || sinks.isBlank()) {
            LOG.info("No governed.audit is set: audit events go to the SLF4J logger io.governed.audit. "
                    + "Set governed.audit (jsonl:PATH, jdbc:URL, …) to keep a tamper-evident trail.");
            sinks = DEFAULT_AUDIT;
        }
        try {
            return SharedAuditDispatchers.get(sinks, AuditSettings.parse(settings.asMap()),
                    KafkaOptions.producerSettings(settings.asMap()));
        } catch (IOException | RuntimeException e) {
            throw new SQLException("The audit sinks in governed.audit=" + sinks + " cannot be opened: " + e.getMessage(),
                    GovernedSettings.SQLSTATE_BAD_CONFIGURATION, e);
        }
    }

    /**
     * The audit of a builder that named none: the SLF4J sink with the default settings, shared as the
     * settings path shares it, so code that builds its governance audits exactly like a connection
     * whose settings name no {@code governed.audit}.
     */
    private static AuditDispatcher defaultAudit() {
        LOG.info("No audit was given to Governance.builder(): audit events go to the SLF4J logger io.governed.audit. "
                + "Pass .audit(AuditDispatcher.start(\"jsonl:PATH\", …)) to keep a tamper-evident trail, "
                + "or .withoutAudit() to audit nothing.");
        try {
            return SharedAuditDispatchers.get(DEFAULT_AUDIT, AuditSettings.defaults());
        } catch (IOException e) {
            throw new IllegalStateException("The default audit sink (" + DEFAULT_AUDIT + ") cannot be opened: " + e.getMessage(), e);
        }
    }

    /** The built-in baseline, with a warning: it is a safety net, not a policy. */
    private static Policy baseline() {
        LOG.warn("No governed.policy is set: the built-in baseline policy is in force (ordinary reads and writes allowed; "
                + "destructive DDL, grants, dynamic SQL, unbounded UPDATE/DELETE and multi-statement strings denied). "
                + "Set governed.policy to your own policy to decide who may do what.");
        return PolicyLoader.baseline();
    }

    /** The stages every statement of this runtime's connections passes, in order. */
    public StatementPipeline pipeline() {
        return pipeline;
    }

    /** What decides about each statement (the policy's decisions, or the builder's decision function). */
    public DecisionFunction decisions() {
        return decisions;
    }

    /**
     * Which result columns each identity sees masked: the policy's, or {@code null} when something other
     * than a policy decides at the gate (then nothing is masked).
     */
    public MaskPlanner maskPlanner() {
        return maskPlanner;
    }

    /**
     * Whether a statement may need an approval: the policy has approval rules, or decisions come from a
     * function other than the policy engine, except {@link DecisionFunction#ALLOW_ALL}, which allows every statement.
     * Only then do prepared statements note their bound values.
     */
    public boolean mayNeedApprovals() {
        PolicyEngine engine = engine();
        return engine == null ? decisions != DecisionFunction.ALLOW_ALL : !engine.policy().approvals().isEmpty();
    }

    /**
     * Whether prepared statements note their bound values: a statement may need an approval, the policy has row
     * filters, whose check of an INSERT's new rows binds the values the application bound, or masks, which an UPDATE
     * writing a masked value back must not overwrite the stored value with ({@link MaskedWriteBackStage}).
     */
    public boolean recordsBoundValues() {
        PolicyEngine engine = engine();
        return mayNeedApprovals() || engine != null && !engine.policy().rowFilters().isEmpty()
                || MaskedWriteBackStage.needed(maskPlanner);
    }

    /** The policy engine the decision stage decides with, or {@code null} when another decision function decides. */
    public PolicyEngine engine() {
        return engine;
    }

    /** The SQL analyser, whose cache every connection of this runtime shares. */
    public SqlAnalyzer analyzer() {
        return analyzer;
    }

    /** The analysis of {@code sql}, computed once per text (the decision and the audit share it). */
    public SqlAnalysis analysisOf(SqlText sql, Dialect dialect) {
        return sql.analysis(analyzer, dialect);
    }

    /** Where statements' events and metrics go. */
    public StatementAudit audit() {
        return audit;
    }

    /** Waits (up to the audit's close timeout) until every queued audit event is written. */
    public void flushAudit() {
        AuditDispatcher dispatcher = audit.dispatcher();
        if (dispatcher != null) {
            dispatcher.flush(dispatcher.settings().closeTimeout());
        }
    }

    /** The identity of statements that have no scoped, resolved or connection identity; may be {@code null}. */
    public Identity defaultIdentity() {
        return identityResolution.defaultIdentity();
    }

    /** The application's identity resolver, or {@code null}. */
    public IdentityResolver identityResolver() {
        return identityResolution.resolver();
    }

    /**
     * What verifies bearer tokens ({@code governed.identity.jwks}, {@code .issuer}, {@code .audience}), or
     * {@code null} when verified identity is not set up: {@code IdentityContext.runAs(governance.tokenVerifier().verify(jwt), work)}.
     */
    public TokenVerifier tokenVerifier() {
        return identityResolution.verifier();
    }

    /** How each statement's identity is found ({@code governed.identity.require-scoped} included). */
    public IdentityResolution identityResolution() {
        return identityResolution;
    }

    /**
     * Whether the governed objects may be unwrapped to the driver's own interfaces
     * ({@code governed.unwrap=allow}); each such unwrap is audited. Off by default: the driver's objects
     * run SQL without the gate, masks and audit.
     */
    public boolean unwrapAllowed() {
        return unwrapAllowed;
    }

    /**
     * Whether {@code GovernedDataSource} wraps a data source whose connection settings it cannot read
     * ({@code governed.connect.unlisted-data-source=allow}); off by default. See {@code DataSourceSettings}.
     */
    public boolean unlistedDataSourcesAllowed() {
        return unlistedDataSourcesAllowed;
    }

    /** Builds a {@link Governance}. */
    public static final class Builder {
        private DecisionFunction decisionFunction;
        private Policy policy;
        private SqlAnalyzer analyzer;
        private AuditDispatcher audit;
        private boolean auditChosen;
        private GovernanceMetrics metrics;
        private Identity defaultIdentity;
        private IdentityResolver identityResolver;
        private boolean requireScopedIdentity;
        private boolean unwrapAllowed;
        private boolean unlistedDataSourcesAllowed;
        private final List<StatementStage> stages = new ArrayList<>();
        private String migrationPrincipal;
        private boolean tracing;
        /** An {@code io.opentelemetry.api.OpenTelemetry}, held as Object so that this class loads without it. */
        private Object openTelemetry;
        private TokenVerifier tokenVerifier;
        private String serviceToken;
        private ApprovalStore approvalStore;
        private Duration approvalWait = Duration.ZERO;
        private LongSupplier limitClock = System::nanoTime;

        private Builder() {
        }

        /**
         * What verifies bearer tokens into identities ({@code TokenVerifier.builder().jwks(…).issuer(…).audience(…)}):
         * {@link Governance#tokenVerifier()} hands it to the application, and it checks that verified identities
         * have not expired at each statement.
         */
        public Builder tokenVerifier(TokenVerifier verifier) {
            this.tokenVerifier = verifier;
            return this;
        }

        /**
         * Where approval requests are kept ({@code governed.approvals}): {@code ApprovalStores.open("jdbc:…", user,
         * password)} for a store every instance and the command line share. Without it, each runtime keeps its
         * requests in its own memory, which nothing outside the process can approve.
         */
        public Builder approvalStore(ApprovalStore store) {
            this.approvalStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * A service account's token ({@code governed.identity.token}), or {@code file:PATH} of a file holding
         * it: the identity of statements that have no scoped, resolved or connection identity, verified again
         * (and re-read) whenever it has expired. Needs {@link #tokenVerifier}.
         */
        public Builder serviceToken(String tokenOrFile) {
            this.serviceToken = tokenOrFile == null || tokenOrFile.isBlank() ? null : tokenOrFile;
            return this;
        }

        /**
         * How long a statement that needs approval waits for it ({@code governed.approvals.wait}), polling the store:
         * approved in time, it runs; otherwise it fails as pending. Zero (the default): it fails at once.
         */
        public Builder approvalWait(Duration wait) {
            if (wait == null || wait.isNegative()) {
                throw new IllegalArgumentException("the approval wait must be 0 or longer, like 30s");
            }
            this.approvalWait = wait;
            return this;
        }

        /**
         * Adds an application's stage to every statement's way through governance: it runs after the
         * identity, the decision and the masks, before error scrubbing and the audit (which records what it refuses), in the
         * order stages are added. See {@link StatementStage}.
         */
        public Builder stage(StatementStage stage) {
            stages.add(Objects.requireNonNull(stage, "stage"));
            return this;
        }

        /**
         * The principal that runs schema migrations ({@code governed.migration.principal}): its statements that
         * state no purpose run with the purpose {@value IdentityResolution#MIGRATION_PURPOSE}.
         */
        public Builder migrationPrincipal(String principal) {
            this.migrationPrincipal = principal == null || principal.isBlank() ? null : principal.trim();
            return this;
        }

        /**
         * The clock (in nanoseconds, like {@link System#nanoTime}) the policy's {@code max-statements}
         * windows are measured by; for tests that need a minute to pass without waiting for it.
         */
        public Builder limitClock(LongSupplier nanoClock) {
            this.limitClock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        /** The policy that decides at the gate. Without a policy or a decision function, the built-in baseline decides. */
        public Builder policy(Policy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Something other than a policy that decides at the gate (a test double, a remote service); wins over {@link #policy}. */
        public Builder decisionFunction(DecisionFunction decisionFunction) {
            this.decisionFunction = Objects.requireNonNull(decisionFunction, "decisionFunction");
            return this;
        }

        /** The SQL analyser (its cache size, say); one of default size otherwise. */
        public Builder analyzer(SqlAnalyzer analyzer) {
            this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
            return this;
        }

        /**
         * Where audit events go: a dispatcher of one or more sinks. Without this call events go to the
         * SLF4J logger {@code io.governed.audit}, as they do for a connection whose settings name no
         * {@code governed.audit}; {@link #withoutAudit()} turns auditing off.
         */
        public Builder audit(AuditDispatcher dispatcher) {
            this.audit = Objects.requireNonNull(dispatcher, "dispatcher (use withoutAudit() for no audit)");
            this.auditChosen = true;
            return this;
        }

        /** No audit at all: statements leave no audit event (metrics, when set, still count them). */
        /**
         * Makes each statement an OpenTelemetry CLIENT span (with the {@code db.client.operation.duration}
         * histogram) reported to the application's global OpenTelemetry ({@code governed.otel=true}); see
         * {@link io.governed.jdbc.pipeline.OpenTelemetryStage}. Needs {@code io.opentelemetry:opentelemetry-api}.
         */
        public Builder tracing(boolean on) {
            this.tracing = on;
            return this;
        }

        /** As {@link #tracing(boolean) tracing(true)}, reporting to this OpenTelemetry instead of the global one. */
        public Builder openTelemetry(io.opentelemetry.api.OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
            this.tracing = true;
            return this;
        }

        public Builder withoutAudit() {
            this.audit = null;
            this.auditChosen = true;
            return this;
        }

        /** Where statement counts and timings go. None: nothing is measured. */
        public Builder metrics(GovernanceMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        public Builder defaultIdentity(Identity identity) {
            this.defaultIdentity = identity;
            return this;
        }

        public Builder identityResolver(IdentityResolver resolver) {
            this.identityResolver = resolver;
            return this;
        }

        /**
         * Whether statements need a scoped ({@code runAs}) or resolved identity, refusing those that would
         * fall back to the connection's or the default identity ({@code governed.identity.require-scoped}).
         */
        public Builder requireScopedIdentity(boolean required) {
            this.requireScopedIdentity = required;
            return this;
        }

        /**
         * Whether governed objects may be unwrapped to the driver's own interfaces (pgjdbc's
         * {@code PGConnection}, say), which run SQL past the gate ({@code governed.unwrap=allow}). For
         * trusted code only; every such unwrap is audited.
         */
        public Builder allowUnwrap(boolean allowed) {
            this.unwrapAllowed = allowed;
            return this;
        }

        /**
         * Whether {@code GovernedDataSource} may wrap a data source whose connection settings it cannot read (one
         * that is not HikariCP, Tomcat JDBC, Commons DBCP2, Spring's driver-based, delegating or routing data sources,
         * pgjdbc's, MariaDB Connector/J's or H2's), so that what it runs or sets when it connects goes unchecked
         * ({@code governed.connect.unlisted-data-source=allow}). Off by default: such a data source is refused (08001).
         */
        public Builder allowUnlistedDataSources(boolean allowed) {
            this.unlistedDataSourcesAllowed = allowed;
            return this;
        }

        public Governance build() {
            return new Governance(this);
        }
    }
}
