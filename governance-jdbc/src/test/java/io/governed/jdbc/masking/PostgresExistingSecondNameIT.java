package io.governed.jdbc.masking;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL: second names of a masked table that a DBA or a migration made through a raw connection before the
 * agent came, in a database of the test's own (with {@code postgres_fdw} and {@code dblink}): a foreign table pointing
 * back at the masked table of the same database (its column under the same name and under another), a
 * {@code dblink} call reading it, an inheritance child and a partition read through the parent and by name, and a rule
 * and a trigger someone else defined that copy the SSN into a clear table when the agent makes a harmless insert. Each
 * comes back masked through every getter, or is refused (42501, naming the mask, never a value); the clear table,
 * read raw, holds no SSN. Under a mask pattern with the schema and one without.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@ServerWide("databases, other databases by link, roles or users")
class PostgresExistingSecondNameIT {
    private static final String SSN = "219-45-6789";
    private static final String KID_SSN = "318-22-4417";
    private static final String PART_SSN = "412-09-5531";
    private static final String DB = "sx_db_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String URL = "postgresql://127.0.0.1:5432/" + DB + "?connectTimeout=5";

    @BeforeAll
    static void database() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE DATABASE " + DB);
        }
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("CREATE EXTENSION postgres_fdw");
            st.execute("CREATE EXTENSION dblink");
            st.execute("CREATE TABLE sx_customers (id int, ssn text)");
            st.execute("INSERT INTO sx_customers VALUES (1, '" + SSN + "')");
            st.execute("CREATE TABLE sx_clear (id int, note text)");
            st.execute("CREATE SERVER sx_self FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '5432',"
                    + " dbname '" + DB + "')");
            st.execute("CREATE USER MAPPING FOR PUBLIC SERVER sx_self OPTIONS (user 'postgres')");
            st.execute("CREATE FOREIGN TABLE sx_ft (id int, ssn text) SERVER sx_self OPTIONS (table_name 'sx_customers')");
            st.execute("CREATE FOREIGN TABLE sx_ft_renamed (id int, tax_id text OPTIONS (column_name 'ssn')) SERVER sx_self"
                    + " OPTIONS (table_name 'sx_customers')");
            st.execute("CREATE TABLE sx_kid () INHERITS (sx_customers)");
            st.execute("INSERT INTO sx_kid VALUES (2, '" + KID_SSN + "')");
            st.execute("CREATE TABLE sx_parted (id int, ssn text) PARTITION BY LIST (id)");
            st.execute("CREATE TABLE sx_parted_1 PARTITION OF sx_parted FOR VALUES IN (3)");
            st.execute("INSERT INTO sx_parted VALUES (3, '" + PART_SSN + "')");
            st.execute("CREATE TABLE sx_log (id int)");
            st.execute("CREATE RULE sx_copy AS ON INSERT TO sx_log DO ALSO INSERT INTO sx_clear SELECT id, ssn FROM"
                    + " sx_customers");
            st.execute("CREATE TABLE sx_log2 (id int)");
            st.execute("CREATE FUNCTION sx_copy_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " INSERT INTO sx_clear SELECT id, ssn FROM sx_customers; RETURN NEW; END $$");
            st.execute("CREATE TRIGGER sx_copy_tg AFTER INSERT ON sx_log2 FOR EACH ROW EXECUTE FUNCTION sx_copy_fn()");
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
    }

    @BeforeEach
    void emptyClearTable() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("TRUNCATE sx_clear");
        }
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + URL, "postgres", "");
    }

    private static Connection agent(String schema) throws SQLException, IOException {
        Path policy = Files.createTempFile("sx-existing", ".yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                masks:
                  - id: hide-ssn
                    columns: { patterns: ["%1$ssx_customers.ssn", "%1$ssx_parted.ssn"] }
                    function: redact
                """.formatted(schema));
        policy.toFile().deleteOnExit();
        Properties settings = new Properties();
        settings.setProperty("user", "postgres");
        settings.setProperty("password", "");
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.principal", "sx-agent");
        settings.setProperty("governed.kind", "agent");
        return DriverManager.getConnection("jdbc:governed:" + URL, settings);
    }

    static Stream<Arguments> statements() {
        String link = "'dbname=" + DB + " host=127.0.0.1 user=postgres'";
        String[] sqls = {
                "SELECT ssn FROM sx_ft",
                "SELECT * FROM sx_ft",
                "SELECT tax_id FROM sx_ft_renamed",
                "SELECT * FROM public.sx_ft_renamed",
                "SELECT c.id, f.ssn FROM sx_clear c RIGHT JOIN sx_ft f ON true",
                "SELECT (SELECT max(tax_id) FROM sx_ft_renamed)",
                "INSERT INTO sx_clear SELECT id, ssn FROM sx_ft",
                "INSERT INTO sx_clear SELECT id, tax_id FROM sx_ft_renamed",
                "SELECT ssn FROM dblink(" + link + ", 'SELECT ssn FROM sx_customers') AS t(ssn text)",
                "SELECT * FROM dblink(" + link + ", 'SELECT ssn FROM sx_customers') AS t(x text)",
                "INSERT INTO sx_clear SELECT 1, x FROM dblink(" + link + ", 'SELECT ssn FROM sx_customers') AS t(x text)",
                "SELECT ssn FROM sx_customers",
                "SELECT ssn FROM sx_kid",
                "SELECT * FROM sx_kid",
                "SELECT ssn FROM sx_parted_1",
                "SELECT * FROM sx_parted",
                "INSERT INTO sx_clear SELECT id, ssn FROM sx_kid",
                "INSERT INTO sx_clear SELECT id, ssn FROM sx_parted_1",
                "INSERT INTO sx_log VALUES (1)",
                "INSERT INTO sx_log2 VALUES (1)",
        };
        return Stream.of("", "public.").flatMap(p -> Stream.of(sqls).map(q -> Arguments.of(p, q)));
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("statements")
    void readsThroughASecondNameMadeBeforehandAreMaskedOrRefused(String schema, String sql)
            throws SQLException, IOException {
        try (Connection c = agent(schema); Statement st = c.createStatement()) {
            boolean query;
            try {
                query = st.execute(sql);
            } catch (SQLException refused) {
                assertThat(refused.getSQLState()).as(sql + ": " + refused.getMessage()).isEqualTo("42501");
                assertThat(refused.getMessage()).contains("hide-ssn").doesNotContain(SSN, KID_SSN, PART_SSN);
                query = false;
            }
            if (query) {
                try (ResultSet rs = st.getResultSet()) {
                    assertThat(String.join("\n", EveryGetter.ofAllRows(rs))).as(sql)
                            .doesNotContain(SSN, KID_SSN, PART_SSN, "6789", "4417", "5531");
                }
            }
        }
        try (Connection raw = raw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM sx_clear WHERE note IN ('" + SSN + "', '" + KID_SSN
                     + "', '" + PART_SSN + "')")) {
            rs.next();
            assertThat(rs.getInt(1)).as(sql + ": SSNs copied into sx_clear in clear (read raw)").isZero();
        }
    }
}
