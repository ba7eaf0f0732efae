package io.governed.jdbc.masking;

import io.governed.classification.QualifiedColumn;
import io.governed.classification.ValueSampler;
import io.governed.identity.Identity;
import io.governed.policy.masking.ColumnMask;
import io.governed.policy.masking.MaskPlan;
import io.governed.policy.masking.MaskPlanner;
import io.governed.policy.masking.PlannedColumn;
import io.governed.policy.masking.PlannedColumn.Resolution;
import io.governed.sql.Dialect;
import io.governed.sql.ResultColumn;
import io.governed.sql.SourceColumn;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;
import io.governed.sql.Trait;
import io.governed.sql.names.NameResolver;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which columns of one result set are masked, by index: the statement's {@link MaskPlan} laid over the
 * result's actual columns. Columns the plan traced take its decision; the columns of a {@code *}, of a
 * view, of unknown lineage, and every column of a result the analysis cannot match to one query, are
 * decided from the driver's metadata, falling back to redaction when it names no base column.
 *
 * <p>Belongs to one result set and its reading thread; a column's mask may be decided again once
 * auto-detection has sampled enough of its values.
 */
public final class ResultMasks {
    private final ColumnMask[] masks;
    private final boolean[] detectValues;
    private final String[] labels;
    private final QualifiedColumn[] sampledAs;
    private final boolean[] maskedSome;
    private final Dialect dialect;

    private ResultMasks(ColumnMask[] masks, boolean[] detectValues, String[] labels, QualifiedColumn[] sampledAs, Dialect dialect) {
        this.masks = masks;
        this.detectValues = detectValues;
        this.labels = labels;
        this.sampledAs = sampledAs;
        this.maskedSome = new boolean[masks.length];
        this.dialect = dialect;
    }

    /** How many columns the result has. */
    public int columnCount() {
        return masks.length - 1;
    }

    /** The mask of column {@code index} (1-based), or {@code null} when it is clear or only its values are checked. */
    public ColumnMask mask(int index) {
        return masks[index];
    }

    /** Whether each value of column {@code index} that no mask covers is checked by the detectors. */
    public boolean detectsValues(int index) {
        return detectValues[index];
    }

    /** The base column whose auto-detection sampler sees column {@code index}'s values, or {@code null}. */
    public QualifiedColumn sampledAs(int index) {
        return sampledAs[index];
    }

    /** Column {@code index}'s label. */
    public String label(int index) {
        return labels[index];
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Decides column {@code index}'s mask again (after sampling): it no longer samples. */
    void decideAgain(int index, ColumnMask mask) {
        masks[index] = mask;
        sampledAs[index] = null;
    }

    /** Notes that some value of column {@code index} was masked. */
    void maskedOne(int index) {
        maskedSome[index] = true;
    }

    /**
     * The labels of the columns that are masked, or some of whose values were, in order: an unmodifiable list, made
     * without a list to copy it from (asked as each masked result ends, which the execution keeps as it is).
     */
    public List<String> maskedLabels() {
        int count = 0;
        int first = 0;
        int second = 0;
        for (int i = 1; i < masks.length; i++) {
            if (masks[i] != null || maskedSome[i]) {
                if (count == 0) {
                    first = i;
                } else if (count == 1) {
                    second = i;
                }
                count++;
            }
        }
        if (count <= 2) {
            return count == 0 ? List.of() : count == 1 ? List.of(labels[first]) : List.of(labels[first], labels[second]);
        }
        List<String> out = new ArrayList<>(count);
        for (int i = 1; i < masks.length; i++) {
            if (masks[i] != null || maskedSome[i]) {
                out.add(labels[i]);
            }
        }
        return List.copyOf(out);
    }

    /**
     * The masks of one result for two identities at once (the one it was read for and the one reading it now), or
     * {@code null} when both are: each column's stricter mask; a column neither masks has its values checked and
     * sampled when either identity's masks do. Both must be of the same result.
     */
    public static ResultMasks stricter(ResultMasks a, ResultMasks b, MaskPlanner planner) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        if (a.masks.length != b.masks.length) {
            throw new IllegalArgumentException("masks of results with " + a.columnCount() + " and " + b.columnCount()
                    + " columns");
        }
        int n = a.masks.length;
        ColumnMask[] masks = new ColumnMask[n];
        boolean[] detect = new boolean[n];
        QualifiedColumn[] sampled = new QualifiedColumn[n];
        for (int i = 1; i < n; i++) {
            masks[i] = planner.stricter(a.masks[i], b.masks[i]);
            detect[i] = masks[i] == null && (a.detectValues[i] || b.detectValues[i]);
            // a traced column still sampled is checked by its sampler, not by detectValues: it stays sampled
            sampled[i] = masks[i] != null ? null : a.sampledAs[i] != null ? a.sampledAs[i] : b.sampledAs[i];
        }
        return new ResultMasks(masks, detect, a.labels.clone(), sampled, a.dialect);
    }

