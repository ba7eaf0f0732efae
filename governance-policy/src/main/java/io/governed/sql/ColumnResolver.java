package io.governed.sql;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import net.sf.jsqlparser.expression.TimeKeyExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;

/**
 * Resolves a column reference to the relation it belongs to (aliases, derived tables and CTEs seen
 * through to base tables), records it as a {@link ColumnRef}, and adds its lineage. An unqualified
 * column belongs to the only relation in scope; with several it stays unattributed, and its lineage
 * includes every relation it may come from.
 */
final class ColumnResolver {

    /**
     * Words the parser may read as a column that each database reads bare (unquoted, unqualified) as a constant or a
     * value of the session, never as a column: the rule is that a name which could be a column is that column, so a
     * word belongs here only where the database refuses it as a column name ({@code NonColumnWordsIT} shows each on its
     * database). {@code sysdate}, {@code systimestamp} and {@code current} are columns in all three; MariaDB reads
     * {@code user}, {@code session_user}, {@code current_schema}, {@code current_catalog} and {@code unknown} as
     * columns, PostgreSQL {@code unknown}. A dialect not known reads only the constants and SQL's reserved words of
     * the session as no column.
     */
    private static final Set<String> STANDARD_NON_COLUMNS = Set.of("true", "false", "null", "current_date",
            "current_time", "current_timestamp", "localtime", "localtimestamp", "current_user");
    private static final Set<String> MARIADB_NON_COLUMNS = union(STANDARD_NON_COLUMNS, Set.of("current_role"));
    private static final Set<String> POSTGRESQL_NON_COLUMNS = union(STANDARD_NON_COLUMNS,
            Set.of("session_user", "user", "current_role", "current_schema", "current_catalog"));
    private static final Set<String> H2_NON_COLUMNS = union(POSTGRESQL_NON_COLUMNS, Set.of("unknown"));
    /**
     * The time keys the databases read as no column: what the parser reads as a time key otherwise ({@code current},
     * {@code current date}) is, in all three, the column {@code current} (followed by an alias).
     */
    private static final Set<String> TIME_KEYS = Set.of("current_date", "current_time", "current_timestamp");
    private static final String CURRENT = "current";

    private final Dialect dialect;
    private final StatementBuilder out;

    ColumnResolver(Dialect dialect, StatementBuilder out) {
        this.dialect = dialect;
        this.out = out;
    }

    /** The words that stand bare (unquoted, unqualified) for no column in the dialect. */
    static Set<String> nonColumnWords(Dialect dialect) {
        return switch (dialect) {
            case H2, H2_LOWER_CASE -> H2_NON_COLUMNS;
            case POSTGRESQL -> POSTGRESQL_NON_COLUMNS;
            case MARIADB -> MARIADB_NON_COLUMNS;
            default -> STANDARD_NON_COLUMNS;
        };
    }

    /** Whether the parser read a session value or a constant ({@code true}, {@code current_user}) as a column. */
    static boolean isNonColumnWord(Column column, Dialect dialect) {
        if (column.getTable() != null && column.getTable().getName() != null) {
            return false;
        }
        return nonColumnWords(dialect).contains(column.getColumnName().toLowerCase(Locale.ROOT));
    }

