package io.governed.jdbc.audit;

import io.governed.jdbc.audit.kafka.KafkaOptions;
import io.governed.jdbc.audit.kafka.KafkaSink;

import java.io.IOException;
import java.util.Map;

/**
 * Opens the Kafka sink only when kafka-clients is on the classpath: this class is the only one of the
 * audit package that names the Kafka sink, and it is loaded only for a {@code kafka:} spec.
 */
final class KafkaSupport {

    private static final String PRODUCER_CLASS = "org.apache.kafka.clients.producer.KafkaProducer";

    private KafkaSupport() {
    }

    static AuditSink open(String argument, Map<String, String> settings) throws IOException {
        if (!available()) {
            throw new IllegalArgumentException("audit sink 'kafka:" + argument + "' needs the Kafka client library:"
                    + " add org.apache.kafka:kafka-clients to the application's dependencies");
        }
        return KafkaSink.open(KafkaOptions.parse(argument, settings));
    }

    static boolean available() {
        try {
            Class.forName(PRODUCER_CLASS, false, KafkaSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
