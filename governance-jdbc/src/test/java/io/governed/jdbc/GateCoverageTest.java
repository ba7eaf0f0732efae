package io.governed.jdbc;

import io.governed.identity.Identity;
import io.governed.jdbc.gate.CallKind;
import io.governed.jdbc.gate.GateRequest;
import io.governed.jdbc.support.RecordingDecisions;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every execution method of every wrapper passes the gate with the SQL it runs, and a denied
 * statement leaves the database as it was (checked in the database through a raw connection).
 */
class GateCoverageTest {
    private static final String INSERT = "INSERT INTO items(name) VALUES ('x')";
    private static final String NEXT = "SELECT NEXT VALUE FOR ticket";

    private final RecordingDecisions decisions = new RecordingDecisions();
    private JdbcDataSource raw;
    private Connection rawConnection;
    private Connection governed;

    /** One execution path: the method it calls, the call kind the gate must see, and the call itself. */
    private record Path(String method, CallKind kind, String sql, Call call) {
    }

    @FunctionalInterface
    private interface Call {
        void run(Connection c, String sql) throws SQLException;
    }

    @BeforeEach
    void database() throws SQLException {
        raw = new JdbcDataSource();
        raw.setURL("jdbc:h2:mem:gate-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        rawConnection = raw.getConnection();
        try (Statement s = rawConnection.createStatement()) {
            s.execute("CREATE TABLE items(id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20))");
            s.execute("CREATE SEQUENCE ticket");
            s.execute("CREATE ALIAS bump FOR 'java.lang.Math.abs(int)'");
        }
        Governance governance = Governance.builder().decisionFunction(decisions)
                .defaultIdentity(Identity.human("tester")).build();
        governed = new GovernedDataSource(raw, governance).getConnection();
    }

    @AfterEach
    void close() throws SQLException {
        governed.close();
        try (Statement s = rawConnection.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private static List<Path> paths() {
        return List.of(
                new Path("Statement.executeQuery(String)", CallKind.QUERY, NEXT, (c, sql) -> c.createStatement().executeQuery(sql)),
                new Path("Statement.executeUpdate(String)", CallKind.UPDATE, INSERT, (c, sql) -> c.createStatement().executeUpdate(sql)),
                new Path("Statement.executeUpdate(String,int)", CallKind.UPDATE, INSERT, (c, sql) -> c.createStatement().executeUpdate(sql, Statement.RETURN_GENERATED_KEYS)),
                new Path("Statement.executeUpdate(String,int[])", CallKind.UPDATE, INSERT, (c, sql) -> c.createStatement().executeUpdate(sql, new int[]{1})),
                new Path("Statement.executeUpdate(String,String[])", CallKind.UPDATE, INSERT, (c, sql) -> c.createStatement().executeUpdate(sql, new String[]{"ID"})),
                new Path("Statement.executeLargeUpdate(String)", CallKind.UPDATE, INSERT, (c, sql) -> c.createStatement().executeLargeUpdate(sql)),
                new Path("Statement.executeLargeUpdate(String,int)", CallKind.UPDATE, INSERT, (c, sql) -> c.createStatement().executeLargeUpdate(sql, Statement.RETURN_GENERATED_KEYS)),
                new Path("Statement.executeLargeUpdate(String,int[])", CallKind.UPDATE, INSERT, (c, sql) -> c.createStatement().executeLargeUpdate(sql, new int[]{1})),
                new Path("Statement.executeLargeUpdate(String,String[])", CallKind.UPDATE, INSERT, (c, sql) -> c.createStatement().executeLargeUpdate(sql, new String[]{"ID"})),
                new Path("Statement.execute(String)", CallKind.EXECUTE, INSERT, (c, sql) -> c.createStatement().execute(sql)),
                new Path("Statement.execute(String,int)", CallKind.EXECUTE, INSERT, (c, sql) -> c.createStatement().execute(sql, Statement.RETURN_GENERATED_KEYS)),
                new Path("Statement.execute(String,int[])", CallKind.EXECUTE, INSERT, (c, sql) -> c.createStatement().execute(sql, new int[]{1})),
                new Path("Statement.execute(String,String[])", CallKind.EXECUTE, INSERT, (c, sql) -> c.createStatement().execute(sql, new String[]{"ID"})),
                new Path("Statement.addBatch(String)", CallKind.BATCH, INSERT, (c, sql) -> c.createStatement().addBatch(sql)),
                new Path("Statement.executeBatch()", CallKind.BATCH, INSERT, (c, sql) -> batch(c, sql, false)),
                new Path("Statement.executeLargeBatch()", CallKind.BATCH, INSERT, (c, sql) -> batch(c, sql, true)),
                new Path("Connection.prepareStatement(String)", CallKind.PREPARE, INSERT, (c, sql) -> c.prepareStatement(sql)),
                new Path("Connection.prepareStatement(String,int)", CallKind.PREPARE, INSERT, (c, sql) -> c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)),
                new Path("Connection.prepareStatement(String,int[])", CallKind.PREPARE, INSERT, (c, sql) -> c.prepareStatement(sql, new int[]{1})),
                new Path("Connection.prepareStatement(String,String[])", CallKind.PREPARE, INSERT, (c, sql) -> c.prepareStatement(sql, new String[]{"ID"})),
                new Path("Connection.prepareStatement(String,int,int)", CallKind.PREPARE, INSERT, (c, sql) -> c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)),
                new Path("Connection.prepareStatement(String,int,int,int)", CallKind.PREPARE, INSERT, (c, sql) -> c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, ResultSet.HOLD_CURSORS_OVER_COMMIT)),
                new Path("Connection.prepareCall(String)", CallKind.PREPARE_CALL, "{call bump(-1)}", (c, sql) -> c.prepareCall(sql)),
                new Path("Connection.prepareCall(String,int,int)", CallKind.PREPARE_CALL, "{call bump(-1)}", (c, sql) -> c.prepareCall(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)),
                new Path("Connection.prepareCall(String,int,int,int)", CallKind.PREPARE_CALL, "{call bump(-1)}", (c, sql) -> c.prepareCall(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, ResultSet.HOLD_CURSORS_OVER_COMMIT)),
                new Path("Connection.nativeSQL(String)", CallKind.NATIVE_SQL, INSERT, Connection::nativeSQL),
                new Path("PreparedStatement.executeQuery()", CallKind.QUERY, NEXT, (c, sql) -> c.prepareStatement(sql).executeQuery()),
                new Path("PreparedStatement.executeUpdate()", CallKind.UPDATE, INSERT, (c, sql) -> c.prepareStatement(sql).executeUpdate()),
                new Path("PreparedStatement.executeLargeUpdate()", CallKind.UPDATE, INSERT, (c, sql) -> c.prepareStatement(sql).executeLargeUpdate()),
                new Path("PreparedStatement.execute()", CallKind.EXECUTE, INSERT, (c, sql) -> c.prepareStatement(sql).execute()),
                new Path("PreparedStatement.addBatch()", CallKind.BATCH, INSERT, (c, sql) -> preparedBatch(c, sql)),
                new Path("CallableStatement.executeQuery()", CallKind.QUERY, NEXT, (c, sql) -> c.prepareCall(sql).executeQuery()),
                new Path("CallableStatement.executeUpdate()", CallKind.UPDATE, INSERT, (c, sql) -> c.prepareCall(sql).executeUpdate()),
                new Path("CallableStatement.executeLargeUpdate()", CallKind.UPDATE, INSERT, (c, sql) -> c.prepareCall(sql).executeLargeUpdate()),
                new Path("CallableStatement.execute()", CallKind.EXECUTE, INSERT, (c, sql) -> c.prepareCall(sql).execute()));
    }

