package io.governed.policy.engine;

import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.Test;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/** Whether any row filter restricts a caller, in whichever table: what decides that its errors are scrubbed. */
class RowFiltersApplyToTest {

    @Test
    void aCallerIsRestrictedUnlessEveryFilterExemptsIt() {
        PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("filters.yaml", """
                version: 1
                rules:
                  - { id: everything, effect: permit, actions: ["*"] }
                row-filters:
                  - { id: own-tenant, tables: ["shop.orders"], filter: "tenant = :identity.tenant", unless: { groups: [support] } }
                  - { id: own-region, tables: ["shop.stores"], filter: "region = :identity.region", unless: { groups: [ops] } }
                """));
        assertThat(engine.rowFiltersApplyTo(human("x"))).isTrue();
        assertThat(engine.rowFiltersApplyTo(human("s", "support"))).isTrue();
        assertThat(engine.rowFiltersApplyTo(human("s", "support", "ops"))).isFalse();
    }

    @Test
    void withoutRowFiltersNoCallerIsRestricted() {
        PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("none.yaml", """
                version: 1
                rules:
                  - { id: everything, effect: permit, actions: ["*"] }
                """));
        assertThat(engine.rowFiltersApplyTo(human("x"))).isFalse();
    }
}
