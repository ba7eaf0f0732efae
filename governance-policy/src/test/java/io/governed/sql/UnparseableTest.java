package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Text that cannot be read gives an unparseable analysis with a message, never an exception. */
class UnparseableTest {

    private static SqlAnalysis pg(String sql) {
        return new SqlAnalyzer().analyze(sql, Dialect.POSTGRESQL);
    }

    @Test
    void garbageIsUnparseableWithWhereParsingStopped() {
        SqlAnalysis a = pg("SELECT a\n  FROM t\n  WHERE x = 1 GROUP ORDER x");
        assertThat(a.parsed()).isFalse();
        assertThat(a.statements()).isEmpty();
        assertThat(a.actions()).containsExactly(Action.UNKNOWN);
        assertThat(a.parseError()).contains("line 3, column").contains("PostgreSQL");
    }

    @Test
    void theMessageNeverQuotesALiteral() {
        SqlAnalysis a = pg("SELECT 'secret-value' 'other-secret' FROM WHERE");
        assertThat(a.parsed()).isFalse();
        assertThat(a.parseError()).doesNotContain("secret");
        assertThat(a.fingerprint()).doesNotContain("secret");
    }

    @Test
    void unicodeSpacesOutsideStringsAreRefusedOnPostgresAndMariaDb() {
        // PostgreSQL and MariaDB read U+2003 as part of a name: the WHERE would become part of the alias there
        String glued = "DELETE FROM payments AS x\u2003WHERE\u2003amount\u2003IS\u2003NULL";
        for (Dialect dialect : new Dialect[] {Dialect.POSTGRESQL, Dialect.MARIADB}) {
            for (String sql : new String[] {glued, "SELECT 1\u00A0AS x", "SELECT 1 AS x\u3000, 2", "SELECT 1\u2028"}) {
                SqlAnalysis a = new SqlAnalyzer().analyze(sql, dialect);
                assertThat(a.parsed()).as(dialect + " " + sql).isFalse();
                assertThat(a.parseError()).as(sql).startsWith(SqlAnalyzer.READ_OTHERWISE).contains("A Unicode space character (U+");
            }
            // inside strings, quoted names and comments they are characters like any other
            assertThat(new SqlAnalyzer().analyze("SELECT '\u2003' AS x /* \u2003 */", dialect).parsed()).isTrue();
        }
        // H2 reads them as spaces, as the analysis does
        assertThat(new SqlAnalyzer().analyze(glued, Dialect.H2).statements().get(0).where()).isEqualTo(WhereKind.PRESENT);
    }

    @Test
    void h2ReadsADollarBeforeATagAsAParameterNotAsAString() {
        // H2 has $$…$$ strings only: $a$ is a parameter and an alias there, and the code between two of them runs
        for (String sql : new String[] {"SELECT $a$, ssn FROM customers --$a$",
                "DELETE FROM payments WHERE id IN (SELECT $a$ UNION SELECT id FROM payments) --$a$)", "SELECT $ab FROM t"}) {
            SqlAnalysis a = new SqlAnalyzer().analyze(sql, Dialect.H2);
            assertThat(a.parsed()).as(sql).isFalse();
            assertThat(a.parseError()).as(sql).startsWith(SqlAnalyzer.READ_OTHERWISE).contains("A '$' that starts no $$…$$ string or $n parameter");
        }
        assertThat(new SqlAnalyzer().analyze("SELECT $$a$$, x$y, $1 FROM t", Dialect.H2).parsed()).isTrue();
        assertThat(new SqlAnalyzer().analyze("SELECT $a$x$a$ FROM t", Dialect.POSTGRESQL).parsed()).isTrue();
    }

    @Test
    void unterminatedStringsQuotesAndCommentsAreUnparseable() {
        assertThat(pg("SELECT 'abc").parseError()).startsWith("Unterminated string literal at line 1, column 8");
        assertThat(pg("SELECT \"abc").parseError()).startsWith("Unterminated quoted identifier");
        assertThat(pg("SELECT 1 /* open").parseError()).startsWith("Unterminated block comment");
        assertThat(pg("SELECT $$ open").parseError()).startsWith("Unterminated dollar-quoted string");
        assertThat(new SqlAnalyzer().analyze("SELECT 'a\\'", Dialect.MARIADB).parsed()).isFalse();
    }

    @Test
    void unicodeEscapedIdentifiersAreRefusedRatherThanGuessed() {
        // U&"d\0061ta" names the table "data": reading it as anything else would let it slip past a policy.
        SqlAnalysis a = pg("SELECT * FROM U&\"d\\0061ta\"");
        assertThat(a.parsed()).isFalse();
        assertThat(a.parseError()).startsWith("Unicode-escaped identifier");
        assertThat(pg("SELECT U&'d\\0061ta' FROM t").parsed()).isTrue();
    }

