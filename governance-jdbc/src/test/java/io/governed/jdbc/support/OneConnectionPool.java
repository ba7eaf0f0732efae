package io.governed.jdbc.support;

import io.governed.identity.Identity;
import io.governed.jdbc.identity.IdentityContext;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A pool of one physical connection, handed out again and again and sending nothing of its own (no validation query,
 * no settings of its own): what a session reset hands the next borrower is exactly what the governed wrapper left, not
 * what a real pool's own statements put back.
 */
public final class OneConnectionPool {
    private OneConnectionPool() {
    }

    /** A data source whose every {@code getConnection} is {@code physical}; closing what it gave hands it back. */
    public static DataSource of(Connection physical) {
        Connection borrowed = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(physical, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return borrowed;
                    }
                    if (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor")) {
                        throw new SQLException("not a wrapper");
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /**
     * One borrowing from {@code pool} as {@code identity}: runs {@code statements} in turn on one statement object and
     * returns the first column of the last one's rows (empty when it returned none).
     */
    public static List<String> borrowAs(DataSource pool, Identity identity, String... statements) throws Exception {
        return IdentityContext.runAs(identity, () -> {
            List<String> last = new ArrayList<>();
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                for (String sql : statements) {
                    last.clear();
                    if (s.execute(sql)) {
                        try (ResultSet rs = s.getResultSet()) {
                            while (rs.next()) {
                                last.add(rs.getString(1));
                            }
                        }
                    }
                }
            }
            return last;
        });
    }
}