    /** Whether a clear column of {@code plan} has its values from a column auto-detection is still sampling. */
    private static boolean stillSampled(MaskPlan plan, MaskPlanner planner, String defaultSchema, Dialect dialect) {
        for (PlannedColumn c : plan.columns()) {
            if (c.mask() == null && stillSampled(c.column(), planner, defaultSchema, dialect)) {
                return true;
            }
        }
        return false;
    }

    /** Whether auto-detection is still sampling a column {@code column}'s values come from. */
    private static boolean stillSampled(ResultColumn column, MaskPlanner planner, String defaultSchema,
                                        Dialect dialect) {
        if (!planner.detectsValues()) {
            return false;
        }
        for (SourceColumn source : column.sources()) {
            if (!planner.sampler(MaskPlanner.qualified(source.table(), source.column(), defaultSchema), dialect).isSettled()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The masks of a result, or {@code null} when nothing in it can be masked for this caller (the
     * common case, which then costs nothing per value).
     *
     * @param analysis the analysis of the statement that produced the result, or {@code null}
     */
    public static ResultMasks resolve(MaskPlanner planner, Identity identity, SqlAnalysis analysis, String defaultSchema,
                                      Dialect dialect, MetadataSource metadata) throws SQLException {
        return resolve(planner, identity, analysis, defaultSchema, dialect, metadata, (schema, table) -> null);
    }

    /**
     * The masks of a result, as {@link #resolve(MaskPlanner, Identity, SqlAnalysis, String, Dialect, MetadataSource)},
     * with the tables' columns known from the database: a whole row of a table none of whose columns is
     * masked for the caller ({@code SELECT o FROM orders o}, {@code row_to_json(o)}) is then shown in clear
     * (its values still checked by the value detectors).
     */
    public static ResultMasks resolve(MaskPlanner planner, Identity identity, SqlAnalysis analysis, String defaultSchema,
                                      Dialect dialect, MetadataSource metadata, TableColumns tableColumns) throws SQLException {
        return resolve(planner, identity, analysis, defaultSchema, dialect, metadata, tableColumns, NameResolver.unknown());
    }

    /**
     * The masks of a result, as {@link #resolve(MaskPlanner, Identity, SqlAnalysis, String, Dialect, MetadataSource, TableColumns)},
     * a column of a view traced through the view's definition as {@code session} gives it.
     */
    public static ResultMasks resolve(MaskPlanner planner, Identity identity, SqlAnalysis analysis, String defaultSchema,
                                      Dialect dialect, MetadataSource metadata, TableColumns tableColumns,
                                      NameResolver session) throws SQLException {
        return resolve(planner, identity, analysis, defaultSchema, dialect, metadata, tableColumns, session, ColumnValues.NONE);
    }

    /**
     * The masks of a result, as {@link #resolve(MaskPlanner, Identity, SqlAnalysis, String, Dialect, MetadataSource,
     * TableColumns, NameResolver)}, a column auto-detection still samples that a result column computes its values from
     * classified first from the values {@code values} reads of it: a value computed from a column (its address with
     * the {@code @} spelled out, its local part, reversed) is no value a detector can be trusted to recognise, so it is
     * handed out only from a column known to hold none, and redacted while that cannot be known.
     */
    public static ResultMasks resolve(MaskPlanner planner, Identity identity, SqlAnalysis analysis, String defaultSchema,
                                      Dialect dialect, MetadataSource metadata, TableColumns tableColumns,
                                      NameResolver session, ColumnValues values) throws SQLException {
        if (planner == null || identity == null || !planner.masksAnythingFor(identity)) {
            return null;
        }
        StatementAnalysis query = queryOf(analysis);
        MaskPlan plan = query == null ? null : planner.plan(identity, query, defaultSchema, dialect, session);
        Map<ResultColumn, String> unproven = Map.of();
        if (plan != null && planner.detectsValues()) {
            Settling settling = settleComputedSources(plan, planner, defaultSchema, dialect, values, tableColumns);
            if (settling.settledAny()) {
                // tags the column earned now decide the plan: a computed value of a column found to hold addresses is masked
                plan = planner.plan(identity, query, defaultSchema, dialect, session);
            }
            unproven = settling.unproven();
        }
        if (plan != null && !plan.needsResults() && !stillSampled(plan, planner, defaultSchema, dialect)) {
            return null;
        }
        // a query that chooses its rows by their values (a WHERE, a join, an ORDER BY with a LIMIT, …) reads no sample
        // of a column: WHERE note NOT LIKE '%@%' would settle a half-address column as holding none, for everyone after
        boolean chosen = choosesRows(query);
        ResultSetMetaData md = metadata.get();
        int n = md.getColumnCount();
        ColumnMask[] masks = new ColumnMask[n + 1];
        boolean[] detect = new boolean[n + 1];
        String[] labels = new String[n + 1];
        QualifiedColumn[] sampled = new QualifiedColumn[n + 1];
        PlannedColumn[] byIndex = plan == null ? new PlannedColumn[n + 1] : lay(plan.columns(), n, planner);
        boolean any = false;
        StarTables stars = new StarTables(planner, identity, dialect, tableColumns, session);
        for (int i = 1; i <= n; i++) {
            PlannedColumn planned = byIndex[i];
            labels[i] = provenName(md, i, planned, defaultSchema, dialect);
            if (planned != null && planned.resolution() == Resolution.TRACED) {
                masks[i] = planned.mask() != null ? planned.mask()
                        : computedFromUnproven(planned.column(), unproven, planner, identity, defaultSchema);
                // a value computed from a column is no sample of the column's values (the first letters of an e-mail
                // address are no e-mail address): twenty of them would settle the column as holding none, for every later
                // read. The column's sampler sees only its own values; a column computed from columns still sampled, or
                // taking values from several, has its values checked one by one until they are settled
                sampled[i] = planned.column().transformed() || chosen ? null : planned.sampledAs();
                detect[i] = masks[i] == null && sampled[i] == null && stillSampled(planned.column(), planner, defaultSchema, dialect);
            } else {
                QualifiedColumn base = BaseColumns.of(md, i, defaultSchema, dialect);
                if (base != null && planned != null && planned.resolution() == Resolution.EXPANDS
                        && (!namesASourceOf(base, planned.column()) || renamedWholeTable(planned.column()))) {
                    // the driver names a derived table or CTE the analysis saw through: any of its columns' values may be
                    // here, whatever the column is called, so a masked lineage is redacted
                    String why = "result column '" + labels[i] + "' comes from " + base.table()
                            + ", and the analysis cannot tell which of its columns' values it holds";
                    // a * over whole tables (SELECT * FROM (SELECT * FROM t) x) has no source column of its own to carry
                    // a mask: any column of those tables may be here, so a mask on one of them redacts it
                    masks[i] = planned.mask() != null ? planner.redacted(planned.mask(), why)
                            : planned.column().unknownLineage()
                              || !stars.noneMasked(planned.column().allColumnsOf())
                            ? planner.redactionFor(identity, why)
                            : computedFromUnproven(planned.column(), unproven, planner, identity, defaultSchema);
                    detect[i] = masks[i] == null && planner.detectsValues();
                } else if (base != null) {
                    // the driver names its base column: that column's own mask decides, values are checked
                    masks[i] = planner.maskForColumn(identity, base, dialect, session);
                    if (base.schema() == null && planned != null) {
                        // the driver names no schema (MariaDB, for a view's column): the tables of that name the query reads
                        for (TableRef table : tablesOf(planned.column())) {
                            if (table.schema() != null && table.name().equalsIgnoreCase(base.table())) {
                                masks[i] = planner.stricter(masks[i], planner.maskForColumn(identity,
                                        new QualifiedColumn(table.schema(), base.table(), base.column()), dialect, session));
                            }
                        }
                    }
                    detect[i] = masks[i] == null && planner.detectsValues();
                    sampled[i] = detect[i] && !chosen && !planner.sampler(base, dialect).isSettled() ? base : null;
                } else if (planned != null && planned.resolution() == Resolution.EXPANDS && planned.mask() == null
                        && !planned.column().unknownLineage()
                        && (planned.column().allColumnsOf().isEmpty()
                            || stars.noneMasked(planned.column().allColumnsOf()))) {
                    // a * over columns the analysis traced, none of them masked (a VALUES list, a set-returning
                    // function over literals, a derived table of clear columns): whatever it expands to is clear
                    masks[i] = computedFromUnproven(planned.column(), unproven, planner, identity, defaultSchema);
                    detect[i] = masks[i] == null && planner.detectsValues();
                } else {
                    masks[i] = planned != null && planned.mask() != null ? planned.mask()
                            : planner.redactionFor(identity, "the driver names no base column for result column '" + labels[i]
                            + "' and the analysis could not trace it");
                }
            }
            any |= masks[i] != null || detect[i] || sampled[i] != null;
        }
        return any ? new ResultMasks(masks, detect, labels, sampled, dialect) : null;
    }

    /**
     * Column {@code index}'s label where it is proven a name, else its place ({@code #3}): the label the analysis gave it
     * (an alias written in the statement, a column's or a function's name) or the name of the base column the driver
     * names. A driver labels an unnamed expression with its text (MariaDB Connector/J with the bound values written in,
     * H2 with its literals), which must reach no audit event, log line or message.
     */
    static String provenName(ResultSetMetaData md, int index, PlannedColumn planned, String defaultSchema, Dialect dialect)
            throws SQLException {
        String label = md.getColumnLabel(index);
        if (label != null && !label.isEmpty()) {
            if (planned != null && label.equalsIgnoreCase(planned.column().label())) {
                return label;
            }
            QualifiedColumn base = BaseColumns.of(md, index, defaultSchema, dialect);
            if (base != null && label.equalsIgnoreCase(base.column())) {
                return label;
            }
        }
        return "#" + index;
    }

    /**
     * The columns auto-detection still samples that a clear column of {@code plan} computes its values from (each column
     * of a table it reads whole, {@code row_to_json(o)}, as the catalog lists them), each classified from the values
     * {@code values} reads of it (the first of the table's rows, as the database reads them: no query of the caller
     * chooses them). A column whose values cannot be read stays unproven, and so does one with fewer values than a sample
     * that holds a value a detector recognises (a table of three addresses); one with fewer values, none recognised, is
     * not settled (later rows may be addresses) but clear for this result, whose values are then checked one by one.
     *
     * @return whether a column settled, and why each result column computing values from one left unproven may not be
     *         handed out
     */
    private static Settling settleComputedSources(MaskPlan plan, MaskPlanner planner, String defaultSchema, Dialect dialect,
                                                  ColumnValues values, TableColumns tableColumns) throws SQLException {
        boolean settledAny = false;
        Map<ResultColumn, String> unproven = null;
        Map<QualifiedColumn, ValueSampler.Read> read = null;
        for (PlannedColumn c : plan.columns()) {
            if (c.mask() != null || !c.column().transformed() || c.column().aggregateOnly()) {
                continue;
            }
            String why = null;
            for (QualifiedColumn base : computedFrom(c.column(), defaultSchema, tableColumns)) {
                if (base.column().equals("*")) {
                    why = "auto-detection has not classified the columns of " + (base.schema() == null ? ""
                            : base.schema() + ".") + base.table() + ", which it reads whole, and the database's catalog"
                            + " does not list them";
                    continue;
                }
                if (planner.sampler(base, dialect).isSettled()) {
                    continue;
                }
                if (read == null) {
                    read = new java.util.HashMap<>();
                }
                ValueSampler.Read found = read.get(base);
                if (found == null) {
                    found = ColumnReads.classify(planner, dialect, base, values, tableColumns);
                    read.put(base, found);
                    settledAny |= found == ValueSampler.Read.SETTLED;
                }
                String unsettled = ColumnReads.unproven(base, found);
                why = why != null ? why : unsettled;
            }
            if (why != null) {
                if (unproven == null) {
                    unproven = new java.util.HashMap<>();
                }
                unproven.put(c.column(), why);
            }
        }
        return new Settling(settledAny, unproven == null ? Map.of() : unproven);
    }

    /**
     * The base columns a result column computes its values from: its sources, and for a table it reads whole (a row, {@code
     * to_jsonb(o)}), each of the table's columns as the catalog lists them instead of the row's own name ({@code *} of
     * the table when the catalog does not list them).
     */
    private static List<QualifiedColumn> computedFrom(ResultColumn column, String defaultSchema, TableColumns tableColumns)
            throws SQLException {
        List<QualifiedColumn> out = new ArrayList<>();
        List<TableRef> whole = column.allColumnsOf();
        for (TableRef table : whole) {
            List<QualifiedColumn> listed = tableColumns.of(table.schema() != null ? table.schema() : defaultSchema, table.name());
            if (listed == null) {
                out.add(new QualifiedColumn(table.schema(), table.name(), "*"));
            } else {
                // as the planner names a column of the table: the resolved table's own schema, or none
                listed.forEach(c -> out.add(MaskPlanner.qualified(table, c.column(), defaultSchema)));
            }
        }
        for (SourceColumn source : column.sources()) {
            if (whole.contains(source.table())) {
                continue; // the row's own name ({@code o} of row_to_json(o)): its columns are above
            }
            out.add(MaskPlanner.qualified(source.table(), source.column(), defaultSchema));
        }
        return out;
    }

    /** What reading the columns computed values come from settled, and why each result column left unproven may not be handed out. */
    private record Settling(boolean settledAny, Map<ResultColumn, String> unproven) {
    }

    /**
     * The redaction of a clear result column whose values are computed from a column not known to hold no recognised
     * value ({@link #settleComputedSources}), or {@code null} when it computes none from one.
     */
    private static ColumnMask computedFromUnproven(ResultColumn column, Map<ResultColumn, String> unproven,
                                                   MaskPlanner planner, Identity identity, String defaultSchema) {
        String why = unproven.isEmpty() ? null : unproven.get(column);
        return why == null ? null : planner.redactionFor(identity, "it computes its values from a column that may hold"
                + " sensitive values: " + why);
    }

    /**
     * Whether the driver's base column belongs to a table the planned column reads: then the driver's
     * column name can be trusted. H2 names a derived table's alias and the alias of its column instead,
     * which says nothing about the data (a {@code ssn AS id} would pass for an id).
     */
    private static boolean namesASourceOf(QualifiedColumn base, ResultColumn column) {
        for (TableRef table : column.allColumnsOf()) {
            if (table.name().equalsIgnoreCase(base.table())) {
                return true;
            }
        }
        for (SourceColumn source : column.sources()) {
            if (source.table().name().equalsIgnoreCase(base.table())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code column} takes values from whole tables it does not copy column by column: a table given new column
     * names in FROM ({@code people AS p(a, b, c)}), whose columns the analysis marks as computed. H2's metadata then names
     * the base table with the new name as the column ({@code PEOPLE.C} for {@code PEOPLE.SSN}, {@code PEOPLE.NAME} for it
     * under {@code p(id, ssn, name)}), so the driver's base column cannot say whose values the result column holds.
     */
    private static boolean renamedWholeTable(ResultColumn column) {
        return column.transformed() && !column.allColumnsOf().isEmpty();
    }

    /** The one query of the text whose results these are; {@code null} when there is none or several. */
    /**
     * Whether a result of {@code analysis} can be traced column by column: it has exactly one
     * statement with a select or RETURNING list.
     */
    public static boolean traceable(SqlAnalysis analysis) {
        return queryOf(analysis) != null;
    }

    /**
     * Whether the query may choose which rows it reads by their values: any column it names outside its select list (a
     * WHERE, a join's condition, GROUP BY, HAVING, ORDER BY, a window), a condition, join, OFFSET or TABLESAMPLE that
     * chooses rows without naming one ({@link Trait#CHOOSES_ROWS}), or a query the analysis could not read. Its
     * values are then checked one by one, not counted as a sample of their columns.
     */
    private static boolean choosesRows(StatementAnalysis query) {
        if (query == null || query.has(Trait.CHOOSES_ROWS)) {
            return true;
        }
        for (io.governed.sql.ColumnRef ref : query.columns()) {
            if (ref.clause() != io.governed.sql.Clause.SELECT) {
                return true;
            }
        }
        return false;
    }

    private static StatementAnalysis queryOf(SqlAnalysis analysis) {
        if (analysis == null || !analysis.parsed()) {
            return null;
        }
        StatementAnalysis found = null;
        for (StatementAnalysis s : analysis.statements()) {
            if (!s.resultColumns().isEmpty() && !s.has(Trait.NESTED)) {
                if (found != null) {
                    return null;
                }
                found = s;
            }
        }
        return found;
    }

    /**
     * The plan's entries by result index. Entries before the first {@code *} and after the last one take
     * their positions from either end; the columns between take their star's entry, or, between several
     * stars, one entry combining everything between them. When the widths cannot agree, every column is
     * left to the metadata alone.
     */
    private static PlannedColumn[] lay(List<PlannedColumn> plan, int n, MaskPlanner planner) {
        PlannedColumn[] out = new PlannedColumn[n + 1];
        int first = -1;
        int last = -1;
        for (int p = 0; p < plan.size(); p++) {
            if (plan.get(p).resolution() == Resolution.EXPANDS) {
                first = first < 0 ? p : first;
                last = p;
            }
        }
        if (first < 0) {
            if (plan.size() == n) {
                for (int i = 1; i <= n; i++) {
                    out[i] = plan.get(i - 1);
                }
            }
            return out;
        }
        int tail = plan.size() - 1 - last;
        if (first + tail > n) {
            return out;
        }
        for (int i = 1; i <= first; i++) {
            out[i] = plan.get(i - 1);
        }
        for (int t = 0; t < tail; t++) {
            out[n - t] = plan.get(plan.size() - 1 - t);
        }
        PlannedColumn middle = first == last ? plan.get(first) : combined(plan.subList(first, last + 1), planner);
        for (int i = first + 1; i <= n - tail; i++) {
            out[i] = middle;
        }
        return out;
    }

    /**
     * The entries between the first and the last {@code *} as one: a column there may come from any of
     * them, so it carries all their lineage and the strictest of their masks.
     */
    private static PlannedColumn combined(List<PlannedColumn> entries, MaskPlanner planner) {
        List<SourceColumn> sources = new ArrayList<>();
        List<TableRef> tables = new ArrayList<>();
        boolean unknown = false;
        boolean transformed = false;
        ColumnMask mask = null;
        for (PlannedColumn entry : entries) {
            ResultColumn c = entry.column();
            sources.addAll(c.sources());
            tables.addAll(c.allColumnsOf());
            unknown |= c.unknownLineage();
            transformed |= c.transformed();
            mask = planner.stricter(mask, entry.mask());
        }
        ResultColumn column = new ResultColumn(entries.get(0).column().position(), "*", sources, tables, unknown, false, transformed);
        return new PlannedColumn(column, mask, Resolution.EXPANDS);
    }

    /** The tables a result column reads: those its {@code *} covers and those of its sources. */
    private static List<TableRef> tablesOf(ResultColumn column) {
        List<TableRef> tables = new ArrayList<>(column.allColumnsOf());
        column.sources().forEach(source -> tables.add(source.table()));
        return tables;
    }

    /**
     * {@link #noneMasked} of the tables a {@code *} covers, worked out once per {@code *}: every column it expands to
     * covers the same tables, and the answer asks the catalog and the planner about each of their columns.
     */
    private static final class StarTables {
        private final MaskPlanner planner;
        private final Identity identity;
        private final Dialect dialect;
        private final TableColumns tableColumns;
        private final NameResolver session;
        private List<TableRef> last;
        private boolean lastNoneMasked;

        StarTables(MaskPlanner planner, Identity identity, Dialect dialect, TableColumns tableColumns, NameResolver session) {
            this.planner = planner;
            this.identity = identity;
            this.dialect = dialect;
            this.tableColumns = tableColumns;
            this.session = session;
        }

        boolean noneMasked(List<TableRef> tables) throws SQLException {
            if (!tables.equals(last)) {
                lastNoneMasked = ResultMasks.noneMasked(tables, planner, identity, dialect, tableColumns, session);
                last = tables;
            }
            return lastNoneMasked;
        }
    }

    /**
     * Whether the database lists the columns of every one of {@code tables} and none of them is masked
     * for {@code identity}; a table whose columns it does not list counts as masked.
     */
    private static boolean noneMasked(List<TableRef> tables, MaskPlanner planner, Identity identity, Dialect dialect,
                                      TableColumns tableColumns, NameResolver session) throws SQLException {
        for (TableRef table : tables) {
            List<QualifiedColumn> columns = tableColumns.of(table.schema(), table.name());
            if (columns == null || columns.isEmpty()) {
                return false;
            }
            for (QualifiedColumn column : columns) {
                if (planner.maskForResolvedColumn(identity, column, dialect, session) != null) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The columns of a table as the database lists them, or {@code null} when it cannot tell. */
    @FunctionalInterface
    public interface TableColumns {
        List<QualifiedColumn> of(String schema, String table) throws SQLException;
    }

    /** Reads the values a base column holds, for auto-detection to classify it before values computed from it are handed out. */
    @FunctionalInterface
    public interface ColumnValues {
        /** Reads no column: values computed from a column auto-detection still samples are redacted. */
        ColumnValues NONE = (column, rows) -> null;

        /**
         * What {@link #read} gives when the connection can read nothing now (a transaction that failed and waits for its
         * rollback): the column is as unreadable as by {@code null}, but nothing is learnt of it to remember.
         */
        List<Object> NOT_NOW = java.util.Collections.unmodifiableList(new ArrayList<>());

        /**
         * Up to {@code rows} non-null values of {@code column}, the first of its table's rows as the database reads them,
         * or {@code null} when they cannot be read (the caller may not read the table itself, say), or {@link #NOT_NOW}.
         */
        List<Object> read(QualifiedColumn column, int rows);
    }

    /** Where the result's metadata comes from, asked only when the plan needs it. */
    @FunctionalInterface
    public interface MetadataSource {
        ResultSetMetaData get() throws SQLException;
    }
}
