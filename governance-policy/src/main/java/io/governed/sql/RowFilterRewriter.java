package io.governed.sql;

import io.governed.identity.Identity;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.WhenClause;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.ConflictActionType;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.insert.InsertConflictAction;
import net.sf.jsqlparser.statement.insert.InsertDuplicateAction;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.function.Predicate;

/**
 * Rewrites a statement so that every reference to a row-filtered table sees only the rows its filters
 * admit, through the parse tree, never by splicing text:
 * <ul>
 *   <li>a filtered table read anywhere a table can stand in a {@code FROM} (joins, subqueries in any clause,
 *       CTEs, set operations, {@code LATERAL}, {@code EXISTS}/{@code IN}, the {@code FROM} of an UPDATE and the
 *       {@code USING} of a DELETE or MERGE) becomes {@code (SELECT * FROM t gvrf_N WHERE <filters>) AS <its alias
 *       or name>}, which has the same columns in the same order;</li>
 *   <li>the target of an UPDATE or DELETE gets its filters AND-ed to its WHERE; an UPDATE that sets a column a
 *       filter reads is refused (it could move rows out of the caller's sight);</li>
 *   <li>an {@code INSERT … (columns) VALUES (…), …} into a filtered table whose every column a filter reads is
 *       given a literal or a {@code ?} is left as it is, with a {@linkplain RowCheck check} per filter and row: the
 *       filter's condition with each column replaced by the row's value, bound as a parameter, for the database
 *       to evaluate before the INSERT runs (a row it does not admit refuses the statement);</li>
 *   <li>an {@code INSERT … (columns) SELECT …} into a filtered table whose SELECT gives as many columns as it names
 *       becomes {@code INSERT … (columns) WITH gvins(columns) AS (<the SELECT>) SELECT * FROM gvins WHERE <filters>}
 *       (no row the filters do not admit is inserted), with a {@linkplain RowCheck check} per filter that no selected
 *       row is left out, made of the same text (such a row refuses the statement rather than vanishing);</li>
 *   <li>an INSERT's update of the existing row on a conflict updates only a row the filters admit: {@code ON
 *       CONFLICT … DO UPDATE} gets them AND-ed to its WHERE, each {@code c = v} of {@code ON DUPLICATE KEY UPDATE}
 *       becomes {@code c = CASE WHEN <filters> THEN v ELSE c END}; setting a column a filter reads is refused;</li>
 *   <li>the target of a {@code MERGE INTO t USING … ON … WHEN …} gets its filters AND-ed to the ON condition, so that
 *       a row they do not admit matches nothing; its WHEN MATCHED THEN UPDATE may not set a column a filter reads,
 *       and its WHEN NOT MATCHED THEN INSERT is checked as an {@code INSERT … (columns) VALUES (…)} is;</li>
 *   <li>anything else that names a filtered table (any other INSERT into it, a MERGE with another branch or form, a
 *       multi-table DELETE, DDL, a table with hints, samples or pivots) is refused: the statement is left as it was
 *       and must be denied.</li>
 * </ul>
 * Identity values and the filters' own literals become parameters; the statement's own literals are put back
 * exactly as written (the tree is built from the analyser's literal-free parse text, so the rewrite sees what
 * the decision saw). After the rewrite, every table node of the statement is checked again: one that names a
 * filtered table and is neither inside a filtered derived table nor a filtered UPDATE/DELETE/MERGE target refuses the
 * rewrite (fail closed).
 */
public final class RowFilterRewriter {

