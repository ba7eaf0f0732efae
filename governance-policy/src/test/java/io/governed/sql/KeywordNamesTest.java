package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which words {@link KeywordNames} quotes: only parser keywords standing where the databases admit a name alone, in
 * the case the dialect folds them to; never a word that may mean something of the database's own there (an operator,
 * a session value, a pseudo-column, an element or action of a table's definition), so that no text gets a reading that
 * names other relations, columns or routines than the database's.
 */
class KeywordNamesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "POSTGRESQL | INSERT INTO t (settings) VALUES (0)                | INSERT INTO t (\"settings\") VALUES (0)",
            "H2         | INSERT INTO t (settings) VALUES (0)                | INSERT INTO t (\"SETTINGS\") VALUES (0)",
            "MARIADB    | INSERT INTO t (settings) VALUES (0)                | INSERT INTO t (`settings`) VALUES (0)",
            "POSTGRESQL | UPDATE t SET settings = 0, a = settings WHERE id = 0 | UPDATE t SET \"settings\" = 0, a = \"settings\" WHERE id = 0",
            "POSTGRESQL | CREATE TABLE t (settings jsonb, like int)          | CREATE TABLE t (\"settings\" jsonb, like int)",
            "POSTGRESQL | ALTER TABLE t RENAME COLUMN settings TO data        | ALTER TABLE t RENAME COLUMN \"settings\" TO \"data\"",
            "MARIADB    | ALTER TABLE t CHANGE settings data text           | ALTER TABLE t CHANGE `settings` `data` text",
            "POSTGRESQL | COMMENT ON COLUMN t.settings IS ''                | COMMENT ON COLUMN t.\"settings\" IS ''",
            "H2         | UPDATE t SET delete = 0, settings = 1 WHERE id = 1 | UPDATE t SET \"DELETE\" = 0, \"SETTINGS\" = 1 WHERE id = 1",
            "MARIADB    | INSERT INTO t SET a = DEFAULT, settings = 1          | INSERT INTO t SET a = DEFAULT, `settings` = 1",
            // an operand alone in an expression, a relation after FROM, JOIN or INSERT INTO
            "POSTGRESQL | INSERT INTO t (a) SELECT settings FROM u             | INSERT INTO t (a) SELECT \"settings\" FROM u",
            "POSTGRESQL | INSERT INTO t (a) VALUES (settings)                  | INSERT INTO t (a) VALUES (\"settings\")",
            "POSTGRESQL | UPDATE t SET a = 0 WHERE settings = 0                | UPDATE t SET a = 0 WHERE \"settings\" = 0",
            "POSTGRESQL | SELECT id, settings FROM settings WHERE settings IS NULL ORDER BY settings DESC | SELECT id, \"settings\" FROM \"settings\" WHERE \"settings\" IS NULL ORDER BY \"settings\" DESC",
            "H2         | SELECT a FROM t JOIN settings ON a = settings        | SELECT a FROM t JOIN \"SETTINGS\" ON a = \"SETTINGS\"",
            "MARIADB    | INSERT INTO settings (a) VALUES (1) ON DUPLICATE KEY UPDATE a = VALUES(settings) | INSERT INTO `settings` (a) VALUES (1) ON DUPLICATE KEY UPDATE a = VALUES(`settings`)",
            "POSTGRESQL | DELETE FROM settings WHERE count(settings) > 0       | DELETE FROM \"settings\" WHERE count(\"settings\") > 0",
            "POSTGRESQL | UPDATE t SET a = CASE WHEN b THEN 0 END, settings = 0 | UPDATE t SET a = CASE WHEN b THEN 0 END, \"settings\" = 0",
            "POSTGRESQL | SELECT f(settings) FROM t                            | SELECT f(\"settings\") FROM t",
            "POSTGRESQL | SELECT CASE WHEN settings THEN settings ELSE settings END FROM t | SELECT CASE WHEN \"settings\" THEN \"settings\" ELSE \"settings\" END FROM t",
    })
    void aKeywordWhereOnlyANameStandsIsQuotedInTheFoldedCase(Dialect dialect, String text, String expected) {
        assertThat(KeywordNames.requoted(text, dialect)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            // a value, an operator or a clause where an expression stands
            "POSTGRESQL | UPDATE t SET a = 0 WHERE id = 0 RETURNING current_user",
            "POSTGRESQL | UPDATE t SET a = 0 WHERE id = 0 RETURNING settings + 0",
            "H2         | UPDATE t SET a = 0 WHERE id = 0 RETURNING _rowid_",
            "H2         | INSERT INTO t (_rowid_) VALUES (0)",
            "MARIADB    | UPDATE t SET a = 0 WHERE id = (SELECT 0), between = 0",
            // a call, a typed literal, a qualified name's first part, an alias, a field of EXTRACT, a word of the
            // database's own, a clause after FROM that names no relation
            "POSTGRESQL | SELECT settings(a) FROM t",
            "POSTGRESQL | SELECT date '2020-01-01' FROM t",
            "POSTGRESQL | SELECT settings.a FROM t AS settings",
            "POSTGRESQL | SELECT a settings FROM t",
            "POSTGRESQL | SELECT extract(year FROM d) FROM t",
            "POSTGRESQL | SELECT current_date, current_user, user FROM t WHERE a = value",
            "POSTGRESQL | SELECT a FROM t WHERE b IS NULL AND c = true",
            "POSTGRESQL | SELECT a FROM ONLY t",
            "POSTGRESQL | SELECT a FROM LATERAL f()",
            "MARIADB    | SELECT 1 FROM dual",
            "H2         | SELECT _rowid_, rownum FROM t",
            // another element or action of a table's definition
            "POSTGRESQL | CREATE TABLE t (like other including all)",
            "POSTGRESQL | CREATE TABLE t (exclude using gist (a with =))",
            "MARIADB    | ALTER TABLE t ADD system versioning",
            "MARIADB    | ALTER TABLE t ADD period for p (a, b)",
            "MARIADB    | ALTER TABLE t DROP partition",
            "POSTGRESQL | ALTER TABLE t ALTER COLUMN a DROP expression",
            // a routine's parameters, a function's arguments
            "MARIADB    | CREATE PROCEDURE IF NOT EXISTS p (out settings int) SELECT 0",
            "POSTGRESQL | CREATE INDEX i ON t (lower(settings))",
            "POSTGRESQL | INSERT INTO t (a) SELECT pg_catalog.left(a, 0) FROM u",
            // a dialect this reading is not proven for
            "SQLSERVER  | INSERT INTO t (settings) VALUES (0)",
    })
    void aWordThatMayMeanSomethingElseThereStaysBare(Dialect dialect, String text) {
        String requoted = KeywordNames.requoted(text, dialect);
        assertThat(requoted == null ? text : requoted).as(text).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "POSTGRESQL | INSERT INTO t (settings) SELECT ssn FROM secret | secret | ssn",
            "MARIADB    | INSERT INTO t SET settings = (SELECT ssn FROM secret LIMIT 1) | secret | ssn",
            "H2         | INSERT INTO t (settings) SELECT ssn FROM secret | SECRET | SSN",
            "POSTGRESQL | SELECT settings, ssn FROM secret WHERE settings = 0 | secret | ssn",
            "MARIADB    | SELECT ssn FROM secret JOIN settings ON settings = ssn | secret | ssn",
    })
    void whatAQuotedStatementReadsIsStillRead(Dialect dialect, String sql, String table, String column) {
        SqlAnalysis analysis = new SqlAnalyzer(0).analyze(sql, dialect);
        assertThat(analysis.parsed()).as(analysis.parseError()).isTrue();
        StatementAnalysis s = analysis.statements().get(0);
        assertThat(s.tablesRead()).extracting(TableRef::name).contains(table);
        assertThat(s.columns()).extracting(ColumnRef::column).contains(column, KeywordNames.folded("settings", dialect));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"POSTGRESQL | secret | settings", "MARIADB | secret | settings",
            "H2 | SECRET | SETTINGS"})
    void aKeywordReadCarriesTheLineageOfItsColumn(Dialect dialect, String table, String column) {
        SqlAnalysis analysis = new SqlAnalyzer(0).analyze("SELECT id, settings, upper(settings) FROM secret"
                + " WHERE settings IS NOT NULL", dialect);
        assertThat(analysis.parsed()).as(analysis.parseError()).isTrue();
        StatementAnalysis s = analysis.statements().get(0);
        assertThat(s.resultColumns()).hasSize(3);
        for (int i = 1; i < 3; i++) {
            assertThat(s.resultColumns().get(i).sources()).as("result column %d", i + 1)
                    .containsExactly(new SourceColumn(new TableRef(null, table), column));
        }
        assertThat(s.resultColumns().get(1).transformed()).isFalse();
        assertThat(s.resultColumns().get(2).transformed()).isTrue();
    }
}
