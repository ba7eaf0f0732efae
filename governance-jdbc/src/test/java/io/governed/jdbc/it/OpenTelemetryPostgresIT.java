package io.governed.jdbc.it;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * governed.otel=true on a jdbc:governed: URL traces statements to the application's global
 * OpenTelemetry, naming the PostgreSQL server and database the connection talks to.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class OpenTelemetryPostgresIT {
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private OpenTelemetrySdk sdk;

    @AfterEach
    void reset() {
        GlobalOpenTelemetry.resetForTest();
        if (sdk != null) {
            sdk.close();
        }
    }

    @Test
    void theSettingTracesStatementsWithTheServerAndDatabase() throws Exception {
        GlobalOpenTelemetry.resetForTest();
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .buildAndRegisterGlobal();
        Properties settings = new Properties();
        settings.setProperty("governed.otel", "true");
        try (Connection c = TestDatabase.POSTGRESQL.connectGoverned(settings); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 'kafka-otel-literal-5150' AS marker")) {
            assertThat(rs.next()).isTrue();
        }
        assertThat(spans.getFinishedSpanItems()).singleElement().satisfies((SpanData span) -> {
            assertThat(span.getAttributes().get(AttributeKey.stringKey("db.system.name"))).isEqualTo("postgresql");
            assertThat(span.getAttributes().get(AttributeKey.stringKey("db.namespace"))).isEqualTo(TestDatabase.DATABASE);
            assertThat(span.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo("127.0.0.1");
            assertThat(span.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo(5432L);
            assertThat(span.getAttributes().get(AttributeKey.stringKey("governed.principal"))).isEqualTo(TestDatabase.GOVERNED_PRINCIPAL);
            assertThat(span.getAttributes().asMap().values()).noneMatch(v -> v.toString().contains("kafka-otel-literal-5150"));
        });
    }
}
