package io.governed.jdbc.audit.kafka;

import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditSink;
import io.governed.jdbc.audit.jsonl.HashChain;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Produces audit events to a Kafka topic, one record per event, keyed by connection and hash-chained
 * per key.
 *
 * <p><b>Keys and order.</b> A record's key is {@code INSTANCE/CONNECTION_ID}: the instance name
 * ({@link KafkaOptions#instance()}, a random id by default) keeps connections of different processes
 * apart, since connection ids are only unique within a process. All records of a key go to one
 * partition, in the order the connection's statements were audited. The producer is idempotent with
 * {@code acks=all}, so a retried send is neither duplicated nor reordered.
 *
 * <p><b>The chain.</b> A record's value is the event's JSON as in a jsonl log, with {@code prev_hash}
 * and {@code hash} computed over the key's own stream ({@link HashChain}): the first record of a key
 * has the genesis {@code prev_hash}, each later one the {@code hash} of the key's record before it.
 * {@link KafkaChainVerifier} (and {@code governed-jdbc audit verify --kafka}) checks every key's chain.
 *
 * <p><b>Delivery.</b> {@link #write} hands records to the producer; {@link #sync()} waits up to
 * {@link KafkaOptions#ackTimeout()} for the brokers to acknowledge them and fails otherwise, which the
 * dispatcher treats like any failing sink: {@code required} mode refuses statements, {@code block}
 * holds events and retries. Records are never given up on meanwhile: the producer's
 * {@code delivery.timeout.ms} is unbounded by default, and a record the producer refuses is sent
 * again, with the records after it, in order. (A record that fails after later ones of its key were
 * acknowledged, which an unbounded delivery timeout rules out, would be sent again after them: the
 * verification would then report the key's chain broken at that point.)
 */
public final class KafkaSink implements AuditSink {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);

    /** Chains remembered at once; a key not seen for longer starts a new chain when it comes back. */
    static final int MAX_CHAINS = 65_536;

    /** Producer properties the sink sets itself, which settings must not change. */
    private static final Set<String> FIXED = Set.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG);

    private final KafkaOptions options;
    private final String keyPrefix;
    private final Function<Map<String, Object>, Producer<String, byte[]>> producers;
    private final Map<String, Object> config;
    private final HashChain chain = new HashChain(HashChain.GENESIS);
    private final Map<String, String> lastHashes = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_CHAINS;
        }
    };
    /** Records handed to the producer and not yet acknowledged, oldest first. */
    private final ArrayDeque<Sent> unacknowledged = new ArrayDeque<>();

    /** The largest record value that fits the producer's {@code max.request.size}, with room for the key and headers. */
    private final long maxValueBytes;
    private Producer<String, byte[]> producer;
    private boolean closed;

    /** A record and its send: {@code null} while it waits to be sent (again). */
    private static final class Sent {
        final ProducerRecord<String, byte[]> record;
        Future<RecordMetadata> future;

        Sent(ProducerRecord<String, byte[]> record, Future<RecordMetadata> future) {
            this.record = record;
            this.future = future;
        }
    }

    private KafkaSink(KafkaOptions options, Function<Map<String, Object>, Producer<String, byte[]>> producers) {
        this.options = options;
        String instance = options.instance() != null ? options.instance()
                : UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        this.keyPrefix = instance + "/";
        this.producers = producers;
        this.config = producerConfig(options, instance);
        Object maxRequest = config.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576);
        this.maxValueBytes = Math.max(1024, parseInt(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequest) - 1024);
    }

    /**
     * Opens the sink: creates the producer and asks the brokers for the topic. A sink whose brokers do not answer
     * (or do not know the topic) within {@code ack-timeout} still opens, with a warning that says what to check:
     * its events wait with the producer, and the delivery mode applies as in any outage ({@code required} refuses
     * statements, {@code block} holds events, {@code drop} drops them) until the brokers take them. An application
     * thus starts while Kafka is down, as it keeps running while Kafka is down; a sink that cannot work at all
     * (producer properties that do not make a producer) fails here.
     *
     * @throws IllegalArgumentException for producer properties that would break delivery guarantees, or that the
     *                                  producer refuses
     */
    public static KafkaSink open(KafkaOptions options) {
        return open(options, cfg -> new KafkaProducer<>(cfg, new StringSerializer(), new ByteArraySerializer()));
    }

    static KafkaSink open(KafkaOptions options, Function<Map<String, Object>, Producer<String, byte[]>> producers) {
        KafkaSink sink = new KafkaSink(options, producers);
        try {
            sink.producer = producers.apply(sink.config);
        } catch (KafkaException e) {
            throw new IllegalArgumentException("audit sink " + sink.describe() + ": the producer cannot be created ("
                    + e.getMessage() + "): check the " + KafkaOptions.PROPERTY_PREFIX + "* settings", e);
        }
        try {
            sink.producer.partitionsFor(options.topic());
            LOG.info("Audit events go to Kafka topic {} under keys {}CONNECTION_ID", options.topic(), sink.keyPrefix);
        } catch (KafkaException e) {
            LOG.warn("Audit sink {} cannot reach its topic yet ({}): {}; its events wait for the brokers meanwhile, and"
                    + " the audit mode decides what statements do until they are taken", sink.describe(), e.toString(),
                    sink.unreachableAdvice());
        }
        return sink;
    }

    /** What to check when the brokers do not take the sink's records. */
    private String unreachableAdvice() {
        return "check that the brokers run and are reachable from here, and that topic '" + options.topic()
                + "' exists (or that the brokers create topics)";
    }

    /** The producer configuration: the guarantees the sink needs, then the settings' properties. */
    static Map<String, Object> producerConfig(KafkaOptions options, String instance) {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        cfg.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        cfg.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        cfg.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, options.ackTimeout().toMillis());
        cfg.put(ProducerConfig.CLIENT_ID_CONFIG, "governed-audit-" + instance);
        for (Map.Entry<String, String> e : options.producerOverrides().entrySet()) {
            String key = e.getKey();
            String value = e.getValue().trim();
            if (FIXED.contains(key)) {
                throw new IllegalArgumentException(KafkaOptions.PROPERTY_PREFIX + key + " cannot be set: the audit sink"
                        + " sets it itself (the brokers go in governed.audit=kafka:BROKERS?topic=TOPIC)");
            }
            cfg.put(key, value);
        }
        requireValue(cfg, ProducerConfig.ACKS_CONFIG, "all", Set.of("all", "-1"));
        requireValue(cfg, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true", Set.of("true"));
        Object inFlight = cfg.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        if (inFlight != null && parseInt(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, inFlight) > 5) {
            throw new IllegalArgumentException(KafkaOptions.PROPERTY_PREFIX + ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION
                    + " must be at most 5: more lets retried records overtake others and breaks the order of the audit trail");
        }
        cfg.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        return cfg;
    }

    private static void requireValue(Map<String, Object> cfg, String key, String value, Set<String> accepted) {
        Object given = cfg.get(key);
        if (given != null && !accepted.contains(given.toString().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(KafkaOptions.PROPERTY_PREFIX + key + "=" + given + " is refused: the audit"
                    + " sink needs " + key + "=" + value + " so that no acknowledged event is lost or duplicated; remove the setting");
        }
        cfg.put(key, value);
    }

    private static int parseInt(String key, Object value) {
        try {
            return Integer.parseInt(value.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(KafkaOptions.PROPERTY_PREFIX + key + " '" + value + "' is not a whole number", e);
        }
    }

    @Override
    public String describe() {
        return "kafka:" + options.bootstrapServers() + "?topic=" + options.topic();
    }

    /** The key of a connection's records: {@code INSTANCE/CONNECTION_ID} ({@code INSTANCE/-} for events of no connection). */
    public String keyOf(String connectionId) {
        return keyPrefix + (connectionId == null ? "-" : connectionId);
    }

    /**
     * Links the events into their keys' chains and hands them to the producer, in order. A record the
     * producer refuses at once (no metadata for the topic while the brokers are down, say) stops the
     * sending: it and the records after it are sent, in order, at the next {@link #sync()}.
     */
    @Override
    public synchronized void write(List<AuditEvent> events) throws IOException {
        if (closed) {
            throw new IOException("audit sink " + describe() + " is closed");
        }
        for (AuditEvent event : events) {
            String key = keyOf(event.connectionId());
            String previous = lastHashes.get(key) == null ? HashChain.GENESIS : lastHashes.get(key);
            chain.continueFrom(previous);
            byte[] value = chain.linkObject(event);
            if (value.length > maxValueBytes) {
                chain.continueFrom(previous);
                value = chain.linkObject(shortened(event));
            }
            lastHashes.put(key, chain.lastHash());
            unacknowledged.add(new Sent(new ProducerRecord<>(options.topic(), null, event.time().toEpochMilli(), key, value), null));
        }
        send();
    }

    /**
     * The event cut down to fit one record: its statement shortened and its columns left out, which
     * its reason says. A record over the producer's {@code max.request.size} would be refused for
     * ever and hold up every event after it.
     */
    private AuditEvent shortened(AuditEvent e) {
        int keep = (int) Math.min(Integer.MAX_VALUE, maxValueBytes / 8);
        String statement = e.statement() == null || e.statement().length() <= keep ? e.statement()
                : e.statement().substring(0, keep) + "…";
        String note = "statement cut to " + keep + " characters and columns left out to fit a Kafka record";
        return new AuditEvent(e.time(), e.eventId(), e.connectionId(), e.principal(), e.kind(), e.groups(), e.onBehalfOf(),
                e.purpose(), e.action(), statement, e.fingerprint(), e.tables(), List.of(), e.decision(), e.rules(),
                e.reason() == null ? note : e.reason() + " (" + note + ")", e.maskedColumns(), e.rows(), e.durationUs(),
                e.error(), e.identitySource(), e.identityIssuer(), e.identityKeyId(), e.tokenId(), e.approvalId(), e.statementEventId(),
                e.traceId(), e.spanId(), e.policy());
    }

    /**
     * Sends the records not sent yet, and those the producer reported failed, in order; stops at a
     * record refused at once, so that none overtakes it.
     *
     * @return why it stopped, or {@code null} when every record is on its way
     */
    private Throwable send() {
        for (Sent sent : unacknowledged) {
            if (sent.future != null && failure(sent.future) == null) {
                continue; // on its way, or acknowledged
            }
            try {
                sent.future = producer.send(sent.record);
            } catch (KafkaException | IllegalStateException e) {
                // the producer cannot go on (fenced, closed, fatal error): the next attempt uses a new one
                sent.future = null;
                replaceProducer();
                return e;
            }
            Throwable refused = failure(sent.future);
            if (refused != null) {
                return refused;
            }
        }
        return null;
    }

    /** Why a future failed, or {@code null} when it has not (yet). */
    private static Throwable failure(Future<RecordMetadata> future) {
        if (!future.isDone()) {
            return null;
        }
        try {
            future.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | RuntimeException e) {
            return e;
        }
    }

    private void replaceProducer() {
        try {
            producer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.debug("Audit sink {}: closing the failed producer: {}", describe(), e.toString());
        }
        producer = producers.apply(config);
    }

    /**
     * Sends what is still unsent (see {@link #write}), then waits up to {@code ack-timeout} for the
     * brokers to acknowledge every record.
     *
     * @throws IOException when some are not acknowledged in time (they stay with the producer), or
     *                     were refused (they are sent again, in order, at the next call)
     */
    @Override
    public synchronized void sync() throws IOException {
        if (closed) {
            return;
        }
        Throwable cause = send();
        long deadline = System.nanoTime() + options.ackTimeout().toNanos();
        int refused = 0;
        for (Iterator<Sent> it = unacknowledged.iterator(); it.hasNext(); ) {
            Sent sent = it.next();
            if (sent.future == null) {
                refused++;
                continue;
            }
            try {
                sent.future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                it.remove();
            } catch (TimeoutException e) {
                throw new IOException("audit sink " + describe() + ": the brokers have not acknowledged "
                        + unacknowledged.size() + " events within " + options.ackTimeout().toMillis() + "ms (ack-timeout);"
                        + " the producer keeps sending them");
            } catch (ExecutionException e) {
                refused++;
                cause = cause == null ? e.getCause() : cause;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for Kafka to acknowledge audit events");
            }
        }
        if (refused > 0) {
            throw new IOException("audit sink " + describe() + ": Kafka did not take " + refused + " events (" + cause
                    + "); they are sent again, in order" + (cause instanceof org.apache.kafka.common.errors.TimeoutException
                    ? ": " + unreachableAdvice() : ""), cause);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            producer.close(options.ackTimeout());
        } catch (KafkaException e) {
            throw new IOException("could not close audit sink " + describe() + " cleanly: " + e.getMessage(), e);
        }
        long lost = unacknowledged.stream().filter(s -> s.future == null || failure(s.future) != null || !s.future.isDone()).count();
        if (lost > 0) {
            LOG.error("Audit sink {} closed with {} events the brokers had not acknowledged", describe(), lost);
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
