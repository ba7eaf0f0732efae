package io.governed.jdbc.connect;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.Outcomes;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * H2 opened in a compatibility mode by its URL (MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE, as Spring and Flyway users
 * write it, accepted and read in lower case; MODE=MySQL, MODE=MariaDB, refused): every text of the corpus whose reading in the mode could differ from the
 * analysis' (names folded to lower case, quoted in lower case, schema-qualified as public; backticks and brackets;
 * dollar quotes, backslashes, '#' and '--' without a space; MySQL-mode upserts and REPLACE) is either refused or keeps
 * the forbidden table unread, the masked column masked through every getter and the raw database unchanged. Run
 * through a governed data source over an H2 data source of that URL (which the driver does not check) and through
 * the jdbc:governed: URL itself.
 */
class H2ModeUrlTest {
    private static final String SSN = "123-45-6789";
    private static final String SECRET = "h2m-top-secret";

    private static final String POLICY = """
            version: 1
            rules:
              - { id: work, effect: permit, actions: ["*"], resources: ["*"] }
              - { id: no-secrets, effect: forbid, actions: ["*"], resources: ["public.h2m_secrets"] }
              - { id: keep-customers, effect: forbid, actions: [update, delete], resources: ["public.h2m_customers"] }
            masks:
              - { id: hide-ssn, columns: { patterns: ["public.h2m_customers.ssn"] }, function: redact, unless: { kinds: [human] } }
            """;

    /** Reads, in any mode: the secret table must stay unread and the SSN masked. */
    private static final List<String> READS = List.of(
            "SELECT ssn FROM h2m_customers",
            "SELECT SSN FROM H2M_CUSTOMERS",
            "SELECT \"ssn\" FROM \"h2m_customers\"",
            "SELECT c.\"ssn\" FROM public.\"h2m_customers\" c",
            "SELECT \"ssn\" FROM \"public\".\"h2m_customers\"",
            "SELECT \"SSN\" FROM \"PUBLIC\".\"H2M_CUSTOMERS\"",
            "SELECT `ssn` FROM `h2m_customers`",
            "SELECT `SSN` FROM `H2M_CUSTOMERS`",
            "SELECT [ssn] FROM [h2m_customers]",
            "SELECT UPPER(ssn) FROM h2m_customers",
            "SELECT ssn::varchar FROM h2m_customers",
            "SELECT U&\"SS\\004e\" FROM h2m_customers",
            "SELECT `ssn` FROM `PUBLIC`.`h2m_customers`",
            "SELECT ssn FROM h2m_customers /* a /* nested */ ' */",
            "SELECT $$x$$, ssn FROM h2m_customers",
            "SELECT 'a\\', ssn FROM h2m_customers -- '",
            "SELECT 1 #, ssn FROM h2m_customers\n",
            "SELECT ssn--x\nFROM h2m_customers",
            "SELECT ssn FROM h2m_customers LIMIT 1",
            "SELECT * FROM h2m_secrets",
            "SELECT * FROM H2M_SECRETS",
            "SELECT * FROM \"h2m_secrets\"",
            "SELECT * FROM public.h2m_secrets",
            "SELECT * FROM \"public\".\"h2m_secrets\"",
            "SELECT * FROM `h2m_secrets`",
            "SELECT * FROM [h2m_secrets]",
            "SELECT secret FROM h2m_secrets ORDER BY secret NULLS FIRST",
            "SELECT (SELECT secret FROM \"h2m_secrets\") FROM h2m_customers");

