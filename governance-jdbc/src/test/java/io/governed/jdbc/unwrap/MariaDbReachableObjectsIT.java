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

/* ReachableObjectsSpec on MariaDB. */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbReachableObjectsIT extends ReachableObjectsSpec {
    private static final String DB = UniqueNames.of("api_reach");

    @BeforeAll
    static void table() throws Exception {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DB);
            s.execute("CREATE TABLE " + DB + ".keyed (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10))");
            s.execute("CREATE PROCEDURE " + DB + ".nothing() SELECT 1");
        }
    }

    @AfterAll
    static void drop() throws Exception {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB);
        }
    }

    @Override
    Connection governed() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", TestDatabase.MARIADB.user());
        p.setProperty("password", TestDatabase.MARIADB.password());
        p.setProperty("governed.policy", TestDatabase.PERMIT_ALL_POLICY);
        p.setProperty("governed.principal", "analyst");
        return DriverManager.getConnection("jdbc:governed:mariadb://127.0.0.1:3306/" + DB + "?connectTimeout=5000", p);
    }

    @Override
    String arrayQuery() {
        return null;
    }

    @Override
    String insert() {
        return "INSERT INTO keyed (v) VALUES ('x')";
    }

    @Override
    String callSql() {
        return "{call nothing()}";
    }
}
