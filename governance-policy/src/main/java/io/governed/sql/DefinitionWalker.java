package io.governed.sql;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import net.sf.jsqlparser.schema.Sequence;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.alter.AlterOperation;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.grant.Grant;

/**
 * Walks the statements that change definitions and permissions: DROP, ALTER, GRANT and REVOKE, and
 * the traits they carry (CASCADE, IF EXISTS, dropping or renaming part of an object, ALL PRIVILEGES).
 * A schema-wide object ({@code DROP SCHEMA s}, {@code GRANT … ON SCHEMA s}) is reported as the table
 * {@code s.*}: every object in it.
 */
final class DefinitionWalker {

    private final Dialect dialect;

    DefinitionWalker(Dialect dialect) {
        this.dialect = dialect;
    }

    void drop(Drop drop, StatementBuilder out, QueryWalker q) {
        out.action = Action.DROP;
        String type = drop.getType() == null ? "" : drop.getType().toLowerCase(Locale.ROOT);
        boolean schemaWide = type.equals("schema") || type.equals("database");
        List<Table> names = drop.getNames() != null && !drop.getNames().isEmpty()
                ? drop.getNames() : List.of(drop.getName());
        List<String> parameters = drop.getParameters() == null ? List.of() : drop.getParameters();
        if (dialect == Dialect.POSTGRESQL && type.equals("index") && names.size() == 1 && names.get(0) != null
                && names.get(0).getSchemaName() == null && "concurrently".equalsIgnoreCase(names.get(0).getName())
                && !parameters.isEmpty()) {
            // DROP INDEX CONCURRENTLY i: the parser reads CONCURRENTLY as the index and i as a parameter; the index
            // dropped is i, and nothing but CASCADE or RESTRICT may follow it
            List<String> name = Tokens.of(parameters.get(0), dialect).nameAt(0);
            for (String parameter : parameters.subList(1, parameters.size())) {
                if (!parameter.equalsIgnoreCase("cascade") && !parameter.equalsIgnoreCase("restrict")) {
                    throw new MisreadStatement("DROP INDEX CONCURRENTLY is read only with one index name,"
                            + " optionally followed by CASCADE or RESTRICT.");
                }
            }
            if (name.size() != 1 || Tokens.of(parameters.get(0), dialect).size() != 1) {
                throw new MisreadStatement("DROP INDEX CONCURRENTLY is read only with one index name,"
                        + " optionally followed by CASCADE or RESTRICT.");
            }
            out.tablesWritten.add(new TableRef(null, dialect.normalizeIdentifier(name.get(0))));
            names = List.of();
        }
        for (Table name : names) {
            if (name == null || name.getName() == null) {
                continue;
            }
            out.tablesWritten.add(schemaWide ? new TableRef(q.name(name.getName()), "*") : q.tableRef(name));
        }
        if (!schemaWide) {
            // DROP INDEX i ON t, DROP TRIGGER tr ON t, DROP RULE r ON t: the table the object is on is changed too
            Tokens tokens = Tokens.of(drop.toString(), dialect);
            int on = tokens.indexOfWord("on", 2);
            if (on > 0 && !tokens.nameAt(on + 1).isEmpty()) {
                List<String> parts = tokens.nameAt(on + 1);
                out.tablesWritten.add(new TableRef(parts.size() > 1 ? dialect.normalizeIdentifier(parts.get(parts.size() - 2))
                        : null, dialect.normalizeIdentifier(parts.get(parts.size() - 1))));
            }
        }
        if (drop.isIfExists()) {
            out.trait(Trait.IF_EXISTS);
        }
        if (hasWord(drop, "cascade")) {
            out.trait(Trait.CASCADE);
            if ((dialect == Dialect.POSTGRESQL || dialect.isH2()) && !CASCADE_TOLD.contains(type)) {
                // what CASCADE drops with a schema, a type, an extension, a server, a collation, … (views and columns
                // of other schemas' tables among them) is not looked up: any table
                out.tablesWritten.add(new TableRef("*", "*"));
            }
        }
    }

