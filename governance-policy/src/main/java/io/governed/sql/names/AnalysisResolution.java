package io.governed.sql.names;

import io.governed.sql.Action;
import io.governed.sql.BareColumn;
import io.governed.sql.Dialect;
import io.governed.sql.WhereKind;
import io.governed.sql.BuiltInRoutines;
import io.governed.sql.RoutineCatalog;
import io.governed.sql.ColumnRef;
import io.governed.sql.ResultColumn;
import io.governed.sql.SessionEffects;
import io.governed.sql.SourceColumn;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An analysis with its unqualified relation names resolved: each becomes every schema-qualified
 * relation it could be, and stays unqualified too (standing for "some schema no one can name") when
 * the resolution is not certain. Rules, masks, row filters and approvals then see every possibility:
 * a permit must cover each of them, and a forbid or a mask on any one of them applies.
 *
 * <p>An UPDATE or DELETE whose bound rests on unqualified names inside its subqueries being the subqueries' own
 * ({@link StatementAnalysis#boundIf}) becomes {@link WhereKind#PRESENT} only when, for one of its sets of such names,
 * the resolver's catalog ({@link NameResolver#columns}) shows each name a column of one of its tables, under every
 * schema that table's name could resolve to; a name the resolution is not certain of, a relation whose columns are not
 * known, or a catalog that cannot be read proves nothing, and the write stays unbounded with the names not found.
 *
 * <p>An UPDATE or DELETE whose bound rests on what its condition compares the written rows with being read from
 * elsewhere than the written table ({@link StatementAnalysis#boundThrough}: a subquery, a joined relation, a routine's
 * result) becomes {@link WhereKind#PRESENT} only when every relation the statement reads is shown by the catalog to be a
 * table other than the written one and none of its partitions or parents ({@link NameResolver#relationKind},
 * {@link NameResolver#ancestors}, {@link NameResolver#descendants}), or a view whose definition reads only such tables
 * (at any depth up to {@link #MAXIMUM_VIEW_DEPTH}), and the statement calls no routine but built-ins that read no table.
 * A relation whose schema, kind, relatives or definition cannot be told, a view whose definition reads the written table,
 * a foreign table or a routine whose body is not read proves nothing: the write stays unbounded, with the reason.
 *
 * <p>Statements of one text that follow a statement which {@linkplain SessionEffects may change name
 * resolution} are resolved as if nothing were known: the resolver describes the session before the
 * text runs, not after its {@code SET search_path}.
 */
public final class AnalysisResolution {

    private AnalysisResolution() {
    }

    /** {@code analysis} with every unqualified relation and routine name resolved by {@code resolver}. */
    public static SqlAnalysis resolve(SqlAnalysis analysis, NameResolver resolver) {
        return resolve(analysis, resolver, RoutineCatalog.NONE);
    }

    /**
     * {@code analysis} with every unqualified relation name, and every unqualified routine name that is
     * not a built-in (the dialect's {@link BuiltInRoutines} or {@code builtIns}), resolved by
     * {@code resolver}. A built-in stays unqualified, as its built-in check expects: the database finds
     * it in its system schema ({@code pg_catalog} is searched first unless the path says otherwise).
     */
    public static SqlAnalysis resolve(SqlAnalysis analysis, NameResolver resolver, RoutineCatalog builtIns) {
        return resolve(analysis, resolver, builtIns, 0);
    }

    private static SqlAnalysis resolve(SqlAnalysis analysis, NameResolver resolver, RoutineCatalog builtIns, int depth) {
        if (!analysis.parsed() || analysis.statements().isEmpty()) {
            return analysis;
        }
        RoutineCatalog listed = BuiltInRoutines.of(analysis.dialect());
        RoutineCatalog builtIn = r -> r.schema() == null && (listed.isBuiltIn(r) || builtIns.isBuiltIn(r));
        Set<String> names = new LinkedHashSet<>();
        for (StatementAnalysis statement : analysis.statements()) {
            collect(statement, names, builtIn);
        }
        if (names.isEmpty()) {
            // nothing to resolve; a bound resting on names inside subqueries is still the catalog's to prove
            if (analysis.statements().stream().allMatch(s -> s.boundIf().isEmpty() && s.boundThrough() == null)) {
                return analysis;
            }
        } else {
            resolver.prepare(names);
        }
        Expander known = new Expander(resolver, false, builtIn, analysis.dialect());
        Expander unknown = new Expander(NameResolver.unknown(), false, builtIn, analysis.dialect());
        Expander current = known;
        List<StatementAnalysis> resolved = new ArrayList<>(analysis.statements().size());
        for (StatementAnalysis statement : analysis.statements()) {
            StatementAnalysis named = statement.action() == Action.CREATE ? current.creating(statement) : current.statement(statement);
            resolved.add(proveBound(named, current.resolver, analysis.dialect(), builtIns, depth));
            if (SessionEffects.mayChangeNameResolution(analysis, statement)) {
                current = unknown; // what the resolver knows no longer holds for the statements after this one
            }
        }
        return new SqlAnalysis(analysis.fingerprint(), analysis.dialect(), resolved, analysis.parseError());
    }

    /**
     * {@code statement} bounded ({@link WhereKind#PRESENT}) when the catalog shows, for one set of the names its bound
     * rests on, each name a column of one of its tables; otherwise as it was, with only the names not found.
     */
    static StatementAnalysis proveBound(StatementAnalysis statement, NameResolver resolver, Dialect dialect,
                                        RoutineCatalog builtIns, int depth) {
        if (statement.boundIf().isEmpty() && statement.boundThrough() == null) {
            return statement;
        }
        List<List<BareColumn>> unproven = new ArrayList<>(statement.boundIf().size());
        for (List<BareColumn> alternative : statement.boundIf()) {
            List<BareColumn> missing = new ArrayList<>();
            for (BareColumn name : alternative) {
                if (!found(name, resolver, dialect)) {
                    missing.add(name);
                }
            }
            if (missing.isEmpty()) {
                unproven = List.of();
                break;
            }
            unproven.add(missing);
        }
        String others = statement.boundThrough() == null ? null
                : othersUnproven(statement, resolver, dialect, builtIns, depth);
        if (unproven.isEmpty() && others == null) {
            return statement.withBound(WhereKind.PRESENT, List.of(), null);
        }
        return statement.withBound(WhereKind.ALWAYS_TRUE, unproven, others);
    }

    /** Views defined over views are followed this deep to prove a bound; deeper, the tables beneath cannot be told. */
    static final int MAXIMUM_VIEW_DEPTH = 8;

    /** Analyses of views' definitions, for proving that a view does not read a written table. */
    private static final io.governed.sql.SqlAnalyzer DEFINITIONS = new io.governed.sql.SqlAnalyzer(1_000);

    /**
     * Why the relations and routines a write reads are not proven distinct from the tables it writes
     * ({@link StatementAnalysis#boundThrough}), {@code null} when they are: each relation read a table other than a
     * written one and none of its partitions or parents, or a view over such relations only, and no routine called but
     * built-ins that read no table. Every relation the statement reads counts, wherever it reads it (a SET clause's
     * subquery too): stricter than the condition alone, never weaker.
     */
    private static String othersUnproven(StatementAnalysis statement, NameResolver resolver, Dialect dialect,
                                         RoutineCatalog builtIns, int depth) {
        String routine = routineUnproven(statement, builtIns, dialect);
        if (routine != null) {
            return "its condition compares the written rows with what " + routine;
        }
        for (TableRef read : statement.tablesRead()) {
            String why = relationUnproven(read, statement.tablesWritten(), resolver, dialect, builtIns, depth);
            if (why != null) {
                return "its condition compares the written rows with values read from " + why;
            }
        }
        return null;
    }

    /** A routine the statement calls that may read tables ({@code "routine s.f returns, whose body …"}), or {@code null}. */
    private static String routineUnproven(StatementAnalysis statement, RoutineCatalog builtIns, Dialect dialect) {
        RoutineCatalog listed = BuiltInRoutines.of(dialect);
        for (TableRef routine : statement.routines()) {
            boolean builtIn = listed.isBuiltIn(routine) || builtIns.isBuiltIn(routine);
            if (!builtIn || builtIns.mayReadTables(routine)) {
                return "routine " + routine.qualifiedName() + " returns, whose body may read the written table "
                        + written(statement.tablesWritten());
            }
        }
        return null;
    }

    private static String written(java.util.Collection<TableRef> tables) {
        return String.join(", ", tables.stream().map(TableRef::qualifiedName).toList());
    }

    /**
     * Why {@code read} is not proven to hold rows of no table of {@code written} ({@code "v, a view whose definition
     * reads …"}), {@code null} when it is.
     */
    private static String relationUnproven(TableRef read, java.util.Collection<TableRef> written, NameResolver resolver,
                                           Dialect dialect, RoutineCatalog builtIns, int depth) {
        String name = read.qualifiedName();
        for (TableRef target : written) {
            if (same(read, target, dialect)) {
                return name + ", which is the written table itself";
            }
        }
        if (read.schema() == null) {
            return name + ", a relation whose schema cannot be told for certain";
        }
        NameResolver.RelationKind kind = resolver.relationKind(read.schema(), read.name());
        if (kind == null) {
            return name + ", which the database's catalog does not show as a table or a view";
        }
        if (kind == NameResolver.RelationKind.OTHER) {
            return name + ", which is neither a table nor a view (a foreign table, say) and may hold the written table's"
                    + " rows";
        }
        if (kind == NameResolver.RelationKind.SEQUENCE) {
            return null; // its one row is its own state, no table's
        }
        if (kind == NameResolver.RelationKind.TABLE && dialect != Dialect.POSTGRESQL) {
            return null; // no table of MariaDB's or H2's holds another's rows under a name of its own (MERGE tables are OTHER)
        }
        if (kind == NameResolver.RelationKind.TABLE) {
            List<TableRef> ancestors = resolver.ancestors(read.schema(), read.name());
            List<TableRef> descendants = resolver.descendants(read.schema(), read.name());
            if (ancestors == null || descendants == null) {
                return name + ", whose partitions and parents cannot be told";
            }
            for (TableRef relative : concat(ancestors, descendants)) {
                for (TableRef target : written) {
                    if (same(relative, target, dialect)) {
                        return name + ", a partition or parent of the written table " + target.qualifiedName()
                                + ", whose rows it holds";
                    }
                }
            }
            return null;
        }
        String definition = resolver.viewDefinition(read.schema(), read.name());
        if (definition == null || depth >= MAXIMUM_VIEW_DEPTH) {
            return name + ", a view whose definition cannot be read";
        }
        SqlAnalysis defined = DEFINITIONS.analyze(definition, dialect);
        if (!defined.parsed() || defined.statements().size() != 1
                || defined.statements().get(0).action() != Action.SELECT) {
            return name + ", a view whose definition cannot be analysed";
        }
        StatementAnalysis query = resolve(defined, resolver, builtIns, depth + 1).statements().get(0);
        String routine = routineUnproven(query, builtIns, dialect);
        if (routine != null) {
            return name + ", a view whose definition calls what " + routine;
        }
        for (TableRef beneath : query.tablesRead()) {
            String why = relationUnproven(beneath, written, resolver, dialect, builtIns, depth + 1);
            if (why != null) {
                return name + ", a view whose definition reads " + why;
            }
        }
        return null;
    }

    private static List<TableRef> concat(List<TableRef> a, List<TableRef> b) {
        List<TableRef> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Whether two relations may be one: the same name, in the same schema or one of them in a schema not told. */
    private static boolean same(TableRef a, TableRef b, Dialect dialect) {
        return dialect.sameName(a.name(), b.name())
                && (a.schema() == null || b.schema() == null || dialect.sameName(a.schema(), b.schema()));
    }

    /** Whether one of the name's tables certainly has a column of that name, in every schema its own name may be in. */
    private static boolean found(BareColumn name, NameResolver resolver, Dialect dialect) {
        for (TableRef table : name.tables()) {
            if (hasColumn(table, name.column(), resolver, dialect)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasColumn(TableRef table, String column, NameResolver resolver, Dialect dialect) {
        List<String> schemas;
        if (table.schema() != null) {
            schemas = List.of(table.schema());
        } else {
            Resolution resolution = resolver.resolve(table.name());
            if (!resolution.certain() || resolution.schemas().isEmpty()) {
                return false; // it could be a relation in a schema no one can name, of any columns
            }
            schemas = resolution.schemas();
        }
        for (String schema : schemas) {
            Set<String> columns = resolver.columns(schema, table.name());
            if (columns == null || columns.stream().noneMatch(c -> dialect.sameName(c, column))) {
                return false;
            }
        }
        return true;
    }

    private static void collect(StatementAnalysis statement, Set<String> names, RoutineCatalog builtIn) {
        statement.tablesRead().forEach(t -> add(t, names));
        statement.tablesWritten().forEach(t -> add(t, names));
        statement.columns().forEach(c -> add(c.table(), names));
        statement.routines().stream().filter(r -> !builtIn.isBuiltIn(r))
                .forEach(r -> add(r, names)); // routines resolve along the same path
        for (List<ResultColumn> columns : List.of(statement.resultColumns(), statement.copiedColumns())) {
            for (ResultColumn column : columns) {
                column.sources().forEach(s -> add(s.table(), names));
                column.allColumnsOf().forEach(t -> add(t, names));
            }
        }
    }

    private static void add(TableRef table, Set<String> names) {
        if (table != null && table.schema() == null) {
            names.add(table.name());
        }
    }

    /** Expands names with one resolver, each name resolved once. */
    private static final class Expander {
        final NameResolver resolver;
        /** Resolves where new relations go ({@link NameResolver#resolveNew}) rather than where existing ones are. */
        private final boolean creating;
        private final Map<String, List<TableRef>> resolved = new HashMap<>();
        private Expander forCreate;

        private final RoutineCatalog builtIn;
        private final Dialect dialect;

        Expander(NameResolver resolver, boolean creating, RoutineCatalog builtIn, Dialect dialect) {
            this.resolver = resolver;
            this.creating = creating;
            this.builtIn = builtIn;
            this.dialect = dialect;
        }

        /** The routines, each built-in kept as written, every other resolved ({@link #routine}). */
        private Set<TableRef> routines(Set<TableRef> routines) {
            Set<TableRef> out = new LinkedHashSet<>();
            routines.forEach(r -> out.addAll(builtIn.isBuiltIn(r) ? List.of(r) : routine(r)));
            return out;
        }

        /**
         * Every routine a call of {@code routine} may run. On PostgreSQL an unqualified call finds a function of the
         * server's ({@code pg_catalog}) first, unless the search path names {@code pg_catalog} later, and an overload of
         * other argument types may be chosen in either order: when the server may hold one of that name
         * ({@link NameResolver#systemMayHoldRoutine}), the call is judged as {@code pg_catalog}'s, and also as each
         * routine of the path's schemas it may be, unless the catalog shows those schemas hold none. So a permit of
         * {@code call} on a user schema does not cover {@code pg_terminate_backend(…)} or {@code lo_create(…)}; a rule
         * naming {@code pg_catalog.pg_terminate_backend} (or {@code pg_catalog.*}) does.
         */
        private List<TableRef> routine(TableRef routine) {
            if (dialect != Dialect.POSTGRESQL || routine.schema() != null || !resolver.systemMayHoldRoutine(routine.name())) {
                return expand(routine);
            }
            TableRef server = new TableRef("pg_catalog", routine.name());
            List<String> user = resolver.readsRoutines() ? resolver.routineBodies(null, routine.name()) : null;
            if (user != null && user.isEmpty()) {
                return List.of(server); // no routine of the database's own of that name on the path
            }
            List<TableRef> all = new ArrayList<>();
            all.add(server);
            all.addAll(expand(routine));
            return all;
        }

        StatementAnalysis statement(StatementAnalysis s) {
            return new StatementAnalysis(s.action(), tables(s.tablesRead()), tables(s.tablesWritten()), columns(s.columns()),
                    s.where(), results(s.resultColumns()), s.traits(), results(s.copiedColumns()), routines(s.routines()),
                    s.sessionValues(), s.boundIf(), s.code(), s.boundThrough());
        }

        /** A CREATE: the objects it writes are new, and go where new objects go. */
        StatementAnalysis creating(StatementAnalysis s) {
            if (forCreate == null) {
                forCreate = new Expander(resolver, true, builtIn, dialect);
            }
            return new StatementAnalysis(s.action(), tables(s.tablesRead()), forCreate.tables(s.tablesWritten()),
                    columns(s.columns()), s.where(), results(s.resultColumns()), s.traits(), results(s.copiedColumns()),
                    routines(s.routines()), s.sessionValues(), s.boundIf(), s.code(), s.boundThrough());
        }

        /** Every relation {@code table} could be. */
        List<TableRef> expand(TableRef table) {
            if (table.schema() != null) {
                return List.of(table);
            }
            return resolved.computeIfAbsent(table.name(), name -> {
                Resolution resolution = creating ? resolver.resolveNew(name) : resolver.resolve(name);
                List<TableRef> all = new ArrayList<>(resolution.schemas().size() + 1);
                resolution.schemas().forEach(schema -> all.add(new TableRef(schema, name)));
                if (!resolution.certain() || all.isEmpty()) {
                    all.add(table); // could be in a schema no one can name
                }
                return List.copyOf(all);
            });
        }

        private Set<TableRef> tables(Set<TableRef> tables) {
            Set<TableRef> out = new LinkedHashSet<>();
            tables.forEach(t -> out.addAll(expand(t)));
            return out;
        }

        private List<TableRef> tableList(List<TableRef> tables) {
            Set<TableRef> out = new LinkedHashSet<>();
            tables.forEach(t -> out.addAll(expand(t)));
            return List.copyOf(out);
        }

        private List<ColumnRef> columns(List<ColumnRef> columns) {
            List<ColumnRef> out = new ArrayList<>(columns.size());
            for (ColumnRef column : columns) {
                if (column.table() == null) {
                    out.add(column);
                } else {
                    expand(column.table()).forEach(t -> out.add(new ColumnRef(t, column.column(), column.clause())));
                }
            }
            return out;
        }

        private List<ResultColumn> results(List<ResultColumn> columns) {
            List<ResultColumn> out = new ArrayList<>(columns.size());
            for (ResultColumn c : columns) {
                Set<SourceColumn> sources = new LinkedHashSet<>();
                c.sources().forEach(s -> expand(s.table()).forEach(t -> sources.add(new SourceColumn(t, s.column()))));
                out.add(new ResultColumn(c.position(), c.label(), List.copyOf(sources), tableList(c.allColumnsOf()),
                        c.unknownLineage(), c.aggregateOnly(), c.transformed()));
            }
            return out;
        }
    }
}
