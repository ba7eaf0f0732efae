package io.governed.policy.engine;

import io.governed.policy.model.RoutineFootprint;
import io.governed.sql.Action;
import io.governed.sql.BuiltInRoutines;
import io.governed.sql.Dialect;
import io.governed.sql.PlpgsqlBody;
import io.governed.sql.RoutineCatalog;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.SystemRelations;
import io.governed.sql.TableRef;
import io.governed.sql.Trait;
import io.governed.sql.names.AnalysisResolution;
import io.governed.sql.names.NameResolver;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One (action, table) pair a statement involves: the unit rules are checked against.
 *
 * <p>On PostgreSQL a partition or inheritance child holds rows of the tables it is a partition or child of, under its
 * own name: an access to it is an access to each of them too ({@link #withRelatives}), with {@code through} naming the
 * relation the statement names; and reading (or writing) a table reads (or writes) the rows of its own partitions and
 * children, so an access to it is an access {@linkplain #beneath() beneath} it to each of them, which forbids and
 * approvals cover and which needs no permit of its own (a permit on the table is one on the rows of its partitions,
 * through its name). When which tables those are cannot be told, the access to an unknown relative has no table (any
 * forbid or approval for the action covers it) and is {@linkplain #unknownRelative() marked} so that only a permit
 * covering every table permits it.
 *
 * @param action    what is done
 * @param table     to which table; {@code null} for a statement that names no table, which every resource pattern covers
 * @param statement the statement it belongs to
 * @param through   the relation the statement names when {@code table} is a table it is a partition or inheritance
 *                  child of, or one of its own partitions or children ({@code table} {@code null}: an unknown one);
 *                  {@code null} for the relation itself
 * @param beneath   whether {@code table} is one of the partitions or children of {@code through}, or a relation view
 *                  {@code through} is defined over
 * @param view      whether {@code through} is a view and {@code table} a relation its definition reads ({@code null}: one
 *                  that cannot be told)
 * @param holdsValues whether {@code through} is a relation of the database's own that holds values of any table
 *                  ({@link #throughSystemRelations}; {@code table} {@code null})
 * @param functionReads whether {@code through} names a built-in of the database's catalog that may read tables out of
 *                  the analysis' sight ({@link RoutineCatalog#mayReadTables}; {@code table} {@code null}: any table)
 * @param implied   what the access stands for when the statement does not name the action ({@link Implied})
 */
record Access(Action action, TableRef table, StatementAnalysis statement, TableRef through, boolean beneath, boolean view,
              boolean holdsValues, boolean functionReads, Implied implied) {

    /** An access a statement makes without naming its action. */
    enum Implied {
        /** The statement's own action, or a read. */
        NONE,
        /**
         * The {@code insert} of a statement that advances a sequence ({@link Trait#ADVANCES_SEQUENCE}), which sequence
         * the analysis does not tell ({@code table} {@code null}): every permit of {@code insert} permits it, and only a
         * forbid or approval of {@code insert} on every table covers it.
         */
        SEQUENCE,
        /**
         * The {@code update} on a table whose rows a query locks ({@link Trait#LOCKS_ROWS}: {@code SELECT … FOR UPDATE},
         * {@code FOR SHARE}, MariaDB's {@code LOCK IN SHARE MODE}), as PostgreSQL's own privileges require: permits and
         * forbids of {@code update} on the table cover it, approvals do not (a lock changes no row).
         */
        ROW_LOCK,
        /**
         * The {@code call} of a routine the database runs when the statement writes rows of {@code through} (a column's
         * default or generated expression, a check constraint or a column's domain's, an index expression, a trigger, a
         * rule; {@link #throughWriteRoutines}); {@code table} {@code null}: routines that cannot be told, so any routine,
         * which every forbid of {@code call} covers and only a permit of {@code call} on every routine permits.
         */
        WRITE_ROUTINE,
        /**
         * The {@code call} of a routine the database runs for the row security of {@code through} when the statement
         * reads or writes its rows (a row-level security policy's expression calls it; {@link #throughRowSecurity}),
         * with values of the row as its arguments; {@code table} {@code null}: routines that cannot be told, so any
         * routine, which every forbid of {@code call} covers and only a permit of {@code call} on every routine permits.
         */
        ROW_SECURITY_ROUTINE,
        /**
         * The {@code call} of the function of an event trigger the database runs for the statement's DDL
         * ({@link #throughEventTriggers}; {@code through} is {@link #EVENT_TRIGGERS}); {@code table} {@code null}: which
         * cannot be told, so any routine, which every forbid of {@code call} covers and only a permit of {@code call} on
         * every routine permits.
         */
        EVENT_TRIGGER_ROUTINE,
        /**
         * The {@code call} of a routine the database runs when the statement queries {@code through} (H2's
         * {@code SELECT} trigger; {@link #throughReadRoutines}); {@code table} {@code null}: which cannot be told, so any
         * routine, which every forbid of {@code call} covers and only a permit of {@code call} on every routine permits.
         */
        READ_ROUTINE,
        /**
         * The {@code delete}, {@code update} or {@code truncate} of rows of {@code table} that the database makes on its
         * own when the statement deletes, updates or truncates ({@code CASCADE}) rows of {@code through}: a foreign key's
         * referential action ({@code ON DELETE CASCADE}, {@code SET NULL}, {@code SET DEFAULT}, {@code ON UPDATE …}), or
         * {@code TRUNCATE … CASCADE} ({@link #throughCascadedWrites}); {@code table} {@code null}: tables that cannot be
         * told, so any table, which every forbid of the action covers and only a permit of it on every table permits.
         */
        CASCADED,
        /**
         * The {@code drop} or {@code alter} of {@code table} that the database makes on its own when the statement drops
         * or alters {@code through} with {@code CASCADE} (PostgreSQL, H2; {@link #throughCascadedDrops}): a view over it
         * dropped, a foreign key, trigger, default, check, policy or column of another table that depends on it dropped;
         * {@code table} {@code null}: objects that cannot be told, so any table, which every forbid of the action covers
         * and only a permit of it on every table permits. Also the {@code alter} of the sequences PostgreSQL's
         * {@code TRUNCATE … RESTART IDENTITY} restarts with {@code through} ({@link Trait#RESTARTS_IDENTITY}), on any
         * table.
         */
        DEPENDENT,
        /**
         * What the body of the user routine {@code through}, which the statement calls, does to {@code table}: a call
         * reads and writes what its body does ({@link #throughRoutineBodies}), so this needs a permit as the statement's
         * own would, and forbids and approvals of it cover it.
         */
        ROUTINE_BODY,
        /**
         * What the policy's {@code routines} section declares the user routine {@code through}, whose body the analysis
         * cannot read, does to {@code table} ({@code null}: any table) when the statement calls it or the database runs
         * it ({@link io.governed.policy.model.RoutineFootprint}): checked as {@link #ROUTINE_BODY}, except that its
         * statement is not known, so a rule's conditions on the statement hold for a forbid and not for a permit.
         */
        DECLARED_BODY,
        /**
         * One of {@link #OPAQUE_ACTIONS} on any table, by the user routine {@code through}, whose body the analysis cannot
         * read (another language than SQL, dynamic SQL, a body that cannot be parsed, a catalog that cannot tell, too
         * deep) and the policy declares nothing of: a call of it may do anything, so every forbid of the action covers
         * it, whatever its conditions on the statement, and only a permit of the action on every table without such
         * conditions permits it.
         */
        OPAQUE_BODY
    }

    /**
     * What a routine whose body cannot be read is taken to do, each on any table ({@link Implied#OPAQUE_BODY}): read,
     * write, empty, create, change and drop tables.
     */
    static final List<Action> OPAQUE_ACTIONS = List.of(Action.SELECT, Action.INSERT, Action.UPDATE, Action.DELETE,
            Action.TRUNCATE, Action.CREATE, Action.ALTER, Action.DROP);

    Access(Action action, TableRef table, StatementAnalysis statement, TableRef through, boolean beneath, boolean view,
           boolean holdsValues, boolean functionReads) {
        this(action, table, statement, through, beneath, view, holdsValues, functionReads, Implied.NONE);
    }

    /** Whether the access is the advance of a sequence ({@link Implied#SEQUENCE}). */
    boolean sequence() {
        return implied == Implied.SEQUENCE;
    }

    /** Whether the access is the call of a routine writing a relation runs ({@link Implied#WRITE_ROUTINE}). */
    boolean writeRoutine() {
        return implied == Implied.WRITE_ROUTINE;
    }

    /** Whether the access is the call of a routine a query of a relation runs ({@link Implied#READ_ROUTINE}). */
    boolean readRoutine() {
        return implied == Implied.READ_ROUTINE;
    }

    /** Whether the access is the call of an event trigger's function ({@link Implied#EVENT_TRIGGER_ROUTINE}). */
    boolean eventTriggerRoutine() {
        return implied == Implied.EVENT_TRIGGER_ROUTINE;
    }

    /** Whether the access is the call of a routine a relation's row security runs ({@link Implied#ROW_SECURITY_ROUTINE}). */
    boolean rowSecurityRoutine() {
        return implied == Implied.ROW_SECURITY_ROUTINE;
    }

    /** Whether the access is a write the database makes through a foreign key or a cascade ({@link Implied#CASCADED}). */
    boolean cascaded() {
        return implied == Implied.CASCADED;
    }

    /** Whether the access is a drop or alter the database makes through {@code CASCADE} ({@link Implied#DEPENDENT}). */
    boolean dependent() {
        return implied == Implied.DEPENDENT;
    }

    /**
     * Whether the access is what a called routine's body does to a table, as analysed ({@link Implied#ROUTINE_BODY}) or
     * declared ({@link Implied#DECLARED_BODY}).
     */
    boolean routineBody() {
        return implied == Implied.ROUTINE_BODY || implied == Implied.DECLARED_BODY;
    }

    /**
     * Whether the access is what a routine whose body the analysis cannot read does ({@link Implied#DECLARED_BODY},
     * {@link Implied#OPAQUE_BODY}): its statement is not known, so rules' conditions on the statement hold for a forbid
     * and not for a permit.
     */
    boolean unseenBody() {
        return implied == Implied.DECLARED_BODY || implied == Implied.OPAQUE_BODY;
    }

    /** Whether the access is what a routine whose body cannot be read and is not declared may do ({@link Implied#OPAQUE_BODY}). */
    boolean opaqueBody() {
        return implied == Implied.OPAQUE_BODY;
    }

    /** Routines calling routines are followed this deep; deeper, what they read is left to the masks (see below). */
    static final int MAXIMUM_ROUTINE_DEPTH = 8;

    /**
     * {@code accesses}, each calling a user routine followed by what the routine's body does, as {@code names} gives the
     * bodies (PostgreSQL's {@code LANGUAGE sql} routines): the body's reads and writes, each an access with the same
     * action on the same table ({@link Implied#ROUTINE_BODY}), which needs a permit and which forbids and approvals
     * cover, as if the statement did it itself, and whose rules' conditions are those of the body's statement (a
     * {@code DELETE} without {@code WHERE} in the body is an unbounded delete); and, for a routine its body calls, that
     * routine's body's, {@link #MAXIMUM_ROUTINE_DEPTH} deep (the inner call needs no permit of its own: the outer one's
     * covers it). A body that cannot be told or analysed (another language, a catalog that cannot be read, a text that
     * cannot be parsed, too deep) does what {@code declared} says of the routine ({@link Implied#DECLARED_BODY}), or,
     * declared nowhere, anything ({@link Implied#OPAQUE_BODY}); its result counts as a value that may hold any column
     * as well ({@code unknownLineage}), redacted for a caller a mask applies to. A statement that runs code at once
     * ({@code DO}: {@link StatementAnalysis#runsCode}) is followed as a call of a routine with that body
     * ({@link #DO_BLOCK}): the statements of its code as read ({@link StatementAnalysis#code}), or, not read, anything.
     */
    static List<Access> throughRoutineBodies(List<Access> accesses, NameResolver names, Dialect dialect,
                                             SqlAnalyzer analyzer, RoutineCatalog builtIns,
                                             List<RoutineFootprint> declared) {
        return throughRoutineBodies(accesses, names, dialect, analyzer, builtIns, declared, null);
    }

    /** As {@link #throughRoutineBodies(List, NameResolver, Dialect, SqlAnalyzer, RoutineCatalog, List)}, recording the code read in {@code code} (may be {@code null}). */
    static List<Access> throughRoutineBodies(List<Access> accesses, NameResolver names, Dialect dialect,
                                             SqlAnalyzer analyzer, RoutineCatalog builtIns,
                                             List<RoutineFootprint> declared, RunCode code) {
        List<Access> all = null;
        Set<StatementAnalysis> ran = null; // the statements running code (DO) followed, by identity
        for (Access access : accesses) {
            if (access.implied() != Implied.NONE || access.through() != null) {
                continue;
            }
            boolean calls = access.action() == Action.CALL && access.table() != null;
            boolean runs = access.statement().runsCode();
            if (!calls && !runs) {
                continue;
            }
            List<Access> body = new ArrayList<>();
            if (runs) {
                if (ran == null) {
                    ran = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                }
                if (ran.add(access.statement())) {
                    // DO: a call of a routine with that body
                    codeOf(access.statement(), DO_BLOCK, access.statement(), names, dialect, analyzer, builtIns,
                            declared, 1, new HashSet<>(), body, code == null ? null : code.called(DO_BLOCK, null));
                }
            }
            if (calls) {
                Set<TableRef> followed = new HashSet<>();
                bodyOf(access.table(), access.table(), access.statement(), names, dialect, analyzer, builtIns, declared,
                        1, followed, body, code == null ? null : code.called(access.table(), access.statement()));
            }
            if (!body.isEmpty()) {
                if (all == null) {
                    all = new ArrayList<>(accesses);
                }
                all.addAll(body);
            }
        }
        return all == null ? accesses : all;
    }

    /**
     * What the routine {@code DO} stands for in the accesses of the code it runs ({@code through}), told apart from a
     * routine's name by identity ({@link #doBlock}).
     */
    static final TableRef DO_BLOCK = new TableRef(null, "DO block");

    /**
     * What an event trigger's function is run through ({@code through} of an {@link Implied#EVENT_TRIGGER_ROUTINE}
     * access): the statement's DDL, not a relation; told apart by identity.
     */
    static final TableRef EVENT_TRIGGERS = new TableRef(null, "event triggers");

    /** Whether the access is what a {@code DO} statement's code does ({@link #DO_BLOCK}). */
    boolean doBlock() {
        return through == DO_BLOCK;
    }

    /**
     * What the bodies of the routines the database runs for {@code accesses} do, not yet in {@code followed}: those a
     * write runs ({@link Implied#WRITE_ROUTINE}: a trigger's function, a column default's, a check's; on MariaDB and H2
     * the trigger itself), those a view's definition calls; each as {@link #throughRoutineBodies} follows a call the
     * statement makes, the routine standing for the call. (A write running routines that cannot be told is a call of any
     * routine, which only a permit of {@code call} on every routine permits: not followed.) Empty when there are none.
     */
    static List<Access> bodiesOfRunRoutines(List<Access> accesses, NameResolver names, Dialect dialect,
                                            SqlAnalyzer analyzer, RoutineCatalog builtIns,
                                            List<RoutineFootprint> declared, Set<TableRef> followed, RunCode code) {
        List<Access> body = null; // most statements run no routine: nothing allocated for them
        for (Access access : accesses) {
            if (code != null && access.action() == Action.CALL && access.table() == null && access.writeRoutine()
                    && (dialect == Dialect.POSTGRESQL || dialect == Dialect.MARIADB && !access.statement().has(Trait.NESTED))
                    && names.readsRoutines()) {
                // a write running routines the catalog cannot tell (a PostgreSQL rule's statements, a foreign key's writes
                // of tables not told; a MariaDB table whose triggers a user without the TRIGGER privilege cannot list):
                // code no analysis reads, which may read any column and put it anywhere, judged as such for a caller a
                // mask applies to (a call of any routine for the rules as well). A write in a MariaDB definition's body (an
                // event's, run later by the server's scheduler) stays a call of any routine, judged by the rules: which
                // triggers its table will have when the event runs is not the session's to tell. Without a catalog every
                // write's routines are untold, and every routine is judged by the rules alone
                code.unreadOnWrite(access.through(), access.statement());
                continue;
            }
            if (access.action() != Action.CALL || access.through() == null || access.table() == null
                    || !(access.writeRoutine() || access.rowSecurityRoutine() || access.eventTriggerRoutine()
                    || access.readRoutine() || access.view() && access.beneath())) {
                continue;
            }
            if (body == null) {
                body = new ArrayList<>();
            }
            // a view's routine computes values of the view's rows, which are results: code the statement calls, with
            // arguments of the view's definition (SELECT s.log(c.ssn) FROM customers c)
            RunCode.Unit unit = null;
            if (code != null && access.writeRoutine()) {
                unit = code.runOnWrite(access.table(), access.through(), access.statement(),
                        dialect == Dialect.POSTGRESQL && givenRow(names, access.through(), access.table()));
            } else if (code != null && access.rowSecurityRoutine()) {
                unit = code.runForRowSecurity(access.table(), access.through());
            } else if (code != null && access.eventTriggerRoutine()) {
                unit = code.runByEventTrigger(access.table());
            } else if (code != null && access.readRoutine()) {
                unit = code.called(access.table(), null); // a SELECT trigger is given no row
            } else if (code != null) {
                unit = code.calledByView(access.table(), access.through(), definitionOf(access.through(), names, dialect,
                        analyzer));
            }
            bodyOf(access.table(), access.table(), access.statement(), names, dialect, analyzer, builtIns, declared, 1,
                    followed, body, unit);
        }
        return body == null ? List.of() : body;
    }

    /** Whether {@code routine} runs with values of {@code relation}'s stored rows as arguments ({@link #givenRows}). */
    private static boolean givenRow(NameResolver names, TableRef relation, TableRef routine) {
        List<TableRef> given = givenRows(names, relation);
        return given == null || given.contains(routine);
    }

    /**
     * The statement of {@code view}'s definition, as {@link #throughViews} reads it: where a routine it calls takes its
     * arguments; {@code null} when it can no longer be read as one statement (changed since).
     */
    private static StatementAnalysis definitionOf(TableRef view, NameResolver names, Dialect dialect,
                                                  SqlAnalyzer analyzer) {
        String definition = names.viewDefinition(view.schema(), view.name());
        SqlAnalysis defined = definition == null ? null
                : AnalysisResolution.resolve(analyzer.analyze(definition, dialect), names);
        if (defined == null || !defined.parsed() || defined.statements().size() != 1) {
            return null;
        }
        return defined.statements().get(0);
    }

    /** Adds to {@code into} what the body of {@code routine} (called, at the statement's level, as {@code called}) does. */
    private static void bodyOf(TableRef routine, TableRef called, StatementAnalysis statement, NameResolver names,
                               Dialect dialect, SqlAnalyzer analyzer, RoutineCatalog builtIns,
                               List<RoutineFootprint> declared, int depth, Set<TableRef> followed, List<Access> into,
                               RunCode.Unit unit) {
        if (!followed.add(routine)) {
            RunCode.readAgain(unit, routine); // its statements still run there
            return; // followed already (a routine calling itself reads nothing more)
        }
        if (SystemRelations.inSystemSchema(dialect, routine)) {
            return; // the server's own (pg_catalog, information_schema, MariaDB's sys and mysql): no user code
        }
        List<String> bodies = depth > MAXIMUM_ROUTINE_DEPTH ? null : names.routineBodies(routine.schema(), routine.name());
        if (bodies == null && !names.readsRoutines() && BuiltInRoutines.hasKnownEffects(routine.name())) {
            return; // without a catalog, taken for the server's function of the name: its call is judged by name and traits
        }
        List<SqlAnalysis> analysed = analysed(bodies, names, dialect, analyzer, builtIns);
        if (analysed == null) {
            int from = into.size();
            unseen(routine, statement, dialect, declared, into);
            if (names.readsRoutines()) {
                // a catalog that could show the body did not (dynamic SQL, another language, not visible): it may move
                // values anywhere; without one every routine is unseen, judged by the rules alone
                RunCode.unseen(unit, into.subList(from, into.size()));
            }
            return;
        }
        bodyDoes(analysed, routine, called, statement, names, dialect, analyzer, builtIns, declared, depth, followed, into,
                unit);
    }

    /**
     * Adds to {@code into} what the code the statement {@code runs} runs at once ({@code DO}; {@link StatementAnalysis#code})
     * does, as the body of a routine {@code statement} calls ({@code called}, at the statement's level): its statements'
     * accesses when it was read and PL/pgSQL resolves the session's names as it was read
     * ({@link NameResolver#plpgsqlResolvesAsDefault}), or, not read, anything ({@link Implied#OPAQUE_BODY}; no
     * declaration of the policy's names it).
     */
    private static void codeOf(StatementAnalysis runs, TableRef called, StatementAnalysis statement, NameResolver names,
                               Dialect dialect, SqlAnalyzer analyzer, RoutineCatalog builtIns,
                               List<RoutineFootprint> declared, int depth, Set<TableRef> followed, List<Access> into,
                               RunCode.Unit unit) {
        List<String> bodies = depth > MAXIMUM_ROUTINE_DEPTH || runs.code() == null || !runs.code().read()
                || !names.plpgsqlResolvesAsDefault() ? null : runs.code().statements();
        List<SqlAnalysis> analysed = analysed(bodies, names, dialect, analyzer, builtIns);
        if (analysed == null) {
            int from = into.size();
            opaque(called, statement, into);
            RunCode.unseen(unit, into.subList(from, into.size()));
            return;
        }
        bodyDoes(analysed, null, called, statement, names, dialect, analyzer, builtIns, declared, depth, followed, into,
                unit);
    }

    /** The analyses of a body's texts, names resolved; {@code null} when it is not known or one cannot be analysed. */
    private static List<SqlAnalysis> analysed(List<String> bodies, NameResolver names, Dialect dialect,
                                              SqlAnalyzer analyzer, RoutineCatalog builtIns) {
        if (bodies == null) {
            return null;
        }
        List<SqlAnalysis> analysed = new ArrayList<>(bodies.size());
        for (String body : bodies) {
            // the session's built-ins stay unqualified, so that one that may read any table (table_to_xml) is known as such
            SqlAnalysis defined = AnalysisResolution.resolve(analyzer.analyze(body, dialect), names, builtIns);
            if (!defined.parsed()) {
                return null; // a body the analysis cannot read may do anything
            }
            analysed.add(defined);
        }
        return analysed;
    }

    /**
     * Adds to {@code into} what the analysed statements of a body ({@code routine}'s; {@code null} for a {@code DO}'s
     * code) do, as the body of {@code called}, and records them in {@code unit}. A trigger's row
     * ({@link PlpgsqlBody#TRIGGER_ROW}) is the row the statement writes, no relation of its own to permit.
     */
    private static void bodyDoes(List<SqlAnalysis> analysed, TableRef routine, TableRef called,
                                 StatementAnalysis statement, NameResolver names, Dialect dialect, SqlAnalyzer analyzer,
                                 RoutineCatalog builtIns, List<RoutineFootprint> declared, int depth,
                                 Set<TableRef> followed, List<Access> into, RunCode.Unit unit) {
        for (SqlAnalysis defined : analysed) {
            for (StatementAnalysis inner : defined.statements()) {
                RunCode.read(unit, routine, inner);
                if (inner.runsCode()) {
                    // a DO the body runs: its code is the body's too
                    codeOf(inner, called, statement, names, dialect, analyzer, builtIns, declared, depth + 1, followed,
                            into, unit);
                }
            }
            for (Access inner : of(defined, builtIns)) {
                if (triggerRow(inner.table())) {
                    continue;
                }
                if (inner.action() == Action.CALL && inner.table() != null) {
                    bodyOf(inner.table(), called, statement, names, dialect, analyzer, builtIns, declared, depth + 1,
                            followed, into, unit);
                } else if (inner.sequence()) {
                    into.add(advancing(statement)); // a body that calls nextval advances a sequence
                } else if (inner.functionReads()) {
                    into.add(new Access(Action.SELECT, null, statement, inner.through(), false, false, false, true));
                } else if (inner.table() != null) {
                    // the body's own statement: a rule's conditions (an unbounded WHERE, the traits) are the body's
                    into.add(new Access(inner.action(), inner.table(), inner.statement(), called, false, false, false,
                            false, Implied.ROUTINE_BODY));
                } else if (inner.implied() == Implied.NONE && escapesOrChangesMore(inner.statement())) {
                    // a statement on no table that escapes the analysis (reads a file, runs a program, changes a role
                    // or a setting) or changes more than rows: judged as the body's statement, on any table
                    into.add(new Access(inner.action(), null, inner.statement(), called, false, false, false, false,
                            Implied.ROUTINE_BODY));
                }
            }
        }
    }

    /** Whether {@code table} is a trigger's row as a trigger function's texts name it ({@link PlpgsqlBody#TRIGGER_ROW}). */
    static boolean triggerRow(TableRef table) {
        return table != null && PlpgsqlBody.TRIGGER_ROW.name().equals(table.name())
                && PlpgsqlBody.TRIGGER_ROW.schema().equals(table.schema());
    }

    /**
     * Whether a statement of a routine's body that names no table still does something a rule must judge: it has a
     * trait that escapes the analysis ({@link Trait#escape()}: a file read, a program run, dynamic SQL, a role or
     * setting changed), or it is no query, call or transaction statement ({@code CREATE ROLE}, {@code GRANT} of a
     * role, {@code LISTEN}, …). A query on no table ({@code SELECT now()}, a PL/pgSQL assignment) is not.
     */
    private static boolean escapesOrChangesMore(StatementAnalysis statement) {
        for (Trait trait : statement.traits()) {
            if (trait.escape()) {
                return true;
            }
        }
        return statement.action() != Action.SELECT && statement.action() != Action.CALL
                && statement.action() != Action.TRANSACTION && statement.action() != Action.TWO_PHASE_COMMIT;
    }

    /**
     * Adds to {@code into} what {@code routine}, whose body cannot be read, does: what the first declaration of it in
     * {@code declared} says, or anything.
     */
    private static void unseen(TableRef routine, StatementAnalysis statement, Dialect dialect,
                               List<RoutineFootprint> declared, List<Access> into) {
        for (RoutineFootprint footprint : declared) {
            if (!footprint.declares(routine, dialect)) {
                continue;
            }
            for (RoutineFootprint.Effect effect : footprint.does()) {
                for (Action action : effect.actions()) {
                    if (effect.anyTable()) {
                        into.add(new Access(action, null, statement, routine, false, false, false, false,
                                Implied.DECLARED_BODY));
                    }
                    for (RoutineFootprint.Name table : effect.tables()) {
                        into.add(new Access(action, table.in(dialect), statement, routine, false, false, false, false,
                                Implied.DECLARED_BODY));
                    }
                }
            }
            return;
        }
        opaque(routine, statement, into);
    }

    private static void opaque(TableRef routine, StatementAnalysis statement, List<Access> into) {
        for (Action action : OPAQUE_ACTIONS) {
            into.add(new Access(action, null, statement, routine, false, false, false, false, Implied.OPAQUE_BODY));
        }
    }

    /** Whether the access is the lock of rows a query reads ({@link Implied#ROW_LOCK}). */
    boolean rowLock() {
        return implied == Implied.ROW_LOCK;
    }

    /** An access of this one's statement, standing for what this one does to a related relation. */
    private Access related(Action action, TableRef table, TableRef through, boolean beneath, boolean view) {
        return new Access(action, table, statement, through, beneath, view, false, false, implied);
    }

    /** Views defined over views are followed this deep; deeper, the tables beneath cannot be told. */
    static final int MAXIMUM_VIEW_DEPTH = 8;

    /** What reading or writing a view does to the relations its definition reads (locking it locks them). */
    /** What hands out the values a relation holds. */
    private static final Set<Action> READS_VALUES = EnumSet.of(Action.SELECT, Action.COPY);

    private static final Set<Action> THROUGH_VIEWS = EnumSet.of(Action.SELECT, Action.INSERT, Action.UPDATE,
            Action.DELETE, Action.MERGE, Action.COPY, Action.LOCK);

    Access(Action action, TableRef table, StatementAnalysis statement) {
        this(action, table, statement, null, false, false, false, false);
    }

    Access(Action action, TableRef table, StatementAnalysis statement, TableRef through, boolean beneath) {
        this(action, table, statement, through, beneath, false, false, false);
    }

    Access(Action action, TableRef table, StatementAnalysis statement, TableRef through, boolean beneath, boolean view) {
        this(action, table, statement, through, beneath, view, false, false);
    }

    /**
     * An access to a table that {@code through} may be a partition or inheritance child of, or have, or (a view) be
     * defined over, which cannot be told.
     */
    boolean unknownRelative() {
        return table == null && through != null;
    }

    /**
     * {@code accesses}, each to a view followed by the same action, beneath it, on every relation the view's definition
     * reads, and so on through views of views ({@link #MAXIMUM_VIEW_DEPTH} deep), as {@code names} gives the
     * definitions: reading or writing a view reads or writes those relations' rows, so their forbids and approvals
     * cover it (the view's permit is theirs, as a parent's is its partitions'). A view whose definition cannot be
     * analysed, or that nests deeper, is followed by one access on an unknown table; a routine the definition calls
     * (not a known built-in) is a {@code call} beneath the view. A view's own drop, alter or
     * comment touches no row of the relations beneath it and is not followed.
     */
    static List<Access> throughViews(List<Access> accesses, NameResolver names, Dialect dialect, SqlAnalyzer analyzer,
                                     RoutineCatalog builtIns) {
        List<Access> all = null;
        List<Access> level = accesses;
        for (int depth = 1; !level.isEmpty(); depth++) {
            Set<String> named = new HashSet<>();
            for (Access access : level) {
                if (followsViews(access)) {
                    named.add(access.table().name());
                }
            }
            if (named.isEmpty()) {
                break;
            }
            names.prepare(named); // one catalog lookup for the level's names, where the resolver can
            List<Access> next = new ArrayList<>();
            for (Access access : level) {
                if (!followsViews(access)) {
                    continue;
                }
                String definition = names.viewDefinition(access.table().schema(), access.table().name());
                if (definition == null) {
                    continue;
                }
                SqlAnalysis defined = depth > MAXIMUM_VIEW_DEPTH ? null
                        : AnalysisResolution.resolve(analyzer.analyze(definition, dialect), names);
                if (defined == null || !defined.parsed() || defined.statements().size() != 1) {
                    next.add(access.related(access.action(), null, access.table(), true, true));
                    continue;
                }
                for (Access beneath : of(defined, builtIns)) {
                    if (beneath.sequence()) {
                        next.add(advancing(access.statement())); // a view whose definition calls nextval advances it
                    } else if (beneath.table() != null) {
                        // what the definition reads, the view's reader reads and its writer writes; what it calls, is called
                        next.add(beneath.action() == Action.CALL
                                ? new Access(Action.CALL, beneath.table(), access.statement(), access.table(), true, true)
                                : access.related(access.action(), beneath.table(), access.table(), true, true));
                    }
                }
            }
            if (all == null) {
                all = new ArrayList<>(accesses);
            }
            all.addAll(next);
            level = next;
        }
        return all == null ? accesses : all;
    }

    /**
     * {@code accesses}, each reading a relation of the database's own that holds values of tables' columns or of
     * statements ({@link #readsSystemValues}: column statistics, the statements sessions run), whether the statement
     * names it or a view of the application's it reads is defined over it, followed by a {@code select} beneath it on an unknown
     * table: the relation hands out values of any table (pg_stats' histogram of a column is its values), so every forbid
     * and approval of {@code select}, on whichever table, covers reading it. It needs no permit of its own (the
     * relation's permit is its).
     */
    static List<Access> throughSystemRelations(List<Access> accesses, Dialect dialect) {
        List<Access> all = null;
        for (Access access : accesses) {
            if (READS_VALUES.contains(access.action()) && access.readsSystemValues(dialect)) {
                if (all == null) {
                    all = new ArrayList<>(accesses);
                }
                all.add(new Access(Action.SELECT, null, access.statement(), access.table(), true, false, true, false));
            }
        }
        return all == null ? accesses : all;
    }

    /**
     * Whether the access is to a relation of the database's own that holds values of tables or statements
     * ({@link SystemRelations#mayHoldValues}): one the statement names, or one beneath a view of the application's. A
     * view of the system schemas is judged by its own listing, not by the relations it is defined over ({@code
     * pg_roles} shows no password, though {@code pg_authid} beneath it holds them).
     */
    boolean readsSystemValues(Dialect dialect) {
        return table != null && (!view || !SystemRelations.inSystemSchema(dialect, through))
                && SystemRelations.mayHoldValues(dialect, table);
    }

    /**
     * Whether the access reads or writes rows of a relation the statement names, a view is defined over, or the body of
     * a routine the statement calls reads or writes.
     */
    private static boolean followsViews(Access access) {
        return access.table() != null && access.table().schema() != null
                && (access.through() == null || access.view() || access.routineBody())
                && THROUGH_VIEWS.contains(access.action());
    }

    /**
     * Whether any of {@code accesses} is one {@code which} selects; if so, the names of their tables are looked up in
     * {@code names} at once (one catalog lookup for every name).
     */
    private static boolean prepared(List<Access> accesses, java.util.function.Predicate<Access> which, NameResolver names) {
        Set<String> named = new HashSet<>();
        for (Access access : accesses) {
            if (which.test(access)) {
                named.add(access.table().name());
            }
        }
        if (!named.isEmpty()) {
            names.prepare(named);
        }
        return !named.isEmpty();
    }

    /**
     * {@code accesses}, each followed by the same action on every table its table is a partition or inheritance child
     * of, and on every partition and child it has, at every level (PostgreSQL; other dialects have no such tables, or,
     * MariaDB, none with names of their own), as {@code names} tells them; by one on an unknown table when
     * {@code names} cannot tell. A routine called is no relation, and a relation being created has no relatives but
     * those its statement names.
     */
    static List<Access> withRelatives(List<Access> accesses, NameResolver names, Dialect dialect) {
        if (dialect != Dialect.POSTGRESQL) {
            return accesses;
        }
        if (!prepared(accesses, Access::hasAncestry, names)) {
            return accesses;
        }
        List<Access> all = new ArrayList<>(accesses.size() * 2);
        for (Access access : accesses) {
            all.add(access);
            if (!hasAncestry(access)) {
                continue;
            }
            List<TableRef> ancestors = names.ancestors(access.table().schema(), access.table().name());
            List<TableRef> descendants = ancestors == null ? null : names.descendants(access.table().schema(),
                    access.table().name());
            if (ancestors == null || descendants == null) {
                all.add(access.related(access.action(), null, access.table(), access.beneath(), false));
                continue;
            }
            for (TableRef ancestor : ancestors) {
                // a view's table's parent is beneath the view too: the view's permit is its
                all.add(access.related(access.action(), ancestor, access.table(), access.beneath(), false));
            }
            for (TableRef descendant : descendants) {
                all.add(access.related(access.action(), descendant, access.table(), true, false));
            }
        }
        return all;
    }

    /** The actions that write rows of the table they are on. */
    private static final Set<Action> WRITES_ROWS = EnumSet.of(Action.INSERT, Action.UPDATE, Action.DELETE, Action.MERGE);

    /**
     * {@code accesses}, each writing rows of a relation (the statement's own target, a view's table beneath it, a
     * partition or parent) followed by a {@code call} on every routine the database runs when that relation is written,
     * as {@code names} tells them ({@link NameResolver#routinesRunOnWrite}): on PostgreSQL a column's default or generated
     * expression, a check constraint, a column's domain's check, an index expression, a trigger or a rule runs a routine
     * of the database's own that the statement does not name (and a {@code TRUNCATE} of it runs its truncate triggers'
     * functions); on MariaDB and H2 a trigger of the table runs its body (H2:
     * its Java class), named as the trigger, with whatever effects and reads its body has, as
     * {@code SELECT f()} would. Each needs a permit of {@code call} as a call the statement names does, and forbids of
     * {@code call} cover it. When the routines cannot be told, one {@code call} on an unknown routine stands for them,
     * which only a permit of {@code call} on every routine permits.
     */
    static List<Access> throughWriteRoutines(List<Access> accesses, NameResolver names, Dialect dialect) {
        if (!dialect.catalogRead()) {
            return accesses;
        }
        java.util.function.Predicate<Access> runs = dialect == Dialect.POSTGRESQL
                ? a -> writesOrTruncates(a) || reevaluates(a) : Access::writesRows;
        if (!prepared(accesses, runs, names)) {
            return accesses;
        }
        List<Access> all = new ArrayList<>(accesses);
        Set<List<Object>> added = new HashSet<>(); // one call per statement, routine and relation written
        for (Access access : accesses) {
            if (access.cascaded() && access.table() == null
                    && (access.action() != Action.TRUNCATE || dialect == Dialect.POSTGRESQL)) {
                // rows of tables that cannot be told, written through foreign keys: their routines cannot be told either
                if (added.add(java.util.Arrays.asList(access.statement(), null, null))) {
                    all.add(new Access(Action.CALL, null, access.statement(), access.through(), false, false, false, false,
                            Implied.WRITE_ROUTINE));
                }
                continue;
            }
            if (!runs.test(access) || (dialect == Dialect.MARIADB && access.cascaded())) {
                continue; // MariaDB fires no trigger for the rows a foreign key's action writes
            }
            TableRef written = access.table();
            // a trigger's function runs for the events its triggers fire on (PostgreSQL's catalog tells them); a command
            // computing the relation's expressions anew runs those its expressions call (any, for a pattern of names)
            List<TableRef> routines = !reevaluates(access) ? names.routinesRunOnWrite(written.schema(), written.name(),
                    access.action(), access.statement().has(Trait.UPSERT))
                    : "*".equals(written.schema()) || "*".equals(written.name()) ? null
                    : givenRows(names, written);
            if (routines == null) {
                if (added.add(java.util.Arrays.asList(access.statement(), null, written))) {
                    all.add(new Access(Action.CALL, null, access.statement(), written, false, false, false, false,
                            Implied.WRITE_ROUTINE));
                }
                continue;
            }
            for (TableRef routine : routines) {
                if (added.add(java.util.Arrays.asList(access.statement(), routine, written))) {
                    all.add(new Access(Action.CALL, routine, access.statement(), written, false, false, false, false,
                            Implied.WRITE_ROUTINE));
                }
            }
        }
        return all;
    }

    /**
     * {@code accesses}, each reading or writing rows of a table on PostgreSQL, followed by the {@code call} of every routine
     * the database runs for the table's row security then, as {@code names} tells them
     * ({@link NameResolver#routinesOfRowSecurity}: what its row-level security policies' expressions call), or of any
     * routine when that cannot be told ({@link Implied#ROW_SECURITY_ROUTINE}): each needs a permit of {@code call}, as a
     * routine a view's definition or a write runs does, and its body is followed as theirs are. A policy's expression
     * runs for the statement's rows whichever command the policy names; rows written through a foreign key's action are
     * not checked by row security.
     */
    static List<Access> throughRowSecurity(List<Access> accesses, NameResolver names, Dialect dialect) {
        if (dialect != Dialect.POSTGRESQL || !prepared(accesses, Access::touchesRows, names)) {
            return accesses;
        }
        return withCallsOfRelationRoutines(accesses, Access::touchesRows, names::routinesOfRowSecurity,
                Implied.ROW_SECURITY_ROUTINE);
    }

    /**
     * {@code accesses}, each of those {@code which} selects followed by the {@code call} of every routine
     * {@code routinesOf} gives for its relation (of any routine when that is {@code null}), as {@code implied}: once per
     * statement, routine and relation.
     */
    private static List<Access> withCallsOfRelationRoutines(List<Access> accesses, java.util.function.Predicate<Access> which,
                                                            java.util.function.BiFunction<String, String, List<TableRef>> routinesOf,
                                                            Implied implied) {
        List<Access> all = null;
        Set<List<Object>> added = null; // one call per statement, routine and relation
        for (Access access : accesses) {
            if (!which.test(access)) {
                continue;
            }
            TableRef relation = access.table();
            List<TableRef> routines = routinesOf.apply(relation.schema(), relation.name());
            if (routines != null && routines.isEmpty()) {
                continue;
            }
            if (all == null) {
                all = new ArrayList<>(accesses);
                added = new HashSet<>();
            }
            for (TableRef routine : routines == null ? java.util.Collections.<TableRef>singletonList(null) : routines) {
                if (added.add(java.util.Arrays.asList(access.statement(), routine, relation))) {
                    all.add(new Access(Action.CALL, routine, access.statement(), relation, false, false, false, false,
                            implied));
                }
            }
        }
        return all == null ? accesses : all;
    }

    /**
     * The kinds of statement PostgreSQL fires event triggers for ({@code ddl_command_start} and {@code _end},
     * {@code sql_drop}, {@code table_rewrite}): definitions, changes and drops of objects, grants, comments; and
     * {@code other}, whose kinds this does not tell apart ({@code REFRESH MATERIALIZED VIEW}, {@code SECURITY LABEL},
     * {@code IMPORT FOREIGN SCHEMA} among them).
     */
    private static final Set<Action> FIRES_EVENT_TRIGGERS = EnumSet.of(Action.CREATE, Action.ALTER, Action.DROP,
            Action.RENAME, Action.COMMENT, Action.GRANT, Action.REVOKE, Action.DEFINE_CODE, Action.OTHER);

    /**
     * {@code accesses}, followed, for each statement of theirs that is DDL on PostgreSQL ({@link #FIRES_EVENT_TRIGGERS}),
     * by the {@code call} of every function of the database's enabled event triggers ({@link NameResolver#routinesOfEventTriggers}),
     * or of any routine when that cannot be told ({@link Implied#EVENT_TRIGGER_ROUTINE}): each needs a permit of
     * {@code call}, as a trigger's function a write runs does, and its body is followed as theirs are. An event
     * trigger's own tags and events are not read: each counts for every such statement.
     */
    static List<Access> throughEventTriggers(List<Access> accesses, NameResolver names, Dialect dialect) {
        if (dialect != Dialect.POSTGRESQL) {
            return accesses;
        }
        List<Access> all = null;
        Set<StatementAnalysis> done = null; // each statement once, told apart by identity
        for (Access access : accesses) {
            StatementAnalysis statement = access.statement();
            if (!FIRES_EVENT_TRIGGERS.contains(statement.action()) || access.implied() == Implied.EVENT_TRIGGER_ROUTINE) {
                continue;
            }
            if (done == null) {
                done = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            }
            if (!done.add(statement)) {
                continue;
            }
            List<TableRef> routines = names.routinesOfEventTriggers();
            if (routines != null && routines.isEmpty()) {
                continue;
            }
            if (all == null) {
                all = new ArrayList<>(accesses);
            }
            for (TableRef routine : routines == null ? java.util.Collections.<TableRef>singletonList(null) : routines) {
                all.add(new Access(Action.CALL, routine, statement, EVENT_TRIGGERS, false, false, false, false,
                        Implied.EVENT_TRIGGER_ROUTINE));
            }
        }
        return all == null ? accesses : all;
    }

    /**
     * {@code accesses}, each querying a table on H2 (the statement's own read, a view's table beneath it, a read of a
     * routine's body), followed by the {@code call} of every routine the database runs then, as {@code names} tells them
     * ({@link NameResolver#routinesRunOnRead}: its {@code SELECT} triggers), or of any routine when that cannot be told
     * ({@link Implied#READ_ROUTINE}): each needs a permit of {@code call}, as a trigger a write runs does.
     */
    static List<Access> throughReadRoutines(List<Access> accesses, NameResolver names, Dialect dialect) {
        if (!dialect.isH2()) {
            return accesses;
        }
        return withCallsOfRelationRoutines(accesses, a -> a.action() == Action.SELECT && touchesRows(a) && !a.sequence(),
                names::routinesRunOnRead, Implied.READ_ROUTINE);
    }

    /** Actions on a relation whose rows its row security checks (PostgreSQL's {@code SELECT}, {@code INSERT}, …). */
    private static final Set<Action> ROW_ACTIONS = java.util.EnumSet.of(Action.SELECT, Action.INSERT, Action.UPDATE,
            Action.DELETE, Action.MERGE, Action.COPY);

    /**
     * Whether the access reads or writes rows of a relation that row security may check: one the statement or a
     * routine's body names, or a view's definition reads; not a partition or inheritance child read through its parent
     * (whose row security is the parent's), the call of a routine, the advance of a sequence, a row lock (its rows are
     * read, by the same access's {@code select}) or a write the database makes through a foreign key.
     */
    private static boolean touchesRows(Access access) {
        return access.table() != null && ROW_ACTIONS.contains(access.action()) && (access.implied() == Implied.NONE
                && (access.through() == null || access.view()) || access.implied() == Implied.ROUTINE_BODY);
    }

    /**
     * {@code accesses}, each deleting, updating or truncating ({@code TRUNCATE … CASCADE}) rows of a table, followed by
     * the {@code delete}, {@code update} or {@code truncate} of every table the database writes on its own then, as
     * {@code names} tells them ({@link NameResolver#cascadedWrites}): a foreign key {@code ON DELETE CASCADE} deletes the
     * referencing rows, {@code SET NULL} and {@code SET DEFAULT} (and {@code ON UPDATE …}) update them, and so on from
     * those tables; {@code TRUNCATE … CASCADE} empties every table referencing one it empties. Each such write needs the
     * permit a statement writing that table itself needs, and its forbids and approvals cover it. When the tables cannot
     * be told, one access on an unknown table stands for them, which only a permit of the action on every table permits
     * and every forbid of it covers. A {@code MERGE} may delete and update; an upsert ({@code ON CONFLICT … DO UPDATE},
     * {@code ON DUPLICATE KEY UPDATE}) may update; MariaDB's {@code REPLACE} is a delete of the rows it replaces as well.
     */
    static List<Access> throughCascadedWrites(List<Access> accesses, NameResolver names, Dialect dialect) {
        if (!dialect.catalogRead()) {
            return accesses;
        }
        if (!prepared(accesses, a -> !cascadingActions(a).isEmpty(), names)) {
            return accesses;
        }
        List<Access> all = new ArrayList<>(accesses);
        Set<List<Object>> added = new HashSet<>(); // one access per statement, action, table and table written
        for (Access access : accesses) {
            for (Action action : cascadingActions(access)) {
                TableRef written = access.table();
                List<io.governed.sql.names.CascadedWrite> writes = names.cascadedWrites(written.schema(), written.name(),
                        action);
                if (writes == null) {
                    for (Action unknown : action == Action.TRUNCATE ? List.of(Action.TRUNCATE)
                            : List.of(Action.DELETE, Action.UPDATE)) {
                        if (added.add(java.util.Arrays.asList(access.statement(), unknown, null, written))) {
                            all.add(new Access(unknown, null, access.statement(), written, false, false, false, false,
                                    Implied.CASCADED));
                        }
                    }
                    continue;
                }
                for (io.governed.sql.names.CascadedWrite write : writes) {
                    if (added.add(java.util.Arrays.asList(access.statement(), write.action(), write.table(), written))) {
                        all.add(new Access(write.action(), write.table(), access.statement(), written, false, false, false,
                                false, Implied.CASCADED));
                    }
                }
            }
        }
        return all;
    }

    /**
     * {@code accesses}, each dropping or altering, with {@code CASCADE}, a relation or routine the statement names
     * (PostgreSQL, H2: {@code DROP TABLE|VIEW|FUNCTION|SEQUENCE … CASCADE}, {@code ALTER TABLE … DROP COLUMN|CONSTRAINT
     * … CASCADE}), followed by the {@code drop} of every relation or routine the database drops with it and the
     * {@code alter} of every table whose parts (a foreign key, a trigger, a default, a check, a policy, a column) it
     * drops, as {@code names} tells them ({@link NameResolver#cascadedWrites} with {@code drop}); where that cannot be
     * told (no catalog, a name that is a pattern, an object of another kind), by a {@code drop} and an {@code alter} on
     * an unknown table, which only a permit of both on every table permits and every forbid of either covers. MariaDB
     * reads {@code CASCADE} and ignores it. A statement that renames with {@code CASCADE} (PostgreSQL's {@code ALTER TYPE
     * … RENAME ATTRIBUTE … CASCADE}) names every table already.
     */
    static List<Access> throughCascadedDrops(List<Access> accesses, NameResolver names, Dialect dialect) {
        if (dialect != Dialect.POSTGRESQL && !dialect.isH2()) {
            return accesses;
        }
        List<Access> all = null; // allocated for a statement with CASCADE only: the hot path pays nothing
        Set<List<Object>> added = null; // one access per statement, action, object and object named
        for (int i = 0, n = accesses.size(); i < n; i++) {
            Access access = accesses.get(i);
            if (!dropsWithCascade(access)) {
                continue;
            }
            if (all == null) {
                all = new ArrayList<>(accesses);
                added = new HashSet<>();
            }
            TableRef named = access.table();
            List<io.governed.sql.names.CascadedWrite> dependents = "*".equals(named.name())
                    || "*".equals(named.schema()) ? null : names.cascadedWrites(named.schema(), named.name(), Action.DROP);
            if (dependents == null) {
                for (Action unknown : List.of(Action.DROP, Action.ALTER)) {
                    if (added.add(java.util.Arrays.asList(access.statement(), unknown, null, named))) {
                        all.add(new Access(unknown, null, access.statement(), named, false, false, false, false,
                                Implied.DEPENDENT));
                    }
                }
                continue;
            }
            for (io.governed.sql.names.CascadedWrite dependent : dependents) {
                if (added.add(java.util.Arrays.asList(access.statement(), dependent.action(), dependent.table(), named))) {
                    all.add(new Access(dependent.action(), dependent.table(), access.statement(), named, false, false,
                            false, false, Implied.DEPENDENT));
                }
            }
        }
        return all == null ? accesses : all;
    }

    /** Whether the access is a {@code DROP} or {@code ALTER} with {@code CASCADE} of an object the statement names. */
    private static boolean dropsWithCascade(Access access) {
        StatementAnalysis statement = access.statement();
        return (access.action() == Action.DROP || access.action() == Action.ALTER) && access.table() != null
                && access.implied() == Implied.NONE && access.through() == null
                && (statement.action() == Action.DROP || statement.action() == Action.ALTER)
                && statement.has(Trait.CASCADE) && !statement.has(Trait.RENAMES);
    }

    /**
     * The kinds of write of {@code access} that a foreign key's referential action may follow: {@code delete} for a
     * delete, {@code update} for an update or an upsert, both for a {@code MERGE}, {@code truncate} for a
     * {@code TRUNCATE … CASCADE}. None for another access, nor for one on a partition's relative (the relation written
     * is followed itself); a table beneath a view written is followed.
     */
    private static List<Action> cascadingActions(Access access) {
        if (access.table() == null || access.implied() != Implied.NONE || (access.through() != null && !access.view())) {
            return List.of();
        }
        StatementAnalysis statement = access.statement();
        return switch (access.action()) {
            case DELETE -> List.of(Action.DELETE);
            case UPDATE -> List.of(Action.UPDATE);
            case MERGE -> List.of(Action.DELETE, Action.UPDATE);
            case INSERT -> statement.has(Trait.UPSERT) ? List.of(Action.UPDATE) : List.of();
            case TRUNCATE -> statement.has(Trait.CASCADE) ? List.of(Action.TRUNCATE) : List.of();
            default -> List.of();
        };
    }

    /**
     * Whether the access is the one a command computing a relation's expressions anew over its stored rows makes on the
     * relation it names ({@link Trait#REEVALUATES_ROWS}: {@code REINDEX}, {@code CLUSTER}, {@code VACUUM},
     * {@code ANALYZE}, {@code REFRESH MATERIALIZED VIEW}, an {@code ALTER TABLE} that does more than add), whose
     * routines ({@link NameResolver#routinesGivenRows}) then run with those rows' values.
     */
    private static boolean reevaluates(Access access) {
        return (access.action() == Action.OTHER || access.action() == Action.ALTER) && access.table() != null
                && access.through() == null && access.implied() == Implied.NONE
                && access.statement().has(Trait.REEVALUATES_ROWS);
    }

    /**
     * The routines the database runs with values of {@code relation}'s stored rows ({@link NameResolver#routinesGivenRows});
     * where that is not told, every routine writing it runs; {@code null} where neither is.
     */
    static List<TableRef> givenRows(NameResolver names, TableRef relation) {
        List<TableRef> given = names.routinesGivenRows(relation.schema(), relation.name());
        return given != null ? given : names.routinesRunOnWrite(relation.schema(), relation.name());
    }

    /**
     * Whether the access writes rows of a relation ({@link #writesRows}) or empties it ({@code TRUNCATE}, also one
     * {@code CASCADE} empties): PostgreSQL runs a table's {@code TRUNCATE} triggers then, whose functions may do anything
     * (which routines run for which event is the catalog's to tell: those of its defaults, checks and index expressions
     * for none).
     */
    private static boolean writesOrTruncates(Access access) {
        return writesRows(access) || access.action() == Action.TRUNCATE && access.table() != null
                && access.implied() != Implied.WRITE_ROUTINE;
    }

    /**
     * Whether the access writes rows of a relation: an {@code INSERT}, {@code UPDATE}, {@code DELETE} or {@code MERGE} of
     * it (a data-modifying {@code WITH} is a statement of its own; not a row lock, which changes no row), or a
     * {@code COPY … FROM} into it (a table {@code COPY … TO} copies out is read as well as written).
     */
    private static boolean writesRows(Access access) {
        if (access.table() == null || access.sequence() || access.rowLock() || access.writeRoutine()) {
            return false;
        }
        if (WRITES_ROWS.contains(access.action())) {
            return true;
        }
        StatementAnalysis statement = access.statement();
        TableRef named = access.through() == null || access.view() ? access.table() : access.through();
        return access.action() == Action.COPY && statement.action() == Action.COPY
                && statement.tablesWritten().contains(named) && !statement.tablesRead().contains(named);
    }

    private static boolean hasAncestry(Access access) {
        return access.table() != null && (access.through() == null || access.view()) && access.action() != Action.CALL
                && access.action() != Action.CREATE;
    }

    /**
     * Whether {@code routine}, a built-in of {@code builtIns}, may read any table out of the analysis' sight: one the
     * catalog says may read tables, not known to derive its result only from its arguments.
     */
    static boolean readsAnyTable(TableRef routine, RoutineCatalog builtIns) {
        return builtIns.isBuiltIn(routine) && builtIns.mayReadTables(routine)
                && !BuiltInRoutines.derivesOnlyFromArguments(routine.name());
    }

    /** The accesses of every statement of the analysis, in order; every routine it calls is a {@code call}. */
    static List<Access> of(SqlAnalysis analysis) {
        return of(analysis, RoutineCatalog.NONE);
    }

    /**
     * The accesses of every statement of the analysis, in order, with a {@code call} on every routine
     * it calls that {@code builtIns} does not know as a built-in.
     */
    static List<Access> of(SqlAnalysis analysis, RoutineCatalog builtIns) {
        List<Access> accesses = new ArrayList<>();
        for (StatementAnalysis statement : analysis.statements()) {
            List<Access> calls = new ArrayList<>(statement.routines().size());
            for (TableRef routine : statement.routines()) {
                if (!builtIns.isBuiltIn(routine)) {
                    calls.add(new Access(Action.CALL, routine, statement));
                } else if (readsAnyTable(routine, builtIns)) {
                    // table_to_xml('vault.notes', …): a built-in of the catalog that may read any table, named in a value
                    calls.add(new Access(Action.SELECT, null, statement, routine, false, false, false, true));
                }
            }
            // CALL p: the call on p says it all; a CALL of a built-in stays a call on no routine.
            List<Access> own = of(statement);
            if (statement.action() == Action.CALL && !calls.isEmpty()) {
                own.removeIf(a -> a.table() == null);
            }
            accesses.addAll(own);
            accesses.addAll(calls);
        }
        return accesses;
    }

    /**
     * The pairs of a statement: its action on every table it writes, {@code select} on every table
     * it reads, and its action on no table when it writes none (unless it is a query that reads
     * tables: then the reads say it all). A statement with no table at all is one pair with no table.
     */
    private static List<Access> of(StatementAnalysis statement) {
        List<Access> accesses = new ArrayList<>(statement.tablesWritten().size() + statement.tablesRead().size() + 1);
        boolean replaces = statement.has(Trait.REPLACES); // CREATE OR REPLACE: a create as well as a drop or an alter
        for (TableRef table : statement.tablesWritten()) {
            accesses.add(new Access(statement.action(), table, statement));
            if (replaces) {
                accesses.add(new Access(Action.CREATE, table, statement));
            }
        }
        for (TableRef table : statement.tablesRead()) {
            accesses.add(new Access(Action.SELECT, table, statement));
        }
        boolean plainQuery = statement.action() == Action.SELECT && !statement.tablesRead().isEmpty();
        if (statement.tablesWritten().isEmpty() && !plainQuery) {
            accesses.add(new Access(statement.action(), null, statement));
            if (replaces) {
                accesses.add(new Access(Action.CREATE, null, statement));
            }
        }
        if (statement.has(Trait.ADVANCES_SEQUENCE)) {
            accesses.add(advancing(statement));
        }
        if (statement.has(Trait.RESTARTS_IDENTITY)) {
            // TRUNCATE … RESTART IDENTITY: the sequences owned by each truncated table's columns, not named, so any table
            for (TableRef table : statement.tablesWritten()) {
                accesses.add(new Access(Action.ALTER, null, statement, table, false, false, false, false,
                        Implied.DEPENDENT));
            }
        }
        if (statement.has(Trait.RESTARTS_TABLE_IDENTITY)) {
            // H2's TRUNCATE TABLE t RESTART IDENTITY: the identity columns of t, whose generators are t's own
            for (TableRef table : statement.tablesWritten()) {
                accesses.add(new Access(Action.ALTER, table, statement));
            }
        }
        if (statement.has(Trait.LOCKS_ROWS)) {
            // SELECT … FOR UPDATE: which of the tables read it locks is not told apart (FOR UPDATE OF t, a subquery's
            // tables), so each counts
            for (TableRef table : statement.tablesRead()) {
                accesses.add(new Access(Action.UPDATE, table, statement, null, false, false, false, false, Implied.ROW_LOCK));
            }
        }
        return accesses;
    }

    /** The {@code insert} on a sequence {@code statement} advances ({@link Implied#SEQUENCE}). */
    private static Access advancing(StatementAnalysis statement) {
        return new Access(Action.INSERT, null, statement, null, false, false, false, false, Implied.SEQUENCE);
    }

    /**
     * {@code drop on public.users}, {@code set} (no table), {@code select on public.orders (through its partition or
     * inheritance child public.orders_2024)}, {@code select on public.orders_2024 (a partition or inheritance child of
     * public.orders, …)}.
     */
    String describe() {
        if (holdsValues) {
            return action.externalName() + " on " + through.qualifiedName() + ", which holds values of any table's columns"
                    + " or statements (column statistics, statements of sessions, variables or secrets), so on any table";
        }
        if (view) {
            return table == null ? action.externalName() + " on the tables view " + through.qualifiedName() + " is defined"
                    + " over, which cannot be told (its definition could not be analysed, or nests views more than "
                    + MAXIMUM_VIEW_DEPTH + " deep), so on any table"
                    : action.externalName() + " on " + table.qualifiedName() + " (beneath view " + through.qualifiedName()
                    + ", which is defined over it)";
        }
        if (functionReads) {
            return action.externalName() + " on any table, which the database's built-in " + through.name() + " may read"
                    + " out of the analysis' sight (it is not immutable, and not known to derive only from its arguments:"
                    + " table_to_xml('schema.table', …) reads the table its argument names)";
        }
        if (opaqueBody() && doBlock()) {
            return action.externalName() + " on any table, which the DO block may do: a DO block is judged as a call of a"
                    + " routine with its code as body, and its code could not be analysed (it is written in another"
                    + " language than PL/pgSQL, runs dynamic SQL with EXECUTE, changes a setting, could not be read for"
                    + " certain or parsed, or runs code more than " + MAXIMUM_ROUTINE_DEPTH + " deep)";
        }
        if (routineBody() && doBlock()) {
            return action.externalName() + " on " + (table == null ? "any table" : table.qualifiedName())
                    + ", which the code of the DO block reads or writes (a DO block is judged as a call of a routine with"
                    + " its code as body: it does what its code does)";
        }
        if (opaqueBody()) {
            return action.externalName() + " on any table, which routine " + through.qualifiedName() + " may do when the"
                    + " statement calls it or the database runs it for the statement (a trigger, a default, a view's"
                    + " call): its body could not be analysed (it is written in another language than SQL, runs dynamic"
                    + " SQL, could not be parsed or read from the catalog, or calls routines more than "
                    + MAXIMUM_ROUTINE_DEPTH + " deep), and the policy's routines section does not declare what it does";
        }
        if (implied == Implied.DECLARED_BODY) {
            return action.externalName() + " on " + (table == null ? "any table" : table.qualifiedName()) + ", which the"
                    + " policy's routines section declares routine " + through.qualifiedName() + " does (its body could not"
                    + " be analysed)";
        }
        if (routineBody()) {
            return action.externalName() + " on " + (table == null ? "any table" : table.qualifiedName())
                    + ", which the body of routine "
                    + through.qualifiedName() + " the statement calls reads or writes (a call does what its body does)";
        }
        if (sequence()) {
            return action.externalName() + " on a sequence the statement advances (nextval, NEXT VALUE FOR), which the"
                    + " analysis does not name, so a permit of " + action.externalName() + " on any table permits it";
        }
        if (cascaded()) {
            String how = action == Action.TRUNCATE ? "which TRUNCATE … CASCADE empties with "
                    + through.qualifiedName() + " since a foreign key of it references that table (or one so emptied)"
                    : action == Action.DELETE ? "whose rows the database deletes through a foreign key's ON DELETE CASCADE"
                    + " when the statement writes " + through.qualifiedName()
                    : "whose rows the database updates through a foreign key's referential action (ON DELETE SET NULL or"
                    + " SET DEFAULT, ON UPDATE CASCADE, SET NULL or SET DEFAULT) when the statement writes "
                    + through.qualifiedName();
            return table == null ? action.externalName() + " on any table, since which tables the database "
                    + (action == Action.TRUNCATE ? "truncates with " : "deletes or updates through foreign keys' referential"
                    + " actions when the statement writes ") + through.qualifiedName() + " could not be read from the"
                    + " catalog"
                    : action.externalName() + " on " + table.qualifiedName() + ", " + how;
        }
        if (dependent() && statement.has(Trait.RESTARTS_IDENTITY) && statement.action() == Action.TRUNCATE) {
            return action.externalName() + " on any table, since which sequences the statement's RESTART IDENTITY"
                    + " restarts with " + through.qualifiedName() + " (those owned by its serial and identity columns, and by"
                    + " the columns of the tables its CASCADE truncates) is not read from the catalog; restart them by name"
                    + " (ALTER SEQUENCE s RESTART) and truncate without RESTART IDENTITY, or have it run by an identity"
                    + " permitted alter on every table (\"*\")";
        }
        if (dependent()) {
            return table == null ? action.externalName() + " on any table, since what the database drops or changes"
                    + " with " + through.qualifiedName() + " when the statement's CASCADE reaches its dependents (views"
                    + " over it, other tables' foreign keys, triggers, defaults, checks, policies and columns depending on"
                    + " it) could not be read from the catalog; drop or alter the dependents by name first and drop it"
                    + " without CASCADE, or have it run by an identity permitted drop and alter on every table (\"*\")"
                    : action.externalName() + " on " + table.qualifiedName() + ", which the database "
                    + (action == Action.DROP ? "drops" : "changes (a foreign key, trigger, default, check, policy or"
                    + " column of it is dropped)") + " with " + through.qualifiedName() + " through the statement's CASCADE";
        }
        if (writeRoutine() && (statement.action() == Action.OTHER || statement.action() == Action.ALTER)
                && statement.has(Trait.REEVALUATES_ROWS)) {
            return table == null ? action.externalName() + " on any routine, since which routines the expressions of "
                    + through.qualifiedName() + " call (its index expressions and predicates, checks, generated columns)"
                    + " could not be told from the catalog (it could not be read, or the statement names a pattern of"
                    + " relations), which only a permit of call on every routine (\"*\") permits"
                    : action.externalName() + " on " + table.qualifiedName() + ", which the database runs with the stored"
                    + " rows of " + through.qualifiedName() + " when the statement computes its expressions anew (REINDEX,"
                    + " CLUSTER, VACUUM, ANALYZE, REFRESH MATERIALIZED VIEW, an ALTER TABLE that rewrites or validates; an"
                    + " index expression or predicate, a check or a generated column of it calls it)";
        }
        if (writeRoutine()) {
            return table == null ? action.externalName() + " on any routine, since which routines writing "
                    + through.qualifiedName() + " runs (its defaults, checks, index expressions, triggers and rules) could"
                    + " not be told from the catalog (it could not be read; or the table has a rule, CREATE RULE … DO ALSO"
                    + " or INSTEAD, whose statements run unanalysed; or, on MariaDB, the session's user lacks the TRIGGER"
                    + " privilege on the table that shows its triggers), which only a permit of call on every routine"
                    + " (\"*\") permits"
                    : action.externalName() + " on " + table.qualifiedName() + ", which the database runs when the"
                    + " statement writes " + through.qualifiedName() + " (a column default or generated expression, a check,"
                    + " a column's domain, an index expression, a trigger or a rule of it calls it, or it is a trigger of it)";
        }
        if (readRoutine()) {
            return table == null ? action.externalName() + " on any routine, since which routines a query of "
                    + through.qualifiedName() + " runs (its SELECT triggers) could not be told from the catalog, which only"
                    + " a permit of call on every routine (\"*\") permits"
                    : action.externalName() + " on " + table.qualifiedName() + ", which the database runs when the"
                    + " statement reads " + through.qualifiedName() + " (a trigger BEFORE SELECT on it runs its Java class)";
        }
        if (eventTriggerRoutine()) {
            return table == null ? action.externalName() + " on any routine, since which functions the database's event"
                    + " triggers run for the statement's DDL could not be told from the catalog (pg_event_trigger), which"
                    + " only a permit of call on every routine (\"*\") permits"
                    : action.externalName() + " on " + table.qualifiedName() + ", which the database runs for the"
                    + " statement's DDL (an event trigger's function, CREATE EVENT TRIGGER … EXECUTE FUNCTION "
                    + table.qualifiedName() + "())";
        }
        if (rowSecurityRoutine()) {
            return table == null ? action.externalName() + " on any routine, since which routines the row security of "
                    + through.qualifiedName() + " runs when the statement reads or writes its rows could not be told from"
                    + " the catalog, which only a permit of call on every routine (\"*\") permits"
                    : action.externalName() + " on " + table.qualifiedName() + ", which the database runs when the"
                    + " statement reads or writes rows of " + through.qualifiedName() + " (a row-level security policy of"
                    + " it calls it, with the row's values)";
        }
        if (unknownRelative()) {
            return action.externalName() + " on " + through.qualifiedName() + ", which may be a partition or inheritance"
                    + " child of any table, or have any as its own (the catalog could not be read to tell), so on any table";
        }
        String own = table == null ? action.externalName() : action.externalName() + " on " + table.qualifiedName();
        if (rowLock()) {
            own += " (the rows a SELECT … FOR UPDATE or FOR SHARE locks, which, as in PostgreSQL's own privileges, takes a"
                    + " permit to update the table)";
        }
        return through == null ? own : beneath ? own + " (a partition or inheritance child of " + through.qualifiedName()
                + ", whose rows are among those of " + through.qualifiedName() + ")"
                : own + " (through its partition or inheritance child " + through.qualifiedName() + ")";
    }
}