    /** Writes: the customers' row must stay as it is (no update, no delete) and no SSN or secret reach the copy. */
    private static final List<String> WRITES = List.of(
            "UPDATE \"h2m_customers\" SET ssn = 'changed'",
            "UPDATE public.h2m_customers SET ssn = 'changed'",
            "UPDATE `h2m_customers` SET ssn = 'changed'",
            "DELETE FROM \"h2m_customers\"",
            "INSERT INTO h2m_customers (id, name, ssn) VALUES (1, 'x', 'changed') ON DUPLICATE KEY UPDATE ssn = 'changed'",
            "INSERT INTO \"h2m_customers\" (id, name, ssn) VALUES (1, 'x', 'changed') ON DUPLICATE KEY UPDATE ssn = 'changed'",
            "REPLACE INTO h2m_customers (id, name, ssn) VALUES (1, 'x', 'changed')",
            "REPLACE INTO `h2m_customers` (id, name, ssn) VALUES (1, 'x', 'changed')",
            "INSERT INTO h2m_copy (id, v) VALUES (1, 'x') ON DUPLICATE KEY UPDATE v = (SELECT ssn FROM h2m_customers WHERE id = 1)",
            "INSERT INTO h2m_copy (id, v) VALUES (1, 'x') ON DUPLICATE KEY UPDATE v = (SELECT secret FROM h2m_secrets)",
            "INSERT IGNORE INTO h2m_copy SELECT id + 10, ssn FROM h2m_customers",
            "INSERT INTO h2m_copy SELECT id + 20, ssn FROM \"h2m_customers\"",
            "INSERT INTO h2m_copy SELECT id + 30, secret FROM \"h2m_secrets\"",
            "INSERT INTO h2m_copy (id, v) VALUES (1, 'x') ON CONFLICT DO NOTHING",
            "INSERT INTO h2m_copy SELECT id + 40, ssn FROM h2m_customers ON CONFLICT DO NOTHING",
            "INSERT INTO h2m_copy SELECT id + 50, `ssn` FROM `h2m_customers`",
            "DELETE FROM \"h2m_secrets\"",
            "DELETE FROM public.h2m_secrets");

    @TempDir
    Path dir;
    private Connection raw;

    @AfterEach
    void drop() throws SQLException {
        if (raw != null) {
            try (Statement s = raw.createStatement()) {
                s.execute("SHUTDOWN");
            }
            raw.close();
        }
    }

    @ParameterizedTest(name = "{0} through {1}")
    @CsvSource(delimiter = '|', value = {
            "DB_CLOSE_ON_EXIT=FALSE | data source",
            "DB_CLOSE_ON_EXIT=FALSE | url",
            "MODE=PostgreSQL | data source",
            "MODE=PostgreSQL | url",
            "MODE=PostgreSQL;DEFAULT_NULL_ORDERING=HIGH | url",
            "Mode=postgresql;DATABASE_TO_UPPER=TRUE;DATABASE_TO_LOWER=FALSE | url",
            "MODE=REGULAR | url",
            "MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH | url",
            "MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE | data source",
            "DATABASE_TO_LOWER=TRUE | url",
    })
    void noTextOfTheCorpusReadsTheSecretOrTheClearSsnOrChangesTheCustomers(String settings, String through) throws Exception {
        String database = "h2:mem:h2m_" + UUID.randomUUID();
        String url = database + ";" + settings + ";DB_CLOSE_DELAY=-1";
        raw = DriverManager.getConnection("jdbc:" + url, "sa", "");
        List<String> leaks = new ArrayList<>();
        try (Connection governed = governed(url, database, through)) {
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
        }
        assertThat(leaks).as("texts that read the secret or the clear SSN, or changed what they may not").isEmpty();
    }

