package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditEventJson;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.support.ThrowingDriver;
import io.governed.policy.load.PolicyLoader;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With tracing on, every statement (run, refused or failed) is a CLIENT span with the stable database
 * conventions and the governance outcome, timed in db.client.operation.duration, its ids in the
 * statement's audit event; and no literal or masked value reaches any exported span or metric.
 */
class OpenTelemetryStageTest {
    private static final Identity BILLING = Identity.builder("billing").kind(IdentityKind.SERVICE).build();
    private static final List<String> SECRETS = List.of("zebra-secret", "literal-marker-7731", "insert-secret",
            "literal-insert-9911", "not-a-number-4242");

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private OpenTelemetrySdk sdk;
    private JdbcDataSource h2;
    private Connection raw;
    private MemorySink sink;
    private AuditDispatcher dispatcher;

    @BeforeEach
    void setUp() throws SQLException {
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
                .build();
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:otel-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        raw = h2.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE kafka_otel_people(id INT PRIMARY KEY, email VARCHAR(80), note VARCHAR(80))");
            s.execute("INSERT INTO kafka_otel_people VALUES (1, 'zebra-secret@example.org', 'literal-marker-7731')");
        }
        sink = MemorySink.named("otel-" + UUID.randomUUID());
        dispatcher = AuditDispatcher.start(List.of(sink), AuditSettings.defaults());
    }

    @AfterEach
    void tearDown() throws SQLException {
        dispatcher.close();
        sdk.close();
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private Connection traced() throws Exception {
        Governance governance = Governance.builder().policy(PolicyLoader.load("classpath:policies/masking-policy.yaml"))
                .audit(dispatcher).defaultIdentity(BILLING).openTelemetry(sdk).build();
        return new GovernedDataSource(h2, governance).getConnection();
    }

    private static SpanData only(List<SpanData> all, String operation) {
        List<SpanData> found = all.stream().filter(s -> operation.equals(s.getAttributes().get(AttributeKey.stringKey("db.operation.name")))).toList();
        assertThat(found).as("spans of %s", operation).hasSize(1);
        return found.get(0);
    }

    private static String attr(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

    private static List<String> list(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringArrayKey(key));
    }

    @Test
    void selectInsertAndDeniedStatementsAreClientSpansWithTheStableConventions() throws Exception {
        try (Connection c = traced(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT email FROM kafka_otel_people WHERE note = 'literal-marker-7731'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("the value is masked for the caller").doesNotContain("zebra-secret");
            }
            assertThat(s.executeUpdate("INSERT INTO kafka_otel_people VALUES (2, 'insert-secret@example.org', 'literal-insert-9911')"))
                    .isEqualTo(1);
            assertThatThrownBy(() -> s.execute("DROP TABLE kafka_otel_people")).isInstanceOf(GovernanceException.class);
        }
        List<SpanData> all = spans.getFinishedSpanItems();
        assertThat(all).hasSize(3).allSatisfy(span -> {
            assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(span.getInstrumentationScopeInfo().getName()).isEqualTo(OpenTelemetryStage.SCOPE);
            assertThat(attr(span, "db.system.name")).isEqualTo("h2database");
            assertThat(attr(span, "governed.principal")).isEqualTo("billing");
            assertThat(attr(span, "db.query.text")).isNotBlank();
            assertThat(span.getName()).isEqualTo(attr(span, "db.query.summary"));
        });

        SpanData select = only(all, "SELECT");
        assertThat(select.getName().toLowerCase(Locale.ROOT)).startsWith("select ").contains("kafka_otel_people");
        assertThat(attr(select, "db.collection.name").toLowerCase(Locale.ROOT)).endsWith("kafka_otel_people");
        assertThat(attr(select, "db.query.text")).contains("?");
        assertThat(attr(select, "governed.decision")).isEqualTo("allow");
        assertThat(list(select, "governed.rules")).contains("services-crud");
        assertThat(list(select, "governed.masked_columns")).singleElement().asString().containsIgnoringCase("email");
        assertThat(select.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(attr(select, "error.type")).isNull();

        SpanData insert = only(all, "INSERT");
        assertThat(attr(insert, "db.collection.name").toLowerCase(Locale.ROOT)).endsWith("kafka_otel_people");
        assertThat(attr(insert, "governed.decision")).isEqualTo("allow");

        SpanData denied = only(all, "DROP");
        assertThat(attr(denied, "governed.decision")).isEqualTo("deny");
        assertThat(list(denied, "governed.rules")).contains("no-destructive-ddl");
        assertThat(attr(denied, "error.type")).isEqualTo(GovernanceException.class.getName());
        assertThat(attr(denied, "db.response.status_code")).isEqualTo("42501");
        assertThat(denied.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);

    }

    @Test
    void aFailedStatementsSpanHasItsErrorTypeAndNoMessage() throws Exception {
        try (Connection c = traced(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT id FROM kafka_otel_people WHERE id = 'not-a-number-4242'"))
                    .isInstanceOf(SQLException.class);
        }
        SpanData failed = only(spans.getFinishedSpanItems(), "SELECT");
        assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(failed.getStatus().getDescription()).isEmpty();
        assertThat(attr(failed, "error.type")).isNotBlank();
        assertThat(attr(failed, "db.response.status_code")).isNotBlank();
        assertThat(failed.getEvents()).as("no exception event, which would carry the message").isEmpty();
    }

    @Test
    void aStatementWhoseDriverThrowsAnUncheckedExceptionIsAFailedSpanNamingThatExceptionsClass() throws Exception {
        ThrowingDriver driver = new ThrowingDriver(h2, "kafka_otel_people");
        Governance governance = Governance.builder().policy(PolicyLoader.load("classpath:policies/masking-policy.yaml"))
                .audit(dispatcher).defaultIdentity(BILLING).openTelemetry(sdk).allowUnlistedDataSources(true).build();
        IllegalStateException thrown = new IllegalStateException("literal-marker-7731");
        try (Connection c = new GovernedDataSource(driver.dataSource(), governance).getConnection();
             Statement s = c.createStatement()) {
            // a first read, whose column auto-detection classifies (reading it through the driver), is not the span looked at
            s.executeQuery("SELECT id FROM kafka_otel_people").close();
            spans.reset();
            driver.throwNext(thrown);
            assertThatThrownBy(() -> s.executeQuery("SELECT id FROM kafka_otel_people")).isSameAs(thrown);
        }
        SpanData failed = only(spans.getFinishedSpanItems(), "SELECT");
        assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(failed.getStatus().getDescription()).isEmpty();
        assertThat(attr(failed, "error.type")).isEqualTo(IllegalStateException.class.getName());
        assertThat(attr(failed, "db.response.status_code")).as("the driver gave no SQLState").isNull();
        assertThat(failed.toString()).doesNotContain("literal-marker-7731");
    }

    @Test
    void aSqlStateNoDatabaseDefinesIsNotExportedAsItIsForCodeOfTheDatabasesUsersMayHaveComposedItFromAValue() throws Exception {
        // a routine's RAISE … USING ERRCODE = left(v, 5) or SIGNAL SQLSTATE v hands five characters of a value to the
        // driver as the SQLState: the span and the metric carry what the audit trail records (HY000), a defined one as it is
        ThrowingDriver driver = new ThrowingDriver(h2, "kafka_otel_people");
        Governance governance = Governance.builder().policy(PolicyLoader.load("classpath:policies/masking-policy.yaml"))
                .audit(dispatcher).defaultIdentity(BILLING).openTelemetry(sdk).allowUnlistedDataSources(true).build();
        try (Connection c = new GovernedDataSource(driver.dataSource(), governance).getConnection();
             Statement s = c.createStatement()) {
            s.executeQuery("SELECT id FROM kafka_otel_people").close();
            spans.reset();
            driver.throwNext(new SQLException("no credit", "zebr4"));
            assertThatThrownBy(() -> s.executeQuery("SELECT id FROM kafka_otel_people")).isInstanceOf(SQLException.class);
            driver.throwNext(new SQLException("duplicate key", "23505"));
            assertThatThrownBy(() -> s.executeQuery("SELECT id FROM kafka_otel_people WHERE id = 1"))
                    .isInstanceOf(SQLException.class);
        }
        List<SpanData> failed = spans.getFinishedSpanItems();
        assertThat(failed).hasSize(2);
        assertThat(failed).extracting(span -> attr(span, "db.response.status_code")).containsExactly("HY000", "23505");
        assertThat(failed.toString()).doesNotContain("zebr4");
        assertThat(metrics.collectAllMetrics().toString()).doesNotContain("zebr4").contains("HY000").contains("23505");
    }

    @Test
    void auditEventsCarryTheirStatementsTraceAndSpanIds() throws Exception {
        try (Connection c = traced(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO kafka_otel_people VALUES (3, 'insert-secret@example.org', 'literal-insert-9911')");
            assertThatThrownBy(() -> s.execute("DROP TABLE kafka_otel_people")).isInstanceOf(GovernanceException.class);
        }
        assertThat(dispatcher.flush(Duration.ofSeconds(5))).isTrue();
        List<AuditEvent> events = sink.events();
        assertThat(events).hasSize(2);
        for (AuditEvent event : events) {
            SpanData span = only(spans.getFinishedSpanItems(), event.action().toUpperCase(Locale.ROOT));
            assertThat(event.traceId()).isEqualTo(span.getTraceId());
            assertThat(event.spanId()).isEqualTo(span.getSpanId());
            assertThat(AuditEventJson.toJson(event)).contains("\"trace_id\":\"" + span.getTraceId() + "\"")
                    .contains("\"span_id\":\"" + span.getSpanId() + "\"");
        }
    }

    @Test
    void aRowWrittenThroughAnUpdatableResultSetIsASpanOfItsStatementWhoseIdsItsAuditEventCarries() throws Exception {
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE otel_stock(id INT PRIMARY KEY, qty INT)");
            s.execute("INSERT INTO otel_stock VALUES (1, 3)");
        }
        Governance governance = Governance.builder().policy(PolicyLoader.fromString("stock.yaml", """
                        version: 1
                        rules:
                          - { id: services-crud, effect: permit, actions: [select, update] }
                        """)).audit(dispatcher).defaultIdentity(BILLING).openTelemetry(sdk).build();
        try (Connection c = new GovernedDataSource(h2, governance).getConnection();
             Statement s = c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE);
             ResultSet rs = s.executeQuery("SELECT id, qty FROM otel_stock WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            rs.updateInt("qty", 515151);
            rs.updateRow();
        }
        SpanData update = only(spans.getFinishedSpanItems(), "UPDATE");
        assertThat(attr(update, "db.collection.name").toLowerCase(Locale.ROOT)).endsWith("otel_stock");
        assertThat(attr(update, "db.query.text")).contains("?").doesNotContain("515151");
        assertThat(attr(update, "governed.decision")).isEqualTo("allow");
        assertThat(attr(update, "governed.principal")).isEqualTo("billing");
        assertThat(dispatcher.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(sink.events()).filteredOn(e -> e.action().equals("update")).singleElement().satisfies(event -> {
            assertThat(event.traceId()).isEqualTo(update.getTraceId());
            assertThat(event.spanId()).isEqualTo(update.getSpanId());
        });
    }

    @Test
    void everyStatementIsTimedInTheOperationDurationHistogram() throws Exception {
        try (Connection c = traced(); Statement s = c.createStatement()) {
            for (int i = 0; i < 3; i++) {
                try (ResultSet rs = s.executeQuery("SELECT id FROM kafka_otel_people WHERE id = " + (i + 1))) {
                    rs.next();
                }
            }
        }
        MetricData metric = metrics.collectAllMetrics().stream()
                .filter(m -> m.getName().equals("db.client.operation.duration")).findFirst().orElseThrow();
        assertThat(metric.getUnit()).isEqualTo("s");
        Collection<HistogramPointData> points = metric.getHistogramData().getPoints();
        assertThat(points).singleElement().satisfies(p -> {
            assertThat(p.getCount()).isEqualTo(3);
            assertThat(p.getAttributes().get(AttributeKey.stringKey("db.operation.name"))).isEqualTo("SELECT");
            assertThat(p.getAttributes().get(AttributeKey.stringKey("db.system.name"))).isEqualTo("h2database");
        });
    }

    @Test
    void noLiteralOrMaskedValueIsInAnyExportedSpanOrMetric() throws Exception {
        try (Connection c = traced(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT email, note FROM kafka_otel_people WHERE note = 'literal-marker-7731'")) {
                while (rs.next()) {
                    rs.getString(1);
                }
            }
            s.executeUpdate("INSERT INTO kafka_otel_people VALUES (4, 'insert-secret@example.org', 'literal-insert-9911')");
            assertThatThrownBy(() -> s.executeQuery("SELECT id FROM kafka_otel_people WHERE id = 'not-a-number-4242'"))
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.execute("DROP TABLE kafka_otel_people")).isInstanceOf(GovernanceException.class);
        }
        List<String> exported = new ArrayList<>();
        for (SpanData span : spans.getFinishedSpanItems()) {
            exported.add(span.getName());
            exported.add(span.getStatus().getDescription());
            span.getAttributes().forEach((k, v) -> exported.add(k.getKey() + "=" + v));
            span.getEvents().forEach(e -> exported.add(e.getName() + " " + e.getAttributes()));
        }
        for (MetricData m : metrics.collectAllMetrics()) {
            exported.add(m.toString());
        }
        assertThat(exported).hasSizeGreaterThan(20);
        for (String secret : SECRETS) {
            assertThat(exported).noneMatch(text -> text.contains(secret));
        }
    }
}
