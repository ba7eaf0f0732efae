package io.governed.jdbc.corpus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** User-defined routines of the H2 adversarial fixture: code the analysis cannot see into. */
public final class H2Routines {
    private H2Routines() {
    }

    /** The SSN of customer {@code id}: a routine that returns a masked column's value. */
    public static String ssnOf(Connection connection, int id) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT ssn FROM customers WHERE id = ?")) {
            s.setInt(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Deletes every payment: a routine with a side effect. */
    public static int wipePayments(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            return s.executeUpdate("DELETE FROM payments");
        }
    }
}
