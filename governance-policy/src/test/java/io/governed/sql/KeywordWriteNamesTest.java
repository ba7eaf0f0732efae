package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every word of the parser's keyword lists ({@link ParserKeywordNamesTest#parserKeywords}) that the database accepts
 * unquoted as a column's name (the lists under {@code keyword-names/}, which {@code KeywordColumnNamesIT} checks
 * against each server), standing as a column's name where a statement writes or defines it: an INSERT's column list,
 * an UPDATE's SET, ON CONFLICT, ON DUPLICATE KEY UPDATE, RETURNING, a CREATE TABLE's columns, ALTER TABLE's
 * ADD/DROP/RENAME/ALTER/CHANGE/MODIFY COLUMN, a CREATE INDEX's and a constraint's column lists, COMMENT ON COLUMN. Each
 * statement must be read (a refusal blocks every application with such a column), on the table it names, and every
 * column the analysis reports must be one the statement names, the keyword's as the database folds it.
 */
class KeywordWriteNamesTest {

    /** The statements to try for a word (§), on every dialect. */
    private static final List<String> COMMON = List.of(
            "INSERT INTO t (§) VALUES (1)",
            "INSERT INTO t (a, §) SELECT a, b FROM u",
            "UPDATE t SET § = 1 WHERE id = 1",
            "UPDATE t SET a = 1, § = 2 WHERE id = 1",
            "CREATE TABLE t (id int, § int)",
            "CREATE TABLE t (§ int, a int, PRIMARY KEY (§))",
            "ALTER TABLE t ADD COLUMN § int",
            "ALTER TABLE t DROP COLUMN §",
            "ALTER TABLE t RENAME COLUMN § TO x",
            "ALTER TABLE t RENAME COLUMN x TO §",
            "ALTER TABLE t ALTER COLUMN § SET DEFAULT 1",
            "CREATE INDEX i ON t (§)",
            "ALTER TABLE t ADD CONSTRAINT c UNIQUE (§)",
            "ALTER TABLE t ADD CONSTRAINT c FOREIGN KEY (§) REFERENCES u (§)");
    private static final List<String> POSTGRESQL = List.of(
            "INSERT INTO t (§) VALUES (1) ON CONFLICT (§) DO UPDATE SET § = 2",
            "INSERT INTO t (a) VALUES (1) RETURNING §",
            "UPDATE t SET a = 1 WHERE id = 1 RETURNING a, §",
            "COMMENT ON COLUMN t.§ IS 'x'",
            "ALTER TABLE t ADD § int",
            "ALTER TABLE t DROP §",
            "ALTER TABLE t RENAME § TO x");
    private static final List<String> MARIADB = List.of(
            "INSERT INTO t (§) VALUES (1) ON DUPLICATE KEY UPDATE § = 2",
            "INSERT INTO t SET § = 1",
            "INSERT INTO t (a) VALUES (1) RETURNING §",
            "ALTER TABLE t ADD § int",
            "ALTER TABLE t DROP §",
            "ALTER TABLE t CHANGE § x int",
            "ALTER TABLE t MODIFY § int");
    private static final List<String> H2 = List.of(
            "COMMENT ON COLUMN t.§ IS 'x'",
            "ALTER TABLE t ADD § int");

    /**
     * Words that, right after ADD, DROP or ALTER without COLUMN, start another action in some database (ADD PERIOD FOR,
     * DROP SYSTEM VERSIONING): such a statement stays refused.
     */
    private static final Set<String> ACTION_WORDS = Set.of("constraint", "primary", "unique", "foreign", "check", "key",
            "index", "fulltext", "spatial", "like", "exclude", "period", "system", "partition", "including",
            "excluding", "references", "column", "if", "to", "as", "default", "vector");

    static List<String> statements(Dialect dialect) {
        List<String> forms = new ArrayList<>(COMMON);
        forms.addAll(switch (dialect) {
            case POSTGRESQL -> POSTGRESQL;
            case MARIADB -> MARIADB;
            case H2 -> H2;
            default -> List.of();
        });
        return forms;
    }

