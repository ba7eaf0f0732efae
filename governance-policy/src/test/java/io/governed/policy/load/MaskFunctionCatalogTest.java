package io.governed.policy.load;

import io.governed.policy.Policy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaskFunctionCatalogTest {

    @Test
    void aRegisteredCatalogAddsFunctionsAndTheirParameters() {
        Policy policy = PolicyLoader.fromString("app.yaml", """
                version: 1
                masks:
                  - { id: t, columns: { patterns: ["*.iban"] }, function: tokenize, vault: payments }
                """);
        assertThat(policy.masks().get(0).function()).isEqualTo("tokenize");
        assertThat(policy.masks().get(0).parameters()).containsEntry("vault", "payments");
    }

    @Test
    void aParameterOfAnotherFunctionIsStillRejected() {
        assertThatThrownBy(() -> PolicyLoader.fromString("app.yaml", """
                version: 1
                masks:
                  - { id: t, columns: { patterns: ["*.iban"] }, function: tokenize, keep-last: 4 }
                """))
                .hasMessageContaining("unknown key 'keep-last' in mask 't'");
    }
}
