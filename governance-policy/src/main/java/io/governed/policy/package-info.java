/**
 * The policy language and the decisions made with it.
 *
 * <ul>
 *   <li>{@link io.governed.policy.Policy}: a validated, immutable policy, loaded by
 *       {@link io.governed.policy.load.PolicyLoader} or built with {@link io.governed.policy.Policy#builder()};</li>
 *   <li>{@link io.governed.policy.engine.PolicyEngine}: identity + SQL analysis + policy → {@link io.governed.policy.Decision};</li>
 *   <li>{@code model}: the parts of a policy (rules, principals, conditions, masks, row filters, approvals);</li>
 *   <li>{@code pattern}: table and column patterns and how names are matched;</li>
 *   <li>{@code load}: reading YAML and JSON with positioned errors, and composing several sources;</li>
 *   <li>{@code approval}: approval requests and the store that keeps them;</li>
 *   <li>{@code testing}: policy tests, YAML cases of an identity and a statement and the decision expected, run
 *       with {@link io.governed.policy.engine.StatementExplainer}, the path {@code governed-jdbc policy explain} takes.</li>
 * </ul>
 *
 * <p>The language itself is described in {@code governance-policy/POLICY.md}.
 */
package io.governed.policy;
