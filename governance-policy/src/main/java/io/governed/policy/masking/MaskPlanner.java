package io.governed.policy.masking;

import io.governed.classification.Classification;
import io.governed.classification.ClassifierSettings;
import io.governed.classification.ColumnClassifier;
import io.governed.classification.ClassificationSource;
import io.governed.classification.DetectableText;
import io.governed.classification.Detector;
import io.governed.classification.Detectors;
import io.governed.classification.QualifiedColumn;
import io.governed.classification.Tags;
import io.governed.classification.ValueSampler;
import io.governed.identity.Identity;
import io.governed.masking.MaskFunction;
import io.governed.masking.MaskerRegistry;
import io.governed.policy.Policy;
import io.governed.policy.model.Mask;
import io.governed.policy.pattern.ColumnPattern;
import io.governed.sql.ColumnRef;
import io.governed.sql.Dialect;
import io.governed.sql.ResultColumn;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.SourceColumn;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;
import io.governed.sql.names.AnalysisResolution;
import io.governed.sql.names.NameResolver;
import io.governed.sql.names.Resolution;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Decides which columns a caller sees masked, and by which mask: the policy's {@code masks} over its
 * {@code classification}.
 *
 * <p>A base column is covered by a mask when one of its tags is selected by the mask's {@code tags}
 * ({@link Tags#covers}: {@code secret} selects {@code secret.key}) or when it matches one of the
 * mask's {@code patterns}. Its tags come from the {@link ColumnClassifier}: explicit patterns win;
 * with {@code auto-detect: true} the other columns are tagged by their names. A column whose schema
 * or table is unknown is covered by every pattern that {@linkplain ColumnPattern#couldMatch could
 * match} it, whatever that schema or table turns out to be. A mask applies to a
 * caller unless its {@code unless} exempts the caller, and an agent acting for a human is never
 * exempt where that human is not ({@link Mask#appliesTo}).
 *
 * <p>A result column is masked when any column it derives from is (count-like aggregates reveal
 * nothing and are not). When several masks cover it, the strictest wins ({@link MaskStrictness}).
 * A column whose lineage is unknown, in a query that may read a sensitive column, is redacted.
 *
 * <p>Thread-safe; every mask function is configured once, when the planner is built.
 */
public final class MaskPlanner {

    /** The region phone numbers without a country code are read in, for the phone detector. */
    private static final String PHONE_REGION = "US";

    private final List<ConfiguredMask> masks;
    private final Map<String, List<ColumnPattern>> explicitTags;
    private final boolean autoDetect;
    private final List<Detector> detectors;
    /** A classifier per dialect the planner is asked about, since names compare as each database compares them. */
    private final ConcurrentMap<Dialect, ColumnClassifier> classifiers = new ConcurrentHashMap<>();
    private final List<Detector> valueDetectors;
    private final MaskFunction redaction;

    /** Views defined over views are followed this deep; a column of a deeper one is redacted when masks apply. */
    private static final int MAXIMUM_VIEW_DEPTH = 8;
    /** Analyses of view definitions, which name their tables as the session resolves them. */
    private final SqlAnalyzer viewDefinitions = new SqlAnalyzer(1_000);

    /** A mask with its function configured. */
    private record ConfiguredMask(Mask mask, MaskFunction function, int strictness) {
    }

    /**
     * @param maskers   configures the masks' functions
     * @param detectors the detectors auto-detection uses (by name and by value)
     * @throws io.governed.masking.MaskConfigurationException when a mask's function cannot be configured
     *         (a policy built in code; a loaded policy was checked already)
     * @throws IllegalArgumentException when a classification tag is malformed ({@link Tags#requireValid})
     */
    public MaskPlanner(Policy policy, MaskerRegistry maskers, List<Detector> detectors) {
        List<ConfiguredMask> configured = new ArrayList<>();
        for (Mask mask : policy.masks()) {
            configured.add(new ConfiguredMask(mask, maskers.create(mask.function(), mask.parameters()),
                    MaskStrictness.of(mask.function())));
        }
        this.masks = List.copyOf(configured);
        this.explicitTags = policy.classification().tags();
        this.autoDetect = policy.classification().autoDetect();
        this.detectors = List.copyOf(detectors);
        this.valueDetectors = autoDetect ? detectors.stream().filter(Detector::inspectsValues).toList() : List.of();
        explicitTags.keySet().forEach(Tags::requireValid); // a malformed tag fails here, not at the first statement
        this.redaction = maskers.create("redact", Map.of());
    }

    /** A planner with the built-in mask functions and detectors and those of policy jars on the class path. */
    public static MaskPlanner of(Policy policy) {
        ClassLoader loader = MaskPlanner.class.getClassLoader();
        return new MaskPlanner(policy, MaskerRegistry.load(loader), Detectors.available(PHONE_REGION, loader));
    }

    /** The classifier that tags columns of a database of that dialect for this policy. */
    public ColumnClassifier classifier(Dialect dialect) {
        ColumnClassifier classifier = classifiers.get(dialect);
        return classifier != null ? classifier : classifiers.computeIfAbsent(dialect, d ->
                new ColumnClassifier(ClassifierSettings.of(d, explicitTags, autoDetect, detectors)));
    }

    /** Whether the policy has masks at all: when not, no identity's values are masked, checked or redacted. */
    public boolean masksAnyone() {
        return !masks.isEmpty();
    }

    /** Whether any mask applies to the caller at all. */
    public boolean masksAnythingFor(Identity identity) {
        for (int i = 0, n = masks.size(); i < n; i++) { // asked per result: no iterator
            if (masks.get(i).mask().appliesTo(identity)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A mask applying to {@code identity} that names columns of the table {@code schema.table} by the table's name or
     * schema ({@link ColumnPattern#namesTable}), by a pattern of its own or of a tag it masks; {@code null} when no
     * such pattern could name that table. Renaming such a table, or moving it to another schema, would take its columns
     * out of the mask.
     */
    public TableNaming maskNamingTable(Identity identity, String schema, String table, Dialect dialect) {
        for (ConfiguredMask configured : masks) {
            Mask mask = configured.mask();
            if (!mask.appliesTo(identity)) {
                continue;
            }
            for (ColumnPattern pattern : mask.columns()) {
                if (pattern.namesTable(schema, table, dialect)) {
                    return new TableNaming(mask.id(), "its pattern " + pattern);
                }
            }
            for (Map.Entry<String, List<ColumnPattern>> tag : explicitTags.entrySet()) {
                if (!selects(mask, tag.getKey())) {
                    continue;
                }
                for (ColumnPattern pattern : tag.getValue()) {
                    if (pattern.namesTable(schema, table, dialect)) {
                        return new TableNaming(mask.id(), "the pattern " + pattern + " of tag " + tag.getKey());
                    }
                }
            }
        }
        return null;
    }

    /** A mask whose columns a pattern names by their table ({@link #maskNamingTable}): the mask and the pattern. */
    public record TableNaming(String maskId, String pattern) {
    }

    /** Whether values of columns that cannot be traced are checked by detectors ({@code auto-detect: true}). */
    public boolean detectsValues() {
        return !valueDetectors.isEmpty();
    }

    /**
     * The mask plan of a query's result columns for a caller.
     *
     * @param defaultSchema the schema unqualified tables are in, or {@code null} when unknown
     */
    public MaskPlan plan(Identity identity, StatementAnalysis statement, String defaultSchema, Dialect dialect) {
        return plan(identity, statement, defaultSchema, dialect, NameResolver.unknown());
    }

    /**
     * The mask plan of a query's result columns for a caller, a column of a view traced through the
     * view's definition as {@code session} gives it (a view column computed from a masked column is
     * masked like the computed column of a query).
     *
     * @param defaultSchema the schema unqualified tables are in, or {@code null} when unknown
     */
    public MaskPlan plan(Identity identity, StatementAnalysis statement, String defaultSchema, Dialect dialect,
                         NameResolver session) {
        if (statement.resultColumns().isEmpty() || !masksAnythingFor(identity)) {
            return MaskPlan.NONE;
        }
        List<PlannedColumn> planned = new ArrayList<>(statement.resultColumns().size());
        for (ResultColumn column : statement.resultColumns()) {
            planned.add(planColumn(identity, column, statement, defaultSchema, dialect, session, 0));
        }
        return new MaskPlan(planned);
    }

    private PlannedColumn planColumn(Identity identity, ResultColumn column, StatementAnalysis statement,
                                     String defaultSchema, Dialect dialect, NameResolver session, int viewDepth) {
        if (column.aggregateOnly()) {
            return new PlannedColumn(column, null, PlannedColumn.Resolution.TRACED);
        }
        ColumnMask fromSources = null;
        for (SourceColumn source : column.sources()) {
            fromSources = stricter(fromSources, maskForColumn(identity, qualified(source.table(), source.column(), defaultSchema),
                    dialect, session, viewDepth, true));
        }
        if (fromSources != null && column.transformed() && MaskStrictness.of(fromSources.function()) < MaskStrictness.HIDES_ALL) {
            // a mask that keeps part of a value (the last digits, what follows the '@') keeps part of the computed value
            // instead, which may be any part of the original: so for a * too, whose columns the driver names no base
            // column of are masked with its plan's mask (a derived table's or CTE's computed column)
            fromSources = new ColumnMask(fromSources.mask(), "redact", redaction, fromSources.reason() + "; the column computes"
                    + " a value from it, so it is redacted (part of a computed value, or its hash, could give the original away)");
        }
        if (isStar(column)) {
            return new PlannedColumn(column, fromSources, PlannedColumn.Resolution.EXPANDS);
        }
        if (column.unknownLineage() && fromSources == null) {
            return new PlannedColumn(column, redactionFor(identity, "its values come from something the analysis cannot trace, "
                    + "in a query over " + named(statement.tablesRead())), PlannedColumn.Resolution.UNTRACED);
        }
        QualifiedColumn sampled = null;
        if (fromSources == null && detectsValues() && column.sources().size() == 1) {
            QualifiedColumn base = qualified(column.sources().get(0).table(), column.sources().get(0).column(), defaultSchema);
            sampled = classifier(dialect).sampler(base).isSettled() ? null : base;
        }
        return new PlannedColumn(column, fromSources, PlannedColumn.Resolution.TRACED, sampled);
    }

    /** {@code *} or {@code t.*}: stands for several result columns. */
    private static boolean isStar(ResultColumn column) {
        return !column.allColumnsOf().isEmpty() || column.label().equals("*") || column.label().endsWith(".*");
    }

    /**
     * How a column is shown to the caller, as {@link #maskForColumn(Identity, QualifiedColumn, Dialect)};
     * when {@code session} knows its table for a view, also as the column of the view's definition it
     * is: the stricter of the two.
     */
    public ColumnMask maskForColumn(Identity identity, QualifiedColumn column, Dialect dialect, NameResolver session) {
        return maskForColumn(identity, column, dialect, session, 0, false);
    }

    /**
     * How a column of a resolved analysis ({@link AnalysisResolution}) is shown to the caller, as
     * {@link #maskForColumn(Identity, QualifiedColumn, Dialect, NameResolver)}; a column whose table the analysis names
     * without a schema is one of a name the resolution could not place in a schema for certain, and counts as a column of
     * every relation of that name the catalog shows, in any schema.
     */
    public ColumnMask maskForResolvedColumn(Identity identity, QualifiedColumn column, Dialect dialect, NameResolver session) {
        return maskForColumn(identity, column, dialect, session, 0, true);
    }

    /**
     * @param unplaced the column's table is a name a statement's analysis, resolved, left without a schema: one the
     *                 resolution could not place in a schema for certain ({@link AnalysisResolution}), which may be a
     *                 relation of that name in any schema ({@link #asAnyRelationNamed})
     */
    private ColumnMask maskForColumn(Identity identity, QualifiedColumn column, Dialect dialect, NameResolver session,
                                     int viewDepth, boolean unplaced) {
        ColumnMask own = maskForColumn(identity, column, dialect);
        if (session == null || column.table() == null) {
            return own;
        }
        if (dialect == Dialect.POSTGRESQL) {
            own = stricter(own, asRelativesColumn(identity, column, dialect, session));
        }
        if (column.schema() != null) {
            if (session.relationKind(column.schema(), column.table()) == NameResolver.RelationKind.OTHER
                    && !io.governed.sql.SystemRelations.inSystemSchema(dialect,
                    new TableRef(column.schema(), column.table()))) {
                // a synonym, a linked or foreign table, a MERGE, FEDERATED or CONNECT table, made by anyone before: its
                // rows may be any table's, under column names of its own, so its every column is any masked column (a
                // relation of the database's own schemas, which MariaDB's reader calls OTHER, is judged by the system
                // relations' listing of what each holds)
                own = stricter(own, redactionFor(identity, column.schema() + "." + column.table() + " is neither a table"
                        + " nor a view (a synonym, a linked or foreign table, a MERGE, FEDERATED or CONNECT table, say),"
                        + " whose rows the driver cannot trace to their table: they may be a masked table's"));
            }
            String definition = session.viewDefinition(column.schema(), column.table());
            if (definition == null && session.readsCatalog() && session.viewDefinitionUnknown(column.schema(), column.table())) {
                // "no definition" is "no view" only when the catalog said so: a lookup that failed proves nothing
                return stricter(own, redactionFor(identity, "what " + column.schema() + "." + column.table() + " is (a view, a"
                        + " synonym or a foreign table whose rows may be a masked table's, say) could not be read from the"
                        + " catalog"));
            }
            return definition == null ? own : stricter(own, throughView(identity, column, definition, dialect, session, viewDepth));
        }
        // a driver that names the table but not its schema (MariaDB, for a view's column): every schema the name resolves to
        ColumnMask mask = own;
        Resolution resolution = session.resolve(column.table());
        for (String schema : resolution.schemas()) {
            mask = stricter(mask, maskForColumn(identity, new QualifiedColumn(schema, column.table(), column.column()), dialect,
                    session, viewDepth, false));
        }
        if (unplaced || !resolution.certain() || resolution.schemas().isEmpty()) {
            mask = stricter(mask, asAnyRelationNamed(identity, column, dialect, session, viewDepth));
        }
        return mask;
    }

    /**
     * The mask of a column of a table named without a schema that the name cannot be placed in for certain (a statement
     * after a {@code SET search_path} of the same text, a search path or catalog that could not be read): the name may
     * be any relation of it the catalog shows ({@link NameResolver#schemasNaming}), each a table or a sequence (masked as
     * its column, a relation of the database's own schemas as that relation), or else the redaction of any mask applying
     * to the caller, as for a relation of another kind: a view, a synonym, a linked or foreign table may hold a masked
     * table's values under a name and columns of its own; and so when which schemas hold one cannot be read. Only for a
     * resolver that reads a database's catalog ({@link NameResolver#readsCatalog}); without one, a name is judged by itself.
     */
    private ColumnMask asAnyRelationNamed(Identity identity, QualifiedColumn column, Dialect dialect, NameResolver session,
                                          int viewDepth) {
        if (!session.readsCatalog()) {
            return null;
        }
        String table = column.table();
        String how = " (qualify the name with its schema to have its own columns' masks apply)";
        java.util.Set<String> schemas = session.schemasNaming(table);
        if (schemas == null) {
            return redactionFor(identity, table + " is named without a schema the driver can place it in for certain, and"
                    + " which relations of that name the database holds could not be read from the catalog: it may be a"
                    + " view, a synonym, a linked or foreign table over a masked table" + how);
        }
        ColumnMask mask = null;
        for (String schema : new java.util.TreeSet<>(schemas)) {
            TableRef candidate = new TableRef(schema, table);
            if (io.governed.sql.SystemRelations.inSystemSchema(dialect, candidate) || session.holdsOwnRowsOnly(schema, table)) {
                mask = stricter(mask, maskForColumn(identity, new QualifiedColumn(schema, table, column.column()), dialect,
                        session, viewDepth, false));
                continue;
            }
            NameResolver.RelationKind kind = session.relationKind(schema, table);
            return stricter(mask, redactionFor(identity, table + " is named without a schema the driver can place it in for"
                    + " certain, and it may be " + schema + "." + table + ", " + (kind == NameResolver.RelationKind.VIEW
                    ? "a view" : kind == NameResolver.RelationKind.OTHER ? "a relation that is neither a table nor a view (a"
                    + " synonym, a linked or foreign table, a MERGE table, say)" : "a relation whose kind could not be read"
                    + " from the catalog") + ", whose columns may hold a masked table's values" + how));
        }
        return mask;
    }

    /**
     * The strictest mask of the column of that name in the tables the column's table is a partition or inheritance child
     * of (PostgreSQL), whose rows its rows are, and in its own partitions and children, whose rows reading it reads: a
     * mask naming the parent's column covers the partition's, and one naming a partition's column covers the parent's;
     * {@code null} when none applies. When the session cannot tell the table's relatives, its relatives could be any
     * tables: the column is masked as a column of that name in a table that is not known, by every mask that could
     * cover a column of that name in some table (its exact table named, or a tag a column of that name carries).
     */
    private ColumnMask asRelativesColumn(Identity identity, QualifiedColumn column, Dialect dialect, NameResolver session) {
        ColumnMask mask = null;
        for (java.util.List<TableRef> relatives : java.util.Arrays.asList(session.ancestors(column.schema(), column.table()),
                session.descendants(column.schema(), column.table()))) {
            if (relatives == null) {
                ColumnMask any = maskForColumn(identity, QualifiedColumn.named(column.column()), dialect);
                return any == null ? null : new ColumnMask(any.mask(), any.function(), any.masking(), any.reason()
                        + "; whether " + column.schema() + "." + column.table() + " is a partition or inheritance child of"
                        + " that table, or has one, could not be read from the catalog");
            }
            for (TableRef relative : relatives) {
                mask = stricter(mask, maskForColumn(identity,
                        new QualifiedColumn(relative.schema(), relative.name(), column.column()), dialect));
            }
        }
        return mask;
    }

    /** The mask of a view's column as the column of its defining query it is, traced like a query's result column. */
    private ColumnMask throughView(Identity identity, QualifiedColumn column, String definition, Dialect dialect,
                                   NameResolver session, int viewDepth) {
        String view = column.schema() + "." + column.table();
        if (viewDepth >= MAXIMUM_VIEW_DEPTH) {
            return redactionFor(identity, "view " + view + " is defined over more than " + MAXIMUM_VIEW_DEPTH
                    + " levels of views, deeper than the analysis follows");
        }
        SqlAnalysis analysis = AnalysisResolution.resolve(viewDefinitions.analyze(definition, dialect), session);
        StatementAnalysis query = analysis.parsed() && analysis.statements().size() == 1
                ? analysis.statements().get(0) : null;
        if (query == null || query.resultColumns().isEmpty()) {
            return redactionFor(identity, "the definition of view " + view + " cannot be analysed");
        }
        ResultColumn match = null;
        int matches = 0;
        for (ResultColumn candidate : query.resultColumns()) {
            if (candidate.label().equalsIgnoreCase(column.column())) {
                match = candidate;
                matches++;
            }
        }
        if (matches != 1) {
            match = null; // none, or several of that name: which one this is cannot be told
        }
        if (match == null) {
            ColumnMask any = null;
            for (ColumnRef ref : query.columns()) {
                any = stricter(any, ref.allColumns() ? redactionFor(identity, "view " + view + " reads whole rows")
                        : ref.table() == null ? maskForColumn(identity, QualifiedColumn.named(ref.column()), dialect)
                        : maskForColumn(identity, qualified(ref.table(), ref.column(), null), dialect, session, viewDepth + 1,
                        true));
            }
            return any == null ? null : redacted(any, "column " + column + " of view " + view
                    + " cannot be matched to one column of its definition, which reads masked columns");
        }
        return planColumn(identity, match, query, null, dialect, session, viewDepth + 1).mask();
    }

    /**
     * How a base column is shown to the caller: the strictest applicable mask that covers it, or
     * {@code null} when it is shown in clear. A column whose table is unknown is matched by its name alone.
     */
    public ColumnMask maskForColumn(Identity identity, QualifiedColumn column, Dialect dialect) {
        List<Classification> tags = null;
        ColumnMask best = null;
        for (ConfiguredMask m : masks) {
            if (!applies(m, identity) || best != null && MaskStrictness.of(best.function()) >= m.strictness()) {
                continue;
            }
            if (tags == null) {
                tags = classifier(dialect).classify(column);
            }
            String why = coverage(m.mask(), column, tags, dialect);
            if (why != null) {
                best = coveredInside(m.mask(), tags)
                        ? new ColumnMask(m.mask(), "redact", redaction, why + "; the mask's function is made for the value"
                                + " alone, so the text around it is redacted with it")
                        : new ColumnMask(m.mask(), m.mask().function(), m.function(), why);
            }
        }
        if (column.table() != null
                && io.governed.sql.SystemRelations.holdsDefinitions(dialect, column.schema(), column.table(), column.column())) {
            // a column of the database's own relations not proven to hold only names, types, flags, counts or timestamps:
            // a default's, a check's, a view's or a routine's definition holds the literals it was written with, in text or
            // (PostgreSQL's node trees) as byte lists no detector recognises, and a comment, a setting or an option holds
            // whatever was written into it: masked for everyone a mask applies to
            best = stricter(best, redactionFor(identity, column + " is a column of the database's own catalog not known to"
                    + " hold only names, types, flags or counts: it may hold definitions, comments, settings or values"
                    + " written with literals"));
        }
        return best;
    }

    /** Whether {@code m} applies to {@code identity}; to anyone at all when {@code identity} is {@code null}. */
    private static boolean applies(ConfiguredMask m, Identity identity) {
        return identity == null || m.mask().appliesTo(identity);
    }

    /**
     * The strictest mask that covers a column a statement references for some caller, whoever runs the statement
     * ({@link #maskForReference} for every identity at once); {@code null} when no mask covers it for anyone. For
     * values that outlive the statement and its caller: what the session keeps, a later borrower reads.
     */
    public ColumnMask maskForAnyone(ColumnRef ref, StatementAnalysis statement, String defaultSchema, Dialect dialect,
                                    NameResolver session) {
        return maskForReference(null, ref, statement, defaultSchema, dialect, session);
    }

    /**
     * How a column a statement references is shown to the caller; one whose table is unresolved counts as each table
     * read. With {@code session} (may be {@code null}), a column of a view also counts as the column of the view's
     * definition it is, and a PostgreSQL table's column as its partitions' and parents' (as
     * {@link #maskForColumn(Identity, QualifiedColumn, Dialect, NameResolver)}).
     */
    public ColumnMask maskForReference(Identity identity, ColumnRef ref, StatementAnalysis statement, String defaultSchema,
                                       Dialect dialect, NameResolver session) {
        if (ref.allColumns()) {
            // a whole row (t.*, to_jsonb(t), t::text): the analysis does not know the table's columns, any may be masked
            return redactionFor(identity, "the statement reads every column of "
                    + (ref.table() != null ? ref.table() : "the tables it reads " + named(statement.tablesRead()))
                    + " as one value, and the analysis cannot tell them apart from masked ones");
        }
        if (ref.table() != null) {
            QualifiedColumn column = qualified(ref.table(), ref.column(), defaultSchema);
            return stricter(maskForColumn(identity, column, dialect, session, 0, true), unproven(identity, column, dialect));
        }
        ColumnMask mask = maskForColumn(identity, QualifiedColumn.named(ref.column()), dialect);
        for (TableRef table : statement.tablesRead()) {
            QualifiedColumn column = qualified(table, ref.column(), defaultSchema);
            mask = stricter(mask, stricter(maskForColumn(identity, column, dialect, session, 0, true),
                    unproven(identity, column, dialect)));
        }
        return mask;
    }

    /**
     * For a decision on a column auto-detection has not settled, whose values the driver's own read could not prove it
     * may be told apart from the columns masks select: its values could not be read (a read that timed out, say), or a
     * detector recognised some of them, too few yet to settle it. It is treated as holding values of every tag a
     * detector gives, so the strictest mask applying to the caller that selects one of them covers it (copy-out and
     * inference decide it as a tagged column); {@code null} when none applies (to anyone, for a {@code null} caller), or
     * when the column is settled, was never read by the driver (a decision made without a database), or was read and
     * showed nothing a detector recognises. For decisions only: a result's values are checked one by one instead.
     */
    public ColumnMask unproven(Identity identity, QualifiedColumn column, Dialect dialect) {
        if (valueDetectors.isEmpty()) {
            return null;
        }
        ValueSampler sampler = classifier(dialect).sampler(column);
        if (sampler.isSettled()) {
            return null;
        }
        boolean unreadable = sampler.lastRead() == ValueSampler.Read.UNREADABLE;
        if (!unreadable && !sampler.recognisedSome() && column.schema() != null && column.table() != null) {
            // the driver reads a column of a table the session could not place under the name the statement gives it,
            // without the schema a decision names it with
            ValueSampler unplaced = classifier(dialect).samplerIfKept(new QualifiedColumn(null, column.table(), column.column()));
            if (unplaced != null && !unplaced.isSettled()) {
                sampler = unplaced;
                unreadable = sampler.lastRead() == ValueSampler.Read.UNREADABLE;
            }
        }
        if (!unreadable && !sampler.recognisedSome()) {
            return null;
        }
        ConfiguredMask strictest = null;
        for (ConfiguredMask m : masks) {
            if (applies(m, identity) && selectsDetected(m.mask())
                    && (strictest == null || m.strictness() > strictest.strictness())) {
                strictest = m;
            }
        }
        if (strictest == null) {
            return null;
        }
        return new ColumnMask(strictest.mask(), "redact", redaction, (unreadable
                ? "auto-detection has not classified column " + column + " yet, and its values could not be read to classify it"
                : "column " + column + " holds values auto-detection recognises, too few yet to classify it")
                + ", so it counts as holding values of the tags mask " + strictest.mask().id() + " selects (give the column"
                + " its tags in classification.tags, or the tag none when it holds nothing sensitive, to have it decided"
                + " by them)");
    }

    /** Whether the mask selects a tag a value detector gives. */
    private boolean selectsDetected(Mask mask) {
        for (Detector detector : valueDetectors) {
            if (selects(mask, detector.tag())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The redaction of a column whose origin cannot be traced, attributed to the strictest mask that
     * applies to the caller; {@code null} when no mask applies to the caller.
     */
    public ColumnMask redactionFor(Identity identity, String why) {
        ConfiguredMask strictest = null;
        for (ConfiguredMask m : masks) {
            if (applies(m, identity) && (strictest == null || m.strictness() > strictest.strictness())) {
                strictest = m;
            }
        }
        return strictest == null ? null : new ColumnMask(strictest.mask(), "redact", redaction,
                "redacted because " + why + ", and mask " + strictest.mask().id() + " applies to "
                        + (identity == null ? "some callers" : identity.describe()));
    }

    /** Whether a mask that applies to {@code identity} names its kind in {@code deny-shaping} (see {@link #shapingRedactionFor}). */
    public boolean deniesShapingTo(Identity identity) {
        for (ConfiguredMask m : masks) {
            if (m.mask().appliesTo(identity) && m.mask().deniesShapingTo(identity)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The redaction of a change to what other sessions resolve and run (a new schema, a name another schema holds, a
     * stored setting, code attached to another's object), attributed to the strictest mask that applies to the caller
     * and denies it shaping ({@code deny-shaping}); {@code null} when no mask that applies to the caller denies it that.
     */
    public ColumnMask shapingRedactionFor(Identity identity, String why) {
        ConfiguredMask strictest = null;
        for (ConfiguredMask m : masks) {
            if (m.mask().appliesTo(identity) && m.mask().deniesShapingTo(identity)
                    && (strictest == null || m.strictness() > strictest.strictness())) {
                strictest = m;
            }
        }
        return strictest == null ? null : new ColumnMask(strictest.mask(), "redact", redaction,
                "redacted because " + why + ", and mask " + strictest.mask().id() + " applies to " + identity.describe());
    }

    /**
     * The redaction of a value whose origin cannot be traced, attributed to the strictest mask that applies to the
     * caller and denies it inference; {@code null} when no mask that applies to the caller denies it inference.
     */
    public ColumnMask inferenceRedactionFor(Identity identity, String why) {
        ConfiguredMask strictest = null;
        for (ConfiguredMask m : masks) {
            if (m.mask().appliesTo(identity) && m.mask().deniesInferenceTo(identity)
                    && (strictest == null || m.strictness() > strictest.strictness())) {
                strictest = m;
            }
        }
        return strictest == null ? null : new ColumnMask(strictest.mask(), "redact", redaction,
                "redacted because " + why + ", and mask " + strictest.mask().id() + " applies to " + identity.describe());
    }

    /** The same mask, redacting instead of applying its function: for a column that may hold any of several columns' values. */
    public ColumnMask redacted(ColumnMask mask, String why) {
        return new ColumnMask(mask.mask(), "redact", redaction, mask.reason() + "; redacted because " + why);
    }

    /**
     * How one value of a column that cannot be traced is shown: masked by the strictest applicable mask
     * whose tags select what a detector recognises in it, or {@code null} when no detector recognises it. A value that
     * holds a recognised value inside other text (a JSON document, a row, a sentence) is redacted: a mask function made
     * for the value alone would show the rest of the text, or keep part of the value.
     */
    public ColumnMask maskForValue(Identity identity, Object value) {
        String text = DetectableText.of(value);
        if (text == null) {
            return null;
        }
        ColumnMask best = null;
        for (Detector detector : valueDetectors) {
            DetectableText.Recognised found = DetectableText.recognise(detector, text);
            if (found == DetectableText.Recognised.NONE) {
                continue;
            }
            for (ConfiguredMask m : masks) {
                if (!m.mask().appliesTo(identity) || !selects(m.mask(), detector.tag())) {
                    continue;
                }
                ColumnMask candidate = found == DetectableText.Recognised.WHOLE
                        ? new ColumnMask(m.mask(), m.mask().function(), m.function(),
                                "a value is one of the " + detector.valueDescription() + " (tag " + detector.tag() + ")")
                        : new ColumnMask(m.mask(), "redact", redaction, "a value holds one of the "
                                + detector.valueDescription() + " (tag " + detector.tag() + ") inside other text, so it is redacted");
                if (best == null || MaskStrictness.of(candidate.function()) > MaskStrictness.of(best.function())) {
                    best = candidate;
                }
            }
        }
        return best;
    }

    /** The sampler auto-detection shows a base column's values to; settled from the start without auto-detection. */
    public ValueSampler sampler(QualifiedColumn column, Dialect dialect) {
        return classifier(dialect).sampler(column);
    }

    /** Why the column carries its tags: each tag with its reason. */
    public List<Classification> explain(QualifiedColumn column, Dialect dialect) {
        return classifier(dialect).classify(column);
    }

    /**
     * Whether the first of the column's tags that selects {@code mask} was earned by values holding the tag's kind of
     * value inside other text ({@link ClassificationSource#VALUE_INSIDE}), and no pattern of the mask names the column.
     */
    private static boolean coveredInside(Mask mask, List<Classification> tags) {
        for (Classification c : tags) {
            if (selects(mask, c.tag())) {
                return c.source() == ClassificationSource.VALUE_INSIDE;
            }
        }
        return false;
    }

    private static String coverage(Mask mask, QualifiedColumn column, List<Classification> tags, Dialect dialect) {
        for (Classification c : tags) {
            if (selects(mask, c.tag())) {
                return column + " is tagged " + c.tag() + " (" + c.reason() + ")";
            }
        }
        for (ColumnPattern pattern : mask.columns()) {
            if (pattern.certainlyMatches(column.schema(), column.table(), column.column(), dialect)) {
                return column + " matches the mask's pattern " + pattern;
            }
            if (pattern.couldMatch(column.schema(), column.table(), column.column(), dialect)) {
                return column + " may match the mask's pattern " + pattern + " (its " + (column.table() == null ? "table" : "schema")
                        + " is not known)";
            }
        }
        return null;
    }

    private static boolean selects(Mask mask, String tag) {
        for (String selector : mask.tags()) {
            if (Tags.covers(selector, tag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The stricter of two masks ({@link MaskStrictness}) of a column that may hold the values of both; either may be
     * {@code null}. Two masks of equal strictness that are the same mask with the same function give the first. Two
     * different masks of equal strictness that keep part of a value (an e-mail's first letter and domain, an SSN's last
     * four digits) keep different parts: one applied to the other's values would show what the other hides (an e-mail
     * through a partial mask shows its length and last characters), so the column is redacted.
     */
    public ColumnMask stricter(ColumnMask a, ColumnMask b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        int strictnessOfA = MaskStrictness.of(a.function());
        int strictnessOfB = MaskStrictness.of(b.function());
        if (strictnessOfB != strictnessOfA) {
            return strictnessOfB > strictnessOfA ? b : a;
        }
        if (a.maskId().equals(b.maskId()) && a.function().equals(b.function())) {
            return a;
        }
        // named after the stricter of the masks as the policy configures them (a computed e-mail is redacted, yet its
        // mask is not the policy's redaction of secrets)
        ColumnMask named = MaskStrictness.of(b.mask().function()) > MaskStrictness.of(a.mask().function()) ? b : a;
        if (strictnessOfA >= MaskStrictness.HIDES_ALL) {
            return named;
        }
        ColumnMask other = named == a ? b : a;
        return redacted(named, "the column may also hold values mask " + other.describe() + " covers, and the two masks "
                + "keep different parts of a value");
    }

    /** A column of a table as the classifier names it; an unqualified table is in the default schema. */
    public static QualifiedColumn qualified(TableRef table, String column, String defaultSchema) {
        return new QualifiedColumn(table.schema() != null ? table.schema() : defaultSchema, table.name(), column);
    }


    /** Tables as a message names them: sorted, so that the same statement is always told the same way. */
    private static List<String> named(java.util.Set<TableRef> tables) {
        return tables.stream().map(Object::toString).sorted().toList();
    }
}
