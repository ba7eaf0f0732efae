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
 * Masked values leaving through code the database runs for a statement, through the driver against PostgreSQL: a
 * PL/pgSQL routine that reads an SSN into a variable and writes it to a table anyone reads, a {@code DO} block doing the
 * same, a trigger assigning an SSN to the row it writes, a trigger copying its row's stored SSN elsewhere on an update,
 * and a column default calling a routine that reads one. A writer the mask applies to put clear SSNs in {@code s.pub} and
 * {@code s.orders} with each, while every read of them came back masked. Outcomes are read through a raw connection; the
 * mask's exempt run the same statements, which shows what they would have written.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresMaskedCodeFlowIT {
    private static final String DATABASE = "governed_masked_code_flow";
    private static final String SSN = "138-18-1624";
    private static final String POLICY = """
            version: 1
            default: deny
            classification: { tags: { pii.ssn: ["*.ssn"] } }
            rules:
              - { id: writers, effect: permit, principals: { groups: [writers] }, actions: ["*"], resources: ["s.*"] }
            masks:
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4, unless: { groups: [pii-readers] } }
            """;

    private final PostgresCorpusDatabase postgres = new PostgresCorpusDatabase();
    private String policyPath;

    @BeforeAll
    void policy() throws Exception {
        Servers.ensurePostgresDatabase(DATABASE);
        policyPath = Servers.policyFile("masked-code-flow", POLICY);
    }

    @BeforeEach
    void fixture() throws SQLException {
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS s CASCADE");
            s.execute("CREATE SCHEMA s");
            s.execute("CREATE TABLE s.customers (id int PRIMARY KEY, name text, ssn text)");
            s.execute("INSERT INTO s.customers VALUES (1, 'Olivia', '" + SSN + "')");
            s.execute("CREATE TABLE s.pub (id serial PRIMARY KEY, v text)");
            s.execute("CREATE TABLE s.orders (id int PRIMARY KEY, customer_id int, status text)");
            s.execute("INSERT INTO s.orders VALUES (2, 1, 'new')");
            s.execute("CREATE FUNCTION s.copy_ssn(p_id int) RETURNS int LANGUAGE plpgsql AS $$"
                    + " DECLARE v text;"
                    + " BEGIN SELECT ssn INTO v FROM s.customers WHERE id = p_id; INSERT INTO s.pub (v) VALUES (v); RETURN 1;"
                    + " END $$");
            s.execute("CREATE FUNCTION s.fetch_ssn(p_id int) RETURNS text LANGUAGE plpgsql AS $$"
                    + " DECLARE v text; BEGIN SELECT ssn INTO v FROM s.customers WHERE id = p_id; RETURN v; END $$");
            s.execute("CREATE FUNCTION s.first_ssn() RETURNS text LANGUAGE sql STABLE AS"
                    + " $$ SELECT ssn FROM s.customers ORDER BY id LIMIT 1 $$");
        }
    }

    private Connection as(String groups) throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policyPath);
        p.setProperty("governed.principal", "wendy");
        p.setProperty("governed.groups", groups);
        return postgres.governed(DATABASE, p);
    }

    private void raw(String sql) throws SQLException {
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
            s.execute(sql);
        }
    }

    /** Every value of the tables a masked writer could read back: s.pub's and s.orders' statuses. */
    private List<String> readableValues() throws SQLException {
        return postgres.rawColumn(DATABASE, "SELECT coalesce(v, '') FROM s.pub UNION ALL SELECT coalesce(status, '')"
                + " FROM s.orders");
    }

    private void refusedToTheMaskedAndWrittenByTheExempt(String sql) throws SQLException {
        try (Connection c = as("writers"); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("42501");
                assertThat(e.getMessage()).contains("mask-ssn").contains("code the database runs").doesNotContain(SSN);
            });
        }
        assertThat(readableValues()).as(sql).doesNotContain(SSN);
        try (Connection c = as("writers,pii-readers"); Statement s = c.createStatement()) {
            s.execute(sql);
        }
        assertThat(readableValues()).as(sql).contains(SSN);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT s.copy_ssn(1)",
            "DO $$ DECLARE v text; BEGIN SELECT ssn INTO v FROM s.customers WHERE id = 1; INSERT INTO s.pub (v) VALUES (v);"
                    + " END $$",
            "DO $$ DECLARE r record; BEGIN FOR r IN SELECT ssn FROM s.customers LOOP UPDATE s.orders SET status = r.ssn"
                    + " WHERE id = 2; END LOOP; END $$",
    })
    void codeTheStatementRunsCannotCopyAMaskedValueThroughItsVariables(String sql) throws SQLException {
        refusedToTheMaskedAndWrittenByTheExempt(sql);
    }

    @Test
    void aViewPassingAMaskedValueToARoutineThatWritesIsRefused() throws SQLException {
        raw("CREATE FUNCTION s.log_value(p_value text) RETURNS int LANGUAGE plpgsql AS $$ BEGIN"
                + " INSERT INTO s.pub (v) VALUES (p_value); RETURN 1; END $$");
        raw("CREATE VIEW s.logged AS SELECT c.id, s.log_value(c.ssn) AS logged FROM s.customers c");
        refusedToTheMaskedAndWrittenByTheExempt("SELECT id FROM s.logged");
    }

    @Test
    void aTriggerAssigningAMaskedValueToTheRowIsRefused() throws SQLException {
        raw("CREATE FUNCTION s.stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " NEW.status := (SELECT ssn FROM s.customers WHERE id = NEW.customer_id); RETURN NEW; END $$");
        raw("CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON s.orders FOR EACH ROW EXECUTE FUNCTION s.stamp()");
        refusedToTheMaskedAndWrittenByTheExempt("INSERT INTO s.orders (id, customer_id) VALUES (3, 1)");
    }

    @Test
    void aTriggerCopyingItsRowsStoredMaskedValueOnAnUpdateIsRefused() throws SQLException {
        raw("CREATE FUNCTION s.keep_ssn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " INSERT INTO s.pub (v) VALUES (NEW.ssn); RETURN NEW; END $$");
        raw("CREATE TRIGGER keep_ssn AFTER UPDATE ON s.customers FOR EACH ROW EXECUTE FUNCTION s.keep_ssn()");
        refusedToTheMaskedAndWrittenByTheExempt("UPDATE s.customers SET name = 'Liv' WHERE id = 1");
    }

    @Test
    void aDefaultCallingARoutineThatReadsAMaskedValueIsRefused() throws SQLException {
        raw("ALTER TABLE s.pub ALTER COLUMN v SET DEFAULT s.first_ssn()");
        refusedToTheMaskedAndWrittenByTheExempt("INSERT INTO s.pub DEFAULT VALUES");
    }

    @Test
    void aTriggerNotifyingARoutinesResultIsRefusedToEveryoneAndNoListenerGetsIt() throws Exception {
        // s.fetch_ssn(NEW.id) returns the row's SSN: kept in a notification, any session listening reads it in clear
        raw("CREATE FUNCTION s.announce() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " PERFORM pg_notify('chan', s.fetch_ssn(NEW.id)); RETURN NEW; END $$");
        raw("CREATE TRIGGER announce AFTER UPDATE ON s.customers FOR EACH ROW EXECUTE FUNCTION s.announce()");
        try (Connection listener = postgres.raw(DATABASE); Statement l = listener.createStatement()) {
            l.execute("LISTEN chan");
            for (String groups : List.of("writers", "writers,pii-readers")) {
                try (Connection c = as(groups); Statement s = c.createStatement()) {
                    assertThatThrownBy(() -> s.executeUpdate("UPDATE s.customers SET name = 'Liv' WHERE id = 1"))
                            .as(groups).isInstanceOfSatisfying(SQLException.class, e -> {
                                assertThat(e.getSQLState()).isEqualTo("42501");
                                assertThat(e.getMessage()).contains("mask-ssn", "s.announce").doesNotContain(SSN);
                            });
                }
            }
            // what the exempt writer's update would have told every listener, run raw
            raw("UPDATE s.customers SET name = 'Liv' WHERE id = 1");
            l.execute("SELECT 1"); // receives what was sent meanwhile
            PGNotification[] received = listener.unwrap(PGConnection.class).getNotifications(2_000);
            assertThat(received).extracting(PGNotification::getParameter).containsExactly(SSN);
        }
        assertThat(postgres.rawColumn(DATABASE, "SELECT name FROM s.customers")).containsExactly("Liv");
    }

    @Test
    void aCheckWhoseRoutineWritesItsArgumentIsRefusedForAnUpdateOfStoredRows() throws SQLException {
        // CHECK (s.logged_check(ssn)) runs for every row an update writes, with the row's stored SSN
        raw("CREATE FUNCTION s.logged_check(p_value text) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN"
                + " INSERT INTO s.pub (v) VALUES (p_value); RETURN true; END $$");
        raw("ALTER TABLE s.customers ADD CONSTRAINT logged CHECK (s.logged_check(ssn))");
        raw("TRUNCATE s.pub"); // what adding the check wrote
        refusedToTheMaskedAndWrittenByTheExempt("UPDATE s.customers SET name = 'Liv' WHERE id = 1");
        // a new type of the column re-adds the check, which runs over every row
        raw("TRUNCATE s.pub");
        refusedToTheMaskedAndWrittenByTheExempt("ALTER TABLE s.customers ALTER COLUMN ssn TYPE varchar(20)");
        // and so does validating a check added NOT VALID
        raw("ALTER TABLE s.customers DROP CONSTRAINT logged");
        raw("ALTER TABLE s.customers ADD CONSTRAINT logged CHECK (s.logged_check(ssn)) NOT VALID");
        raw("TRUNCATE s.pub");
        refusedToTheMaskedAndWrittenByTheExempt("ALTER TABLE s.customers VALIDATE CONSTRAINT logged");
        // a table without a masked column: its check's routine takes none
        raw("TRUNCATE s.pub");
        raw("ALTER TABLE s.orders ADD CONSTRAINT logged CHECK (s.logged_check(status))");
        try (Connection c = as("writers"); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE s.orders SET status = 'paid' WHERE id = 2")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"REINDEX TABLE s.customers", "REINDEX INDEX s.customers_key", "VACUUM FULL s.customers",
            "ANALYZE s.customers", "CLUSTER s.customers USING customers_key"})
    void aRebuildRunningAnIndexExpressionThatNotifiesItsArgumentIsRefused(String sql) throws SQLException {
        // an IMMUTABLE function may not write a table, but may call pg_notify: a rebuild computes the index's
        // expression over every stored row
        raw("CREATE FUNCTION s.key_of(p_value text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN"
                + " PERFORM pg_notify('keys', p_value); RETURN p_value; END $$");
        raw("CREATE INDEX customers_key ON s.customers (s.key_of(ssn))");
        try (Connection listener = postgres.raw(DATABASE); Statement l = listener.createStatement()) {
            l.execute("LISTEN keys");
            try (Connection c = as("writers"); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("42501");
                    assertThat(e.getMessage()).contains("mask-ssn", "s.key_of", "every column of s.customers")
                            .doesNotContain(SSN);
                });
            }
            l.execute("SELECT 1"); // receives what was sent meanwhile
            assertThat(listener.unwrap(PGConnection.class).getNotifications(500)).as(sql).isNullOrEmpty();
            // the exempt's rebuild tells every listener the SSN
            try (Connection c = as("writers,pii-readers"); Statement s = c.createStatement()) {
                s.execute(sql);
            }
            l.execute("SELECT 1");
            PGNotification[] received = listener.unwrap(PGConnection.class).getNotifications(2_000);
            assertThat(received).as(sql).extracting(PGNotification::getParameter).contains(SSN);
        }
    }

    @Test
    void anAnalyzeComputingAnExpressionStatisticThatNotifiesItsArgumentIsRefused() throws SQLException {
        // CREATE STATISTICS … ON (s.key_of(ssn)): ANALYZE computes the expression over the sampled rows
        raw("CREATE FUNCTION s.key_of(p_value text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN"
                + " PERFORM pg_notify('keys', p_value); RETURN p_value; END $$");
        raw("CREATE STATISTICS s.customers_key ON (s.key_of(ssn)) FROM s.customers");
        try (Connection listener = postgres.raw(DATABASE); Statement l = listener.createStatement()) {
            l.execute("LISTEN keys");
            try (Connection c = as("writers"); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute("ANALYZE s.customers")).isInstanceOfSatisfying(SQLException.class,
                        e -> {
                            assertThat(e.getSQLState()).isEqualTo("42501");
                            assertThat(e.getMessage()).contains("mask-ssn", "s.key_of").doesNotContain(SSN);
                        });
                // a write runs no statistics' expression
                assertThat(s.executeUpdate("UPDATE s.customers SET name = 'Liv' WHERE id = 1")).isEqualTo(1);
            }
            l.execute("SELECT 1");
            assertThat(listener.unwrap(PGConnection.class).getNotifications(500)).isNullOrEmpty();
            try (Connection c = as("writers,pii-readers"); Statement s = c.createStatement()) {
                s.execute("ANALYZE s.customers");
            }
            l.execute("SELECT 1");
            PGNotification[] received = listener.unwrap(PGConnection.class).getNotifications(2_000);
            assertThat(received).extracting(PGNotification::getParameter).contains(SSN);
        }
    }

    @Test
    void codeThatReadsNoMaskedValueOrOnlyReturnsOneStaysAllowed() throws SQLException {
        raw("CREATE TABLE s.audit (customer_id int, op text)");
        raw("CREATE FUNCTION s.audit_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " INSERT INTO s.audit VALUES (NEW.id, TG_OP); RETURN NEW; END $$");
        raw("CREATE TRIGGER audit_change AFTER INSERT OR UPDATE ON s.customers FOR EACH ROW"
                + " EXECUTE FUNCTION s.audit_change()");
        raw("CREATE FUNCTION s.normalise() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " NEW.ssn := upper(NEW.ssn); RETURN NEW; END $$");
        // a trigger counts for the events it fires on: this one, reading NEW.ssn, for inserts only (not the update below)
        raw("CREATE TRIGGER normalise BEFORE INSERT ON s.customers FOR EACH ROW EXECUTE FUNCTION s.normalise()");
        raw("CREATE TABLE s.signups (id int PRIMARY KEY, ssn text)");
        raw("CREATE TRIGGER normalise BEFORE INSERT ON s.signups FOR EACH ROW EXECUTE FUNCTION s.normalise()");
        try (Connection c = as("writers"); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE s.customers SET name = 'Liv' WHERE id = 1")).isEqualTo(1);
            // a plain insert's row holds the caller's own values: the trigger reading NEW.ssn reads nothing stored
            assertThat(s.executeUpdate("INSERT INTO s.customers VALUES (2, 'Noah', '219-09-9999')")).isEqualTo(1);
            assertThat(s.executeUpdate("INSERT INTO s.signups VALUES (1, '219-09-9999')")).isEqualTo(1);
            try (ResultSet rs = s.executeQuery("SELECT s.fetch_ssn(1)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isNotNull().isNotEqualTo(SSN); // it comes back masked
            }
        }
        assertThat(postgres.rawColumn(DATABASE, "SELECT customer_id || ':' || op FROM s.audit ORDER BY 1"))
                .containsExactly("1:UPDATE", "2:INSERT");
    }
}
