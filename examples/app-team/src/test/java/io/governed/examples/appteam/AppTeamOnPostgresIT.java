package io.governed.examples.appteam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.governed.jdbc.Governance;
import io.governed.jdbc.audit.MemorySink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app team's application with its {@code postgres} profile, on the local PostgreSQL server (in a schema of its
 * own), over real HTTP. Skipped when the server is unreachable, failed instead with CI=true.
 */
@EnabledIf("io.governed.examples.appteam.AppTeamOnPostgresIT#reachable")
@ActiveProfiles("postgres")
@SpringBootTest(classes = AppTeamApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AppTeamOnPostgresIT {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String SCHEMA = "app_team_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    static final String SINK = "app-team-pg-" + UUID.randomUUID();

    static boolean reachable() {
        if ("true".equals(System.getenv("CI"))) {
            return true;
        }
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            return c.isValid(2);
        } catch (SQLException e) {
            System.err.println("PostgreSQL at 127.0.0.1:5432 is unreachable, so AppTeamOnPostgresIT is skipped");
            return false;
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.flyway.schemas", () -> SCHEMA);
        registry.add("spring.datasource.hikari.schema", () -> SCHEMA);
        registry.add("governed.audit.sinks", () -> "memory:" + SINK);
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    Governance governance;

    private HttpResponse<String> call(String method, String user) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + user + "-pw").getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/customers"))
                .header("Authorization", "Basic " + basic).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bothUsersOverHttp() throws Exception {
        HttpResponse<String> support = call("GET", "support");
        assertThat(support.statusCode()).as(support.body()).isEqualTo(200);
        JsonNode clear = new ObjectMapper().readTree(support.body());
        assertThat(clear.get(0).get("email").asText()).isEqualTo("ada@example.com");
        HttpResponse<String> sales = call("GET", "sales");
        assertThat(sales.statusCode()).isEqualTo(200);
        assertThat(sales.body()).contains("Ada Lovelace").doesNotContain("ada@example.com", "grace@example.com");

        assertThat(call("DELETE", "sales").statusCode()).isEqualTo(403);
        try (Connection c = DriverManager.getConnection(URL, "postgres", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM " + SCHEMA + ".customers")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
        governance.flushAudit();
        assertThat(MemorySink.named(SINK).events()).filteredOn(e -> e.principal().equals("sales")).hasSize(2)
                .anySatisfy(e -> assertThat(e.decision().name()).isEqualTo("DENY"));
        assertThat(MemorySink.named(SINK).events()).filteredOn(e -> e.principal().equals("schema-owner"))
                .isNotEmpty().allSatisfy(e -> assertThat(e.purpose()).isEqualTo("migration"));
    }
}
