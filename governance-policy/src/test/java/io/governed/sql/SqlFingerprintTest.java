package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SqlFingerprintTest {

    private static String pg(String sql) {
        return SqlFingerprint.of(sql, Dialect.POSTGRESQL);
    }

    private static String maria(String sql) {
        return SqlFingerprint.of(sql, Dialect.MARIADB);
    }

    @Test
    void replacesEveryKindOfLiteralWithAPlaceholder() {
        assertThat(pg("SELECT * FROM t WHERE a = 42 AND b = 'x' AND c = 1.5 AND d = .5 AND e = 1e5 AND f = 0x1F"))
                .isEqualTo("select * from t where a = ? and b = ? and c = ? and d = ? and e = ? and f = ?");
        assertThat(pg("SELECT N'x', X'1F', B'101', E'a\\'b', U&'d\\0061t'"))
                .isEqualTo("select ?, ?, ?, ?, ?");
    }

    @Test
    void keepsParametersAsTheyAre() {
        assertThat(pg("SELECT * FROM t WHERE a = ? AND b = $1 AND c = :name"))
                .isEqualTo("select * from t where a = ? and b = $1 and c = :name");
    }

    @ParameterizedTest(name = "[{index}] {0} ~ {1}")
    @CsvSource(delimiter = '|', value = {
        "SELECT * FROM t WHERE id = 1            | select * from T where ID = 99999",
        "SELECT * FROM t WHERE name = 'alice'    | SELECT * FROM t WHERE name = 'bob''s'",
        "SELECT a,b FROM t                       | SELECT   a ,  b   FROM t",
        "SELECT a FROM t -- trailing comment     | SELECT /* c */ a FROM t",
        "DrOp/**/TABLE x                         | drop table x",
        "SELECT f(a) FROM t                      | SELECT f ( a ) FROM t",
        "SELECT $$body; with ; semicolons$$      | SELECT 'other'",
        "SELECT $tag$ a $$ b $tag$               | SELECT 1",
        "SELECT x::int FROM t                    | SELECT x :: int FROM t",
    })
    void textsDifferingOnlyInLiteralsCommentsWhitespaceOrCaseShareAFingerprint(String a, String b) {
        assertThat(pg(a)).isEqualTo(pg(b));
    }

    @ParameterizedTest(name = "[{index}] {0} !~ {1}")
    @CsvSource(delimiter = '|', value = {
        "SELECT * FROM t WHERE id = 1            | SELECT * FROM u WHERE id = 1",
        "SELECT * FROM \"T\"                     | SELECT * FROM t",
        "SELECT * FROM \"Users\"                 | SELECT * FROM \"users\"",
        "DELETE FROM t WHERE a = 1               | DELETE FROM t WHERE a = 1 OR 1 = 1",
        "SELECT a FROM t                         | SELECT b FROM t",
        "SELECT * FROM t WHERE a = ?             | SELECT * FROM t WHERE a = $1",
        "SELECT * FROM t WHERE a IN (1)          | SELECT * FROM t WHERE a IN (1, 2)",
        "SELECT 1                                | SELECT 1; DROP TABLE t",
        "SELECT a - -1 FROM t                    | SELECT a - 1 FROM t",
        "SELECT a FROM t                         | SELECT a FROM t FOR UPDATE",
    })
    void textsDifferingInAnythingElseDoNot(String a, String b) {
        assertThat(pg(a)).isNotEqualTo(pg(b));
    }

    @Test
    void newlinesTabsAndRunsOfSpacesAreOneSeparator() {
        assertThat(pg("SELECT\n\ta ,\r\n  b\nFROM   t")).isEqualTo(pg("select a, b from t"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "it''s", "-- not a comment", "/* not a comment", "; DROP TABLE t", "$$", "$x$", "\\", "\"", "`", "]",
        "{call p()}", "?", "#", "*/", "\n; DROP TABLE t",
    })
    void nothingInsideAStringLeaksIntoTheFingerprint(String content) {
        String sql = "SELECT '" + content + "' FROM t WHERE a = 1";
        assertThat(pg(sql)).isEqualTo("select ? from t where a = ?");
        assertThat(SqlFingerprint.of(sql, Dialect.SQLSERVER)).isEqualTo("select ? from t where a = ?");
    }

    @Test
    void postgresqlBlockCommentsNest() {
        assertThat(pg("SELECT /* outer /* inner */ still comment */ a FROM t")).isEqualTo("select a from t");
    }

    @Test
    void otherDialectsEndABlockCommentAtTheFirstClose() {
        assertThat(maria("SELECT /* a /* b */ c FROM t")).isEqualTo("select c from t");
    }

    @Test
    void aLineCommentRunsToTheEndOfTheLineOnly() {
        assertThat(pg("-- comment\nDROP TABLE t")).isEqualTo("drop table t");
        assertThat(pg("SELECT 1 -- ; DROP TABLE t")).isEqualTo("select ?");
    }

    @Test
    void dollarQuotedBodiesAreOneLiteralWhateverTheyContain() {
        assertThat(pg("DO $body$ BEGIN DELETE FROM t; END $body$")).isEqualTo("do ?");
        assertThat(pg("SELECT $a$ $b$ ' \" -- /* $a$, 1")).isEqualTo("select ?, ?");
        assertThat(pg("SELECT $1, a$b FROM t")).isEqualTo("select $1, a$b from t");
    }

    @Test
    void postgresqlEscapeStringsHonourBackslashes() {
        assertThat(pg("SELECT E'it\\'s; DROP TABLE t' FROM x")).isEqualTo("select ? from x");
        // In a standard string a backslash is an ordinary character: the quote after it ends the string.
        assertThat(pg("SELECT 'a\\' , b FROM x")).isEqualTo("select ?, b from x");
    }

    @Test
    void mariadbStringsHonourBackslashesAndDoubleQuotesAreStrings() {
        assertThat(maria("SELECT 'it\\'s; DROP TABLE t', \"x\" FROM `My Table`"))
                .isEqualTo("select ?, ? from `My Table`");
    }

    @Test
    void mariadbHashCommentsAreDroppedButElsewhereHashIsAnOperator() {
        assertThat(maria("SELECT a FROM t # comment ; DROP TABLE t")).isEqualTo("select a from t");
        assertThat(pg("SELECT a #> '{x}' FROM t")).isEqualTo("select a #> ? from t");
    }

    @Test
    void inMariadbADoubleDashStartsACommentOnlyBeforeWhitespace() {
        assertThat(maria("SELECT 1--1; DROP TABLE t")).isEqualTo("select ? - - ?; drop table t");
        assertThat(maria("SELECT 1 -- 1; DROP TABLE t")).isEqualTo("select ?");
        assertThat(maria("SELECT 1 --\n, 2")).isEqualTo("select ?, ?");
        assertThat(pg("SELECT 1--1; DROP TABLE t")).isEqualTo("select ?");
    }

    @Test
    void mariadbBinaryAndHexNumbersAreLiterals() {
        assertThat(maria("SELECT 0b101, 0x1F, b'101', x'1F'")).isEqualTo("select ?, ?, ?, ?");
    }

    @Test
    void mariadbExecutableCommentsAreCodeNotComments() {
        assertThat(maria("SELECT 1 /*!50000 ; DROP TABLE t */")).isEqualTo("select ?; drop table t");
        assertThat(maria("SELECT 1 /*M! ; DROP TABLE t */")).isEqualTo("select ?; drop table t");
    }

    @Test
    void quotedIdentifiersAreKeptExactly() {
        assertThat(pg("SELECT \"Mixed Case\".\"Col\" FROM \"Mixed Case\"")).isEqualTo("select \"Mixed Case\".\"Col\" from \"Mixed Case\"");
        assertThat(SqlFingerprint.of("SELECT [Order Id] FROM [dbo].[Orders]", Dialect.SQLSERVER))
                .isEqualTo("select [Order Id] from [dbo].[Orders]");
    }

    @Test
    void oracleNumberedBindVariablesAreParameters() {
        assertThat(SqlFingerprint.of("SELECT * FROM emp WHERE id = :1 AND name = :name", Dialect.ORACLE))
                .isEqualTo("select * from emp where id = :1 and name = :name");
    }

    @Test
    void oracleAlternativeQuotingIsALiteral() {
        assertThat(SqlFingerprint.of("SELECT q'[it's]' FROM dual", Dialect.ORACLE)).isEqualTo("select ? from dual");
    }

    @Test
    void unterminatedTextIsFingerprintedAsFarAsItGoes() {
        assertThat(pg("SELECT 'abc")).isEqualTo("select ?");
        assertThat(pg("SELECT \"abc")).isEqualTo("select \"abc\"");
        assertThat(pg("SELECT a /* never closed")).isEqualTo("select a");
        assertThat(pg("SELECT $$ never closed")).isEqualTo("select ?");
    }

    @Test
    void emptyAndCommentOnlyTextsHaveAnEmptyFingerprint() {
        assertThat(pg("")).isEmpty();
        assertThat(pg("  -- nothing\n /* here */ ")).isEmpty();
    }

    @Test
    void jdbcEscapesStayInTheFingerprint() {
        assertThat(pg("{call p(?, 'x')}")).isEqualTo("{ call p(?, ?) }");
        assertThat(pg("{call p(?)}")).isNotEqualTo(pg("call p(?)"));
    }

    @Test
    void wordsFoldAsTheRootLocaleFoldsThemAsciiOrNot() {
        String sql = "SELECT Größe, ÉTAT, İndex, MixedCase FROM Lager WHERE Menge > 3";
        assertThat(SqlFingerprint.of(sql, Dialect.POSTGRESQL))
                .isEqualTo("select " + "Größe".toLowerCase(java.util.Locale.ROOT) + ", " + "ÉTAT".toLowerCase(java.util.Locale.ROOT)
                        + ", " + "İndex".toLowerCase(java.util.Locale.ROOT) + ", mixedcase from lager where menge > ?");
        assertThat(SqlFingerprint.of("select f(X).Y from T", Dialect.H2)).isEqualTo("select f(x).y from t");
    }
}
