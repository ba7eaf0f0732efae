package io.governed.jdbc.audit.kafka;

import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.jsonl.ChainedLine;
import io.governed.jdbc.audit.jsonl.HashChain;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sink's keys, per-key chains and ordering when the producer refuses or is slow, against Kafka's MockProducer. */
class KafkaSinkTest {

    /** A MockProducer that refuses the next sends at once, as a producer without topic metadata does. */
    static final class RefusingProducer extends MockProducer<String, byte[]> {
        int refuseNext;

        RefusingProducer(boolean autoComplete) {
            super(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
            if (refuseNext > 0) {
                refuseNext--;
                return CompletableFuture.failedFuture(new TimeoutException("Topic audit not present in metadata after 1000 ms."));
            }
            return super.send(record);
        }
    }

    private static KafkaSink open(RefusingProducer producer) throws IOException {
        KafkaOptions options = KafkaOptions.parse("b1:9092?topic=audit&instance=app-1&ack-timeout=200ms", Map.of());
        return KafkaSink.open(options, cfg -> producer);
    }

    private static AuditEvent event(String connection, int n) {
        return AuditEvent.builder().connectionId(connection).principal("svc").action("select")
                .statement("select " + n + " as s" + n).decision(AuditDecision.ALLOW).build();
    }

    /** Checks every key's chain in the producer's history; returns the statements per key, in order. */
    private static Map<String, List<String>> verifiedChains(List<ProducerRecord<String, byte[]>> history) {
        MessageDigest sha = HashChain.newDigest();
        Map<String, String> last = new HashMap<>();
        Map<String, List<String>> statements = new HashMap<>();
        for (ProducerRecord<String, byte[]> r : history) {
            ChainedLine line = ChainedLine.parse(r.value(), r.value().length, sha);
            assertThat(line).isNotNull();
            assertThat(line.intact()).isTrue();
            assertThat(line.prevHash()).as("prev_hash of a record of %s", r.key()).isEqualTo(last.getOrDefault(r.key(), HashChain.GENESIS));
            last.put(r.key(), line.statedHash());
            String json = new String(r.value(), StandardCharsets.UTF_8);
            int at = json.indexOf("\"statement\":\"") + 13;
            statements.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(json.substring(at, json.indexOf('"', at)));
        }
        return statements;
    }

    @Test
    void recordsAreKeyedByInstanceAndConnectionAndChainedPerKey() throws Exception {
        RefusingProducer producer = new RefusingProducer(true);
        try (KafkaSink sink = open(producer)) {
            sink.write(List.of(event("gc-1", 1), event("gc-2", 1), event("gc-1", 2), event(null, 1), event("gc-2", 2)));
            sink.sync();
        }
        Map<String, List<String>> chains = verifiedChains(producer.history());
        assertThat(chains).containsOnlyKeys("app-1/gc-1", "app-1/gc-2", "app-1/-");
        assertThat(chains.get("app-1/gc-1")).containsExactly("select 1 as s1", "select 2 as s2");
        assertThat(chains.get("app-1/gc-2")).containsExactly("select 1 as s1", "select 2 as s2");
        assertThat(producer.history()).extracting(ProducerRecord::topic).containsOnly("audit");
    }

    @Test
    void aRecordRefusedAtOnceIsSentAgainBeforeTheRecordsAfterIt() throws Exception {
        RefusingProducer producer = new RefusingProducer(true);
        try (KafkaSink sink = open(producer)) {
            sink.write(List.of(event("gc-1", 1)));
            sink.sync();
            producer.refuseNext = 2; // at the write, and again at the first sync
            sink.write(List.of(event("gc-1", 2), event("gc-1", 3), event("gc-1", 4)));
            assertThat(producer.history()).as("nothing overtakes the refused record").hasSize(1);
            assertThatThrownBy(sink::sync).isInstanceOf(IOException.class).hasMessageContaining("did not take 3 events")
                    .hasMessageContaining("sent again, in order");
            assertThat(producer.history()).hasSize(1);
            sink.sync();
        }
        assertThat(verifiedChains(producer.history()).get("app-1/gc-1"))
                .containsExactly("select 1 as s1", "select 2 as s2", "select 3 as s3", "select 4 as s4");
    }

    @Test
    void anEventTooLargeForARecordIsShortenedVisiblyAndStaysInItsChain() throws Exception {
        RefusingProducer producer = new RefusingProducer(true);
        KafkaOptions options = KafkaOptions.parse("b1:9092?topic=audit&instance=app-1",
                Map.of("governed.audit.kafka.max.request.size", "4096"));
        String huge = "select " + "x, ".repeat(5_000) + "1 as s2";
        try (KafkaSink sink = KafkaSink.open(options, cfg -> producer)) {
            sink.write(List.of(event("gc-1", 1), AuditEvent.builder().connectionId("gc-1").principal("svc").action("select")
                    .statement(huge).columns(List.of("a".repeat(4000))).decision(AuditDecision.ALLOW).build(), event("gc-1", 3)));
            sink.sync();
        }
        assertThat(producer.history()).hasSize(3).allSatisfy(r -> assertThat(r.value().length).isLessThanOrEqualTo(4096));
        assertThat(verifiedChains(producer.history()).get("app-1/gc-1")).hasSize(3);
        String shortened = new String(producer.history().get(1).value(), StandardCharsets.UTF_8);
        assertThat(shortened).contains("statement cut to").contains("\"columns\":[]");
    }

    @Test
    void closingWithEventsTheProducerRefusedDoesNotFail() throws Exception {
        RefusingProducer producer = new RefusingProducer(true);
        KafkaSink sink = open(producer);
        producer.refuseNext = 10;
        sink.write(List.of(event("gc-1", 1), event("gc-1", 2)));
        sink.close();
        assertThat(producer.closed()).isTrue();
        assertThatThrownBy(() -> sink.write(List.of(event("gc-1", 3)))).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void eventsNotAcknowledgedWithinTheAckTimeoutFailTheSyncAndAreNotSentTwice() throws Exception {
        RefusingProducer producer = new RefusingProducer(false);
        try (KafkaSink sink = open(producer)) {
            sink.write(List.of(event("gc-1", 1), event("gc-1", 2)));
            assertThatThrownBy(sink::sync).isInstanceOf(IOException.class).hasMessageContaining("not acknowledged 2 events");
            while (producer.completeNext()) {
                // the brokers answer
            }
            sink.sync();
            assertThat(producer.history()).hasSize(2);
        }
    }
}