    static final String SLOT = "gvslot_";
    /** Where a derived table's fence goes (see {@link #fence}). */
    private static final String FENCE = "gvfence_";
    /** A copy, inside a fence, of a marked literal of the caller's condition (by its cell number). */
    private static final String COPY = "gvcopy_";
    /**
     * MariaDB's fence: a derived table with a LIMIT is neither merged into the query nor given its conditions. The
     * largest row count MariaDB reads, which limits nothing.
     */
    static final String MARIADB_FENCE = "LIMIT 18446744073709551615";
    /** PostgreSQL's fence: a subquery with an OFFSET is neither pulled up nor given its query's conditions. */
    static final String POSTGRESQL_FENCE = "OFFSET 0";
    /** Marks a VALUES cell whose literal a check reads; the literal is put back as written. */
    private static final String CELL = "gvcell_";
    /** A parameter of a check's condition. */
    private static final String CHECK = "gvcheck_";
    private static final Pattern INTEGER = Pattern.compile("[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final String INNER_ALIAS = "gvrf_";

    /**
     * A filter that applies to the caller: which tables it restricts and its condition.
     *
     * @param names the table names (lower case) every table it restricts is called, or {@code null} when they
     *              are not known (a pattern with {@code *}): a statement whose text holds none of them is not
     *              parsed again
     */
    public record Filter(String id, Predicate<TableRef> tables, RowCondition condition, List<String> names, boolean check) {
        public Filter {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(tables, "tables");
            Objects.requireNonNull(condition, "condition");
            names = names == null ? null : List.copyOf(names);
        }

        /** A filter whose INSERTs are checked. */
        public Filter(String id, Predicate<TableRef> tables, RowCondition condition, List<String> names) {
            this(id, tables, condition, names, true);
        }

        public Filter(String id, Predicate<TableRef> tables, RowCondition condition) {
            this(id, tables, condition, null, true);
        }
    }

    /** A parameter of the rewritten statement: the application's own (1-based index in its statement) or a bound value. */
    public record Binding(int applicationIndex, Object value) {
        /** Whether it is one of the application's parameters. */
        public boolean application() {
            return applicationIndex > 0;
        }
    }

    /**
     * The catalog's type of a column of a filtered table ({@link io.governed.sql.names.NameResolver#columnType}), by the
     * table's schema as written ({@code null} when it is not written), its name and the column's name, each as the
     * database stores a name written that way; {@code null} when not known.
     */
    @FunctionalInterface
    public interface ColumnTypes {
        /** Knows no column's type: nothing is pushed beside a filter for its type. */
        ColumnTypes NONE = (schema, table, column) -> null;

        String typeOf(String schema, String table, String column);
    }

    /**
     * The value of a bound parameter of a rewrite (a {@link Binding} that is not the application's) that narrows an
     * integer column compared with the application's parameter {@code applicationIndex} ({@code column = ?}) beside the
     * filter, as {@code column BETWEEN <lower> AND <upper>}: when the application bound an integer of the column's range
     * through an integer setter, that value for both bounds (the database can then use the column's index), else the
     * column's whole range ({@code min} and {@code max}), which every value of the column is in. Either way the bounds
     * are integers of the column's range, whose comparison with the column cannot fail or warn, and every row for which
     * {@code column = ?} holds is between them; the comparison itself is still evaluated on admitted rows only.
     *
     * @param upper whether this is the upper bound
     */
    public record Narrowing(int applicationIndex, long min, long max, boolean upper) {
        /** The bound for the application's value {@code value}, {@code null} when it was not bound as an integer. */
        public long bound(Long value) {
            return value != null && value >= min && value <= max ? value : upper ? max : min;
        }
    }

    /** A column type a rewrite depended on: what {@link ColumnTypes} answered for that column. */
    public record TypeLookup(String schema, String table, String column, String type) {
    }

    /** A rewrite and the column types it depended on: the same text may be rewritten so only while they hold. */
    public record Typed(Rewrite rewrite, List<TypeLookup> asked) {
        public Typed {
            asked = List.copyOf(asked);
        }
    }

    /**
     * A rewritten statement.
     *
     * @param sql                   the statement to run, with {@code ?} for every parameter
     * @param bindings              its parameters in order
     * @param applicationParameters how many parameters the application's statement has
     * @param filters               the ids of the filters applied (or checked)
     * @param checks                the checks an INSERT's new rows must pass before it runs; empty for other statements
     * @param unchanged             whether the statement means what the application's text does (nothing in it was
     *                              restricted; only its new rows are checked), so that the text may run as written
     * @param readInPlace           whether it is a query of the filtered table alone whose filters were AND-ed to its
     *                              WHERE (see {@link #rewriteForUpdate}), so that a driver can update its rows
     */
    public record Rewrite(String sql, List<Binding> bindings, int applicationParameters, List<String> filters,
                          List<RowCheck> checks, boolean unchanged, boolean readInPlace) {
        public Rewrite {
            bindings = List.copyOf(bindings);
            filters = List.copyOf(filters);
            checks = List.copyOf(checks);
        }

        public Rewrite(String sql, List<Binding> bindings, int applicationParameters, List<String> filters,
                       List<RowCheck> checks, boolean unchanged) {
            this(sql, bindings, applicationParameters, filters, checks, unchanged, false);
        }

        public Rewrite(String sql, List<Binding> bindings, int applicationParameters, List<String> filters) {
            this(sql, bindings, applicationParameters, filters, List.of(), false);
        }

        /** For each application parameter (1-based), its index in the rewritten statement. */
        public int[] applicationIndexes() {
            int[] map = new int[applicationParameters + 1];
            for (int i = 0; i < bindings.size(); i++) {
                if (bindings.get(i).application()) {
                    map[bindings.get(i).applicationIndex()] = i + 1;
                }
            }
            return map;
        }
    }

    /**
     * A check that one new row of an INSERT passes one filter: the database evaluates {@code condition} (the filter's
     * condition with its columns replaced by the row's values) with {@code bindings} bound, before the INSERT runs; a
     * row passes when it is true (false and NULL do not pass).
     *
     * @param filter    the id of the filter
     * @param condition a boolean SQL expression with {@code ?} for every value
     * @param bindings  its parameters in order: the application's parameters by their index in its statement, the
     *                  statement's literals, the identity's values and the filter's literals as values
     */
    public record RowCheck(String filter, String condition, List<Binding> bindings) {
        public RowCheck {
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(condition, "condition");
            bindings = new ArrayList<>(bindings); // values may be null
            bindings = Collections.unmodifiableList(bindings);
        }
    }

    /** The statement cannot be rewritten for certain: it must be denied, for the reason given. */
    public static final class RefusedException extends RuntimeException {
        private final List<String> filters;

        RefusedException(List<String> filters, String message) {
            super(message);
            this.filters = List.copyOf(filters);
        }

        /** The filters the statement could not be restricted by. */
        public List<String> filters() {
            return filters;
        }
    }

    private final Dialect dialect;
    private final List<Filter> filters;
    private final Identity identity;
    private final List<Binding> slots = new ArrayList<>();
    private final Set<Table> handled = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<String> applied = new LinkedHashSet<>();
    private int derived;
    private int applicationParameters;
    /** The text of each marked cell, once {@link #finish} has read them. */
    private String[] cellTexts = new String[0];
    /** Whether a query of one filtered table alone is restricted in its WHERE ({@link #rewriteForUpdate}). */
    private boolean inPlace;
    /** Whether the query's filtered table was restricted in the query's WHERE. */
    private boolean restrictedInPlace;
    /** Whether anything in the statement was restricted (a derived table, an UPDATE's or DELETE's WHERE). */
    private boolean modified;
    /** While a check's condition is built, its parameters: a {@link Binding} or a {@link Cell}. */
    private List<Object> checking;
    /** The checks of an INSERT's rows, their cells' literals not yet read. */
    private final List<PendingCheck> pendingChecks = new ArrayList<>();
    /** For each marked VALUES cell (by number), its sign ({@code -1} when written with a minus). */
    private final List<Integer> cellSigns = new ArrayList<>();

    /** A VALUES cell given as a literal, by its number among the marked cells. */
    private record Cell(int number) {
    }

    private record PendingCheck(String filter, String condition, List<Object> parameters) {
    }

    /** The name of the query of an INSERT … SELECT's selected rows in its rewrite. */
    private static final String SELECTED = "gvins";

    /** An INSERT … SELECT's rewritten query, its selected rows, and its filters' conditions (in order). */
    private record SelectCheck(PlainSelect kept, WithItem<ParenthesedSelect> selected, List<Filter> filters,
                               List<Expression> parts) {
    }

    /** A part of the rewritten statement's text and its parameters. */
    private record Piece(String text, List<Binding> bindings) {
    }

    /** The INSERT … SELECT checks, made when the rewrite is finished. */
    private final List<SelectCheck> pendingSelectChecks = new ArrayList<>();

    /** Where the types of the filtered tables' columns are looked up. */
    private ColumnTypes types = ColumnTypes.NONE;
    /**
     * The comparisons of an integer column with a literal (by their order in the walk) whose literal, as written, is no
     * integer of the column's range: they stay where they are. {@code null}: none may go beside the filter.
     */
    private Set<Integer> notIntegers = Set.of();
    /** How many comparisons of an integer column with a literal the walk has met. */
    private int integerLiterals;
    /** The column types looked up. */
    private final List<TypeLookup> asked = new ArrayList<>();
    /** The integer literals copied beside a filter, checked once their text is read. */
    private final List<IntegerCell> integerCells = new ArrayList<>();

    /**
     * A copied literal ({@link #cellSigns}' number) that must be an integer of {@code range}, with its sign, and the
     * comparison's order among those of {@link #integerLiterals}.
     */
    private record IntegerCell(int cell, int sign, IntegerColumns.Range range, int ordinal) {
    }

    /** Copied literals that are no integers of their columns' ranges, as written: the rewrite is made again without them. */
    private static final class NotAnInteger extends RuntimeException {
        private final Set<Integer> ordinals;

        NotAnInteger(Set<Integer> ordinals) {
            super(null, null, false, false);
            this.ordinals = ordinals;
        }
    }

    private RowFilterRewriter(Dialect dialect, List<Filter> filters, Identity identity) {
        this.dialect = dialect;
        this.filters = filters;
        this.identity = identity;
    }

    /**
     * Rewrites {@code sql} for {@code identity} under {@code filters} (those that apply to the caller).
     *
     * @return the rewrite, or {@code null} when the statement touches no filtered table (run it as it is)
     * @throws RefusedException when the statement touches a filtered table in a way that cannot be rewritten for certain
     */
    public static Rewrite rewrite(String sql, Dialect dialect, List<Filter> filters, Identity identity) {
        return rewrite(sql, dialect, filters, identity, false);
    }

    /**
     * {@link #rewrite}, except that a query whose only {@code FROM} item is a filtered table (no joins, no set
     * operation, no {@code WITH}, no hierarchical clause) gets the filters AND-ed to its WHERE instead of the table
     * becoming a derived table: the query stays a plain single-table SELECT, whose rows a driver can update through an
     * updatable result set ({@link Rewrite#readInPlace()}). Every other statement is rewritten as {@link #rewrite} does.
     */
    public static Rewrite rewriteForUpdate(String sql, Dialect dialect, List<Filter> filters, Identity identity) {
        return rewrite(sql, dialect, filters, identity, true);
    }

    private static Rewrite rewrite(String sql, Dialect dialect, List<Filter> filters, Identity identity, boolean inPlace) {
        return rewrite(sql, dialect, filters, identity, inPlace, ColumnTypes.NONE).rewrite();
    }

    /**
     * {@link #rewrite} ({@link #rewriteForUpdate} when {@code inPlace}), where on MariaDB and H2 a comparison
     * {@code column = ?} or {@code column = <integer>} of a column {@code types} gives an integer type
     * ({@link IntegerColumns}) also narrows the rows beside the filter, so that the database can use the column's index:
     * an integer literal of the column's range is copied there; on MariaDB, which plans a statement with its values,
     * a parameter is narrowed by {@link Narrowing} bounds.
     * The comparison itself stays where the caller's condition is evaluated on admitted rows only.
     *
     * @return the rewrite ({@code null} in it when the statement touches no filtered table) and the types it read
     */
    public static Typed rewrite(String sql, Dialect dialect, List<Filter> filters, Identity identity, boolean inPlace,
                                ColumnTypes types) {
        Set<Integer> notIntegers = new TreeSet<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return rewrite(sql, dialect, filters, identity, inPlace, types, Set.copyOf(notIntegers));
            } catch (NotAnInteger literalsAsWritten) {
                notIntegers.addAll(literalsAsWritten.ordinals);
            }
        }
        return rewrite(sql, dialect, filters, identity, inPlace, types, null);
    }

    private static Typed rewrite(String sql, Dialect dialect, List<Filter> filters, Identity identity, boolean inPlace,
                                 ColumnTypes types, Set<Integer> notIntegers) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(types, "types");
        if (filters.isEmpty() || cannotName(sql, filters)) {
            return new Typed(null, List.of());
        }
        LexedSql lexed = LexedSql.of(sql, dialect);
        List<String> ids = filters.stream().map(Filter::id).toList();
        if (lexed.problem() != null) {
            throw new RefusedException(ids, "the statement could not be read completely");
        }
        String parseText = lexed.parseText();
        Tokens head = Tokens.of(parseText, dialect);
        int only = UnparsedStatementFallback.onlyAfterWriteHead(head, dialect);
        if (only > 0) {
            // UPDATE ONLY t / DELETE FROM ONLY t: restricted as the statement without ONLY, which is put back after
            parseText = parseText.substring(0, head.get(only).offset()) + parseText.substring(head.get(only + 1).offset());
        }
        StatementParser.Result parsed = StatementParser.parse(parseText, lexed.maxNestingDepth());
        if (!parsed.parsed() || parsed.statements().size() != 1) {
            throw new RefusedException(ids, parsed.parsed() ? "several statements in one text cannot be restricted"
                    : "the statement could not be parsed" + unparsedMerge(lexed.parseText()));
        }
        RowFilterRewriter rewriter = new RowFilterRewriter(dialect, filters, identity);
        rewriter.inPlace = inPlace;
        rewriter.types = dialect == Dialect.POSTGRESQL ? ColumnTypes.NONE : types;
        rewriter.notIntegers = notIntegers;
        Statement statement = parsed.statements().get(0);
        if (!rewriter.restrict(statement)) {
            return new Typed(null, rewriter.asked);
        }
        String template = statement.toString();
        if (only > 0) {
            template = withOnlyKept(template, statement, ids);
        }
        Rewrite done = rewriter.finish(sql, template);
        return new Typed(rewriter.restrictedInPlace && !done.unchanged() ? new Rewrite(done.sql(), done.bindings(),
                done.applicationParameters(), done.filters(), done.checks(), false, true) : done, rewriter.asked);
    }

    /**
     * The rewritten {@code UPDATE t …} or {@code DELETE FROM t …} with {@code ONLY} put back before its table, where the
     * original had it: the text must begin with those words and the table as the parse tree writes it, or the rewrite
     * is refused (the statement would reach the inheriting tables and partitions the original spared).
     */
    private static String withOnlyKept(String template, Statement statement, List<String> ids) {
        String prefix = statement instanceof Update ? "UPDATE " : statement instanceof Delete ? "DELETE FROM " : null;
        Table table = statement instanceof Update update ? update.getTable()
                : statement instanceof Delete delete ? delete.getTable() : null;
        if (prefix == null || table == null || !template.startsWith(prefix + table)) {
            throw new RefusedException(ids, "its ONLY could not be kept in the restricted statement");
        }
        return prefix + "ONLY " + template.substring(prefix.length());
    }

    /**
     * Whether the text certainly names no filtered table: every filter knows its tables' names and none is in the
     * text (a table node's name is always in the text as written, in any case).
     */
    static boolean cannotName(String sql, List<Filter> filters) {
        String lower = sql.toLowerCase(Locale.ROOT);
        if (lower.contains("u&")) {
            return false; // a Unicode-escaped name may spell a filtered table without its letters
        }
        for (Filter filter : filters) {
            if (filter.names() == null) {
                return false;
            }
            for (String name : filter.names()) {
                if (lower.contains(name)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Restricts the statement in place; false when it names no filtered table. */
    private boolean restrict(Statement statement) {
        refuseMergeOverFilteredTables(statement);
        if (!mentionsFilteredTable(statement)) {
            return false;
        }
        refuseWithQueriesNamedLikeFilteredTables(statement);
        if (!(statement instanceof Select || statement instanceof Update || statement instanceof Delete
                || statement instanceof Insert || statement instanceof net.sf.jsqlparser.statement.merge.Merge)) {
            throw refused(matchingIds(null), "a " + statement.getClass().getSimpleName().toUpperCase(Locale.ROOT)
                    + " statement on a row-filtered table cannot be restricted");
        }
        if (statement instanceof Insert insert && !matching(insert.getTable()).isEmpty()) {
            prepareChecks(insert, matching(insert.getTable()));
        }
        if (statement instanceof Update update) {
            restrictTarget(update);
        } else if (statement instanceof Delete delete) {
            restrictTarget(delete);
        } else if (statement instanceof net.sf.jsqlparser.statement.merge.Merge merge) {
            restrictTarget(merge);
        } else if (inPlace && statement instanceof PlainSelect select) {
            restrictInPlace(select);
        }
        ParseTreeEditor.walk(statement, new ParseTreeEditor.Edit() {
            @Override
            public Object at(Object owner, String field, Class<?> type, Object node, boolean inList) {
                if (node instanceof JdbcParameter parameter) {
                    return applicationParameter(parameter);
                }
                if (node instanceof JdbcNamedParameter named && !named.getName().startsWith(SLOT)
                        && !named.getName().startsWith(CELL) && !named.getName().startsWith(COPY)
                        && !named.getName().startsWith(FENCE)) {
                    throw refused(matchingIds(null), "named parameters cannot be combined with row filters: use ?");
                }
                if (node instanceof Table table && type == FromItem.class && !handled.contains(table)) {
                    List<Filter> matched = matching(table);
                    if (!matched.isEmpty()) {
                        // FROM ONLY t (PostgreSQL: t without its inheritance children) is a flag of the select: it
                        // goes with t into the derived table, where it still names t
                        boolean only = owner instanceof PlainSelect select && select.isUsingOnly()
                                && select.getFromItem() == table;
                        FromItem derived = derivedTable(table, matched, only, owner, owner == statement);
                        if (only) {
                            ((PlainSelect) owner).setUsingOnly(false);
                        }
                        return derived;
                    }
                }
                return node;
            }

            @Override
            public boolean descend(Object node, String field) {
                return !isQualifier(node, field);
            }
        });
        census(statement);
        return true;
    }

    /**
     * A WITH query named like a filtered table: a reference to that name reads the WITH query, not the table, so it
     * cannot be restricted as the table (restricting it would filter the wrong relation, and a recursive WITH query's
     * reference to itself cannot stand in a derived table: MariaDB's server fails on such a text). Refused, naming the
     * filters, whatever the WITH query holds; its own references to the table, under another name, are restricted.
     */
    private void refuseWithQueriesNamedLikeFilteredTables(Statement statement) {
        ParseTreeEditor.walk(statement, new ParseTreeEditor.Edit() {
            @Override
            public Object at(Object owner, String field, Class<?> type, Object node, boolean inList) {
                if (node instanceof WithItem<?> item && item.getAlias() != null && item.getAlias().getName() != null) {
                    List<Filter> matched = matching(new Table(item.getAlias().getName()));
                    if (!matched.isEmpty()) {
                        throw refused(idsOf(matched), "the statement names a WITH query " + item.getAlias().getName()
                                + " like the row-filtered table, and a reference to that name cannot be told from the "
                                + "table; give the WITH query another name");
                    }
                }
                return node;
            }

            @Override
            public boolean descend(Object node, String field) {
                return !isQualifier(node, field);
            }
        });
    }

    private static boolean isQualifier(Object node, String field) {
        return (node instanceof Column || node instanceof AllTableColumns) && field.equals("table")
                || node instanceof Table && field.equals("resolvedTable");
    }

    private boolean mentionsFilteredTable(Statement statement) {
        boolean[] found = {false};
        eachTable(statement, (owner, table) -> found[0] |= !matching(table).isEmpty());
        return found[0];
    }

    /**
     * MariaDB's {@code UNION=(t, …)} table option of an ALTER or CREATE TABLE ({@link MariaDbTableOptions}) names tables
     * in text the parse tree keeps no table node for: a listed filtered table would be read, unrestricted, under the
     * MERGE table's name, so the statement is refused, as a view over it is; a list that cannot be read is refused too.
     */
    private void refuseMergeOverFilteredTables(Statement statement) {
        boolean create = statement instanceof net.sf.jsqlparser.statement.create.table.CreateTable;
        if (dialect != Dialect.MARIADB || !create && !(statement instanceof net.sf.jsqlparser.statement.alter.Alter)) {
            return;
        }
        List<TableRef> listed;
        try {
            listed = MariaDbTableOptions.unionTables(statement.toString(), create, null, dialect);
        } catch (MisreadStatement unreadable) {
            throw refused(matchingIds(null), unreadable.getMessage());
        }
        for (TableRef table : listed) {
            List<Filter> matched = filters.stream().filter(f -> f.tables().test(table)).toList();
            if (!matched.isEmpty()) {
                throw refused(idsOf(matched), "the statement makes a MERGE table over " + table.qualifiedName()
                        + " (its UNION option), a second name under which the filter cannot restrict the table's rows");
            }
        }
    }

    /** Every table node left that names a filtered table must be one this rewrite restricted. */
    private void census(Statement statement) {
        eachTable(statement, (owner, table) -> {
            if (!handled.contains(table) && !matching(table).isEmpty()) {
                throw refused(idsOf(matching(table)), "the table " + table.getName() + " stands where it cannot "
                        + "be restricted (in a " + owner.getClass().getSimpleName() + ")");
            }
        });
    }

    /** Calls {@code visit} with every table node of the statement (not column qualifiers) and the node holding it. */
    private static void eachTable(Statement statement, java.util.function.BiConsumer<Object, Table> visit) {
        ParseTreeEditor.walk(statement, new ParseTreeEditor.Edit() {
            @Override
            public Object at(Object owner, String field, Class<?> type, Object node, boolean inList) {
                if (node instanceof Table table) {
                    visit.accept(owner, table);
                }
                return node;
            }

            @Override
            public boolean descend(Object node, String field) {
                return !isQualifier(node, field);
            }
        });
    }

    private void restrictTarget(Update update) {
        Table target = update.getTable();
        List<Filter> matched = matching(target);
        if (matched.isEmpty()) {
            return;
        }
        checkExtras(target, matched);
        for (UpdateSet set : update.getUpdateSets()) {
            for (Column column : set.getColumns()) {
                for (Filter filter : matched) {
                    if (reads(filter, column)) {
                        throw refused(List.of(filter.id()), "the UPDATE sets " + column.getColumnName() + ", which row filter "
                                + filter.id() + " reads: rows could be moved out of what the filter admits");
                    }
                }
            }
        }
        boolean alone = update.getFromItem() == null && empty(update.getJoins()) && empty(update.getStartJoins());
        update.setWhere(guarded(update.getWhere(), matched, qualifier(target), alone, target));
        handled.add(target);
        modified = true;
    }

    /**
     * A query of one filtered table alone ({@code SELECT … FROM t [alias] [WHERE …] …}) gets the filters AND-ed to its
     * WHERE, which the database applies before grouping, windows, ordering and limits, as it applies the derived table's;
     * subqueries elsewhere in it are still rewritten as derived tables. Any other query is left to the derived tables.
     */
    private void restrictInPlace(PlainSelect select) {
        if (!(select.getFromItem() instanceof Table target) || select.getJoins() != null && !select.getJoins().isEmpty()
                || select.getWithItemsList() != null && !select.getWithItemsList().isEmpty()
                || select.getOracleHierarchical() != null || select.getIntoTables() != null) {
            return;
        }
        List<Filter> matched = matching(target);
        if (matched.isEmpty()) {
            return;
        }
        checkExtras(target, matched);
        select.setWhere(guarded(select.getWhere(), matched, qualifier(target), true, target));
        handled.add(target);
        modified = true;
        restrictedInPlace = true;
    }

    private void restrictTarget(Delete delete) {
        Table target = delete.getTable();
        if (target == null) {
            return;
        }
        List<Filter> matched = matching(target);
        if (matched.isEmpty() || delete.getTables() != null && !delete.getTables().isEmpty()) {
            return; // a multi-table DELETE is left to the census, which refuses it
        }
        checkExtras(target, matched);
        boolean alone = empty(delete.getUsingList()) && empty(delete.getJoins()) && empty(delete.getUsingFromItemList());
        delete.setWhere(guarded(delete.getWhere(), matched, qualifier(target), alone, target));
        handled.add(target);
        modified = true;
    }

    /**
     * A MERGE into a filtered table: its filters are AND-ed to the ON condition, so that a target row they do not
     * admit matches no source row (as PostgreSQL's row-level security has it); a WHEN MATCHED branch then updates or
     * deletes admitted rows only, and may not set a column a filter reads; a WHEN NOT MATCHED branch's INSERT is
     * checked as an {@code INSERT … VALUES} is. Any other branch or clause is refused.
     */
    private void restrictTarget(net.sf.jsqlparser.statement.merge.Merge merge) {
        Table target = merge.getTable();
        List<Filter> matched = matching(target);
        if (matched.isEmpty()) {
            return; // a filtered table read in it (USING, subqueries) becomes a filtered derived table
        }
        List<String> ids = idsOf(matched);
        String table = target.getName();
        checkExtras(target, matched);
        if (merge.getOracleHint() != null || merge.getOutputClause() != null || merge.getOption() != null) {
            throw refused(ids, "the MERGE into " + table + " carries a hint, an OUTPUT clause or an OPTION clause, which "
                    + "cannot be combined with its row filter; write it without them");
        }
        if (merge.getFromItem() == null || merge.getOnCondition() == null || merge.getOperations() == null
                || merge.getOperations().isEmpty()) {
            throw refused(ids, "the MERGE into " + table + " could not be read as MERGE INTO … USING … ON … WHEN …, the "
                    + "only form restricted by a row filter");
        }
        for (net.sf.jsqlparser.statement.merge.MergeOperation operation : merge.getOperations()) {
            if (operation instanceof net.sf.jsqlparser.statement.merge.MergeUpdate update && update.getSide() == null
                    && update.getWhereCondition() == null && update.getDeleteWhereCondition() == null) {
                refuseMergeSetsOfFilterColumns(update, matched, table);
            } else if (operation instanceof net.sf.jsqlparser.statement.merge.MergeDelete delete && delete.getSide() == null) {
                continue;
            } else if (operation instanceof net.sf.jsqlparser.statement.merge.MergeInsert insert
                    && insert.getSide() != net.sf.jsqlparser.statement.merge.MergeSide.SOURCE
                    && insert.getWhereCondition() == null) {
                prepareMergeChecks(insert, matched, table);
            } else {
                throw refused(ids, "the MERGE into " + table + " has a branch other than WHEN MATCHED [AND …] THEN UPDATE "
                        + "or DELETE and WHEN NOT MATCHED [AND …] THEN INSERT (a WHEN NOT MATCHED BY SOURCE branch, or an "
                        + "UPDATE … WHERE / DELETE WHERE), which cannot be restricted by its row filter; write the MERGE "
                        + "with those branches only, or as separate UPDATE, DELETE and INSERT statements");
            }
        }
        if (namedLike(merge.getFromItem(), qualifier(target))) {
            throw refused(ids, "the source of the MERGE into " + table + " is named like its target ("
                    + qualifier(target) + "), so the filter's columns could not be told apart from the source's: give "
                    + "the source (or the target) another alias");
        }
        merge.setOnCondition(guardedOn(merge.getOnCondition(), matched, qualifier(target)));
        handled.add(target);
        modified = true;
    }

    /** A WHEN MATCHED THEN UPDATE of a MERGE may not set a column a filter reads, as an UPDATE may not. */
    private void refuseMergeSetsOfFilterColumns(net.sf.jsqlparser.statement.merge.MergeUpdate update,
                                                List<Filter> matched, String table) {
        if (update.getUpdateSets() == null || update.getUpdateSets().isEmpty()) {
            throw refused(idsOf(matched), "the WHEN MATCHED THEN UPDATE of the MERGE into " + table + " could not be read");
        }
        for (UpdateSet set : update.getUpdateSets()) {
            for (Column column : set.getColumns()) {
                for (Filter filter : matched) {
                    if (reads(filter, column)) {
                        throw refused(List.of(filter.id()), "the MERGE sets " + column.getColumnName() + " (WHEN MATCHED "
                                + "THEN UPDATE), which row filter " + filter.id() + " reads: rows could be moved out of "
                                + "what the filter admits");
                    }
                }
            }
        }
    }

    /**
     * Readies the check of the row a MERGE's WHEN NOT MATCHED THEN INSERT adds, as for {@code INSERT … (columns)
     * VALUES (…)}: every column a filter reads must be in the column list with a literal, a NULL or a {@code ?}; its
     * value is then the same for every row the branch inserts, and is checked once before the MERGE runs.
     */
    private void prepareMergeChecks(net.sf.jsqlparser.statement.merge.MergeInsert insert, List<Filter> matched,
                                    String table) {
        List<String> ids = idsOf(matched);
        for (Filter filter : matched) {
            if (!filter.check()) {
                throw refused(List.of(filter.id()), "a MERGE that inserts into " + table + " (WHEN NOT MATCHED THEN "
                        + "INSERT) is refused: row filter " + filter.id() + " has 'check: false', so new rows are not "
                        + "checked against it; exempt the caller ('unless') or set 'check: true'");
            }
        }
        if (insert.getColumns() == null || insert.getColumns().isEmpty()) {
            throw refused(ids, "the WHEN NOT MATCHED THEN INSERT of the MERGE into " + table + " has no column list: "
                    + "name the columns, so that the values of the columns the filter reads are known");
        }
        if (!(insert.getValues() instanceof ParenthesedExpressionList<?> row)
                || row.stream().anyMatch(value -> !(value instanceof Expression))) {
            throw refused(ids, "the VALUES of the WHEN NOT MATCHED THEN INSERT of the MERGE into " + table
                    + " could not be read as one row of values");
        }
        List<Column> columns = insert.getColumns();
        if (row.size() != columns.size()) {
            throw refused(ids, "the WHEN NOT MATCHED THEN INSERT of the MERGE into " + table + " has " + row.size()
                    + " values for " + columns.size() + " columns");
        }
        Map<String, Object> cells = new java.util.HashMap<>();
        for (Filter filter : matched) {
            for (String column : filter.condition().columns()) {
                String name = dialect.normalizeIdentifier(column);
                int at = positionOf(columns, column, filter, "the WHEN NOT MATCHED THEN INSERT of the MERGE into " + table);
                if (at < 0) {
                    throw refused(List.of(filter.id()), "the WHEN NOT MATCHED THEN INSERT of the MERGE into " + table
                            + " does not give the column " + column + ", which row filter " + filter.id() + " reads, so "
                            + "its value (the column's default) cannot be checked: give it in the column list");
                }
                if (cells.containsKey(name)) {
                    continue;
                }
                if (!checkable((Expression) row.get(at))) {
                    throw refused(List.of(filter.id()), "the WHEN NOT MATCHED THEN INSERT of the MERGE into " + table
                            + " gives the column " + column + ", which row filter " + filter.id() + " reads, by an "
                            + "expression (a column of the source, a function or a subquery), whose value is not known "
                            + "before the MERGE runs: give a literal or bind a ? parameter");
                }
                cells.put(name, cell(row, at, table, List.of(filter.id())));
            }
        }
        for (Filter filter : matched) {
            pendingChecks.add(checkOf(filter, cells));
            applied.add(filter.id());
        }
    }

    /** Whether a FROM item (or a table of a parenthesised join) is called {@code name}, by its alias or table name. */
    private boolean namedLike(FromItem item, String name) {
        if (item == null) {
            return false;
        }
        if (item.getAlias() != null && maybeSame(item.getAlias().getName(), name)
                || item.getAlias() == null && item instanceof Table table && maybeSame(table.getName(), name)) {
            return true;
        }
        if (item instanceof net.sf.jsqlparser.statement.select.ParenthesedFromItem parenthesed) {
            if (namedLike(parenthesed.getFromItem(), name)) {
                return true;
            }
            if (parenthesed.getJoins() != null) {
                for (net.sf.jsqlparser.statement.select.Join join : parenthesed.getJoins()) {
                    if (namedLike(join.getFromItem(), name)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether a value a check can bind: a {@code ?}, a NULL, or a (signed) number or string literal. */
    private static boolean checkable(Expression value) {
        Expression literal = value instanceof SignedExpression signed && (signed.getSign() == '-' || signed.getSign() == '+')
                ? signed.getExpression() : value;
        return value instanceof JdbcParameter || value instanceof NullValue || literal instanceof LongValue
                || literal instanceof DoubleValue || literal instanceof StringValue;
    }

    /** For a text that could not be parsed: which MERGE forms are restricted, when it is a MERGE. */
    private static String unparsedMerge(String text) {
        String start = text.stripLeading();
        if (start.length() < 6 || !start.regionMatches(true, 0, "MERGE", 0, 5) || Character.isLetterOrDigit(start.charAt(5))) {
            return "";
        }
        return "; of the MERGE forms, only MERGE INTO … USING … ON … WHEN [NOT] MATCHED [AND …] THEN UPDATE, DELETE or "
                + "INSERT is restricted by row filters (H2's MERGE INTO … KEY (…) VALUES and THEN DO NOTHING are not): "
                + "write it in that form, or as separate UPDATE, DELETE and INSERT statements";
    }

    /**
     * Whether two names as written (quoted or not) may name the same column or table: the comparison of the checks that
     * refuse, which fails closed. They may when the database's own rule says so ({@link #surelySame}), when they differ
     * only in the case of any letter where names are compared ignoring case (MariaDB, SQL Server, generic), and on H2
     * when they differ only in case at all: its connection settings ({@code CASE_INSENSITIVE_IDENTIFIERS}, {@code
     * DATABASE_TO_LOWER}, …), which are not known here, can make such names the same.
     */
    private boolean maybeSame(String a, String b) {
        if (a == null || b == null) {
            return true;
        }
        if (surelySame(a, b)) {
            return true;
        }
        String x = stored(a);
        String y = stored(b);
        boolean folded = x.equalsIgnoreCase(y) || x.toLowerCase(Locale.ROOT).equals(y.toLowerCase(Locale.ROOT))
                || x.toUpperCase(Locale.ROOT).equals(y.toUpperCase(Locale.ROOT));
        return folded && (dialect.isH2() || !dialect.caseSensitiveNames());
    }

    /**
     * Whether two names as written (quoted or not) surely name the same column or table: the comparison of the checks
     * that must find a filter's column. Each is taken as the database stores it (an unquoted name folded, a quoted one
     * as written, PostgreSQL's cut to 63 bytes); where names are compared ignoring case, only ASCII letters are taken
     * to match in another case.
     */
    private boolean surelySame(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        String x = stored(a);
        String y = stored(b);
        return dialect.caseSensitiveNames() ? x.equals(y) : asciiLower(x).equals(asciiLower(y));
    }

    /** A name as the database stores it: folded or unquoted, and for PostgreSQL cut to its 63 bytes. */
    private String stored(String name) {
        String normalized = dialect.normalizeIdentifier(name);
        if (dialect != Dialect.POSTGRESQL) {
            return normalized;
        }
        int bytes = 0;
        for (int i = 0; i < normalized.length(); ) {
            int codePoint = normalized.codePointAt(i);
            bytes += new String(Character.toChars(codePoint)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > 63) {
                return normalized.substring(0, i);
            }
            i += Character.charCount(codePoint);
        }
        return normalized;
    }

    private static String asciiLower(String name) {
        StringBuilder lower = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            lower.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return lower.toString();
    }

    /** Whether a filter may read the column a statement names (as written): then the statement may not set it. */
    private boolean reads(Filter filter, Column column) {
        return filter.condition().columns().stream().anyMatch(c -> maybeSame(c, column.getColumnName()));
    }

    /**
     * Where a list of columns as a statement names them gives the column {@code filterColumn} a filter reads, or
     * {@code -1} when it does not name it at all; refused when more than one of the names may be it, or the only one
     * that may be it is not surely it (written in another case or quoting, which the database may not take for it).
     */
    private int positionOf(List<Column> columns, String filterColumn, Filter filter, String statement) {
        int at = -1;
        for (int i = 0; i < columns.size(); i++) {
            if (maybeSame(columns.get(i).getColumnName(), filterColumn)) {
                if (at >= 0) {
                    throw refused(List.of(filter.id()), statement + " names the column " + filterColumn + " twice (as "
                            + columns.get(at).getColumnName() + " and " + columns.get(i).getColumnName() + "), which row "
                            + "filter " + filter.id() + " reads: name it once");
                }
                at = i;
            }
        }
        if (at >= 0 && !surelySame(columns.get(at).getColumnName(), filterColumn)) {
            throw refused(List.of(filter.id()), statement + " names the column " + columns.get(at).getColumnName()
                    + ", which the database may or may not take for the column " + filterColumn + " row filter "
                    + filter.id() + " reads (the names differ in case or quoting): name it as the filter does, "
                    + filterColumn);
        }
        return at;
    }

    private static String qualifier(Table table) {
        return table.getAlias() != null ? table.getAlias().getName() : table.getName();
    }

    private static Expression and(Expression where, Expression condition) {
        return where == null ? condition : new AndExpression(new ParenthesedExpressionList<>(where), condition);
    }

    private FromItem derivedTable(Table table, List<Filter> matched, boolean only, Object owner, boolean topLevel) {
        checkExtras(table, matched);
        Alias outer = table.getAlias() != null ? table.getAlias() : new Alias(table.getName(), true);
        String inner = INNER_ALIAS + (++derived);
        modified = true;
        table.setAlias(new Alias(inner, false));
        handled.add(table);
        PlainSelect body = new PlainSelect().addSelectItems(new AllColumns()).withFromItem(table).withUsingOnly(only);
        Expression where = condition(matched, inner);
        if (fenced()) {
            // the filter is applied inside the fence, before any condition of the caller's sees a row; the caller's
            // conjuncts that cannot tell anything of a row are copied beside it, for the database's indexes
            if (owner instanceof PlainSelect select && select.getFromItem() == table && innerJoinsOnly(select)) {
                boolean unqualified = topLevel && empty(select.getJoins());
                Pushed pushed = push(select.getWhere(), own(outer.getName(), unqualified), inner, table);
                for (Expression inside : pushed.inside()) {
                    where = new AndExpression(where, inside);
                }
                select.setWhere(pushed.remaining());
            }
            body.setWhere(where);
            if (dialect == Dialect.MARIADB) {
                body.setLimit(new net.sf.jsqlparser.statement.select.Limit().withRowCount(new JdbcNamedParameter(FENCE)));
            } else {
                body.setOffset(new net.sf.jsqlparser.statement.select.Offset().withOffset(new JdbcNamedParameter(FENCE)));
            }
        } else {
            body.setWhere(where);
        }
        ParenthesedSelect derivedTable = new ParenthesedSelect();
        derivedTable.setSelect(body);
        derivedTable.setAlias(outer);
        return derivedTable;
    }

    /** Whether a derived table gets a fence: on the databases known to see through a plain one. */
    private boolean fenced() {
        return dialect == Dialect.MARIADB || dialect == Dialect.POSTGRESQL;
    }

    /** The fence's text, put where {@link #FENCE} stands. */
    private String fence() {
        return dialect == Dialect.MARIADB ? "18446744073709551615" : "0";
    }

    private static boolean empty(List<?> list) {
        return list == null || list.isEmpty();
    }

    /** Whether every join of the select is an inner (or cross) join: a WHERE conjunct then restricts each side alone. */
    private static boolean innerJoinsOnly(PlainSelect select) {
        if (select.getJoins() == null) {
            return true;
        }
        for (net.sf.jsqlparser.statement.select.Join join : select.getJoins()) {
            if (join.isLeft() || join.isRight() || join.isFull() || join.isOuter() || join.isNatural() || join.isApply()
                    || join.isSemi() || join.isFetch() || join.isWindowJoin() || join.isAsOf()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Which columns are the filtered table's: those qualified by {@code qualifier} (its alias, or its name), and when
     * {@code unqualified}, those written without a qualifier (a statement of that table alone, at the top level, where
     * such a name cannot be an outer query's column).
     */
    private Predicate<Column> own(String qualifier, boolean unqualified) {
        return column -> {
            Table table = column.getTable();
            if (table == null || table.getName() == null) {
                return unqualified;
            }
            return table.getSchemaName() == null && table.getDatabaseName() == null && surelySame(table.getName(), qualifier);
        };
    }

    /**
     * The caller's condition {@code where}, to be evaluated on rows {@code matched} admit only: its safe conjuncts
     * ({@link FenceConjuncts}), then the filters, then {@code CASE WHEN <filters> THEN <where> END}, which the database
     * evaluates only where the filters are true (a CASE is evaluated in order), and which is true exactly where
     * {@code <filters> AND <where>} is.
     */
    private Expression guarded(Expression where, List<Filter> matched, String qualifier, boolean unqualified, Table table) {
        if (where == null) {
            return condition(matched, qualifier);
        }
        Expression result = null;
        Pushed pushed = push(where, own(qualifier, unqualified), qualifier, table);
        for (Expression inside : pushed.inside()) {
            result = result == null ? inside : new AndExpression(result, inside);
        }
        Expression filter = condition(matched, qualifier);
        result = result == null ? filter : new AndExpression(result, filter);
        if (pushed.remaining() == null) {
            return result;
        }
        CaseExpression gate = new CaseExpression(new WhenClause(condition(matched, qualifier),
                new ParenthesedExpressionList<>(pushed.remaining())));
        return new AndExpression(result, gate);
    }

    /**
     * What {@link #push} makes of a condition: the conjuncts to evaluate beside the filter, and the condition left to
     * evaluate on admitted rows only ({@code null} when nothing is left).
     */
    private record Pushed(List<Expression> inside, Expression remaining) {
    }

    /**
     * The safe conjuncts of {@code where} ({@link FenceConjuncts}), their columns qualified by {@code qualifier}: one
     * holding a {@code ?} is moved (so that the application's parameter is still bound once), one holding literals is
     * copied (each literal becomes a marked cell, put back as written in both places), one holding both stays. On
     * MariaDB and H2, a comparison of an integer column of {@code table} with an integer literal of its range is copied,
     * and on MariaDB one with a parameter stays, narrowed beside the filter by {@link Narrowing} bounds ({@link
     * #rewrite(String, Dialect, List, Identity, boolean, ColumnTypes)}).
     */
    private Pushed push(Expression where, Predicate<Column> own, String qualifier, Table table) {
        List<Expression> inside = new ArrayList<>();
        Expression remaining = null;
        for (Expression conjunct : FenceConjuncts.conjuncts(where)) {
            FenceConjuncts.Safe form = FenceConjuncts.form(conjunct, dialect, own);
            boolean safe = form != null;
            FenceConjuncts.IntegerKey key = safe || dialect == Dialect.POSTGRESQL || table == null ? null
                    : FenceConjuncts.integerKey(conjunct, own);
            IntegerColumns.Range range = key == null ? null : rangeOf(table, key.column());
            // H2 chooses a plan when a statement is prepared, before its values are bound: a range of parameters is
            // costed as a quarter of the table, and its index is not used; so H2 has integer literals copied only
            int ordinal = range != null && !key.parameter() ? integerLiterals++ : -1;
            if (range != null && (key.parameter() ? dialect == Dialect.MARIADB
                    : notIntegers != null && !notIntegers.contains(ordinal))) {
                if (key.parameter()) {
                    int index = ((JdbcParameter) key.value()).getIndex();
                    net.sf.jsqlparser.expression.operators.relational.Between between =
                            new net.sf.jsqlparser.expression.operators.relational.Between();
                    between.setLeftExpression(column(key.column(), qualifier));
                    between.setBetweenExpressionStart(slot(new Binding(0, new Narrowing(index, range.min(), range.max(), false))));
                    between.setBetweenExpressionEnd(slot(new Binding(0, new Narrowing(index, range.min(), range.max(), true))));
                    inside.add(between);
                } else {
                    inside.add(copy(key.form(conjunct), qualifier));
                    int sign = key.value() instanceof SignedExpression signed && signed.getSign() == '-' ? -1 : 1;
                    integerCells.add(new IntegerCell(cellSigns.size() - 1, sign, range, ordinal));
                }
                remaining = remaining == null ? conjunct : new AndExpression(remaining, conjunct);
                continue;
            }
            int parameters = safe ? FenceConjuncts.parameters(conjunct) : 0;
            int literals = safe ? FenceConjuncts.literals(conjunct) : 0;
            if (safe && (parameters == 0 || literals == 0)) {
                inside.add(copy(form, qualifier));
            }
            if (!safe || parameters == 0 || literals > 0) {
                remaining = remaining == null ? conjunct : new AndExpression(remaining, conjunct);
            }
        }
        return new Pushed(inside, remaining);
    }

    /** The range of {@code column} of the filtered table {@code table} when the catalog gives it an integer type. */
    private IntegerColumns.Range rangeOf(Table table, Column column) {
        if (table.getName() == null || table.getDatabaseName() != null && !table.getDatabaseName().isEmpty()
                || column.getColumnName() == null) {
            return null;
        }
        String schema = table.getSchemaName() == null ? null : dialect.normalizeIdentifier(table.getSchemaName());
        String name = dialect.normalizeIdentifier(table.getName());
        String columnName = dialect.normalizeIdentifier(column.getColumnName());
        String type = types.typeOf(schema, name, columnName);
        asked.add(new TypeLookup(schema, name, columnName, type));
        return IntegerColumns.range(dialect, type);
    }

    /**
     * A MERGE's ON condition, guarded as {@link #guarded} guards a WHERE, except that on PostgreSQL its join keys,
     * conjuncts {@code <target column> = <source column>} ({@link FenceConjuncts#joinKey}), stay beside the filter (they compare a
     * target row's value with a source row's, which the database evaluates where it joins them), so that the
     * database can still join by them.
     */
    private Expression guardedOn(Expression on, List<Filter> matched, String qualifier) {
        Predicate<Column> own = own(qualifier, false);
        List<Expression> keys = new ArrayList<>();
        List<Expression> rest = new ArrayList<>();
        for (Expression conjunct : FenceConjuncts.conjuncts(on)) {
            (dialect == Dialect.POSTGRESQL && FenceConjuncts.joinKey(conjunct, own) ? keys : rest).add(conjunct);
        }
        Expression result = null;
        for (Expression key : keys) {
            result = result == null ? key : new AndExpression(result, key);
        }
        Expression remaining = null;
        for (Expression part : rest) {
            remaining = remaining == null ? part : new AndExpression(remaining, part);
        }
        Expression guarded = guarded(remaining, matched, qualifier, false, null);
        return result == null ? guarded : new AndExpression(result, guarded);
    }

    /**
     * A copy of the safe conjunct {@code form}, its column qualified by {@code qualifier}: one rule per {@link
     * FenceConjuncts.Kind} (the switch has no default, so a kind added there must be given its copy here), the comparison
     * rebuilt from its row of {@link FenceConjuncts.Comparison}, the table {@link FenceConjuncts#form} accepted it by.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Expression copy(FenceConjuncts.Safe form, String qualifier) {
        Expression e = form.node();
        return switch (form.kind()) {
            case IS_NULL, IS_NOT_NULL -> {
                net.sf.jsqlparser.expression.operators.relational.IsNullExpression isNull =
                        (net.sf.jsqlparser.expression.operators.relational.IsNullExpression) e;
                net.sf.jsqlparser.expression.operators.relational.IsNullExpression copy =
                        new net.sf.jsqlparser.expression.operators.relational.IsNullExpression();
                copy.setLeftExpression(column((Column) isNull.getLeftExpression(), qualifier));
                copy.setNot(form.kind() == FenceConjuncts.Kind.IS_NOT_NULL);
                yield copy;
            }
            case COMPARISON -> {
                net.sf.jsqlparser.expression.operators.relational.ComparisonOperator comparison =
                        (net.sf.jsqlparser.expression.operators.relational.ComparisonOperator) e;
                boolean columnLeft = comparison.getLeftExpression() instanceof Column
                        && FenceConjuncts.value(comparison.getRightExpression());
                Expression left = columnLeft ? column((Column) comparison.getLeftExpression(), qualifier)
                        : copyValue(comparison.getLeftExpression(), comparison::setLeftExpression);
                Expression right = columnLeft ? copyValue(comparison.getRightExpression(), comparison::setRightExpression)
                        : column((Column) comparison.getRightExpression(), qualifier);
                net.sf.jsqlparser.expression.operators.relational.ComparisonOperator copy = form.comparison().make();
                copy.setLeftExpression(left);
                copy.setRightExpression(right);
                yield copy;
            }
            case IN, NOT_IN -> {
                net.sf.jsqlparser.expression.operators.relational.InExpression in =
                        (net.sf.jsqlparser.expression.operators.relational.InExpression) e;
                List list = (List) in.getRightExpression();
                ParenthesedExpressionList<Expression> values = new ParenthesedExpressionList<>();
                for (int i = 0; i < list.size(); i++) {
                    int at = i;
                    values.add(copyValue((Expression) list.get(i), v -> list.set(at, v)));
                }
                net.sf.jsqlparser.expression.operators.relational.InExpression copy =
                        new net.sf.jsqlparser.expression.operators.relational.InExpression(
                                column((Column) in.getLeftExpression(), qualifier), values);
                copy.setNot(form.kind() == FenceConjuncts.Kind.NOT_IN);
                yield copy;
            }
            case BETWEEN, NOT_BETWEEN -> {
                net.sf.jsqlparser.expression.operators.relational.Between between =
                        (net.sf.jsqlparser.expression.operators.relational.Between) e;
                net.sf.jsqlparser.expression.operators.relational.Between copy =
                        new net.sf.jsqlparser.expression.operators.relational.Between();
                copy.setLeftExpression(column((Column) between.getLeftExpression(), qualifier));
                copy.setBetweenExpressionStart(copyValue(between.getBetweenExpressionStart(),
                        between::setBetweenExpressionStart));
                copy.setBetweenExpressionEnd(copyValue(between.getBetweenExpressionEnd(), between::setBetweenExpressionEnd));
                copy.setNot(form.kind() == FenceConjuncts.Kind.NOT_BETWEEN);
                yield copy;
            }
        };
    }

    private static Column column(Column column, String qualifier) {
        return new Column(new Table(qualifier), column.getColumnName());
    }

    /**
     * A copy of the value {@code value} ({@link FenceConjuncts#value}): a parameter moves (as its slot); a literal is
     * replaced (through {@code replace}) by a marked cell, which the copy repeats.
     */
    private Expression copyValue(Expression value, java.util.function.Consumer<Expression> replace) {
        if (value instanceof JdbcParameter parameter) {
            return applicationParameter(parameter);
        }
        if (value instanceof JdbcNamedParameter named) { // a slot already
            return named;
        }
        if (value instanceof SignedExpression signed) {
            return new SignedExpression(signed.getSign(), copyValue(signed.getExpression(), signed::setExpression));
        }
        JdbcNamedParameter marker = new JdbcNamedParameter(CELL + cellSigns.size());
        cellSigns.add(1);
        replace.accept(marker);
        return new JdbcNamedParameter(COPY + (cellSigns.size() - 1));
    }

    /** A table with hints, samples, pivots or time travel is not rewritten: such clauses would not survive it. */
    private void checkExtras(Table table, List<Filter> matched) {
        if (table.getPivot() != null || table.getUnPivot() != null || table.getSampleClause() != null
                || table.getIndexHint() != null || table.getSqlServerHints() != null || table.getTimeTravel() != null) {
            throw refused(idsOf(matched), "the table " + table.getName() + " carries a hint, sample, pivot or time travel "
                    + "clause, which cannot be combined with its row filter");
        }
    }

    /** The conditions of {@code matched}, AND-ed, their columns qualified by {@code qualifier}, their values as slots. */
    private Expression condition(List<Filter> matched, String qualifier) {
        Expression all = null;
        for (Filter filter : matched) {
            applied.add(filter.id());
            Expression tree = filter.condition().freshTree();
            Expression[] root = {tree};
            ParseTreeEditor.Edit edit = new ParseTreeEditor.Edit() {
                @Override
                public Object at(Object owner, String field, Class<?> type, Object node, boolean inList) {
                    if (node instanceof Column column) {
                        column.setTable(new Table(qualifier));
                        return column;
                    }
                    if (node instanceof JdbcNamedParameter parameter) {
                        return identityValue(filter, parameter, inList);
                    }
                    Object literal = literalValue(node);
                    return literal == null ? node : slot(new Binding(0, literal));
                }
            };
            root[0] = (Expression) substitute(tree, filter, edit);
            Expression wrapped = new ParenthesedExpressionList<>(root[0]);
            all = all == null ? wrapped : new AndExpression(all, wrapped);
        }
        return all;
    }

    /** Applies {@code edit} to the tree, the root included. */
    private Object substitute(Expression tree, Filter filter, ParseTreeEditor.Edit edit) {
        Object root = edit.at(null, "", Expression.class, tree, false);
        if (root != tree) {
            if (root instanceof List<?>) {
                throw refused(List.of(filter.id()), ":identity.groups stands where a single value is needed");
            }
            return root;
        }
        ParseTreeEditor.walk(tree, edit);
        return tree;
    }

    private static Object literalValue(Object node) {
        if (node instanceof StringValue s) {
            return s.getNotExcapedValue();
        }
        if (node instanceof LongValue l) {
            return l.getBigIntegerValue().bitLength() < 64 ? (Object) l.getValue() : l.getBigIntegerValue();
        }
        if (node instanceof DoubleValue d) {
            return d.getValue();
        }
        return null;
    }

    private Object identityValue(Filter filter, JdbcNamedParameter parameter, boolean inList) {
        String name = filter.condition().references()
                .get(Integer.parseInt(parameter.getName().substring(RowCondition.PLACEHOLDER.length())));
        if (name.equals(RowCondition.GROUPS)) {
            if (!inList) {
                throw refused(List.of(filter.id()), ":identity.groups stands where a single value is needed");
            }
            List<Object> values = new ArrayList<>();
            for (String group : new TreeSet<>(identity.groups())) {
                values.add(slot(new Binding(0, group)));
            }
            return values.isEmpty() ? List.of(new NullValue()) : values;
        }
        String value = name.equals(RowCondition.PRINCIPAL) ? identity.principal() : attribute(identity, name);
        if (value == AMBIGUOUS_ATTRIBUTE) {
            throw refused(List.of(filter.id()), "row filter " + filter.id() + " needs the identity attribute '" + name
                    + "', and " + identity.describe() + " has no attribute of that exact name but several that differ from it"
                    + " only in case (" + String.join(", ", sameIgnoringCase(identity, name)) + ") with different values:"
                    + " name the attribute in the filter exactly as the identity has it, or give the identity one of them");
        }
        if (value == null) {
            throw refused(List.of(filter.id()), "row filter " + filter.id() + " needs the identity attribute '" + name
                    + "', which " + identity.describe() + " does not have: give the caller that attribute "
                    + "(governed.attribute." + name + ", or the identity's attributes)");
        }
        return slot(new Binding(0, value));
    }

    /**
     * What {@link #attribute} gives when the identity has no attribute named {@code name} exactly and several that match it
     * ignoring case, with different values: which of them the filter means cannot be told (the order the identity was
     * given them in says nothing about it), so the filter is refused rather than bound to either. Compared by identity.
     */
    static final String AMBIGUOUS_ATTRIBUTE = new String("ambiguous attribute");

    /**
     * The identity's attribute {@code name}, matched exactly, else ignoring case; {@code null} when it has none;
     * {@link #AMBIGUOUS_ATTRIBUTE} when several match ignoring case with different values and none exactly.
     */
    static String attribute(Identity identity, String name) {
        String exact = identity.attribute(name);
        if (exact != null) {
            return exact;
        }
        String found = null;
        for (Map.Entry<String, String> e : identity.attributes().entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                if (found != null && !found.equals(e.getValue())) {
                    return AMBIGUOUS_ATTRIBUTE;
                }
                found = e.getValue();
            }
        }
        return found;
    }

    /** The names of the identity's attributes equal to {@code name} ignoring case, sorted. */
    private static List<String> sameIgnoringCase(Identity identity, String name) {
        return identity.attributes().keySet().stream().filter(k -> k.equalsIgnoreCase(name)).sorted().toList();
    }

    private JdbcNamedParameter applicationParameter(JdbcParameter parameter) {
        if (parameter.isUseFixedIndex() || parameter.getIndex() == null || parameter.getIndex() < 1) {
            throw refused(matchingIds(null), "numbered parameters cannot be combined with row filters: use ?");
        }
        applicationParameters++;
        return slot(new Binding(parameter.getIndex(), null));
    }

    private JdbcNamedParameter slot(Binding binding) {
        if (checking != null) {
            checking.add(binding);
            return new JdbcNamedParameter(CHECK + (checking.size() - 1));
        }
        slots.add(binding);
        return new JdbcNamedParameter(SLOT + (slots.size() - 1));
    }

    private List<Filter> matching(Table table) {
        if (table == null || table.getName() == null) {
            return List.of();
        }
        String schema = table.getSchemaName();
        TableRef ref = new TableRef(schema == null ? null : dialect.normalizeIdentifier(schema),
                dialect.normalizeIdentifier(table.getName()));
        List<Filter> matched = new ArrayList<>();
        for (Filter filter : filters) {
            if (filter.tables().test(ref)) {
                matched.add(filter);
            }
        }
        return matched;
    }

    private List<String> matchingIds(Table table) {
        return table == null ? filters.stream().map(Filter::id).toList() : idsOf(matching(table));
    }

    private static List<String> idsOf(List<Filter> filters) {
        return filters.stream().map(Filter::id).toList();
    }

    private RefusedException refused(List<String> ids, String why) {
        return new RefusedException(ids, why);
    }

    /** The template's slots become {@code ?} in order, and its literals the statement's own, as written. */
    private Rewrite finish(String source, String template) {
        TokenSpans original = TokenSpans.of(source, dialect);
        TokenSpans rewritten = TokenSpans.of(template, dialect);
        List<String> ids = List.copyOf(applied);
        if (original.problem || rewritten.problem || original.literals.size() != rewritten.literals.size() + cellSigns.size()
                || rewritten.questionMarks > 0 || original.markers.size() > 0) {
            throw refused(ids, "the rewritten statement could not be checked against the original");
        }
        StringBuilder sql = new StringBuilder(template.length() + 32);
        List<Binding> bindings = new ArrayList<>();
        String[] cells = new String[cellSigns.size()];
        int literal = 0;
        for (TokenSpans.Span span : rewritten.ordered()) { // the cells first: a copy may stand before its cell
            if (span.marker() == null) {
                literal++;
            } else if (span.marker().startsWith(":" + CELL)) {
                int cell = Integer.parseInt(span.marker().substring(CELL.length() + 1));
                TokenSpans.Span own = original.literals.get(literal++);
                if (cells[cell] != null) {
                    throw refused(ids, "the rewritten statement could not be checked against the original");
                }
                cells[cell] = source.substring(own.start(), own.end());
            }
        }
        cellTexts = cells;
        Set<Integer> notAnInteger = new TreeSet<>();
        for (IntegerCell integer : integerCells) {
            String text = cells[integer.cell()];
            if (text == null || !INTEGER.matcher(text).matches() || text.length() > 40) {
                notAnInteger.add(integer.ordinal());
                continue;
            }
            BigInteger value = new BigInteger(text);
            value = integer.sign() < 0 ? value.negate() : value;
            if (value.bitLength() >= 64 || !integer.range().holds(value.longValue())) {
                notAnInteger.add(integer.ordinal());
            }
        }
        if (!notAnInteger.isEmpty()) {
            throw new NotAnInteger(notAnInteger);
        }
        int from = 0;
        literal = 0;
        for (TokenSpans.Span span : rewritten.ordered()) {
            sql.append(template, from, span.start());
            if (span.marker() == null) {
                TokenSpans.Span own = original.literals.get(literal++);
                sql.append(source, own.start(), own.end());
            } else if (span.marker().startsWith(":" + CELL)) {
                literal++;
                sql.append(cells[Integer.parseInt(span.marker().substring(CELL.length() + 1))]);
            } else if (span.marker().startsWith(":" + COPY) || span.marker().equals(":" + FENCE)) {
                sql.append(special(span.marker(), ids));
            } else {
                if (!span.marker().startsWith(":" + SLOT)) {
                    throw refused(ids, "the rewritten statement could not be checked against the original");
                }
                bindings.add(slots.get(Integer.parseInt(span.marker().substring(SLOT.length() + 1))));
                sql.append('?');
            }
            from = span.end();
        }
        sql.append(template, from, template.length());
        if (bindings.size() != slots.size() || bindings.stream().filter(Binding::application).count() != applicationParameters) {
            throw refused(ids, "the rewritten statement could not be checked against the original");
        }
        List<RowCheck> checks = new ArrayList<>();
        for (PendingCheck pending : pendingChecks) {
            List<Binding> values = new ArrayList<>();
            for (Object parameter : pending.parameters()) {
                if (parameter instanceof Cell cell) {
                    if (cells[cell.number()] == null) {
                        throw refused(ids, "the rewritten statement could not be checked against the original");
                    }
                    values.add(new Binding(0, literal(cells[cell.number()], cellSigns.get(cell.number()), pending.filter())));
                } else {
                    values.add((Binding) parameter);
                }
            }
            checks.add(new RowCheck(pending.filter(), pending.condition(), values));
        }
        checks.addAll(selectChecks(source, template, original, rewritten, ids));
        if (!modified) {
            // Only rows are checked: the statement runs as the application wrote it, which must be the statement the
            // checks were read from, token for token, every literal in its place.
            if (!LexedSql.of(sql.toString(), dialect).fingerprint().equals(LexedSql.of(source, dialect).fingerprint())) {
                throw refused(ids, "the statement could not be checked against the original");
            }
            return new Rewrite(source, bindings, applicationParameters, ids, checks, true);
        }
        return new Rewrite(sql.toString(), bindings, applicationParameters, ids, checks, false);
    }

    /** The text of a fence or of a copied literal. */
    private String special(String marker, List<String> ids) {
        if (marker.equals(":" + FENCE)) {
            return fence();
        }
        int cell = Integer.parseInt(marker.substring(COPY.length() + 1));
        if (cell >= cellTexts.length || cellTexts[cell] == null) {
            throw refused(ids, "the rewritten statement could not be checked against the original");
        }
        return cellTexts[cell];
    }

    /**
     * The value of a literal as written in a VALUES cell, as the database reads it: a plain {@code '…'} string without
     * backslashes, or a decimal number; anything else (escapes, prefixes, hexadecimal) is refused.
     */
    private Object literal(String text, int sign, String filter) {
        if (text.length() >= 2 && text.charAt(0) == '\'' && text.charAt(text.length() - 1) == '\''
                && text.indexOf('\\') < 0 && sign == 1) {
            return text.substring(1, text.length() - 1).replace("''", "'");
        }
        if (INTEGER.matcher(text).matches()) {
            BigInteger value = new BigInteger(text);
            value = sign < 0 ? value.negate() : value;
            return value.bitLength() < 64 ? (Object) value.longValue() : new BigDecimal(value);
        }
        if (DECIMAL.matcher(text).matches()) {
            BigDecimal value = new BigDecimal(text);
            return sign < 0 ? value.negate() : value;
        }
        throw refused(List.of(filter), "a value of a column row filter " + filter + " reads is a literal whose value "
                + "cannot be read for certain (an escaped, prefixed or hexadecimal literal): give it as a plain literal or "
                + "bind it as a ? parameter");
    }

    /**
     * Readies the checks that the rows of an INSERT into a filtered table pass its filters. {@code INSERT … (columns)
     * VALUES (…), …} whose values for every column a filter reads are literals or {@code ?} is checked row by row;
     * {@code INSERT … (columns) SELECT …} keeps only the selected rows the filters admit and is checked as a whole
     * ({@link #restrictSelectedRows}); an update on a conflict is restricted to the rows the filters admit
     * ({@link #restrictConflictUpdate}); anything else is refused.
     */
    private void prepareChecks(Insert insert, List<Filter> matched) {
        List<String> ids = idsOf(matched);
        for (Filter filter : matched) {
            if (!filter.check()) {
                throw refused(List.of(filter.id()), "an INSERT into " + insert.getTable().getName() + " is refused: row "
                        + "filter " + filter.id() + " has 'check: false', so new rows are not checked against it; exempt "
                        + "the caller ('unless') or set 'check: true'");
            }
        }
        String table = insert.getTable().getName();
        restrictConflictUpdate(insert, matched);
        if (insert.isUseSet() || insert.getSetUpdateSets() != null && !insert.getSetUpdateSets().isEmpty()
                || insert.isOracleMultiInsert() || insert.isOverwrite() || insert.isOnlyDefaultValues()
                || insert.getSelect() == null) {
            throw refused(ids, "an INSERT into " + table + " other than INSERT … (columns) VALUES (…) or INSERT … "
                    + "(columns) SELECT … is refused (its new rows cannot be checked against the filter); insert with "
                    + "VALUES or a SELECT, naming the columns");
        }
        if (insert.getColumns() == null || insert.getColumns().isEmpty()) {
            throw refused(ids, "an INSERT into " + table + " without a column list is refused: name the columns, so that "
                    + "the values of the columns the filter reads are known");
        }
        List<Column> columns = insert.getColumns();
        Map<String, Integer> positions = new java.util.HashMap<>();
        for (Filter filter : matched) {
            for (String column : filter.condition().columns()) {
                String name = dialect.normalizeIdentifier(column);
                int at = positionOf(columns, column, filter, "the INSERT into " + table);
                if (at < 0) {
                    throw refused(List.of(filter.id()), "the INSERT into " + table + " does not give the column " + column
                            + ", which row filter " + filter.id() + " reads, so its value (the column's default) cannot "
                            + "be checked: give it in the column list");
                }
                positions.put(name, at);
            }
        }
        if (!(insert.getSelect() instanceof Values values)) {
            restrictSelectedRows(insert, matched);
            handled.add(insert.getTable());
            return;
        }
        List<ExpressionList<?>> rows = rows(values, ids);
        for (ExpressionList<?> row : rows) {
            if (row.size() != columns.size()) {
                throw refused(ids, "a row of the INSERT into " + table + " has " + row.size() + " values for "
                        + columns.size() + " columns");
            }
            Map<String, Object> cells = new java.util.HashMap<>();
            for (Map.Entry<String, Integer> position : positions.entrySet()) {
                cells.put(position.getKey(), cell(row, position.getValue(), table, ids));
            }
            for (Filter filter : matched) {
                pendingChecks.add(checkOf(filter, cells));
                applied.add(filter.id());
            }
        }
        handled.add(insert.getTable());
    }

    /**
     * An INSERT that updates the existing row on a conflict updates it only when the filters admit it (the row a
     * conflict finds may be another's): {@code ON CONFLICT … DO UPDATE} gets the filters, over the target, AND-ed to
     * its WHERE (a row for which it is not true is left as it was); each {@code c = v} of {@code ON DUPLICATE KEY
     * UPDATE}, which has no WHERE, becomes {@code c = CASE WHEN <filters over the existing row> THEN v ELSE c END}.
     * Setting a column a filter reads is refused, as for an UPDATE: the filters then read the same values in every
     * assignment, whatever the order the database makes them in.
     */
    private void restrictConflictUpdate(Insert insert, List<Filter> matched) {
        List<String> ids = idsOf(matched);
        Table target = insert.getTable();
        InsertConflictAction conflict = insert.getConflictAction();
        boolean duplicate = insert.isUseDuplicate() || insert.getDuplicateAction() != null
                || insert.getDuplicateUpdateSets() != null && !insert.getDuplicateUpdateSets().isEmpty();
        if (conflict != null && conflict.getConflictActionType() != ConflictActionType.DO_NOTHING) {
            if (conflict.getConflictActionType() != ConflictActionType.DO_UPDATE || duplicate
                    || conflict.getUpdateSets() == null || conflict.getUpdateSets().isEmpty()) {
                throw refused(ids, "the conflict clause of the INSERT into " + target.getName() + " could not be read "
                        + "for certain; write ON CONFLICT … DO NOTHING or ON CONFLICT … DO UPDATE SET …");
            }
            refuseSettingFilterColumns(conflict.getUpdateSets(), matched, "ON CONFLICT … DO UPDATE");
            checkExtras(target, matched);
            conflict.setWhereExpression(and(conflict.getWhereExpression(), condition(matched, qualifier(target))));
            modified = true;
            return;
        }
        if (!duplicate) {
            return;
        }
        List<UpdateSet> sets = insert.getDuplicateUpdateSets();
        InsertDuplicateAction action = insert.getDuplicateAction();
        if (conflict != null || sets == null || sets.isEmpty() || action == null || action.getUpdateSets() != sets
                || action.getWhereExpression() != null) {
            throw refused(ids, "the ON DUPLICATE KEY clause of the INSERT into " + target.getName() + " could not be "
                    + "read for certain; write ON DUPLICATE KEY UPDATE c = v, …");
        }
        refuseSettingFilterColumns(sets, matched, "ON DUPLICATE KEY UPDATE");
        checkExtras(target, matched);
        String qualifier = qualifier(target);
        for (UpdateSet set : sets) {
            if (set.getColumns().size() != 1 || set.getValues().size() != 1) {
                throw refused(ids, "an assignment of the ON DUPLICATE KEY UPDATE of the INSERT into " + target.getName()
                        + " sets several columns at once; set one column per assignment (c = v, …)");
            }
            Column column = set.getColumns().get(0);
            CaseExpression guarded = new CaseExpression(new WhenClause(condition(matched, qualifier), set.getValue(0)));
            guarded.setElseExpression(new Column(new Table(qualifier), column.getColumnName()));
            @SuppressWarnings({"unchecked", "rawtypes"})
            List<Expression> values = (List) set.getValues();
            values.set(0, guarded);
        }
        modified = true;
    }

    /** An update of the existing row on a conflict may not set a column a filter reads (it could move the row out of sight). */
    private void refuseSettingFilterColumns(List<UpdateSet> sets, List<Filter> matched, String clause) {
        for (UpdateSet set : sets) {
            for (Column column : set.getColumns()) {
                for (Filter filter : matched) {
                    if (reads(filter, column)) {
                        throw refused(List.of(filter.id()), "the " + clause + " sets " + column.getColumnName()
                                + ", which row filter " + filter.id() + " reads: rows could be moved out of what the "
                                + "filter admits; insert or update without setting it");
                    }
                }
            }
        }
    }

    /**
     * {@code INSERT INTO t (columns) <query>} into a filtered table becomes {@code INSERT INTO t (columns) WITH
     * gvins (columns) AS (<query>) SELECT * FROM gvins WHERE <filters over gvins>}: a selected row the filters do not
     * admit is never inserted (the query itself is restricted like any read, by the walk that follows). The query's
     * columns must be counted for certain and be as many as the INSERT names. When the rewrite is finished, a check
     * that no selected row is dropped is made of the same text ({@link #selectChecks}), so that such a row refuses the
     * statement rather than being left out silently.
     */
    private void restrictSelectedRows(Insert insert, List<Filter> matched) {
        List<String> ids = idsOf(matched);
        String table = insert.getTable().getName();
        Select query = insert.getSelect();
        int width = width(query);
        if (width < 0) {
            throw refused(ids, "the SELECT of the INSERT into " + table + " selects * or has a form whose columns cannot "
                    + "be counted for certain, so its columns cannot be matched to the INSERT's: name the selected columns");
        }
        if (width != insert.getColumns().size()) {
            throw refused(ids, "the SELECT of the INSERT into " + table + " selects " + width + " columns for "
                    + insert.getColumns().size() + " columns named: select one value per column named");
        }
        if (insert.getWithItemsList() != null && insert.getWithItemsList().stream()
                .anyMatch(w -> w.getAlias() != null && maybeSame(w.getAlias().getName(), SELECTED))) {
            throw refused(ids, "the INSERT into " + table + " names a query " + SELECTED + ", a name the row filter's "
                    + "rewrite uses: rename it");
        }
        List<SelectItem<?>> names = new ArrayList<>();
        for (Column column : insert.getColumns()) {
            names.add(new SelectItem<>(new Column(column.getColumnName())));
        }
        ParenthesedSelect body = new ParenthesedSelect();
        body.setSelect(query);
        WithItem<ParenthesedSelect> selected = new WithItem<>();
        selected.setAlias(new Alias(SELECTED, false));
        selected.setWithItemList(names);
        selected.setSelect(body);
        Table from = new Table(SELECTED);
        handled.add(from);
        PlainSelect kept = new PlainSelect().addSelectItems(new AllColumns()).withFromItem(from);
        kept.setWithItemsList(new ArrayList<>(List.of(selected)));
        List<Expression> parts = new ArrayList<>();
        Expression where = null;
        for (Filter filter : matched) {
            Expression part = condition(List.of(filter), SELECTED);
            parts.add(part);
            where = where == null ? part : new AndExpression(where, part);
        }
        kept.setWhere(where);
        insert.setSelect(kept);
        pendingSelectChecks.add(new SelectCheck(kept, selected, List.copyOf(matched), parts));
        modified = true;
    }

    /** How many columns {@code select} gives, or {@code -1} when that is not known for certain (a {@code *}, an odd form). */
    private static int width(Select select) {
        if (select instanceof ParenthesedSelect parenthesed) {
            return parenthesed.getSelect() == null ? -1 : width(parenthesed.getSelect());
        }
        if (select instanceof PlainSelect plain) {
            if (plain.getSelectItems() == null || plain.getSelectItems().isEmpty() || plain.getIntoTables() != null) {
                return -1;
            }
            for (SelectItem<?> item : plain.getSelectItems()) {
                if (item.getExpression() instanceof AllColumns || item.getExpression() instanceof AllTableColumns) {
                    return -1;
                }
            }
            return plain.getSelectItems().size();
        }
        if (select instanceof SetOperationList set) {
            int width = -1;
            for (Select branch : set.getSelects()) {
                int each = width(branch);
                if (each < 0 || width >= 0 && each != width) {
                    return -1;
                }
                width = each;
            }
            return width;
        }
        if (select instanceof Values values) {
            int width = -1;
            ExpressionList<?> rows = values.getExpressions();
            for (Object row : rows) {
                int each = row instanceof ParenthesedExpressionList<?> list ? list.size() : -1;
                if (each < 0 || width >= 0 && each != width) {
                    return -1;
                }
                width = each;
            }
            return width;
        }
        return -1;
    }

    /**
     * The checks that an {@code INSERT … SELECT} drops no selected row: for each filter, {@code NOT EXISTS (WITH gvins
     * (columns) AS (<query>) SELECT 1 FROM gvins WHERE CASE WHEN <filter> THEN FALSE ELSE TRUE END)}, made of the
     * rewritten statement's own text (its literals as written, its parameters bound alike), so that it reads the rows
     * the INSERT would. What the check adds to the filter names no operator or function, which a schema on the
     * session's search path could otherwise define in place of the built-in.
     */
    private List<RowCheck> selectChecks(String source, String template, TokenSpans original, TokenSpans rewritten,
                                        List<String> ids) {
        List<RowCheck> checks = new ArrayList<>();
        for (SelectCheck pending : pendingSelectChecks) {
            String query = pending.kept().toString();
            String item = pending.selected().toString();
            String where = pending.kept().getWhere().toString();
            List<String> parts = pending.parts().stream().map(Object::toString).toList();
            int at = template.indexOf(query);
            if (at < 0 || template.lastIndexOf(query) != at || !query.startsWith("WITH " + item + " ")
                    || !query.endsWith(" WHERE " + where) || !where.equals(String.join(" AND ", parts))) {
                throw refused(ids, "the check of the INSERT's selected rows could not be made");
            }
            int itemAt = at + "WITH ".length();
            Piece selected = piece(source, template, original, rewritten, itemAt, itemAt + item.length(), ids);
            int partAt = at + query.length() - where.length();
            for (int i = 0; i < parts.size(); i++) {
                Piece filter = piece(source, template, original, rewritten, partAt, partAt + parts.get(i).length(), ids);
                partAt += parts.get(i).length() + " AND ".length();
                List<Binding> bindings = new ArrayList<>(selected.bindings());
                bindings.addAll(filter.bindings());
                checks.add(new RowCheck(pending.filters().get(i).id(), "NOT EXISTS (WITH " + selected.text() + " SELECT 1 "
                        + "FROM " + SELECTED + " WHERE CASE WHEN " + filter.text() + " THEN FALSE ELSE TRUE END)", bindings));
            }
        }
        return checks;
    }

    /** The text of the rewritten statement from {@code start} to {@code end} of its template, and its parameters. */
    private Piece piece(String source, String template, TokenSpans original, TokenSpans rewritten, int start, int end,
                        List<String> ids) {
        StringBuilder text = new StringBuilder(end - start);
        List<Binding> bindings = new ArrayList<>();
        int literal = 0;
        int from = start;
        for (TokenSpans.Span span : rewritten.ordered()) {
            boolean own = span.marker() == null || span.marker().startsWith(":" + CELL);
            if (span.end() <= start) {
                literal += own ? 1 : 0;
                continue;
            }
            if (span.start() >= end) {
                break;
            }
            if (span.start() < start || span.end() > end) {
                throw refused(ids, "the check of the INSERT's selected rows could not be made");
            }
            text.append(template, from, span.start());
            if (own) {
                TokenSpans.Span written = original.literals.get(literal++);
                text.append(source, written.start(), written.end());
            } else if (span.marker().startsWith(":" + SLOT)) {
                bindings.add(slots.get(Integer.parseInt(span.marker().substring(SLOT.length() + 1))));
                text.append('?');
            } else if (span.marker().startsWith(":" + COPY) || span.marker().equals(":" + FENCE)) {
                text.append(special(span.marker(), ids));
            } else {
                throw refused(ids, "the check of the INSERT's selected rows could not be made");
            }
            from = span.end();
        }
        text.append(template, from, end);
        return new Piece(text.toString(), bindings);
    }

    /** The rows of a VALUES: one parenthesised list, or a list of them. */
    private List<ExpressionList<?>> rows(Values values, List<String> ids) {
        List<ExpressionList<?>> rows = WrittenParameters.valuesRows(values);
        if (rows == null) {
            throw refused(ids, "the VALUES of the INSERT could not be read as rows of values");
        }
        return rows;
    }

    /**
     * What a check binds for the value at {@code index} of {@code row}: the application's parameter, a null, or a
     * literal (marked in the tree, read from the text when the rewrite is finished); anything else is refused.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object cell(ExpressionList<?> row, int index, String table, List<String> ids) {
        Expression value = (Expression) row.get(index);
        if (value instanceof JdbcParameter parameter) {
            if (parameter.isUseFixedIndex() || parameter.getIndex() == null || parameter.getIndex() < 1) {
                throw refused(ids, "numbered parameters cannot be combined with row filters: use ?");
            }
            return new Binding(parameter.getIndex(), null);
        }
        if (value instanceof NullValue) {
            return new Binding(0, null);
        }
        int sign = 1;
        Expression literal = value;
        if (value instanceof SignedExpression signed && (signed.getSign() == '-' || signed.getSign() == '+')
                && (signed.getExpression() instanceof LongValue || signed.getExpression() instanceof DoubleValue)) {
            sign = signed.getSign() == '-' ? -1 : 1;
            literal = signed.getExpression();
        }
        if (literal instanceof LongValue || literal instanceof DoubleValue || literal instanceof StringValue) {
            JdbcNamedParameter marker = new JdbcNamedParameter(CELL + cellSigns.size());
            cellSigns.add(sign);
            if (literal == value) {
                ((List) row).set(index, marker);
            } else {
                ((SignedExpression) value).setExpression(marker);
            }
            return new Cell(cellSigns.size() - 1);
        }
        throw refused(ids, "a value of the INSERT into " + table + " for a column a row filter reads is an expression, "
                + "a function or a subquery, whose value is not known before it runs: give a literal or bind a ? parameter");
    }

    /** The check of one row against {@code filter}: its condition with its columns replaced by the row's values. */
    private PendingCheck checkOf(Filter filter, Map<String, Object> cells) {
        checking = new ArrayList<>();
        try {
            Expression tree = filter.condition().freshTree();
            ParseTreeEditor.Edit edit = new ParseTreeEditor.Edit() {
                @Override
                public Object at(Object owner, String field, Class<?> type, Object node, boolean inList) {
                    if (node instanceof Column column) {
                        Object cell = cells.get(dialect.normalizeIdentifier(column.getColumnName()));
                        if (cell == null) {
                            throw refused(List.of(filter.id()), "the check of row filter " + filter.id()
                                    + " could not be made");
                        }
                        checking.add(cell);
                        return new JdbcNamedParameter(CHECK + (checking.size() - 1));
                    }
                    if (node instanceof JdbcNamedParameter parameter && !parameter.getName().startsWith(CHECK)) {
                        return identityValue(filter, parameter, inList);
                    }
                    Object literal = literalValue(node);
                    return literal == null ? node : slot(new Binding(0, literal));
                }
            };
            Expression condition = (Expression) substitute(tree, filter, edit);
            String text = condition.toString();
            TokenSpans spans = TokenSpans.of(text, dialect);
            if (spans.problem || spans.questionMarks > 0 || !spans.literals.isEmpty()
                    || spans.markers.size() != checking.size()) {
                throw refused(List.of(filter.id()), "the check of row filter " + filter.id() + " could not be made");
            }
            StringBuilder sql = new StringBuilder(text.length());
            List<Object> parameters = new ArrayList<>();
            int from = 0;
            for (TokenSpans.Span span : spans.markers) {
                if (!span.marker().startsWith(":" + CHECK)) {
                    throw refused(List.of(filter.id()), "the check of row filter " + filter.id() + " could not be made");
                }
                sql.append(text, from, span.start()).append('?');
                parameters.add(checking.get(Integer.parseInt(span.marker().substring(CHECK.length() + 1))));
                from = span.end();
            }
            sql.append(text, from, text.length());
            return new PendingCheck(filter.id(), sql.toString(), parameters);
        } finally {
            checking = null;
        }
    }
}
