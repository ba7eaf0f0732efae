package io.governed.policy.engine;

import io.governed.sql.Action;
import io.governed.sql.RoutineCatalog;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;
import io.governed.sql.Trait;

import java.util.ArrayList;
import java.util.List;

/**
 * One (action, table) pair a statement involves: the unit rules are checked against.
 *
 * @param action    what is done
 * @param table     to which table; {@code null} for a statement that names no table, which every resource pattern covers
 * @param statement the statement it belongs to
 */
record Access(Action action, TableRef table, StatementAnalysis statement) {

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
        return accesses;
    }

    /** {@code drop on public.users}, {@code set} (no table). */
    String describe() {
        return table == null ? action.externalName() : action.externalName() + " on " + table.qualifiedName();
    }
}
