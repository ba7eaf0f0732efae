package io.governed.jdbc.connect;

import io.governed.jdbc.support.UniqueNames;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An embedded H2 database of its own with a table {@code victim} of one row, which the connect-time attacks of a test
 * try to drop or empty, read back through a raw connection; closing drops everything in it.
 */
final class H2Victim implements AutoCloseable {
    /** The database's URL without {@code jdbc:}: {@code h2:mem:…;DB_CLOSE_DELAY=-1}. */
    final String database;
    private final Connection raw;

    H2Victim(String prefix) throws SQLException {
        database = "h2:mem:" + UniqueNames.of(prefix) + ";DB_CLOSE_DELAY=-1";
        raw = DriverManager.getConnection("jdbc:" + database, "sa", "");
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE victim (id INT PRIMARY KEY)");
            s.execute("INSERT INTO victim VALUES (1)");
        }
    }

    /** The rows of the table {@code victim}. */
    int rows() throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM victim")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Whether the table {@code victim} is still there. */
    boolean exists() throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'VICTIM'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    @Override
    public void close() throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("DROP ALL OBJECTS");
        }
        raw.close();
    }
}