    /**
     * The settings whose reading the corpus showed to differ (through a data source over a database a raw connection
     * opened with them, before they were refused): DATABASE_TO_LOWER=TRUE (every name of the corpus missed the rule
     * and the mask, before the analysis folded names as the database does; now accepted), MySQL and MariaDB modes (INSERT … ON DUPLICATE KEY UPDATE rewrote the customer a rule forbids
     * to update), DATABASE_TO_UPPER=FALSE and CASE_INSENSITIVE_IDENTIFIERS (quoted lower-case names were the tables).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "MODE=MySQL | MODE | only MODE=PostgreSQL and MODE=REGULAR are accepted",
            "MODE=MariaDB;DATABASE_TO_LOWER=TRUE | MODE | only MODE=PostgreSQL and MODE=REGULAR are accepted",
            "MODE=MSSQLServer | MODE | only MODE=PostgreSQL and MODE=REGULAR are accepted",
            "MODE=PostgreSQL;NON_KEYWORDS=VALUE | NON_KEYWORDS | makes keywords names",
            "DATABASE_TO_UPPER=FALSE | DATABASE_TO_UPPER | only DATABASE_TO_UPPER=TRUE",
            "MODE=PostgreSQL;CASE_INSENSITIVE_IDENTIFIERS=TRUE | CASE_INSENSITIVE_IDENTIFIERS | compared",
    })
    void settingsWhoseReadingTheAnalysisDoesNotFollowAreRefused(String settings, String key, String says) throws Exception {
        String database = "h2:mem:h2m_" + UUID.randomUUID();
        try {
            governed(database + ";" + settings.strip() + ";DB_CLOSE_DELAY=-1", database, "url").close();
            org.assertj.core.api.Assertions.fail("the connect was not refused");
        } catch (SQLException refusal) {
            assertThat(refusal.getSQLState()).isEqualTo("08001");
            assertThat(refusal.getMessage()).contains("'" + key.strip() + "'").contains(says.strip());
        }
        // refused before H2 was asked: no database of that name was opened (in the mode or otherwise)
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:" + database + ";IFEXISTS=TRUE", "sa", "").close())
                .isInstanceOf(SQLException.class);
    }

    private Connection governed(String url, String database, String through) throws Exception {
        if (through.strip().equals("url")) {
            Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
            Properties p = new Properties();
            p.setProperty("user", "sa");
            p.setProperty("password", "");
            p.setProperty("governed.policy", policy.toString());
            p.setProperty("governed.principal", "h2m-agent");
            p.setProperty("governed.kind", "agent");
            return DriverManager.getConnection("jdbc:governed:" + url, p);
        }
        // the database was opened in the mode by the raw connection; the wrapped source's URL names it alone (a mode in
        // it is refused like one in a jdbc:governed: URL)
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:" + database);
        h2.setUser("sa");
        Governance governance = Governance.builder().policy(PolicyLoader.fromString("h2m.yaml", POLICY))
                .defaultIdentity(Identity.builder("h2m-agent").kind(IdentityKind.AGENT).build())
                .withoutAudit().build();
        return new GovernedDataSource(h2, governance).getConnection();
    }

    /** The tables as a Flyway migration of the application creates them: unquoted names. */
    private void reset() throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS h2m_customers");
            s.execute("DROP TABLE IF EXISTS h2m_secrets");
            s.execute("DROP TABLE IF EXISTS h2m_copy");
            s.execute("CREATE TABLE h2m_customers (id INT PRIMARY KEY, name VARCHAR(20), ssn VARCHAR(20))");
            s.execute("CREATE TABLE h2m_secrets (id INT, secret VARCHAR(20))");
            s.execute("CREATE TABLE h2m_copy (id INT PRIMARY KEY, v VARCHAR(20))");
            s.execute("INSERT INTO h2m_customers VALUES (1, 'ann', '" + SSN + "')");
            s.execute("INSERT INTO h2m_secrets VALUES (1, '" + SECRET + "')");
            s.execute("INSERT INTO h2m_copy VALUES (1, 'x')");
        }
    }

    private static String initialState() {
        return "[1|ann|" + SSN + "] [1|" + SECRET + "] [1|x]";
    }

    private String rawState() throws SQLException {
        return rows("SELECT id, name, ssn FROM h2m_customers ORDER BY id") + " "
                + rows("SELECT id, secret FROM h2m_secrets ORDER BY id") + " "
                + rows("SELECT id, v FROM h2m_copy ORDER BY id");
    }

    private String rows(String sql) throws SQLException {
        return Outcomes.rows(raw, sql);
    }

    private static String brief(String outcome) {
        return outcome.length() <= 160 ? outcome : outcome.substring(0, 160) + "…";
    }
}
