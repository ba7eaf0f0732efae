package io.governed.sql;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The forms of a transaction's end the parser cannot read, which PostgreSQL and MariaDB run: {@code COMMIT AND CHAIN},
 * {@code ROLLBACK AND NO CHAIN}, {@code COMMIT WORK}, MariaDB's {@code RELEASE}: each one statement of action
 * {@code transaction} naming nothing, as {@code COMMIT} is (two-phase commit's forms are action
 * {@code two-phase-commit}: see TwoPhaseCommitTest). What only looks like one stays another kind or unread.
 */
class TransactionControlFormsTest {
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private void transactionControl(String sql, Dialect dialect) {
        SqlAnalysis analysis = analyzer.analyze(sql, dialect);
        assertThat(analysis.parsed()).as("%s read on %s: %s", sql, dialect, analysis.parseError()).isTrue();
        assertThat(analysis.statements()).hasSize(1);
        StatementAnalysis statement = analysis.statements().get(0);
        assertThat(statement.action()).as(sql).isEqualTo(Action.TRANSACTION);
        assertThat(statement.tablesRead()).isEmpty();
        assertThat(statement.tablesWritten()).isEmpty();
        assertThat(statement.routines()).isEmpty();
        assertThat(statement.traits()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"COMMIT AND CHAIN", "ROLLBACK AND CHAIN", "COMMIT AND NO CHAIN", "ROLLBACK AND NO CHAIN",
            "COMMIT WORK", "ROLLBACK WORK", "COMMIT TRANSACTION", "ROLLBACK TRANSACTION AND CHAIN",
            "commit work and chain", "ROLLBACK WORK TO SAVEPOINT s1", "ROLLBACK TRANSACTION TO s1"})
    void postgresTransactionEndsAreTransactionControl(String sql) {
        transactionControl(sql, Dialect.POSTGRESQL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"COMMIT AND CHAIN", "ROLLBACK AND NO CHAIN", "COMMIT WORK", "COMMIT RELEASE",
            "ROLLBACK WORK AND NO CHAIN NO RELEASE", "COMMIT AND CHAIN NO RELEASE"})
    void mariaDbTransactionEndsAreTransactionControl(String sql) {
        transactionControl(sql, Dialect.MARIADB);
    }

    /** Not a transaction's end: a statement named {@code transaction} prepared by MariaDB, or words that follow none. */
    @ParameterizedTest
    @ValueSource(strings = {"PREPARE transaction FROM 'DELETE FROM t'", "COMMIT PREPARED 'x'", "COMMIT AND DROP",
            "COMMIT AND CHAIN t", "ROLLBACK PREPARED x", "ROLLBACK TO SAVEPOINT s1 s2"})
    void lookalikesOnMariaDbAreNotTransactionControl(String sql) {
        SqlAnalysis analysis = analyzer.analyze(sql, Dialect.MARIADB);
        assertThat(analysis.parsed() && analysis.statements().stream().allMatch(s -> s.action() == Action.TRANSACTION))
                .as(sql).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PREPARE TRANSACTION gs_tx", "PREPARE TRANSACTION 'a' 'b'", "COMMIT PREPARED",
            "COMMIT AND CHAIN CHAIN", "ROLLBACK AND CHAIN TO s", "PREPARE TRANSACTION AS DELETE FROM t",
            "COMMIT PREPARED 'x'; DROP TABLE t"})
    void lookalikesOnPostgresAreNotTransactionControl(String sql) {
        SqlAnalysis analysis = analyzer.analyze(sql, Dialect.POSTGRESQL);
        assertThat(analysis.parsed() && analysis.statements().stream().allMatch(s -> s.action() == Action.TRANSACTION))
                .as(sql).isFalse();
    }
}
