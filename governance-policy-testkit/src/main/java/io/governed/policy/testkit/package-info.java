/**
 * Policy tests as JUnit 5 tests: {@link io.governed.policy.testkit.PolicyTests} on a test class and a
 * {@code @TestFactory} returning {@link io.governed.policy.testkit.PolicyTestSuite#dynamicTests()}. A test-scope
 * dependency of policy jars and applications; nothing at run time depends on JUnit.
 */
package io.governed.policy.testkit;
