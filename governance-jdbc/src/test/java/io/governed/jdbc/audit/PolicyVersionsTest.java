package io.governed.jdbc.audit;

import io.governed.policy.Policy;
import io.governed.policy.load.PolicyLoader;
import io.governed.policy.load.PolicySource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyVersionsTest {

    private static final String TEXT = "version: 1\nrules:\n  - { id: read, effect: permit, actions: [select] }\n";

    /**
     * The versions seen are remembered per process, 256 at most: every policy file read by a test that ran before in
     * this JVM (temporary files, each a version of its own name) counts, and once 256 are remembered a version is encoded
     * anew each time. Each test here starts from none, whichever tests the JVM ran first.
     */
    @BeforeEach
    void forgetTheVersionsSeenBefore() throws ReflectiveOperationException {
        Field seen = PolicyVersions.class.getDeclaredField("SEEN");
        seen.setAccessible(true);
        ((Map<?, ?>) seen.get(null)).clear();
    }

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
