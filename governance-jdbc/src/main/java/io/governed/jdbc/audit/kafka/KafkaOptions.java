package io.governed.jdbc.audit.kafka;

import io.governed.jdbc.config.Setting;
import io.governed.settings.Quantities;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How a Kafka audit sink produces, parsed from the sink spec
 * {@code kafka:BOOTSTRAP?topic=TOPIC[&ack-timeout=DURATION][&instance=NAME]} and the producer
 * properties given as {@code governed.audit.kafka.PROPERTY} settings:
 *
 * <ul>
 *   <li>{@code BOOTSTRAP} — the brokers, {@code host:port} separated by commas;</li>
 *   <li>{@code topic} — the topic events go to (required; it must exist unless the brokers create topics);</li>
 *   <li>{@code ack-timeout} — how long the sink waits for the brokers to acknowledge a flush window's
 *       events before it reports itself failing ({@code 5s} by default). The events are not given up:
 *       the producer keeps retrying them, in order, until the brokers take them;</li>
 *   <li>{@code instance} — the name this process's keys start with (a random id by default), so that
 *       connections of different processes never share a key.</li>
 * </ul>
 *
 * @param bootstrapServers  the brokers
 * @param topic             the topic
 * @param ackTimeout        longest wait for acknowledgements per flush window
 * @param instance          the key prefix of this process, or {@code null} for a random one
 * @param producerOverrides producer properties from {@code governed.audit.kafka.*}, prefix removed
 */
public record KafkaOptions(String bootstrapServers, String topic, Duration ackTimeout, String instance,
                           Map<String, String> producerOverrides) {

    /** Prefix of the settings that are passed to the producer. */
    public static final String PROPERTY_PREFIX = Setting.AUDIT_KAFKA_PREFIX;

    /** The default {@code ack-timeout}. */
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(5);

    public KafkaOptions {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        if (ackTimeout.isZero() || ackTimeout.isNegative()) {
            throw new IllegalArgumentException("ack-timeout must be a positive duration, e.g. 5s");
        }
        producerOverrides = Map.copyOf(producerOverrides);
    }

    /**
     * Parses the part of a sink spec after {@code kafka:}.
     *
     * @param settings every setting; those starting with {@value #PROPERTY_PREFIX} become producer properties
     * @throws IllegalArgumentException saying what is wrong and how to write it
     */
    public static KafkaOptions parse(String argument, Map<String, String> settings) {
        String spec = "kafka:" + argument;
        int q = argument.indexOf('?');
        String bootstrap = (q < 0 ? argument : argument.substring(0, q)).trim();
        if (bootstrap.isEmpty()) {
            throw new IllegalArgumentException("audit sink '" + spec + "' names no broker: write kafka:HOST:PORT?topic=TOPIC,"
                    + " e.g. kafka:broker1:9092,broker2:9092?topic=governed-audit");
        }
        String topic = null;
        Duration ackTimeout = DEFAULT_ACK_TIMEOUT;
        String instance = null;
        for (String pair : q < 0 ? new String[0] : argument.substring(q + 1).split("&")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = (eq < 0 ? pair : pair.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : pair.substring(eq + 1).trim();
            try {
                switch (key) {
                    case "topic" -> topic = value;
                    case "ack-timeout" -> ackTimeout = Quantities.parseDuration("ack-timeout", value);
                    case "instance" -> instance = value;
                    default -> throw new IllegalArgumentException("unknown option '" + key + "': use topic, ack-timeout or instance");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("audit sink '" + spec + "': " + e.getMessage(), e);
            }
        }
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("audit sink '" + spec + "' names no topic: add ?topic=TOPIC, e.g. kafka:"
                    + bootstrap + "?topic=governed-audit");
        }
        if (instance != null && (instance.isEmpty() || instance.contains("/"))) {
            throw new IllegalArgumentException("audit sink '" + spec + "': instance must be a non-empty name without '/'");
        }
        Map<String, String> overrides = new TreeMap<>();
        settings.forEach((k, v) -> {
            if (k.startsWith(PROPERTY_PREFIX) && k.length() > PROPERTY_PREFIX.length()) {
                overrides.put(k.substring(PROPERTY_PREFIX.length()), v);
            }
        });
        return new KafkaOptions(bootstrap, topic, ackTimeout, instance, overrides);
    }

    /** The {@code governed.audit.kafka.*} entries of {@code settings}, keys unchanged. */
    public static Map<String, String> producerSettings(Map<String, String> settings) {
        Map<String, String> found = new TreeMap<>();
        settings.forEach((k, v) -> {
            if (k.startsWith(PROPERTY_PREFIX)) {
                found.put(k, v);
            }
        });
        return found;
    }
}
