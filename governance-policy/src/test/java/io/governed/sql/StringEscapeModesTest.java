package io.governed.sql;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.Chars;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * A PostgreSQL session reads a backslash in a plain string as a character (standard_conforming_strings on, the
 * default) or as an escape (off); a MariaDB session as an escape or, under NO_BACKSLASH_ESCAPES, as a character.
 * Either can switch at any time. SqlAnalyzer.stringsReadAlikeEitherWay tells the texts whose strings end in the same
 * places both ways (the statements analysed are the ones either session runs) from those whose strings do not (the
 * driver refuses those unless it knows for certain how the session reads them).
 */
class StringEscapeModesTest {
    private final SqlAnalyzer analyzer = new SqlAnalyzer(0);

    private static boolean refused(String sql, Dialect dialect) {
        return !SqlAnalyzer.stringsReadAlikeEitherWay(sql, dialect);
    }

    @Test
    void textsThatEndAStringElsewhereTheOtherWayAreRefused() {
        assertThat(refused("SELECT '\\'' ; DROP TABLE orders ; -- '", Dialect.POSTGRESQL)).isTrue();
        assertThat(refused("DELETE FROM orders WHERE note = '\\'' OR true --'", Dialect.POSTGRESQL)).isTrue();
        assertThat(refused("SELECT 'C:\\'", Dialect.POSTGRESQL)).as("escaped, the string would not end").isTrue();
        // the same tokens either way, a comment hiding where the string ends: the role's name differs
        assertThat(refused("SET ROLE 'reader\\'--'\nSELECT 1", Dialect.POSTGRESQL)).isTrue();
        assertThat(refused("DELETE FROM orders WHERE note = '\\'--a'--' AND id = 1", Dialect.POSTGRESQL)).isTrue();
        assertThat(refused("DELETE FROM orders WHERE note = 'a\\' OR 1=1 -- '", Dialect.MARIADB)).isTrue();
        assertThat(refused("SELECT 'it\\'s'", Dialect.MARIADB)).as("under NO_BACKSLASH_ESCAPES the string ends at it\\").isTrue();
        assertThat(refused("DELETE FROM orders WHERE note = \"a\\\" OR 1=1 -- \"", Dialect.MARIADB)).isTrue();
    }

    @Test
    void textsThatMeanTheSameBothWaysAreAnalysedAsUsual() {
        for (String sql : new String[] {"SELECT 'C:\\path\\file'", "SELECT * FROM t WHERE name LIKE 'a\\_b'",
                "SELECT 'a\\\\'", "SELECT E'it\\'s'", "SELECT $$a\\'$$", "SELECT 'it''s'", "SELECT \"a\\b\" FROM t"}) {
            assertThat(refused(sql, Dialect.POSTGRESQL)).as(sql).isFalse();
            assertThat(analyzer.analyze(sql, Dialect.POSTGRESQL).parsed()).as(sql).isTrue();
        }
        for (String sql : new String[] {"SELECT 'C:\\\\path'", "SELECT * FROM t WHERE name LIKE 'a\\_b'", "SELECT 'it''s'",
                "SELECT 'a\\nb'"}) {
            assertThat(refused(sql, Dialect.MARIADB)).as(sql).isFalse();
        }
        assertThat(refused("SELECT 'it\\'s'", Dialect.H2)).as("H2 has one reading").isFalse();
        assertThat(analyzer.analyze("SELECT 'a\\'; DROP TABLE t; --'", Dialect.POSTGRESQL).statements())
                .as("the analysis reads strings as a PostgreSQL session does by default").hasSize(2);
    }

    @Test
    void aTextWhoseStringTheUsualReadingNeverEndsIsUnreadable() {
        // read as a PostgreSQL session reads it by default, the text opens a second string that never ends
        String sql = "DELETE FROM orders WHERE note = '\\''\\'\\' AND id = 1";
        assertThat(analyzer.analyze(sql, Dialect.POSTGRESQL).parsed()).as(sql).isFalse();
    }

    /**
     * Whatever a string holds, a text is analysed exactly when its strings (and the comments between them) lie at the
     * same places read both ways, worked out here independently of the lexer: doubled quotes stay inside a string
     * either way, a backslash takes the next character with it only when read as an escape.
     */
    @Property(tries = 3000)
    void aTextIsAnalysedExactlyWhenBothReadingsPlaceTheStringsAlike(
            @ForAll @StringLength(max = 12) @Chars({'a', '\\', '\'', ' ', ';', '-', 'x'}) String inside) {
        String sql = "DELETE FROM orders WHERE note = '" + inside + "' AND id = 1";
        for (Dialect dialect : new Dialect[] {Dialect.POSTGRESQL, Dialect.MARIADB}) {
            java.util.List<Integer> plain = strings(sql, dialect, false);
            java.util.List<Integer> escaped = strings(sql, dialect, true);
            // the reading a session has by default: PostgreSQL's standard_conforming_strings, MariaDB's escapes
            java.util.List<Integer> usual = dialect == Dialect.POSTGRESQL ? plain : escaped;
            if (usual.contains(-1)) {
                // a string the usual reading never ends: the text is unreadable, whatever the other reading makes of it
                assertThat(analyzer.analyze(sql, dialect).parsed()).as("%s: %s", dialect, sql).isFalse();
                continue;
            }
            boolean alike = plain.equals(escaped);
            assertThat(refused(sql, dialect)).as("%s: %s", dialect, sql).isEqualTo(!alike);
        }
    }

    /**
     * Where each string of {@code sql} starts and ends (the index after its closing quote; -1 for one the text ends in),
     * and where a line comment starts, reading backslashes in strings as escapes or not.
     */
    private static java.util.List<Integer> strings(String sql, Dialect dialect, boolean escapes) {
        java.util.List<Integer> places = new java.util.ArrayList<>();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-'
                    && (dialect == Dialect.POSTGRESQL || i + 2 >= sql.length() || sql.charAt(i + 2) <= ' ')) {
                places.add(-2 - i); // a comment to the end of the line: the rest of this text
                return places;
            }
            if (c != '\'') {
                i++;
                continue;
            }
            places.add(i);
            i++;
            int end = -1;
            while (i < sql.length()) {
                char d = sql.charAt(i);
                if (escapes && d == '\\') {
                    i += 2;
                } else if (d == '\'') {
                    if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
                        i += 2;
                    } else {
                        end = ++i;
                        break;
                    }
                } else {
                    i++;
                }
            }
            places.add(end);
            if (end < 0) {
                return places;
            }
        }
        return places;
    }
}
