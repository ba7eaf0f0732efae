package io.governed.sql;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import net.sf.jsqlparser.schema.Sequence;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
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
        }
    }

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
            String operation = expression.getOperation() == null ? "" : expression.getOperation().name();
            addsOnly &= operation.equals("ADD");
            if (operation.startsWith("DROP") || operation.equals("TRUNCATE_PARTITION")
                    || operation.equals("DISCARD_PARTITION") || operation.equals("REMOVE_PARTITIONING")
                    || operation.equals("COALESCE_PARTITION")) {
                out.trait(Trait.DROPS_PART);
            }
            if (operation.startsWith("RENAME")) {
                out.trait(Trait.RENAMES);
                if (expression.getNewTableName() != null) {
                    out.tablesWritten.add(new TableRef(table.schema(), q.name(expression.getNewTableName())));
                }
            }
            if (operation.equals("CHANGE")) {
                out.trait(Trait.RENAMES);
            }
            if (expression.isUsingIfExists()) {
                out.trait(Trait.IF_EXISTS);
            }
        }
        if (hasWord(alter, "cascade")) {
            out.trait(Trait.CASCADE);
        }
        if (addsOnly && !out.traits.contains(Trait.DROPS_PART) && !out.traits.contains(Trait.RENAMES)
                && !out.traits.contains(Trait.CASCADE)) {
            out.trait(Trait.ADDS_ONLY);
        }
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