    /**
     * The kinds of object whose dependents a {@code DROP … CASCADE} reaches that the catalog is asked for (relations and
     * routines, see {@code Access#throughCascadedDrops}); a drop with {@code CASCADE} of another kind writes any table.
     */
    private static final Set<String> CASCADE_TOLD = Set.of("table", "view", "materialized view", "sequence", "index",
            "function", "procedure", "routine");

    void alter(Alter alter, StatementBuilder out, QueryWalker q) {
        out.action = Action.ALTER;
        TableRef table = q.tableRef(alter.getTable());
        out.tablesWritten.add(table);
        if (alter.isUseTableIfExists()) {
            out.trait(Trait.IF_EXISTS);
        }
        List<AlterExpression> expressions = alter.getAlterExpressions() == null
                ? List.of() : alter.getAlterExpressions();
        boolean addsOnly = !expressions.isEmpty();
        for (AlterExpression expression : expressions) {
            AlterOperation operation = expression.getOperation();
            String name = operation == null ? "" : operation.name();
            addsOnly &= operation == AlterOperation.ADD && onlyAdds(expression);
            if (!keepsEveryPart(expression)) {
                out.trait(Trait.DROPS_PART);
            }
            if (name.startsWith("RENAME")) {
                out.trait(Trait.RENAMES);
                if (expression.getNewTableName() != null) {
                    out.tablesWritten.add(new TableRef(table.schema(), q.name(expression.getNewTableName())));
                }
            }
            if (operation == AlterOperation.CHANGE) {
                out.trait(Trait.RENAMES);
            }
            movedTo(expression, table).ifPresent(moved -> {
                out.trait(Trait.RENAMES); // the table's qualified name changes
                out.tablesWritten.add(moved);
            });
            otherTable(expression, table, q).ifPresent(out.tablesWritten::add);
            renamedColumn(expression, table, out);
            valuesRead(expression, table, out);
            valuesTested(expression, table, out, q);
            if (expression.isUsingIfExists()) {
                out.trait(Trait.IF_EXISTS);
            }
        }
        if (hasWord(alter, "cascade")) {
            out.trait(Trait.CASCADE);
        }
        if (dialect == Dialect.MARIADB) {
            mergeUnion(MariaDbTableOptions.unionTables(alter.toString(), false, table.schema(), dialect), out);
        }
        if (addsOnly && !out.traits.contains(Trait.DROPS_PART) && !out.traits.contains(Trait.RENAMES)
                && !out.traits.contains(Trait.CASCADE)) {
            out.trait(Trait.ADDS_ONLY);
        }
    }

    /**
     * MariaDB's {@code UNION=(t, …)} option ({@link MariaDbTableOptions}): the MERGE table becomes a second name for
     * each listed table, whose rows it reads and, through an UPDATE or DELETE of it, changes. Each is read (what a
     * view over it would read: its permits, forbids, filters and masks apply) and written (its rows become the altered
     * table's, as an {@code ATTACH PARTITION} makes them: the statement is an alter of each as well, and a mask that
     * names one by its name refuses it). A CREATE TABLE with the option gives each listed table a second name, as
     * {@code CREATE SYNONYM} does ({@link Trait#RENAMES} on a create).
     */
    static void mergeUnion(List<TableRef> listed, StatementBuilder out) {
        if (listed.isEmpty()) {
            return;
        }
        out.tablesRead.addAll(listed);
        out.tablesWritten.addAll(listed);
        if (out.action == Action.CREATE) {
            out.trait(Trait.RENAMES);
        }
    }

    /**
     * A column given a new name ({@code RENAME COLUMN ssn TO tax_id}, PostgreSQL's {@code RENAME ssn TO tax_id},
     * MariaDB's {@code CHANGE ssn tax_id …}) keeps its values under a name that masks, which follow a column by its
     * name, may not match: the old column counts as read as a value ({@link Clause#VALUE}), copied under the new name,
     * so a mask on it refuses the rename for those it applies to. A {@code CHANGE} that keeps the name renames nothing.
     */
    private void renamedColumn(AlterExpression expression, TableRef table, StatementBuilder out) {
        String old = expression.getColumnOldName();
        if (old == null || expression.getOperation() != AlterOperation.RENAME && expression.getOperation() != AlterOperation.CHANGE) {
            return;
        }
        String renamed = expression.getColumnName();
        if (renamed == null && expression.getColDataTypeList() != null && !expression.getColDataTypeList().isEmpty()) {
            renamed = expression.getColDataTypeList().get(0).getColumnName();
        }
        String oldName = dialect.normalizeIdentifier(old);
        if (renamed != null && dialect.normalizeIdentifier(renamed).equals(oldName)) {
            return;
        }
        out.columns.add(new ColumnRef(table, oldName, Clause.VALUE));
    }

