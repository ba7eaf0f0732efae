package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import net.sf.jsqlparser.parser.CCJSqlParserConstants;
import net.sf.jsqlparser.parser.ParserKeywordsUtils;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every word the parser knows as a keyword, and every pseudo-column and function called without parentheses the three
 * databases have, standing where a name stands: a column's (bare, quoted, qualified; in the select list, WHERE, ORDER BY,
 * GROUP BY, a join's ON, a function's argument), a table's, an alias's, a CTE's, a function's. Wherever the parser reads
 * the statement, the analysis must read the name as the database may: a column name is that column (which a policy may
 * mask), a table or CTE name the relation, an alias what it stands for. A statement the parser cannot read is refused
 * (the analysis reports it unparseable), which holds too. The only words that may stand bare without counting as a
 * column are those {@link ColumnResolver#nonColumnWords} lists for the dialect; {@code NonColumnWordsIT} shows on each
 * database that none of them is read as a column there.
 */
class ParserKeywordNamesTest {

    /** Names the databases give a meaning of their own without parentheses, pseudo-columns included. */
    private static final List<String> DATABASE_WORDS = List.of("current_user", "user", "session_user", "system_user",
            "current_role", "current_schema", "current_catalog", "current_path", "current_date", "current_time",
            "current_timestamp", "localtime", "localtimestamp", "sysdate", "systimestamp", "systime", "today", "now",
            "current", "rownum", "rowid", "_rowid", "_rowid_", "oid", "ctid", "xmin", "xmax", "cmin", "cmax", "tableoid",
            "level", "uid", "database", "schema", "unknown", "value", "default", "identity", "row_number", "prior",
            "connect_by_root", "sequence", "nextval", "currval", "lastval", "row_count", "found_rows", "last_insert_id");
    /** Texts the parser reads as one node though the databases read a column and an alias ({@code current date}). */
    private static final Map<String, String> TWO_WORD_FORMS = Map.of("current date", "current", "current time",
            "current", "current timestamp", "current", "current   date", "current");
    /**
     * Words every one of the databases reserves, so that none reads them bare as a name (it refuses the statement):
     * the parser may read them as something else there ({@code WHERE all = 'x'}).
     */
    private static final Set<String> RESERVED_EVERYWHERE = Set.of("all", "current_date", "current_time",
            "current_timestamp");
    /** MariaDB's sequence functions take a sequence's name, not a column ({@code nextval(s)}). */
    private static final Set<String> MARIADB_SEQUENCE_FUNCTIONS = Set.of("nextval", "lastval");
    private static final Pattern TOKEN = Pattern.compile("<K_([A-Z0-9_]+)>|\"([A-Za-z_][A-Za-z0-9_]*)\"");
    private static final List<Dialect> DIALECTS = List.of(Dialect.H2, Dialect.POSTGRESQL, Dialect.MARIADB,
            Dialect.GENERIC);

    /** Every keyword of the parser's token list and its list of non-reserved keywords, in lower case. */
    static Set<String> parserKeywords() {
        Set<String> words = new TreeSet<>();
        for (String image : CCJSqlParserConstants.tokenImage) {
            Matcher m = TOKEN.matcher(image);
            if (m.matches()) {
                words.add((m.group(1) != null ? m.group(1) : m.group(2)).toLowerCase(Locale.ROOT));
            }
        }
        for (Object word : ParserKeywordsUtils.getNonReservedKeywords()) {
            words.add(word.toString().toLowerCase(Locale.ROOT));
        }
        return words;
    }

    /** The words to try, each with the column name the database reads in it. */
    static Map<String, String> words() {
        Map<String, String> words = new LinkedHashMap<>();
        parserKeywords().forEach(w -> words.put(w, w));
        DATABASE_WORDS.forEach(w -> words.put(w, w));
        words.putAll(TWO_WORD_FORMS);
        return words;
    }

    @Test
    void theParserHasTheKeywordsThisTestIsAbout() {
        assertThat(parserKeywords()).hasSizeGreaterThan(400)
                .contains("select", "current", "user", "time_key_expr", "value", "interval");
    }

    @TestFactory
    Stream<DynamicTest> everyKeywordStandingAsANameIsReadAsThatName() {
        return DIALECTS.stream().map(d -> DynamicTest.dynamicTest(d.name(), () -> assertThat(mistakes(d)).isEmpty()));
    }

    /** Every statement of the dialect where the analysis read a name otherwise than the database may. */
    static List<String> mistakes(Dialect dialect) {
        Set<String> nonColumns = ColumnResolver.nonColumnWords(dialect);
        String quote = dialect == Dialect.MARIADB ? "`" : "\"";
        // each word's statements are read apart from the others': shared out over the cores, kept in the words' order
        return words().entrySet().parallelStream()
                .flatMap(entry -> mistakes(dialect, nonColumns, quote, entry.getKey(), entry.getValue()).stream())
                .toList();
    }

    /** The statements naming the word {@code w} (read as the column {@code column}) that the analysis read wrong. */
    private static List<String> mistakes(Dialect dialect, Set<String> nonColumns, String quote, String w, String column) {
        List<String> mistakes = new ArrayList<>();
        String quoted = quote + column + quote;
        boolean bareMayBeNoColumn = w.equals(column) && (nonColumns.contains(w) || RESERVED_EVERYWHERE.contains(w));
        if (!bareMayBeNoColumn) {
            readsColumn(mistakes, dialect, "SELECT " + w + " FROM t", column, true);
            readsColumn(mistakes, dialect, "SELECT a FROM t WHERE " + w + " = 'x'", column, false);
            readsColumn(mistakes, dialect, "SELECT a FROM t ORDER BY " + w, column, false);
            readsColumn(mistakes, dialect, "SELECT count(*) FROM t GROUP BY " + w, column, false);
            readsColumn(mistakes, dialect, "SELECT a FROM t JOIN u ON " + w + " = u.b", column, false);
            readsColumn(mistakes, dialect, "SELECT upper(" + w + ") FROM t", column, true);
            readsColumn(mistakes, dialect, "SELECT " + w + " AS label FROM t", column, true);
        }
        readsColumn(mistakes, dialect, "SELECT " + quoted + " FROM t", column, true);
        readsColumn(mistakes, dialect, "SELECT a FROM t WHERE " + quoted + " = 'x'", column, false);
        readsColumn(mistakes, dialect, "SELECT t." + column + " FROM t", column, true);
        readsColumn(mistakes, dialect, "SELECT t." + quoted + " FROM t", column, true);
        readsColumn(mistakes, dialect, "SELECT a FROM t WHERE t." + column + " = 'x'", column, false);
        if (!w.equals(column)) {
            return mistakes; // a two-word form is a column and an alias, tried above
        }
        // an alias, a CTE, a table, a label and a function named by the word
        if (!RESERVED_EVERYWHERE.contains(w)) {
            readsColumn(mistakes, dialect, "SELECT " + w + ".ssn FROM t " + w, "ssn", true);
            readsColumn(mistakes, dialect, "SELECT " + w + ".ssn FROM t AS " + w, "ssn", true);
        }
        readsColumn(mistakes, dialect, "SELECT " + quoted + ".ssn FROM t AS " + quoted, "ssn", true);
        readsColumn(mistakes, dialect, "SELECT " + quoted + ".ssn FROM t " + quoted, "ssn", true);
        readsColumn(mistakes, dialect, "WITH " + quoted + " AS (SELECT ssn FROM t) SELECT ssn FROM " + quoted,
                "ssn", true);
        readsColumn(mistakes, dialect, "SELECT ssn " + w + " FROM t", "ssn", true);
        readsColumn(mistakes, dialect, "SELECT ssn AS " + w + " FROM t ORDER BY " + w, "ssn", true);
        if (!(dialect == Dialect.MARIADB && MARIADB_SEQUENCE_FUNCTIONS.contains(w))) {
            readsColumn(mistakes, dialect, "SELECT " + w + "(ssn) FROM t", "ssn", false);
        }
        readsColumn(mistakes, dialect, "WITH " + w + " AS (SELECT ssn FROM t) SELECT ssn FROM " + w, "ssn", true);
        readsColumn(mistakes, dialect, "SELECT x.ssn FROM (SELECT ssn FROM t) AS " + w + " JOIN t AS x ON x.a = "
                + w + ".ssn", "ssn", true);
        readsTable(mistakes, dialect, "SELECT ssn FROM " + w, w);
        readsTable(mistakes, dialect, "SELECT ssn FROM " + quoted, column);
        readsTable(mistakes, dialect, "SELECT ssn FROM s." + w, w);
        return mistakes;
    }

    private static void readsColumn(List<String> mistakes, Dialect dialect, String sql, String column, boolean output) {
        check(mistakes, dialect, sql, (s, d) -> {
            boolean referenced = s.columns().stream().anyMatch(c -> c.allColumns() || same(c.column(), column));
            boolean traced = !output || s.resultColumns().stream().anyMatch(r -> r.unknownLineage()
                    || !r.allColumnsOf().isEmpty() || r.sources().stream().anyMatch(c -> same(c.column(), column)));
            return referenced && traced;
        });
    }

    private static void readsTable(List<String> mistakes, Dialect dialect, String sql, String table) {
        check(mistakes, dialect, sql, (s, d) -> s.tablesRead().stream().anyMatch(t -> same(t.name(), table)));
    }

    private static void check(List<String> mistakes, Dialect dialect, String sql,
                              BiPredicate<StatementAnalysis, Dialect> readRight) {
        SqlAnalysis analysis = new SqlAnalyzer().analyze(sql, dialect);
        if (!analysis.parsed()) {
            return; // refused
        }
        if (analysis.statements().isEmpty() || !readRight.test(analysis.statements().get(0), dialect)) {
            mistakes.add(sql);
        }
    }

    private static boolean same(String name, String expected) {
        return name != null && name.equalsIgnoreCase(expected);
    }
}
