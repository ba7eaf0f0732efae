package io.governed.jdbc.audit;

import io.governed.jdbc.audit.jsonl.JsonlSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditSinksTest {

    @TempDir
    Path dir;

    private static void closeAll(List<AuditSink> sinks) throws IOException {
        for (AuditSink s : sinks) {
            s.close();
        }
    }

    @Test
    void createsEveryBuiltInSinkInTheOrderGiven() throws IOException {
        Path log = dir.resolve("logs/audit.jsonl");

        List<AuditSink> sinks = AuditSinks.parse("jsonl:" + log + "?max-size=1MB, slf4j ,memory,memory:orders,jdbc:h2:mem:sinks-test");
        try {
            assertThat(sinks).extracting(AuditSink::describe).containsExactly(
                    "jsonl:" + log, "slf4j", "memory", "memory:orders", "jdbc:h2:mem:sinks-test");
            assertThat(sinks.get(0)).isInstanceOf(JsonlSink.class);
            assertThat(((JsonlSink) sinks.get(0)).options().maxSize()).isEqualTo(1 << 20);
            assertThat(sinks.get(2)).isSameAs(MemorySink.defaultSink());
            assertThat(sinks.get(3)).isSameAs(MemorySink.named("orders"));
            assertThat(Files.exists(log)).as("the jsonl file is opened at once").isTrue();
        } finally {
            closeAll(sinks);
        }
    }

    @Test
    void aUnknownSinkTypeIsNamedWithWhatIsAccepted() {
        assertThatThrownBy(() -> AuditSinks.parse("jsnl:/var/log/audit.jsonl"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown audit sink 'jsnl:/var/log/audit.jsonl': use jsonl:PATH, slf4j, memory,"
                        + " jdbc:URL, kafka:BROKERS?topic=TOPIC or the name of an AuditSink service")
                .hasMessageContaining("services found: test-sink");
        assertThatThrownBy(() -> AuditSinks.parse("slf4j,kafka")).hasMessageContaining("unknown audit sink 'kafka'");
        assertThatThrownBy(() -> AuditSinks.parse("jsonl")).hasMessageContaining("unknown audit sink 'jsonl'");
        assertThatThrownBy(() -> AuditSinks.parse(" , ")).hasMessageContaining("governed.audit is empty");
        assertThatThrownBy(() -> AuditSinks.parse("slf4j:verbose")).hasMessageContaining("takes no argument");
    }

    @Test
    void findsSinkServicesByNameOrClass() throws IOException {
        List<AuditSink> sinks = AuditSinks.parse("test-sink:a," + TestSinkProvider.class.getName() + ":b");

        assertThat(sinks).containsExactly(MemorySink.named("service-a"), MemorySink.named("service-b"));
        assertThatThrownBy(() -> AuditSinks.parse("test-sink")).hasMessageContaining("write test-sink:NAME");
    }

    @Test
    void commasInsideAJdbcUrlStayWithTheUrl() {
        List<String> specs = AuditSinks.split("jdbc:postgresql://db1:5432,db2:5432/app?user=audit,slf4j,memory", List.of());

        assertThat(specs).containsExactly("jdbc:postgresql://db1:5432,db2:5432/app?user=audit", "slf4j", "memory");
    }

    @Test
    void whenOneSinkCannotOpenTheOthersAreClosedAgain() throws IOException {
        Path log = dir.resolve("audit.jsonl");
        Path blocked = Files.writeString(dir.resolve("file"), "x").resolve("audit.jsonl");

        assertThatThrownBy(() -> AuditSinks.parse("jsonl:" + log + ",jsonl:" + blocked))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot open audit log " + blocked);

        JsonlSink.open(io.governed.jdbc.audit.jsonl.JsonlOptions.of(log)).close(); // the first one's lock was released
    }

    @Test
    void aJdbcSinkMustNotGoThroughTheGovernedDriverAndNeedsADriver() {
        assertThatThrownBy(() -> AuditSinks.parse("jdbc:governed:postgresql://db/app"))
                .hasMessageContaining("goes through the governed driver").hasMessageContaining("use the plain URL");
        assertThatThrownBy(() -> AuditSinks.parse("jdbc:nosuchdb://db/app?password=secret"))
                .hasMessageContaining("no JDBC driver accepts this URL")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> AuditSinks.parse("jdbc:h2:mem:x#table=audit;drop table users"))
                .hasMessageContaining("is not a plain table name");
    }
}
