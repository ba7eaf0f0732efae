package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;
import io.governed.jdbc.audit.StatementAudit;
import io.governed.jdbc.gate.CallKind;
import io.governed.jdbc.gate.SqlText;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * What an execution answers before anything is told it (the usual run: no mask, no refusal, no batch, no trace, no
 * timeout cap, no statement prepared by name), what it answers once told, and what the next run of a batch
 * (Execution.again()) carries over from its first run and what it starts anew.
 */
class ExecutionStateTest {

    private static Execution execution() {
        SqlText sql = new SqlText("SELECT id FROM orders WHERE id = ?");
        return new Execution(new SqlAnalyzer(), "c1", Dialect.POSTGRESQL, null, null, sql, sql, CallKind.QUERY, true,
                GeneratedKeys.NONE);
    }

    @Test
    void aRunToldNothingAnswersTheDefaults() {
        Execution execution = execution();
        assertThat(execution.maskedColumns()).isEmpty();
        assertThat(execution.maskedValues()).isZero();
        assertThat(execution.refusedBy()).isNull();
        assertThat(execution.preparedAs()).isNull();
        org.assertj.core.api.Assertions.<List<Object>>assertThat(execution.batchedValues()).isEmpty();
        assertThat(execution.rowFilterRewrite()).isNull();
        assertThat(execution.resultsUpdatable()).isFalse();
        assertThat(execution.rowWrite()).isNull();
        assertThat((Object) execution.refusedByWrapper()).isNull();
        assertThat(execution.batchedAs()).isNull();
        assertThat(execution.span()).isNull();
        assertThat(execution.traced()).isNull();
        assertThat(execution.queryTimeoutCap()).isZero();
        assertThat(execution.queryTimeoutCapped()).isFalse();
        assertThat(execution.wouldMask()).isEmpty();
        assertThat(execution.byName()).isNull();
        assertThat(execution.readAfresh()).isFalse();
        assertThat(execution.analysedSql()).isSameAs(execution.analysedAsWritten());
        assertThat(execution.auditedAnalysis()).isSameAs(execution.analysis());
    }

    @Test
    void settingTheDefaultsLeavesTheDefaults() {
        Execution execution = execution();
        execution.masked(List.of(), 0);
        execution.refusedBy(null);
        execution.prepared(null, List.of());
        execution.updatableResults(false);
        execution.rowWrite(null);
        execution.refusedByWrapper(null);
        execution.batchedAs(null);
        execution.span(null);
        execution.traced(null);
        execution.capQueryTimeout(0);
        execution.queryTimeoutCapped(false);
        execution.wouldMask(List.of());
        assertThat(execution.maskedColumns()).isEmpty();
        assertThat(execution.preparedExecution()).isTrue();
        assertThat(execution.acceptsRewrite()).isTrue();
        assertThat(execution.preparedAs()).isNull();
        org.assertj.core.api.Assertions.<List<Object>>assertThat(execution.batchedValues()).isEmpty();
        assertThat(execution.resultsUpdatable()).isFalse();
        assertThat(execution.batchedAs()).isNull();
        assertThat(execution.queryTimeoutCap()).isZero();
        assertThat(execution.queryTimeoutCapped()).isFalse();
        assertThat(execution.wouldMask()).isEmpty();
    }

