package io.governed.jdbc.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.SharedAuditDispatchers;
import io.governed.jdbc.support.CliRun;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code report … --pack}: the evidence zip of a trail the driver wrote, and of the same trail altered. */
class EvidencePackTest {

    private static final String BASE = """
            version: 1
            default: deny
            rules:
              - id: owners-all
                effect: permit
                principals: { groups: [owners] }
                actions: ["*"]
            """;
    private static final String APP = """
            version: 1
            rules:
              - id: no-drop
                effect: forbid
                actions: [drop]
            """;

    @TempDir
    static Path dir;
    static Path trail;
    static Path base;
    static Path app;

    @BeforeAll
    static void runStatementsThroughTheDriver() throws Exception {
        base = Files.writeString(dir.resolve("base.yaml"), BASE);
        app = Files.writeString(dir.resolve("app.yaml"), APP);
        trail = dir.resolve("trail").resolve("audit.jsonl");
        Files.createDirectories(trail.getParent());
        Properties p = new Properties();
        p.setProperty("governed.policy", base + "," + app);
        p.setProperty("governed.audit", "jsonl:" + trail);
        p.setProperty("governed.principal", "olga");
        p.setProperty("governed.groups", "owners");
        try (Connection c = DriverManager.getConnection("jdbc:governed:h2:mem:evidence_pack;DB_CLOSE_DELAY=-1", p);
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE pack_items (id INT)");
            s.executeUpdate("INSERT INTO pack_items VALUES (1), (2)");
            assertThatThrownBy(() -> s.execute("DROP TABLE pack_items")).isInstanceOf(SQLException.class);
            s.executeQuery("SELECT id FROM pack_items").close();
        }
        assertThat(SharedAuditDispatchers.get("jsonl:" + trail, AuditSettings.defaults()).flush(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void everyMemberIsInTheManifestWithItsDigestAndSize() throws Exception {
        Path zip = dir.resolve("evidence.zip");
        Path out = dir.resolve("report.html");
        CliRun run = CliRun.of("report", trail.toString(), "--out", out.toString(), "--pack", zip.toString(),
                "--policy", base.toString(), app.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("evidence pack " + zip);

        Map<String, byte[]> members = unzip(zip);
        assertThat(members.keySet()).containsExactly("report.html", "report.json", "verification.txt",
                "verification/01-audit.jsonl.json", "policies/01-base.yaml", "policies/02-app.yaml", "manifest.json");
        JsonNode manifest = new ObjectMapper().readTree(members.get("manifest.json"));
        List<String> listed = new ArrayList<>();
        for (JsonNode m : manifest.path("members")) {
            String name = m.path("name").asText();
            listed.add(name);
            assertThat(members).as(name).containsKey(name);
            assertThat(m.path("sha256").asText()).as(name).isEqualTo(sha256(members.get(name)));
            assertThat(m.path("size").asLong()).as(name).isEqualTo(members.get(name).length);
        }
        assertThat(listed).as("every member but the manifest itself").containsExactlyElementsOf(
                members.keySet().stream().filter(n -> !n.equals("manifest.json")).toList());

        assertThat(manifest.path("tool").asText()).startsWith("governed-jdbc ");
        JsonNode report = new ObjectMapper().readTree(members.get("report.json"));
        assertThat(manifest.path("period")).isEqualTo(report.path("period"));
        assertThat(manifest.path("period").path("from").asText()).isNotEmpty();
        assertThat(manifest.path("events").asLong()).isEqualTo(4);
        assertThat(manifest.path("chains_intact").asBoolean()).isTrue();
        assertThat(manifest.path("policy_digest").asText())
                .isEqualTo(PolicyLoader.compose(List.of(io.governed.policy.load.PolicySource.fromPath(base),
                        io.governed.policy.load.PolicySource.fromPath(app))).provenance().digest());
        assertThat(manifest.at("/policy_files/0/file").asText()).isEqualTo(base.toString());
        assertThat(manifest.at("/policy_files/0/sha256").asText()).isEqualTo(sha256(Files.readAllBytes(base)));
        assertThat(members.get("policies/02-app.yaml")).isEqualTo(Files.readAllBytes(app));
        assertThat(members.get("report.html")).isEqualTo(Files.readAllBytes(out));
        assertThat(new String(members.get("verification.txt"), StandardCharsets.UTF_8))
                .contains("Every chain is intact.", "Log " + trail + ": OK, 4 events verified");
    }

    @Test
    void aTamperedTrailStillGetsAPackWhoseVerificationSaysWhereTheChainBreaks() throws Exception {
        Path tampered = dir.resolve("tampered").resolve("audit.jsonl");
        Files.createDirectories(tampered.getParent());
        List<String> lines = new ArrayList<>(Files.readAllLines(trail, StandardCharsets.UTF_8));
        String altered = lines.get(2).replace("\"decision\":\"deny\"", "\"decision\":\"allow\"");
        assertThat(altered).as("line 3 is the refused DROP").isNotEqualTo(lines.get(2));
        lines.set(2, altered);
        Files.write(tampered, lines, StandardCharsets.UTF_8);
        Path zip = dir.resolve("tampered.zip");

        CliRun run = CliRun.of("report", tampered.toString(), "--out", dir.resolve("tampered.html").toString(),
                "--pack", zip.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).startsWith("CHAIN BROKEN");
        Map<String, byte[]> members = unzip(zip);
        assertThat(new String(members.get("verification.txt"), StandardCharsets.UTF_8))
                .contains("A chain is BROKEN", "BROKEN at " + tampered + " line 3");
        JsonNode log = new ObjectMapper().readTree(members.get("verification/01-audit.jsonl.json"));
        assertThat(log.path("ok").asBoolean()).isFalse();
        assertThat(log.at("/problem/line").asLong()).isEqualTo(3);
        JsonNode manifest = new ObjectMapper().readTree(members.get("manifest.json"));
        assertThat(manifest.path("chains_intact").asBoolean()).isFalse();
        for (JsonNode m : manifest.path("members")) {
            assertThat(m.path("sha256").asText()).isEqualTo(sha256(members.get(m.path("name").asText())));
        }
        assertThat(members).doesNotContainKey("policies/01-base.yaml");
    }

    @Test
    void aPackInADirectoryThatDoesNotExistIsRefusedNamingIt() {
        Path zip = dir.resolve("no-such-dir").resolve("evidence.zip");
        CliRun run = CliRun.of("report", trail.toString(), "--out", dir.resolve("r.html").toString(), "--pack", zip.toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("report: no such file or directory: " + zip.getParent() + " (")
                .contains("directories of --out, --json and --pack exist");
        assertThat(zip.getParent()).doesNotExist();
    }

    private static Map<String, byte[]> unzip(Path zip) throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                members.put(e.getName(), z.readAllBytes());
            }
        }
        return members;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
