package io.governed.sql;

import static io.governed.sql.Analyses.first;
import static io.governed.sql.Analyses.statements;
import static io.governed.sql.Analyses.table;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Syntax particular to each dialect. */
class DialectTest {

    @Test
    void postgresqlOperatorsCastsArraysAndReturning() {
        StatementAnalysis s = first("SELECT data->>'email' AS e, tags[1], payload #> '{a,b}', x::int "
                + "FROM events WHERE payload @> '{\"k\": 1}' AND tags ?| array['a'] AND name ILIKE 'x%'", Dialect.POSTGRESQL);
        assertThat(s.tablesRead()).containsExactly(table("events"));
        assertThat(s.resultColumns().get(0).label()).isEqualTo("e");
        assertThat(s.resultColumns().get(0).sources()).containsExactly(new SourceColumn(table("events"), "data"));
    }

    @Test
    void postgresqlFoldsUnquotedNamesToLowerCase() {
        assertThat(first("SELECT Email FROM App.Users", Dialect.POSTGRESQL).resultColumns().get(0).sources())
                .containsExactly(new SourceColumn(table("app", "users"), "email"));
    }

    @Test
    void h2FoldsUnquotedNamesToUpperCase() {
        StatementAnalysis s = first("SELECT email FROM users WHERE id = 1", Dialect.H2);
        assertThat(s.tablesRead()).containsExactly(table("USERS"));
        assertThat(s.columns()).contains(new ColumnRef(table("USERS"), "EMAIL", Clause.SELECT));
    }

    @Test
    void h2FoldsNamesInBackticksLikeUnquotedOnes() {
        // H2 reads `ssn` as SSN in every mode: a name in backticks is the table or column of that name unquoted
        StatementAnalysis s = first("SELECT `ssn`, c.`Name` FROM `public`.`customers` c", Dialect.H2);
        assertThat(s.tablesRead()).containsExactly(table("PUBLIC", "CUSTOMERS"));
        assertThat(s.resultColumns().get(0).sources()).containsExactly(new SourceColumn(table("PUBLIC", "CUSTOMERS"), "SSN"));
        assertThat(s.resultColumns().get(1).sources()).containsExactly(new SourceColumn(table("PUBLIC", "CUSTOMERS"), "NAME"));
        assertThat(first("UPDATE `secrets` SET `v` = 1", Dialect.H2).tablesWritten()).containsExactly(table("SECRETS"));
        assertThat(Dialect.H2.normalizeIdentifier("`a``b`")).isEqualTo("A`B");
        assertThat(Dialect.H2.normalizeIdentifier("\"ssn\"")).isEqualTo("ssn");
    }

    @Test
    void h2WithLowerCaseNamesFoldsUnquotedAndBacktickedNamesToLowerCaseAndKeepsQuotedOnes() {
        Dialect lower = Dialect.H2_LOWER_CASE;
        StatementAnalysis s = first("SELECT SSN, `Name`, \"SSN\" FROM PUBLIC.CUSTOMERS c JOIN `PUBLIC`.\"CUSTOMERS\" u ON c.id = u.id",
                lower);
        assertThat(s.tablesRead()).containsExactlyInAnyOrder(table("public", "customers"), table("public", "CUSTOMERS"));
        assertThat(first("UPDATE `SECRETS` SET v = 1", lower).tablesWritten()).containsExactly(table("secrets"));
        assertThat(lower.normalizeIdentifier("`A``B`")).isEqualTo("a`b");
        assertThat(lower.normalizeIdentifier("\"SSN\"")).isEqualTo("SSN");
        assertThat(lower.normalizeIdentifier("Ssn")).isEqualTo("ssn");
        assertThat(lower.sameName("ssn", "SSN")).as("quoted names in two cases are two names").isFalse();
        assertThat(lower.isH2()).isTrue();
        assertThat(lower.family()).isEqualTo(Dialect.H2);
        assertThat(Dialect.H2.withLowerCaseNames(true)).isEqualTo(lower);
        assertThat(lower.withLowerCaseNames(false)).isEqualTo(Dialect.H2);
        assertThat(Dialect.POSTGRESQL.withLowerCaseNames(true)).isEqualTo(Dialect.POSTGRESQL);
        assertThat(Dialect.fromJdbcUrl("jdbc:h2:mem:x;DATABASE_TO_LOWER=TRUE")).as("the database says, not the URL")
                .isEqualTo(Dialect.H2);
    }

