package io.governed.jdbc.audit;

import io.governed.jdbc.audit.jsonl.JsonlOptions;
import io.governed.jdbc.audit.jsonl.JsonlSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bound values and literals never reach the audit trail: the statement arrives normalised and every
 * sink writes exactly the event's fields.
 */
class SinksWriteOnlyWhatTheEventCarriesTest {

    private static final String NORMALISED = "UPDATE users SET email = ?, ssn = ? WHERE id = ?";

    @TempDir
    Path dir;

    private static AuditEvent update() {
        return AuditEvent.builder().time(java.time.Instant.parse("2026-04-01T12:00:00Z")).eventId("e-1").principal("alice").action("update").statement(NORMALISED)
                .decision(AuditDecision.ERROR).rows(0L)
                .error(AuditError.from(new java.sql.SQLException(
                        "ERROR: duplicate key value violates unique constraint \"users_email_key\"\n"
                                + "  Detail: Key (email)=(bob@example.com) already exists.", "23505")))
                .build();
    }

    private static void assertNoValues(String written) {
        assertThat(written).contains(NORMALISED).doesNotContain("bob@example.com").doesNotContain("Detail");
    }

    @Test
    void jsonl() throws Exception {
        Path log = dir.resolve("audit.jsonl");
        try (JsonlSink sink = JsonlSink.open(JsonlOptions.of(log))) {
            sink.write(List.of(update()));
        }

        String line = Files.readString(log);
        assertNoValues(line);
        assertThat(AuditEventJson.read(line)).isEqualTo(update());
    }

    @Test
    void slf4jLogsTheCanonicalJsonOnly() throws Exception {
        RecordingLogger logger = new RecordingLogger();
        try (Slf4jSink sink = new Slf4jSink(logger)) {
            sink.write(List.of(update(), update()));
        }

        assertThat(logger.lines).hasSize(2).containsOnly("INFO " + AuditEventJson.toJson(update()));
        assertNoValues(logger.lines.get(0));
    }

    @Test
    void slf4jLogsEachEventsJsonAsItIsWithBracesAndBackslashesLeftAlone() throws Exception {
        // "{}" is SLF4J's placeholder, "\\{}" its escape: a statement holding them is logged as its JSON says
        AuditEvent braces = AuditEvent.builder().time(java.time.Instant.parse("2026-04-01T12:00:00Z")).eventId("e-2")
                .principal("alice").action("select").statement("SELECT '{}'::jsonb, '\\{}', format('{} {}', ?, ?)")
                .decision(AuditDecision.ALLOW).build();
        RecordingLogger logger = new RecordingLogger();
        try (Slf4jSink sink = new Slf4jSink(logger)) {
            sink.write(List.of(braces, update(), braces));
        }

        assertThat(logger.lines).containsExactly("INFO " + AuditEventJson.toJson(braces), "INFO " + AuditEventJson.toJson(update()),
                "INFO " + AuditEventJson.toJson(braces));
        assertThat(AuditEventJson.read(logger.lines.get(0).substring("INFO ".length())).statement())
                .isEqualTo(braces.statement());
    }

    @Test
    void slf4jInAStandardFormatCarriesNoValuesEither() throws Exception {
        for (AuditFormat format : List.of(AuditFormat.OCSF, AuditFormat.CLOUDEVENTS)) {
            RecordingLogger logger = new RecordingLogger();
            try (Slf4jSink sink = new Slf4jSink(logger, format)) {
                sink.write(List.of(update()));
            }

            assertThat(logger.lines).singleElement().isEqualTo("INFO " + AuditEventJson.toJson(update(), format));
            assertThat(logger.lines.get(0)).contains(format == AuditFormat.OCSF ? "\"class_uid\":6005" : "\"specversion\":\"1.0\"");
            assertNoValues(logger.lines.get(0));
        }
    }

    @Test
    void memory() throws Exception {
        MemorySink sink = MemorySink.named("no-values");
        sink.clear();
        sink.write(List.of(update()));

        assertThat(sink.events()).containsExactly(update());
    }

    @Test
    void jdbc() throws Exception {
        String url = "jdbc:h2:mem:no-values;DB_CLOSE_DELAY=-1";
        try (JdbcSink sink = JdbcSink.parse(url)) {
            sink.write(List.of(update()));
        }

        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT statement, event FROM governed_audit")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(NORMALISED);
            assertNoValues(rs.getString(2));
        }
    }

    /** Keeps what is logged at INFO, formatted. */
    static final class RecordingLogger extends LegacyAbstractLogger {
        final List<String> lines = new ArrayList<>();

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args, Throwable t) {
            lines.add(level + " " + MessageFormatter.basicArrayFormat(pattern, args));
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }
}
