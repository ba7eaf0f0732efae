package io.governed.jdbc.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.Governance;
import io.governed.jdbc.audit.jsonl.JsonlOptions;
import io.governed.jdbc.audit.jsonl.JsonlSink;
import io.governed.jdbc.identity.IdentityContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller's groups reach the audit trail in the order they were given (here neither sorted nor reversed), in every
 * sink and format: the same identity's events list its groups alike in every JVM, so two runs' trails can be compared
 * line by line and a rule on a group's place in the list means the same thing tomorrow.
 */
class AuditedGroupsOrderTest {

    /** Eight groups: an order kept by chance, as a hash set's, is one in 40,320. */
    private static final List<String> GROUPS = List.of("orders-eu", "analysts", "zeta-readers", "billing", "ops",
            "auditors", "emea", "contractors");
    private static final Identity ANALYST = Identity.builder("alice").kind(IdentityKind.HUMAN).groups(GROUPS)
            .onBehalfOf(Identity.builder("bob").groups("support", "admins", "eu").build()).build();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everySinkListsTheCallersGroupsInTheOrderGiven() throws Exception {
        Path nativeTrail = dir.resolve("audit.jsonl");
        Path ocsfTrail = dir.resolve("audit-ocsf.jsonl");
        MemorySink memory = MemorySink.named("groups-" + UUID.randomUUID());
        AuditDispatcher dispatcher = AuditDispatcher.start(List.of(memory, JsonlSink.open(JsonlOptions.of(nativeTrail)),
                JsonlSink.open(JsonlOptions.of(ocsfTrail).withFormat(AuditFormat.OCSF))), AuditSettings.defaults());
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:groups-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection raw = h2.getConnection(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE gr_orders(id INT PRIMARY KEY, total INT)");
            s.execute("INSERT INTO gr_orders VALUES (1, 10)");
            GovernedDataSource governed = new GovernedDataSource(h2, Governance.builder().audit(dispatcher).build());
            Integer total = IdentityContext.runAs(ANALYST, () -> {
                try (Connection c = governed.getConnection(); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT total FROM gr_orders WHERE id = 1")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(total).isEqualTo(10);
            assertThat(dispatcher.flush(Duration.ofSeconds(5))).isTrue();
            s.execute("SHUTDOWN");
        } finally {
            dispatcher.close();
        }

        List<AuditEvent> events = memory.events().stream().filter(e -> "alice".equals(e.principal())).toList();
        assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e.groups()).containsExactlyElementsOf(GROUPS));

        List<JsonNode> lines = linesOf(nativeTrail, "principal");
        assertThat(lines).hasSameSizeAs(events).allSatisfy(line -> {
            assertThat(texts(line.get("groups"), null)).containsExactlyElementsOf(GROUPS);
            assertThat(line.get("on_behalf_of").asText()).isEqualTo("bob");
            assertThat(AuditEventJson.read(line.toString()).groups()).containsExactlyElementsOf(GROUPS);
        });

        List<JsonNode> ocsf = new ArrayList<>();
        for (String line : Files.readAllLines(ocsfTrail)) {
            JsonNode node = JSON.readTree(line);
            if ("alice".equals(node.path("actor").path("user").path("name").asText())) {
                ocsf.add(node);
            }
        }
        assertThat(ocsf).hasSameSizeAs(events).allSatisfy(line ->
                assertThat(texts(line.path("actor").path("user").path("groups"), "name")).containsExactlyElementsOf(GROUPS));
    }

    @Test
    void theSameIdentityMadeTwiceGivesTheSameGroupsList() {
        Identity again = Identity.builder("alice").groups(new ArrayList<>(GROUPS)).build();

        assertThat(AuditEvent.builder().identity(again).action("select").decision(AuditDecision.ALLOW).build().groups())
                .containsExactlyElementsOf(GROUPS)
                .isSameAs(again.groupList());
    }

    private static List<JsonNode> linesOf(Path trail, String principalField) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(trail)) {
            JsonNode node = JSON.readTree(line);
            if ("alice".equals(node.path(principalField).asText())) {
                lines.add(node);
            }
        }
        return lines;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> texts = new ArrayList<>();
        for (JsonNode element : array) {
            texts.add(field == null ? element.asText() : element.path(field).asText());
        }
        return texts;
    }
}
