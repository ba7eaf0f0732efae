package io.governed.jdbc.audit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditSettingsTest {

    @Test
    void missingKeysTakeTheDefaults() {
        AuditSettings s = AuditSettings.parse(Map.of("governed.audit", "slf4j", "governed.policy", "x.yaml"));

        assertThat(s).isEqualTo(AuditSettings.defaults());
        assertThat(s.mode()).isEqualTo(DeliveryMode.BLOCK);
        assertThat(s.queueCapacity()).isEqualTo(8192);
    }

    @Test
    void readsEveryKey() {
        AuditSettings s = AuditSettings.parse(Map.of(
                "governed.audit.mode", "Required",
                "governed.audit.queue-capacity", "100",
                "governed.audit.batch-size", "10",
                "governed.audit.flush-interval", "5ms",
                "governed.audit.submit-timeout", "2s",
                "governed.audit.retry-backoff", "30s",
                "governed.audit.close-timeout", "1m",
                "governed.audit.drop-warning-interval", "1h",
                "governed.audit.format", "ocsf"));

        assertThat(s).isEqualTo(new AuditSettings(DeliveryMode.REQUIRED, 100, 10, Duration.ofMillis(5), Duration.ofSeconds(2),
                Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofHours(1), AuditFormat.OCSF));
        assertThat(AuditSettings.KEYS).hasSize(9).allSatisfy(k -> assertThat(k).startsWith("governed.audit."));
    }

    @Test
    void badValuesNameTheKeyAndHowToWriteIt() {
        assertThatThrownBy(() -> AuditSettings.parse(Map.of("governed.audit.mode", "blok")))
                .hasMessage("governed.audit.mode 'blok' is not a delivery mode: use block, required or drop");
        assertThatThrownBy(() -> AuditSettings.parse(Map.of("governed.audit.queue-capacity", "lots")))
                .hasMessage("governed.audit.queue-capacity 'lots' is not a whole number: write e.g. 8192");
        assertThatThrownBy(() -> AuditSettings.parse(Map.of("governed.audit.queue-capacity", "0")))
                .hasMessage("governed.audit.queue-capacity must be at least 1, not 0");
        assertThatThrownBy(() -> AuditSettings.parse(Map.of("governed.audit.close-timeout", "5 minutes")))
                .hasMessageContaining("governed.audit.close-timeout is not a duration: its unit is not one of ms, s, m, h or d")
                .hasMessageContaining("like 500ms, 30s, 5m, 1h or 2d");
        assertThatThrownBy(() -> AuditSettings.parse(Map.of("governed.audit.retry-backoff", "0ms")))
                .hasMessageContaining("governed.audit.retry-backoff must be longer than 0ms");
    }
}