    /** The parser keywords the database accepts unquoted as a column's name ({@code CREATE TABLE t (W int)}). */
    static List<String> acceptedWords(Dialect dialect) {
        String file = "/keyword-names/" + dialect.name().toLowerCase(java.util.Locale.ROOT) + ".txt";
        List<String> words = new ArrayList<>();
        try (InputStream in = KeywordWriteNamesTest.class.getResourceAsStream(file);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            reader.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(words::add);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return words;
    }

    @Test
    void theListsHoldKeywordsOfTheParser() {
        for (Dialect d : List.of(Dialect.POSTGRESQL, Dialect.MARIADB, Dialect.H2)) {
            assertThat(acceptedWords(d)).hasSizeGreaterThan(300).contains("settings")
                    .allMatch(ParserKeywordNamesTest.parserKeywords()::contains);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyKeywordTheDatabaseAcceptsIsReadWhereAStatementWritesOrDefinesAColumn() {
        return Stream.of(Dialect.POSTGRESQL, Dialect.MARIADB, Dialect.H2).map(d -> DynamicTest.dynamicTest(d.name(),
                () -> {
                    List<String> mistakes = mistakes(d);
                    assertThat(mistakes).as("%d statements read wrong or refused, the first: %s", mistakes.size(),
                            mistakes.subList(0, Math.min(40, mistakes.size()))).isEmpty();
                }));
    }

    static List<String> mistakes(Dialect dialect) {
        List<String> forms = statements(dialect);
        // each word's statements are read apart from the others': shared out over the cores, kept in the words' order
        return acceptedWords(dialect).parallelStream()
                .flatMap(word -> mistakes(dialect, forms, word).stream()).toList();
    }

    /** What is wrong with the analysis of each statement of {@code forms} naming {@code word}. */
    private static List<String> mistakes(Dialect dialect, List<String> forms, String word) {
        List<String> mistakes = new ArrayList<>();
        for (String form : forms) {
            if (ACTION_WORDS.contains(word) && form.matches(".* (ADD|DROP|ALTER|RENAME|CHANGE|MODIFY) §.*")) {
                continue;
            }
            if (KeywordNames.NEVER.contains(word) && (form.contains("RETURNING") || form.contains(".§")
                    || form.matches(".* (ADD|DROP|ALTER|RENAME|CHANGE|MODIFY) §.*"))) {
                continue; // a word with a meaning of its own where an expression or an action stands: stays refused
            }
            if (word.equals("values") && (form.contains("KEY (§)") || form.contains("UNIQUE (§)"))) {
                continue; // the parser prints a key's columns unquoted, and (VALUES … in a definition is a query
            }
            if (word.equals("exclude") && form.startsWith("CREATE TABLE")) {
                continue; // starts an exclusion constraint on PostgreSQL: stays refused
            }
            String sql = form.replace("§", word);
            String mistake = mistake(sql, word, dialect);
            if (mistake != null) {
                mistakes.add(mistake);
            }
        }
        return mistakes;
    }

    /** What is wrong with the analysis of {@code sql}, or {@code null}. */
    static String mistake(String sql, String word, Dialect dialect) {
        SqlAnalysis analysis = new SqlAnalyzer(0).analyze(sql, dialect);
        if (!analysis.parsed()) {
            return sql + ": refused";
        }
        StatementAnalysis s = analysis.statements().get(0);
        String table = dialect.normalizeIdentifier("t");
        if (analysis.statements().size() != 1 || s.tablesWritten().stream().noneMatch(t -> t.name().equals(table))) {
            return sql + ": not read as a statement on t: " + s.tablesWritten();
        }
        String column = dialect.normalizeIdentifier(word);
        Set<String> named = Set.of(column, dialect.normalizeIdentifier("a"), dialect.normalizeIdentifier("b"),
                dialect.normalizeIdentifier("x"), dialect.normalizeIdentifier("id"));
        for (ColumnRef c : s.columns()) {
            if (!c.allColumns() && !named.contains(c.column())) {
                return sql + ": read a column the statement does not name: " + c;
            }
        }
        boolean namesWord = sql.startsWith("INSERT") || sql.startsWith("UPDATE") || sql.contains("FOREIGN KEY")
                || sql.contains("RENAME COLUMN " + word + " TO");
        if (namesWord && s.columns().stream().noneMatch(c -> c.column().equals(column))) {
            return sql + ": did not read the column " + column + ": " + s.columns();
        }
        return null;
    }
}