    /**
     * The column the databases read where the parser read a time key: {@code current} for {@code current} alone or
     * followed by a word ({@code current date} is the column {@code current} labelled {@code date}); {@code null} for
     * {@code current_date}, {@code current_time} and {@code current_timestamp}, which are no column.
     */
    static Column columnIn(TimeKeyExpression key) {
        String text = key.getStringValue() == null ? "" : key.getStringValue().toLowerCase(Locale.ROOT);
        if (text.endsWith("()")) {
            text = text.substring(0, text.length() - 2);
        }
        return TIME_KEYS.contains(text.strip()) ? null : new Column(CURRENT);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** An unquoted, unqualified {@code binary} in MariaDB, which is the BINARY operator, never a column. */
    private boolean isMariaDbBinaryOperator(Column column) {
        return dialect == Dialect.MARIADB && (column.getTable() == null || column.getTable().getName() == null)
                && column.getColumnName().equalsIgnoreCase("binary");
    }

    /** Resolves one column reference, records it, and adds its lineage. */
    void resolve(Column column, Scope scope, Clause clause, Lineage lineage, List<OutputColumn> selectOutputs) {
        if (isNonColumnWord(column, dialect)) {
            return;
        }
        if (isMariaDbBinaryOperator(column)) {
            // MariaDB's BINARY operator: the parser reads BINARY ssn as a column "binary" aliased ssn, so the
            // operand is lost; what it reads cannot be told, so it counts as every column of every table read
            out.columns.add(new ColumnRef(null, ColumnRef.ALL_COLUMNS, clause));
            if (lineage != null) {
                lineage.unknown = true;
                lineage.transformed = true;
            }
            return;
        }
        String columnName = dialect.normalizeIdentifier(column.getColumnName());
        Table qualifier = column.getTable();
        if (dialect.isKeyAlias(columnName)) {
            keyAlias(qualifier, scope, clause, lineage);
            return;
        }
        if (qualifier != null && qualifier.getName() != null) {
            String schema = qualifier.getSchemaName() == null ? null
                    : dialect.normalizeIdentifier(qualifier.getSchemaName());
            String qualifierName = dialect.normalizeIdentifier(qualifier.getName());
            Relation relation = scope.resolve(schema, qualifierName);
            if (relation != null) {
                columnOf(relation, columnName, clause, lineage);
            } else {
                TableRef guessed = new TableRef(schema, qualifierName);
                out.columns.add(new ColumnRef(guessed, columnName, clause));
                if (lineage != null) {
                    lineage.sources.add(new SourceColumn(guessed, columnName));
                    lineage.unknown = true;
                }
            }
            return;
        }
        // a select-list alias named in ORDER BY, GROUP BY or HAVING stands for the columns its output reads; where a
        // relation in scope may have a column of that name, the name may be that column instead (MariaDB and
        // PostgreSQL read a GROUP BY name, and a name inside a GROUP BY expression, as the FROM clause's column first:
        // SELECT 'x' AS ssn … GROUP BY left(ssn, 3) groups by the table's ssn), so it reads both
        boolean alias = false;
        for (OutputColumn output : selectOutputs) {
            if (!output.star() && dialect.sameName(output.label(), columnName)) {
                alias = true;
                if (!output.aggregateOnly()) {
                    record(output.lineage(), clause);
                }
            }
        }
        if (alias && scope.candidates().stream().noneMatch(r -> mayHaveColumn(r, columnName))) {
            return;
        }
        enclosingAliases(scope, columnName, clause, lineage);
        List<Relation> candidates = scope.candidates();
        Relation wholeRow = !wholeRowReferences() ? null : scope.resolve(null, columnName);
        if (wholeRow != null) {
            wholeRow(wholeRow, clause, lineage); // PostgreSQL: a bare alias is the whole row, here or in an outer query
            if (candidates.stream().noneMatch(r -> mayHaveColumn(r, columnName))) {
                return; // no relation in scope has a column of that name: it is the whole row only
            }
        }
        enclosingColumns(scope, candidates, columnName, clause, lineage);
        if (candidates.size() == 1) {
            columnOf(candidates.get(0), columnName, clause, lineage);
            return;
        }
        out.columns.add(new ColumnRef(null, columnName, clause));
        if (lineage == null) {
            return;
        }
        if (candidates.isEmpty()) {
            if (wholeRow == null) {
                lineage.unknown = true;
            }
            return;
        }
        for (Relation candidate : candidates) {
            columnLineage(candidate, columnName, lineage);
        }
    }

    /**
     * A name that is the key column of its table ({@code _rowid}), whichever column that is: it may be any column, so
     * it reads the whole row of the relation it qualifies, or of each relation in scope.
     */
    private void keyAlias(Table qualifier, Scope scope, Clause clause, Lineage lineage) {
        if (qualifier == null || qualifier.getName() == null) {
            scope.candidates().forEach(r -> wholeRow(r, clause, lineage));
            if (scope.candidates().isEmpty() && lineage != null) {
                lineage.unknown = true;
            }
            return;
        }
        String schema = qualifier.getSchemaName() == null ? null : dialect.normalizeIdentifier(qualifier.getSchemaName());
        String name = dialect.normalizeIdentifier(qualifier.getName());
        Relation relation = scope.resolve(schema, name);
        wholeRow(relation != null ? relation : Relation.base(name, new TableRef(schema, name)), clause, lineage);
    }

    /**
     * An unqualified name in a subquery is a column of the enclosing query's relations when none of the subquery's own
     * has it ({@code SELECT (SELECT city FROM orders LIMIT 1) FROM customers} reads customers.city). A base table's
     * columns are not known, so unless a relation of the nearest level lists a column of that name, the name counts as
     * a column of every relation of every enclosing level that may have it as well.
     */
    private void enclosingColumns(Scope scope, List<Relation> candidates, String columnName, Clause clause,
                                  Lineage lineage) {
        boolean listedInside = candidates.stream().anyMatch(r -> r.table() == null && !r.opaque()
                && r.columns().stream().anyMatch(c -> !c.star() && dialect.sameName(c.label(), columnName)));
        if (listedInside || candidates.isEmpty()) {
            return;
        }
        Scope nearest = scope;
        while (nearest != null && nearest.relations() != candidates) {
            nearest = nearest.parent();
        }
        for (Scope outer = nearest == null ? null : nearest.parent(); outer != null; outer = outer.parent()) {
            for (Relation relation : outer.relations()) {
                if (mayHaveColumn(relation, columnName)) {
                    columnOf(relation, columnName, clause, lineage);
                }
            }
        }
    }

    /**
     * MariaDB lets a subquery name a select-list alias of a query it is nested in ({@code SELECT ssn AS s, (SELECT s
     * LIKE '1%') FROM t}, in the select list, HAVING or ORDER BY): an unqualified name that no relation of the subquery
     * has may be such an alias, which the analysis cannot tell from a column of a relation in scope (base tables'
     * columns are not known). So every enclosing select-list output of that name adds its lineage, as the alias would,
     * besides whatever column of that name the relations in scope have.
     */
    private void enclosingAliases(Scope scope, String columnName, Clause clause, Lineage lineage) {
        if (dialect != Dialect.MARIADB) {
            return;
        }
        for (Scope s = scope.parent(); s != null; s = s.parent()) {
            for (OutputColumn output : s.selectOutputs()) {
                if (!output.star() && !output.aggregateOnly() && dialect.sameName(output.label(), columnName)) {
                    record(output.lineage(), clause);
                    if (lineage != null) {
                        lineage.addAll(output.lineage());
                    }
                }
            }
        }
    }

    /**
     * A reference to a whole row of {@code relation} ({@code t.*}, {@code to_jsonb(t)}, {@code t::text}):
     * records every column it reads ({@code *} for a base table, whose columns the analysis does not
     * know) and adds the lineage of everything the relation exposes.
     */
    void wholeRow(Relation relation, Clause clause, Lineage lineage) {
        Lineage everything = relation.everything();
        if (relation.table() != null) {
            out.columns.add(new ColumnRef(relation.table(), ColumnRef.ALL_COLUMNS, clause));
        } else {
            record(everything, clause);
        }
        if (lineage != null) {
            lineage.addAll(everything);
        }
    }

    /**
     * Records every column a lineage reads as referenced in {@code clause}: a select-list alias or
     * position in ORDER BY, a subquery's output compared in WHERE. What the lineage cannot trace counts
     * as every column of every table read.
     */
    void record(Lineage lineage, Clause clause) {
        lineage.sources.forEach(s -> out.columns.add(new ColumnRef(s.table(), s.column(), clause)));
        lineage.allColumnsOf.forEach(t -> out.columns.add(new ColumnRef(t, ColumnRef.ALL_COLUMNS, clause)));
        if (lineage.unknown) {
            out.columns.add(new ColumnRef(null, ColumnRef.ALL_COLUMNS, clause));
        }
    }

    /** Whether a column of that name may be one of the relation's: a base table's, any; a derived one's, one it lists. */
    private boolean mayHaveColumn(Relation relation, String columnName) {
        if (relation.table() != null || relation.opaque()) {
            return true;
        }
        return relation.columns().stream().anyMatch(c -> c.star() || dialect.sameName(c.label(), columnName));
    }

    /** Whether a bare table alias in an expression stands for the whole row ({@code row_to_json(u)}). */
    private boolean wholeRowReferences() {
        return dialect == Dialect.POSTGRESQL || dialect == Dialect.GENERIC;
    }

    private void columnOf(Relation relation, String columnName, Clause clause, Lineage lineage) {
        if (relation.table() != null) {
            out.columns.add(new ColumnRef(relation.table(), columnName, clause));
            if (lineage != null) {
                lineage.sources.add(new SourceColumn(relation.table(), columnName));
            }
            return;
        }
        Lineage found = new Lineage();
        columnLineage(relation, columnName, found);
        if (found.isEmpty()) {
            out.columns.add(new ColumnRef(null, columnName, clause));
        } else {
            // all it may read: its source columns, every column of the tables it may be any of (a name of a table's
            // column alias list, users AS u(a, b), is whichever column is at that place), and every column read when
            // its lineage cannot be told
            record(found, clause);
        }
        if (lineage != null) {
            lineage.addAll(found);
        }
    }

    /** The lineage of column {@code columnName} of a relation, as far as the analysis can see it. */
    private void columnLineage(Relation relation, String columnName, Lineage lineage) {
        if (relation.table() != null) {
            lineage.sources.add(new SourceColumn(relation.table(), columnName));
            return;
        }
        if (relation.opaque()) {
            lineage.addAll(relation.beneath()); // its columns cannot be told apart: any may hold anything beneath
            return;
        }
        for (OutputColumn c : relation.columns()) {
            if (!c.star() && dialect.sameName(c.label(), columnName)) {
                lineage.addAll(c.lineage());
                return;
            }
        }
        boolean seen = false;
        for (OutputColumn c : relation.columns()) {
            if (c.star()) {
                seen = true;
                c.lineage().allColumnsOf.forEach(t -> lineage.sources.add(new SourceColumn(t, columnName)));
                // a star whose columns are not known one by one: the name may carry any value it brings
                lineage.sources.addAll(c.lineage().sources);
                lineage.unknown |= c.lineage().unknown;
            }
        }
        if (!seen && !relation.columns().isEmpty()) {
            lineage.unknown = true;
        }
    }
}
