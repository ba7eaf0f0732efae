package io.governed.jdbc.audit;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.ThrowingDriver;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A driver that throws an unchecked exception instead of an {@link SQLException} (drivers do, in edge cases; a proxied
 * or buggy one may throw anything) from any execution path of any statement kind: the caller gets the driver's very
 * exception, the attempt is one audit event (failed, with the allowing decision's rules, its error naming the
 * exception's class and nothing of its message), and the connection goes on governing and auditing as before.
 */
class UncheckedDriverFailureAuditTest {
    private static final Identity ALICE = Identity.builder("alice").groups("analysts").build();
    private static final String SECRET = "secret-value-123";
    private static final String SELECT = "SELECT id, name FROM probe WHERE id < 3";
    private static final String UPDATE = "UPDATE probe SET name = 'renamed' WHERE id = 1";

    private JdbcDataSource h2;
    private Connection raw;
    private ControllableSink sink;
    private AuditDispatcher dispatcher;
    /** The driver, whose statements on table probe throw what a test arms them with. */
    private ThrowingDriver driver;

    @BeforeEach
    void database() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:unchecked-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        raw = h2.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE probe(id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40))");
            s.execute("INSERT INTO probe(name) VALUES ('one'), ('two'), ('three')");
        }
        driver = new ThrowingDriver(h2, "probe");
        sink = new ControllableSink();
        dispatcher = AuditDispatcher.start(List.of(sink), AuditSettings.defaults());
    }

    @AfterEach
    void close() throws SQLException {
        dispatcher.close();
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private Connection governed() throws SQLException {
        Governance governance = Governance.builder().policy(PolicyLoader.baseline()).audit(dispatcher)
                .defaultIdentity(ALICE).allowUnlistedDataSources(true).build(); // ThrowingDriver's proxy
        return new GovernedDataSource(driver.dataSource(), governance).getConnection();
    }

    private List<AuditEvent> events() {
        assertThat(dispatcher.flush(Duration.ofSeconds(5))).as("the audit queue drained").isTrue();
        return List.copyOf(sink.stored());
    }

    /** Every execute method of {@code kind}, every overload, inherited ones included, in a stable order. */
    private static Stream<Method> executeMethods(Class<? extends Statement> kind) {
        return Arrays.stream(kind.getMethods())
                .filter(m -> m.getName().startsWith("execute") && !Modifier.isStatic(m.getModifiers()))
                .sorted(Comparator.comparing(UncheckedDriverFailureAuditTest::describe));
    }

    private static String describe(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).toList();
    }

    @TestFactory
    Stream<DynamicTest> everyExecuteMethodOfEveryStatementKindRecordsTheDriversUncheckedExceptionOnce() {
        return Stream.of(Statement.class, PreparedStatement.class, CallableStatement.class)
                .flatMap(kind -> executeMethods(kind).map(method -> DynamicTest.dynamicTest(
                        kind.getSimpleName() + "." + describe(method), () -> driverThrowsFrom(kind, method))));
    }

    @Test
    void theEnumerationCoversTheExecuteMethodsOfJdbc() {
        assertThat(executeMethods(Statement.class).map(UncheckedDriverFailureAuditTest::describe))
                .contains("executeQuery[String]", "executeUpdate[String, int[]]", "executeLargeUpdate[String, String[]]",
                        "execute[String, int]", "executeBatch[]", "executeLargeBatch[]")
                .hasSizeGreaterThanOrEqualTo(15);
        assertThat(executeMethods(CallableStatement.class).map(UncheckedDriverFailureAuditTest::describe))
                .contains("executeQuery[]", "executeUpdate[]", "executeLargeUpdate[]", "execute[]");
    }

    /** The SQL {@code method} runs: a query for those that read a result, else an update. */
    private static String sqlFor(Method method) {
        boolean readsResult = method.getName().equals("executeQuery")
                || (method.getName().equals("execute") && method.getParameterCount() <= 1);
        return readsResult ? SELECT : UPDATE;
    }

    private void driverThrowsFrom(Class<? extends Statement> kind, Method method) throws Exception {
        String sql = sqlFor(method);
        IllegalStateException thrown = new IllegalStateException("driver failed on " + SECRET);
        try (Connection c = governed()) {
            Statement statement = kind == Statement.class ? c.createStatement()
                    : kind == PreparedStatement.class ? c.prepareStatement(sql) : c.prepareCall(sql);
            if (method.getName().startsWith("executeLargeBatch") || method.getName().startsWith("executeBatch")) {
                if (statement instanceof PreparedStatement prepared) {
                    prepared.addBatch();
                } else {
                    statement.addBatch(sql);
                }
            }
            int before = events().size();
            driver.throwNext(thrown);
            assertThatThrownBy(() -> invoke(statement, method, sql))
                    .as("the driver's own exception reaches the caller").isSameAs(thrown);
            assertThat(driver.spent()).as("the driver was called").isTrue();
            assertThat(thrown.getMessage()).as("the driver's exception is unchanged").isEqualTo("driver failed on " + SECRET);
            statement.close();

            List<AuditEvent> attempt = events().subList(before, events().size());
            assertThat(attempt).as("the events of the attempt").singleElement().satisfies(e -> {
                assertThat(e.decision()).as("a statement that passed the gate and failed in the driver")
                        .isEqualTo(AuditDecision.ERROR);
                assertThat(e.principal()).isEqualTo("alice");
                assertThat(e.statement()).containsIgnoringCase("probe");
                assertThat(e.error()).isNotNull();
                assertThat(e.error().message()).isEqualTo(IllegalStateException.class.getName());
                assertThat(e.toString()).doesNotContain(SECRET);
            });
            AuditEvent failed = attempt.get(0);

            int beforeNext = events().size();
            try (PreparedStatement next = c.prepareStatement(sql)) {
                if (sql.equals(SELECT)) {
                    try (ResultSet rs = next.executeQuery()) {
                        while (rs.next()) {
                            rs.getString(2);
                        }
                    }
                } else {
                    assertThat(next.executeUpdate()).isEqualTo(1);
                }
            }
            assertThat(events().subList(beforeNext, events().size())).as("the following statement's events")
                    .singleElement().satisfies(e -> {
                        assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW);
                        assertThat(e.error()).isNull();
                        assertThat(e.rows()).isEqualTo(sql.equals(SELECT) ? 2L : 1L);
                        assertThat(e.rules()).as("the failed attempt had passed the gate as this run did")
                                .isEqualTo(failed.rules());
                        assertThat(e.reason()).isEqualTo(failed.reason());
                    });
        }
    }

    private static Object invoke(Statement statement, Method method, String sql) throws Throwable {
        Class<?>[] types = method.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            if (types[i] == String.class) {
                args[i] = sql;
            } else if (types[i] == int.class) {
                args[i] = Statement.RETURN_GENERATED_KEYS;
            } else if (types[i] == int[].class) {
                args[i] = new int[] {1};
            } else if (types[i] == String[].class) {
                args[i] = new String[] {"ID"};
            } else {
                throw new AssertionError("no argument for " + types[i] + " of " + method);
            }
        }
        try {
            return method.invoke(statement, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void aResultSetWhoseDriverThrowsWhileReadingEndsItsRunAsFailedOnce() throws SQLException {
        IllegalStateException thrown = new IllegalStateException("row holds " + SECRET);
        try (Connection c = governed()) {
            int before = events().size();
            try (Statement s = c.createStatement()) {
                assertThat(s.execute(SELECT)).isTrue();
                ResultSet rs = s.getResultSet();
                assertThat(rs.next()).isTrue();
                driver.throwNext(thrown);
                assertThatThrownBy(rs::next).isSameAs(thrown);
                rs.close();
            }
            assertThat(events().subList(before, events().size())).singleElement().satisfies(e -> {
                assertThat(e.decision()).isEqualTo(AuditDecision.ERROR);
                assertThat(e.error().message()).isEqualTo(IllegalStateException.class.getName());
                assertThat(e.toString()).doesNotContain(SECRET);
            });
            int beforeNext = events().size();
            try (PreparedStatement ps = c.prepareStatement(SELECT); ResultSet rs = ps.executeQuery()) {
                int rows = 0;
                while (rs.next()) {
                    rows++;
                }
                assertThat(rows).isEqualTo(2);
            }
            assertThat(events().subList(beforeNext, events().size())).singleElement()
                    .satisfies(e -> assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW));
        }
    }

    @Test
    void aQueryWhoseDriverThrowsAnErrorPropagatesItAndRecordsIt() throws SQLException {
        AssertionError thrown = new AssertionError("driver assertion about " + SECRET);
        try (Connection c = governed(); PreparedStatement ps = c.prepareStatement(SELECT)) {
            int before = events().size();
            driver.throwNext(thrown);
            assertThatThrownBy(ps::executeQuery).isSameAs(thrown);
            ps.close();
            assertThat(events().subList(before, events().size())).singleElement().satisfies(e -> {
                assertThat(e.decision()).isEqualTo(AuditDecision.ERROR);
                assertThat(e.error().message()).isEqualTo(AssertionError.class.getName());
                assertThat(e.toString()).doesNotContain(SECRET);
            });
        }
    }

    @Test
    void aQueryWhoseDriverRunsOutOfMemoryPropagatesItAndIsNeverRecordedAsCompleted() throws SQLException {
        OutOfMemoryError thrown = new OutOfMemoryError("Java heap space");
        try (Connection c = governed(); PreparedStatement ps = c.prepareStatement(SELECT)) {
            int before = events().size();
            driver.throwNext(thrown);
            assertThatThrownBy(ps::executeQuery).isSameAs(thrown);
            ps.close();
            assertThat(events().subList(before, events().size()))
                    .as("a virtual machine error is not recorded (that would allocate), nor the run later as completed")
                    .isEmpty();
        }
    }

    @Test
    void aBatchWhoseDriverThrowsRecordsEveryEntryAsFailedOnce() throws SQLException {
        IllegalStateException thrown = new IllegalStateException(SECRET);
        try (Connection c = governed(); Statement s = c.createStatement()) {
            s.addBatch(UPDATE);
            s.addBatch("UPDATE probe SET name = 'other' WHERE id = 2");
            int before = events().size();
            driver.throwNext(thrown);
            assertThatThrownBy(s::executeBatch).isSameAs(thrown);
            assertThat(events().subList(before, events().size())).hasSize(2).allSatisfy(e -> {
                assertThat(e.decision()).isEqualTo(AuditDecision.ERROR);
                assertThat(e.error().message()).isEqualTo(IllegalStateException.class.getName());
            });
            int beforeNext = events().size();
            assertThat(s.executeBatch()).as("the batch was spent").isEmpty();
            assertThat(s.executeUpdate(UPDATE)).isEqualTo(1);
            assertThat(events().subList(beforeNext, events().size())).singleElement()
                    .satisfies(e -> assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW));
        }
    }

    @Test
    void anUpdatableResultSetWhoseDriverThrowsOnARowWriteRecordsTheWriteAsFailedOnce() throws SQLException {
        IllegalStateException thrown = new IllegalStateException(SECRET);
        try (Connection c = governed();
             Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE);
             ResultSet rs = s.executeQuery("SELECT id, name FROM probe WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            rs.updateString(2, "changed");
            int before = events().size();
            driver.throwNext(thrown);
            assertThatThrownBy(rs::updateRow).isSameAs(thrown);
            assertThat(events().subList(before, events().size())).singleElement().satisfies(e -> {
                assertThat(e.action()).isEqualTo("update");
                assertThat(e.decision()).isEqualTo(AuditDecision.ERROR);
                assertThat(e.error().message()).isEqualTo(IllegalStateException.class.getName());
                assertThat(e.toString()).doesNotContain(SECRET);
            });
        }
    }
}
