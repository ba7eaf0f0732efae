package io.governed.jdbc.session;

import io.governed.jdbc.support.UniqueNames;
import io.governed.sql.Dialect;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * A pool lends one physical connection to borrower after borrower, each behind a proxy of its own: every borrowing
 * of one physical connection shares its session's state, and no two physical connections share one, however many
 * connections are borrowed in turns (more than the states found by a reference comparison).
 */
class SessionStatesTest {

    @Test
    void borrowingsOfOnePhysicalConnectionShareItsStateAndNoTwoConnectionsShareOne() throws SQLException {
        String url = "jdbc:h2:mem:" + UniqueNames.of("states") + ";DB_CLOSE_DELAY=-1";
        List<Connection> physical = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                physical.add(DriverManager.getConnection(url, "sa", ""));
            }
            Map<Connection, SessionState> first = new IdentityHashMap<>();
            Random random = new Random(0x57A7E5L);
            for (int n = 0; n < 5_000; n++) {
                Connection connection = physical.get(random.nextInt(4) == 0 ? random.nextInt(200) : random.nextInt(4));
                SessionState state = SessionStates.of(borrowing(connection), Dialect.H2);
                SessionState earlier = first.putIfAbsent(connection, state);
                assertThat(state).as("borrowing %s", n).isSameAs(earlier == null ? state : earlier);
            }
            assertThat(first.values().stream().distinct().count()).as("a state per physical connection").isEqualTo(first.size());
        } finally {
            for (Connection c : physical) {
                c.close();
            }
        }
    }

    /** A pool's proxy for one borrowing of {@code physical}: {@code unwrap} leads to it, anything else goes to it. */
    private static Connection borrowing(Connection physical) {
        return (Connection) Proxy.newProxyInstance(SessionStatesTest.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("unwrap")) {
                        return physical;
                    }
                    try {
                        return method.invoke(physical, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
