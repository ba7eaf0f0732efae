package io.governed.jdbc.it;

import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * On MariaDB a procedure, a function and a trigger {@code SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v} with a masked
 * value: an agent a mask applies to gets SQLState {@code 45000} and no part of the message, the audit trail keeps none
 * for anyone, and a human the mask exempts reads the database's message.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbSignalledMessagesIT {
    private static final TestDatabase DATABASE = TestDatabase.MARIADB;
    private static final String EMAIL = "bruno.vale@example.com";
    private final String s = UniqueNames.of("sig");
    private final String sink = "signalled-" + UUID.randomUUID();

    @TempDir
    Path dir;
    private Path policy;

    private String sql(String template) {
        return template.replace("{C}", "customers_" + s).replace("{O}", "orders_" + s).replace("{P}", "p_" + s)
                .replace("{F}", "f_" + s).replace("{G}", "trg_" + s).replace("{K}", "contacts_" + s);
    }

    @BeforeEach
    void fixture() throws Exception {
        policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                default: deny
                classification: { tags: { pii.email: ["*.email"] } }
                rules:
                  - { id: app-everything, effect: permit, principals: { groups: [app] }, actions: ["*"], resources: ["*"] }
                masks:
                  - { id: mask-email, columns: { tags: [pii.email] }, function: redact, unless: { groups: [pii-readers] } }
                """);
        try (Connection raw = DATABASE.connectRaw(); Statement st = raw.createStatement()) {
            st.execute(sql("CREATE TABLE {C} (id INT PRIMARY KEY, email VARCHAR(80))"));
            st.execute(sql("INSERT INTO {C} VALUES (1, '" + EMAIL + "')"));
            st.execute(sql("CREATE TABLE {O} (id INT PRIMARY KEY, customer_id INT)"));
            st.execute(sql("CREATE PROCEDURE {P}(IN k INT) BEGIN DECLARE m VARCHAR(200);"
                    // the value as it is: a computation on it in the body is inference an agent is refused
                    + " SET m = (SELECT email FROM {C} WHERE id = k);"
                    + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = m; END"));
            st.execute(sql("CREATE FUNCTION {F}(k INT) RETURNS INT READS SQL DATA BEGIN DECLARE m VARCHAR(200);"
                    + " SET m = (SELECT email FROM {C} WHERE id = k); SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = m;"
                    + " RETURN 0; END"));
            // the trigger composes its message from a table no mask covers: code a write runs that reads a masked column
            // is refused to a masked caller before it runs (MariaDbMaskedCodeFlowIT)
            st.execute(sql("CREATE TABLE {K} (id INT PRIMARY KEY, note VARCHAR(80))"));
            st.execute(sql("INSERT INTO {K} VALUES (1, '" + EMAIL + "')"));
            st.execute(sql("CREATE TRIGGER {G} BEFORE INSERT ON {O} FOR EACH ROW BEGIN DECLARE m VARCHAR(200);"
                    + " SET m = (SELECT note FROM {K} WHERE id = NEW.customer_id);"
                    + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = m; END"));
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection raw = DATABASE.connectRaw(); Statement st = raw.createStatement()) {
            st.execute(sql("DROP PROCEDURE IF EXISTS {P}"));
            st.execute(sql("DROP FUNCTION IF EXISTS {F}"));
            st.execute(sql("DROP TABLE IF EXISTS {O}"));
            st.execute(sql("DROP TABLE IF EXISTS {C}"));
            st.execute(sql("DROP TABLE IF EXISTS {K}"));
        }
    }

    private Connection as(String kind, String groups) throws SQLException {
        Properties settings = new Properties();
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.principal", "bea");
        settings.setProperty("governed.kind", kind);
        settings.setProperty("governed.groups", groups);
        settings.setProperty("governed.audit", "memory:" + sink);
        return DATABASE.connectGoverned(settings);
    }

    private AuditEvent lastError(Connection c) throws SQLException {
        c.unwrap(GovernedConnection.class).governance().flushAudit();
        List<AuditEvent> errors = MemorySink.named(sink).events().stream()
                .filter(e -> e.decision() == AuditDecision.ERROR).toList();
        assertThat(errors).isNotEmpty();
        return errors.get(errors.size() - 1);
    }

    private List<String> statements() {
        return List.of(sql("CALL {P}(1)"), sql("SELECT {F}(1)"), sql("INSERT INTO {O} VALUES (1, 1)"));
    }

    @Test
    void aMaskedAgentGetsTheSqlStateAndNoPartOfTheSignalledMessage() throws SQLException {
        try (Connection c = as("agent", "app"); Statement st = c.createStatement()) {
            for (String statement : statements()) {
                SQLException e = catchThrowableOfType(() -> st.execute(statement), SQLException.class);
                assertThat((Throwable) e).as(statement).isNotNull();
                assertThat(e.getSQLState()).as(statement).isEqualTo("45000");
                assertThat(ExceptionTexts.of(e)).as(statement).noneMatch(t -> t.contains(EMAIL) || t.contains("bruno"));
                assertThat(e.getMessage()).as(statement).contains("withheld");
                AuditEvent event = lastError(c);
                assertThat(event.error().sqlState()).isEqualTo("45000");
                assertThat(String.valueOf(event)).as(statement).doesNotContain(EMAIL, "bruno");
            }
        }
    }

    @Test
    void anExemptHumanReadsTheMessageAndTheTrailKeepsNone() throws SQLException {
        try (Connection c = as("human", "app,pii-readers"); Statement st = c.createStatement()) {
            for (String statement : statements()) {
                SQLException e = catchThrowableOfType(() -> st.execute(statement), SQLException.class);
                assertThat(e.getSQLState()).as(statement).isEqualTo("45000");
                assertThat(e.getMessage()).as(statement).contains(EMAIL);
                assertThat(String.valueOf(lastError(c))).as(statement).doesNotContain(EMAIL, "bruno");
            }
        }
    }
}
