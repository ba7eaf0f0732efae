package io.governed.sql;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Gathers what one statement does while it is walked, then becomes a {@link StatementAnalysis}. */
final class StatementBuilder {

    Action action;
    final Set<TableRef> tablesRead = new LinkedHashSet<>();
    final Set<TableRef> tablesWritten = new LinkedHashSet<>();
    final Set<ColumnRef> columns = new LinkedHashSet<>();
    WhereKind where = WhereKind.NOT_APPLICABLE;
    /** See {@link StatementAnalysis#boundIf}. */
    List<List<BareColumn>> boundIf = List.of();
    /** See {@link StatementAnalysis#boundThrough}. */
    String boundThrough;
    List<ResultColumn> resultColumns = List.of();
    List<ResultColumn> copiedColumns = List.of();
    final Set<Trait> traits = EnumSet.noneOf(Trait.class);
    /** Routines called that are not harmless built-ins. */
    final Set<TableRef> routines = new LinkedHashSet<>();
    /** Clauses in which a value the session keeps (a user variable) is read: see {@link StatementAnalysis#sessionValues}. */
    final Set<Clause> sessionValues = EnumSet.noneOf(Clause.class);
    /** Data-modifying statements nested in this one, each followed by its own nested statements. */
    final List<StatementAnalysis> nested = new ArrayList<>();
    /** See {@link StatementAnalysis#code}. */
    CodeBlock code;

    StatementBuilder(Action action) {
        this.action = action;
    }

    void trait(Trait trait) {
        traits.add(trait);
    }

    /** Adds a nested statement (and what it nests) after this one; its targets count as this one's writes. */
    void nest(List<StatementAnalysis> statements) {
        for (StatementAnalysis s : statements) {
            Set<Trait> traitsOfNested = EnumSet.of(Trait.NESTED);
            traitsOfNested.addAll(s.traits());
            nested.add(s.withTraits(traitsOfNested));
            tablesWritten.addAll(s.tablesWritten());
            tablesRead.addAll(s.tablesRead());
        }
    }

    /** This statement followed by everything nested in it. */
    List<StatementAnalysis> build() {
        List<StatementAnalysis> all = new ArrayList<>(1 + nested.size());
        all.add(new StatementAnalysis(action, tablesRead, tablesWritten, new ArrayList<>(columns), where,
                resultColumns, traits, copiedColumns, routines, sessionValues, boundIf, code, boundThrough));
        all.addAll(nested);
        return all;
    }
}
