package io.governed.jdbc.connect;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.Outcomes;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/*
 * H2 whose unquoted names are stored in lower case (DATABASE_TO_LOWER=TRUE, the URL Spring Boot and Flyway users write
 * beside MODE=PostgreSQL), reached by the jdbc:governed: URL with the setting, by a plain URL or a data source over a
 * database another connection opened with it (H2 keeps the setting of the database's first connection and ignores the
 * URL's): a rule and a mask written in any case hold on the tables H2 resolves the names to (customers, unquoted, is
 * stored as customers; "CUSTOMERS", quoted, is another table; `CUSTOMERS`, in backticks, is customers), through views,
 * aliases, a schema quoted as "INFORMATION_SCHEMA" (a user's schema here, not H2's), every getter, and the raw database
 * stays as it was.
 */
class H2DatabaseToLowerTest {
    private static final String SSN = "123-45-6789";
    private static final String SECRET = "lower-top-secret";
    /** The value of the other table "CUSTOMERS"."SSN", which no rule names. */
    private static final String DECOY = "decoy-upper-ssn";

    @TempDir
    Path dir;
    private Connection raw;

    @AfterEach
    void shutdown() throws SQLException {
        if (raw != null) {
            try (Statement s = raw.createStatement()) {
                s.execute("SHUTDOWN");
            }
            raw.close();
        }
    }

    private static String policy(String customers, String ssn, String secrets) {
        return """
                version: 1
                rules:
                  - { id: work, effect: permit, actions: ["*"], resources: ["*"] }
                  - { id: no-secrets, effect: forbid, actions: ["*"], resources: ["%3$s"] }
                  - { id: keep-customers, effect: forbid, actions: [update, delete, alter, drop, truncate], resources: ["%1$s"] }
                masks:
                  - { id: hide-ssn, columns: { patterns: ["%1$s.%2$s"] }, function: redact }
                  - { id: hide-accounts-ssn, columns: { patterns: ["accounts.%2$s"] }, function: redact }
                """.formatted(customers, ssn, secrets);
    }

    /** Reads: the secret table stays unread and customers' SSN never comes out in clear. */
    private static final List<String> READS = List.of(
            "SELECT ssn FROM customers",
            "SELECT SSN FROM CUSTOMERS",
            "SELECT Ssn FROM Customers",
            "SELECT \"ssn\" FROM \"customers\"",
            "SELECT `SSN` FROM `CUSTOMERS`",
            "SELECT `ssn` FROM `customers`",
            "SELECT c.SSN AS \"SSN\" FROM customers c",
            "SELECT x.\"ssn\" FROM PUBLIC.CUSTOMERS x",
            "SELECT * FROM \"public\".\"customers\"",
            "SELECT * FROM public.customers",
            "SELECT * FROM `PUBLIC`.`CUSTOMERS`",
            "SELECT t.* FROM (SELECT ssn AS n FROM customers) t",
            "SELECT UPPER(ssn) FROM customers",
            "SELECT (SELECT MAX(SSN) FROM CUSTOMERS) AS v",
            "WITH w AS (SELECT \"ssn\" FROM customers) SELECT * FROM w",
            "SELECT ssn FROM customers UNION ALL SELECT \"SSN\" FROM \"CUSTOMERS\"",
            "SELECT * FROM v_customers",
            "SELECT * FROM V_CUSTOMERS",
            "SELECT * FROM \"V_UPPER\"",
            "SELECT * FROM \"INFORMATION_SCHEMA\".\"TABLES\"",
            "SELECT * FROM \"INFORMATION_SCHEMA\".tables",
            "SELECT * FROM secrets",
            "SELECT * FROM SECRETS",
            "SELECT * FROM \"secrets\"",
            "SELECT * FROM `SECRETS`",
            "SELECT * FROM public.secrets",
            "SELECT * FROM \"public\".\"secrets\"",
            "SELECT (SELECT secret FROM Secrets) FROM customers",
            "SELECT * FROM v_secrets");

