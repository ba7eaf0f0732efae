package io.governed.jdbc.wrapper;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.gate.SqlText;
import io.governed.sql.Dialect;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every method of every wrapped JDBC interface, default methods included, reaches the delegate:
 * a method a newer JDK adds, or one the forwarding classes miss, fails here.
 */
class ForwardingCompletenessTest {

    /** Methods that deliberately answer without the delegate, because the answer must be the governed object. */
    private static final Set<String> ANSWERED_BY_WRAPPER = Set.of(
            "Statement.getConnection", "ResultSet.getStatement", "DatabaseMetaData.getConnection",
            "Wrapper.unwrap", "Wrapper.isWrapperFor");

    /**
     * Methods that forward and then refuse what the delegate answered (SQLState 42501): a lob of an OUT parameter that is
     * not a value the driver holds, a locator no table column stands behind ({@link GovernedLobs}).
     */
    private static final Set<String> FORWARDED_THEN_REFUSED = Set.of(
            "CallableStatement.getBlob", "CallableStatement.getClob", "CallableStatement.getNClob");

    private final List<Method> calls = new ArrayList<>();

    @TestFactory
    Stream<DynamicTest> everyInterfaceMethodIsForwarded() {
        Governance governance = Governance.builder().defaultIdentity(Identity.human("tester")).build();
        GovernedConnection connection = new GovernedConnection(recorder(Connection.class), governance, null, Dialect.H2);
        GovernedStatement statement = new GovernedStatement(connection, recorder(Statement.class));
        SqlText sql = new SqlText("SELECT 1");
        return Stream.of(
                        cases(Connection.class, connection),
                        cases(Statement.class, statement),
                        cases(PreparedStatement.class, new GovernedPreparedStatement(connection, recorder(PreparedStatement.class), sql)),
                        cases(CallableStatement.class, new GovernedCallableStatement(connection, recorder(CallableStatement.class), sql)),
                        cases(ResultSet.class, new GovernedResultSet(recorder(ResultSet.class), statement)),
                        cases(DatabaseMetaData.class, new GovernedDatabaseMetaData(connection, recorder(DatabaseMetaData.class))),
                        cases(ResultSetMetaData.class, new GovernedResultSetMetaData(recorder(ResultSetMetaData.class), connection)),
                        cases(ParameterMetaData.class, new GovernedParameterMetaData(recorder(ParameterMetaData.class), connection)))
                .flatMap(s -> s);
    }

    /**
     * JDBC objects a wrapped interface may hand out as the driver's own: values, whose methods read or write the value
     * and lead to no connection, statement or catalog (a documented known limit). Every other JDBC object a wrapped
     * interface returns, of a type a newer JDK adds included, must be governed.
     */
    private static final Set<Class<?>> VALUES_PASSED_THROUGH = Set.of(java.sql.SQLXML.class, java.sql.Ref.class,
            java.sql.RowId.class, java.sql.Struct.class, java.sql.Savepoint.class);

    /**
     * Empty values the application makes to fill and bind ({@code Connection.createBlob}, …): they hold nothing of the
     * database's, and writing them is their purpose (a lob read from a result is a read-only view: {@link GovernedLobs}).
     */
    private static final Set<String> MADE_BY_THE_APPLICATION = Set.of("createBlob", "createClob", "createNClob");

    @TestFactory
    Stream<DynamicTest> everyJdbcObjectHandedOutIsGoverned() {
        Governance governance = Governance.builder().defaultIdentity(Identity.human("tester")).build();
        GovernedConnection connection = new GovernedConnection(recorder(Connection.class), governance, null, Dialect.H2);
        GovernedStatement statement = new GovernedStatement(connection, recorder(Statement.class));
        SqlText sql = new SqlText("SELECT 1");
        Map<Class<?>, Object> wrappers = new java.util.LinkedHashMap<>();
        wrappers.put(Connection.class, connection);
        wrappers.put(Statement.class, statement);
        wrappers.put(PreparedStatement.class, new GovernedPreparedStatement(connection, recorder(PreparedStatement.class), sql));
        wrappers.put(CallableStatement.class, new GovernedCallableStatement(connection, recorder(CallableStatement.class), sql));
        wrappers.put(ResultSet.class, new GovernedResultSet(recorder(ResultSet.class), statement));
        wrappers.put(DatabaseMetaData.class, new GovernedDatabaseMetaData(connection, recorder(DatabaseMetaData.class)));
        wrappers.put(ResultSetMetaData.class, new GovernedResultSetMetaData(recorder(ResultSetMetaData.class), connection));
        wrappers.put(ParameterMetaData.class, new GovernedParameterMetaData(recorder(ParameterMetaData.class), connection));
        return wrappers.entrySet().stream().flatMap(e -> Arrays.stream(e.getKey().getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> isJdbcObject(m.getReturnType()) && !VALUES_PASSED_THROUGH.contains(m.getReturnType()))
                .filter(m -> !m.getName().equals("unwrap"))
                .filter(m -> !(e.getKey() == Connection.class && MADE_BY_THE_APPLICATION.contains(m.getName())))
                .map(m -> DynamicTest.dynamicTest(e.getKey().getSimpleName() + "." + m.getName()
                        + Arrays.toString(m.getParameterTypes()), () -> assertGoverned(e.getValue(), m))));
    }

