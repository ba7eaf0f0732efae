package io.governed.jdbc.corpus;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A user routine's result, which the analysis cannot trace, written or kept past the masks: through the driver,
 * against PostgreSQL, with a routine (made by the database's owner) that returns a masked column. A writer a mask
 * applies to copied clear SSNs into a table anyone reads ({@code INSERT … VALUES (s.leak(1))}, {@code UPDATE … SET x =
 * s.leak(y)}) and into another session's notifications ({@code pg_notify}), while {@code SELECT s.leak(1)} came back
 * redacted. Outcomes are read through a raw connection and a raw listener.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresRoutineResultCopyOutIT {
    private static final String DATABASE = "governed_routine_copy_out";
    private static final String SSN = "138-18-1624";
    private static final String POLICY = """
            version: 1
            default: deny
            classification: { tags: { pii.ssn: ["*.ssn"] } }
            rules:
              - { id: writers-read, effect: permit, principals: { groups: [writers] }, actions: [select], resources: ["s.*"] }
              - { id: writers-write-orders, effect: permit, principals: { groups: [writers] }, actions: [insert, update, delete], resources: ["s.orders"] }
              - { id: writers-call, effect: permit, principals: { groups: [writers] }, actions: [call], resources: ["s.*", "public.*", "pg_catalog.pg_notify"] }
            masks:
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4, unless: { groups: [pii-readers] } }
            """;

    private final PostgresCorpusDatabase postgres = new PostgresCorpusDatabase();
    private String policyPath;

    @BeforeAll
    void policy() throws Exception {
        Servers.ensurePostgresDatabase(DATABASE);
        policyPath = Servers.policyFile("routine-copy-out", POLICY);
    }

    @BeforeEach
    void fixture() throws SQLException {
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS s CASCADE");
            s.execute("CREATE SCHEMA s");
            s.execute("CREATE TABLE s.customers (id int PRIMARY KEY, name text, ssn text)");
            s.execute("INSERT INTO s.customers VALUES (1, 'Olivia', '" + SSN + "')");
            s.execute("CREATE TABLE s.orders (id int PRIMARY KEY, customer_id int, status text)");
            s.execute("INSERT INTO s.orders VALUES (2, 1, 'new')");
            s.execute("CREATE FUNCTION s.leak(i int) RETURNS text LANGUAGE sql STABLE AS"
                    + " $$ SELECT ssn FROM s.customers WHERE id = i $$");
        }
    }

    private Connection as(String groups) throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policyPath);
        p.setProperty("governed.principal", "wendy");
        p.setProperty("governed.groups", groups);
        p.setProperty("currentSchema", "s,public"); // the unqualified leak(1) is s.leak
        return postgres.governed(DATABASE, p);
    }

    private List<String> statuses() throws SQLException {
        return postgres.rawColumn(DATABASE, "SELECT id || ':' || coalesce(status, '') FROM s.orders ORDER BY id");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO s.orders VALUES (101, 1, s.leak(1))",
            "INSERT INTO s.orders (id, customer_id, status) VALUES (101, 1, leak(1))",
            "INSERT INTO s.orders VALUES (2, 1, 'x') ON CONFLICT (id) DO UPDATE SET status = s.leak(1)",
            "UPDATE s.orders SET status = s.leak(customer_id) WHERE id = 2",
            "UPDATE s.orders SET status = upper(s.leak(customer_id)) WHERE id = 2",
    })
    void aMaskedWriterCannotWriteTheRoutinesResultAndNothingChanges(String sql) throws SQLException {
        try (Connection c = as("writers"); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate(sql)).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("42501");
                assertThat(e.getMessage()).contains("mask-ssn").doesNotContain(SSN);
            });
            try (ResultSet rs = s.executeQuery("SELECT s.leak(1)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isNotEqualTo(SSN); // read, it is masked, as before
            }
        }
        assertThat(statuses()).containsExactly("2:new");
        // the mask's exempt write their own values where they like
        try (Connection c = as("writers,pii-readers"); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate(sql)).isEqualTo(1);
        }
        assertThat(statuses()).anySatisfy(row -> assertThat(row).endsWith(SSN.toUpperCase()));
    }

    @Test
    void aNotificationsPayloadFromTheRoutineIsRefusedToEveryoneAndNoListenerGetsIt() throws Exception {
        try (Connection listener = postgres.raw(DATABASE); Statement l = listener.createStatement()) {
            l.execute("LISTEN chan");
            for (String groups : List.of("writers", "writers,pii-readers")) {
                try (Connection c = as(groups); Statement s = c.createStatement()) {
                    assertThatThrownBy(() -> s.execute("SELECT pg_catalog.pg_notify('chan', s.leak(1))"))
                            .as(groups).isInstanceOfSatisfying(SQLException.class,
                                    e -> assertThat(e.getSQLState()).isEqualTo("42501"));
                    s.execute("SELECT pg_catalog.pg_notify('chan', 'ready')");
                }
            }
            l.execute("SELECT 1"); // receives what was sent meanwhile
            PGNotification[] received = listener.unwrap(PGConnection.class).getNotifications(2_000);
            assertThat(received).extracting(PGNotification::getParameter).containsExactly("ready", "ready");
        }
    }
}