    /** The words after which a change of an ALTER TABLE holds an expression its rows' values go through. */
    private static final Set<String> EXPRESSION_WORDS = Set.of("using", "as", "default", "check", "expression");

    /**
     * The columns whose values a change's expression reads, as values ({@link Clause#VALUE}): a type change's {@code
     * USING} (the column's new values), a generated column's {@code AS (…)} and PostgreSQL's {@code SET EXPRESSION AS}
     * (a copy under a new name), a {@code CHECK} (a test of every row whose outcome the requester sees), a {@code
     * DEFAULT}. So a mask on a column read there refuses the change for those it applies to, as it refuses {@code
     * UPDATE t SET x = masked}. The expression is read from its words, not parsed: every name after the first of
     * those words that is not a function's counts as a column of the altered table (a type's or a keyword's name
     * counts too, and matches no column).
     */
    private void valuesRead(AlterExpression expression, TableRef table, StatementBuilder out) {
        Tokens tokens = Tokens.of(expression.toString(), dialect);
        int from = -1;
        for (int i = 0; i < tokens.size() && from < 0; i++) {
            if (tokens.get(i).kind() == TokenSpacing.Kind.WORD && EXPRESSION_WORDS.contains(tokens.get(i).text())) {
                from = i + 1;
            }
        }
        for (int i = from; from >= 0 && i < tokens.size(); i++) {
            if (!tokens.get(i).isName() || tokens.get(i + 1).text().equals("(")
                    || tokens.get(i + 1).kind() == TokenSpacing.Kind.SYMBOL && tokens.get(i + 1).text().equals(".")) {
                continue; // not a name, a function's name, or a qualifier of the name that follows
            }
            out.columns.add(new ColumnRef(table, dialect.normalizeIdentifier(tokens.get(i).text()), Clause.VALUE));
        }
    }

    /**
     * The columns whose existing values a new key tests, whose adding fails when one fails the test: a foreign key's
     * columns are matched against the referenced table's ({@link Clause#JOIN}: each value's presence there, a guess
     * among values the requester put there), a primary or unique key's compared with each other ({@link
     * Clause#COMPARED}: whether two rows share a value). A mask's {@code deny-inference} then decides, as for a join or
     * a {@code DISTINCT}. An index that is not unique tests nothing.
     */
    private void valuesTested(AlterExpression expression, TableRef table, StatementBuilder out, QueryWalker q) {
        net.sf.jsqlparser.statement.create.table.Index index = expression.getIndex();
        if (index instanceof net.sf.jsqlparser.statement.create.table.ForeignKeyIndex foreign) {
            columns(foreign.getColumnsNames(), table, Clause.JOIN, out);
            if (foreign.getTable() != null) {
                TableRef referenced = q.tableRef(foreign.getTable());
                out.tablesRead.add(referenced);
                columns(foreign.getReferencedColumnNames(), referenced, Clause.JOIN, out);
            }
        } else if (index != null && index.getType() != null && UNIQUE_KINDS.contains(index.getType().toUpperCase(Locale.ROOT))) {
            columns(index.getColumnsNames(), table, Clause.COMPARED, out);
        }
    }

    private static final Set<String> UNIQUE_KINDS = Set.of("PRIMARY KEY", "UNIQUE", "UNIQUE KEY", "UNIQUE INDEX");

    private void columns(List<String> names, TableRef table, Clause clause, StatementBuilder out) {
        for (String name : names == null ? List.<String>of() : names) {
            List<String> parts = Tokens.of(name, dialect).nameAt(0);
            if (!parts.isEmpty()) {
                out.columns.add(new ColumnRef(table, dialect.normalizeIdentifier(parts.get(parts.size() - 1)), clause));
            }
        }
    }

