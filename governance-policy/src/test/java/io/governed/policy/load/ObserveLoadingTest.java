package io.governed.policy.load;

import io.governed.policy.Policy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code enforcement: observe}, for a whole source or one rule, mask or row filter. */
class ObserveLoadingTest {
    private static final String RULE = String.join("\n",
            "rules:",
            "  - id: readers",
            "    effect: permit",
            "    actions: [select]",
            "    resources: [\"*\"]",
            "  - id: no-deletes",
            "    effect: forbid",
            "    actions: [delete]",
            "    resources: [\"*\"]",
            "    enforcement: observe",
            "");

    @Test
    void anObservedRuleIsLeftOutOfThePartInForce() {
        Policy policy = PolicyLoader.fromString("p.yaml", "version: 1\n" + RULE);
        assertThat(policy.observed()).containsExactly("no-deletes");
        assertThat(policy.observeOnly()).isFalse();
        assertThat(policy.enforcedPart().rules()).extracting(r -> r.id()).containsExactly("readers");
    }

    @Test
    void aWholeSourceInObserveModeEnforcesNothingUnlessComposedWithOneThatEnforces() {
        PolicySource observed = PolicySource.of("new.yaml", "version: 1\nenforcement: observe\n" + RULE.replace("readers", "r2")
                .replace("no-deletes", "nd2"));
        Policy alone = PolicyLoader.compose(observed);
        assertThat(alone.observeOnly()).isTrue();
        assertThat(alone.enforcedPart().rules()).isEmpty();

        Policy composed = PolicyLoader.compose(PolicySource.of("base.yaml", "version: 1\ndefault: deny\n" + RULE), observed);
        assertThat(composed.observeOnly()).isFalse();
        assertThat(composed.observed()).containsExactlyInAnyOrder("no-deletes", "r2", "nd2");
        assertThat(composed.enforcedPart().rules()).extracting(r -> r.id()).containsExactly("readers");
    }

    @Test
    void anEnforcementOtherThanEnforceOrObserveIsAnError() {
        assertThatThrownBy(() -> PolicyLoader.fromString("p.yaml", "version: 1\nenforcement: audit\n"
                + RULE.replace("enforcement: observe", "enforcement: later")))
                .isInstanceOf(PolicyLoadException.class)
                .hasMessageContaining("p.yaml:2:")
                .hasMessageContaining("'audit'")
                .hasMessageContaining("'later'")
                .hasMessageContaining("enforce or observe");
    }
}
