package io.governed.jdbc.audit;

import io.governed.jdbc.audit.jsonl.JsonlOptions;
import io.governed.jdbc.audit.jsonl.JsonlSink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Turns a {@code governed.audit} value into sinks. The value is a comma-separated list of:
 *
 * <ul>
 *   <li>{@code jsonl:PATH[?max-size=SIZE&rotate=DURATION&fsync=always|batch|never&format=native|ocsf|cloudevents]} — hash-chained
 *       JSON Lines ({@link JsonlSink}, options in {@link JsonlOptions});</li>
 *   <li>{@code slf4j} — one line per event on logger {@code io.governed.audit} ({@link Slf4jSink});</li>
 *   <li>{@code memory} or {@code memory:NAME} — kept in memory for tests ({@link MemorySink});</li>
 *   <li>{@code jdbc:URL[#table=NAME]} — a database table ({@link JdbcSink}); commas inside the URL
 *       (multi-host URLs) are kept with it;</li>
 *   <li>{@code kafka:BROKERS?topic=TOPIC} — a Kafka topic ({@code io.governed.jdbc.audit.kafka.KafkaSink}, options in
 *       {@code KafkaOptions}; producer properties from {@code governed.audit.kafka.*}); needs kafka-clients;</li>
 *   <li>{@code NAME} or {@code NAME:ARGUMENT} — the {@link AuditSinkProvider} service of that name.</li>
 * </ul>
 */
public final class AuditSinks {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AuditSinks.class);

    private static final String HELP = "use jsonl:PATH, slf4j, memory, jdbc:URL, kafka:BROKERS?topic=TOPIC or the name of an AuditSink service";

    private AuditSinks() {
    }

    /**
     * Creates the sinks a {@code governed.audit} value names, in order.
     *
     * @throws IllegalArgumentException for a value that names no sink, saying what is accepted
     * @throws IOException              when a sink cannot be opened (the message names it)
     */
    public static List<AuditSink> parse(String value) throws IOException {
        return parse(value, Map.of(), AuditFormat.NATIVE);
    }

    /**
     * Creates the sinks a {@code governed.audit} value names, the jsonl and slf4j ones writing in
     * {@code format} unless a jsonl sink names its own ({@code ?format=}).
     *
     * @throws IllegalArgumentException for a value that names no sink, saying what is accepted
     * @throws IOException              when a sink cannot be opened (the message names it)
     */
    public static List<AuditSink> parse(String value, AuditFormat format) throws IOException {
        return parse(value, Map.of(), format);
    }

    /**
     * As {@link #parse(String)}, with the settings sinks take more options from (the Kafka sink's
     * producer properties, {@code governed.audit.kafka.*}).
     */
    public static List<AuditSink> parse(String value, Map<String, String> settings) throws IOException {
        return parse(value, settings, AuditFormat.NATIVE);
    }

    /** As {@link #parse(String, Map)}, the jsonl and slf4j sinks writing in {@code format} unless a jsonl sink names its own. */
    public static List<AuditSink> parse(String value, Map<String, String> settings, AuditFormat format) throws IOException {
        List<AuditSinkProvider> providers = providers();
        List<AuditSink> sinks = new ArrayList<>();
        try {
            for (String spec : split(value, providers)) {
                sinks.add(create(spec, providers, settings, format));
            }
        } catch (IOException | RuntimeException e) {
            for (AuditSink s : sinks) {
                try {
                    s.close();
                } catch (IOException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        if (sinks.isEmpty()) {
            throw new IllegalArgumentException("governed.audit is empty: " + HELP);
        }
        return sinks;
    }

    /** Splits the value into sink specs, keeping commas that belong to a jdbc URL or a list of Kafka brokers. */
    static List<String> split(String value, List<AuditSinkProvider> providers) {
        List<String> specs = new ArrayList<>();
        for (String part : value.split(",")) {
            String token = part.trim();
            if (token.isEmpty()) {
                continue;
            }
            boolean continuesUrl = !specs.isEmpty() && (specs.get(specs.size() - 1).startsWith("jdbc:")
                    || specs.get(specs.size() - 1).startsWith("kafka:"));
            if (continuesUrl && type(token, providers) == null) {
                specs.set(specs.size() - 1, specs.get(specs.size() - 1) + "," + token);
            } else {
                specs.add(token);
            }
        }
        return specs;
    }

    private static AuditSink create(String spec, List<AuditSinkProvider> providers, Map<String, String> settings,
                                    AuditFormat format) throws IOException {
        String type = type(spec, providers);
        if (type == null) {
            String services = providers.isEmpty() ? "" : " (services found: "
                    + String.join(", ", providers.stream().map(AuditSinkProvider::name).toList()) + ")";
            throw new IllegalArgumentException("unknown audit sink '" + spec + "': " + HELP + services);
        }
        int colon = spec.indexOf(':');
        String argument = colon < 0 ? "" : spec.substring(colon + 1);
        return switch (type) {
            case "jsonl" -> JsonlSink.open(JsonlOptions.parse(argument, format));
            case "slf4j" -> {
                requireNoArgument(spec, argument);
                yield new Slf4jSink(format);
            }
            case "memory" -> argument.isBlank() ? MemorySink.defaultSink() : MemorySink.named(argument.trim());
            case "jdbc" -> JdbcSink.parse(spec);
            case "kafka" -> KafkaSupport.open(argument, settings);
            default -> provider(type, providers).create(argument);
        };
    }

    /** The sink type a spec starts with: a built-in name, a provider's name, or {@code null}. */
    private static String type(String spec, List<AuditSinkProvider> providers) {
        int colon = spec.indexOf(':');
        String head = (colon < 0 ? spec : spec.substring(0, colon)).trim();
        String lower = head.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "jsonl", "jdbc", "kafka":
                return colon < 0 ? null : lower;
            case "slf4j", "memory":
                return lower;
            default:
                AuditSinkProvider p = provider(head, providers);
                return p == null ? null : head;
        }
    }

    private static AuditSinkProvider provider(String name, List<AuditSinkProvider> providers) {
        for (AuditSinkProvider p : providers) {
            if (p.name().equalsIgnoreCase(name) || p.getClass().getName().equals(name)) {
                return p;
            }
        }
        return null;
    }

    private static void requireNoArgument(String spec, String argument) {
        if (!argument.isBlank()) {
            throw new IllegalArgumentException("audit sink '" + spec + "' takes no argument: write slf4j"
                    + " (events go to the logger " + Slf4jSink.LOGGER_NAME + ")");
        }
    }

    private static List<AuditSinkProvider> providers() {
        List<AuditSinkProvider> found = new ArrayList<>();
        ServiceLoader.load(AuditSinkProvider.class, AuditSinks.class.getClassLoader()).forEach(found::add);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != AuditSinks.class.getClassLoader()) {
            // The context class loader may see registrations made for another copy of this driver (a tool that
            // loads the driver jar in a loader of its own): those are not providers of this copy, and are skipped.
            Iterator<AuditSinkProvider> providers = ServiceLoader.load(AuditSinkProvider.class, context).iterator();
            while (true) {
                AuditSinkProvider p;
                try {
                    if (!providers.hasNext()) {
                        break;
                    }
                    p = providers.next();
                } catch (ServiceConfigurationError e) {
                    LOG.debug("An audit sink provider seen by the context class loader is skipped: {}", e.getMessage());
                    continue;
                }
                if (found.stream().noneMatch(f -> f.getClass().equals(p.getClass()))) {
                    found.add(p);
                }
            }
        }
        return found;
    }
}