    /**
     * The ALTER TABLE changes proven to keep every row, value, constraint, trigger and protection of the table: they add,
     * comment, rename (trait {@link Trait#RENAMES}), or maintain indexes and partitions ({@code ALTER COLUMN}: see
     * {@link #keepsEveryPart}). Every other change, and any the parser does not name ({@code UNSPECIFIC}: PostgreSQL's {@code SET
     * SCHEMA}, {@code DISABLE TRIGGER}, {@code SET UNLOGGED}, …), counts as dropping part of the table
     * ({@link Trait#DROPS_PART}): dropping columns, constraints or partitions, truncating or discarding them, swapping a
     * partition's rows with another table's, attaching or detaching one, converting the table's character set or its
     * engine (MariaDB's {@code BLACKHOLE} keeps no row), discarding or importing its tablespace, switching off row-level
     * security.
     */
    private static final Set<AlterOperation> KEEPS_EVERY_PART = java.util.EnumSet.of(AlterOperation.ADD,
            AlterOperation.COLLATE,
            AlterOperation.ALGORITHM, AlterOperation.RENAME, AlterOperation.RENAME_TABLE, AlterOperation.RENAME_INDEX,
            AlterOperation.RENAME_KEY, AlterOperation.RENAME_CONSTRAINT, AlterOperation.COMMENT,
            AlterOperation.COMMENT_WITH_EQUAL_SIGN, AlterOperation.ADD_PARTITION, AlterOperation.REORGANIZE_PARTITION,
            AlterOperation.ANALYZE_PARTITION, AlterOperation.CHECK_PARTITION, AlterOperation.OPTIMIZE_PARTITION,
            AlterOperation.REBUILD_PARTITION, AlterOperation.REPAIR_PARTITION, AlterOperation.PARTITION_BY,
            AlterOperation.FORCE, AlterOperation.KEY_BLOCK_SIZE, AlterOperation.LOCK, AlterOperation.DISABLE_KEYS,
            AlterOperation.ENABLE_KEYS, AlterOperation.ENABLE_ROW_LEVEL_SECURITY, AlterOperation.FORCE_ROW_LEVEL_SECURITY,
            AlterOperation.ALTER_PRIMARY_KEY);

