package io.governed.jdbc.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.governed.jdbc.audit.jsonl.ChainVerifier;
import io.governed.jdbc.audit.jsonl.JsonlSink;
import io.governed.jdbc.audit.jsonl.LogFiles;
import io.governed.jdbc.report.ComplianceReport;
import io.governed.policy.PolicyProvenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditFormatTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AuditPolicy POLICY = AuditPolicy.of(PolicyProvenance.of(List.of(
            PolicyProvenance.File.of("policies/app.yaml", "version: 1\n"))));

    @TempDir
    Path dir;

    private static AuditEvent denied() {
        return AuditEvent.builder().time(Instant.parse("2026-02-01T10:00:00.5Z")).eventId("evt-deny").connectionId("conn-7")
                .principal("report-bot").kind("agent").groups(List.of("bots")).onBehalfOf("alice").purpose("summary")
                .action("drop").statement("DROP TABLE public.orders").fingerprint("fp-9").tables(List.of("public.orders"))
                .decision(AuditDecision.DENY).rules(List.of("no-drop")).reason("Dropping tables is not allowed here")
                .policy(POLICY).build();
    }

    private List<JsonNode> write(AuditFormat format, List<AuditEvent> events) throws IOException {
        Path log = dir.resolve(format.externalName() + ".jsonl");
        try (JsonlSink sink = (JsonlSink) AuditSinks.parse("jsonl:" + log + "?format=" + format.externalName()).get(0)) {
            sink.write(events);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            lines.add(MAPPER.readTree(line));
        }
        return lines;
    }

    @Test
    void ocsfLinesAreDatastoreActivitiesWithTheRequiredAttributes() throws IOException {
        JsonNode e = write(AuditFormat.OCSF, List.of(denied())).get(0);

        for (String required : List.of("activity_id", "category_uid", "class_uid", "time", "type_uid", "severity_id",
                "metadata", "actor", "src_endpoint")) {
            assertThat(e.has(required)).as(required).isTrue();
        }
        assertThat(e.path("class_uid").asInt()).isEqualTo(6005);
        assertThat(e.path("category_uid").asInt()).isEqualTo(6);
        assertThat(e.path("activity_id").asInt()).isEqualTo(7);
        assertThat(e.path("type_uid").asLong()).isEqualTo(600507);
        assertThat(e.path("time").asLong()).isEqualTo(Instant.parse("2026-02-01T10:00:00.5Z").toEpochMilli());
        assertThat(e.at("/metadata/version").asText()).isEqualTo("1.3.0");
        assertThat(e.at("/metadata/uid").asText()).isEqualTo("evt-deny");
        assertThat(e.at("/metadata/product/name").asText()).isNotBlank();
        assertThat(e.at("/actor/user/name").asText()).isEqualTo("report-bot");
        assertThat(e.at("/actor/invoked_by").asText()).isEqualTo("alice");
        assertThat(e.at("/actor/user/groups/0/name").asText()).isEqualTo("bots");
        assertThat(e.has("database") || e.has("table")).as("at least one of database, databucket, table").isTrue();
        assertThat(e.at("/table/name").asText()).isEqualTo("public.orders");
        assertThat(e.at("/query_info/query_string").asText()).isEqualTo("DROP TABLE public.orders");
        assertThat(e.at("/disposition_id").asInt()).isEqualTo(2);
        assertThat(e.at("/authorizations/0/decision").asText()).isEqualTo("deny");
        assertThat(e.at("/action_id").asInt()).isEqualTo(2);
        assertThat(e.at("/authorizations/0/policy/uid").asText()).isEqualTo(POLICY.digest());
        assertThat(e.has("policy")).as("no attribute of Datastore Activity or its profiles in OCSF 1.3").isFalse();
        assertThat(e.at("/metadata/profiles")).extracting(JsonNode::asText).containsExactly("datetime", "security_control");
        assertThat(e.path("time_dt").asText()).isEqualTo("2026-02-01T10:00:00.500Z");
        assertThat(e.at("/unmapped/purpose").asText()).isEqualTo("summary");
        assertThat(e.at("/unmapped/rules/0").asText()).isEqualTo("no-drop");
    }

    @Test
    void cloudEventsLinesCarryTheRequiredContextAttributesAndTheEventAsData() throws IOException {
        JsonNode e = write(AuditFormat.CLOUDEVENTS, List.of(denied())).get(0);

        assertThat(e.path("specversion").asText()).isEqualTo("1.0");
        assertThat(e.path("id").asText()).isEqualTo("evt-deny");
        assertThat(e.path("source").asText()).isNotBlank().matches("[a-z]+:.+");
        assertThat(e.path("type").asText()).isEqualTo("io.governed.audit.statement.v1");
        assertThat(Instant.parse(e.path("time").asText())).isEqualTo(Instant.parse("2026-02-01T10:00:00.5Z"));
        assertThat(e.path("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(e.path("subject").asText()).isEqualTo("report-bot");
        assertThat(AuditEventJson.read(e.path("data"))).isEqualTo(denied());
        Pattern extensionName = Pattern.compile("[a-z0-9]{1,20}");
        List<String> attributes = new ArrayList<>();
        e.fieldNames().forEachRemaining(attributes::add);
        assertThat(attributes).as("CloudEvents attribute names are lower-case letters and digits")
                .allMatch(n -> extensionName.matcher(n).matches());
        assertThat(attributes).endsWith("prevhash", "hash");
    }

    /** An event with every field set, as an approval store's decision on a traced statement would have. */
    private static AuditEvent everyField(long durationUs) {
        return new AuditEvent(Instant.parse("2026-02-01T10:00:00.123456789Z"), "evt-all", "conn-1", "vera", "human",
                List.of("dba", "auditors"), "dora", "quarterly close", "delete", "DELETE FROM public.orders WHERE id = ?",
                "fp-1", List.of("public.orders"), List.of("public.orders.id"), AuditDecision.ERROR, List.of("deletes", "r2"),
                "the statement failed", List.of("public.orders.email"), 3L, durationUs,
                new AuditError("23505", "duplicate key"), "verified", "https://idp.example.com", "key-1", "jti-1",
                "apr-0123456789abcdef", "evt-stmt", "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", POLICY);
    }

    @ParameterizedTest
    @EnumSource(AuditFormat.class)
    void everyFormatReadsBackTheEventItWrote(AuditFormat format) throws IOException {
        AuditEvent written = everyField(12_000);
        List<JsonNode> lines = write(format, List.of(written, TestEvents.event(1)));

        assertThat(AuditFormat.of(lines.get(0))).isEqualTo(format);
        assertThat(format.read(lines.get(0))).isEqualTo(written);
        assertThat(format.read(lines.get(1))).isEqualTo(format == AuditFormat.OCSF
                ? inWholeMilliseconds(TestEvents.event(1)) : TestEvents.event(1));
    }

    /** The event with its duration cut to whole milliseconds, as OCSF's {@code duration} holds it. */
    private static AuditEvent inWholeMilliseconds(AuditEvent e) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode)
                MAPPER.readTree(AuditEventJson.toJson(e));
        json.put("duration_us", e.durationUs() / 1000 * 1000);
        return AuditEventJson.read(json);
    }

    @Test
    void anOcsfLineKeepsTheDurationInMillisecondsOnly() throws IOException {
        JsonNode line = MAPPER.readTree(AuditEventJson.toJson(everyField(12_345), AuditFormat.OCSF));
        assertThat(AuditFormat.OCSF.read(line).durationUs()).isEqualTo(12_000);
        ((com.fasterxml.jackson.databind.node.ObjectNode) line.path("unmapped")).remove("policy");
        assertThat(AuditFormat.OCSF.read(line).policy().provenance())
                .as("a line without the native policy object keeps the digest OCSF's policy names")
                .isEqualTo(new PolicyProvenance(POLICY.digest(), List.of()));
        assertThatThrownBy(() -> AuditFormat.OCSF.read(MAPPER.createObjectNode().put("class_uid", 3002)))
                .hasMessageContaining("class_uid 6005");
    }

    @ParameterizedTest
    @EnumSource(AuditFormat.class)
    void theChainOfEveryFormatVerifiesAcrossRestartsAndRotationAndBreaksWhereALineIsEdited(AuditFormat format) throws IOException {
        Path log = dir.resolve("chain-" + format.externalName() + ".jsonl");
        String spec = "jsonl:" + log + "?max-size=4KB&format=" + format.externalName();
        for (int run = 0; run < 2; run++) {
            try (JsonlSink sink = (JsonlSink) AuditSinks.parse(spec).get(0)) {
                sink.write(LongStream.range(run * 20L, run * 20L + 20).mapToObj(TestEvents::event).toList());
            }
        }
        List<Path> files = LogFiles.inChainOrder(log);
        assertThat(files).hasSizeGreaterThan(1);
        ChainVerifier.Result ok = ChainVerifier.verify(files);
        assertThat(ok.ok()).as(String.valueOf(ok.problem())).isTrue();
        assertThat(ok.events()).isEqualTo(40);

        Path first = files.get(0);
        List<String> lines = new ArrayList<>(Files.readAllLines(first));
        lines.set(1, lines.get(1).replace("alice", "mallory"));
        Files.write(first, lines);
        ChainVerifier.Result broken = ChainVerifier.verify(files);
        assertThat(broken.problem().file()).isEqualTo(first);
        assertThat(broken.problem().line()).isEqualTo(2);
    }

    @Test
    void aReportReadsACloudEventsTrailAsItReadsANativeOne() throws IOException {
        write(AuditFormat.CLOUDEVENTS, List.of(denied(), TestEvents.event(1)));

        ComplianceReport report = ComplianceReport.build(new ComplianceReport.Options(
                List.of(dir.resolve("cloudevents.jsonl")), null, null, List.of()));

        assertThat(report.chainsIntact()).isTrue();
        assertThat(report.json().at("/totals/deny").asLong()).isEqualTo(1);
        assertThat(report.json().at("/totals/allow").asLong()).isEqualTo(1);
        assertThat(report.json().at("/policy_versions/0/digest").asText()).isEqualTo(POLICY.digest());
    }

    @Test
    void theSettingChoosesTheFormatOfSinksThatDoNotChooseTheirOwn() throws Exception {
        AuditSettings settings = AuditSettings.parse(Map.of("governed.audit.format", "CloudEvents"));
        assertThat(settings.format()).isEqualTo(AuditFormat.CLOUDEVENTS);
        Path a = dir.resolve("a.jsonl");
        Path b = dir.resolve("b.jsonl");
        try (AuditDispatcher d = AuditDispatcher.start("jsonl:" + a + ",jsonl:" + b + "?format=ocsf", settings)) {
            d.submit(denied());
        }
        assertThat(MAPPER.readTree(Files.readAllLines(a).get(0)).path("specversion").asText()).isEqualTo("1.0");
        assertThat(MAPPER.readTree(Files.readAllLines(b).get(0)).path("class_uid").asInt()).isEqualTo(6005);
        assertThatThrownBy(() -> AuditSettings.parse(Map.of("governed.audit.format", "cef")))
                .hasMessageContaining("use native, ocsf or cloudevents");
        assertThatThrownBy(() -> AuditSinks.parse("jsonl:" + dir.resolve("c.jsonl") + "?format=xml"))
                .hasMessageContaining("use native, ocsf or cloudevents");
    }
}