    @Test
    void mariadbDoubleQuotesAreRefusedAsSessionDependent() {
        // a string under the default sql_mode, a name under ANSI_QUOTES: SELECT "ssn" would read the column there
        for (String sql : new String[] {"SELECT \"ssn\" FROM customers", "SELECT * FROM users WHERE name = \"bob\"",
                "SELECT \"a||b\" FROM t", "SELECT 1 /*! , \"x\" */"}) {
            SqlAnalysis a = new SqlAnalyzer().analyze(sql, Dialect.MARIADB);
            assertThat(a.parsed()).as(sql).isFalse();
            assertThat(a.parseError()).as(sql).startsWith(SqlAnalyzer.SESSION_DEPENDENT).contains("ANSI_QUOTES", "backticks");
        }
        for (String sql : new String[] {"SELECT 'say \"hi\"' FROM t", "SELECT `a\"b` FROM t", "SELECT 1 -- \"x\"",
                "SELECT 1 /* \"x\" */"}) {
            assertThat(new SqlAnalyzer().analyze(sql, Dialect.MARIADB).parsed()).as(sql).isTrue();
        }
        assertThat(pg("SELECT \"ssn\" FROM customers").parsed()).as("a name on PostgreSQL, always").isTrue();
    }

    @Test
    void mariadbVersionedExecutableCommentsAreRefusedUnlessEveryServerRunsThem() {
        // a server skips the content of a comment above its version: DELETE FROM t /*!99999 WHERE id = 1 */ deletes all
        for (String sql : new String[] {"DELETE FROM t /*!99999 WHERE id = 1 */", "DELETE FROM t /*!50700 WHERE id = 1 */",
                "UPDATE t SET a = 0 /*M!999999 WHERE id = 1 */", "DELETE FROM t /*M! WHERE id = 1 */",
                "DELETE FROM t /*M!100000 WHERE id = 1 */", "DELETE FROM t /*!123456 WHERE id = 1 */",
                "DELETE FROM t /*!1234 WHERE id = 1 */"}) {
            SqlAnalysis a = new SqlAnalyzer().analyze(sql, Dialect.MARIADB);
            assertThat(a.parsed()).as(sql).isFalse();
            assertThat(a.parseError()).as(sql).startsWith("Versioned executable comment").contains("plain SQL")
                    .doesNotContain("WHERE id");
        }
        for (String sql : new String[] {"DELETE FROM t /*! WHERE id = 1 */", "DELETE FROM t /*!40101 WHERE id = 1 */",
                "LOCK TABLES `customers` READ /*!32311 LOCAL */"}) {
            assertThat(new SqlAnalyzer().analyze(sql, Dialect.MARIADB).parsed()).as(sql).isTrue();
        }
    }

    @Test
    void mariadbMarkersConnectorJReadsOtherwiseThanTheServerAreRefused() {
        assertThat(ConnectorJPlaceholders.available()).as("Connector/J's own parser, on the test class path").isTrue();
        // Connector/J skips /*! … */ as a comment and writes a value at the ? there, which the server reads inside a string:
        // the value's quotes end that string and the value runs as SQL
        for (String sql : new String[] {"SELECT id /*! , '*/ , ? , ' */ FROM t", "DELETE FROM t WHERE id = 1 /*! + '*/ + ? + ' */",
                "SELECT 1 /*! + ? */", "SELECT 1 /*!40101 , `*/ , ? , ` */", "SELECT 1 /*! # */ , ? \n */",
                // the driver escapes a value for the sql_mode in force before the SET runs
                "SET SESSION sql_mode = ''; DELETE FROM t WHERE a = ?", "SELECT 1; SELECT ?"}) {
            SqlAnalysis a = new SqlAnalyzer().analyze(sql, Dialect.MARIADB);
            assertThat(a.parsed()).as(sql).isFalse();
            assertThat(a.parseError()).as(sql).startsWith(SqlAnalyzer.READ_OTHERWISE).contains("Connector/J");
        }
        // markers both read alike: in code, not in strings, quoted names or comments (a -- without a space is arithmetic)
        for (String sql : new String[] {"SELECT id--?, '?', `?x` /* ? ' */ FROM t WHERE id = ? # it's ?\n -- what's ?\n",
                "SELECT ssn /*! , 'a' */ FROM t WHERE id = ?", "SELECT 'it''s ?' FROM t WHERE a = ? AND b = ?",
                "SELECT 'a\\' ?' FROM t", "SELECT {fn ucase(?)} FROM t", "SELECT ?; SELECT 1", "SELECT 1; SELECT '?'"}) {
            assertThat(new SqlAnalyzer().analyze(sql, Dialect.MARIADB).parsed()).as(sql).isTrue();
        }
    }