    private static void batch(Connection c, String sql, boolean large) throws SQLException {
        Statement s = c.createStatement();
        s.addBatch(sql);
        s.addBatch(sql);
        if (large) {
            s.executeLargeBatch();
        } else {
            s.executeBatch();
        }
    }

    private static void preparedBatch(Connection c, String sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        ps.addBatch();
        ps.addBatch();
        ps.executeBatch();
    }

    @Test
    void theTableNamesEveryExecutionMethodOfEveryInterface() {
        Set<String> execution = new TreeSet<>();
        for (Class<?> iface : List.of(Connection.class, Statement.class, PreparedStatement.class, CallableStatement.class)) {
            for (Method m : iface.getMethods()) {
                String n = m.getName();
                boolean executes = n.startsWith("execute") || n.equals("addBatch") || n.startsWith("prepare") || n.equals("nativeSQL");
                if (executes && !Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() == iface) {
                    execution.add(iface.getSimpleName() + "." + n + Arrays.stream(m.getParameterTypes())
                            .map(Class::getSimpleName).collect(Collectors.joining(",", "(", ")")));
                }
            }
        }
        // CallableStatement inherits its execution methods from PreparedStatement; the table also runs them on a CallableStatement.
        assertThat(paths().stream().map(Path::method).filter(m -> !m.startsWith("CallableStatement")))
                .containsExactlyInAnyOrderElementsOf(execution);
    }

