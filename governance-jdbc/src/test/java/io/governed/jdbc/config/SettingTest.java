package io.governed.jdbc.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SettingTest {

    @Test
    void aMisspeltKeySuggestsTheKnownOne() {
        assertThat(Setting.closest("governed.principle")).contains("governed.principal");
        assertThat(Setting.closest("governed.audit.queue_capacity")).contains("governed.audit.queue-capacity");
        assertThat(Setting.closest("Governed.Polcy")).contains("governed.policy");
        assertThat(Setting.closest("governed.audti.mode")).contains("governed.audit.mode");
    }

    @Test
    void anAttributeWithoutItsNameSuggestsTheAttributeForm() {
        assertThat(Setting.closest("governed.attributes.tenant")).contains("governed.attribute.NAME");
        assertThat(Setting.closest("governed.attr")).contains("governed.attribute.NAME");
    }

    @Test
    void aKeyFarFromEveryKnownOneSuggestsNothing() {
        assertThat(Setting.closest("governed.colour")).isEmpty();
    }
}