    private static boolean isJdbcObject(Class<?> type) {
        return type.isInterface() && (type.getName().startsWith("java.sql.") || type.getName().startsWith("javax.sql."));
    }

    private static void assertGoverned(Object wrapper, Method method) throws Exception {
        Object handedOut;
        try {
            handedOut = method.invoke(wrapper, arguments(method));
        } catch (InvocationTargetException e) {
            // refused: nothing handed out (a method the wrapper answers with a refusal only)
            assertThat(e.getCause()).as("%s failed instead of handing out a governed object", method)
                    .isInstanceOf(java.sql.SQLException.class)
                    .extracting(t -> ((java.sql.SQLException) t).getSQLState()).isEqualTo("42501");
            return;
        }
        if (handedOut == null) {
            return; // the driver had none (the recorder answers an array with null): nothing handed out
        }
        assertThat(Proxy.isProxyClass(handedOut.getClass()))
                .as("%s hands out the driver's own %s", method, method.getReturnType().getSimpleName()).isFalse();
        assertThat(handedOut.getClass().getPackageName()).as("the class %s hands out", method)
                .startsWith("io.governed.jdbc");
    }

    private Stream<DynamicTest> cases(Class<?> iface, Object wrapper) {
        return Arrays.stream(iface.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> !ANSWERED_BY_WRAPPER.contains(m.getDeclaringClass().getSimpleName() + "." + m.getName()))
                .map(m -> DynamicTest.dynamicTest(iface.getSimpleName() + "." + m.getName() + Arrays.toString(m.getParameterTypes()),
                        () -> assertForwarded(wrapper, m)));
    }

    private void assertForwarded(Object wrapper, Method method) throws Exception {
        calls.clear();
        try {
            method.invoke(wrapper, arguments(method));
        } catch (InvocationTargetException e) {
            boolean refusedAsDesigned = FORWARDED_THEN_REFUSED.contains(
                    method.getDeclaringClass().getSimpleName() + "." + method.getName())
                    && e.getCause() instanceof java.sql.SQLException refusal && "42501".equals(refusal.getSQLState());
            if (!refusedAsDesigned) {
                throw new AssertionError(method + " failed instead of forwarding", e.getCause());
            }
        }
        assertThat(calls).as("the delegate call made by %s", method)
                .anySatisfy(call -> {
                    assertThat(call.getName()).isEqualTo(method.getName());
                    assertThat(call.getParameterTypes()).isEqualTo(method.getParameterTypes());
                });
    }

    private static Object[] arguments(Method method) {
        Class<?>[] types = method.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            args[i] = sample(types[i]);
        }
        return args;
    }

    private static Object sample(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == char.class) {
            return 'x';
        }
        if (type.isPrimitive()) {
            return castZero(type);
        }
        if (type == String.class) {
            return "SELECT 1";
        }
        if (type == Class.class) {
            return Object.class;
        }
        if (type == Map.class) {
            return Map.of();
        }
        if (type.isArray()) {
            return Array.newInstance(type.getComponentType(), 0);
        }
        return null;
    }

    private static Object castZero(Class<?> type) {
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == short.class) {
            return (short) 0;
        }
        if (type == byte.class) {
            return (byte) 0;
        }
        if (type == float.class) {
            return 0f;
        }
        return 0d;
    }

    /** A delegate that records each call and answers with a harmless value of the right type. */
    @SuppressWarnings("unchecked")
    private <T> T recorder(Class<T> iface) {
        return (T) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{iface}, (proxy, method, args) -> {
            calls.add(method);
            Class<?> r = method.getReturnType();
            if (r == void.class) {
                return null;
            }
            if (method.getName().equals("getColumnCount")) {
                return 1; // a result of one column of one table "x", so row writes can be checked
            }
            if (r.isPrimitive()) {
                return r == boolean.class ? false : castZero(r);
            }
            if (r == String.class) {
                return "x";
            }
            if (r.isArray()) {
                return Array.newInstance(r.getComponentType(), 0);
            }
            if (r.isInterface() && r.getName().startsWith("java.sql.") && r != java.sql.Array.class) {
                return recorder(r);
            }
            return null;
        });
    }
}
