package io.governed.examples.appteam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.governed.jdbc.Governance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app team's application started as it ships (H2, Flyway, HikariCP, Spring Security) on a random port, and
 * driven over real HTTP by its two users.
 */
@SpringBootTest(classes = AppTeamApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AppTeamIT {
    static final String DATABASE = "jdbc:h2:mem:app-team-it-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    static final Path AUDIT;

    static {
        try {
            AUDIT = Files.createTempDirectory("app-team-audit").resolve("audit.jsonl");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("governed.audit.sinks", () -> "jsonl:" + AUDIT);
    }

    @LocalServerPort
    int port;
    @Autowired
    Governance governance;

    private final ObjectMapper json = new ObjectMapper();

    private HttpResponse<String> call(String method, String path, String user) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + user + "-pw").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic " + basic).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private List<JsonNode> audit() throws IOException {
        governance.flushAudit();
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(AUDIT)) {
            events.add(json.readTree(line));
        }
        return events;
    }

    private int customersInTheDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(DATABASE, "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM PUBLIC.customers")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void supportSeesEmailAddressesInClearAndSalesSeesThemMasked() throws Exception {
        HttpResponse<String> support = call("GET", "/customers", "support");
        assertThat(support.statusCode()).isEqualTo(200);
        JsonNode clear = json.readTree(support.body());
        assertThat(clear).hasSize(2);
        assertThat(clear.get(0).get("NAME").asText()).isEqualTo("Ada Lovelace");
        assertThat(clear.get(0).get("EMAIL").asText()).isEqualTo("ada@example.com");

        HttpResponse<String> sales = call("GET", "/customers", "sales");
        assertThat(sales.statusCode()).isEqualTo(200);
        JsonNode masked = json.readTree(sales.body());
        assertThat(masked).hasSize(2);
        assertThat(masked.get(0).get("NAME").asText()).isEqualTo("Ada Lovelace");
        assertThat(masked.get(0).get("EMAIL").asText()).isNotEqualTo("ada@example.com").doesNotContain("ada@");
        assertThat(masked.get(1).get("EMAIL").asText()).doesNotContain("grace@");
        assertThat(sales.body()).doesNotContain("ada@example.com", "grace@example.com");
    }

    @Test
    void deletingEveryCustomerIsForbiddenWith403AndNothingIsDeleted() throws Exception {
        for (String user : List.of("support", "sales")) {
            HttpResponse<String> response = call("DELETE", "/customers", user);
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("permission denied", "baseline-no-unbounded-writes");
        }
        assertThat(customersInTheDatabase()).isEqualTo(2);
    }

    @Test
    void theAuditTrailNamesTheWebUserOfEachRequest() throws Exception {
        int before = audit().size();
        assertThat(call("GET", "/customers", "sales").statusCode()).isEqualTo(200);
        assertThat(call("DELETE", "/customers", "support").statusCode()).isEqualTo(403);
        List<JsonNode> events = audit().subList(before, audit().size());
        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("principal").asText()).isEqualTo("sales");
        assertThat(events.get(0).get("decision").asText()).isEqualTo("allow");
        assertThat(events.get(0).get("masked_columns").toString()).containsIgnoringCase("email");
        assertThat(events.get(1).get("principal").asText()).isEqualTo("support");
        assertThat(events.get(1).get("decision").asText()).isEqualTo("deny");
        assertThat(events.get(1).get("rules").toString()).contains("baseline-no-unbounded-writes");
        assertThat(events.toString()).doesNotContain("ada@example.com");
    }

    @Test
    void flywayMigratedAsTheMigrationPrincipal() throws Exception {
        List<JsonNode> migration = audit().stream().filter(e -> e.path("principal").asText().equals("schema-owner")).toList();
        assertThat(migration).isNotEmpty()
                .allSatisfy(e -> assertThat(e.get("purpose").asText()).isEqualTo("migration"));
        assertThat(migration).anySatisfy(e -> {
            assertThat(e.get("action").asText()).isEqualTo("drop");
            assertThat(e.get("decision").asText()).isEqualTo("allow");
        });
        try (Connection c = DriverManager.getConnection(DATABASE, "sa", "")) {
            try (ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "CUSTOMERS", null)) {
                assertThat(rs.next()).as("V1 made it in the schema Flyway was told by CALL SCHEMA(), unmasked").isTrue();
            }
            try (ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "IMPORT_STAGING", null)) {
                assertThat(rs.next()).as("V2 dropped it").isFalse();
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM INFORMATION_SCHEMA.SCHEMATA"
                    + " WHERE SCHEMA_NAME NOT IN ('PUBLIC', 'INFORMATION_SCHEMA')")) {
                rs.next();
                assertThat(rs.getInt(1)).as("no other schema was made").isZero();
            }
        }
    }
}