    @TestFactory
    Stream<DynamicTest> everyPathPassesTheGateWithItsSql() {
        return paths().stream().map(p -> DynamicTest.dynamicTest(p.method(), () -> {
            decisions.clear();
            p.call().run(governed, p.sql());
            assertThat(decisions.requests()).as("gate requests of %s", p.method())
                    .extracting(GateRequest::callKind).contains(p.kind());
            assertThat(decisions.requests()).allSatisfy(r -> {
                assertThat(r.sql().sql()).isEqualTo(p.sql());
                assertThat(r.identity().principal()).isEqualTo("tester");
            });
        }));
    }

    @TestFactory
    Stream<DynamicTest> aDeniedStatementLeavesTheDatabaseUnchanged() {
        return paths().stream().map(p -> DynamicTest.dynamicTest(p.method(), () -> {
            // Prepared paths are allowed to prepare, so the denial under test is the one at execution.
            decisions.deny(Set.of(p.kind()));
            long itemsBefore = count("SELECT COUNT(*) FROM items");
            long ticketBefore = count("SELECT BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_NAME = 'TICKET'");

            assertThatThrownBy(() -> p.call().run(governed, p.sql()))
                    .isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("test-deny")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");

            assertThat(count("SELECT COUNT(*) FROM items")).as("rows after a denied %s", p.method()).isEqualTo(itemsBefore);
            assertThat(count("SELECT BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_NAME = 'TICKET'"))
                    .as("sequence after a denied %s", p.method()).isEqualTo(ticketBefore);
        }));
    }

    @Test
    void anAllowedStatementRunsExactlyOnce() throws SQLException {
        governed.createStatement().executeUpdate(INSERT);
        try (PreparedStatement ps = governed.prepareStatement(INSERT)) {
            ps.executeUpdate();
            ps.executeUpdate();
        }
        assertThat(count("SELECT COUNT(*) FROM items")).isEqualTo(3);
    }

    @Test
    void aBatchIsCheckedAgainWhenItRunsAndIsSpentWhenDenied() throws SQLException {
        Statement s = governed.createStatement();
        s.addBatch(INSERT);
        s.addBatch(INSERT);
        decisions.denyAll();
        assertThatThrownBy(s::executeBatch).isInstanceOf(GovernanceException.class);
        decisions.deny(Set.of());
        assertThat(s.executeBatch()).as("nothing left over from the denied batch").isEmpty();
        assertThat(count("SELECT COUNT(*) FROM items")).isZero();
    }

    @Test
    void aPreparedStatementIsCheckedAsTheIdentityCurrentAtEachExecution() throws SQLException {
        PreparedStatement ps = governed.prepareStatement(NEXT);
        decisions.clear();
        io.governed.jdbc.identity.IdentityContext.runAs(Identity.human("alice"), () -> ps.executeQuery().close());
        io.governed.jdbc.identity.IdentityContext.runAs(Identity.human("bob"), () -> ps.executeQuery().close());
        assertThat(decisions.requests()).extracting(r -> r.identity().principal()).containsExactly("alice", "bob");
    }

    private long count(String sql) throws SQLException {
        try (Statement s = rawConnection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
