package io.governed.jdbc.corpus;

import io.governed.jdbc.support.TestDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates the databases the corpora use on the local servers (reachability is checked by {@code @RequiresDatabase}). */
final class Servers {
    private Servers() {
    }

    /** Creates the PostgreSQL database {@code name} unless it exists. */
    static void ensurePostgresDatabase(String name) throws SQLException {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw();
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + name);
        }
    }

    /** {@code yaml} in a temporary file removed when the JVM exits: a test's {@code governed.policy}. */
    static String policyFile(String prefix, String yaml) throws java.io.IOException {
        java.nio.file.Path policy = java.nio.file.Files.createTempFile(prefix, ".yaml");
        policy.toFile().deleteOnExit();
        java.nio.file.Files.writeString(policy, yaml);
        return policy.toString();
    }

    /** Creates the MariaDB database {@code name} unless it exists. */
    static void ensureMariaDbDatabase(String name) throws SQLException {
        try (Connection c = TestDatabase.MARIADB.connectRaw();
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + name);
        }
    }
}
