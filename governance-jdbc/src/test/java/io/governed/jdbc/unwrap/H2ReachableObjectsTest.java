package io.governed.jdbc.unwrap;

import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;

/* ReachableObjectsSpec on H2. */
class H2ReachableObjectsTest extends ReachableObjectsSpec {
    private static final String URL = "h2:mem:" + UniqueNames.of("api_reach") + ";DB_CLOSE_DELAY=-1";
    private Connection keeper;

    @BeforeEach
    void table() throws Exception {
        keeper = DriverManager.getConnection("jdbc:" + URL, "sa", "");
        try (Statement s = keeper.createStatement()) {
            s.execute("CREATE TABLE keyed (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10))");
        }
    }

    @AfterEach
    void drop() throws Exception {
        try (Statement s = keeper.createStatement()) {
            s.execute("DROP TABLE keyed");
        }
        keeper.close();
    }

    @Override
    Connection governed() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        p.setProperty("governed.policy", TestDatabase.PERMIT_ALL_POLICY);
        p.setProperty("governed.principal", "analyst");
        return DriverManager.getConnection("jdbc:governed:" + URL, p);
    }

    @Override
    String arrayQuery() {
        return "SELECT ARRAY['a', 'b']";
    }

    @Override
    String insert() {
        return "INSERT INTO keyed (v) VALUES ('x')";
    }
}
