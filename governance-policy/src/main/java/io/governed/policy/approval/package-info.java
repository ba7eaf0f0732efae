/**
 * Approvals: a statement an {@code approvals} entry covers waits as an
 * {@link io.governed.policy.approval.ApprovalRequest} until an approver approves it; the
 * {@link io.governed.policy.approval.Approval} then allows one execution within its ttl.
 * {@link io.governed.policy.approval.ApprovalStore} is the seam for keeping them elsewhere than in memory.
 */
package io.governed.policy.approval;
