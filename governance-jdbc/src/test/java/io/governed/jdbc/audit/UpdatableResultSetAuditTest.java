package io.governed.jdbc.audit;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every row write through an updatable result set ({@code updateRow}, {@code insertRow}, {@code deleteRow}) is an audit
 * event of its own, tied to the caller like any statement: allowed, refused or failed by the driver, exactly once, as
 * the statement it amounts to without a value; on H2 through the real driver, over a plain table, a masked result and
 * a row-filtered one. What was written is checked through a raw connection.
 */
class UpdatableResultSetAuditTest {
    private static final String POLICY = """
            version: 1
            classification:
              tags:
                pii.ssn: ["*.ssn"]
            rules:
              - { id: clerks-write, effect: permit, actions: [select, insert, update, delete] }
              - { id: interns-keep-rows, effect: forbid, principals: { groups: [interns] }, actions: [delete] }
            masks:
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4 }
            row-filters:
              - id: tenant-isolation
                tables: ["orders"]
                filter: "tenant_id = :identity.tenant"
            """;
    /** Values written through the result sets: none may appear in an event. */
    private static final String NEW_OWNER = "quokka-owner-5081";
    private static final String INSERTED_OWNER = "pangolin-owner-6173";
    private static final String SSN = "219-45-6789";

    private final String db = "jdbc:h2:mem:rs-audit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final String sinkName = "rs-audit-" + UUID.randomUUID();
    private Path policy;
    private Connection raw;

