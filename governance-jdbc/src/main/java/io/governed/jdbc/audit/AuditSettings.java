package io.governed.jdbc.audit;

import io.governed.settings.Quantities;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * How the {@link AuditDispatcher} delivers events, from these settings (all optional):
 *
 * <table>
 *   <caption>Audit delivery settings</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #MODE}</td><td>block</td><td>{@code block} | {@code required} | {@code drop}, see {@link DeliveryMode}</td></tr>
 *   <tr><td>{@value #QUEUE_CAPACITY}</td><td>8192</td><td>events each sink's queue holds</td></tr>
 *   <tr><td>{@value #BATCH_SIZE}</td><td>256</td><td>most events handed to a sink at once</td></tr>
 *   <tr><td>{@value #FLUSH_INTERVAL}</td><td>100ms</td><td>the flush window: how long a writer lets events gather after the first one before it writes (and fsyncs) them all at once; it writes sooner when its queue is half full or a caller waits. Bounds how long an event waits to be written, and so what a crash can lose (the events still gathering, and under {@code fsync=window} those not yet forced); a shorter window writes sooner, at more CPU per event: each window's write and force has a cost of its own (about a tenth of a millisecond of CPU on a virtual disk) shared by the window's events. {@code 0ms} writes as soon as an event comes (one wake-up per event)</td></tr>
 *   <tr><td>{@value #SUBMIT_TIMEOUT}</td><td>1s</td><td>{@code required} mode: how long {@code submit} waits for room before refusing</td></tr>
 *   <tr><td>{@value #RETRY_BACKOFF}</td><td>1s</td><td>longest pause between retries of a failing sink (pauses start at 10ms and double)</td></tr>
 *   <tr><td>{@value #CLOSE_TIMEOUT}</td><td>5s</td><td>how long closing (and JVM shutdown) waits for queued events to be written</td></tr>
 *   <tr><td>{@value #DROP_WARNING_INTERVAL}</td><td>1m</td><td>{@code drop} mode: at most one warning about dropped events per interval</td></tr>
 *   <tr><td>{@value #FORMAT}</td><td>native</td><td>{@code native} | {@code ocsf} | {@code cloudevents}, see {@link AuditFormat}</td></tr>
 * </table>
 *
 * @param mode                what happens when a sink cannot keep up or is down
 * @param queueCapacity       events each sink's queue holds
 * @param batchSize           most events handed to a sink at once
 * @param flushInterval       the flush window: how long a writer lets events gather before writing them
 * @param submitTimeout       how long {@code submit} waits for room in {@code required} mode
 * @param retryBackoff        the longest pause between retries of a failing sink
 * @param closeTimeout        how long closing waits for queued events to be written
 * @param dropWarningInterval the least time between two warnings about dropped events
 * @param format              the shape of events in jsonl and slf4j sinks that do not choose their own
 */
public record AuditSettings(
        DeliveryMode mode,
        int queueCapacity,
        int batchSize,
        Duration flushInterval,
        Duration submitTimeout,
        Duration retryBackoff,
        Duration closeTimeout,
        Duration dropWarningInterval,
        AuditFormat format) {

    public static final String MODE = "governed.audit.mode";
    public static final String QUEUE_CAPACITY = "governed.audit.queue-capacity";
    public static final String BATCH_SIZE = "governed.audit.batch-size";
    public static final String FLUSH_INTERVAL = "governed.audit.flush-interval";
    public static final String SUBMIT_TIMEOUT = "governed.audit.submit-timeout";
    public static final String RETRY_BACKOFF = "governed.audit.retry-backoff";
    public static final String CLOSE_TIMEOUT = "governed.audit.close-timeout";
    public static final String DROP_WARNING_INTERVAL = "governed.audit.drop-warning-interval";
    public static final String FORMAT = AuditFormat.SETTING;

    /** Every key this record is read from. */
    public static final Set<String> KEYS = Set.of(MODE, QUEUE_CAPACITY, BATCH_SIZE, FLUSH_INTERVAL,
            SUBMIT_TIMEOUT, RETRY_BACKOFF, CLOSE_TIMEOUT, DROP_WARNING_INTERVAL, FORMAT);

    /** The default flush window. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(100);

    private static final AuditSettings DEFAULTS = new AuditSettings(DeliveryMode.BLOCK, 8192, 256,
            DEFAULT_FLUSH_INTERVAL, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(1), AuditFormat.NATIVE);

    /** Settings for native-format sinks. */
    public AuditSettings(DeliveryMode mode, int queueCapacity, int batchSize, Duration flushInterval, Duration submitTimeout,
                         Duration retryBackoff, Duration closeTimeout, Duration dropWarningInterval) {
        this(mode, queueCapacity, batchSize, flushInterval, submitTimeout, retryBackoff, closeTimeout, dropWarningInterval,
                AuditFormat.NATIVE);
    }

    public AuditSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(format, "format");
        if (queueCapacity < 1) {
            throw new IllegalArgumentException(QUEUE_CAPACITY + " must be at least 1, not " + queueCapacity);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException(BATCH_SIZE + " must be at least 1, not " + batchSize);
        }
        requireNotNegative(FLUSH_INTERVAL, flushInterval);
        requireNotNegative(SUBMIT_TIMEOUT, submitTimeout);
        requireNotNegative(CLOSE_TIMEOUT, closeTimeout);
        requireNotNegative(DROP_WARNING_INTERVAL, dropWarningInterval);
        requireNotNegative(RETRY_BACKOFF, retryBackoff);
        if (retryBackoff.isZero()) {
            throw new IllegalArgumentException(RETRY_BACKOFF + " must be longer than 0ms");
        }
    }

    /** block mode, 8192 events per queue, batches of 256, a 100ms flush window, 1s retry backoff, 5s to close. */
    public static AuditSettings defaults() {
        return DEFAULTS;
    }

    /**
     * Reads the settings from {@code governed.audit.*} keys; missing keys take their defaults,
     * other keys are ignored.
     *
     * @throws IllegalArgumentException naming the key, the bad value and how to write it
     */
    public static AuditSettings parse(Map<String, String> settings) {
        Function<String, String> get = key -> {
            String v = settings.get(key);
            return v == null || v.isBlank() ? null : v.trim();
        };
        AuditSettings d = DEFAULTS;
        return new AuditSettings(
                get.apply(MODE) == null ? d.mode : DeliveryMode.parse(get.apply(MODE)),
                integer(QUEUE_CAPACITY, get.apply(QUEUE_CAPACITY), d.queueCapacity),
                integer(BATCH_SIZE, get.apply(BATCH_SIZE), d.batchSize),
                duration(FLUSH_INTERVAL, get.apply(FLUSH_INTERVAL), d.flushInterval),
                duration(SUBMIT_TIMEOUT, get.apply(SUBMIT_TIMEOUT), d.submitTimeout),
                duration(RETRY_BACKOFF, get.apply(RETRY_BACKOFF), d.retryBackoff),
                duration(CLOSE_TIMEOUT, get.apply(CLOSE_TIMEOUT), d.closeTimeout),
                duration(DROP_WARNING_INTERVAL, get.apply(DROP_WARNING_INTERVAL), d.dropWarningInterval),
                get.apply(FORMAT) == null ? d.format : AuditFormat.parse(get.apply(FORMAT)));
    }

    public AuditSettings withMode(DeliveryMode mode) {
        return new AuditSettings(mode, queueCapacity, batchSize, flushInterval, submitTimeout, retryBackoff, closeTimeout, dropWarningInterval, format);
    }

    public AuditSettings withQueueCapacity(int capacity) {
        return new AuditSettings(mode, capacity, batchSize, flushInterval, submitTimeout, retryBackoff, closeTimeout, dropWarningInterval, format);
    }

    public AuditSettings withBatchSize(int size) {
        return new AuditSettings(mode, queueCapacity, size, flushInterval, submitTimeout, retryBackoff, closeTimeout, dropWarningInterval, format);
    }

    public AuditSettings withFlushInterval(Duration interval) {
        return new AuditSettings(mode, queueCapacity, batchSize, interval, submitTimeout, retryBackoff, closeTimeout, dropWarningInterval, format);
    }

    public AuditSettings withSubmitTimeout(Duration timeout) {
        return new AuditSettings(mode, queueCapacity, batchSize, flushInterval, timeout, retryBackoff, closeTimeout, dropWarningInterval, format);
    }

    public AuditSettings withRetryBackoff(Duration backoff) {
        return new AuditSettings(mode, queueCapacity, batchSize, flushInterval, submitTimeout, backoff, closeTimeout, dropWarningInterval, format);
    }

    public AuditSettings withCloseTimeout(Duration timeout) {
        return new AuditSettings(mode, queueCapacity, batchSize, flushInterval, submitTimeout, retryBackoff, timeout, dropWarningInterval, format);
    }

    public AuditSettings withFormat(AuditFormat format) {
        return new AuditSettings(mode, queueCapacity, batchSize, flushInterval, submitTimeout, retryBackoff, closeTimeout, dropWarningInterval, format);
    }

    private static int integer(String key, String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " '" + value + "' is not a whole number: write e.g. " + fallback, e);
        }
    }

    private static Duration duration(String key, String value, Duration fallback) {
        return value == null ? fallback : Quantities.parseDuration(key, value);
    }

    private static void requireNotNegative(String key, Duration d) {
        Objects.requireNonNull(d, key);
        if (d.isNegative()) {
            throw new IllegalArgumentException(key + " must not be negative");
        }
    }
}
