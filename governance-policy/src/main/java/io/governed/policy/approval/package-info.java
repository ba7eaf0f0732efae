/**
 * Approvals: a statement an {@code approvals} entry covers waits as an
 * {@link io.governed.policy.approval.ApprovalRequest} until approvers approve it (as many as the entry
 * requires) or one denies it; the approval then allows one execution of exactly that statement and
 * those values (or of its fingerprint, with {@code scope: fingerprint}) within its ttl.
 * {@link io.governed.policy.approval.ApprovalStore} is the seam for keeping requests elsewhere than in
 * memory; the driver keeps them in a database.
 */
package io.governed.policy.approval;
