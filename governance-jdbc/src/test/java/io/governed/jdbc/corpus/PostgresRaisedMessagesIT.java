package io.governed.jdbc.corpus;

import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Messages composed by code the database runs for a statement, through the driver against PostgreSQL: a PL/pgSQL
 * function, a procedure, a {@code DO} block, a trigger and a deferred constraint trigger that {@code RAISE} a masked
 * value bare ({@code RAISE EXCEPTION '%', (SELECT email …)}, {@code USING ERRCODE}, {@code DETAIL}, {@code HINT},
 * {@code RAISE NOTICE}). The values are an e-mail address and a word, which no scrubbing of quoted text or numbers
 * hides. An agent a mask applies to gets the SQLState and a fixed message, in the exception, in every warning and in
 * everything chained to them; the audit trail keeps no message text of such an error for anyone; a human the mask
 * exempts still sees the database's own message.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresRaisedMessagesIT {
    private static final String DATABASE = "governed_raised_messages";
    private static final String EMAIL = "olivia.wren@example.com";
    private static final String TOKEN = "quokkatoken";
    private static final String POLICY = """
            version: 1
            default: deny
            classification: { tags: { pii.email: ["*.email"], secret: ["*.token"] } }
            rules:
              - { id: app-everything, effect: permit, principals: { groups: [app] }, actions: ["*"], resources: ["*"] }
            masks:
              - { id: mask-email, columns: { tags: [pii.email, secret] }, function: redact, unless: { groups: [pii-readers] } }
            """;

    private final PostgresCorpusDatabase postgres = new PostgresCorpusDatabase();
    private final String sinkName = "raised-" + UUID.randomUUID();
    private String policyPath;

    @BeforeAll
    void policy() throws Exception {
        Servers.ensurePostgresDatabase(DATABASE);
        policyPath = Servers.policyFile("raised-messages", POLICY);
    }

    @BeforeEach
    void fixture() throws SQLException {
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS s CASCADE");
            s.execute("CREATE SCHEMA s");
            s.execute("CREATE TABLE s.customers (id int PRIMARY KEY, email text, token text)");
            s.execute("INSERT INTO s.customers VALUES (1, '" + EMAIL + "', '" + TOKEN + "')");
            s.execute("CREATE TABLE s.orders (id int PRIMARY KEY, customer_id int)");
            s.execute("CREATE TABLE s.deferred (id int PRIMARY KEY, customer_id int)");
            s.execute("CREATE FUNCTION s.fails(k int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN"
                    + " RAISE EXCEPTION 'customer % has no credit', (SELECT email FROM s.customers WHERE id = k); END $$");
            s.execute("CREATE FUNCTION s.fails_as_duplicate(k int) RETURNS int LANGUAGE plpgsql AS $$"
                    + " DECLARE v text := (SELECT email FROM s.customers WHERE id = k);"
                    + " DECLARE t text := (SELECT token FROM s.customers WHERE id = k); BEGIN"
                    + " RAISE EXCEPTION USING ERRCODE = '23505', MESSAGE = 'taken by ' || v, DETAIL = 'token ' || t,"
                    + " HINT = 'ask ' || v; END $$");
            s.execute("CREATE FUNCTION s.tells(k int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN"
                    + " RAISE NOTICE 'looked at %', (SELECT email FROM s.customers WHERE id = k);"
                    + " RAISE WARNING 'token %', (SELECT token FROM s.customers WHERE id = k); RETURN k; END $$");
            s.execute("CREATE PROCEDURE s.refuse(k int) LANGUAGE plpgsql AS $$ BEGIN"
                    + " RAISE EXCEPTION '%', (SELECT token FROM s.customers WHERE id = k); END $$");
            // the triggers compose their message from a table no mask covers: code a write runs that reads a masked
            // column is refused to a masked caller before it runs (PostgresMaskedCodeFlowIT), and code may compose its
            // messages from anything
            s.execute("CREATE TABLE s.contacts (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO s.contacts VALUES (1, '" + EMAIL + "')");
            s.execute("CREATE FUNCTION s.check_order() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " RAISE EXCEPTION 'order for % refused', (SELECT note FROM s.contacts WHERE id = NEW.customer_id);"
                    + " END $$");
            s.execute("CREATE TRIGGER check_order BEFORE INSERT ON s.orders FOR EACH ROW EXECUTE FUNCTION s.check_order()");
            s.execute("CREATE CONSTRAINT TRIGGER check_later AFTER INSERT ON s.deferred DEFERRABLE INITIALLY DEFERRED"
                    + " FOR EACH ROW EXECUTE FUNCTION s.check_order()");
        }
        MemorySink.named(sinkName).clear();
    }

    private Connection as(String kind, String groups) throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policyPath);
        p.setProperty("governed.principal", "olga");
        p.setProperty("governed.kind", kind);
        p.setProperty("governed.groups", groups);
        p.setProperty("governed.audit", "memory:" + sinkName);
        return postgres.governed(DATABASE, p);
    }

    private Connection agent() throws SQLException {
        return as("agent", "app");
    }

    private Connection exempt() throws SQLException {
        return as("human", "app,pii-readers");
    }

    /** Everything a caller can read of {@code e}: its message, its text, its chain of causes, suppressed and next ones. */
    private static String everything(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        StringBuilder all = new StringBuilder(out.toString()).append('\n').append(e.getLocalizedMessage());
        if (e instanceof SQLException sql) {
            int guard = 0;
            for (SQLException next = sql.getNextException(); next != null && guard++ < 100; next = next.getNextException()) {
                all.append('\n').append(everything(next));
            }
            if (e instanceof SQLWarning warning) {
                guard = 0;
                for (SQLWarning next = warning.getNextWarning(); next != null && guard++ < 100; next = next.getNextWarning()) {
                    all.append('\n').append(everything(next));
                }
            }
        }
        return all.toString();
    }

    private List<AuditEvent> flushedEvents(Connection c) throws SQLException {
        c.unwrap(GovernedConnection.class).governance().flushAudit();
        return MemorySink.named(sinkName).events();
    }

    private static void assertNoValueIn(AuditEvent event) {
        assertThat(event.error()).as("the event's error").isNotNull();
        assertThat(String.valueOf(event)).doesNotContain(EMAIL, TOKEN, "olivia", "quokka");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SELECT s.fails(1)                                                                  | P0001",
            "SELECT s.fails(id) FROM s.customers                                                | P0001",
            "SELECT s.fails_as_duplicate(1)                                                     | 23505",
            "DO $$ BEGIN RAISE EXCEPTION 'found %', (SELECT email FROM s.customers WHERE id = 1); END $$ | P0001",
            "DO $$ BEGIN ASSERT false, (SELECT token FROM s.customers WHERE id = 1); END $$     | P0004",
            "DO $$ DECLARE v text := (SELECT email FROM s.customers); BEGIN RAISE USING MESSAGE = v, DETAIL = v, HINT = v; END $$ | P0001",
            "CALL s.refuse(1)                                                                   | P0001",
            "INSERT INTO s.orders VALUES (1, 1)                                                 | P0001",
    })
    void aMaskedCallerGetsTheSqlStateAndNoPartOfTheRaisedMessage(String sql, String state) throws SQLException {
        try (Connection c = agent(); Statement s = c.createStatement()) {
            SQLException e = catchThrowableOfType(() -> s.execute(sql), SQLException.class);
            assertThat((Throwable) e).as(sql).isNotNull();
            assertThat(e.getSQLState()).isEqualTo(state);
            assertThat(everything(e)).doesNotContain(EMAIL, TOKEN, "olivia", "quokka");
            assertThat(e.getMessage()).contains("withheld").contains("log");
            assertThat(flushedEvents(c)).filteredOn(ev -> ev.decision() == AuditDecision.ERROR).singleElement()
                    .satisfies(event -> {
                        assertNoValueIn(event);
                        assertThat(event.error().sqlState()).isEqualTo(state);
                    });
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SELECT s.fails(1)                  | P0001",
            "SELECT s.fails_as_duplicate(1)     | 23505",
            "CALL s.refuse(1)                   | P0001",
            "INSERT INTO s.orders VALUES (1, 1) | P0001",
    })
    void anExemptCallerSeesTheDatabasesMessageAndTheTrailStillKeepsNoValue(String sql, String state) throws SQLException {
        try (Connection c = exempt(); Statement s = c.createStatement()) {
            SQLException e = catchThrowableOfType(() -> s.execute(sql), SQLException.class);
            assertThat((Throwable) e).as(sql).isNotNull();
            assertThat(e.getSQLState()).isEqualTo(state);
            assertThat(e.getMessage()).containsAnyOf(EMAIL, TOKEN);
            assertThat(flushedEvents(c)).filteredOn(ev -> ev.decision() == AuditDecision.ERROR).singleElement()
                    .satisfies(event -> {
                        assertNoValueIn(event);
                        assertThat(event.error().sqlState()).isEqualTo(state);
                    });
        }
    }

    @Test
    void noticesAndWarningsRaisedForAMaskedCallerKeepNoPartOfTheirMessage() throws SQLException {
        try (Connection c = agent(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT s.tells(1)")) {
                assertThat(rs.next()).isTrue();
                SQLWarning fromResult = rs.getWarnings();
                if (fromResult != null) {
                    assertThat(everything(fromResult)).doesNotContain(EMAIL, TOKEN, "olivia", "quokka");
                }
            }
            SQLWarning warnings = s.getWarnings();
            assertThat((Throwable) warnings).as("the notices reach the statement's warnings").isNotNull();
            assertThat(everything(warnings)).doesNotContain(EMAIL, TOKEN, "olivia", "quokka").contains("withheld");
            assertThat((Throwable) warnings.getNextWarning()).as("both notices, each withheld").isNotNull();
            SQLWarning onConnection = c.getWarnings();
            if (onConnection != null) {
                assertThat(everything(onConnection)).doesNotContain(EMAIL, TOKEN, "olivia", "quokka");
            }
            s.execute("DO $$ BEGIN RAISE NOTICE 'x %', (SELECT email FROM s.customers WHERE id = 1); END $$");
            assertThat(everything(s.getWarnings())).doesNotContain(EMAIL, "olivia").contains("withheld");
        }
        try (Connection c = exempt(); Statement s = c.createStatement()) {
            s.executeQuery("SELECT s.tells(1)").close();
            assertThat(everything(s.getWarnings())).as("the exempt see the notices").contains(EMAIL, TOKEN);
        }
    }

    @Test
    void aDeferredTriggerFailingTheCommitKeepsNoPartOfItsMessage() throws SQLException {
        try (Connection c = agent(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate("INSERT INTO s.deferred VALUES (1, 1)");
            SQLException e = catchThrowableOfType(c::commit, SQLException.class);
            assertThat((Throwable) e).isNotNull();
            assertThat(e.getSQLState()).isEqualTo("P0001");
            assertThat(everything(e)).doesNotContain(EMAIL, "olivia").contains("withheld");
            // the commit's event (an earlier test's late event may reach the shared sink after it was cleared)
            assertThat(flushedEvents(c)).filteredOn(ev -> ev.error() != null && "commit".equals(ev.statement())).singleElement()
                    .satisfies(PostgresRaisedMessagesIT::assertNoValueIn);
        }
        MemorySink.named(sinkName).clear();
        try (Connection c = exempt(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate("INSERT INTO s.deferred VALUES (1, 1)");
            SQLException e = catchThrowableOfType(c::commit, SQLException.class);
            assertThat(e.getMessage()).contains(EMAIL);
            assertThat(flushedEvents(c)).filteredOn(ev -> ev.error() != null && "commit".equals(ev.statement())).singleElement()
                    .satisfies(PostgresRaisedMessagesIT::assertNoValueIn);
        }
    }

    @Test
    void aPlainStatementsErrorIsStillScrubbedAsBeforeNotWithheld() throws SQLException {
        try (Connection c = agent(); Statement s = c.createStatement()) {
            SQLException e = catchThrowableOfType(() -> s.execute("SELECT id FROM s.customers WHERE id = 'x'"),
                    SQLException.class);
            assertThat(e.getSQLState()).isEqualTo("22P02");
            assertThat(e.getMessage()).contains("invalid input syntax").doesNotContain("may run code");
        }
    }
}
