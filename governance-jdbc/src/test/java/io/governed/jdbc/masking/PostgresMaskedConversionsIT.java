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

/* MaskedConversionsSpec on PostgreSQL: text, jsonb, text[] and xml columns holding the masked value. */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresMaskedConversionsIT extends MaskedConversionsSpec {
    private static final String SCHEMA = UniqueNames.of("api_conversions");
    private static Path policy;

    @BeforeAll
    static void table() throws Exception {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + SCHEMA);
            s.execute("CREATE TABLE " + SCHEMA + ".people (id int PRIMARY KEY, ssn text, ssn_json jsonb, "
                    + "ssn_list text[], ssn_doc xml)");
            s.execute("INSERT INTO " + SCHEMA + ".people VALUES (1, '" + SSN + "', '{\"ssn\":\"" + SSN + "\"}', ARRAY['"
                    + SSN + "'], '<s>" + SSN + "</s>')");
        }
        policy = Files.createTempFile("masked-conversions", ".yaml");
        Files.writeString(policy, POLICY);
    }

    @AfterAll
    static void drop() throws Exception {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        Files.deleteIfExists(policy);
    }

    @Override
    Connection governed() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", TestDatabase.POSTGRESQL.user());
        p.setProperty("password", TestDatabase.POSTGRESQL.password());
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "analyst");
        return DriverManager.getConnection(TestDatabase.POSTGRESQL.governedUrl(), p);
    }

    @Override
    String query() {
        return "SELECT ssn, ssn_json, ssn_list, ssn_doc FROM " + SCHEMA + ".people";
    }

    @org.junit.jupiter.api.Test
    void everyResultOfSeveralQueries() throws Exception {
        checkEveryResultOfSeveralQueries();
    }

    @Override
    String multiQuery() {
        return "SELECT id FROM " + SCHEMA + ".people; SELECT ssn, id FROM " + SCHEMA + ".people; SELECT id, ssn_doc, ssn_list FROM " + SCHEMA + ".people";
    }

    @Override
    List<String> driverTypes() {
        return List.of("org.postgresql.util.PGobject", "org.postgresql.util.PGInterval", "org.postgresql.util.PGmoney",
                "org.postgresql.geometric.PGpoint", "org.postgresql.jdbc.PgArray", "org.postgresql.jdbc.PgSQLXML",
                "org.postgresql.util.PGtokenizer");
    }
}
