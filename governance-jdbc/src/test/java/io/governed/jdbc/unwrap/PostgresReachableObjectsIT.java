package io.governed.jdbc.unwrap;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;

/* ReachableObjectsSpec on PostgreSQL. */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresReachableObjectsIT extends ReachableObjectsSpec {
    private static final String SCHEMA = UniqueNames.of("api_reach");

    @BeforeAll
    static void table() throws Exception {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + SCHEMA);
            s.execute("CREATE TABLE " + SCHEMA + ".keyed (id serial PRIMARY KEY, v text)");
        }
    }

    @AfterAll
    static void drop() throws Exception {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @Override
    Connection governed() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", TestDatabase.POSTGRESQL.user());
        p.setProperty("password", TestDatabase.POSTGRESQL.password());
        p.setProperty("governed.policy", TestDatabase.PERMIT_ALL_POLICY);
        p.setProperty("governed.principal", "analyst");
        return DriverManager.getConnection(TestDatabase.POSTGRESQL.governedUrl(), p);
    }

    @Override
    String arrayQuery() {
        return "SELECT ARRAY['a', 'b']";
    }

    @Override
    String insert() {
        return "INSERT INTO " + SCHEMA + ".keyed (v) VALUES ('x')";
    }
}
