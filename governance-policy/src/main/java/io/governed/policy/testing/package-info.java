/**
 * Policy tests: cases of an identity running a statement and the decision, rules, masks and row filters the
 * policy is expected to give it ({@link io.governed.policy.testing.PolicyCase}), read from YAML files
 * ({@link io.governed.policy.testing.PolicyCases}) and checked with the path {@code governed-jdbc policy
 * explain} takes ({@link io.governed.policy.testing.PolicyTestRunner}).
 */
package io.governed.policy.testing;
