package io.governed.jdbc.audit.kafka;

import io.governed.jdbc.audit.AuditSink;
import io.governed.jdbc.audit.AuditSinks;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The kafka: sink spec and its producer properties: what is accepted, and what would weaken delivery is refused. */
class KafkaOptionsTest {

    @Test
    void theSpecNamesBrokersTopicAndOptionsAndProducerPropertiesComeFromTheSettings() {
        KafkaOptions o = KafkaOptions.parse("b1:9092,b2:9092?topic=audit&ack-timeout=2s&instance=app-7",
                Map.of("governed.audit.kafka.compression.type", "zstd", "governed.audit.mode", "block"));
        assertThat(o.bootstrapServers()).isEqualTo("b1:9092,b2:9092");
        assertThat(o.topic()).isEqualTo("audit");
        assertThat(o.ackTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.instance()).isEqualTo("app-7");
        assertThat(o.producerOverrides()).containsExactly(Map.entry("compression.type", "zstd"));
        Map<String, Object> cfg = KafkaSink.producerConfig(o, "app-7");
        assertThat(cfg).containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
                .containsEntry("compression.type", "zstd").containsEntry("bootstrap.servers", "b1:9092,b2:9092");
    }

    @Test
    void aSpecWithoutTopicOrBrokersOrWithAnUnknownOptionSaysHowToWriteIt() {
        assertThatThrownBy(() -> KafkaOptions.parse("b1:9092", Map.of())).hasMessageContaining("names no topic")
                .hasMessageContaining("?topic=");
        assertThatThrownBy(() -> KafkaOptions.parse("?topic=a", Map.of())).hasMessageContaining("names no broker");
        assertThatThrownBy(() -> KafkaOptions.parse("b1:9092?topic=a&acks=1", Map.of()))
                .hasMessageContaining("unknown option 'acks'");
    }

    @Test
    void propertiesThatWouldLoseReorderOrDuplicateEventsAreRefused() {
        for (Map.Entry<String, String> weak : Map.of("acks", "1", "enable.idempotence", "false",
                "max.in.flight.requests.per.connection", "10", "transactional.id", "x", "bootstrap.servers", "other:9092").entrySet()) {
            KafkaOptions o = KafkaOptions.parse("b1:9092?topic=a", Map.of("governed.audit.kafka." + weak.getKey(), weak.getValue()));
            assertThatThrownBy(() -> KafkaSink.producerConfig(o, "i"))
                    .as(weak.getKey()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("governed.audit.kafka." + weak.getKey());
        }
    }

    @Test
    void commasOfABrokerListStayWithTheKafkaSpecAmongOtherSinks() throws Exception {
        List<AuditSink> sinks = AuditSinks.parse("kafka:127.0.0.1:1,127.0.0.1:2?topic=a&ack-timeout=100ms,memory", Map.of());
        try {
            assertThat(sinks).extracting(AuditSink::describe)
                    .as("one Kafka sink with two brokers (which cannot be reached: it opens anyway), then the memory sink")
                    .containsExactly("kafka:127.0.0.1:1,127.0.0.1:2?topic=a", "memory");
        } finally {
            for (AuditSink sink : sinks) {
                sink.close();
            }
        }
    }
}
