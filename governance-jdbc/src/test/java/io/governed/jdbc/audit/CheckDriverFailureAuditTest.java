package io.governed.jdbc.audit;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.ThrowingDriver;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The driver's own failure in a call that runs nothing ({@code Statement.addBatch(sql)},
 * {@code PreparedStatement.addBatch()}, {@code Connection.nativeSQL}) ends its check as failed, as a prepare the
 * database rejects does: one {@code error} event with the driver's SQLState and no database time, the driver's message
 * shown to an identity no mask applies to and not to one a mask applies to (same SQLState), an unchecked exception
 * rethrown as it is and recorded by its class name only; and the batch holds nothing of the failed entry.
 */
class CheckDriverFailureAuditTest {
    private static final String SECRET = "secret-value-123";
    private static final Identity ANALYST = Identity.builder("ana").groups("analysts").build();
    private static final Identity READER = Identity.builder("pat").groups("analysts", "pii-readers").build();
    private static final String POLICY = """
            version: 1
            classification:
              tags:
                pii.email: ["*.email"]
            rules:
              - { id: everything, effect: permit, actions: ["*"] }
            masks:
              - id: mask-email
                columns: { tags: [pii.email] }
                function: email
                unless: { groups: [pii-readers] }
            """;

    /** The call that runs nothing, on the marker table {@code people}. */
    enum Call {
        STATEMENT_ADD_BATCH("addBatch") {
            @Override
            void make(Connection c) throws SQLException {
                try (Statement s = c.createStatement()) {
                    addThenRun(s, () -> s.addBatch("UPDATE people SET email = 'x@example.com' WHERE id = 1"));
                }
            }
        },
        PREPARED_ADD_BATCH("addBatch") {
            @Override
            void make(Connection c) throws SQLException {
                try (PreparedStatement ps = c.prepareStatement("UPDATE people SET email = ? WHERE id = ?")) {
                    ps.setString(1, "x@example.com");
                    ps.setInt(2, 1);
                    addThenRun(ps, ps::addBatch);
                }
            }
        },
        NATIVE_SQL("nativeSQL") {
            @Override
            void make(Connection c) throws SQLException {
                c.nativeSQL("SELECT email FROM people WHERE id = 1");
            }
        };

        final String method;

        Call(String method) {
            this.method = method;
        }

        /** Makes the call and, when it did not throw, runs the batch; when it threw, finds the batch empty and rethrows. */
        abstract void make(Connection c) throws SQLException;

        private static void addThenRun(Statement statement, Adding add) throws SQLException {
            try {
                add.add();
            } catch (SQLException | RuntimeException e) {
                assertThat(statement.executeBatch()).as("the failed entry is not in the batch").isEmpty();
                throw e;
            }
            assertThat(statement.executeBatch()).containsExactly(1);
        }
    }

    /** An {@code addBatch} call. */
    @FunctionalInterface
    interface Adding {
        void add() throws SQLException;
    }

    private JdbcDataSource h2;
    private Connection raw;
    private MemorySink sink;
    private AuditDispatcher dispatcher;
    private ThrowingDriver driver;

    @BeforeEach
    void database() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:check-failure-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        raw = h2.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE people(id INT PRIMARY KEY, email VARCHAR(60))");
            s.execute("INSERT INTO people VALUES (1, 'ada@example.com')");
        }
        sink = MemorySink.named("check-failure-" + UUID.randomUUID());
        dispatcher = AuditDispatcher.start(List.of(sink), AuditSettings.defaults());
        driver = new ThrowingDriver(h2, "people");
    }

    @AfterEach
    void close() throws SQLException {
        dispatcher.close();
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private Connection governedAs(Identity identity) throws SQLException {
        Governance governance = Governance.builder().policy(PolicyLoader.fromString("check-failure.yaml", POLICY))
                .defaultIdentity(identity).audit(dispatcher).allowUnlistedDataSources(true).build();
        return new GovernedDataSource(driver.dataSource(), governance).getConnection();
    }

    private List<AuditEvent> errors() {
        assertThat(dispatcher.flush(Duration.ofSeconds(5))).isTrue();
        return sink.events().stream().filter(e -> e.decision() == AuditDecision.ERROR).toList();
    }

    private String emailInDatabase() throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT email FROM people WHERE id = 1")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void theDriversErrorIsAnErrorEventAndReachesAMaskedCallerWithoutItsMessage(Call call) throws SQLException {
        try (Connection c = governedAs(ANALYST)) {
            driver.throwNextFrom(call.method, new SQLException("value '" + SECRET + "' is too long", "22001", 7));
            assertThatThrownBy(() -> call.make(c)).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("22001");
                assertThat(e.getMessage()).as("a caller under masks sees no value").doesNotContain(SECRET);
            });
            assertThat(driver.spent()).isTrue();
            call.make(c); // the next call goes through: nothing was left behind
        }
        assertThat(errors()).as("one error event for the failed call").singleElement().satisfies(e -> {
            assertThat(e.error().sqlState()).isEqualTo("22001");
            assertThat(e.durationUs()).as("a check is never timed").isNull();
            assertThat(e.toString()).doesNotContain(SECRET);
        });
        assertThat(emailInDatabase()).isEqualTo(call == Call.NATIVE_SQL ? "ada@example.com" : "x@example.com");
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void aCallerNoMaskAppliesToSeesTheDriversOwnMessage(Call call) throws SQLException {
        try (Connection c = governedAs(READER)) {
            driver.throwNextFrom(call.method, new SQLException("value '" + SECRET + "' is too long", "22001", 7));
            assertThatThrownBy(() -> call.make(c)).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("22001");
                assertThat(e.getMessage()).contains(SECRET);
            });
        }
        assertThat(errors()).singleElement().satisfies(e -> assertThat(e.error().sqlState()).isEqualTo("22001"));
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void anUncheckedExceptionOfTheDriverIsRethrownAsItIsAndRecordedOnceByItsClassName(Call call) throws SQLException {
        IllegalStateException thrown = new IllegalStateException(SECRET);
        try (Connection c = governedAs(ANALYST)) {
            driver.throwNextFrom(call.method, thrown);
            assertThatThrownBy(() -> call.make(c)).isSameAs(thrown);
        }
        assertThat(errors()).singleElement().satisfies(e -> {
            assertThat(e.error().message()).isEqualTo(IllegalStateException.class.getName());
            assertThat(e.toString()).doesNotContain(SECRET);
        });
        assertThat(emailInDatabase()).as("nothing ran").isEqualTo("ada@example.com");
    }
}