    @Test
    void whatARunIsToldItAnswers() {
        Execution execution = execution();
        Identity alice = Identity.human("alice");
        SQLException refusal = new SQLException("refused", "42501");
        StatementAudit.SpanIds span = new StatementAudit.SpanIds("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");
        Execution.RowWrite write = new Execution.RowWrite("UPDATE", "SELECT id FROM orders", null);
        execution.masked(new ArrayList<>(List.of("ssn")), 3);
        execution.refusedBy("io.governed.jdbc.pipeline.DecisionStage");
        execution.prepared("SELECT id FROM orders WHERE tenant = ?", List.of(List.of("t1")));
        execution.updatableResults(true);
        execution.rowWrite(write);
        execution.refusedByWrapper(refusal);
        execution.batchedAs(alice);
        execution.span(span);
        execution.traced("span state");
        execution.capQueryTimeout(30);
        execution.capQueryTimeout(60); // a tighter cap already set stays
        execution.queryTimeoutCapped(true);
        execution.wouldMask(List.of("email"));
        execution.wouldMask(List.of("email", "phone"));

        assertThat(execution.maskedColumns()).containsExactly("ssn");
        assertThat(execution.maskedValues()).isEqualTo(3);
        assertThat(execution.refusedBy()).isEqualTo("io.governed.jdbc.pipeline.DecisionStage");
        assertThat(execution.preparedAs()).isEqualTo("SELECT id FROM orders WHERE tenant = ?");
        org.assertj.core.api.Assertions.<List<Object>>assertThat(execution.batchedValues()).containsExactly(List.of("t1"));
        assertThat(execution.resultsUpdatable()).isTrue();
        assertThat(execution.rowWrite()).isSameAs(write);
        assertThat((Object) execution.refusedByWrapper()).isSameAs(refusal);
        assertThat(execution.batchedAs()).isSameAs(alice);
        assertThat(execution.span()).isSameAs(span);
        assertThat(execution.traced()).isEqualTo("span state");
        assertThat(execution.queryTimeoutCap()).isEqualTo(30);
        assertThat(execution.queryTimeoutCapped()).isTrue();
        assertThat(execution.wouldMask()).containsExactly("email", "phone");

        execution.traced(null);
        execution.queryTimeoutCapped(false);
        execution.masked(List.of(), 0);
        assertThat(execution.traced()).isNull();
        assertThat(execution.queryTimeoutCapped()).isFalse();
        assertThat(execution.maskedColumns()).isEmpty();
        assertThat(execution.maskedValues()).isZero();
    }

    @Test
    void theNextRunOfABatchCarriesItsStatementsStateAndStartsItsOwnAnew() {
        Execution first = execution();
        Identity alice = Identity.human("alice");
        Execution.RowWrite write = new Execution.RowWrite("UPDATE", "SELECT id FROM orders", null);
        first.prepared("SELECT id FROM orders WHERE tenant = ?", List.of(List.of("t1")));
        first.updatableResults(true);
        first.rowWrite(write);
        first.batchedAs(alice);
        first.capQueryTimeout(30);
        first.readAfresh(42L, first.routines());
        // what belongs to the first run alone
        first.masked(List.of("ssn"), 2);
        first.refusedBy("io.governed.jdbc.pipeline.DecisionStage");
        first.refusedByWrapper(new SQLException("refused", "42501"));
        first.span(new StatementAudit.SpanIds("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"));
        first.traced("span state");
        first.queryTimeoutCapped(true);
        first.wouldMask(List.of("email"));

        Execution next = first.again();
        assertThat(next.preparedExecution()).isTrue();
        assertThat(next.preparedAs()).isEqualTo("SELECT id FROM orders WHERE tenant = ?");
        org.assertj.core.api.Assertions.<List<Object>>assertThat(next.batchedValues()).containsExactly(List.of("t1"));
        assertThat(next.resultsUpdatable()).isTrue();
        assertThat(next.rowWrite()).isSameAs(write);
        assertThat(next.batchedAs()).isSameAs(alice);
        assertThat(next.queryTimeoutCap()).isEqualTo(30);
        assertThat(next.readAfresh()).isTrue();

        assertThat(next.maskedColumns()).isEmpty();
        assertThat(next.maskedValues()).isZero();
        assertThat(next.refusedBy()).isNull();
        assertThat((Object) next.refusedByWrapper()).isNull();
        assertThat(next.span()).isNull();
        assertThat(next.traced()).isNull();
        assertThat(next.queryTimeoutCapped()).isFalse();
        assertThat(next.wouldMask()).isEmpty();

        // the first run's state is its own: what the next run is told does not reach it
        next.masked(List.of("phone"), 1);
        next.capQueryTimeout(10);
        assertThat(first.maskedColumns()).containsExactly("ssn");
        assertThat(first.queryTimeoutCap()).isEqualTo(30);
    }

    @Test
    void theNextRunOfAUsualStatementIsUsualToo() {
        Execution next = execution().again();
        assertThat(next.preparedAs()).isNull();
        org.assertj.core.api.Assertions.<List<Object>>assertThat(next.batchedValues()).isEmpty();
        assertThat(next.batchedAs()).isNull();
        assertThat(next.queryTimeoutCap()).isZero();
        assertThat(next.readAfresh()).isFalse();
        assertThat(next.resultsUpdatable()).isFalse();
    }
}
