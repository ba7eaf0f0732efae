package io.governed.sql;

import static io.governed.sql.Analyses.statements;
import static io.governed.sql.Analyses.table;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Several statements in one text, and statements nested in others. */
class MultiStatementTest {

    private static List<Action> actions(List<StatementAnalysis> statements) {
        return statements.stream().map(StatementAnalysis::action).toList();
    }

    @Test
    void everyPiggyBackedStatementIsAnalysed() {
        SqlAnalysis analysis = Analyses.analyze("SELECT 1; DROP TABLE users", Dialect.POSTGRESQL);
        assertThat(analysis.multiStatement()).isTrue();
        assertThat(analysis.actions()).containsExactlyInAnyOrder(Action.SELECT, Action.DROP);
        assertThat(analysis.statements().get(1).tablesWritten()).containsExactly(table("users"));
    }

    @Test
    void aSemicolonInAStringOrCommentDoesNotSplit() {
        assertThat(statements("SELECT ';DROP TABLE t;' FROM u -- ; DROP TABLE v", Dialect.POSTGRESQL)).hasSize(1);
        assertThat(statements("SELECT 'it\\'s; DROP TABLE t' FROM u", Dialect.MARIADB)).hasSize(1);
        assertThat(statements("SELECT E'it\\'s; DROP TABLE t' FROM u", Dialect.POSTGRESQL)).hasSize(1);
    }

    @Test
    void quotedIdentifiersAndCommentsHideSemicolonsButStringsEndWhereTheyEnd() {
        assertThat(statements("SELECT \"a;b\" FROM t", Dialect.POSTGRESQL)).hasSize(1);
        assertThat(statements("SELECT a FROM t WHERE a = 1 /* ; DROP TABLE t */", Dialect.POSTGRESQL)).hasSize(1);
        assertThat(actions(statements("SELECT '--' ; DROP TABLE t", Dialect.POSTGRESQL)))
                .containsExactly(Action.SELECT, Action.DROP);
    }

    @Test
    void nestedCommentsAreReadAsEachDatabaseReadsThem() {
        // PostgreSQL: the whole tail is one nested comment. MariaDB: the comment ends at the first */.
        assertThat(actions(statements("SELECT 1 /* /* */ ; DROP TABLE t */", Dialect.POSTGRESQL)))
                .containsExactly(Action.SELECT);
        assertThat(Analyses.analyze("SELECT 1 /* /* */ ; DROP TABLE t */", Dialect.MARIADB).actions())
                .isNotEqualTo(java.util.Set.of(Action.SELECT));
    }

    @Test
    void h2NestsBlockCommentsAndEndsDoubleSlashCommentsAtTheLineEnd() {
        // H2 nests block comments as PostgreSQL does: the OR after the inner */ stays in the comment
        assertThat(actions(statements("SELECT 1 /* /* */ ; DROP TABLE t */", Dialect.H2))).containsExactly(Action.SELECT);
        assertThat(actions(statements("SELECT 1 /* /* */ -- */ ; DROP TABLE t", Dialect.H2)))
                .containsExactly(Action.SELECT, Action.DROP);
        // // is a line comment in H2, so //* starts no block comment there and the next line runs
        assertThat(actions(statements("SELECT 6 //* \n; DROP TABLE t -- */ 2", Dialect.H2)))
                .containsExactly(Action.SELECT, Action.DROP);
        assertThat(actions(statements("SELECT 6 //* \r; DROP TABLE t -- */ 2", Dialect.H2)))
                .containsExactly(Action.SELECT, Action.DROP);
    }

    @Test
    void aStandardStringEndsAtTheQuoteAfterABackslash() {
        // In PostgreSQL 'a\' is a complete string, so what follows is a second statement.
        assertThat(actions(statements("SELECT 'a\\'; DROP TABLE t; --'", Dialect.POSTGRESQL)))
                .containsExactly(Action.SELECT, Action.DROP);
    }

    @Test
    void dollarQuotedBodiesWithSemicolonsAreOneStatement() {
        List<StatementAnalysis> s = statements(
                "CREATE FUNCTION f() RETURNS int AS $$ DELETE FROM t; SELECT 1; $$ LANGUAGE sql", Dialect.POSTGRESQL);
        assertThat(actions(s)).containsExactly(Action.DEFINE_CODE);
    }

