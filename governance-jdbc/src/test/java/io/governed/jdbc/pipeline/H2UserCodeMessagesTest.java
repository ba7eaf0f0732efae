package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * On H2 through the real driver: a user function (an alias backed by Java) composes its error message with a masked
 * value, bare, as a PL/pgSQL {@code RAISE} does, and a trigger with what its row holds. Both bodies cannot be read, so
 * the policy declares what they read (a masked caller may not run unread code that could move masked values). An analyst a mask applies to gets the SQLState and vendor
 * code and a fixed message; the audit trail records no part of the message for anyone; a reader the mask exempts sees
 * the database's message; a plain statement's error is still only scrubbed.
 */
public class H2UserCodeMessagesTest {
    private static final String EMAIL = "ada.quill@example.com";
    private static final Identity ANALYST = Identity.builder("ana").groups("analysts").build();
    private static final Identity PII_READER = Identity.builder("pat").groups("analysts", "pii-readers").build();
    private static final String POLICY = """
            version: 1
            default: deny
            classification: { tags: { pii.email: ["*.email"] } }
            rules:
              - { id: analysts-all, effect: permit, principals: { groups: [analysts] }, actions: ["*"], resources: ["*"] }
            masks:
              - { id: mask-email, columns: { tags: [pii.email] }, function: redact, unless: { groups: [pii-readers] } }
            routines:
              # a Java alias's body cannot be read: declared, a masked caller may call it (its result is redacted)
              - { id: refuse-reads-people, routines: ["*.refuse"], does: [ { actions: [select], resources: ["PUBLIC.PEOPLE"] } ] }
              # the trigger composes its message from the row alone
              - { id: refuse-order-reads-nothing, routines: ["*.refuse_order"], does: [] }
            """;

    private JdbcDataSource h2;
    private Connection raw;
    private Connection governed;
    private AuditDispatcher audit;
    private final String sink = "h2-user-code-" + UUID.randomUUID();

    /** The user function: fails with the e-mail address of customer {@code id} in its message, as a routine may. */
    public static int refuse(Connection c, int id) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT email FROM people WHERE id = " + id)) {
            rs.next();
            throw new SQLException("no credit for " + rs.getString(1), "45000", 4242);
        }
    }

    /** The trigger: refuses every order with what the row holds in its message. */
    public static final class RefuseOrder implements org.h2.api.Trigger {
        @Override
        public void fire(Connection c, Object[] oldRow, Object[] newRow) throws SQLException {
            throw new SQLException("no credit for " + newRow[2], "45000", 4242);
        }
    }

    @BeforeEach
    void database() throws Exception {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:user-code-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        raw = h2.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE people(id INT PRIMARY KEY, email VARCHAR(80))");
            s.execute("INSERT INTO people VALUES (1, '" + EMAIL + "')");
            s.execute("CREATE TABLE orders(id INT PRIMARY KEY, customer_id INT, note VARCHAR(80))");
            s.execute("CREATE TABLE plain(id INT PRIMARY KEY)");
            s.execute("INSERT INTO plain VALUES (1)");
            s.execute("CREATE ALIAS refuse FOR \"" + H2UserCodeMessagesTest.class.getName() + ".refuse\"");
            s.execute("CREATE TRIGGER refuse_order BEFORE INSERT ON orders FOR EACH ROW CALL \""
                    + RefuseOrder.class.getName() + "\"");
        }
        audit = AuditDispatcher.start("memory:" + sink, AuditSettings.defaults());
        Governance governance = Governance.builder().audit(audit).policy(PolicyLoader.fromString("policy.yaml", POLICY))
                .build();
        governed = new GovernedDataSource(h2, governance).getConnection();
    }

    @AfterEach
    void close() throws SQLException {
        governed.close();
        audit.close();
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private SQLException failure(Identity as, String sql) {
        return catchThrowableOfType(SQLException.class, () -> IdentityContext.runAs(as, () -> {
            try (Statement s = governed.createStatement()) {
                s.execute(sql);
            }
        }));
    }

    private AuditEvent lastError() {
        audit.flush(java.time.Duration.ofSeconds(10));
        List<AuditEvent> errors = MemorySink.named(sink).events().stream()
                .filter(e -> e.decision() == AuditDecision.ERROR).toList();
        assertThat(errors).isNotEmpty();
        return errors.get(errors.size() - 1);
    }

    @Test
    void anAnalystGetsNoPartOfAMessageComposedByAUserFunctionOrTrigger() {
        for (String sql : List.of("SELECT refuse(1)", "INSERT INTO orders VALUES (1, 1, '" + EMAIL + "')")) {
            SQLException seen = failure(ANALYST, sql);
            assertThat((Throwable) seen).as(sql).isNotNull();
            assertThat(seen.getSQLState()).as(sql).isEqualTo("45000");
            assertThat(seen.getErrorCode()).as(sql + ": user code may set the vendor code to any number").isZero();
            assertThat(ExceptionTexts.of(seen)).as(sql).noneMatch(t -> t.contains(EMAIL) || t.contains("quill"));
            assertThat(ExceptionTexts.attached(seen)).as(sql + ": nothing chained").isZero();
            assertThat(seen.getMessage()).as(sql).isEqualTo(ErrorScrubbingStage.WITHHELD_ERROR);

            AuditEvent event = lastError();
            assertThat(event.error().sqlState()).isEqualTo("45000");
            assertThat(event.error().message()).doesNotContain(EMAIL, "quill", "credit").doesNotContain("4242");
        }
    }

    @Test
    void aReaderTheMaskExemptsSeesTheMessageAndTheTrailStillKeepsNone() {
        SQLException seen = failure(PII_READER, "SELECT refuse(1)");
        assertThat(seen.getMessage()).contains("no credit for " + EMAIL);
        assertThat(seen.getSQLState()).isEqualTo("45000");
        assertThat(lastError().error().message()).doesNotContain(EMAIL, "quill", "credit");
    }

    @Test
    void aPlainStatementsErrorIsScrubbedNotWithheld() {
        SQLException seen = failure(ANALYST, "INSERT INTO plain VALUES (1)");
        assertThat(seen.getSQLState()).isEqualTo("23505");
        assertThat(seen.getMessage()).isNotEqualTo(ErrorScrubbingStage.WITHHELD_ERROR)
                .startsWith("Unique index or primary key violation (SQLState 23505");
        assertThat(lastError().error().message()).isNotEqualTo(io.governed.jdbc.audit.AuditError.fromUserCode(seen)
                .message());
    }
}
