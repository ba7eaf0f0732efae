package io.governed.policy.engine;

import io.governed.sql.Action;
import io.governed.sql.ColumnRef;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;
import io.governed.sql.Trait;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The statements of the code the database runs for a statement, read from the bodies {@link Access} follows, one
 * {@link Unit} per routine the statement calls, {@code DO} block it runs, or routine a write of it runs (a trigger's
 * function, a default's or a check's routine), each holding its own body's statements and those of the routines it calls
 * in turn: values pass between them through the body's variables, which the analysis of each statement does not see.
 * {@link MaskedDataFlow} checks them for masked values leaving through that code.
 */
final class RunCode {

    /** The code run for one call, {@code DO} or routine run by a write. */
    static final class Unit {
        private final RunCode owner;
        private final TableRef routine;
        private final TableRef rowOf;
        private final StatementAnalysis writing;
        private final StatementAnalysis caller;
        private final TableRef view;
        private TableRef rowSecurityOf;
        private boolean givenRows;
        private boolean eventTrigger;
        private final List<StatementAnalysis> statements = new ArrayList<>();
        private boolean unseenReads;
        private boolean unseenWrites;

        private Unit(RunCode owner, TableRef routine, TableRef rowOf, StatementAnalysis writing,
                     StatementAnalysis caller, TableRef view) {
            this.owner = owner;
            this.routine = routine;
            this.rowOf = rowOf;
            this.writing = writing;
            this.caller = caller;
            this.view = view;
        }

        /**
         * The relation whose row security runs the routine, with values of its rows as arguments, or {@code null}.
         */
        TableRef rowSecurityOf() {
            return rowSecurityOf;
        }

        /**
         * The relation whose stored rows' values the routine takes as arguments (a check, a generated column, an index
         * expression of it calls it, and the statement updates, deletes or merges its rows or computes its expressions
         * anew), or {@code null}: a trigger's function, code the statement calls, or rows that hold what the caller gave
         * (a plain {@code INSERT}'s, a {@code COPY … FROM}'s).
         */
        TableRef storedRowsGiven() {
            if (!givenRows || rowOf == null || writing == null || writesCallersRows()
                    || writing.action() == Action.TRUNCATE) {
                return null;
            }
            return rowOf;
        }

        /** Whether the rows written hold what the caller gave: a plain {@code INSERT}'s, a {@code COPY … FROM}'s. */
        private boolean writesCallersRows() {
            return writing != null && (writing.action() == Action.INSERT && !writing.has(Trait.UPSERT)
                    || writing.action() == Action.COPY);
        }

        /** Whether the routine is an event trigger's function, run for the statement's DDL. */
        boolean eventTrigger() {
            return eventTrigger;
        }

        /** The statement whose write runs the routine, or {@code null} for code a statement calls or a view runs. */
        StatementAnalysis writing() {
            return writing;
        }

        /** The view whose definition calls the routine ({@link #caller} is that definition), or {@code null}. */
        TableRef view() {
            return view;
        }

        /**
         * The statement that calls the routine with arguments of its own, whose values the routine's code receives as
         * parameters (which its texts read as {@code NULL}); {@code null} for a {@code DO} block, a routine a write or a
         * view runs.
         */
        StatementAnalysis caller() {
            return caller;
        }

        /** The routine called or run ({@link Access#DO_BLOCK} for a {@code DO} block). */
        TableRef routine() {
            return routine;
        }

        /**
         * The table whose write runs the routine (its trigger's {@code NEW} and {@code OLD} rows are that table's,
         * {@link io.governed.sql.PlpgsqlBody#TRIGGER_ROW}), or {@code null} for code the statement calls or runs itself.
         */
        TableRef rowOf() {
            return rowOf;
        }

        /**
         * The column a reference of its code reads: a column of a trigger's row ({@link io.governed.sql.PlpgsqlBody#TRIGGER_ROW})
         * as the written table's, or {@code null} where that row holds what the caller gave (a plain {@code INSERT}'s,
         * a {@code COPY … FROM}'s) or no table is written; any other reference as it is.
         */
        ColumnRef asRead(ColumnRef ref) {
            if (!Access.triggerRow(ref.table())) {
                return ref;
            }
            if (rowOf == null || writesCallersRows()) {
                return null;
            }
            return new ColumnRef(rowOf, ref.column(), ref.clause());
        }

        private RunCode owner() {
            return owner;
        }

