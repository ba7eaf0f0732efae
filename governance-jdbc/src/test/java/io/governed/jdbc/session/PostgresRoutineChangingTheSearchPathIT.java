package io.governed.jdbc.session;

import io.governed.jdbc.support.SchemaSwitchingCall;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL, in a database of the test's own: a function of the caller's schema {@code sem_sandbox} under a name
 * the analysis's list of pure built-ins holds for other databases ({@code mask}, {@code crc32}, {@code random_uuid},
 * {@code newid}, none of them a function of {@code pg_catalog}) sets the search path to {@code sem_prod} (dynamic SQL, so
 * the policy declares that it reaches no table). A caller permitted everything in {@code sem_sandbox}, only to read
 * {@code sem_prod.sem_customers} with its SSN masked, calls it on a connection whose search path is {@code sem_sandbox};
 * afterwards its unqualified {@code sem_customers} is {@code sem_prod}'s. The driver must follow: the SSN read back is
 * masked in every getter (or the read refused), and the caller's DELETE does not reach {@code sem_prod.sem_customers}
 * (counted through a raw connection).
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresRoutineChangingTheSearchPathIT {
    private static final String SSN = "123-45-6789";
    private static final String DB = "sem_db_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String URL = "postgresql://127.0.0.1:5432/" + DB + "?connectTimeout=5";

    @BeforeAll
    static void database() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE DATABASE " + DB);
        }
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("CREATE SCHEMA sem_prod");
            st.execute("CREATE SCHEMA sem_sandbox");
            st.execute("CREATE TABLE sem_prod.sem_customers (id int PRIMARY KEY, name text, ssn text)");
            st.execute("CREATE TABLE sem_sandbox.sem_customers (id int PRIMARY KEY, name text, ssn text)");
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
    }

    @BeforeEach
    void rows() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("DELETE FROM sem_prod.sem_customers");
            st.execute("DELETE FROM sem_sandbox.sem_customers");
            st.execute("INSERT INTO sem_prod.sem_customers VALUES (1, 'Ann', '" + SSN + "')");
            st.execute("INSERT INTO sem_sandbox.sem_customers VALUES (1, 'Own', '000-00-0000')");
        }
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + URL, "postgres", "");
    }

    private static Connection governed() throws SQLException, IOException {
        Path policy = Files.createTempFile("sem-pg", ".yaml");
        Files.writeString(policy, """
                version: 1
                default: deny
                rules:
                  - { id: own-schema, effect: permit, actions: ["*"], resources: ["sem_sandbox.*"] }
                  - { id: read-customers, effect: permit, actions: [select], resources: ["sem_prod.sem_customers"] }
                routines:
                  - { id: sem-reaches-nothing, routines: ["sem_sandbox.*"], does: [] }
                masks:
                  - { id: sem-hide-ssn, columns: { patterns: ["sem_prod.sem_customers.ssn"] }, function: redact }
                """);
        policy.toFile().deleteOnExit();
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", "");
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "analyst");
        return DriverManager.getConnection("jdbc:governed:" + URL + "&currentSchema=sem_sandbox", p);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mask", "crc32", "random_uuid", "newid"})
    void aCallOfAFunctionNamedLikeABuiltInThatSetsTheSearchPathIsFollowed(String name) throws Exception {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("CREATE OR REPLACE FUNCTION sem_sandbox." + name + "(v text) RETURNS text LANGUAGE plpgsql AS $$"
                    + " BEGIN EXECUTE 'SET search_path TO sem_prod'; RETURN v; END $$");
        }
        List<String> seen;
        try (Connection c = governed()) {
            seen = SchemaSwitchingCall.seenAfter(c, "SELECT " + name + "('x')");
        } finally {
            try (Connection raw = raw(); Statement st = raw.createStatement()) {
                st.execute("DROP FUNCTION sem_sandbox." + name + "(text)");
            }
        }
        int left;
        try (Connection raw = raw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM sem_prod.sem_customers")) {
            rs.next();
            left = rs.getInt(1);
        }
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(seen).as("what the caller read after the call")
                    .allSatisfy(v -> assertThat(v).doesNotContain("45-6789"));
            softly.assertThat(left).as("rows left in sem_prod.sem_customers, which the caller may only read").isEqualTo(1);
        });
    }
}