    @Test
    void aTableStatementInFromIsRefusedRatherThanReadAsATableNamedTable() {
        // the parser reads (TABLE customers) as the table TABLE aliased customers: the rules would be asked about TABLE
        for (Dialect dialect : new Dialect[] {Dialect.H2, Dialect.POSTGRESQL, Dialect.MARIADB}) {
            for (String sql : new String[] {"SELECT * FROM (TABLE customers) x", "SELECT * FROM (TABLE customers)",
                    "SELECT o.id FROM orders o JOIN (table customers) c ON c.id = o.id",
                    "SELECT * FROM (TABLE customers) AS x(a, b)"}) {
                SqlAnalysis a = new SqlAnalyzer().analyze(sql, dialect);
                assertThat(a.parsed()).as(dialect + " " + sql).isFalse();
                assertThat(a.parseError()).as(sql).startsWith(SqlAnalyzer.READ_OTHERWISE).contains("(SELECT * FROM name)");
            }
            assertThat(new SqlAnalyzer().analyze("TABLE customers", dialect).statements().get(0).tablesRead())
                    .extracting(TableRef::name).map(String::toLowerCase).containsExactly("customers");
        }
        assertThat(pg("SELECT * FROM \"TABLE\" t").parsed()).as("a table really named TABLE, quoted").isTrue();
    }

    @Test
    void mariadbDoubleBarIsRefusedAsSessionDependent() {
        // OR under the default sql_mode, concatenation under PIPES_AS_CONCAT or ANSI: neither reading is assumed.
        for (String sql : new String[] {"DELETE FROM t WHERE id = 1 || 1", "UPDATE t SET a = 0 WHERE id = ? || true",
                "SELECT a || b FROM t", "SELECT 1 /*! || 1 */", "DELETE FROM t WHERE id = 1||1"}) {
            SqlAnalysis a = new SqlAnalyzer().analyze(sql, Dialect.MARIADB);
            assertThat(a.parsed()).as(sql).isFalse();
            assertThat(a.parseError()).as(sql).startsWith(SqlAnalyzer.SESSION_DEPENDENT)
                    .contains("PIPES_AS_CONCAT", "Write OR", "CONCAT(");
        }
        // In a string, a comment or a quoted name it is no operator; && and ! read the same in every sql_mode.
        for (String sql : new String[] {"SELECT 'a||b' FROM t", "SELECT 1 -- ||",
                "SELECT 1 /* || */", "SELECT `a||b` FROM t", "DELETE FROM t WHERE id = 1 && a = 2",
                "SELECT CONCAT(a, b) FROM t"}) {
            assertThat(new SqlAnalyzer().analyze(sql, Dialect.MARIADB).parsed()).as(sql).isTrue();
        }
        // PostgreSQL and H2 read || as concatenation only.
        assertThat(pg("SELECT a || b FROM t").parsed()).isTrue();
        assertThat(new SqlAnalyzer().analyze("SELECT a || b FROM t", Dialect.H2).parsed()).isTrue();
    }

    @Test
    void onlySemicolonsAreUnparseable() {
        assertThat(pg(";;").parseError()).contains("No SQL statement");
    }

    @Test
    void anUnterminatedStringDoesNotShareTheCompleteStatementsAnalysis() {
        SqlAnalyzer analyzer = new SqlAnalyzer();
        assertThat(analyzer.analyze("SELECT 'abc'", Dialect.POSTGRESQL).parsed()).isTrue();
        assertThat(analyzer.analyze("SELECT 'abc", Dialect.POSTGRESQL).parsed()).isFalse();
    }

    @Test
    void emptyAndCommentOnlyTextsAreUnparseable() {
        assertThat(pg("").parseError()).contains("empty or holds only comments");
        assertThat(pg("   ").parsed()).isFalse();
        assertThat(pg("-- just a comment").parsed()).isFalse();
        assertThat(pg("/* only */").fingerprint()).isEmpty();
    }

    @Test
    void nullTextIsUnparseable() {
        assertThat(pg(null).parseError()).contains("null");
    }

    @Test
    void textOverTheSizeLimitIsRefusedWithoutParsing() {
        SqlAnalyzer analyzer = new SqlAnalyzer(10, 100);
        SqlAnalysis a = analyzer.analyze("SELECT " + "1, ".repeat(100) + "1", Dialect.POSTGRESQL);
        assertThat(a.parsed()).isFalse();
        assertThat(a.parseError()).contains("over the analyser's limit of 100").contains("split");
    }

    @Test
    void deeplyNestedTextIsRefusedBeforeParsing() {
        String deep = "SELECT " + "(".repeat(3000) + "1" + ")".repeat(3000);
        SqlAnalysis a = pg(deep);
        assertThat(a.parsed()).isFalse();
        assertThat(a.parseError()).contains("3000 levels deep");
        assertThat(pg("SELECT " + "(".repeat(20) + "1" + ")".repeat(20)).parsed()).isTrue();
    }

    @Test
    void aDialectsForeignSyntaxIsUnparseableThere() {
        assertThat(pg("SELECT TOP 5 [a] FROM [t]").parsed()).isFalse();
        assertThat(new SqlAnalyzer().analyze("SELECT TOP 5 [a] FROM [t]", Dialect.SQLSERVER).parsed()).isTrue();
    }
}
