package io.governed.examples.bankapp;

import io.governed.policy.load.PolicyLoadException;
import io.governed.policy.load.PolicyLoader;
import io.governed.policy.load.PolicyProblem;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loosening attempts that cannot even load: a changed setting, a rule that takes the id of the platform's forbid. */
class LooseningAttemptsRefusedTest {

    @Test
    void aLaterFileMayNotTurnTheDefaultToAllow() {
        assertThatThrownBy(() -> PolicyLoader.loadAll(BankApp.POLICY + ",classpath:loosening/default-allow.yaml"))
                .isInstanceOf(PolicyLoadException.class)
                .satisfies(e -> assertThat(((PolicyLoadException) e).problems()).extracting(PolicyProblem::toString).containsExactly(
                        "classpath:loosening/default-allow.yaml:3:10: 'default' is set to allow here but to deny at"
                                + " classpath:platform/policy.yaml:6:10: a policy composed with others may not change a setting"
                                + " they made; remove it here, or change it there"));
    }

    @Test
    void aLaterFileMayNotReplaceTheForbidByTakingItsId() {
        assertThatThrownBy(() -> PolicyLoader.loadAll(BankApp.POLICY + ",classpath:loosening/replace-forbid.yaml"))
                .isInstanceOf(PolicyLoadException.class)
                .satisfies(e -> assertThat(((PolicyLoadException) e).problems()).extracting(PolicyProblem::toString).containsExactly(
                        "classpath:loosening/replace-forbid.yaml:4:9: duplicate id 'platform-hr-is-for-hr': already used at"
                                + " classpath:platform/policy.yaml:28:9; give every rule, mask, row filter, approval, limit and routine declaration"
                                + " an id of its own"));
    }
}
