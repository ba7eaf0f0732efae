/**
 * The parts of a policy as immutable records: {@link io.governed.policy.model.Rule rules} with their
 * {@link io.governed.policy.model.PrincipalCriteria principals} and {@link io.governed.policy.model.Conditions conditions},
 * {@link io.governed.policy.model.Classification classification}, {@link io.governed.policy.model.Mask masks},
 * {@link io.governed.policy.model.RowFilter row filters} and {@link io.governed.policy.model.ApprovalRule approvals}.
 */
package io.governed.policy.model;
