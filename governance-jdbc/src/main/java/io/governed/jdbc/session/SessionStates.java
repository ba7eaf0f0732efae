package io.governed.jdbc.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.governed.sql.Dialect;

import java.lang.ref.WeakReference;
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
        int slot = System.identityHashCode(physical) & (LATELY_BORROWED.length - 1);
        Known lately = LATELY_BORROWED[slot];
        if (lately != null && lately.physical.get() == physical) { // a pool's connection, borrowed again: the usual case
            lately.state.readThrough(connection);
            return lately.state;
        }
        SessionState known = STATES.getIfPresent(physical);
        if (known != null) {
            LATELY_BORROWED[slot] = new Known(new WeakReference<>(physical), known);
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
        LATELY_BORROWED[slot] = new Known(new WeakReference<>(physical), state);
        return state;
    }

    /**
     * The states of the physical connections borrowed lately, by the identity hash of the connection, in front of
     * {@link #STATES}: a pool's borrowing finds its connection's state with a reference comparison, where the cache's
     * weak-keyed lookup made a key and recorded the read. Each entry is a state {@link #STATES} holds for that very
     * connection (which it keeps while the connection lives), and holds the connection weakly, so a connection
     * closed and collected is found by neither. Entries are immutable, so threads may race on a slot.
     */
    private static final Known[] LATELY_BORROWED = new Known[64];

    private record Known(WeakReference<Connection> physical, SessionState state) {
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
