package io.governed.jdbc.audit.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A real single-broker KRaft cluster in this JVM, from Kafka's own test kit, that a test can stop and restart. */
final class InProcessKafka implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaClusterTestKit cluster;

    /** One record of an audit topic: its key, partition, offset and the event's JSON. */
    record AuditRecord(String key, int partition, long offset, JsonNode event) {
    }

    InProcessKafka() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setNumBrokerNodes(1).setNumControllerNodes(1).setCombined(false).build();
        cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates a topic with a name of its own (prefixed with the branch's name) and returns the name. */
    String newTopic(int partitions) throws Exception {
        String topic = "kafka-otel-audit-" + UUID.randomUUID();
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        return topic;
    }

    void stopBroker() {
        cluster.brokers().values().forEach(b -> {
            b.shutdown();
            b.awaitShutdown();
        });
    }

    void startBroker() throws Exception {
        cluster.brokers().values().forEach(b -> b.startup());
        cluster.waitForReadyBrokers();
    }

    /** Every record of the topic, partition by partition in offset order. */
    List<AuditRecord> readAll(String topic) throws IOException {
        List<AuditRecord> records = new ArrayList<>();
        KafkaChainVerifier.readTopic(bootstrapServers(), topic, Map.of(), Duration.ofSeconds(30), r -> {
            records.add(new AuditRecord(r.key(), r.partition(), r.offset(), JSON.readTree(r.value())));
            return true;
        });
        return records;
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
