package io.governed.jdbc.audit.kafka;

import io.governed.jdbc.audit.jsonl.ChainedLine;
import io.governed.jdbc.audit.jsonl.HashChain;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Kafka audit topic from its start to its current end and checks the hash chain of every
 * key ({@link KafkaSink}): each record must be intact (its content hashes to the {@code hash} it
 * states) and name the {@code hash} of its key's record before as its {@code prev_hash}; a key's
 * first record must start a chain, unless records were deleted on purpose (retention).
 *
 * <p>Like any hash chain, it cannot tell that a key's last records are missing.
 */
public final class KafkaChainVerifier {

    private KafkaChainVerifier() {
    }

    /**
     * The outcome.
     *
     * @param records records read (all of them when the chains verify)
     * @param keys    distinct keys (connections) seen
     * @param problem the first break found, or {@code null}
     */
    public record Result(long records, int keys, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    /**
     * Verifies a topic.
     *
     * @param consumerProperties extra consumer properties (security settings); may be empty
     * @param continued          accept a key's first record continuing a chain whose start was deleted
     * @param timeout            how long to wait for the brokers at most for each poll
     * @throws IOException when the topic cannot be read
     */
    public static Result verify(String bootstrapServers, String topic, Map<String, Object> consumerProperties,
                                boolean continued, Duration timeout) throws IOException {
        MessageDigest sha256 = HashChain.newDigest();
        Map<String, String> lastHash = new HashMap<>();
        long[] records = {0};
        String[] problem = {null};
        readTopic(bootstrapServers, topic, consumerProperties, timeout, r -> {
            String found = check(r, lastHash, continued, sha256);
            if (found != null) {
                problem[0] = "partition " + r.partition() + " offset " + r.offset() + " key " + r.key() + ": " + found;
                return false;
            }
            records[0]++;
            return true;
        });
        return new Result(records[0], lastHash.size(), problem[0]);
    }

    /** Takes the records of a topic one by one; returns false to stop reading. */
    interface RecordVisitor {
        boolean visit(ConsumerRecord<String, byte[]> record) throws IOException;
    }

    /**
     * Reads a topic from its start to its end as of the call, each partition in offset order.
     *
     * @throws IOException when the topic cannot be read, or a visitor's own
     */
    static void readTopic(String bootstrapServers, String topic, Map<String, Object> consumerProperties, Duration timeout,
                          RecordVisitor visitor) throws IOException {
        Map<String, Object> cfg = new HashMap<>(consumerProperties);
        cfg.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        cfg.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        cfg.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cfg.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(cfg, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IOException("topic '" + topic + "' does not exist on " + bootstrapServers);
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition())) && !visitor.visit(r)) {
                        return;
                    }
                }
            }
        } catch (KafkaException e) {
            throw new IOException("cannot read topic '" + topic + "' from " + bootstrapServers + ": " + e.getMessage(), e);
        }
    }

    private static String check(ConsumerRecord<String, byte[]> r, Map<String, String> lastHash, boolean continued,
                                MessageDigest sha256) {
        byte[] value = r.value();
        ChainedLine line = value == null || value.length == 0 ? null : ChainedLine.parse(value, value.length, sha256);
        if (line == null) {
            return "the record is not a chained audit event (it must end with \"prev_hash\" and \"hash\" fields)";
        }
        if (!line.intact()) {
            return "the event was edited: its content does not match its hash";
        }
        String previous = lastHash.get(r.key());
        if (previous == null && !continued && !line.prevHash().equals(HashChain.GENESIS)) {
            return "the key's chain does not start here: its earlier records are missing"
                    + " (use --continued if they were deleted on purpose, e.g. by retention)";
        }
        if (previous != null && !line.prevHash().equals(previous)) {
            return "the chain breaks here: prev_hash does not match the key's record before, so a record was"
                    + " removed, duplicated or moved at this point";
        }
        lastHash.put(r.key(), line.statedHash());
        return null;
    }
}
