package io.governed.policy.engine;

import io.governed.policy.masking.MaskPlanner;
import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.Policy;
import io.governed.policy.approval.ApprovalRequest;
import io.governed.policy.approval.ApprovalStore;
import io.governed.policy.approval.InMemoryApprovalStore;
import io.governed.policy.model.FallbackEffect;
import io.governed.policy.model.RoutineFootprint;
import io.governed.policy.model.Conditions;
import io.governed.policy.model.Rule;
import io.governed.policy.model.RuleEffect;
import io.governed.policy.pattern.TablePattern;
import io.governed.policy.model.RowFilter;
import io.governed.policy.masking.ColumnMask;
import io.governed.sql.Action;
import io.governed.sql.Dialect;
import io.governed.sql.RoutineCatalog;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.SystemRelations;
import io.governed.sql.Trait;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.governed.sql.names.AnalysisResolution;
import io.governed.sql.names.NameResolver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Decides whether an identity may run an analysed statement under a policy.
 *
 * <p>Each statement of the analysis is broken into (action, table) accesses: its action on every
 * table it writes, {@code select} on every table it reads, its action alone when it writes no table.
 * Then, as in Cedar:
 * <ol>
 *   <li>a statement that could not be analysed gets the policy's {@code on-unparseable} effect;</li>
 *   <li>a forbid rule matching any access denies, naming every forbid that matched;</li>
 *   <li>an access no permit rule matches gets the policy's {@code default};</li>
 *   <li>a permitted statement that would copy masked values into a table, or (for the identity kinds a
 *       mask's {@code deny-inference} names) filter, join, group or sort on them, is denied naming the
 *       mask ({@link MaskedDataFlow}); masked result columns themselves are allowed, and masked on the
 *       way out as {@link #maskPlanner()} plans;</li>
 *   <li>a permitted statement on a row-filtered table is allowed with its rows restricted: the decision's
 *       reason names the filters, which are enforced by rewriting the statement ({@link #rowFiltersFor});</li>
 *   <li>a permitted statement that an {@code approvals} entry covers waits for approval, unless an
 *       approval was given, which this execution then uses up;</li>
 *   <li>otherwise it is allowed, naming the permits that allowed it.</li>
 * </ol>
 * Several statements in one text, nested ones included, are allowed only if every one is.
 *
 * <p>Unqualified table names are first resolved with the context's {@link NameResolver} (see
 * {@link #resolved}): a name that could be in several schemas is an access to each, so every one
 * must be permitted and a forbid on any of them denies.
 *
 * <p>On PostgreSQL, an access to a partition or inheritance child is an access to every table it is a partition or
 * child of, at every level, too ({@link NameResolver#ancestors}): a forbid or approval on the parent covers it, and it
 * must be permitted as the parent would be; and an access to a table is one to each of its partitions and children
 * ({@link NameResolver#descendants}), which a forbid or approval on a partition covers and the table's permit permits.
 * When the resolver cannot tell a relation's relatives, every forbid and approval of the action covers it, and only a
 * permit on every table ({@code *}) permits that part.
 *
 * <p>Thread-safe. Everything that can be worked out from the policy alone is worked out when the
 * engine is built.
 */
public final class PolicyEngine {

    private final Policy policy;
    private final RuleIndex rules;
    private final RowFilterScope rowFilters;
    private final MaskPlanner maskPlanner;
    private final MaskedDataFlow maskedDataFlow;
    /** Analyses of views' definitions, whose tables a statement reading the view reads. */
    private final SqlAnalyzer viewDefinitions = new SqlAnalyzer(1_000);
    private final ApprovalCheck approvals;
    private final ApprovalStore approvalStore;
    /** The approval store's own tables ({@link ApprovalStore#ownTables}), lower-cased: never touched. */
    private final Set<String> storeTables;
    /** Tables the governance keeps its records in besides the approval store's (the audit sink's), lower-cased. */
    private final Set<String> recordTables;
    private final boolean valueDetectionCanChangeDecisions;
    /** Analyses with their names resolved, per (analysis, resolver): a resolver is a snapshot of a session's state. */
    private final Cache<ResolutionKey, SqlAnalysis> resolutions = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterAccess(Duration.ofMinutes(10)).executor(Runnable::run).build();

    /** An analysis object (by identity: analyses are shared through the analyser's cache) under a resolver (by equality). */
    private record ResolutionKey(SqlAnalysis analysis, NameResolver names, RoutineCatalog routines) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ResolutionKey other && other.analysis == analysis && other.names.equals(names)
                    && other.routines.equals(routines);
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(analysis) + names.hashCode();
        }
    }

    /** An engine whose approvals are kept in memory, on the system clock. */
    public PolicyEngine(Policy policy) {
        this(policy, new InMemoryApprovalStore());
    }

    /** An engine keeping approvals in {@code approvalStore}, whose clock stamps requests and expires them. */
    public PolicyEngine(Policy policy, ApprovalStore approvalStore) {
        this(policy, approvalStore, Set.of());
    }

    /**
     * An engine keeping approvals in {@code approvalStore} that refuses every statement reading or writing one of
     * {@code recordTables} (and of the store's {@linkplain ApprovalStore#ownTables own tables}), whatever the rules
     * permit: the tables the application's governance keeps its records in, such as the {@code jdbc:} audit sink's.
     *
     * @param recordTables table names as written, without a schema; matched in any schema and in any case
     */
    public PolicyEngine(Policy policy, ApprovalStore approvalStore, Set<String> recordTables) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.approvalStore = Objects.requireNonNull(approvalStore, "approvalStore");
        this.storeTables = lowerCased(approvalStore.ownTables());
        this.recordTables = lowerCased(recordTables);
        this.valueDetectionCanChangeDecisions = policy.classification().autoDetect() && !policy.masks().isEmpty();
        this.rules = new RuleIndex(policy.rules());
        this.rowFilters = new RowFilterScope(policy);
        this.maskPlanner = MaskPlanner.of(policy);
        this.maskedDataFlow = new MaskedDataFlow(maskPlanner);
        this.approvals = new ApprovalCheck(policy.approvals(), approvalStore);
    }

    public Policy policy() {
        return policy;
    }

    /**
     * The row filters that restrict {@code identity}'s rows (its {@code unless} not met), to rewrite its
     * statements with ({@link io.governed.sql.RowFilterRewriter}); empty when none does.
     */
    public List<io.governed.sql.RowFilterRewriter.Filter> rowFiltersFor(Identity identity, io.governed.sql.Dialect dialect) {
        return rowFilters.filtersFor(identity, dialect);
    }

    /**
     * Whether some row filter restricts {@code identity}'s rows (in whichever table): one whose {@code unless} it does not
     * meet. Such a caller must not learn values of rows the filters hide, through errors and warnings either.
     */
    public boolean rowFiltersApplyTo(Identity identity) {
        return rowFilters.restricts(identity);
    }

    /**
     * The ids of the row filters that restrict {@code identity}'s rows in a table the (resolved) analysis reads or
     * writes: what a rewrite must have applied.
     */
    public List<String> rowFiltersApplying(Identity identity, SqlAnalysis analysis) {
        return analysis.parsed() ? rowFilters.applying(identity, analysis, null) : List.of();
    }

    /**
     * Whether the policy allows {@code identity} every statement on every relation alike, so that no decision for it
     * depends on which relations a statement reaches: the rules forbid it nothing (no forbid applies to it, whatever
     * its conditions), and a permit of every action on every table without conditions on the statement applies to it
     * (or the policy allows what no rule permits), while no mask and no row filter applies to it, the policy holds no
     * approval, and no table is kept from every statement (the approval store's, the audit sink's). Fails towards
     * {@code false}: for any other caller what a statement may do is decided on the relations it names, so SQL whose
     * relations are not known for certain (run by a name whose text may find other relations now, or not seen at all)
     * must be refused or checked again. Cheap: one pass over the rules, masks and row filters.
     */
    public boolean allowsEverythingTo(Identity identity) {
        Objects.requireNonNull(identity, "identity");
        if (!policy.approvals().isEmpty() || !storeTables.isEmpty() || !recordTables.isEmpty()
                || maskPlanner.masksAnythingFor(identity) || rowFilters.restricts(identity)) {
            return false;
        }
        boolean permitted = policy.defaultEffect() == FallbackEffect.ALLOW;
        for (Rule rule : policy.rules()) {
            if (!rule.appliesTo(identity)) {
                continue;
            }
            if (rule.effect() == RuleEffect.FORBID) {
                return false;
            }
            if (rule.everyAction() && rule.when().equals(Conditions.ALWAYS)
                    && rule.resources().stream().anyMatch(TablePattern::matchesEveryTable)) {
                permitted = true;
            }
        }
        return permitted;
    }

    /** Which result columns each caller sees masked; the same planner this engine checks copy-out and inference with. */
    public MaskPlanner maskPlanner() {
        return maskPlanner;
    }

    /** Where approval requests are recorded and approved. */
    public ApprovalStore approvalStore() {
        return approvalStore;
    }

    /**
     * Whether {@code decision}, made by this engine for this identity and analysis, may be reused for
     * another execution of the same statement by the same identity: for a denial (tags only accumulate) and for an
     * allowing decision, unless an approval entry covers the statement (each execution then uses up an approval, an
     * approver's denial lasts as long as its request, and a batch is refused for running it more than once), and for
     * an allowing decision unless the policy masks columns that value detection may tag later (the same statement may
     * then be a copy-out of sensitive data).
     */
    public boolean reusable(Decision decision, SqlAnalysis analysis, DecisionContext context) {
        boolean approvalsApply = !policy.approvals().isEmpty() && analysis.parsed()
                && approvals.coversAny(accesses(resolved(analysis, context), context, null), null, analysis.dialect());
        if (!decision.allowed()) {
            // a denial about approvals (an approver's, which lasts as long as the request; a batch's, which depends on
            // how many times the statement runs) is made anew each time, as is every decision that uses one up
            return decision.effect() == Decision.Effect.DENY && !approvalsApply;
        }
        if (valueDetectionCanChangeDecisions) {
            return false; // a column found sensitive later would turn this allow into a copy-out or inference denial
        }
        return !approvalsApply;
    }

    /**
     * {@code analysis} with its unqualified relation names resolved by the context's resolver
     * ({@link AnalysisResolution}): each such name becomes every schema-qualified relation it could be,
     * and stays unqualified too (any schema) when the resolver is not certain; routine calls the context's
     * catalog knows as built-ins are set aside first. Computed once per analysis, resolver and catalog; what
     * masks are planned with, so that they see the same relations as the rules.
     */
    public SqlAnalysis resolved(SqlAnalysis analysis, DecisionContext context) {
        Objects.requireNonNull(analysis, "analysis");
        if (!analysis.parsed()) {
            return analysis;
        }
        // keyed by the analysis as analysed (one object per fingerprint), so that setting built-ins aside
        // and resolving names are done once per analysis, session state and catalog
        return resolutions.get(new ResolutionKey(analysis, context.names(), context.routines()),
                key -> withCatalogWrites(AnalysisResolution.resolve(withoutBuiltIns(key.analysis(), key.routines()),
                        key.names(), key.routines())));
    }

    /** The actions that change rows of the relations a statement writes. */
    private static final Set<Action> CHANGES_ROWS = EnumSet.of(Action.INSERT, Action.UPDATE, Action.DELETE, Action.MERGE,
            Action.COPY, Action.TRUNCATE);

    /**
     * {@code analysis} with {@link Trait#PRIVILEGE_CHANGE} on each statement that changes rows of a relation of the
     * database's own ({@link SystemRelations#mayBeCatalog}): {@code UPDATE mysql.global_priv} grants privileges,
     * {@code UPDATE mysql.proc SET body = …} rewrites a routine's code and {@code INSERT INTO mysql.plugin} loads a
     * library at the next start, past every rule on {@code grant}, {@code alter} and {@code define-code}. A permit for
     * {@code insert} or {@code update} on every table covers it only when it names the trait.
     */
    private static SqlAnalysis withCatalogWrites(SqlAnalysis analysis) {
        if (!analysis.parsed() || analysis.statements().stream().noneMatch(s -> writesCatalog(s, analysis.dialect()))) {
            return analysis;
        }
        List<StatementAnalysis> statements = new ArrayList<>(analysis.statements().size());
        for (StatementAnalysis s : analysis.statements()) {
            Set<Trait> traits = EnumSet.noneOf(Trait.class);
            traits.addAll(s.traits());
            if (writesCatalog(s, analysis.dialect())) {
                traits.add(Trait.PRIVILEGE_CHANGE);
            }
            statements.add(new StatementAnalysis(s.action(), s.tablesRead(), s.tablesWritten(), s.columns(), s.where(),
                    s.resultColumns(), traits, s.copiedColumns(), s.routines(), s.sessionValues(), s.boundIf(), s.code(),
                    s.boundThrough()));
        }
        return new SqlAnalysis(analysis.fingerprint(), analysis.dialect(), statements, analysis.parseError());
    }

    private static boolean writesCatalog(StatementAnalysis statement, Dialect dialect) {
        return CHANGES_ROWS.contains(statement.action())
                && statement.tablesWritten().stream().anyMatch(t -> SystemRelations.mayBeCatalog(dialect, t));
    }

    /**
     * {@code analysis} without the routine calls {@code builtIns} knows as the database's own, before
     * names are resolved: an unqualified built-in (PostgreSQL looks in {@code pg_catalog} first) must
     * not become a call on a routine of the same name in the session's schemas. One that may read tables stays.
     */
    private static SqlAnalysis withoutBuiltIns(SqlAnalysis analysis, RoutineCatalog builtIns) {
        if (builtIns == RoutineCatalog.NONE || !analysis.parsed()
                || analysis.statements().stream().noneMatch(s -> s.routines().stream().anyMatch(builtIns::isBuiltIn))) {
            return analysis;
        }
        List<StatementAnalysis> statements = new ArrayList<>(analysis.statements().size());
        for (StatementAnalysis s : analysis.statements()) {
            Set<TableRef> routines = new LinkedHashSet<>();
            // a built-in that may read tables stays, for the select on any table its call is (Access#of)
            s.routines().stream().filter(r -> !builtIns.isBuiltIn(r) || Access.readsAnyTable(r, builtIns))
                    .forEach(routines::add);
            statements.add(new StatementAnalysis(s.action(), s.tablesRead(), s.tablesWritten(), s.columns(), s.where(),
                    s.resultColumns(), s.traits(), s.copiedColumns(), routines, s.sessionValues(), s.boundIf(), s.code(),
                    s.boundThrough()));
        }
        return new SqlAnalysis(analysis.fingerprint(), analysis.dialect(), statements, analysis.parseError());
    }

    /** Decides with no context: unqualified tables are matched by their name alone. */
    public Decision decide(Identity identity, SqlAnalysis analysis) {
        return decide(identity, analysis, DecisionContext.none());
    }

    /** Decides whether {@code identity} may run the analysed statement(s) now; an approval it needs is used up. */
    public Decision decide(Identity identity, SqlAnalysis analysis, DecisionContext context) {
        return decide(identity, analysis, context, true);
    }

    /**
     * Decides as {@link #decide(Identity, SqlAnalysis, DecisionContext)} would, but uses up no approval:
     * for a statement that is prepared now and run later, when {@code decide} is called again.
     */
    public Decision check(Identity identity, SqlAnalysis analysis, DecisionContext context) {
        return decide(identity, analysis, context, false);
    }

    private Decision decide(Identity identity, SqlAnalysis analysis, DecisionContext context, boolean consumeApprovals) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(analysis, "analysis");
        Objects.requireNonNull(context, "context");
        if (!analysis.parsed()) {
            return unparseable(analysis);
        }
        if (analysis.statements().isEmpty()) {
            return Decision.deny(List.of(), "The text holds no SQL statement; there is nothing to allow");
        }
        analysis = resolved(analysis, context);
        RunCode code = new RunCode();
        List<Access> accesses = accesses(analysis, context, code);
        Decision recordsDenial = recordsTouched(analysis, accesses);
        if (recordsDenial != null) {
            return recordsDenial;
        }
        String schema = null; // every name the resolver could place is qualified now; the rest could be anywhere
        RuleEvaluation evaluation = RuleEvaluation.evaluate(rules, identity, analysis, accesses, schema);
        if (!evaluation.forbids().isEmpty()) {
            return forbidden(evaluation);
        }
        if (evaluation.unpermitted() != null && policy.defaultEffect() == FallbackEffect.DENY) {
            return Decision.deny(List.of(), notPermitted(identity, evaluation)
                    + ", and the policy denies what no rule permits (default: deny)"
                    + (evaluation.unpermitted().unseenBody() ? unseenBodyHint(evaluation.unpermitted()) : ""));
        }
        Decision maskDenial = maskedDataFlow.check(identity, analysis, schema, context.names(), code);
        if (maskDenial != null) {
            return maskDenial;
        }
        Decision keptDenial = keptFromFilteredRows(identity, analysis, accesses);
        if (keptDenial != null) {
            return keptDenial;
        }
        Decision cascadedDenial = cascadedUnderRowFilter(identity, accesses, analysis.dialect());
        if (cascadedDenial != null) {
            return cascadedDenial;
        }
        Decision alteredDenial = alteredUnderRowFilter(identity, analysis, accesses);
        if (alteredDenial != null) {
            return alteredDenial;
        }
        Decision temporaryDenial = temporaryTable(identity, analysis);
        if (temporaryDenial != null) {
            return temporaryDenial;
        }
        Decision dynamicDenial = dynamicSqlUnderRowFilter(identity, analysis);
        if (dynamicDenial != null) {
            return dynamicDenial;
        }
        Decision preparedDenial = preparedByNameUnderMask(identity, analysis);
        if (preparedDenial != null) {
            return preparedDenial;
        }
        Decision unreadBodyDenial = unreadBodyUnderMask(identity, analysis);
        if (unreadBodyDenial != null) {
            return unreadBodyDenial;
        }
        Access[] filteredInBody = new Access[1];
        RowFilter bodyFilter = rowFilters.inRoutineBody(identity, accesses, analysis.dialect(), filteredInBody);
        if (bodyFilter != null) {
            return Decision.deny(List.of(bodyFilter.id()), "The statement calls routine "
                    + filteredInBody[0].through().qualifiedName() + ", whose body reads or writes "
                    + (filteredInBody[0].table() == null ? "tables that cannot be told (its body could not be analysed,"
                    + " and the policy declares no table it reaches), so possibly one" : filteredInBody[0].table()
                    .qualifiedName()) + ", whose rows row filter " + bodyFilter.id() + " restricts for "
                    + identity.describe() + ": the filter rewrites the statement, not the routine's body, which would see"
                    + " every row. Read the table in the statement itself, which is rewritten with the filter, or have the"
                    + " routine called by an identity the filter exempts");
        }
        Decision systemDenial = systemRelationRead(identity, analysis, accesses);
        if (systemDenial != null) {
            return systemDenial;
        }
        List<String> filters = rowFilters.applying(identity, analysis, schema);
        String restricted = filters.isEmpty() ? "" : "; rows restricted by row filter" + (filters.size() == 1 ? " " : "s ")
                + String.join(", ", filters);
        Decision allowed = evaluation.unpermitted() == null
                ? Decision.allow(ids(evaluation.permits()), "Allowed by " + ruleList(evaluation.permits())
                        + messagesOf(evaluation.permits()) + restricted)
                : Decision.allow(List.of(), notPermitted(identity, evaluation) + "; allowed by the policy default (default: allow)"
                        + restricted);
        Decision decided = withApprovals(allowed, approvals.check(identity, analysis, accesses, schema, context.binding(),
                consumeApprovals));
        return decided.allowed() && !mayRunUserCode(analysis, accesses) ? decided.withoutUserCode() : decided;
    }

    /**
     * The kinds of statement that run no code of the database's users by themselves: what they run beyond their text
     * is in their accesses (the routines they call, the routines writing a relation runs). Any other kind may run code
     * the analysis does not follow: {@code COMMIT} fires deferred constraint triggers, {@code SET CONSTRAINTS … IMMEDIATE}
     * too, DDL fires event triggers, {@code EXPLAIN} plans (and may run) its statement, {@code DO} and {@code CALL} run
     * code.
     */
    private static final Set<Action> RUNS_NO_CODE_ITSELF = EnumSet.of(Action.SELECT, Action.INSERT, Action.UPDATE,
            Action.DELETE, Action.MERGE, Action.COPY, Action.SHOW, Action.USE, Action.LOCK);

    /**
     * Whether the statements of a resolved analysis may run code of the database's users ({@link Decision#mayRunUserCode}):
     * a statement of another kind than {@link #RUNS_NO_CODE_ITSELF}, one that runs code at once or dynamic SQL, a write
     * on a database whose write routines are not told, or an access that is the call of a routine (named by the
     * statement, run by a write or a view), what a routine's body or a DO block does, a built-in that may read
     * tables (it runs a query the analysis does not see), or a built-in that raises a message of the statement's own
     * text ({@link Trait#RAISES_MESSAGE}: H2's {@code SIGNAL(state, text)}, whose text may be any value it reads). Fails towards {@code true}: what is not known to run no code
     * counts as running some.
     */
    static boolean mayRunUserCode(SqlAnalysis analysis, List<Access> accesses) {
        if (!analysis.parsed()) {
            return true;
        }
        // on the databases whose catalog is read, the routines a write runs are told (Access#throughWriteRoutines)
        boolean writesTold = analysis.dialect().catalogRead();
        for (StatementAnalysis statement : analysis.statements()) {
            Action action = statement.action();
            if (!RUNS_NO_CODE_ITSELF.contains(action) || statement.runsCode() || statement.has(Trait.DYNAMIC_SQL)
                    || statement.has(Trait.RAISES_MESSAGE)
                    || !writesTold && action != Action.SELECT && action != Action.SHOW && action != Action.USE) {
                return true;
            }
        }
        for (int i = 0, n = accesses.size(); i < n; i++) {
            Access access = accesses.get(i);
            if (access.action() == Action.CALL || access.functionReads()
                    || access.implied() != Access.Implied.NONE && access.implied() != Access.Implied.SEQUENCE
                    && access.implied() != Access.Implied.ROW_LOCK && access.implied() != Access.Implied.CASCADED
                    && access.implied() != Access.Implied.DEPENDENT) {
                return true;
            }
        }
        return false;
    }

    /**
     * The accesses of a resolved analysis ({@link Access#of}), each to a view followed by the same action on the
     * relations its definition reads ({@link Access#throughViews}), each followed by the same action on every table its
     * table is a partition or inheritance child of, and on each of its own partitions and children, as the context's
     * resolver tells them (one on any table when it cannot tell): reading or writing a partition reads or writes its
     * parent's rows, and reading or writing a parent its partitions' rows; and each write of rows followed by a
     * {@code call} on every routine the database runs when writing that relation ({@link Access#throughWriteRoutines});
     * each delete, update or cascading truncate followed by the writes the database makes through foreign keys then
     * ({@link Access#throughCascadedWrites}).
     */
    private List<Access> accesses(SqlAnalysis resolved, DecisionContext context, RunCode code) {
        List<RoutineFootprint> declared = policy.routines();
        List<Access> named = Access.throughRoutineBodies(Access.of(resolved, context.routines()), context.names(),
                resolved.dialect(), viewDefinitions, context.routines(), declared, code);
        List<Access> all = related(named, resolved, context);
        // the routines the database runs for them (triggers, defaults, checks, a view's calls) do what their bodies do,
        // and so on for what those bodies write; each routine is followed once, so this ends
        Set<TableRef> followed = null;
        List<Access> level = all;
        while (true) {
            if (followed == null && runsRoutines(level)) {
                followed = new HashSet<>();
            }
            List<Access> run = followed == null ? List.of() : Access.bodiesOfRunRoutines(level, context.names(),
                    resolved.dialect(), viewDefinitions, context.routines(), declared, followed, code);
            if (run.isEmpty()) {
                return all;
            }
            level = related(run, resolved, context);
            List<Access> more = new ArrayList<>(all.size() + level.size());
            more.addAll(all);
            more.addAll(level);
            all = more;
        }
    }

    /** Whether any of {@code accesses} is a routine the database runs (a write's, a view's). */
    private static boolean runsRoutines(List<Access> accesses) {
        for (int i = 0, n = accesses.size(); i < n; i++) {
            Access access = accesses.get(i);
            if (access.action() == Action.CALL && access.through() != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code accesses}, each followed through views, foreign keys' actions, partitions and inheritance, the routines
     * writing a relation runs and relations of the database's own holding values (see {@link #accesses}).
     */
    private List<Access> related(List<Access> accesses, SqlAnalysis resolved, DecisionContext context) {
        List<Access> relations = Access.withRelatives(Access.throughCascadedDrops(Access.throughCascadedWrites(
                Access.throughViews(accesses, context.names(), resolved.dialect(), viewDefinitions, context.routines()),
                context.names(), resolved.dialect()), context.names(), resolved.dialect()), context.names(),
                resolved.dialect());
        return Access.throughSystemRelations(Access.throughReadRoutines(Access.throughEventTriggers(
                Access.throughRowSecurity(Access.throughWriteRoutines(relations, context.names(), resolved.dialect()),
                        context.names(), resolved.dialect()), context.names(), resolved.dialect()), context.names(),
                resolved.dialect()), resolved.dialect());
    }

    /**
     * A denial when the database would write, through a foreign key's referential action or {@code TRUNCATE … CASCADE},
     * rows of a table a row filter restricts for {@code identity} (of any table, when which cannot be told): the filter
     * is enforced by rewriting the statement, and the rows the database deletes or updates on its own are not the
     * statement's, so it cannot restrict them. {@code null} otherwise.
     */
    private Decision cascadedUnderRowFilter(Identity identity, List<Access> accesses, io.governed.sql.Dialect dialect) {
        for (Access access : accesses) {
            if (!access.cascaded()) {
                continue;
            }
            RowFilter filter = rowFilters.restricting(identity, access.table(), dialect);
            if (filter != null) {
                return Decision.deny(List.of(filter.id()), "The statement's " + access.describe() + "; row filter "
                        + filter.id() + " restricts " + (access.table() == null ? "a table" : access.table().qualifiedName())
                        + " for " + identity.describe() + ", and the rows the database writes on its own are not the"
                        + " statement's, so the filter cannot restrict them. Delete or update the referencing rows"
                        + " yourself first (where the filter applies), or have the statement run by an identity the filter"
                        + " does not restrict");
            }
        }
        return null;
    }

    /**
     * A denial when the statement alters or renames a relation a row filter restricting {@code identity} names (directly,
     * as a partition's parent or child, or beneath a view), renames another relation into such a name, or renames a
     * schema or what cannot be told: a filter follows a table by its name and reads the column its condition names, so a
     * table renamed or moved to another schema, a partition detached, or the filter's column renamed, dropped or
     * retyped would have its rows read unfiltered, or the statement rewritten to fail, by every caller the filter
     * restricts, not only this one; a table renamed into the filtered name would be filtered in its place. The ALTER
     * of a filtered table is refused whatever it changes (which of its changes leave the filter's reach alone is not
     * told); an identity the filter exempts (the migration identity) runs it. {@code null} otherwise.
     */
    private Decision alteredUnderRowFilter(Identity identity, SqlAnalysis analysis, List<Access> accesses) {
        if (!rowFilters.restricts(identity)) {
            return null;
        }
        for (StatementAnalysis statement : analysis.statements()) {
            if (!altersOrRenames(statement)) {
                continue;
            }
            for (TableRef table : statement.tablesWritten()) {
                if ("*".equals(table.name())) {
                    // a schema renamed (ALTER SCHEMA s RENAME TO r), or columns renamed in tables not named
                    return alteredDenial(identity, rowFilters.restricting(identity, null, analysis.dialect()),
                            table.schema() == null || "*".equals(table.schema()) ? "tables it does not name"
                                    : "schema " + table.schema() + ", and every relation in it,", statement);
                }
            }
        }
        for (Access access : accesses) {
            if (!altersOrRenames(access.statement())) {
                continue;
            }
            RowFilter filter = rowFilters.restricting(identity, access.table(), analysis.dialect());
            if (filter != null) {
                return alteredDenial(identity, filter, access.table() == null
                        ? "a relation whose partitions, parents or view definitions cannot be told, so possibly one"
                        : access.table().qualifiedName(), access.statement());
            }
        }
        return null;
    }

    /** An ALTER or RENAME, or a statement giving a relation a second name ({@code CREATE SYNONYM s FOR t}). */
    private static boolean altersOrRenames(StatementAnalysis statement) {
        return statement.action() == Action.ALTER || statement.action() == Action.RENAME
                || statement.action() == Action.CREATE && statement.has(Trait.RENAMES);
    }

    private static Decision alteredDenial(Identity identity, RowFilter filter, String what, StatementAnalysis statement) {
        return Decision.deny(List.of(filter.id()), "The statement alters, renames or moves " + what + " ("
                + statement.tablesWritten() + "), whose rows row filter " + filter.id() + " restricts for "
                + identity.describe() + ": the filter follows a table by its name and its condition's column, so under"
                + " another name or schema, detached from its parent, or with that column renamed, dropped or retyped, its"
                + " rows would be read unfiltered by every caller the filter restricts (and a table renamed into its name"
                + " filtered in its place). Have an identity the filter exempts (such as the migration identity) run it,"
                + " with the filter's patterns naming the new name");
    }

    /**
     * A denial when the statement keeps a value past itself (a user variable, a setting, {@code LAST_INSERT_ID(x)}, an
     * advisory lock's key, a notification's payload) and reads or writes a table some row filter names, for every caller,
     * also one no filter restricts: the value may carry rows the filter hides from others, and the next statement on the
     * connection (a pooled connection's next borrower) reads it back whoever its caller. {@code null} otherwise.
     */
    private Decision keptFromFilteredRows(Identity identity, SqlAnalysis analysis, List<Access> accesses) {
        RowFilter filter = rowFilters.keptFrom(accesses, analysis.dialect());
        if (filter == null) {
            return null;
        }
        return Decision.deny(List.of(filter.id()), "The statement keeps a value past itself (a session variable or setting:"
                + " @v := …, SET @v = …, SET with a computed value, set_config; LAST_INSERT_ID(…), SETVAL, an advisory lock's"
                + " key, pg_notify's payload) and reads a table row filter " + filter.id() + " restricts for some callers:"
                + " the value could carry rows the filter hides from them, and it outlives the statement and "
                + identity.describe() + ", where the next borrower of a pooled connection, or another session, reads it"
                + " whoever the filter restricts. Keep only values that read no row-filtered table (a literal or a bound"
                + " parameter), or read the rows in a query and pass the value where it is used");
    }

    /**
     * A denial when the statement runs SQL the analysis cannot see ({@link Trait#DYNAMIC_SQL}: {@code EXECUTE} of a
     * statement prepared by name, {@code PREPARE}, {@code DO}, …) and a row filter restricts the identity: no rewrite can
     * reach the tables it reads, and a statement prepared on a pooled connection by an earlier borrower the filter exempts
     * reads every row. {@code null} otherwise.
     */
    private Decision dynamicSqlUnderRowFilter(Identity identity, SqlAnalysis analysis) {
        if (analysis.statements().stream().noneMatch(s -> s.has(Trait.DYNAMIC_SQL))) {
            return null;
        }
        for (RowFilter filter : policy.rowFilters()) {
            if (filter.appliesTo(identity)) {
                return Decision.deny(List.of(filter.id()), "The statement runs SQL the analysis cannot see (EXECUTE of a"
                        + " statement prepared by name, PREPARE, DO, dynamic SQL), so row filter " + filter.id() + ", which"
                        + " restricts " + identity.describe() + ", cannot be applied to the rows it reads: a statement prepared"
                        + " by name on a pooled connection, by an earlier borrower the filter exempts, reads every row. Run"
                        + " the statement itself, which is rewritten with the filter, or have it run by an identity the"
                        + " filter exempts");
            }
        }
        return null;
    }

    /**
     * A denial when the statement defines code the database runs later whose body the analysis could not read
     * ({@link Trait#UNREAD_BODY}: a MariaDB event's {@code DO} block with variables, conditions, loops or labels, or a
     * statement the parser does not know) and a mask applies to the identity: the scheduler runs the body as the
     * event's definer, where it may copy masked values into a table in clear. {@code null} otherwise.
     */
    private Decision unreadBodyUnderMask(Identity identity, SqlAnalysis analysis) {
        if (analysis.statements().stream().noneMatch(s -> s.has(Trait.UNREAD_BODY))) {
            return null;
        }
        ColumnMask mask = maskPlanner.redactionFor(identity, "the statement defines an event whose body cannot be read");
        if (mask == null) {
            return null;
        }
        return Decision.deny(List.of(mask.maskId()), "The statement defines an event whose body the analysis cannot read"
                + " (a block with variables, conditions, loops or labels, or a statement it does not know), and mask "
                + mask.maskId() + " applies to " + identity.describe() + ": the database runs that body later, where it"
                + " could copy masked values into a table in clear. Give the event a single SQL statement or a BEGIN … END"
                + " block of plain SQL statements, whose copies are checked, or have it defined by an identity no mask"
                + " applies to" + MaskedDataFlow.migrationHint(identity, "event", true));
    }

    /**
     * A denial when the statement prepares or runs SQL by name or from text whose tables the analysis cannot see
     * ({@link Action#EXECUTE} with {@link Trait#DYNAMIC_SQL} and no table read or written: PostgreSQL's {@code EXECUTE p},
     * MariaDB's {@code PREPARE s FROM '…'} or {@code FROM @v}, {@code EXECUTE s [USING …]}, {@code EXECUTE IMMEDIATE …})
     * and a mask applies to the identity: MariaDB's text is a string or a variable built at run time, and either
     * database's name may have been prepared earlier on the session by an identity the mask exempts, so it may copy
     * masked values into a table in clear ({@code EXECUTE IMMEDIATE 'INSERT INTO notes SELECT id, ssn FROM people'}),
     * which no result mask follows. PostgreSQL's {@code PREPARE p AS …}, whose statement is analysed (and refused when
     * it copies), is not concerned. Refused too, with no mask, to every caller the policy does not allow everything
     * alike ({@link #allowsEverythingTo}): such SQL names no table, so a permit of {@code execute} on some tables
     * covers it, while it may read or write any. {@code null} otherwise.
     */
    private Decision preparedByNameUnderMask(Identity identity, SqlAnalysis analysis) {
        if (analysis.statements().stream().noneMatch(s -> s.action() == Action.EXECUTE && s.has(Trait.DYNAMIC_SQL)
                && s.tablesRead().isEmpty() && s.tablesWritten().isEmpty())) {
            return null;
        }
        ColumnMask mask = maskPlanner.redactionFor(identity, "the statement runs SQL prepared by name or given as text");
        if (mask == null) {
            if (allowsEverythingTo(identity)) {
                return null;
            }
            // the rules let this caller reach some relations only (a permit of execute on some tables, which covers a
            // statement on no table, let it this far): SQL the analysis does not see may reach any
            return Decision.deny(List.of(), "The statement prepares or runs SQL by name or from text that the analysis"
                    + " does not see (EXECUTE of a name not prepared through this connection, or no longer known to it,"
                    + " or whose text may find other relations now; EXECUTE with arguments other than constants and user"
                    + " variables, or in a batch; PREPARE … FROM a variable; EXECUTE IMMEDIATE), which could read or"
                    + " write any table, and the policy lets " + identity.describe() + " reach some tables only. Run the"
                    + " statement itself, or prepare it again through this connection (PREPARE p AS …, MariaDB's"
                    + " PREPARE s FROM '…') and run it with constant arguments, whose statement is judged");
        }
        return Decision.deny(List.of(mask.maskId()), "The statement prepares or runs SQL by name or from text (PREPARE"
                + " … FROM, EXECUTE, EXECUTE IMMEDIATE) that the analysis does not see, and mask " + mask.maskId()
                + " applies to " + identity.describe() + ": that SQL could copy masked values into a table in clear,"
                + " where no mask follows them. Run the statement itself, whose copies and results are checked and masked,"
                + " or have it run by an identity no mask applies to"
                + MaskedDataFlow.migrationHint(identity, "SQL run by name or from text", true));
    }

    /**
     * A denial, for every caller, when the statement creates a temporary table or view ({@link Trait#TEMPORARY}) under a
     * policy with a mask or a row filter: the session keeps the table past the statement and its caller, for a pooled
     * connection's next borrower, and its name can stand for a table of the schema (on MariaDB and H2 nothing tells it
     * apart), so rows a mask or filter exempts its creator from, copied into it then or by a later statement, would reach
     * callers they apply to. {@code null} otherwise.
     */
    private Decision temporaryTable(Identity identity, SqlAnalysis analysis) {
        if (policy.masks().isEmpty() && policy.rowFilters().isEmpty()
                || analysis.statements().stream().noneMatch(s -> s.has(Trait.TEMPORARY))) {
            return null;
        }
        boolean masks = !policy.masks().isEmpty();
        String rule = masks ? policy.masks().get(0).id() : policy.rowFilters().get(0).id();
        return Decision.deny(List.of(rule), "The statement creates a temporary table (or view), which the session keeps"
                + " past the statement and " + identity.describe() + ": the next borrower of a pooled connection reads it whoever that"
                + " is, and its name can stand for a table of the schema, while masks and row filters (" + (masks ? "mask "
                : "row filter ") + rule + " among them) follow the tables the policy names, not what is copied into a"
                + " temporary table. Use a table of a schema the policy governs, or a subquery or WITH query within one"
                + " statement");
    }

    /**
     * A denial when the statement reads a relation of the database's own that holds values of tables or statements
     * ({@link SystemRelations}: column statistics, other sessions' statements, variables, secrets) and a mask or a row
     * filter applies to the identity: those values reach it past every mask and filter. {@code null} otherwise.
     */
    private Decision systemRelationRead(Identity identity, SqlAnalysis analysis, List<Access> accesses) {
        boolean masked = maskPlanner.masksAnythingFor(identity);
        if (!masked && !rowFiltersApplyTo(identity)) {
            return null;
        }
        for (StatementAnalysis statement : analysis.statements()) {
            for (TableRef table : statement.tablesRead()) {
                if (SystemRelations.mayHoldValues(analysis.dialect(), table)) {
                    return systemRelationDenial(identity, table.qualifiedName() + (table.schema() == null
                            ? ", which may be" : ", which is"), masked);
                }
            }
        }
        for (Access access : accesses) {
            // a view of the application's defined over such a relation (a monitoring view over pg_stat_activity) hands its
            // values out as well; one of the database's own is listed for what it shows
            if (access.view() && access.readsSystemValues(analysis.dialect())) {
                return systemRelationDenial(identity, access.through().qualifiedName() + ", a view defined over "
                        + access.table().qualifiedName() + ", which is", masked);
            }
        }
        return null;
    }

    private static Decision systemRelationDenial(Identity identity, String what, boolean masked) {
        return Decision.deny(List.of(), "The statement reads " + what + " a relation of the database's own that holds values"
                + " of tables' columns or statements (column statistics, statements of sessions, variables or secrets),"
                + " where " + (masked ? "masks" : "row filters") + " cannot follow them, and " + (masked ? "a mask" : "a row filter")
                + " applies to " + identity.describe() + ". Read the tables themselves, whose results are masked and filtered,"
                + " or have it read by an identity no mask or row filter applies to");
    }

    /**
     * A denial when one of {@code accesses} reads or writes a table of the approval store ({@link ApprovalStore#ownTables})
     * or another table the governance keeps its records in (the {@code jdbc:} audit sink's), in any schema and in any
     * case: no statement the engine judges may change or read them, whatever the rules permit. An agent allowed every
     * table would otherwise approve its own request ({@code UPDATE …_requests SET status = 'approved'}), read other
     * requests' statement texts, or delete its own audit events. Approvers decide with {@code governed-jdbc approvals}
     * or the store's API; the application's own statements never need these tables.
     */
    private Decision recordsTouched(SqlAnalysis analysis, List<Access> accesses) {
        if (storeTables.isEmpty() && recordTables.isEmpty()) {
            return null;
        }
        for (StatementAnalysis statement : analysis.statements()) {
            if (statement.has(Trait.DYNAMIC_SQL)) {
                // DO $$ … EXECUTE 'UPDATE ' || '…_requests …' $$ reaches a table no analysis can name
                return Decision.deny(List.of(), "The statement runs SQL the analysis cannot see (EXECUTE of a statement"
                        + " prepared by name, PREPARE, DO, dynamic SQL), which could read or write the tables the governance"
                        + " keeps its " + (storeTables.isEmpty() ? "audit trail" : recordTables.isEmpty() ? "approvals"
                        : "approvals and audit trail") + " in: it is refused while those tables are in a database; run the"
                        + " statements it would run themselves");
            }
        }
        for (Access access : accesses) {
            if (access.unseenBody() && access.table() == null) {
                // a routine whose body is not read, declared to reach any table or not declared, may write them too
                return Decision.deny(List.of(), "The statement runs routine " + access.through().qualifiedName()
                        + ", whose body the analysis cannot read and which may reach any table, so also the tables the"
                        + " governance keeps its " + (storeTables.isEmpty() ? "audit trail" : recordTables.isEmpty()
                        ? "approvals" : "approvals and audit trail") + " in: it is refused while those tables are in a"
                        + " database; declare in the policy's routines section the tables it does reach");
            }
            Decision denial = recordTouched(access, access.table());
            if (denial == null) {
                denial = recordTouched(access, access.through());
            }
            if (denial != null) {
                return denial;
            }
        }
        return null;
    }

    /** {@link #recordsTouched} of one table {@code access} reaches ({@code null}: none). */
    private Decision recordTouched(Access access, TableRef table) {
        if (table == null) {
            return null;
        }
        String name = table.name().toLowerCase(Locale.ROOT);
        if (storeTables.contains(name)) {
            return Decision.deny(List.of(), access.action().externalName() + " on " + table.qualifiedName()
                    + ", a table of the approval store, is refused to every statement through the governed driver:"
                    + " decide approvals with governed-jdbc approvals or the store's API");
        }
        if (recordTables.contains(name)) {
            return Decision.deny(List.of(), access.action().externalName() + " on " + table.qualifiedName()
                    + ", the table the audit trail is written to, is refused to every statement through the governed"
                    + " driver: read the trail through the database's own driver, as its own user");
        }
        return null;
    }

    private static Set<String> lowerCased(Set<String> names) {
        Set<String> lower = new java.util.HashSet<>();
        for (String name : names) {
            lower.add(name.toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(lower);
    }

    private static Decision forbidden(RuleEvaluation evaluation) {
        if (evaluation.forbidden().unseenBody()) {
            // what the rules say of statements does not tell what a body that was not read does: say what was covered
            return Decision.deny(ids(evaluation.forbids()), "Denied by " + ruleList(evaluation.forbids()) + ": "
                    + (evaluation.forbids().size() == 1 ? "it forbids " : "they forbid ") + evaluation.forbidden().describe()
                    + unseenBodyHint(evaluation.forbidden()));
        }
        String messages = messagesOf(evaluation.forbids());
        return Decision.deny(ids(evaluation.forbids()), "Denied by " + ruleList(evaluation.forbids())
                + (messages.isEmpty() ? ": it forbids " + evaluation.forbidden().describe() : messages)
                + unprovenBound(evaluation.forbids(), evaluation.forbidden())
                + (evaluation.forbidden() == null ? "" : uncertainNameHint(evaluation.forbidden())));
    }

    /**
     * When a rule on unbounded writes ({@code when: { where: … }}) decided and the write counts as unbounded only because
     * unqualified names inside its subqueries were not found in the subqueries' tables: why, and how to fix it.
     */
    private static String unprovenBound(List<Rule> rules, Access access) {
        String why = access == null ? null : access.statement().unprovenBound();
        if (why == null || rules.stream().noneMatch(r -> r.when().where() != null)) {
            return "";
        }
        return " (the statement's condition counts as holding for every row: " + why + ")";
    }

    private static String notPermitted(Identity identity, RuleEvaluation evaluation) {
        Access access = evaluation.unpermitted();
        List<String> escapes = access.statement().traits().stream().filter(Trait::escape).map(Trait::externalName)
                .sorted().toList();
        String traits = escapes.isEmpty() ? "" : " with the trait" + (escapes.size() == 1 ? " " : "s ")
                + String.join(", ", escapes) + " (a permit covers " + (escapes.size() == 1 ? "it" : "them")
                + " only when it names " + (escapes.size() == 1 ? "it" : "each") + " in when: { traits: [...] })";
        // the write itself unpermitted (a permit may require a bounding condition), not a read of its subquery's table
        boolean write = access.action() == io.governed.sql.Action.UPDATE || access.action() == io.governed.sql.Action.DELETE
                || access.action() == io.governed.sql.Action.MERGE;
        String unproven = write ? access.statement().unprovenBound() : null;
        return "No rule permits " + access.describe() + traits + " for " + identity.describe()
                + (unproven == null ? "" : " (its condition counts as holding for every row: " + unproven + ")")
                + serverFunctionHint(access) + uncertainNameHint(access);
    }

    /**
     * For a table or routine named in the statement under more than one schema, or also without one (what a name
     * written without a schema becomes when the catalog cannot tell which schema holds it: every relation of the search
     * path it could be): that a permit must cover each, and how to make the name certain. Empty otherwise.
     */
    private static String uncertainNameHint(Access access) {
        TableRef table = access.table() != null ? access.table() : access.through();
        if (table == null || table.schema() == null) {
            return "";
        }
        StatementAnalysis statement = access.statement();
        List<TableRef> named = java.util.stream.Stream.of(statement.tablesRead(), statement.tablesWritten(),
                statement.routines()).flatMap(Set::stream).filter(t -> t.name().equals(table.name())).distinct().toList();
        List<String> each = named.stream().filter(t -> t.schema() != null).map(TableRef::qualifiedName).toList();
        if (each.size() < 2 && each.size() == named.size()) {
            return "";
        }
        return " (" + table.name() + " stands for each of " + String.join(", ", each) + (each.size() < named.size()
                ? " and a relation of a schema that cannot be named" : "") + ": a name written without a schema counts as"
                + " every relation of the search path it could be when the catalog cannot tell which one it is (the"
                + " catalog could not be read, or holds the name in more than one of the path's schemas), and a permit"
                + " must cover each. Qualify the name with its schema)";
    }

    /**
     * For a call judged as a function of PostgreSQL's own ({@code pg_catalog}): that an unqualified name is found there
     * first, so a permit of {@code call} on the session's schemas does not cover it, and how to permit it. Empty
     * otherwise.
     */
    private static String serverFunctionHint(Access access) {
        TableRef routine = access.table();
        if (access.action() != io.governed.sql.Action.CALL || routine == null || !"pg_catalog".equals(routine.schema())) {
            return "";
        }
        return " (PostgreSQL finds an unqualified " + routine.name() + " in pg_catalog, searched first unless the"
                + " search path names it later, so the call is of the server's function " + routine.qualifiedName()
                + ", which a permit of call on the session's schemas does not cover. To let it run deliberately, add a"
                + " rule permitting call on it by name (actions: [call], resources: [\"" + routine.qualifiedName()
                + "\"]) or on pg_catalog.*; to call a routine of your own of that name, qualify it with its schema)";
    }

    /** How to let a routine whose body cannot be analysed run. */
    private static final String UNSEEN_BODY_HINT = ". Declare in the policy's routines section what the routine reads and"
            + " writes (routines: [{id: …, routines: [\"schema.routine\"], does: [{actions: [select], resources:"
            + " [\"schema.table\"]}]}]; does: [] for one that reaches no table) and permit that, or write it in SQL"
            + " (LANGUAGE sql or plpgsql without EXECUTE, on PostgreSQL), whose body the analysis reads";

    /** How to let code whose body cannot be analysed run: a routine's, or a DO block's. */
    private static String unseenBodyHint(Access access) {
        return access.doBlock() ? DO_BLOCK_HINT : UNSEEN_BODY_HINT;
    }

    /** How to let a DO block whose code cannot be analysed run. */
    private static final String DO_BLOCK_HINT = ". Write the DO block in PL/pgSQL without EXECUTE (nor a changed"
            + " setting), whose statements the analysis reads and judges as the statement's own, or run those statements"
            + " themselves";

    /**
     * An allowing decision as the approval check leaves it: unchanged, allowed with approvals used up (or
     * to be checked when a prepared statement runs), waiting, or denied by an approver.
     */
    private static Decision withApprovals(Decision allowed, ApprovalCheck.Outcome approval) {
        if (approval == null) {
            return allowed;
        }
        List<String> ruleIds = new ArrayList<>(allowed.rules());
        ruleIds.addAll(approval.approvalIds());
        String approvalList = String.join(", ", approval.approvalIds());
        if (approval.batchExecutions() > 1) {
            return Decision.deny(ruleIds, approval.batchSummary() + " needs approval " + approvalList + ", which allows one"
                    + " execution, and this batch runs it " + approval.batchExecutions() + " times at once: the batch is"
                    + " refused and nothing of it ran. Run the statement on its own for each execution, each approved");
        }
        ApprovalRequest denied = approval.denied();
        if (denied != null) {
            return Decision.deny(ruleIds, denied.summary() + " was denied by " + denied.denial().approver()
                    + " (approval " + denied.approvalId() + ", request " + denied.id() + "): " + denied.denial().reason());
        }
        ApprovalRequest pending = approval.pending();
        if (pending != null) {
            return Decision.pendingApproval(ruleIds, pending.summary() + " needs approval " + pending.approvalId()
                    + " (request " + pending.id() + ") by " + pending.approvers().describe()
                    + ": once it is approved, run the statement again", pending.id());
        }
        if (approval.deferred()) {
            return Decision.allow(ruleIds, allowed.reason() + "; approval " + approvalList + " is checked when it runs");
        }
        return Decision.allow(ruleIds, allowed.reason() + ", with approval " + approvalList
                + " (request " + String.join(", ", approval.usedRequests()) + ", now used up)");
    }

    /**
     * The decision on text that could not be analysed: the policy's {@code on-unparseable}, except for
     * text over an analysis limit, which is always refused (the limits are raised by their own settings),
     * and text whose meaning depends on the session (MariaDB's {@code ||}), which is always refused too.
     * Text the database or its driver would read otherwise than the analysis is always refused as well.
     * The parser's own message stays out of the reason (it may quote the text); the analyser's messages
     * about its limits, about session-dependent operators, about text read otherwise, about Unicode-escaped
     * names and about the forms known to stay unread, which name only numbers, operators, characters, settings and
     * keywords, are given.
     */
    private Decision unparseable(SqlAnalysis analysis) {
        String why = analysis.parseError() == null ? "" : analysis.parseError().strip();
        if (why.startsWith(SqlAnalyzer.UNANALYSABLE) || why.startsWith(SqlAnalyzer.SESSION_DEPENDENT)
                || why.startsWith(SqlAnalyzer.READ_OTHERWISE)) {
            return Decision.deny(List.of(), why);
        }
        String detail = why.startsWith(SqlAnalyzer.UNICODE_ESCAPED_IDENTIFIER) ? " (" + SqlAnalyzer.UNICODE_ESCAPED_IDENTIFIER
                + " cannot be matched against the policy for certain: write the name plainly)"
                : why.startsWith(SqlAnalyzer.UNREAD_FORM) ? " (" + why.substring(SqlAnalyzer.UNREAD_FORM.length())
                .replaceFirst("^( \\(statement \\d+\\))?: ", "").replaceFirst("\\.$", "") + ")" : "";
        String where = " [statement " + analysis.fingerprint() + stoppedAt(analysis.parseError()) + "]";
        if (policy.onUnparseable() == FallbackEffect.ALLOW) {
            return Decision.allow(List.of(), "The statement could not be parsed" + detail + "; allowed because the "
                    + "policy allows unparseable statements (on-unparseable: allow)" + where);
        }
        return Decision.deny(List.of(), "The statement could not be parsed" + detail + ", and what cannot be analysed "
                + "is denied (on-unparseable: deny)" + where);
    }

    private static final java.util.regex.Pattern POSITION =
            java.util.regex.Pattern.compile("^(Statement \\d+ )?.*?\\((line \\d+, column \\d+)\\)");

    /**
     * Where parsing stopped, from the parser's message: the statement's number and its line and column, never the
     * token found there, which could be a literal.
     */
    private static String stoppedAt(String parseError) {
        if (parseError == null) {
            return "";
        }
        java.util.regex.Matcher m = POSITION.matcher(parseError);
        if (!m.find()) {
            return "";
        }
        return ": " + (m.group(1) == null ? "" : m.group(1).toLowerCase(java.util.Locale.ROOT))
                + "parsing stopped at " + m.group(2);
    }

    private static List<String> ids(List<Rule> rules) {
        return rules.stream().map(Rule::id).toList();
    }

    private static String ruleList(List<Rule> rules) {
        return (rules.size() == 1 ? "rule " : "rules ") + String.join(", ", ids(rules));
    }

    /** {@code ": message; message"} for the rules that have a message, or empty. */
    private static String messagesOf(List<Rule> rules) {
        String messages = rules.stream().map(Rule::message).filter(Objects::nonNull).collect(Collectors.joining("; "));
        return messages.isEmpty() ? "" : ": " + messages;
    }
}
