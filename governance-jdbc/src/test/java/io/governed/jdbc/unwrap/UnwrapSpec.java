package io.governed.jdbc.unwrap;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.audit.StatementAudit;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/*
 * Enumerates by reflection every type the driver's own Connection, Statement, PreparedStatement,
 * CallableStatement, ResultSet (of a query and of metadata), ResultSetMetaData (of a result and of a prepared
 * statement), ParameterMetaData, DatabaseMetaData and Array implement
 * (their classes, superclasses and all superinterfaces), and unwraps the governed object to each:
 * what the governed object is itself comes back as the governed object; everything else is refused
 * by default (42501, naming governed.unwrap=allow) and isWrapperFor says false; under
 * governed.unwrap=allow the driver's object is handed out exactly where the driver says it can be,
 * and every unwrap, refused or allowed, leaves an audit event naming the type and the identity.
 * One subclass per database.
 */
abstract class UnwrapSpec {
    private final String sink = "unwrap-" + UUID.randomUUID();

    protected abstract TestDatabase database();

    /** SQL the driver accepts in {@code prepareCall}. */
    protected abstract String callSql();

    /** A query whose first column is an SQL array, or {@code null} where the database has none. */
    protected abstract String arrayQuery();

    /** One object of the surface: the driver's own, and the governed one of the same kind. */
    record Pair(String what, Object raw, Object governed) {
    }

    /** Every class and interface {@code type} is: itself, its superclasses, and all their interfaces, transitively. */
    static Set<Class<?>> typesOf(Class<?> type) {
        Set<Class<?>> types = new LinkedHashSet<>();
        Deque<Class<?>> pending = new ArrayDeque<>();
        pending.add(type);
        while (!pending.isEmpty()) {
            Class<?> next = pending.poll();
            if (next == Object.class || !types.add(next)) {
                continue;
            }
            if (next.getSuperclass() != null) {
                pending.add(next.getSuperclass());
            }
            pending.addAll(List.of(next.getInterfaces()));
        }
        return types;
    }

    /** Types of {@code raw} that {@code governed} is not: unwrapping to them would hand out the driver's object. */
    static List<Class<?>> foreignTypes(Pair pair) {
        return typesOf(pair.raw().getClass()).stream().filter(t -> !t.isInstance(pair.governed())).toList();
    }

    private Connection governed(boolean allowUnwrap) throws SQLException {
        Properties settings = new Properties();
        settings.setProperty("governed.audit", "memory:" + sink);
        if (allowUnwrap) {
            settings.setProperty("governed.unwrap", "allow");
        }
        return database().connectGoverned(settings);
    }

    /** The surface of a raw and a governed connection, side by side; what is opened is added to {@code open}. */
    private List<Pair> surface(Connection raw, Connection governed, Deque<AutoCloseable> open) throws SQLException {
        List<Pair> pairs = new ArrayList<>();
        pairs.add(new Pair("Connection", raw, governed));
        Statement rawStatement = track(open, raw.createStatement());
        Statement statement = track(open, governed.createStatement());
        pairs.add(new Pair("Statement", rawStatement, statement));
        PreparedStatement rawPrepared = track(open, raw.prepareStatement("SELECT 1 + ?"));
        PreparedStatement prepared = track(open, governed.prepareStatement("SELECT 1 + ?"));
        pairs.add(new Pair("PreparedStatement", rawPrepared, prepared));
        pairs.add(new Pair("PreparedStatement's ResultSetMetaData", rawPrepared.getMetaData(), prepared.getMetaData()));
        pairs.add(new Pair("ParameterMetaData", rawPrepared.getParameterMetaData(), prepared.getParameterMetaData()));
        pairs.add(new Pair("CallableStatement", track(open, raw.prepareCall(callSql())), track(open, governed.prepareCall(callSql()))));
        ResultSet rawResult = track(open, rawStatement.executeQuery("SELECT 1"));
        ResultSet result = track(open, statement.executeQuery("SELECT 1"));
        pairs.add(new Pair("ResultSet", rawResult, result));
        pairs.add(new Pair("ResultSetMetaData", rawResult.getMetaData(), result.getMetaData()));
        DatabaseMetaData rawMetaData = raw.getMetaData();
        DatabaseMetaData metaData = governed.getMetaData();
        pairs.add(new Pair("DatabaseMetaData", rawMetaData, metaData));
        pairs.add(new Pair("metadata ResultSet", track(open, rawMetaData.getTableTypes()), track(open, metaData.getTableTypes())));
        if (arrayQuery() != null) {
            Statement rawArrays = track(open, raw.createStatement());
            Statement arrays = track(open, governed.createStatement());
            ResultSet rawRow = track(open, rawArrays.executeQuery(arrayQuery()));
            ResultSet row = track(open, arrays.executeQuery(arrayQuery()));
            assertThat(rawRow.next()).isTrue();
            assertThat(row.next()).isTrue();
            pairs.add(new Pair("Array", rawRow.getArray(1), row.getArray(1)));
        }
        return pairs;
    }

    private static <T extends AutoCloseable> T track(Deque<AutoCloseable> open, T closeable) {
        open.push(closeable);
        return closeable;
    }

    private static void closeAll(Deque<AutoCloseable> open) throws Exception {
        while (!open.isEmpty()) {
            open.pop().close();
        }
    }

