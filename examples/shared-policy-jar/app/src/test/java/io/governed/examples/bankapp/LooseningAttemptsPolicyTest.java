package io.governed.examples.bankapp;

import io.governed.policy.testkit.PolicyTestSuite;
import io.governed.policy.testkit.PolicyTests;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/**
 * Files composed after the platform's base that try to loosen it (a permit on what it forbids, a mask exempting
 * whom it masks for) load, and change nothing the base guarantees: {@code src/test/resources/loosening-tests/}.
 */
@PolicyTests(policies = {"classpath:platform/policy.yaml", "classpath:policies/app.yaml",
        "classpath:loosening/permit-hr.yaml", "classpath:loosening/unmask-iban.yaml"}, cases = "loosening-tests/")
class LooseningAttemptsPolicyTest {

    @TestFactory
    Stream<DynamicNode> theBaseHolds(PolicyTestSuite suite) {
        return suite.dynamicTests();
    }
}