    @Test
    void aStatementTheParserCannotReadAmongOthersIsStillAnalysed() {
        assertThat(actions(statements("BEGIN; DELETE FROM t WHERE id = 1; COMMIT", Dialect.POSTGRESQL)))
                .containsExactly(Action.TRANSACTION, Action.DELETE, Action.TRANSACTION);
        assertThat(actions(statements("SELECT 1; DO $$ BEGIN DROP TABLE t; END $$", Dialect.POSTGRESQL)))
                .containsExactly(Action.SELECT, Action.DEFINE_CODE);
    }

    @Test
    void aMariadbDoubleDashWithoutSpaceIsNotACommentThatCouldHideAStatement() {
        assertThat(actions(statements("SELECT * FROM t WHERE id = 1--1; DROP TABLE t", Dialect.MARIADB)))
                .containsExactly(Action.SELECT, Action.DROP);
    }

    @Test
    void aMariadbLineCommentRunsPastACarriageReturn() {
        // MariaDB ends # and -- comments at a line feed only: the WHERE after a lone carriage return is comment there
        for (String sql : new String[] {"DELETE FROM t # x \r WHERE id = 1", "DELETE FROM t -- x \r WHERE id = 1",
                "DELETE FROM t --\rWHERE id = 1"}) {
            List<StatementAnalysis> s = statements(sql, Dialect.MARIADB);
            assertThat(actions(s)).as(sql).containsExactly(Action.DELETE);
            assertThat(s.get(0).where()).as(sql).isEqualTo(WhereKind.ABSENT);
        }
        assertThat(statements("DELETE FROM t # x \r\n WHERE id = 1", Dialect.MARIADB).get(0).where())
                .isEqualTo(WhereKind.PRESENT);
        // PostgreSQL and H2 end them at a carriage return as well
        assertThat(statements("DELETE FROM t -- x \r WHERE id = 1", Dialect.H2).get(0).where()).isEqualTo(WhereKind.PRESENT);
        assertThat(statements("DELETE FROM t -- x \r WHERE id = 1", Dialect.POSTGRESQL).get(0).where())
                .isEqualTo(WhereKind.PRESENT);
    }

    @Test
    void aProceduralBlockIsNotMistakenForATransactionStatement() {
        assertThat(Analyses.analyze("BEGIN NOT ATOMIC DELETE FROM t; END", Dialect.MARIADB).parsed()).isFalse();
        assertThat(Analyses.analyze("BEGIN DELETE FROM t; END;", Dialect.ORACLE).actions()).doesNotContain(Action.TRANSACTION);
        assertThat(actions(statements("BEGIN ISOLATION LEVEL SERIALIZABLE; END", Dialect.POSTGRESQL)))
                .containsExactly(Action.TRANSACTION, Action.TRANSACTION);
        assertThat(actions(statements("START TRANSACTION READ ONLY; RELEASE SAVEPOINT s1", Dialect.MARIADB)))
                .containsExactly(Action.TRANSACTION, Action.TRANSACTION);
    }

    @Test
    void aPreparedStatementsBodyIsNested() {
        List<StatementAnalysis> s = statements("PREPARE wipe (int) AS DELETE FROM t WHERE 1 = 1 OR id = $1", Dialect.POSTGRESQL);
        assertThat(actions(s)).containsExactly(Action.EXECUTE, Action.DELETE);
        assertThat(s.get(0).traits()).contains(Trait.DYNAMIC_SQL);
        assertThat(s.get(1).where()).isEqualTo(WhereKind.ALWAYS_TRUE);
    }

    @Test
    void mariadbExecutableCommentsAreAnalysed() {
        assertThat(actions(statements("SELECT 1 /*!50000 ; DROP TABLE t */", Dialect.MARIADB)))
                .containsExactly(Action.SELECT, Action.DROP);
    }

    @Test
    void anUnreadableStatementMakesTheWholeTextUnreadable() {
        SqlAnalysis analysis = Analyses.analyze("SELECT 1; FROBNICATE t; DROP TABLE u", Dialect.POSTGRESQL);
        assertThat(analysis.parsed()).isFalse();
        assertThat(analysis.actions()).containsExactly(Action.UNKNOWN);
        assertThat(analysis.parseError()).startsWith("Statement 2 could not be read");
    }

