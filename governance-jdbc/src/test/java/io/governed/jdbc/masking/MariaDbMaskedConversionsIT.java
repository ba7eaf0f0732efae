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
import java.util.List;
import java.util.Properties;

/* MaskedConversionsSpec on MariaDB: VARCHAR, JSON and TEXT columns holding the masked value. */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbMaskedConversionsIT extends MaskedConversionsSpec {
    private static final String DB = UniqueNames.of("probe_jdbc_conversions");
    private static Path policy;

    @BeforeAll
    static void table() throws Exception {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DB);
            s.execute("CREATE TABLE " + DB + ".people (id INT PRIMARY KEY, ssn VARCHAR(20), ssn_json JSON, ssn_doc TEXT)");
            s.execute("CREATE PROCEDURE " + DB + ".listed() SELECT ssn, ssn_json, ssn_doc FROM " + DB + ".people");
            s.execute("INSERT INTO " + DB + ".people VALUES (1, '" + SSN + "', '{\"ssn\":\"" + SSN + "\"}', '" + SSN + "')");
        }
        policy = Files.createTempFile("probe-jdbc-conversions", ".yaml");
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
        return DriverManager.getConnection("jdbc:governed:mariadb://127.0.0.1:3306/" + DB + "?connectTimeout=5000", p);
    }

    @Override
    String query() {
        return "SELECT ssn, ssn_json, ssn_doc FROM people";
    }

    /** A procedure whose result is the query's. */
    @Override
    String callSql() {
        return "{call listed()}";
    }

    @Override
    List<String> driverTypes() {
        return List.of("org.mariadb.jdbc.type.Geometry", "org.mariadb.jdbc.MariaDbClob", "org.mariadb.jdbc.MariaDbBlob",
                "org.mariadb.jdbc.client.result.Result");
    }
}
