package io.governed.sql;

import static io.governed.sql.Analyses.table;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MariaDB's SELECT … LOCK IN SHARE MODE, the shared lock of a pessimistic read, is read as the query it locks. */
class LockInShareModeTest {

    private static SqlAnalysis maria(String sql) {
        return new SqlAnalyzer().analyze(sql, Dialect.MARIADB);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT id, email FROM customers WHERE id = ? LOCK IN SHARE MODE",
        "select id, email from customers where id = ? lock in share mode nowait",
        "SELECT id, email FROM customers WHERE id = ? LOCK IN SHARE MODE SKIP LOCKED",
        "WITH c AS (SELECT id, email FROM customers) SELECT id, email FROM c WHERE id = 1 LOCK IN SHARE MODE",
    })
    void theQueryIsReadWithoutItsLockingClause(String sql) {
        SqlAnalysis a = maria(sql);
        assertThat(a.parsed()).as(a.parseError()).isTrue();
        assertThat(a.statements()).hasSize(1);
        StatementAnalysis s = a.statements().get(0);
        assertThat(s.action()).isEqualTo(Action.SELECT);
        assertThat(s.tablesRead()).extracting(TableRef::name).containsExactly("customers");
        assertThat(s.resultColumns()).hasSize(2);
        assertThat(s.resultColumns().get(1).sources()).contains(new SourceColumn(table("customers"), "email"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT id FROM customers LOCK IN SHARE MODE; DELETE FROM customers",
        "SELECT id FROM customers LOCK IN SHARE MODE WAIT 5 OR 1",
        "SELECT id FROM customers LOCK IN SHARE MODE, customers",
        "UPDATE customers SET name = 'x' LOCK IN SHARE MODE",
        "DELETE FROM customers LOCK IN SHARE MODE",
        "SELECT id FROM customers LOCK IN EXCLUSIVE MODE",
    })
    void anythingElseIsNotAPlainQuery(String sql) {
        SqlAnalysis a = maria(sql);
        if (a.parsed()) {
            assertThat(a.statements()).as(sql).anySatisfy(s -> assertThat(s.action()).isNotEqualTo(Action.SELECT));
        }
    }

    @Test
    void postgresKeepsItsOwnLockingClauses() {
        assertThat(new SqlAnalyzer().analyze("SELECT id FROM customers LOCK IN SHARE MODE", Dialect.POSTGRESQL).parsed())
                .isFalse();
    }
}
