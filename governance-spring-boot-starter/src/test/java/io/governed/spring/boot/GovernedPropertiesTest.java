package io.governed.spring.boot;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The starter's properties become the driver's governed.* settings, the Kafka sink's and tracing's included. */
class GovernedPropertiesTest {

    @Test
    void kafkaProducerPropertiesAndTracingBecomeDriverSettings() {
        GovernedProperties properties = new GovernedProperties();
        properties.getAudit().setSinks(List.of("kafka:b1:9092", "b2:9092?topic=governed-audit"));
        properties.getAudit().setKafka(Map.of("security.protocol", "SSL"));
        properties.setOtel(true);
        Properties driver = properties.toDriverProperties();
        assertThat(driver.getProperty("governed.audit")).isEqualTo("kafka:b1:9092,b2:9092?topic=governed-audit");
        assertThat(driver.getProperty("governed.audit.kafka.security.protocol")).isEqualTo("SSL");
        assertThat(driver.getProperty("governed.otel")).isEqualTo("true");
    }

    @Test
    void tracingIsOffUnlessAskedFor() {
        assertThat(new GovernedProperties().toDriverProperties().getProperty("governed.otel")).isNull();
    }
}
