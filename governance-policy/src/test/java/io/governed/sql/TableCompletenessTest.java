package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * A rule's resources are matched against the tables of each access, and an access that names no table is covered by
 * every rule for its action, whatever its resources. So a statement that names a table must carry it: every table a
 * statement names is among the tables its analysis reads or writes, and a statement that names one does its action on
 * a table (its {@code tablesWritten} is not empty, unless it is a query, whose reads say it all). A statement read with
 * no table was a way around every rule that limits an action to some tables ({@code LOCK}, {@code VACUUM},
 * {@code DESCRIBE} of another schema's table).
 *
 * <p>The tables a statement names are found independently of the analysis, from its tokens: the names after the
 * keywords that introduce a table ({@code FROM}, {@code JOIN}, {@code INTO}, {@code TABLE}, {@code ON} of a definition,
 * a maintenance command's word, …; see {@link #namedTables}). It is checked for every statement of the driver's SQL
 * corpora, in each dialect, and for generated statements of every maintenance and definition form over random
 * qualified names. A statement the analysis cannot read is refused as unparseable, and passes.
 */
class TableCompletenessTest {

    private static final List<Dialect> DIALECTS = List.of(Dialect.POSTGRESQL, Dialect.MARIADB, Dialect.H2);
    private static final Path CORPUS = Path.of("..", "governance-jdbc", "src", "test", "resources", "corpus");

    /** Keywords after which a table list follows. */
    private static final Set<String> TABLE_KEYWORDS = Set.of("from", "join", "into", "table", "tables", "view",
            "truncate", "vacuum", "cluster", "analyze", "analyse", "lock", "describe", "desc", "explain", "using", "copy",
            "update");
    /** Keywords after which, in a definition or privilege statement, the table it is on follows. */
    private static final Set<String> DEFINITION_HEADS = Set.of("create", "drop", "alter", "comment", "grant", "revoke",
            "security");
    /** Words that may stand between the keyword and the name. */
    private static final Set<String> MODIFIERS = Set.of("only", "if", "not", "exists", "concurrently", "verbose", "full",
            "freeze", "temporary", "temp", "unlogged", "ignore", "low_priority", "quick", "local", "no_write_to_binlog",
            "materialized", "table", "tables", "recursive", "extended", "analyze", "analyse");
    /** Words that are never a table's name where a name may follow a keyword (the keyword had another sense). */
    private static final Set<String> NOT_NAMES = Set.of("select", "with", "values", "set", "where", "in", "on", "of", "to",
            "as", "all", "schema", "database", "function", "procedure", "sequence", "type", "domain", "role", "user",
            "delete", "update", "insert", "commit", "cascade", "restrict", "null", "default", "no", "nowait", "skip",
            "share", "key", "outfile", "dumpfile", "stdin", "stdout", "program", "lateral", "unnest", "dual", "statistics",
            "status", "columns", "index", "indexes", "keys", "triggers", "privileges", "extension", "format", "plan",
            "for", "from", "is", "and", "or", "into", "trigger", "large", "object", "server", "foreign", "data", "wrapper",
            "tablespace", "by", "partition", "policy", "rule", "column", "constraint", "primary", "unique", "check",
            "references", "then", "else", "end", "when", "case", "distinct", "json", "xml", "query", "buffers", "costs",
            "timing", "summary", "wal", "settings", "generic_plan", "memory", "serialize", "true", "false", "having",
            "group", "order", "limit", "offset", "fetch", "union", "except", "intersect", "window", "natural", "left",
            "right", "inner", "outer", "cross", "straight_join", "join", "read", "write", "public", "current_user", "rows",
            "schedule");

    // ---- the corpora ----

    @Test
    void everyCorpusStatementCarriesTheTablesItNames() throws IOException {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Path file : corpusFiles()) {
            for (String sql : statements(file)) {
                for (Dialect dialect : dialectsOf(file)) {
                    String failure = check(sql, dialect);
                    checked++;
                    if (failure != null) {
                        failures.add(file.getFileName() + " (" + dialect + "): " + failure);
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(1000);
        assertThat(failures).as("statements that name tables their analysis does not carry").isEmpty();
    }

    // ---- generated forms ----

    /** The forms of maintenance, definition, privilege and metadata statements, {@code %s} the qualified name. */
    private static final List<String> FORMS = List.of(
            "VACUUM %s", "VACUUM FULL ANALYZE %s", "VACUUM (VERBOSE, ANALYZE) %s", "VACUUM %s (a, b)", "ANALYZE %s",
            "ANALYZE VERBOSE %s", "ANALYZE %s (a)", "ANALYZE TABLE %s", "CLUSTER %s", "CLUSTER %s USING i",
            "CLUSTER VERBOSE %s", "REINDEX TABLE %s", "REINDEX TABLE CONCURRENTLY %s", "REINDEX (VERBOSE) TABLE %s",
            "OPTIMIZE TABLE %s", "OPTIMIZE NO_WRITE_TO_BINLOG TABLE %s", "FLUSH TABLES %s", "FLUSH TABLE %s",
            "FLUSH TABLES %s WITH READ LOCK", "FLUSH TABLES %s FOR EXPORT", "CHECK TABLE %s", "REPAIR TABLE %s",
            "CHECKSUM TABLE %s", "COMMENT ON TABLE %s IS 'x'", "COMMENT ON COLUMN %s.c IS 'x'",
            "GRANT SELECT ON %s TO bob", "GRANT SELECT ON TABLE %s TO bob", "REVOKE SELECT ON %s FROM bob",
            "REVOKE ALL ON TABLE %s FROM bob", "ALTER TABLE %s OWNER TO bob", "ALTER TABLE %s ADD COLUMN c INT",
            "CREATE INDEX i ON %s (c)", "CREATE UNIQUE INDEX i ON %s (c)", "DROP INDEX i ON %s", "TRUNCATE %s",
            "TRUNCATE TABLE %s", "TRUNCATE ONLY %s", "RENAME TABLE %s TO other_t", "ALTER TABLE %s RENAME TO other_t",
            "CREATE TRIGGER tr BEFORE INSERT ON %s FOR EACH ROW EXECUTE FUNCTION f()",
            "CREATE POLICY p ON %s USING (true)", "DROP TRIGGER tr ON %s", "DROP POLICY p ON %s",
            "SECURITY LABEL ON TABLE %s IS 'x'", "REFRESH MATERIALIZED VIEW %s",
            "REFRESH MATERIALIZED VIEW CONCURRENTLY %s", "COPY %s TO STDOUT", "COPY %s FROM STDIN",
            "COPY (SELECT * FROM %s) TO STDOUT", "EXPLAIN SELECT * FROM %s", "EXPLAIN ANALYZE SELECT * FROM %s",
            "EXPLAIN DELETE FROM %s WHERE id = 1", "SHOW COLUMNS FROM %s", "SHOW FULL COLUMNS FROM %s",
            "SHOW INDEX FROM %s", "SHOW CREATE TABLE %s", "DESCRIBE %s", "DESC %s", "EXPLAIN %s", "SCRIPT TABLE %s",
            "LOCK TABLE %s IN ACCESS SHARE MODE", "LOCK TABLES %s READ", "LOCK TABLE %s", "DROP TABLE %s",
            "DROP VIEW %s", "DROP MATERIALIZED VIEW %s", "ALTER VIEW %s RENAME TO v2", "CREATE PUBLICATION p FOR TABLE %s", "ALTER PUBLICATION p ADD TABLE %s", "PURGE TABLE %s",
            "DELETE FROM %s WHERE id = 1", "UPDATE %s SET c = 1 WHERE id = 1", "INSERT INTO %s VALUES (1)",
            "SELECT * FROM %s", "TABLE %s", "PREPARE p AS SELECT * FROM %s", "CREATE RULE r AS ON SELECT TO %s DO INSTEAD NOTHING");

    /** Forms in which the table is a source the statement reads, not the object of its action. */
    private static final List<String> SOURCE_FORMS = List.of("CREATE TABLE x (LIKE %s)", "CREATE VIEW v AS SELECT * FROM %s",
            "CREATE TABLE x AS SELECT * FROM %s", "CREATE SYNONYM s FOR %s", "INSERT INTO x SELECT * FROM %s",
            "SET @v = (SELECT max(c) FROM %s)");

    @Property(tries = 300)
    void everyGeneratedSourceIsRead(@ForAll("sources") String form, @ForAll("names") List<String> name,
                                    @ForAll("dialects") Dialect dialect) {
        String sql = form.formatted(String.join(".", name));
        SqlAnalysis analysis = new SqlAnalyzer().analyze(sql, dialect);
        if (!analysis.parsed()) {
            return; // refused as unparseable
        }
        TableRef named = new TableRef(name.size() > 1 ? name.get(name.size() - 2) : null, name.get(name.size() - 1));
        assertThat(analysis.statements().get(0).tablesRead().stream().anyMatch(t -> covers(t, named)))
                .as("%s (%s) reads %s", sql, dialect, named).isTrue();
        assertThat(check(sql, dialect)).as(sql).isNull();
    }

    @Provide
    Arbitrary<String> sources() {
        return Arbitraries.of(SOURCE_FORMS);
    }

    @Property(tries = 1000)
    void everyGeneratedFormCarriesItsTable(@ForAll("forms") String form, @ForAll("names") List<String> name,
                                           @ForAll("dialects") Dialect dialect) {
        String qualified = String.join(".", name);
        String sql = form.formatted(qualified);
        SqlAnalysis analysis = new SqlAnalyzer().analyze(sql, dialect);
        if (!analysis.parsed()) {
            return; // refused as unparseable
        }
        StatementAnalysis first = analysis.statements().get(0);
        TableRef named = new TableRef(name.size() > 1 ? name.get(name.size() - 2) : null, name.get(name.size() - 1));
        Set<TableRef> carried = new HashSet<>(first.tablesWritten());
        if (first.action() == Action.SELECT) {
            carried.addAll(first.tablesRead());
        }
        assertThat(carried.stream().anyMatch(t -> covers(t, named)))
                .as("%s (%s): %s does the action %s on %s", sql, dialect, named, first.action(), carried).isTrue();
        assertThat(check(sql, dialect)).as(sql).isNull();
    }

    @Provide
    Arbitrary<String> forms() {
        return Arbitraries.of(FORMS);
    }

    @Provide
    Arbitrary<Dialect> dialects() {
        return Arbitraries.of(DIALECTS);
    }

    @Provide
    Arbitrary<List<String>> names() {
        Arbitrary<String> part = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6)
                .map(s -> "q" + s); // never a keyword
        return Combinators.combine(part, part, Arbitraries.integers().between(1, 2))
                .as((schema, table, parts) -> parts == 1 ? List.of(table) : List.of(schema, table));
    }

    // ---- the check ----

    /** Why a statement's analysis does not carry a table the statement names, or {@code null} when it does. */
    static String check(String sql, Dialect dialect) {
        SqlAnalysis analysis = new SqlAnalyzer().analyze(sql, dialect);
        if (!analysis.parsed() || analysis.statements().isEmpty()) {
            return null; // refused as unparseable
        }
        Set<TableRef> named = namedTables(sql, dialect);
        if (analysis.statements().get(0).action() == Action.DEFINE_CODE) {
            // A code definition's body (a function's, procedure's, trigger's, event's or rule's statements) is not run
            // by the definition: running it is a call on the routine, or the firing of a trigger or rule by a statement
            // on the table it is on, each governed when it happens. Only the table it is on must be carried.
            named = namedTables(codeHeader(sql, dialect), dialect);
        }
        if (named.isEmpty()) {
            return null;
        }
        Set<TableRef> carried = new HashSet<>();
        for (StatementAnalysis s : analysis.statements()) {
            carried.addAll(s.tablesRead());
            carried.addAll(s.tablesWritten());
        }
        List<TableRef> missing = named.stream().filter(n -> carried.stream().noneMatch(c -> covers(c, n))).toList();
        if (!missing.isEmpty()) {
            return sql + " names " + missing + ", its analysis carries " + carried;
        }
        List<StatementAnalysis> top = analysis.statements().stream().filter(s -> !s.has(Trait.NESTED)).toList();
        if (top.size() == 1) {
            StatementAnalysis s = top.get(0);
            boolean query = s.action() == Action.SELECT && !s.tablesRead().isEmpty();
            if (!query && s.tablesWritten().isEmpty() && !exempt(s)) {
                return sql + " names " + named + ", its analysis does " + s.action() + " on no table";
            }
        }
        return null;
    }

    /**
     * The statements whose action is on no table although they name one, because that action is proven not to touch
     * it: a {@code SET} of a value a query computes (the query's reads are checked as reads; the setting or variable is
     * the session's), and a {@code CALL} of a routine (its {@code call} is on the routine, whose arguments' reads are
     * reads).
     */
    private static boolean exempt(StatementAnalysis s) {
        return s.action() == Action.SET || s.action() == Action.CALL && !s.routines().isEmpty();
    }

    /**
     * A code definition's text before its body: up to {@code DO}, {@code AS}, {@code BEGIN}, {@code RETURN},
     * {@code RETURNS}, {@code EXECUTE}, {@code FOR EACH}, {@code MODIFIES}, {@code READS} or {@code LANGUAGE}, whichever
     * comes first after the name.
     */
    private static String codeHeader(String sql, Dialect dialect) {
        Tokens tokens = Tokens.of(sql, dialect);
        for (int i = 3; i < tokens.size(); i++) {
            if (Set.of("do", "begin", "return", "returns", "execute", "each", "modifies", "reads", "language")
                    .contains(tokens.get(i).text()) && tokens.get(i).kind() == TokenSpacing.Kind.WORD
                    || tokens.isWord(i, "as") && !tokens.isWord(i - 1, "rule") && i > 3) {
                return sql.substring(0, tokens.get(i).offset());
            }
        }
        return sql;
    }

    /** Whether a carried table is the named one: the same name (a schema on one side only may be the default). */
    private static boolean covers(TableRef carried, TableRef named) {
        String schema = carried.schema();
        if ("*".equals(carried.name())) {
            return "*".equals(schema) || named.schema() == null || schema.equalsIgnoreCase(named.schema());
        }
        if (!unquote(carried.name()).equalsIgnoreCase(unquote(named.name()))) {
            return false;
        }
        return schema == null || named.schema() == null || unquote(schema).equalsIgnoreCase(unquote(named.schema()));
    }

    private static String unquote(String name) {
        return name.replace("\"", "").replace("`", "");
    }

    /**
     * The tables a statement's text names, from its tokens: the names after {@link #TABLE_KEYWORDS} (a list, with
     * aliases, after FROM and JOIN; not a routine called in a FROM, nor a FROM inside a function's parentheses such as
     * {@code EXTRACT(YEAR FROM d)} or after {@code IS DISTINCT}), and after {@code ON} in a definition or privilege
     * statement; never a CTE's name.
     */
    /**
     * Whether the {@code USING} at {@code i} ends a recursive query's {@code CYCLE cols SET mark [TO v DEFAULT d] USING
     * path}: its name is the path column's, no table.
     */
    private static boolean endsCycleClause(Tokens tokens, int i) {
        for (int j = i - 1; j >= 0 && !symbol(tokens, j, "(") && !symbol(tokens, j, ")"); j--) {
            if (tokens.isWord(j, "cycle")) {
                return true;
            }
        }
        return false;
    }

    static Set<TableRef> namedTables(String sql, Dialect dialect) {
        Tokens tokens = Tokens.of(sql, dialect);
        Set<String> ctes = new HashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).isName() && (tokens.isWord(i + 1, "as") && symbol(tokens, i + 2, "(")
                    || tokens.isWord(i + 1, "as") && tokens.isWord(i + 2, "materialized")
                    || i > 0 && symbol(tokens, i + 1, "(") && (tokens.isWord(i - 1, "with") || tokens.isWord(i - 1, "recursive")
                    || symbol(tokens, i - 1, ",")))) {
                ctes.add(unquote(tokens.get(i).text()).toLowerCase(Locale.ROOT));
            }
        }
        Set<TableRef> named = new LinkedHashSet<>();
        Deque<Boolean> parentheses = new ArrayDeque<>(); // for each open parenthesis: whether it holds a query
        String head = tokens.get(0).text();
        for (int i = 0; i < tokens.size(); i++) {
            Tokens.Token t = tokens.get(i);
            if (symbol(tokens, i, "(")) {
                parentheses.push(Set.of("select", "with", "values", "table").contains(tokens.get(i + 1).text()));
                continue;
            }
            if (symbol(tokens, i, ")")) {
                if (!parentheses.isEmpty()) {
                    parentheses.pop();
                }
                continue;
            }
            if (t.kind() != TokenSpacing.Kind.WORD) {
                continue;
            }
            String word = t.text();
            boolean inQuery = parentheses.isEmpty() || parentheses.peek();
            boolean list = word.equals("from") || word.equals("join") || word.equals("using");
            boolean keyword = TABLE_KEYWORDS.contains(word)
                    || word.equals("on") && DEFINITION_HEADS.contains(head) && i > 1;
            if (!keyword || !inQuery || i > 0 && word.equals("from") && tokens.isWord(i - 1, "distinct")
                    || word.equals("update") && (i > 0 && !symbol(tokens, i - 1, ")") || tokens.isWord(i + 1, "of"))
                    || word.equals("explain") && i > 0 || word.equals("copy") && i > 0
                    || word.equals("lock") && i > 0 || word.equals("analyze") && i > 0 && !tokens.isWord(i - 1, "vacuum")
                    || word.equals("using") && (head.equals("cluster") || head.equals("create") || endsCycleClause(tokens, i))
                    || word.equals("from") && head.equals("revoke")
                    // MariaDB's DELETE FROM a, b USING t AS a …: the names after FROM are the USING list's
                    || word.equals("from") && head.equals("delete") && i == 1 && dialect == Dialect.MARIADB
                    && tokens.indexOfWord("using", i) > 0
                    || word.equals("on") && tokens.isWord(1, "event") && tokens.isWord(2, "trigger")) {
                continue;
            }
            int j = i + 1;
            while (tokens.get(j).kind() == TokenSpacing.Kind.WORD && MODIFIERS.contains(tokens.get(j).text())
                    && !(tokens.get(j + 1).text().equals(",") || j + 1 == tokens.size() || tokens.get(j + 1).text().equals("("))) {
                j++;
            }
            while (true) {
                List<String> name = tokens.nameAt(j);
                if (name.isEmpty() || name.size() == 1 && NOT_NAMES.contains(name.get(0))
                        || name.get(name.size() - 1).startsWith("@") || name.get(0).startsWith("$")) {
                    break;
                }
                int after = j + name.size() * 2 - 1;
                if (list && symbol(tokens, after, "(")) {
                    break; // a routine called in a FROM
                }
                String last = unquote(name.get(name.size() - 1)).toLowerCase(Locale.ROOT);
                if (!(name.size() == 1 && ctes.contains(last)) && !(word.equals("on") && head.equals("comment"))) {
                    named.add(new TableRef(name.size() > 1 ? name.get(name.size() - 2) : null, name.get(name.size() - 1)));
                }
                if (!list) {
                    break;
                }
                j = after;
                if (tokens.isWord(j, "as")) {
                    j++;
                }
                if (tokens.get(j).isName() && !NOT_NAMES.contains(tokens.get(j).text())
                        && !Set.of("cross", "full", "natural", "straight_join").contains(tokens.get(j).text())) {
                    j++; // an alias
                }
                if (!symbol(tokens, j, ",")) {
                    break;
                }
                j++;
            }
        }
        return named;
    }

    private static boolean symbol(Tokens tokens, int i, String symbol) {
        return i >= 0 && tokens.get(i).kind() == TokenSpacing.Kind.SYMBOL && tokens.get(i).text().equals(symbol);
    }

    // ---- reading the corpora ----

    private static List<Path> corpusFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(CORPUS, CORPUS.resolve("adversarial"))) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".sql")).sorted().forEach(files::add);
            }
        }
        assertThat(files).hasSizeGreaterThan(40);
        return files;
    }

    /** The dialects a corpus file runs on: the one it names, or all three for common, standard and all. */
    private static List<Dialect> dialectsOf(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith("-postgresql.sql")) {
            return List.of(Dialect.POSTGRESQL);
        }
        if (name.endsWith("-mariadb.sql")) {
            return List.of(Dialect.MARIADB);
        }
        if (name.endsWith("-h2.sql")) {
            return List.of(Dialect.H2);
        }
        return DIALECTS;
    }

    /** The statements of a corpus file: each run of lines that are not comments, split at semicolons ending a line. */
    private static List<String> statements(Path file) throws IOException {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                flush(current, statements);
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                flush(current, statements);
            }
        }
        flush(current, statements);
        return statements;
    }

    private static void flush(StringBuilder current, List<String> statements) {
        String sql = current.toString().strip();
        if (sql.endsWith(";")) {
            sql = sql.substring(0, sql.length() - 1).strip();
        }
        if (!sql.isEmpty()) {
            statements.add(sql);
        }
        current.setLength(0);
    }
}
