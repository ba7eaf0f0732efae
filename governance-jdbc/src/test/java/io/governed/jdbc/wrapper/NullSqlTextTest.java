package io.governed.jdbc.wrapper;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.MemorySink;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A {@code null} SQL text handed to any call of the connection or of a statement that takes one is refused with SQLState {@code 22004}
 * (null value not allowed) before anything reaches the driver or the trail: no event is recorded for a text that does
 * not exist, and the connection stays usable.
 */
class NullSqlTextTest {

    /** A connection call that takes SQL text, given {@code null}. */
    @FunctionalInterface
    private interface TakesSql {
        void call(Connection connection) throws SQLException;
    }

    /** A statement call given {@code null}. */
    @FunctionalInterface
    private interface OnStatement {
        void call(Statement statement) throws SQLException;
    }

    private static void execute(Connection connection, OnStatement call) throws SQLException {
        try (Statement s = connection.createStatement()) {
            call.call(s);
        }
    }

    @Test
    void everyCallTakingSqlTextRefusesNullWithSqlState22004() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:null-sql-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        MemorySink sink = MemorySink.named("null-sql-" + UUID.randomUUID());
        AuditDispatcher dispatcher = AuditDispatcher.start(List.of(sink), AuditSettings.defaults());
        Map<String, TakesSql> calls = Map.of(
                "prepareStatement(sql)", c -> c.prepareStatement(null),
                "prepareStatement(sql, keys)", c -> c.prepareStatement(null, Statement.RETURN_GENERATED_KEYS),
                "prepareStatement(sql, columnIndexes)", c -> c.prepareStatement(null, new int[] {1}),
                "prepareStatement(sql, columnNames)", c -> c.prepareStatement(null, new String[] {"id"}),
                "prepareStatement(sql, type, concurrency)", c -> c.prepareStatement(null, ResultSet.TYPE_FORWARD_ONLY,
                        ResultSet.CONCUR_READ_ONLY),
                "prepareCall(sql)", c -> c.prepareCall(null),
                "prepareCall(sql, type, concurrency)", c -> c.prepareCall(null, ResultSet.TYPE_FORWARD_ONLY,
                        ResultSet.CONCUR_READ_ONLY),
                "prepareCall(sql, type, concurrency, holdability)", c -> c.prepareCall(null, ResultSet.TYPE_FORWARD_ONLY,
                        ResultSet.CONCUR_READ_ONLY, ResultSet.CLOSE_CURSORS_AT_COMMIT),
                "nativeSQL(sql)", c -> c.nativeSQL(null));
        Map<String, TakesSql> statementCalls = Map.of(
                "Statement.execute(sql)", c -> execute(c, s -> s.execute(null)),
                "Statement.executeQuery(sql)", c -> execute(c, s -> s.executeQuery(null)),
                "Statement.executeUpdate(sql)", c -> execute(c, s -> s.executeUpdate(null)),
                "Statement.executeLargeUpdate(sql, keys)", c -> execute(c, s -> s.executeLargeUpdate(null,
                        Statement.RETURN_GENERATED_KEYS)),
                "Statement.addBatch(sql)", c -> execute(c, s -> s.addBatch(null)));
        try {
            Governance governance = Governance.builder().policy(PolicyLoader.baseline()).audit(dispatcher)
                    .defaultIdentity(Identity.builder("alice").build()).build();
            try (Connection c = new GovernedDataSource(h2, governance).getConnection()) {
                Map<String, TakesSql> all = new TreeMap<>(calls);
                all.putAll(statementCalls);
                all.forEach((name, call) -> {
                    SQLException refused = catchThrowableOfType(() -> call.call(c), SQLException.class);
                    assertThat((Throwable) refused).as(name).isNotNull();
                    assertThat(refused.getSQLState()).as(name).isEqualTo("22004");
                    assertThat(refused.getMessage()).as(name).isEqualTo("SQL text is null");
                });
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                    assertThat(rs.next()).as("the connection stays usable").isTrue();
                }
            }
            assertThat(dispatcher.flush(Duration.ofSeconds(5))).isTrue();
        } finally {
            dispatcher.close();
        }
        assertThat(sink.events()).as("only the select that ran: nothing for texts that do not exist")
                .extracting(e -> e.action()).containsExactly("select");
    }
}
