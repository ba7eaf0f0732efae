/**
 * Approval stores for the driver: {@link io.governed.jdbc.approval.ApprovalStores} opens the one
 * {@code governed.approvals} names ({@code memory}, or a {@link io.governed.jdbc.approval.JdbcApprovalStore}
 * shared by every instance and the {@code governed-jdbc approvals} command), and
 * {@link io.governed.jdbc.approval.ApprovalNotifier} tells webhooks and Slack about requests and decisions.
 */
package io.governed.jdbc.approval;
