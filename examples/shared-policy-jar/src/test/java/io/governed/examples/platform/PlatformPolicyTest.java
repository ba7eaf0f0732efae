package io.governed.examples.platform;

import io.governed.policy.testkit.PolicyTestSuite;
import io.governed.policy.testkit.PolicyTests;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/**
 * The platform's guarantees, as YAML cases in {@code src/test/resources/policy-tests/}: composed under the most an
 * application could permit, the base still forbids, masks, filters rows and waits for approval.
 */
@PolicyTests(policies = {"classpath:platform/policy.yaml", "classpath:permit-everything.yaml"}, cases = "policy-tests/")
class PlatformPolicyTest {

    @TestFactory
    Stream<DynamicNode> platformGuarantees(PolicyTestSuite suite) {
        return suite.dynamicTests();
    }
}
