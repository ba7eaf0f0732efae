package io.governed.jdbc.audit;

import io.governed.policy.Policy;
import io.governed.policy.load.PolicyLoader;
import io.governed.policy.load.PolicySource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyVersionsTest {

    private static final String TEXT = "version: 1\nrules:\n  - { id: read, effect: permit, actions: [select] }\n";

    @Test
    void aLoadedPolicyIsEncodedOnceAndNamedByItsDigest() {
        Policy first = PolicyLoader.compose(PolicySource.of("policy-versions-test.yaml", TEXT));
        Policy again = PolicyLoader.compose(PolicySource.of("policy-versions-test.yaml", TEXT));

        AuditPolicy field = PolicyVersions.inForce(first);

        assertThat(field.digest()).isEqualTo(first.provenance().digest());
        assertThat(PolicyVersions.inForce(again)).as("the same version is not encoded again").isSameAs(field);
        assertThat(field.toString()).startsWith("{\"digest\":\"" + field.digest() + "\",\"files\":[{\"name\":\"policy-versions-test.yaml\"");
    }

    @Test
    void aPolicyBuiltInCodeHasNoVersionField() {
        assertThat(PolicyVersions.inForce(Policy.builder().build())).isNull();
        assertThat(PolicyVersions.inForce(null)).isNull();
    }
}
