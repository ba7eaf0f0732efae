/**
 * The decision engine: {@link io.governed.policy.engine.PolicyEngine} breaks statements into
 * (action, table) accesses, checks them against the rules ({@code RuleEvaluation}), holds back what
 * would copy out masked data ({@code MaskedDataFlow}), names the row filters that restrict the rows
 * ({@code RowFilterScope}), and holds back
 * what needs approval ({@code ApprovalCheck}).
 */
package io.governed.policy.engine;