    @Test
    void aDataModifyingCteIsANestedStatementAfterItsParent() {
        List<StatementAnalysis> s = statements("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", Dialect.POSTGRESQL);
        assertThat(actions(s)).containsExactly(Action.SELECT, Action.DELETE);
        assertThat(s.get(0).has(Trait.NESTED)).isFalse();
        assertThat(s.get(0).tablesWritten()).containsExactly(table("t"));
        assertThat(s.get(1).has(Trait.NESTED)).isTrue();
        assertThat(s.get(1).where()).isEqualTo(WhereKind.ABSENT);
        SqlAnalysis analysis = Analyses.analyze("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", Dialect.POSTGRESQL);
        assertThat(analysis.multiStatement()).isFalse();
    }

    @Test
    void nestedUpdatesAndInsertsInCtesToo() {
        List<StatementAnalysis> s = statements("WITH u AS (UPDATE acct SET b = 0 WHERE 1 = 1 RETURNING id), "
                + "i AS (INSERT INTO log (id) SELECT id FROM u RETURNING id) SELECT count(*) FROM i", Dialect.POSTGRESQL);
        assertThat(actions(s)).containsExactly(Action.SELECT, Action.UPDATE, Action.INSERT);
        assertThat(s.get(1).where()).isEqualTo(WhereKind.ALWAYS_TRUE);
        assertThat(s.get(0).tablesWritten()).containsExactlyInAnyOrder(table("acct"), table("log"));
    }

    @Test
    void mergeBranchesAreNestedStatementsOnTheTarget() {
        List<StatementAnalysis> s = statements("MERGE INTO accounts a USING staged s ON a.id = s.id "
                + "WHEN MATCHED AND s.closed THEN DELETE "
                + "WHEN MATCHED THEN UPDATE SET balance = s.balance "
                + "WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (s.id, s.balance)", Dialect.POSTGRESQL);
        assertThat(actions(s)).containsExactly(Action.MERGE, Action.DELETE, Action.UPDATE);
        assertThat(s.get(0).tablesWritten()).containsExactly(table("accounts"));
        assertThat(s.get(0).tablesRead()).containsExactly(table("staged"));
        assertThat(s.get(0).traits()).contains(Trait.UPSERT);
        assertThat(s.get(1).tablesWritten()).containsExactly(table("accounts"));
        assertThat(s.get(1).where()).isEqualTo(WhereKind.PRESENT);
        assertThat(s.get(2).where().unbounded()).as("bounded through staged: not before the catalog shows it a table")
                .isTrue();
        assertThat(Analyses.amongTables("MERGE INTO accounts a USING staged s ON a.id = s.id "
                + "WHEN MATCHED AND s.closed THEN DELETE "
                + "WHEN MATCHED THEN UPDATE SET balance = s.balance "
                + "WHEN NOT MATCHED THEN INSERT (id, balance) VALUES (s.id, s.balance)", Dialect.POSTGRESQL).get(2).where())
                .as("an upsert updates the rows its ON condition matched").isEqualTo(WhereKind.PRESENT);
    }

    @Test
    void aMergeUpdateOnAConstantMatchIsUnbounded() {
        List<StatementAnalysis> s = statements("MERGE INTO t USING s ON 1 = 1 WHEN MATCHED THEN UPDATE SET a = s.a",
                Dialect.POSTGRESQL);
        assertThat(s.get(1).action()).isEqualTo(Action.UPDATE);
        assertThat(s.get(1).where().unbounded()).isTrue();
    }

    @Test
    void anUnconditionalMergeDeleteIsUnbounded() {
        List<StatementAnalysis> s = statements(
                "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE", Dialect.POSTGRESQL);
        assertThat(s.get(1).action()).isEqualTo(Action.DELETE);
        assertThat(s.get(1).where().unbounded()).isTrue();
        List<StatementAnalysis> constant = statements(
                "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED AND 1 = 1 THEN DELETE", Dialect.POSTGRESQL);
        assertThat(constant.get(1).where()).isEqualTo(WhereKind.ALWAYS_TRUE);
    }
}
