package io.governed.examples.bankapp;

import io.governed.policy.testkit.PolicyTestSuite;
import io.governed.policy.testkit.PolicyTests;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** The application's own YAML cases ({@code src/test/resources/policy-tests/}), on the platform's base and its additions. */
@PolicyTests(policies = {"classpath:platform/policy.yaml", "classpath:policies/app.yaml"}, cases = "policy-tests/")
class BankAppPolicyTest {

    @TestFactory
    Stream<DynamicNode> applicationCases(PolicyTestSuite suite) {
        return suite.dynamicTests();
    }
}