    /**
     * Whether a change keeps every part of the table: one of {@link #KEEPS_EVERY_PART}, or a column's change proven to
     * keep its values and protections ({@link #COLUMN_CHANGES_KEEPING}). A column's new type (PostgreSQL's and H2's
     * {@code ALTER COLUMN … TYPE}, MariaDB's {@code MODIFY} and {@code CHANGE}, which restate it) may round, cut or
     * replace every value ({@code USING NULL}; numeric to integer; MariaDB outside strict mode truncates), and dropping
     * a default, a {@code NOT NULL} or an identity drops a protection: none keeps every part.
     */
    private boolean keepsEveryPart(AlterExpression expression) {
        AlterOperation operation = expression.getOperation();
        if (operation != AlterOperation.ALTER) {
            return operation != null && KEEPS_EVERY_PART.contains(operation);
        }
        Tokens tokens = Tokens.of(expression.toString(), dialect);
        int at = tokens.isWord(1, "column") ? 2 : 1;
        at += Math.max(1, tokens.nameAt(at).size() * 2 - 1); // past the column's name, qualified or not
        for (List<String> change : COLUMN_CHANGES_KEEPING) {
            boolean matches = true;
            for (int i = 0; i < change.size() && matches; i++) {
                matches = tokens.isWord(at + i, change.get(i));
            }
            if (matches && (change.get(1).equals("default") || tokens.size() == at + change.size())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The changes of {@code ALTER [COLUMN] c …} that keep every value and protection: a new default (whatever it is: it
     * only applies to rows inserted later), a new {@code NOT NULL} (the database refuses it when a row has none), and
     * H2's and MariaDB's visibility.
     */
    private static final List<List<String>> COLUMN_CHANGES_KEEPING = List.of(List.of("set", "default"),
            List.of("set", "not", "null"), List.of("set", "visible"), List.of("set", "invisible"));

    /**
     * The table whose rows an ALTER of another moves: MariaDB's {@code EXCHANGE PARTITION p WITH TABLE t} (the
     * partition's rows go to {@code t} and {@code t}'s to the partition), PostgreSQL's {@code ATTACH PARTITION t} and
     * {@code DETACH PARTITION t} (the rows of {@code t} become the table's, or stop being). An unqualified name is in
     * the altered table's schema, as the database takes a partition's.
     */
    /**
     * PostgreSQL's {@code SET SCHEMA s} (which the parser leaves unspecific): the table under its new schema (unknown
     * when it cannot be read); empty for any other change.
     */
    private java.util.Optional<TableRef> movedTo(AlterExpression expression, TableRef altered) {
        if (expression.getOperation() != AlterOperation.UNSPECIFIC) {
            return java.util.Optional.empty();
        }
        Tokens tokens = Tokens.of(expression.toString(), dialect);
        int set = tokens.indexOfWord("set", 0);
        if (set < 0 || tokens.indexOfWord("schema", set) != set + 1) {
            return java.util.Optional.empty();
        }
        List<String> parts = tokens.nameAt(set + 2);
        // a schema that cannot be read is unknown (null): any schema, as an unqualified name's
        return java.util.Optional.of(new TableRef(parts.isEmpty() ? null
                : dialect.normalizeIdentifier(parts.get(parts.size() - 1)), altered.name()));
    }

    /**
     * PostgreSQL's {@code INHERIT parent} and {@code NO INHERIT parent} (which the parser leaves unspecific): the
     * altered table's rows become rows of the parent, or stop being, as with {@code ATTACH} and {@code DETACH PARTITION}.
     */
    private boolean inherits(AlterExpression expression) {
        Tokens tokens = Tokens.of(expression.toString(), dialect);
        int inherit = tokens.indexOfWord("inherit", 0);
        return inherit == 0 || inherit == 1 && tokens.isWord(0, "no");
    }

    /**
     * Reads PostgreSQL's {@code INHERITS (p [, …])} whose word {@code INHERITS} is at {@code inherits}: adds each parent,
     * schema-qualified as written, to {@code parents}, and answers the index after the closing parenthesis, or -1 when
     * the clause is not exactly a list of names.
     */
    static int inheritsClause(Tokens tokens, int inherits, Dialect dialect, List<TableRef> parents) {
        if (inherits < 0 || !tokens.isWord(inherits, "inherits") || !symbolAt(tokens, inherits + 1, "(")) {
            return -1;
        }
        int i = inherits + 2;
        while (true) {
            List<String> name = tokens.nameAt(i);
            if (name.isEmpty() || name.size() > 2) {
                return -1;
            }
            parents.add(new TableRef(name.size() > 1 ? dialect.normalizeIdentifier(name.get(0)) : null,
                    dialect.normalizeIdentifier(name.get(name.size() - 1))));
            i += name.size() * 2 - 1;
            if (symbolAt(tokens, i, ")")) {
                return i + 1;
            }
            if (!symbolAt(tokens, i, ",")) {
                return -1;
            }
            i++;
        }
    }

    private static boolean symbolAt(Tokens tokens, int index, String symbol) {
        return tokens.get(index).kind() == TokenSpacing.Kind.SYMBOL && tokens.get(index).text().equals(symbol);
    }

    private java.util.Optional<TableRef> otherTable(AlterExpression expression, TableRef altered, QueryWalker q) {
        AlterOperation operation = expression.getOperation();
        List<String> parts;
        if (operation == AlterOperation.EXCHANGE_PARTITION && expression.getExchangePartitionTableName() != null) {
            parts = Tokens.of(expression.getExchangePartitionTableName(), dialect).nameAt(0);
        } else if (operation == AlterOperation.ATTACH_PARTITION || operation == AlterOperation.DETACH_PARTITION) {
            Tokens tokens = Tokens.of(expression.toString(), dialect);
            parts = tokens.nameAt(tokens.indexOfWord("partition", 0) + 1);
        } else if (operation == AlterOperation.UNSPECIFIC && inherits(expression)) {
            Tokens tokens = Tokens.of(expression.toString(), dialect);
            parts = tokens.nameAt(tokens.indexOfWord("inherit", 0) + 1);
            if (parts.isEmpty()) {
                return java.util.Optional.of(new TableRef(null, "*")); // a parent that cannot be read: any table
            }
        } else {
            return java.util.Optional.empty();
        }
        if (parts.isEmpty()) {
            return java.util.Optional.empty();
        }
        String schema = parts.size() > 1 ? dialect.normalizeIdentifier(parts.get(parts.size() - 2)) : altered.schema();
        return java.util.Optional.of(new TableRef(schema, dialect.normalizeIdentifier(parts.get(parts.size() - 1))));
    }

    /**
     * Whether an {@code ADD} only adds: columns whose definitions hold no expression (a type, {@code NULL}/{@code NOT
     * NULL}, a literal {@code DEFAULT}, keys, an identity, a comment, a collation, a place), or a key or index. A
     * generated column copies the values of the columns its expression reads under a name no mask may cover; a
     * {@code CHECK} constraint tests every row's values with an expression of the requester's (whether the ALTER succeeds
     * answers whether any value passes the test); a {@code DEFAULT} that calls a function runs it: none of them only
     * adds. A foreign key counts as adding (object-relational mappers add one to every table they update).
     */
    private static boolean onlyAdds(AlterExpression expression) {
        if (expression.getColDataTypeList() != null && !expression.getColDataTypeList().isEmpty()) {
            return expression.getColDataTypeList().stream()
                    .allMatch(column -> plainColumnSpecs(column.getColumnSpecs() == null ? List.of() : column.getColumnSpecs()));
        }
        net.sf.jsqlparser.statement.create.table.Index index = expression.getIndex();
        if (index != null) {
            if (index.getClass() == net.sf.jsqlparser.statement.create.table.ForeignKeyIndex.class) {
                return true; // ORMs add them to every table; see POLICY.md on what a failing one tells
            }
            boolean keyOrIndex = index.getClass() == net.sf.jsqlparser.statement.create.table.Index.class
                    || index.getClass() == net.sf.jsqlparser.statement.create.table.NamedConstraint.class;
            return keyOrIndex && (index.getType() == null || KEY_KINDS.contains(index.getType().toUpperCase(Locale.ROOT)));
        }
        return expression.getPkColumns() != null || expression.getUkColumns() != null;
    }

    private static final Set<String> KEY_KINDS = Set.of("PRIMARY KEY", "UNIQUE", "UNIQUE KEY", "UNIQUE INDEX", "INDEX",
            "KEY", "FULLTEXT", "FULLTEXT INDEX", "FULLTEXT KEY", "SPATIAL", "SPATIAL INDEX", "SPATIAL KEY");

    /** The words a column's definition may hold after its type and still only add (see {@link #onlyAdds}). */
    private static boolean plainColumnSpecs(List<String> specs) {
        for (int i = 0; i < specs.size(); i++) {
            String word = specs.get(i).toUpperCase(Locale.ROOT);
            switch (word) {
                case "NOT", "NULL", "PRIMARY", "KEY", "UNIQUE", "AUTO_INCREMENT", "FIRST", "VISIBLE", "INVISIBLE" -> {
                }
                case "DEFAULT" -> {
                    if (i + 1 >= specs.size() || !literal(specs.get(++i))) {
                        return false;
                    }
                }
                case "COMMENT" -> {
                    if (i + 1 >= specs.size() || !specs.get(++i).startsWith("'")) {
                        return false;
                    }
                }
                case "COLLATE", "CHARSET", "AFTER" -> {
                    if (i + 1 >= specs.size() || !name(specs.get(++i))) {
                        return false;
                    }
                }
                case "CHARACTER" -> {
                    if (i + 2 >= specs.size() || !specs.get(++i).equalsIgnoreCase("SET") || !name(specs.get(++i))) {
                        return false;
                    }
                }
                default -> {
                    if (!REFERENCES.matcher(specs.get(i)).matches() && !IDENTITY.matcher(specs.get(i)).matches()) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** An identity column, {@code GENERATED ALWAYS|BY DEFAULT AS IDENTITY [(sequence options)]}, as one word. */
    private static final java.util.regex.Pattern IDENTITY = java.util.regex.Pattern.compile(
            "(?i)GENERATED\\s+(ALWAYS|BY\\s+DEFAULT)\\s+AS\\s+IDENTITY(\\s*\\([A-Za-z0-9_\\s,+-]*\\))?");

    /** A column's foreign key, {@code REFERENCES t [(c)]}, as the parser gives it: one word. */
    private static final java.util.regex.Pattern REFERENCES = java.util.regex.Pattern.compile(
            "(?i)REFERENCES\\s+[\\w.\"`]+\\s*(\\([\\w\\s,\"`]*\\))?");

    /** A literal a DEFAULT may give: a string, a number, {@code NULL}, {@code TRUE}, {@code FALSE}. */
    private static boolean literal(String token) {
        return (token.length() >= 2 && token.startsWith("'") && token.endsWith("'"))
                || token.matches("[+-]?[0-9]+(\\.[0-9]+)?") || token.equalsIgnoreCase("NULL")
                || token.equalsIgnoreCase("TRUE") || token.equalsIgnoreCase("FALSE");
    }

    /** A plain or quoted name (a collation, a character set, a column). */
    private static boolean name(String token) {
        return token.matches("[A-Za-z_][A-Za-z0-9_]*|\"[^\"]+\"|`[^`]+`");
    }

    /** GRANT and REVOKE, read from their tokens: {@code GRANT privileges ON [kind] object TO …}. */
    void privileges(Statement statement, StatementBuilder out, QueryWalker q) {
        out.action = statement instanceof Grant ? Action.GRANT : Action.REVOKE;
        out.trait(Trait.PRIVILEGE_CHANGE);
        Tokens tokens = Tokens.of(statement.toString(), dialect);
        int on = tokens.indexOfWord("on", 0);
        int end = on < 0 ? tokens.size() : on;
        for (int i = 1; i < end; i++) {
            if (tokens.isWord(i, "all")) {
                out.trait(Trait.ALL_PRIVILEGES);
            }
        }
        if (on >= 0) {
            int i = on + 1;
            if (tokens.isWord(i, "all")) {
                // ON ALL TABLES IN SCHEMA s
                int schema = tokens.indexOfWord("schema", i);
                if (schema >= 0) {
                    addName(tokens.nameAt(schema + 1), out, q, true);
                }
            } else {
                String kind = tokens.get(i).text();
                if (tokens.get(i + 1).isName() && Set.of("table", "sequence", "function", "procedure", "schema",
                        "database", "view", "routine").contains(kind)) {
                    i++;
                }
                boolean schemaWide = kind.equals("schema") || kind.equals("database");
                while (true) {
                    List<String> name = tokens.nameAt(i);
                    if (name.isEmpty()) {
                        break;
                    }
                    addName(name, out, q, schemaWide);
                    i += name.size() * 2 - 1;
                    if (!tokens.get(i).text().equals(",")) {
                        break;
                    }
                    i++;
                }
            }
        }
        if (tokens.containsWord("cascade")) {
            out.trait(Trait.CASCADE);
        }
    }

    private void addName(List<String> parts, StatementBuilder out, QueryWalker q, boolean schemaWide) {
        if (parts.isEmpty()) {
            return;
        }
        if (schemaWide) {
            out.tablesWritten.add(new TableRef(q.name(parts.get(parts.size() - 1)), "*"));
        } else if (parts.size() == 1) {
            out.tablesWritten.add(new TableRef(null, q.name(parts.get(0))));
        } else {
            out.tablesWritten.add(new TableRef(q.name(parts.get(parts.size() - 2)), q.name(parts.get(parts.size() - 1))));
        }
    }

    TableRef sequenceRef(Sequence sequence, QueryWalker q) {
        String schema = sequence.getSchemaName();
        return new TableRef(schema == null ? null : q.name(schema), q.name(sequence.getName()));
    }

    boolean hasWord(Statement statement, String word) {
        return Tokens.of(statement.toString(), dialect).containsWord(word);
    }
}