    @Test
    void mariadbBackticksHashCommentsAndDeleteLimit() {
        StatementAnalysis s = first("DELETE FROM `app`.`Logs` # old rows\nWHERE created < NOW() LIMIT 100", Dialect.MARIADB);
        assertThat(s.tablesWritten()).containsExactly(table("app", "Logs"));
        assertThat(s.where()).isEqualTo(WhereKind.PRESENT);
    }

    @Test
    void mariadbDoubleQuotedTextIsNeitherAssumedAStringNorAName() {
        // a string by default, a name under ANSI_QUOTES: the analysis assumes neither (UnparseableTest)
        assertThat(new SqlAnalyzer().analyze("SELECT * FROM users WHERE name = \"bob\"", Dialect.MARIADB).parsed()).isFalse();
        StatementAnalysis s = first("SELECT * FROM users WHERE name = 'bob'", Dialect.MARIADB);
        assertThat(s.columns()).containsExactly(new ColumnRef(table("users"), "name", Clause.WHERE));
    }

    @Test
    void sqlServerBracketsAndTop() {
        StatementAnalysis s = first("SELECT TOP 10 [Email Address] FROM [dbo].[Users] WHERE [Id] = 5", Dialect.SQLSERVER);
        assertThat(s.tablesRead()).containsExactly(table("dbo", "Users"));
        assertThat(s.resultColumns().get(0).label()).isEqualTo("Email Address");
        assertThat(s.resultColumns().get(0).sources()).containsExactly(new SourceColumn(table("dbo", "Users"), "Email Address"));
    }

    @Test
    void oracleFoldsToUpperCaseAndReadsAlternativeQuotes() {
        StatementAnalysis s = first("SELECT ename, q'[it's; DROP TABLE x]' FROM scott.emp WHERE deptno = 10", Dialect.ORACLE);
        assertThat(s.tablesRead()).containsExactly(table("SCOTT", "EMP"));
        assertThat(s.resultColumns().get(0).sources()).containsExactly(new SourceColumn(table("SCOTT", "EMP"), "ENAME"));
    }

    @Test
    void oracleBindVariablesBoundADelete() {
        assertThat(first("DELETE FROM emp WHERE id = :1", Dialect.ORACLE).where()).isEqualTo(WhereKind.PRESENT);
        assertThat(first("DELETE FROM emp WHERE :a = :b", Dialect.ORACLE).where()).isEqualTo(WhereKind.ALWAYS_TRUE);
    }

    @Test
    void oracleMergeDeleteWhereIsANestedBoundedDelete() {
        List<StatementAnalysis> s = statements("MERGE INTO emp e USING bonus b ON (e.id = b.id) "
                + "WHEN MATCHED THEN UPDATE SET e.sal = b.sal DELETE WHERE (e.sal < 100)", Dialect.ORACLE);
        assertThat(s.stream().map(StatementAnalysis::action)).containsExactly(Action.MERGE, Action.UPDATE, Action.DELETE);
        assertThat(s.get(2).where()).isEqualTo(WhereKind.PRESENT);
    }

    @Test
    void genericReadsStandardSql() {
        StatementAnalysis s = first("SELECT a FROM t WHERE b = 1 FETCH FIRST 5 ROWS ONLY", Dialect.GENERIC);
        assertThat(s.tablesRead()).containsExactly(table("t"));
    }
}
