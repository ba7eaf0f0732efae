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

/* MaskedUpdatableRowsSpec on pgjdbc, whose insertRow reads the inserted row back (RETURNING *). */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresMaskedUpdatableRowsIT extends MaskedUpdatableRowsSpec {
    private static final String DB = UniqueNames.of("api_updatable");
    private static final String URL = "postgresql://127.0.0.1:5432/" + DB + "?connectTimeout=5";
    private static Path policy;

    @BeforeAll
    static void database() throws Exception {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DB);
        }
        try (Connection c = DriverManager.getConnection("jdbc:" + URL, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE people (id int PRIMARY KEY, owner text, ssn text, UNIQUE (owner, ssn))");
            s.execute("CREATE FUNCTION people_copy() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "NEW.ssn := COALESCE(NEW.ssn, (SELECT p.ssn FROM people p WHERE p.id = 1)); RETURN NEW; END $$");
            s.execute("CREATE TRIGGER people_copy BEFORE INSERT ON people FOR EACH ROW EXECUTE FUNCTION people_copy()");
        }
        policy = Files.createTempFile("masked-updatable-rows", ".yaml");
        Files.writeString(policy, POLICY);
    }

    @AfterAll
    static void drop() throws Exception {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
        Files.deleteIfExists(policy);
    }

    @Override
    Connection governed() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", "");
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "analyst");
        return DriverManager.getConnection("jdbc:governed:" + URL, p);
    }

    @Override
    Connection raw() throws Exception {
        return DriverManager.getConnection("jdbc:" + URL, "postgres", "");
    }

    @Override
    String table() {
        return "people";
    }
}
