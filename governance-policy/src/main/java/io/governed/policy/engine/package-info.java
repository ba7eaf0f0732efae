/**
 * The decision engine: {@link io.governed.policy.engine.PolicyEngine} breaks statements into
 * (action, table) accesses, checks them against the rules ({@code RuleEvaluation}), holds back what
 * would need masks or row filters that are not enforced yet ({@code UnenforcedProtections}), and
 * what needs approval ({@code ApprovalCheck}).
 */
package io.governed.policy.engine;
