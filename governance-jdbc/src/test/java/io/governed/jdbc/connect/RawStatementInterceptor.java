package io.governed.jdbc.connect;

import org.apache.tomcat.jdbc.pool.ConnectionPool;
import org.apache.tomcat.jdbc.pool.JdbcInterceptor;
import org.apache.tomcat.jdbc.pool.PooledConnection;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * A Tomcat JDBC interceptor of an application's own: at each borrowing it runs {@link #statement} on the raw
 * connection, past the gate. Tomcat makes its interceptors by class name, so the statement is set here by the test
 * that configures the pool.
 */
public final class RawStatementInterceptor extends JdbcInterceptor {
    /** What the next borrowing runs. */
    static volatile String statement;

    @Override
    public void reset(ConnectionPool parent, PooledConnection con) {
        if (con == null) {
            return;
        }
        try (Statement s = con.getConnection().createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