    @Test
    void everyTypeTheGovernedObjectIsNotIsRefusedByDefaultAndAudited() throws Exception {
        List<String> refused = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Deque<AutoCloseable> open = new ArrayDeque<>();
        try (Connection raw = database().connectRaw(); Connection governed = governed(false)) {
            for (Pair pair : surface(raw, governed, open)) {
                List<Class<?>> foreign = foreignTypes(pair);
                assertThat(foreign).as("the driver's %s has types of its own", pair.what()).isNotEmpty();
                for (Class<?> type : typesOf(pair.raw().getClass())) {
                    if (type.isInstance(pair.governed())) {
                        if (unwrap(pair.governed(), type) != pair.governed() || !isWrapperFor(pair.governed(), type)) {
                            problems.add(pair.what() + " as " + type.getName() + " is not the governed object");
                        }
                        continue;
                    }
                    Throwable thrown = catchThrowable(() -> unwrap(pair.governed(), type));
                    if (!(thrown instanceof GovernanceException refusal) || !"42501".equals(refusal.getSQLState())
                            || !refusal.getMessage().contains("governed.unwrap=allow")) {
                        problems.add(pair.what() + " unwrapped to " + type.getName() + ": " + thrown);
                    } else {
                        refused.add(type.getName());
                    }
                    if (isWrapperFor(pair.governed(), type)) {
                        problems.add(pair.what() + " says it wraps " + type.getName());
                    }
                }
            }
            closeAll(open);
            assertThat(problems).isEmpty();
            assertThat(unwrapEvents(governed, AuditDecision.DENY)).containsExactlyInAnyOrderElementsOf(refused);
        } finally {
            closeAll(open);
        }
    }

    @Test
    void withUnwrapAllowedTheDriversObjectIsHandedOutWhereTheDriverSaysAndAudited() throws Exception {
        List<String> allowed = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Deque<AutoCloseable> open = new ArrayDeque<>();
        try (Connection raw = database().connectRaw(); Connection governed = governed(true)) {
            for (Pair pair : surface(raw, governed, open)) {
                for (Class<?> type : foreignTypes(pair)) {
                    boolean driverCan = isWrapperFor(pair.raw(), type);
                    if (isWrapperFor(pair.governed(), type) != driverCan) {
                        problems.add(pair.what() + ".isWrapperFor(" + type.getName() + ") differs from the driver's " + driverCan);
                    }
                    Object unwrapped;
                    try {
                        unwrapped = unwrap(pair.governed(), type);
                    } catch (SQLException notThere) {
                        if (driverCan || notThere instanceof GovernanceException) {
                            problems.add(pair.what() + " to " + type.getName() + ": " + notThere);
                        }
                        continue;
                    }
                    if (!type.isInstance(unwrapped) || unwrapped == pair.governed() || unwrapped.getClass() != pair.raw().getClass()) {
                        problems.add(pair.what() + " to " + type.getName() + " gave " + unwrapped);
                    }
                    allowed.add(type.getName());
                }
            }
            closeAll(open);
            assertThat(problems).isEmpty();
            assertThat(allowed).isNotEmpty();
            assertThat(unwrapEvents(governed, AuditDecision.ALLOW)).containsExactlyInAnyOrderElementsOf(allowed);
        } finally {
            closeAll(open);
        }
    }

    /** The types named by the unwrap events of {@code decision}, all recorded for the connection's principal. */
    private List<String> unwrapEvents(Connection governed, AuditDecision decision) throws SQLException {
        GovernedConnection connection = governed.unwrap(GovernedConnection.class);
        connection.governance().flushAudit();
        List<AuditEvent> events = MemorySink.named(sink).events().stream()
                .filter(e -> e.action().equals(StatementAudit.UNWRAP) && e.decision() == decision)
                .filter(e -> connection.connectionId().equals(e.connectionId()))
                .toList();
        assertThat(events).allSatisfy(e -> assertThat(e.principal()).isEqualTo(TestDatabase.GOVERNED_PRINCIPAL));
        return events.stream().map(e -> e.reason().substring(e.reason().lastIndexOf(' ') + 1)).toList();
    }

    /** {@code unwrap} of a JDBC object, or of an SQL array (which has the same method by name on governed arrays). */
    static Object unwrap(Object target, Class<?> type) throws SQLException {
        return invoke(target, "unwrap", type);
    }

    static boolean isWrapperFor(Object target, Class<?> type) throws SQLException {
        if (target instanceof Array && !hasMethod(target, "isWrapperFor")) {
            return type.isInstance(target); // the driver's arrays are no wrappers: they are what they are
        }
        return (Boolean) invoke(target, "isWrapperFor", type);
    }

    private static boolean hasMethod(Object target, String name) {
        try {
            target.getClass().getMethod(name, Class.class);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static Object invoke(Object target, String name, Class<?> type) throws SQLException {
        if (target instanceof java.sql.Wrapper wrapper) {
            return name.equals("unwrap") ? wrapper.unwrap(type) : wrapper.isWrapperFor(type);
        }
        if (!hasMethod(target, name)) {
            throw new SQLException(target.getClass().getName() + " has no " + name);
        }
        try {
            Method method = target.getClass().getMethod(name, Class.class);
            return method.invoke(target, type);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
