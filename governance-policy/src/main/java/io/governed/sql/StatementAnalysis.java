package io.governed.sql;

import io.governed.util.OrderedSet;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one statement does. A data-modifying statement nested in another (a {@code DELETE} in a
 * CTE, say) is analysed as a statement of its own, with {@link Trait#NESTED}.
 *
 * <p>Its sets of tables and routines iterate in the order the analysis met them (so a refusal that names them lists
 * them alike in every run), and compare as sets.
 *
 * @param action        the statement's kind
 * @param tablesRead    tables whose rows it reads (FROM, JOIN, subqueries, CTE bodies, USING)
 * @param tablesWritten tables it changes: INSERT/UPDATE/DELETE/MERGE targets and DDL objects; for a statement of
 *                      another kind, the tables its action is on (a LOCK's, a VACUUM's, a DESCRIBE's, an EXPLAIN's,
 *                      a COPY's): a statement that names tables never does its action on no table, which every
 *                      rule's resources would cover
 * @param columns       every column reference, aliases resolved where the analysis can
 * @param where         for UPDATE and DELETE, what bounds it; {@link WhereKind#NOT_APPLICABLE} otherwise
 * @param resultColumns for a query, its result columns with their lineage; empty otherwise
 * @param traits        further properties (CASCADE, dynamic SQL, …)
 * @param copiedColumns for a statement that copies a query's rows into a table ({@code INSERT … SELECT},
 *                      {@code CREATE TABLE … AS SELECT}, {@code SELECT … INTO}), the copied columns with
 *                      their lineage; empty otherwise
 * @param routines      routines it calls that are not on its dialect's list of {@link BuiltInRoutines}
 *                      (user code, or a built-in with effects): each is a {@code call} on that routine
 * @param sessionValues the clauses in which it reads a value the session keeps between statements and whose origin
 *                      the analysis cannot trace: a user variable ({@code @v}), which any earlier statement on the
 *                      same physical connection may have set, a pooled connection's earlier borrower's included
 *                      ({@code SELECT @v := ssn …}). An assignment's own value ({@code @a := @b + 1},
 *                      {@code SET @a = @b}) does not count: it only moves the value to another variable
 * @param boundIf       for an UPDATE or DELETE whose condition is proven to bound its rows only if unqualified names
 *                      inside its subqueries are the subqueries' own ({@link BareColumn}): the sets of such names, any one
 *                      of which, each found by the catalog in one of its tables, bounds it. Its {@link #where} is then
 *                      {@link WhereKind#ALWAYS_TRUE} until the names are resolved against the database
 *                      ({@link io.governed.sql.names.AnalysisResolution} makes it {@link WhereKind#PRESENT} then, and keeps
 *                      here only the names it could not find); empty otherwise
 * @param code          for a {@code DO} statement, the code it runs at once ({@link CodeBlock#UNREAD} when its body cannot
 *                      be read); {@code null} for every other statement. A statement defining code that runs dynamic
 *                      SQL without a code block read counts as running code that may do anything
 * @param boundThrough  for an UPDATE or DELETE whose condition is proven to bound its rows only if what it compares the
 *                      written rows with is not read from the written table under another name (a subquery's relations,
 *                      a joined relation's columns, a routine's result: a view of the written table, a CTE over it, a
 *                      partition or parent of it, a routine reading it would hold every row's values): why that is not
 *                      proven, {@link #UNRESOLVED_RELATIONS} until the catalog is asked
 *                      ({@link io.governed.sql.names.AnalysisResolution}, which makes it {@link WhereKind#PRESENT} once
 *                      every relation the statement reads is shown a distinct table or a view over such tables only, and
 *                      it calls no routine but built-ins); {@code null} when the bound rests on no such thing. Its
 *                      {@link #where} is then {@link WhereKind#ALWAYS_TRUE}
 */
public record StatementAnalysis(Action action, Set<TableRef> tablesRead, Set<TableRef> tablesWritten,
                                List<ColumnRef> columns, WhereKind where, List<ResultColumn> resultColumns,
                                Set<Trait> traits, List<ResultColumn> copiedColumns, Set<TableRef> routines,
                                Set<Clause> sessionValues, List<List<BareColumn>> boundIf, CodeBlock code,
                                String boundThrough) {

    /** {@link #boundThrough} before the relations it rests on are looked up. */
    public static final String UNRESOLVED_RELATIONS = "its condition compares the written rows with values read from"
            + " other relations (a subquery's, a joined one's) or returned by routines, which were not looked up in the"
            + " database's catalog, so they may be the written table under another name (a view of it, a CTE over it, a"
            + " partition or parent of it)";

    public StatementAnalysis {
        Objects.requireNonNull(action, "action");
        tablesRead = OrderedSet.copyOf(tablesRead, "a table read");
        tablesWritten = OrderedSet.copyOf(tablesWritten, "a table written");
        columns = List.copyOf(columns);
        Objects.requireNonNull(where, "where");
        resultColumns = List.copyOf(resultColumns);
        traits = TraitSet.copyOf(traits); // one bit per trait: has() tests a bit
        copiedColumns = List.copyOf(copiedColumns);
        routines = OrderedSet.copyOf(routines, "a routine");
        sessionValues = sessionValues.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(sessionValues));
        boundIf = boundIf.stream().map(List::copyOf).toList();
        if (!boundIf.isEmpty() && where != WhereKind.ALWAYS_TRUE) {
            throw new IllegalArgumentException("a bound resting on unqualified names is ALWAYS_TRUE until they are found");
        }
        if (boundThrough != null && where != WhereKind.ALWAYS_TRUE) {
            throw new IllegalArgumentException("a bound resting on other relations is ALWAYS_TRUE until they are proven");
        }
    }

    /** A statement whose bound rests on no relation but the written table ({@link #boundThrough}). */
    public StatementAnalysis(Action action, Set<TableRef> tablesRead, Set<TableRef> tablesWritten,
                             List<ColumnRef> columns, WhereKind where, List<ResultColumn> resultColumns,
                             Set<Trait> traits, List<ResultColumn> copiedColumns, Set<TableRef> routines,
                             Set<Clause> sessionValues, List<List<BareColumn>> boundIf, CodeBlock code) {
        this(action, tablesRead, tablesWritten, columns, where, resultColumns, traits, copiedColumns, routines,
                sessionValues, boundIf, code, null);
    }

    /** A statement that runs no code block ({@code DO}). */
    public StatementAnalysis(Action action, Set<TableRef> tablesRead, Set<TableRef> tablesWritten,
                             List<ColumnRef> columns, WhereKind where, List<ResultColumn> resultColumns,
                             Set<Trait> traits, List<ResultColumn> copiedColumns, Set<TableRef> routines,
                             Set<Clause> sessionValues, List<List<BareColumn>> boundIf) {
        this(action, tablesRead, tablesWritten, columns, where, resultColumns, traits, copiedColumns, routines,
                sessionValues, boundIf, null);
    }

    /** A statement whose bound rests on no unqualified name inside a subquery. */
    public StatementAnalysis(Action action, Set<TableRef> tablesRead, Set<TableRef> tablesWritten,
                             List<ColumnRef> columns, WhereKind where, List<ResultColumn> resultColumns,
                             Set<Trait> traits, List<ResultColumn> copiedColumns, Set<TableRef> routines,
                             Set<Clause> sessionValues) {
        this(action, tablesRead, tablesWritten, columns, where, resultColumns, traits, copiedColumns, routines,
                sessionValues, List.of());
    }

    /** A statement that reads no value the session keeps. */
    public StatementAnalysis(Action action, Set<TableRef> tablesRead, Set<TableRef> tablesWritten,
                             List<ColumnRef> columns, WhereKind where, List<ResultColumn> resultColumns,
                             Set<Trait> traits, List<ResultColumn> copiedColumns, Set<TableRef> routines) {
        this(action, tablesRead, tablesWritten, columns, where, resultColumns, traits, copiedColumns, routines, Set.of());
    }

    /** A statement that calls no routine beyond the built-ins. */
    public StatementAnalysis(Action action, Set<TableRef> tablesRead, Set<TableRef> tablesWritten,
                             List<ColumnRef> columns, WhereKind where, List<ResultColumn> resultColumns, Set<Trait> traits,
                             List<ResultColumn> copiedColumns) {
        this(action, tablesRead, tablesWritten, columns, where, resultColumns, traits, copiedColumns, Set.of());
    }

    /** A statement that copies no query's rows into a table. */
    public StatementAnalysis(Action action, Set<TableRef> tablesRead, Set<TableRef> tablesWritten,
                             List<ColumnRef> columns, WhereKind where, List<ResultColumn> resultColumns, Set<Trait> traits) {
        this(action, tablesRead, tablesWritten, columns, where, resultColumns, traits, List.of());
    }

    /** This analysis with other traits. */
    StatementAnalysis withTraits(Set<Trait> newTraits) {
        return new StatementAnalysis(action, tablesRead, tablesWritten, columns, where, resultColumns, newTraits, copiedColumns,
                routines, sessionValues, boundIf, code, boundThrough);
    }

    /** This analysis reading {@code more} tables too. */
    StatementAnalysis withTablesRead(java.util.Collection<TableRef> more) {
        Set<TableRef> read = new java.util.LinkedHashSet<>(tablesRead);
        read.addAll(more);
        return new StatementAnalysis(action, read, tablesWritten, columns, where, resultColumns, traits, copiedColumns,
                routines, sessionValues, boundIf, code, boundThrough);
    }

    /** This analysis writing {@code more} tables too. */
    StatementAnalysis withTablesWritten(java.util.Collection<TableRef> more) {
        Set<TableRef> written = new java.util.LinkedHashSet<>(tablesWritten);
        written.addAll(more);
        return new StatementAnalysis(action, tablesRead, written, columns, where, resultColumns, traits, copiedColumns,
                routines, sessionValues, boundIf, code, boundThrough);
    }

    /** This analysis with another action and bound, everything else kept. */
    StatementAnalysis with(Action newAction, WhereKind newWhere) {
        return new StatementAnalysis(newAction, tablesRead, tablesWritten, columns, newWhere, resultColumns, traits,
                copiedColumns, routines, sessionValues, newWhere == WhereKind.ALWAYS_TRUE ? boundIf : List.of(), code,
                newWhere == WhereKind.ALWAYS_TRUE ? boundThrough : null);
    }

    /**
     * This analysis with another bound: {@link WhereKind#PRESENT} once the names {@link #boundIf} rests on are found, or
     * {@link WhereKind#ALWAYS_TRUE} with the names that were not.
     */
    public StatementAnalysis withBound(WhereKind newWhere, List<List<BareColumn>> newBoundIf) {
        return withBound(newWhere, newBoundIf, newWhere == WhereKind.ALWAYS_TRUE ? boundThrough : null);
    }

    /**
     * This analysis with another bound: {@link WhereKind#PRESENT} once the names {@link #boundIf} rests on are found and
     * the relations {@link #boundThrough} reads are proven distinct from the written table, or
     * {@link WhereKind#ALWAYS_TRUE} with the names that were not found and why the relations were not proven.
     */
    public StatementAnalysis withBound(WhereKind newWhere, List<List<BareColumn>> newBoundIf, String newBoundThrough) {
        return new StatementAnalysis(action, tablesRead, tablesWritten, columns, newWhere, resultColumns, traits,
                copiedColumns, routines, sessionValues, newBoundIf, code, newBoundThrough);
    }

    /**
     * For a write counted unbounded only because unqualified names inside its subqueries were not found in their tables:
     * why, and how to fix it (names only, no value); {@code null} otherwise.
     */
    public String unprovenBound() {
        if (!where.unbounded()) {
            return null;
        }
        String names = boundIf.isEmpty() ? null : BareColumn.explain(boundIf.get(0));
        String relations = boundThrough == null ? null : boundThrough + ". Bound the write by the written table's own"
                + " columns compared with literals or parameters (id = ?, id IN (?, ?)), or through a subquery or join"
                + " of tables the catalog shows distinct from it (or views over such tables only)";
        if (names == null || relations == null) {
            return names != null ? names : relations;
        }
        return names + "; and " + relations;
    }

    /** Whether the statement has {@code trait}: one bit tested ({@link #traits} is held as a bit set). */
    public boolean has(Trait trait) {
        return ((TraitSet) traits).has(trait);
    }

    /** This analysis running {@code newCode} ({@link #code}). */
    StatementAnalysis withCode(CodeBlock newCode) {
        return new StatementAnalysis(action, tablesRead, tablesWritten, columns, where, resultColumns, traits,
                copiedColumns, routines, sessionValues, boundIf, newCode, boundThrough);
    }

    /**
     * Whether the statement runs code at once that is judged as a call of a routine with that body: a {@code DO}
     * ({@link #code}), or any statement defining code that runs dynamic SQL (whose code, not read, may do anything).
     */
    public boolean runsCode() {
        return code != null || action == Action.DEFINE_CODE && has(Trait.DYNAMIC_SQL);
    }
}
