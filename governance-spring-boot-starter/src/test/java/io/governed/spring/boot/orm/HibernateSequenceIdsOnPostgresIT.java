package io.governed.spring.boot.orm;

import org.junit.jupiter.api.condition.EnabledIf;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/** {@link SequenceIdsSpec} on the local PostgreSQL server. Skipped when it is unreachable, failed instead with CI=true. */
@EnabledIf("reachable")
class HibernateSequenceIdsOnPostgresIT extends SequenceIdsSpec {
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    static boolean reachable() {
        if ("true".equals(System.getenv("CI"))) {
            return true; // on CI an unreachable server fails the test instead of skipping it
        }
        try (Connection c = DriverManager.getConnection(URL)) {
            return c.isValid(2);
        } catch (SQLException e) {
            System.err.println("PostgreSQL at 127.0.0.1:5432 is unreachable, so " + HibernateSequenceIdsOnPostgresIT.class.getSimpleName()
                    + " is skipped; start the server (user postgres, database test) to run it");
            return false;
        }
    }

    @Override
    String governedUrl() {
        return "jdbc:governed:" + URL.substring("jdbc:".length());
    }

    @Override
    Connection raw() throws SQLException {
        return DriverManager.getConnection(URL);
    }

    @Override
    List<String> schema() {
        return List.of("CREATE SEQUENCE orm_ticket_seq START 500",
                "CREATE TABLE orm_ticket (id bigint PRIMARY KEY, subject text, ssn text)");
    }

    @Override
    List<String> dropSchema() {
        return List.of("DROP TABLE IF EXISTS orm_ticket", "DROP SEQUENCE IF EXISTS orm_ticket_seq");
    }
}
