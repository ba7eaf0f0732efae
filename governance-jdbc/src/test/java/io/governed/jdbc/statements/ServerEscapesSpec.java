package io.governed.jdbc.statements;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.TestDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sends a statement through the governed driver under the baseline and checks, through a raw connection, that nothing changed. */
abstract class ServerEscapesSpec {

    abstract TestDatabase database();

    /** Queries whose rows must be the same before and after a refused statement. */
    abstract List<String> snapshotQueries();

    Connection raw() throws SQLException {
        return database().connectRaw();
    }

    /** A connection under the baseline policy (no governed.policy), as an ordinary human. */
    Connection governed() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", database().user());
        p.setProperty("password", database().password());
        p.setProperty("governed.principal", "alice");
        p.setProperty("governed.kind", "human");
        return DriverManager.getConnection(database().governedUrl(), p);
    }

    List<String> snapshot() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = raw(); Statement s = c.createStatement()) {
            for (String query : snapshotQueries()) {
                try (ResultSet r = s.executeQuery(query)) {
                    int columns = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= columns; i++) {
                            row.append(r.getString(i)).append('|');
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        return rows;
    }

    void assertRefused(String sql, String... reasonParts) throws Exception {
        List<String> before = snapshot();
        try (Connection c = governed(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(sql))
                    .as(sql)
                    .isInstanceOf(GovernanceException.class)
                    .satisfies(e -> {
                        assertThat(((SQLException) e).getSQLState()).isEqualTo("42501");
                        assertThat(e.getMessage()).contains(reasonParts);
                    });
            assertThatThrownBy(() -> c.prepareStatement(sql).execute()).as("prepared " + sql)
                    .isInstanceOf(GovernanceException.class);
        }
        assertThat(snapshot()).as("the database after %s", sql).isEqualTo(before);
    }

    static void execute(Connection c, String... statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
