package io.governed.jdbc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.governed.jdbc.support.TestDatabase;
import io.governed.sql.ColumnRef;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import net.sf.jsqlparser.parser.CCJSqlParserConstants;
import net.sf.jsqlparser.parser.ParserKeywordsUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every word of the parser's keyword lists as a column's name on the real server: where the server accepts it unquoted
 * ({@code CREATE TABLE kwn_t (id int, W int)}), the analysis reads the CREATE TABLE, and the column that an INSERT's
 * column list, an UPDATE's SET and a RENAME COLUMN name is, by the analysis, the very column the server's catalog
 * holds. The words each server accepts are the lists the policy module's KeywordWriteNamesTest enumerates.
 */
class KeywordColumnNamesIT {

    private static final Pattern TOKEN = Pattern.compile("<K_([A-Z0-9_]+)>|\"([A-Za-z_][A-Za-z0-9_]*)\"");

    private static Set<String> parserKeywords() {
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
        words.removeIf(w -> !w.matches("[a-z_][a-z0-9_]*"));
        return words;
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB", "H2"})
    void theColumnTheAnalysisReadsIsTheOneTheServerHolds(TestDatabase db) throws Exception {
        db.requireReachable();
        Dialect dialect = Dialect.valueOf(db.name());
        SqlAnalyzer analyzer = new SqlAnalyzer(0);
        List<String> mistakes = new ArrayList<>();
        Set<String> accepted = new TreeSet<>();
        Set<String> reads = new TreeSet<>();
        try (Connection raw = db.connectRaw(); Statement st = raw.createStatement()) {
            raw.setAutoCommit(true);
            try {
                for (String w : parserKeywords()) {
                    st.execute("DROP TABLE IF EXISTS kwn_t");
                    String create = "CREATE TABLE kwn_t (id int, " + w + " int)";
                    try {
                        st.execute(create);
                    } catch (SQLException refusedByTheServer) {
                        continue;
                    }
                    accepted.add(w);
                    String stored = otherColumn(raw, dialect);
                    // EXCLUDE starts an exclusion constraint on PostgreSQL: a CREATE TABLE with it first stays refused
                    if (refused(analyzer.analyze(create, dialect)) && !w.equals("exclude")) {
                        mistakes.add(create + ": refused");
                    }
                    check(mistakes, analyzer, dialect, st, "INSERT INTO kwn_t (id, " + w + ") VALUES (1, 2)", stored);
                    check(mistakes, analyzer, dialect, st, "UPDATE kwn_t SET " + w + " = 3 WHERE id = 1", stored);
                    // where a query reads it: a refusal fails closed (a word of the database's own stays refused),
                    // a reading of another column than the server's is a mistake
                    checkRead(mistakes, analyzer, dialect, st, "SELECT " + w + " FROM kwn_t WHERE " + w + " = 3 ORDER BY "
                            + w, stored, reads);
                    check(mistakes, analyzer, dialect, st, "ALTER TABLE kwn_t RENAME COLUMN " + w + " TO kwn_x", stored);
                }
            } finally {
                st.execute("DROP TABLE IF EXISTS kwn_t");
            }
        }
        assertThat(mistakes).isEmpty();
        assertThat(reads).as("the words read where a query reads them").contains("settings")
                .hasSizeGreaterThan(accepted.size() / 2);
        assertThat(accepted).as("the words %s accepts unquoted as a column's name; the list under "
                        + "governance-policy/src/test/resources/keyword-names/ must be these", db)
                .containsExactlyElementsOf(listed(dialect));
    }

    /** Runs {@code sql} on the server and checks that the analysis read it, naming the column the server holds. */
    private static void check(List<String> mistakes, SqlAnalyzer analyzer, Dialect dialect, Statement st, String sql,
                              String stored) {
        try {
            st.execute(sql);
        } catch (SQLException refusedByTheServer) {
            return; // the server does not read the word as a name there: nothing the analysis must read
        }
        SqlAnalysis analysis = analyzer.analyze(sql, dialect);
        if (refused(analysis)) {
            mistakes.add(sql + ": refused");
            return;
        }
        boolean read = analysis.statements().get(0).columns().stream().map(ColumnRef::column)
                .anyMatch(c -> dialect.sameName(c, stored));
        Set<String> named = new TreeSet<>();
        analysis.statements().get(0).columns().forEach(c -> named.add(c.column()));
        named.removeIf(c -> dialect.sameName(c, stored) || dialect.sameName(c, dialect.normalizeIdentifier("id")));
        if (!read || !named.isEmpty()) {
            mistakes.add(sql + ": the server holds the column " + stored + ", the analysis read " + named + (read ? ""
                    : " and not it"));
        }
    }

    /** {@link #check} of a query, whose refusal is no mistake; the word is added to {@code reads} when it is read. */
    private static void checkRead(List<String> mistakes, SqlAnalyzer analyzer, Dialect dialect, Statement st, String sql,
                                  String stored, Set<String> reads) {
        try {
            st.execute(sql);
        } catch (SQLException refusedByTheServer) {
            return;
        }
        if (refused(analyzer.analyze(sql, dialect))) {
            return;
        }
        int before = mistakes.size();
        check(mistakes, analyzer, dialect, st, sql, stored);
        if (mistakes.size() == before) {
            reads.add(stored.toLowerCase(Locale.ROOT));
        }
    }

    private static boolean refused(SqlAnalysis analysis) {
        return !analysis.parsed() || analysis.statements().size() != 1;
    }

    /** The name under which the server's catalog holds kwn_t's column other than id. */
    private static String otherColumn(Connection raw, Dialect dialect) throws SQLException {
        DatabaseMetaData meta = raw.getMetaData();
        String table = dialect == Dialect.H2 ? "KWN_T" : "kwn_t";
        List<String> names = new ArrayList<>();
        try (ResultSet rs = meta.getColumns(raw.getCatalog(), dialect == Dialect.MARIADB ? null : raw.getSchema(), table,
                "%")) {
            while (rs.next()) {
                names.add(rs.getString("COLUMN_NAME"));
            }
        }
        names.removeIf(n -> n.equalsIgnoreCase("id"));
        assertThat(names).hasSize(1);
        return names.get(0);
    }

    private static List<String> listed(Dialect dialect) throws IOException {
        Path file = Path.of("..", "governance-policy", "src", "test", "resources", "keyword-names",
                dialect.name().toLowerCase(Locale.ROOT) + ".txt");
        return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