    @BeforeEach
    void fixture() throws Exception {
        policy = Files.createTempFile("rs-audit", ".yaml");
        Files.writeString(policy, POLICY);
        raw = DriverManager.getConnection(db);
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE accounts (id INT PRIMARY KEY, owner VARCHAR(40), ssn VARCHAR(11), balance INT)");
            s.execute("INSERT INTO accounts VALUES (1, 'ada', '" + SSN + "', 100), (2, 'bob', NULL, 200)");
            s.execute("CREATE TABLE orders (id INT PRIMARY KEY, tenant_id VARCHAR(10), note VARCHAR(40))");
            s.execute("INSERT INTO orders VALUES (1, 't1', 'a'), (2, 't1', 'b'), (3, 't2', 'c')");
        }
    }

    @AfterEach
    void close() throws Exception {
        raw.close();
        Files.deleteIfExists(policy);
        MemorySink.named(sinkName).clear();
    }

    private Connection as(String principal, String groups) throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", principal);
        p.setProperty("governed.groups", groups);
        p.setProperty("governed.attribute.tenant", "t1");
        p.setProperty("governed.audit", "memory:" + sinkName);
        return DriverManager.getConnection("jdbc:governed:" + db.substring("jdbc:".length()), p);
    }

    private static Statement updatable(Connection c) throws SQLException {
        return c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE);
    }

    /** The events written so far, once the dispatcher has delivered them. */
    private List<AuditEvent> events(Connection c) throws SQLException {
        c.unwrap(GovernedConnection.class).governance().flushAudit();
        return MemorySink.named(sinkName).events();
    }

    private static List<AuditEvent> ofAction(List<AuditEvent> events, String action) {
        return events.stream().filter(e -> e.action().equals(action)).toList();
    }

    /**
     * No value written appears in an event. The fields that are random or hex by nature (time, id, duration, the
     * policy's digests) are left out of the search: a short number such as 7070 can turn up in them by chance.
     */
    private static void assertNoValueIn(List<AuditEvent> events, String... values) {
        for (AuditEvent event : events) {
            com.fasterxml.jackson.databind.node.ObjectNode tree;
            try {
                tree = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(AuditEventJson.toJson(event));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new AssertionError("an audit event is not JSON", e);
            }
            tree.remove(List.of("time", "event_id", "duration_us", "policy"));
            String json = tree.toString();
            for (String value : values) {
                assertThat(json).as("event %s", json).doesNotContain(value);
            }
        }
    }

    private long rawCount(String from) throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + from)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void updateRowIsOneAllowedUpdateEventOfTheCallerWithoutTheValue() throws Exception {
        String connectionId;
        List<AuditEvent> events;
        try (Connection c = as("carla", "clerks"); Statement s = updatable(c)) {
            connectionId = c.unwrap(GovernedConnection.class).connectionId();
            try (ResultSet rs = s.executeQuery("SELECT id, owner, balance FROM accounts WHERE id = 2")) {
                assertThat(rs.next()).isTrue();
                rs.updateString("owner", NEW_OWNER);
                rs.updateInt("balance", 987654);
                rs.updateRow();
            }
            events = events(c);
        }
        assertThat(rawCount("accounts WHERE owner = '" + NEW_OWNER + "' AND balance = 987654")).isEqualTo(1);
        assertThat(events).as("the query (when its result set closed) and the update, each once")
                .extracting(AuditEvent::action).containsExactlyInAnyOrder("select", "update");
        AuditEvent update = ofAction(events, "update").get(0);
        assertThat(update.decision()).isEqualTo(AuditDecision.ALLOW);
        assertThat(update.principal()).isEqualTo("carla");
        assertThat(update.groups()).containsExactly("clerks");
        assertThat(update.connectionId()).isEqualTo(connectionId);
        assertThat(update.rules()).contains("clerks-write");
        assertThat(update.rows()).isEqualTo(1L);
        assertThat(update.durationUs()).isNotNull();
        assertThat(update.error()).isNull();
        assertThat(update.statement()).startsWithIgnoringCase("UPDATE").containsIgnoringCase("accounts").contains("?");
        assertThat(update.fingerprint()).isNotNull();
        assertThat(update.tables()).singleElement().asString().containsIgnoringCase("accounts");
        assertThat(update.columns()).anySatisfy(column -> assertThat(column).containsIgnoringCase("owner"));
        assertThat(update.eventId()).isNotEqualTo(ofAction(events, "select").get(0).eventId());
        assertNoValueIn(events, NEW_OWNER, "987654");
    }

    @Test
    void insertRowAndDeleteRowAreOneEventEach() throws Exception {
        List<AuditEvent> events;
        try (Connection c = as("carla", "clerks"); Statement s = updatable(c);
             ResultSet rs = s.executeQuery("SELECT id, owner, balance FROM accounts ORDER BY id")) {
            rs.moveToInsertRow();
            rs.updateInt("id", 4242);
            rs.updateString("owner", INSERTED_OWNER);
            rs.updateInt("balance", 31337);
            rs.insertRow();
            rs.moveToCurrentRow();
            assertThat(rs.first()).isTrue();
            rs.deleteRow();
            events = events(c);
        }
        assertThat(rawCount("accounts WHERE id = 4242 AND owner = '" + INSERTED_OWNER + "'")).isEqualTo(1);
        assertThat(rawCount("accounts WHERE id = 1")).isZero();
        assertThat(ofAction(events, "insert")).singleElement().satisfies(insert -> {
            assertThat(insert.decision()).isEqualTo(AuditDecision.ALLOW);
            assertThat(insert.principal()).isEqualTo("carla");
            assertThat(insert.rules()).contains("clerks-write");
            assertThat(insert.rows()).isEqualTo(1L);
            assertThat(insert.statement()).startsWithIgnoringCase("INSERT").containsIgnoringCase("accounts");
        });
        assertThat(ofAction(events, "delete")).singleElement().satisfies(delete -> {
            assertThat(delete.decision()).isEqualTo(AuditDecision.ALLOW);
            assertThat(delete.principal()).isEqualTo("carla");
            assertThat(delete.rows()).isEqualTo(1L);
            assertThat(delete.statement()).startsWithIgnoringCase("DELETE").containsIgnoringCase("accounts");
        });
        assertNoValueIn(events, INSERTED_OWNER, "4242", "31337");
    }

    @Test
    void aRefusedRowWriteIsItsDenyEventOnlyAndWritesNothing() throws Exception {
        List<AuditEvent> events;
        try (Connection c = as("ian", "interns"); Statement s = updatable(c);
             ResultSet rs = s.executeQuery("SELECT id, owner FROM accounts WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThatThrownBy(rs::deleteRow).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("interns-keep-rows")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            events = events(c);
        }
        assertThat(rawCount("accounts WHERE id = 1")).isEqualTo(1);
        assertThat(ofAction(events, "delete")).singleElement().satisfies(delete -> {
            assertThat(delete.decision()).isEqualTo(AuditDecision.DENY);
            assertThat(delete.principal()).isEqualTo("ian");
            assertThat(delete.rules()).contains("interns-keep-rows");
            assertThat(delete.rows()).isNull();
        });
    }

    @Test
    void aRowWriteTheDriverFailsIsOneErrorEventWithoutTheValues() throws Exception {
        List<AuditEvent> events;
        try (Connection c = as("carla", "clerks"); Statement s = updatable(c);
             ResultSet rs = s.executeQuery("SELECT id, owner FROM accounts")) {
            rs.moveToInsertRow();
            rs.updateInt("id", 2); // the key of an existing row
            rs.updateString("owner", INSERTED_OWNER);
            assertThatThrownBy(rs::insertRow).isInstanceOf(SQLException.class).isNotInstanceOf(GovernanceException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("23505");
            events = events(c);
        }
        assertThat(rawCount("accounts")).isEqualTo(2);
        assertThat(ofAction(events, "insert")).singleElement().satisfies(insert -> {
            assertThat(insert.decision()).isEqualTo(AuditDecision.ERROR);
            assertThat(insert.principal()).isEqualTo("carla");
            assertThat(insert.rules()).contains("clerks-write");
            assertThat(insert.error().sqlState()).isEqualTo("23505");
            assertThat(insert.rows()).isNull();
            assertThat(insert.durationUs()).isNotNull();
        });
        assertNoValueIn(events, INSERTED_OWNER);
    }

    @Test
    void aRowWriteThroughAMaskedResultIsAuditedWithItsRefusedMaskedColumnAndNoValue() throws Exception {
        List<AuditEvent> events;
        try (Connection c = as("carla", "clerks"); Statement s = updatable(c);
             ResultSet rs = s.executeQuery("SELECT id, owner, ssn FROM accounts WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("ssn")).isNotEqualTo(SSN).endsWith("6789");
            assertThatThrownBy(() -> rs.updateString("ssn", "000-00-0000")).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("mask-ssn");
            rs.updateString("owner", NEW_OWNER);
            rs.updateRow();
            events = events(c);
        }
        assertThat(rawCount("accounts WHERE id = 1 AND owner = '" + NEW_OWNER + "' AND ssn = '" + SSN + "'")).isEqualTo(1);
        assertThat(ofAction(events, "update")).as("the refused write of the masked column, then the row written")
                .extracting(AuditEvent::decision).containsExactly(AuditDecision.DENY, AuditDecision.ALLOW);
        assertThat(ofAction(events, "update").get(0)).satisfies(refused -> {
            assertThat(refused.principal()).isEqualTo("carla");
            assertThat(refused.rules()).contains("mask-ssn");
            assertThat(refused.reason()).contains("masked");
            assertThat(refused.rows()).isNull();
        });
        assertThat(ofAction(events, "update").get(1)).satisfies(update -> {
            assertThat(update.principal()).isEqualTo("carla");
            assertThat(update.rows()).isEqualTo(1L);
        });
        assertNoValueIn(events, NEW_OWNER, SSN, "000-00-0000");
    }

    @Test
    void changingAColumnARowFilterReadsIsRefusedAuditedAndWritesNothing() throws Exception {
        List<AuditEvent> events;
        try (Connection c = as("carla", "clerks"); Statement s = updatable(c);
             ResultSet rs = s.executeQuery("SELECT id, tenant_id, note FROM orders WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThatThrownBy(() -> rs.updateString("tenant_id", "t2")).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation");
            assertThatThrownBy(() -> rs.updateString(2, "t2")).isInstanceOf(GovernanceException.class);
            events = events(c);
        }
        assertThat(rawCount("orders WHERE tenant_id = 't2'")).isEqualTo(1);
        assertThat(ofAction(events, "update")).hasSize(2).allSatisfy(refused -> {
            assertThat(refused.decision()).isEqualTo(AuditDecision.DENY);
            assertThat(refused.principal()).isEqualTo("carla");
            assertThat(refused.rules()).contains("tenant-isolation");
            assertThat(refused.tables()).anySatisfy(t -> assertThat(t).containsIgnoringCase("orders"));
        });
        assertNoValueIn(events, "'t2'");
    }

    @Test
    void aRowWriteThroughAResultReadAsADerivedTableIsRefusedAndAudited() throws Exception {
        List<AuditEvent> events;
        try (Connection c = as("carla", "clerks"); Statement s = updatable(c);
             ResultSet rs = s.executeQuery("SELECT o.id, o.note FROM orders o JOIN accounts a ON a.id = o.id ORDER BY o.id")) {
            assertThat(rs.next()).isTrue();
            assertThatThrownBy(rs::deleteRow).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("derived table");
            events = events(c);
        }
        assertThat(rawCount("orders")).isEqualTo(3);
        assertThat(ofAction(events, "delete")).singleElement().satisfies(refused -> {
            assertThat(refused.decision()).isEqualTo(AuditDecision.DENY);
            assertThat(refused.principal()).isEqualTo("carla");
            assertThat(refused.rules()).contains("tenant-isolation");
        });
    }

    @Test
    void rowWritesThroughARowFilteredResultAreAuditedWithTheFilterAndARefusedInsertWithItsDenial() throws Exception {
        List<AuditEvent> events;
        try (Connection c = as("carla", "clerks"); Statement s = updatable(c);
             ResultSet rs = s.executeQuery("SELECT id, tenant_id, note FROM orders ORDER BY id")) {
            assertThat(rs.next()).isTrue();
            rs.updateString("note", NEW_OWNER);
            rs.updateRow();
            assertThat(rs.next()).isTrue();
            rs.deleteRow();
            rs.moveToInsertRow();
            rs.updateInt("id", 7070);
            rs.updateString("tenant_id", "t1");
            rs.updateString("note", INSERTED_OWNER);
            rs.insertRow();
            rs.moveToInsertRow();
            rs.updateInt("id", 8080);
            rs.updateString("tenant_id", "t2");
            rs.updateString("note", INSERTED_OWNER);
            assertThatThrownBy(rs::insertRow).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation");
            rs.moveToCurrentRow();
            events = events(c);
        }
        assertThat(rawCount("orders WHERE tenant_id = 't1'")).isEqualTo(2);
        assertThat(rawCount("orders WHERE tenant_id = 't2'")).isEqualTo(1);
        assertThat(ofAction(events, "update")).singleElement().satisfies(update -> {
            assertThat(update.decision()).isEqualTo(AuditDecision.ALLOW);
            assertThat(update.rules()).contains("clerks-write", "tenant-isolation");
            assertThat(update.rows()).isEqualTo(1L);
        });
        assertThat(ofAction(events, "delete")).singleElement().satisfies(delete -> {
            assertThat(delete.decision()).isEqualTo(AuditDecision.ALLOW);
            assertThat(delete.rules()).contains("tenant-isolation");
        });
        assertThat(ofAction(events, "insert")).extracting(AuditEvent::decision)
                .containsExactly(AuditDecision.ALLOW, AuditDecision.DENY);
        assertThat(ofAction(events, "insert")).allSatisfy(insert -> {
            assertThat(insert.principal()).isEqualTo("carla");
            assertThat(insert.rules()).contains("tenant-isolation");
        });
        assertNoValueIn(events, NEW_OWNER, INSERTED_OWNER, "7070", "8080", "'t1'", "'t2'");
    }
}