    /** Writes: customers stays as it is and no SSN or secret reaches another table. */
    private static final List<String> WRITES = List.of(
            "UPDATE CUSTOMERS SET ssn = 'changed' WHERE id = 1",
            "UPDATE \"customers\" SET ssn = 'changed' WHERE id = 1",
            "UPDATE `CUSTOMERS` SET ssn = 'changed' WHERE id = 1",
            "UPDATE public.Customers SET ssn = 'changed' WHERE id = 1",
            "DELETE FROM \"public\".\"customers\" WHERE id = 1",
            "DELETE FROM Customers WHERE id = 1",
            "ALTER TABLE CUSTOMERS RENAME TO renamed",
            "ALTER TABLE \"customers\" ALTER COLUMN ssn RENAME TO plain",
            "DROP TABLE `CUSTOMERS`",
            "TRUNCATE TABLE customers",
            "INSERT INTO copy SELECT id + 10, SSN FROM CUSTOMERS",
            "INSERT INTO copy SELECT id + 20, \"ssn\" FROM \"customers\"",
            "INSERT INTO COPY SELECT id + 30, secret FROM \"secrets\"",
            "INSERT INTO copy SELECT id + 40, secret FROM SECRETS",
            "DELETE FROM SECRETS WHERE id = 1",
            "DELETE FROM \"secrets\" WHERE id = 1",
            "UPDATE copy SET v = (SELECT ssn FROM CUSTOMERS WHERE id = 1) WHERE id = 1",
            "SET DATABASE_TO_LOWER FALSE");

    @ParameterizedTest(name = "{0} through {1}, rules written {2}")
    @CsvSource(delimiter = '|', value = {
            "MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH | url | customers,ssn,secrets",
            "MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH | url | CUSTOMERS,SSN,SECRETS",
            "DATABASE_TO_LOWER=TRUE | url | public.customers,ssn,public.secrets",
            "DATABASE_TO_LOWER=TRUE | url | PUBLIC.Customers,Ssn,Public.Secrets",
            "MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE | data source | customers,ssn,secrets",
            "DATABASE_TO_LOWER=TRUE | data source | CUSTOMERS,SSN,SECRETS",
            "MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE | plain url | customers,SSN,secrets",
    })
    void aRuleAndAMaskInAnyCaseHoldOnTheTablesH2Resolves(String settings, String through, String names) throws Exception {
        String[] n = names.split(",");
        String database = "h2:mem:h2low_" + UUID.randomUUID();
        raw = DriverManager.getConnection("jdbc:" + database + ";" + settings + ";DB_CLOSE_DELAY=-1", "sa", "");
        List<String> leaks = new ArrayList<>();
        try (Connection governed = governed(settings, database, through, policy(n[0], n[1], n[2]))) {
            for (String text : READS) {
                reset();
                String outcome = Outcomes.of(governed, text);
                if (outcome.contains(SSN) || outcome.contains(SECRET)) {
                    leaks.add("read " + text + " -> " + brief(outcome));
                }
            }
            for (String text : WRITES) {
                reset();
                String outcome = Outcomes.of(governed, text);
                String after = rawState();
                if (!after.equals(initialState())) {
                    leaks.add("write " + text + " -> " + brief(outcome) + " ; raw now " + after);
                }
            }
            assertThat(leaks).as("texts that read the secret or the clear SSN, or changed what they may not").isEmpty();
            // the other table, "CUSTOMERS", is no table a rule names: its values come out as they are
            reset();
            assertThat(Outcomes.of(governed, "SELECT \"SSN\" FROM \"CUSTOMERS\"")).as("the quoted upper-case table")
                    .contains("1.SSN.getString=" + DECOY);
        }
    }