        /**
         * Whether code of it that could not be read (a body of dynamic SQL, of another language, not visible) may read
         * tables, as the policy's declaration of the routine says or, declared nowhere, anything.
         */
        boolean unseenReads() {
            return unseenReads;
        }

        /** Whether code of it that could not be read may write, keep or hand out values, as {@link #unseenReads}. */
        boolean unseenWrites() {
            return unseenWrites;
        }

        /** The statements of its code, and of the routines that code calls, as read. */
        List<StatementAnalysis> statements() {
            return statements;
        }
    }

    // made at the first unit: most statements run no code, and one of these is made per decision
    private List<Unit> units;
    /** The statements of each routine's own body, as first read: a routine is followed once per statement. */
    private Map<TableRef, List<StatementAnalysis>> bodies;

    /** A unit for code the statement calls or runs itself; {@code caller}: the statement passing it arguments, if any. */
    Unit called(TableRef routine, StatementAnalysis caller) {
        return add(new Unit(this, routine, null, null, caller, null));
    }

    /** A unit for the function of an event trigger the statement's DDL fires (it takes no arguments). */
    Unit runByEventTrigger(TableRef routine) {
        Unit unit = add(new Unit(this, routine, null, null, null, null));
        unit.eventTrigger = true;
        return unit;
    }

    /** A unit for a routine the row security of {@code relation} runs (a policy's expression calls it). */
    Unit runForRowSecurity(TableRef routine, TableRef relation) {
        Unit unit = add(new Unit(this, routine, null, null, null, null));
        unit.rowSecurityOf = relation;
        return unit;
    }

    /** A unit for a routine the definition of {@code view} ({@code definition}, may be {@code null}: not read) calls. */
    Unit calledByView(TableRef routine, TableRef view, StatementAnalysis definition) {
        Unit unit = add(new Unit(this, routine, null, null, definition, view));
        if (definition == null) {
            unit.unseenReads = true; // its arguments may be any column of any table, as what unread code reads
        }
        return unit;
    }

    /**
     * A unit for a routine the database runs when {@code writing} writes rows of {@code table} (or computes its
     * expressions anew, {@link io.governed.sql.Trait#REEVALUATES_ROWS}); {@code givenRows} when it runs with values of
     * the rows as its arguments (a check's, an index expression's routine), not as a trigger's function reading them.
     */
    Unit runOnWrite(TableRef routine, TableRef table, StatementAnalysis writing, boolean givenRows) {
        Unit unit = add(new Unit(this, routine, table, writing, null, null));
        unit.givenRows = givenRows;
        return unit;
    }

    /**
     * A unit for the code a write of {@code table} ({@code null}: of tables not told) runs that the catalog cannot show
     * (a rule's statements): unread, it may read any column and write, keep or hand out any value.
     */
    Unit unreadOnWrite(TableRef table, StatementAnalysis writing) {
        Unit unit = add(new Unit(this, null, table, writing, null, null));
        unit.unseenReads = true;
        unit.unseenWrites = true;
        return unit;
    }

    private Unit add(Unit unit) {
        if (units == null) {
            units = new ArrayList<>();
            bodies = new HashMap<>();
        }
        units.add(unit);
        return unit;
    }

    /** Records a statement of {@code routine}'s own body as read for {@code unit}. */
    static void read(Unit unit, TableRef routine, StatementAnalysis statement) {
        if (unit == null) {
            return;
        }
        unit.statements.add(statement);
        if (routine != null) {
            unit.owner().bodies.computeIfAbsent(routine, r -> new ArrayList<>()).add(statement);
        }
    }

    /**
     * Adds to {@code unit} the statements of {@code routine}'s body read already for another unit: a routine followed
     * once for a statement (a trigger function shared by two tables the statement writes) still runs in each.
     */
    static void readAgain(Unit unit, TableRef routine) {
        if (unit == null) {
            return;
        }
        List<StatementAnalysis> read = unit.owner().bodies.get(routine);
        if (read != null && !unit.statements.containsAll(read)) {
            unit.statements.addAll(read);
        }
    }

    /** Records in {@code unit} what code of it that could not be read does ({@code accesses}: each action, any or some table). */
    static void unseen(Unit unit, List<Access> accesses) {
        if (unit == null) {
            return;
        }
        for (Access access : accesses) {
            if (access.action() == io.governed.sql.Action.SELECT) {
                unit.unseenReads = true;
            } else {
                unit.unseenWrites = true;
            }
        }
    }

    List<Unit> units() {
        return units == null ? List.of() : units;
    }
}
