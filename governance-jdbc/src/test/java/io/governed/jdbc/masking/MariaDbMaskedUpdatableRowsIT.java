package io.governed.jdbc.masking;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;

/* MaskedUpdatableRowsSpec on MariaDB Connector/J, whose updatable results read rows back after inserting them. */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbMaskedUpdatableRowsIT extends MaskedUpdatableRowsSpec {
    private static final String DB = UniqueNames.of("api_updatable");
    private static final String URL = "mariadb://127.0.0.1:3306/" + DB + "?connectTimeout=5000";
    private static Path policy;

    @BeforeAll
    static void database() throws Exception {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DB);
            s.execute("CREATE TABLE " + DB + ".people (id INT PRIMARY KEY, owner VARCHAR(20), ssn VARCHAR(20), UNIQUE KEY owner_ssn (owner, ssn))");
            s.execute("CREATE TRIGGER " + DB + ".people_copy BEFORE INSERT ON " + DB + ".people FOR EACH ROW "
                    + "SET NEW.ssn = COALESCE(NEW.ssn, (SELECT p.ssn FROM " + DB + ".people p WHERE p.id = 1))");
        }
        policy = Files.createTempFile("masked-updatable-rows", ".yaml");
        Files.writeString(policy, POLICY);
    }

    @AfterAll
    static void drop() throws Exception {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB);
        }
        Files.deleteIfExists(policy);
    }

    @Override
    Connection governed() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", TestDatabase.MARIADB.user());
        p.setProperty("password", TestDatabase.MARIADB.password());
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "analyst");
        return DriverManager.getConnection("jdbc:governed:" + URL, p);
    }

    @Override
    Connection raw() throws Exception {
        return DriverManager.getConnection("jdbc:" + URL, TestDatabase.MARIADB.user(), TestDatabase.MARIADB.password());
    }

    @Override
    String table() {
        return "people";
    }
}
