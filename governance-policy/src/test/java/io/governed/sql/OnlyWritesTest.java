package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.governed.identity.Identity;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PostgreSQL's {@code UPDATE ONLY t} and {@code DELETE FROM ONLY t}: read as the same statement without {@code ONLY}
 * (the same table, the same columns; {@code ONLY} spares the tables inheriting from {@code t} and its partitions, so the
 * statement touches fewer rows than the one judged), and a row filter's rewrite keeps {@code ONLY} (the filter is AND-ed
 * to the WHERE, as without it). {@code … JOIN ONLY t} and {@code FROM a, ONLY t} stay refused, saying what to write.
 */
class OnlyWritesTest {

    private static final Identity ALICE = Identity.builder("alice").attribute("tenant", "t1").build();
    private static final RowFilterRewriter.Filter TENANT = new RowFilterRewriter.Filter("tenant-isolation",
            t -> t.name().equals("customers"), RowCondition.parse("tenant_id = :identity.tenant"));

    private static StatementAnalysis only(String sql) {
        SqlAnalysis analysis = new SqlAnalyzer().analyze(sql, Dialect.POSTGRESQL);
        assertThat(analysis.parseError()).as(sql).isNull();
        assertThat(analysis.statements()).as(sql).hasSize(1);
        return analysis.statements().get(0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "UPDATE ONLY app.customers SET name = 'x' WHERE id = 1       | UPDATE app.customers SET name = 'x' WHERE id = 1",
            "DELETE FROM ONLY app.customers WHERE id = 1                 | DELETE FROM app.customers WHERE id = 1",
            "UPDATE ONLY app.customers c SET name = o.note FROM app.orders o WHERE o.customer_id = c.id"
                    + " | UPDATE app.customers c SET name = o.note FROM app.orders o WHERE o.customer_id = c.id",
            "DELETE FROM ONLY app.customers USING app.orders o WHERE o.customer_id = customers.id"
                    + " | DELETE FROM app.customers USING app.orders o WHERE o.customer_id = customers.id",
            "UPDATE ONLY app.customers SET ssn = NULL                    | UPDATE app.customers SET ssn = NULL",
            "DELETE FROM ONLY app.customers WHERE app.leak(ssn)          | DELETE FROM app.customers WHERE app.leak(ssn)",
            "UPDATE ONLY app.customers SET name = 'x' WHERE id = 1 RETURNING ssn | UPDATE app.customers SET name = 'x' WHERE id = 1 RETURNING ssn",
    })
    void aWriteOfOnlyTheParentIsReadAsTheSameWriteWithoutOnly(String withOnly, String without) {
        StatementAnalysis read = only(withOnly);
        StatementAnalysis plain = only(without);
        assertThat(read.action()).as(withOnly).isEqualTo(plain.action());
        assertThat(read.tablesWritten()).as(withOnly).isEqualTo(plain.tablesWritten());
        assertThat(read.tablesRead()).as(withOnly).isEqualTo(plain.tablesRead());
        assertThat(read.columns()).as(withOnly).isEqualTo(plain.columns());
        assertThat(read.routines()).as(withOnly).isEqualTo(plain.routines());
        assertThat(read.where()).as(withOnly).isEqualTo(plain.where());
        assertThat(read.resultColumns()).as(withOnly).isEqualTo(plain.resultColumns());
        assertThat(read.traits()).as(withOnly).isEqualTo(plain.traits());
    }

    @Test
    void theColumnsAndRoutinesOfAnOnlyWriteAreThere() {
        StatementAnalysis delete = only("DELETE FROM ONLY app.customers WHERE app.leak(ssn)");
        assertThat(delete.action()).isEqualTo(Action.DELETE);
        assertThat(delete.tablesWritten()).containsExactly(new TableRef("app", "customers"));
        assertThat(delete.routines()).containsExactly(new TableRef("app", "leak"));
        assertThat(delete.columns()).extracting(ColumnRef::column).contains("ssn");
        StatementAnalysis update = only("UPDATE ONLY app.customers SET ssn = NULL");
        assertThat(update.action()).isEqualTo(Action.UPDATE);
        assertThat(update.where()).isEqualTo(WhereKind.ABSENT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "DELETE FROM ONLY customers WHERE id > 10                  | DELETE FROM customers WHERE id > 10",
            "DELETE FROM ONLY customers                                | DELETE FROM customers",
            "UPDATE ONLY app.customers c SET name = 'x' WHERE c.id = 1 | UPDATE app.customers c SET name = 'x' WHERE c.id = 1",
            "DELETE FROM ONLY customers USING orders o WHERE o.cid = customers.id | DELETE FROM customers USING orders o WHERE o.cid = customers.id",
    })
    void aRowFilterKeepsOnlyInItsRewrite(String withOnly, String without) {
        RowFilterRewriter.Rewrite kept = RowFilterRewriter.rewrite(withOnly, Dialect.POSTGRESQL, List.of(TENANT), ALICE);
        RowFilterRewriter.Rewrite plain = RowFilterRewriter.rewrite(without, Dialect.POSTGRESQL, List.of(TENANT), ALICE);
        assertThat(plain.sql()).contains("tenant_id = ?");
        String head = without.startsWith("UPDATE") ? "UPDATE " : "DELETE FROM ";
        assertThat(kept.sql()).isEqualTo(head + "ONLY " + plain.sql().substring(head.length()));
        assertThat(kept.bindings()).isEqualTo(plain.bindings());
        assertThat(kept.bindings()).extracting(RowFilterRewriter.Binding::value).contains("t1");
    }

    @Test
    void aFilterStillRefusesAnOnlyUpdateMovingRowsOutOfIt() {
        assertThatThrownBy(() -> RowFilterRewriter.rewrite("UPDATE ONLY customers SET tenant_id = 2 WHERE id = 1",
                Dialect.POSTGRESQL, List.of(TENANT), ALICE)).hasMessageContaining("tenant_id");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SELECT a.id FROM accounts a JOIN ONLY orders o ON o.aid = a.id",
            "SELECT a.id FROM accounts a, ONLY orders o WHERE o.aid = a.id",
            "UPDATE ONLY accounts a SET n = 1 FROM ONLY orders o WHERE o.aid = a.id",
            "DELETE FROM ONLY accounts USING accounts a JOIN ONLY orders o ON true WHERE a.id = 1",
    })
    void onlyAfterAJoinOrACommaStaysRefusedSayingWhatToWrite(String sql) {
        SqlAnalysis analysis = new SqlAnalyzer().analyze(sql, Dialect.POSTGRESQL);
        assertThat(analysis.parseError()).as(sql).isNotNull().contains("ONLY after JOIN or a comma")
                .contains("(SELECT * FROM ONLY t) AS t");
    }
}
