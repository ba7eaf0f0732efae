package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Action;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.StatementAnalysis;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * Two-phase commit finishes, or lists, transactions another session may have prepared: PostgreSQL's COMMIT PREPARED
 * 'id' and ROLLBACK PREPARED 'id' commit or roll back any prepared transaction of the database by its id, and PREPARE
 * TRANSACTION leaves one behind the session; MariaDB's XA statements do the same (XA COMMIT 'xid' of a transaction XA
 * RECOVER lists). They are action two-phase-commit, not transaction: a policy that permits COMMIT and ROLLBACK does not
 * permit them, the built-in baseline denies them, and a policy permits or forbids them by that name.
 */
class TwoPhaseCommitTest {

    private static final Identity USER = human("una", "apps");
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private Decision decide(PolicyEngine engine, String sql, Dialect dialect) {
        return engine.decide(USER, analyzer.analyze(sql, dialect), DecisionContext.of(new CatalogStub()));
    }

    private static PolicyEngine permitting(String actions) {
        return new PolicyEngine(PolicyLoader.fromString("tx.yaml", """
                version: 1
                default: deny
                rules:
                  - { id: apps, effect: permit, principals: { groups: [apps] }, actions: [%s], resources: ["*"] }
                """.formatted(actions)));
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | PREPARE TRANSACTION 'ed_tx_1'",
        "POSTGRESQL | COMMIT PREPARED 'ed_tx_1'",
        "POSTGRESQL | ROLLBACK PREPARED 'ed_tx_1'",
        "POSTGRESQL | commit prepared 'ed_tx_1'",
        "MARIADB    | XA START 'ed_xa'",
        "MARIADB    | XA BEGIN 'ed_xa'",
        "MARIADB    | XA START 'ed_xa', 'b', 1",
        "MARIADB    | XA START 'ed_xa' JOIN",
        "MARIADB    | XA END 'ed_xa'",
        "MARIADB    | XA END 'ed_xa' SUSPEND",
        "MARIADB    | XA PREPARE 'ed_xa'",
        "MARIADB    | XA COMMIT 'ed_xa'",
        "MARIADB    | XA COMMIT 'ed_xa' ONE PHASE",
        "MARIADB    | XA ROLLBACK 'ed_xa'",
        "MARIADB    | xa rollback 'ed_xa', 'b'",
        "MARIADB    | XA RECOVER",
        "MARIADB    | XA RECOVER FORMAT='SQL'",
    })
    void twoPhaseFormsAreTheirOwnAction(Dialect dialect, String sql) {
        SqlAnalysis analysis = analyzer.analyze(sql, dialect);
        assertThat(analysis.parsed()).as("%s: %s", sql, analysis.parseError()).isTrue();
        assertThat(analysis.statements()).hasSize(1);
        StatementAnalysis statement = analysis.statements().get(0);
        assertThat(statement.action().externalName()).as(sql).isEqualTo("two-phase-commit");
        assertThat(statement.tablesRead()).isEmpty();
        assertThat(statement.tablesWritten()).isEmpty();
        assertThat(statement.traits()).isEmpty();

        assertThat(decide(permitting("select, insert, transaction"), sql, dialect).allowed())
                .as("permitting transaction permits " + sql).isFalse();
        Decision baseline = decide(new PolicyEngine(PolicyLoader.baseline()), sql, dialect);
        assertThat(baseline.allowed()).as("the baseline on " + sql).isFalse();
        assertThat(decide(permitting("transaction, two-phase-commit"), sql, dialect).allowed()).as(sql).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | COMMIT", "POSTGRESQL | ROLLBACK", "POSTGRESQL | BEGIN", "POSTGRESQL | COMMIT AND CHAIN",
        "POSTGRESQL | SAVEPOINT s1", "MARIADB | COMMIT", "MARIADB | START TRANSACTION", "MARIADB | ROLLBACK WORK",
    })
    void oneSessionsTransactionControlStaysTransaction(Dialect dialect, String sql) {
        assertThat(analyzer.analyze(sql, dialect).statements().get(0).action()).as(sql).isEqualTo(Action.TRANSACTION);
        assertThat(decide(permitting("transaction"), sql, dialect).allowed()).as(sql).isTrue();
        assertThat(decide(new PolicyEngine(PolicyLoader.baseline()), sql, dialect).allowed()).as(sql).isTrue();
    }

    /** A forbid of two-phase-commit refuses it where everything else is permitted, and leaves COMMIT alone. */
    @ParameterizedTest
    @ValueSource(strings = {"COMMIT PREPARED 'ed_tx_1'", "ROLLBACK PREPARED 'ed_tx_1'", "PREPARE TRANSACTION 'ed_tx_1'"})
    void aForbidNamesIt(String sql) {
        PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("tx.yaml", """
                version: 1
                default: deny
                rules:
                  - { id: all, effect: permit, actions: ["*"], resources: ["*"] }
                  - { id: no-2pc, effect: forbid, actions: [two-phase-commit], message: Two-phase commit is not allowed }
                """));
        Decision refused = decide(engine, sql, Dialect.POSTGRESQL);
        assertThat(refused.allowed()).as(sql).isFalse();
        assertThat(refused.rules()).containsExactly("no-2pc");
        assertThat(decide(engine, "COMMIT", Dialect.POSTGRESQL).allowed()).isTrue();
    }
}