    /** What a Flyway migration and the application then do through the governed connection itself. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "DATABASE_TO_LOWER=TRUE"})
    void aMigrationThroughTheGovernedConnectionCreatesTablesTheMasksFollow(String settings) throws Exception {
        String database = "h2:mem:h2low_" + UUID.randomUUID();
        raw = DriverManager.getConnection("jdbc:" + database + ";" + settings + ";DB_CLOSE_DELAY=-1", "sa", "");
        try (Connection governed = governed(settings, database, "url", policy("customers", "ssn", "secrets"));
             Statement s = governed.createStatement()) {
            s.execute("CREATE TABLE Accounts (id INT PRIMARY KEY, SSN VARCHAR(20))");
            s.execute("INSERT INTO ACCOUNTS (id, Ssn) VALUES (1, '" + SSN + "')");
            s.execute("CREATE VIEW account_view AS SELECT id, ssn AS acct FROM accounts");
            for (String text : List.of("SELECT * FROM accounts", "SELECT \"ssn\" FROM \"accounts\"", "SELECT acct FROM ACCOUNT_VIEW",
                    "SELECT * FROM public.account_view", "SELECT a.ssn FROM Accounts a")) {
                String outcome = Outcomes.of(governed, text);
                assertThat(outcome).as(text).startsWith("rows").doesNotContain(SSN);
            }
        }
        assertThat(rows("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name"))
                .as("as H2 stored the migration's names").isEqualTo("[account_view] [accounts]");
        assertThat(rows("SELECT ssn FROM accounts")).isEqualTo("[" + SSN + "]");
    }

    @Test
    void theDatabasesOwnInformationSchemaIsReadAsSuch() throws Exception {
        String database = "h2:mem:h2low_" + UUID.randomUUID();
        raw = DriverManager.getConnection("jdbc:" + database + ";DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", "");
        reset();
        try (Connection governed = governed("DATABASE_TO_LOWER=TRUE", database, "url", policy("customers", "ssn", "secrets"))) {
            assertThat(Outcomes.of(governed, "SELECT table_name FROM information_schema.tables WHERE table_name = 'customers'"))
                    .contains("1.table_name.getString=customers");
            assertThat(Outcomes.of(governed, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'customers'"))
                    .startsWith("rows");
        }
    }

    /**
     * Databases whose names H2 compares in a way the analysis does not follow, opened first by another connection (a
     * data source over them, or a plain URL, which H2 gives the database's settings, not its own): refused at connect.
     */
    @ParameterizedTest(name = "{0} through {1}")
    @CsvSource(delimiter = '|', value = {
            "CASE_INSENSITIVE_IDENTIFIERS=TRUE | data source",
            "CASE_INSENSITIVE_IDENTIFIERS=TRUE | plain url",
            "MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE | data source",
            "DATABASE_TO_UPPER=FALSE | data source",
            "DATABASE_TO_UPPER=FALSE | plain url",
    })
    void aDatabaseOpenedWithNamesComparedOtherwiseIsRefused(String settings, String through) throws Exception {
        String database = "h2:mem:h2low_" + UUID.randomUUID();
        raw = DriverManager.getConnection("jdbc:" + database + ";" + settings + ";DB_CLOSE_DELAY=-1", "sa", "");
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(20), ssn VARCHAR(20))");
            s.execute("INSERT INTO customers VALUES (1, 'ann', '" + SSN + "')");
        }
        try (Connection governed = governed(settings, database, through, policy("customers", "ssn", "secrets"))) {
            fail("connected; SELECT ssn FROM customers gave " + Outcomes.of(governed, "SELECT ssn FROM customers"));
        } catch (SQLException refusal) {
            assertThat(refusal.getSQLState()).isEqualTo("08001");
            assertThat(refusal.getMessage()).contains("INFORMATION_SCHEMA.SETTINGS").doesNotContain(SSN);
        }
    }

    private Connection governed(String settings, String database, String through, String policy) throws Exception {
        switch (through.strip()) {
            case "url", "plain url" -> {
                Path file = Files.writeString(dir.resolve("policy-" + UUID.randomUUID() + ".yaml"), policy);
                Properties p = new Properties();
                p.setProperty("user", "sa");
                p.setProperty("password", "");
                p.setProperty("governed.policy", file.toString());
                p.setProperty("governed.principal", "h2low-agent");
                p.setProperty("governed.kind", "agent");
                String url = through.strip().equals("url") ? database + ";" + settings : database;
                return DriverManager.getConnection("jdbc:governed:" + url, p);
            }
            default -> {
                JdbcDataSource h2 = new JdbcDataSource();
                h2.setURL("jdbc:" + database);
                h2.setUser("sa");
                Governance governance = Governance.builder().policy(PolicyLoader.fromString("h2low.yaml", policy))
                        .defaultIdentity(Identity.builder("h2low-agent").kind(IdentityKind.AGENT).build())
                        .withoutAudit().build();
                return new GovernedDataSource(h2, governance).getConnection();
            }
        }
    }

    /**
     * The tables as the raw connection creates them: customers and secrets unquoted (stored in lower case), the other
     * table "CUSTOMERS" quoted in upper case beside customers, views over each, and a user's schema "INFORMATION_SCHEMA"
     * (not H2's, which is information_schema here) whose view "TABLES" reads the SSN.
     */
    private void reset() throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS \"INFORMATION_SCHEMA\" CASCADE");
            s.execute("DROP VIEW IF EXISTS v_customers");
            s.execute("DROP VIEW IF EXISTS \"V_UPPER\"");
            s.execute("DROP VIEW IF EXISTS v_secrets");
            s.execute("DROP TABLE IF EXISTS customers");
            s.execute("DROP TABLE IF EXISTS renamed");
            s.execute("DROP TABLE IF EXISTS \"CUSTOMERS\"");
            s.execute("DROP TABLE IF EXISTS secrets");
            s.execute("DROP TABLE IF EXISTS copy");
            s.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(20), ssn VARCHAR(20))");
            s.execute("CREATE TABLE \"CUSTOMERS\" (id INT PRIMARY KEY, \"SSN\" VARCHAR(20))");
            s.execute("CREATE TABLE secrets (id INT, secret VARCHAR(20))");
            s.execute("CREATE TABLE copy (id INT PRIMARY KEY, v VARCHAR(20))");
            s.execute("INSERT INTO customers VALUES (1, 'ann', '" + SSN + "')");
            s.execute("INSERT INTO \"CUSTOMERS\" VALUES (1, '" + DECOY + "')");
            s.execute("INSERT INTO secrets VALUES (1, '" + SECRET + "')");
            s.execute("INSERT INTO copy VALUES (1, 'x')");
            s.execute("CREATE VIEW v_customers AS SELECT ssn FROM customers");
            s.execute("CREATE VIEW \"V_UPPER\" AS SELECT ssn AS \"SSN\" FROM customers");
            s.execute("CREATE VIEW v_secrets AS SELECT secret FROM secrets");
            try {
                s.execute("CREATE SCHEMA \"INFORMATION_SCHEMA\"");
                s.execute("CREATE VIEW \"INFORMATION_SCHEMA\".\"TABLES\" AS SELECT ssn FROM customers");
                s.execute("CREATE VIEW \"INFORMATION_SCHEMA\".tables AS SELECT ssn FROM customers");
            } catch (SQLException upperCaseDatabase) {
                // a database of H2's default case: "INFORMATION_SCHEMA" is its own
            }
        }
    }

    private static String initialState() {
        return "[1|ann|" + SSN + "] [1|" + DECOY + "] [1|" + SECRET + "] [1|x]";
    }

    private String rawState() {
        try {
            return rows("SELECT id, name, ssn FROM customers ORDER BY id") + " " + rows("SELECT id, \"SSN\" FROM \"CUSTOMERS\"")
                    + " " + rows("SELECT id, secret FROM secrets ORDER BY id") + " " + rows("SELECT id, v FROM copy ORDER BY id");
        } catch (SQLException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    private String rows(String sql) throws SQLException {
        return Outcomes.rows(raw, sql);
    }

    private static String brief(String outcome) {
        return outcome.length() <= 200 ? outcome : outcome.substring(0, 200) + "…";
    }
}
