package io.governed.policy;

import io.governed.policy.engine.DecisionContext;
import io.governed.sql.names.NameResolver;
import io.governed.sql.Action;
import io.governed.sql.Dialect;
import io.governed.sql.ResultColumn;
import io.governed.sql.SourceColumn;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;
import io.governed.sql.Trait;
import io.governed.sql.WhereKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds analyses by hand, as the SQL analyser would produce them, for tests of the policy engine.
 * Table names are written {@code schema.name} or {@code name}, already normalised.
 */
public final class Statements {

    private final Action action;
    private final Set<TableRef> read = new LinkedHashSet<>();
    private final Set<TableRef> written = new LinkedHashSet<>();
    private WhereKind where = WhereKind.NOT_APPLICABLE;
    private final List<ResultColumn> result = new ArrayList<>();
    private final Set<Trait> traits = EnumSet.noneOf(Trait.class);

    private Statements(Action action) {
        this.action = action;
    }

    public static Statements statement(Action action) {
        return new Statements(action);
    }

    /** A query reading these tables, with no result columns yet. */
    public static Statements select(String... tables) {
        return statement(Action.SELECT).reads(tables);
    }

    /** An UPDATE or DELETE of {@code table}, bounded as {@code where} says. */
    public static Statements write(Action action, String table, WhereKind where) {
        return statement(action).writes(table).where(where);
    }

    public static TableRef table(String qualified) {
        int dot = qualified.indexOf('.');
        return dot < 0 ? new TableRef(null, qualified) : new TableRef(qualified.substring(0, dot), qualified.substring(dot + 1));
    }

    public Statements reads(String... tables) {
        Arrays.stream(tables).map(Statements::table).forEach(read::add);
        return this;
    }

    public Statements writes(String... tables) {
        Arrays.stream(tables).map(Statements::table).forEach(written::add);
        return this;
    }

    public Statements where(WhereKind where) {
        this.where = where;
        return this;
    }

    public Statements traits(Trait... traits) {
        this.traits.addAll(Arrays.asList(traits));
        return this;
    }

    /** A result column deriving from these {@code schema.table.column} or {@code table.column} sources. */
    public Statements column(String label, String... sources) {
        List<SourceColumn> columns = new ArrayList<>();
        for (String source : sources) {
            int dot = source.lastIndexOf('.');
            columns.add(new SourceColumn(table(source.substring(0, dot)), source.substring(dot + 1)));
        }
        result.add(new ResultColumn(result.size() + 1, label, columns, List.of(), false, false));
        return this;
    }

    /** {@code *} over these tables. */
    public Statements star(String... tables) {
        result.add(new ResultColumn(result.size() + 1, "*", List.of(), Arrays.stream(tables).map(Statements::table).toList(),
                false, false));
        return this;
    }

    /** A result column whose lineage the analysis could not follow. */
    public Statements unknownColumn(String label) {
        result.add(new ResultColumn(result.size() + 1, label, List.of(), List.of(), true, false));
        return this;
    }

    /** {@code count(source)}: reveals no value. */
    public Statements countOf(String label, String source) {
        int dot = source.lastIndexOf('.');
        result.add(new ResultColumn(result.size() + 1, label,
                List.of(new SourceColumn(table(source.substring(0, dot)), source.substring(dot + 1))), List.of(), false, true));
        return this;
    }

    public StatementAnalysis build() {
        return new StatementAnalysis(action, read, written, List.of(), where, result, traits);
    }

    /** An analysis of this statement alone, in PostgreSQL. */
    public SqlAnalysis analysis() {
        return analysis(Dialect.POSTGRESQL, this);
    }

    /** An analysis of several statements in PostgreSQL, its fingerprint derived from them. */
    public static SqlAnalysis analysis(Statements... statements) {
        return analysis(Dialect.POSTGRESQL, statements);
    }

    public static SqlAnalysis analysis(Dialect dialect, Statements... statements) {
        List<StatementAnalysis> built = Arrays.stream(statements).map(Statements::build).toList();
        return new SqlAnalysis(fingerprint(built), dialect, built, null);
    }

    private static String fingerprint(List<StatementAnalysis> statements) {
        StringBuilder text = new StringBuilder();
        for (StatementAnalysis s : statements) {
            text.append(s.action()).append(' ').append(s.tablesWritten()).append(s.tablesRead()).append(s.where()).append(';');
        }
        return text.toString();
    }

    /**
     * No context ({@link DecisionContext#none()}), in a database where no table is a partition or inheritance child:
     * what a test deciding without a database, about something else, takes it to be.
     */
    public static DecisionContext withoutInheritance() {
        return withoutInheritance(DecisionContext.none());
    }

    /** {@code context}, in a database where no table is a partition or inheritance child. */
    public static DecisionContext withoutInheritance(DecisionContext context) {
        return new DecisionContext(NameResolver.withoutInheritance(context.names()), context.routines(), context.binding());
    }
}
