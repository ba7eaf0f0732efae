package io.governed.jdbc.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.governed.sql.Dialect;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The {@link SessionState} of each physical connection. A pool hands the same physical connection
 * to one borrower after another, each behind a new wrapper; they share its session, and so its state.
 */
public final class SessionStates {

    /** Keys weak and compared by identity: a connection's own {@code equals} is not trusted (a proxy may answer anything). */
    private static final Cache<Connection, SessionState> STATES = Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();

    private SessionStates() {
    }

    /**
     * The state of the physical connection behind {@code connection} (a pool's proxy is seen through),
     * read through {@code connection} from now on.
     */
    public static SessionState of(Connection connection, Dialect dialect) {
        Connection physical = physical(connection);
        SessionState known = STATES.getIfPresent(physical); // a pool's connection, borrowed again: the usual case
        if (known != null) {
            known.readThrough(connection);
            return known;
        }
        boolean[] created = new boolean[1];
        SessionState state = STATES.get(physical, key -> {
            created[0] = true;
            return new SessionState(connection, dialect);
        });
        if (!created[0]) {
            state.readThrough(connection);
        }
        return state;
    }

    /** The innermost connection {@code unwrap(Connection.class)} leads to. */
    public static Connection physical(Connection connection) {
        Connection current = connection;
        for (int i = 0; i < 8; i++) {
            Connection inner;
            try {
                inner = current.unwrap(Connection.class);
            } catch (SQLException | RuntimeException e) {
                return current;
            }
            if (inner == null || inner == current) {
                return current;
            }
            current = inner;
        }
        return current;
    }
}
