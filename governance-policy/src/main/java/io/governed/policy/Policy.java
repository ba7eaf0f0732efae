package io.governed.policy;

import io.governed.classification.Tags;
import io.governed.policy.model.ApprovalRule;
import io.governed.policy.model.Classification;
import io.governed.policy.model.FallbackEffect;
import io.governed.policy.model.Mask;
import io.governed.policy.model.RowFilter;
import io.governed.policy.model.Rule;
import io.governed.policy.pattern.ColumnPattern;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A complete, validated policy: what happens by default, how data is classified, and the rules,
 * masks, row filters and approvals. Immutable and safe to share between threads.
 *
 * <p>Load one from a file with {@link io.governed.policy.load.PolicyLoader}, or write one in code
 * with {@link #builder()}. Ids are unique across rules, masks, row filters and approvals, since
 * decisions name any of them.
 *
 * @param defaultEffect  the effect when no rule permits a statement ({@code default})
 * @param onUnparseable  the effect for a statement that could not be analysed ({@code on-unparseable})
 * @param classification tags given to columns
 * @param rules          permit and forbid rules, in the order written
 * @param masks          result masking
 * @param rowFilters     row restrictions
 * @param approvals      statements that wait for an approval
 * @param provenance     the files the policy was loaded from and their digests, or {@code null} for a policy
 *                       built in code
 */
public record Policy(FallbackEffect defaultEffect, FallbackEffect onUnparseable, Classification classification,
                     List<Rule> rules, List<Mask> masks, List<RowFilter> rowFilters, List<ApprovalRule> approvals,
                     PolicyProvenance provenance) {

    /** A policy built in code: it has no provenance. */
    public Policy(FallbackEffect defaultEffect, FallbackEffect onUnparseable, Classification classification,
                  List<Rule> rules, List<Mask> masks, List<RowFilter> rowFilters, List<ApprovalRule> approvals) {
        this(defaultEffect, onUnparseable, classification, rules, masks, rowFilters, approvals, null);
    }

    /**
     * Two policies are equal when they decide alike: the same defaults, classification, rules, masks,
     * row filters and approvals. Where they were read from ({@link #provenance()}) does not count.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Policy p && defaultEffect == p.defaultEffect && onUnparseable == p.onUnparseable
                && classification.equals(p.classification) && rules.equals(p.rules) && masks.equals(p.masks)
                && rowFilters.equals(p.rowFilters) && approvals.equals(p.approvals);
    }

    @Override
    public int hashCode() {
        return Objects.hash(defaultEffect, onUnparseable, classification, rules, masks, rowFilters, approvals);
    }

    /** This policy, said to come from the files {@code provenance} names. */
    public Policy withProvenance(PolicyProvenance provenance) {
        return new Policy(defaultEffect, onUnparseable, classification, rules, masks, rowFilters, approvals, provenance);
    }

    public Policy {
        Objects.requireNonNull(defaultEffect, "defaultEffect");
        Objects.requireNonNull(onUnparseable, "onUnparseable");
        Objects.requireNonNull(classification, "classification");
        rules = List.copyOf(rules);
        masks = List.copyOf(masks);
        rowFilters = List.copyOf(rowFilters);
        approvals = List.copyOf(approvals);
        Set<String> ids = new HashSet<>();
        Stream.of(rules.stream().map(Rule::id), masks.stream().map(Mask::id), rowFilters.stream().map(RowFilter::id),
                        approvals.stream().map(ApprovalRule::id))
                .flatMap(s -> s)
                .filter(id -> !ids.add(id))
                .findFirst()
                .ifPresent(id -> {
                    throw new IllegalArgumentException("id '" + id + "' is used twice: give every rule, mask, "
                            + "row filter and approval an id of its own");
                });
    }

    /** A builder for a policy written in code; it starts with {@code default: deny} and {@code on-unparseable: deny}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Policy} in code. */
    public static final class Builder {
        private FallbackEffect defaultEffect = FallbackEffect.DENY;
        private FallbackEffect onUnparseable = FallbackEffect.DENY;
        private boolean autoDetect;
        private final Map<String, List<ColumnPattern>> tags = new LinkedHashMap<>();
        private final List<Rule> rules = new ArrayList<>();
        private final List<Mask> masks = new ArrayList<>();
        private final List<RowFilter> rowFilters = new ArrayList<>();
        private final List<ApprovalRule> approvals = new ArrayList<>();

        private Builder() {
        }

        public Builder defaultEffect(FallbackEffect effect) {
            this.defaultEffect = Objects.requireNonNull(effect, "effect");
            return this;
        }

        public Builder onUnparseable(FallbackEffect effect) {
            this.onUnparseable = Objects.requireNonNull(effect, "effect");
            return this;
        }

        public Builder autoDetect(boolean autoDetect) {
            this.autoDetect = autoDetect;
            return this;
        }

        /**
         * Gives {@code tag} to the columns these patterns match; see {@link ColumnPattern#parse}.
         *
         * @throws IllegalArgumentException when the tag is malformed ({@link Tags#requireValid}) or a pattern is
         *         ({@link io.governed.policy.pattern.InvalidPatternException})
         */
        public Builder tag(String tag, String... columnPatterns) {
            List<ColumnPattern> patterns = tags.computeIfAbsent(Tags.requireValid(tag), t -> new ArrayList<>());
            for (String pattern : columnPatterns) {
                patterns.add(ColumnPattern.parse(pattern));
            }
            return this;
        }

        public Builder rule(Rule rule) {
            rules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        public Builder rule(Rule.Builder rule) {
            return rule(rule.build());
        }

        public Builder mask(Mask mask) {
            masks.add(Objects.requireNonNull(mask, "mask"));
            return this;
        }

        public Builder rowFilter(RowFilter rowFilter) {
            rowFilters.add(Objects.requireNonNull(rowFilter, "rowFilter"));
            return this;
        }

        public Builder approval(ApprovalRule approval) {
            approvals.add(Objects.requireNonNull(approval, "approval"));
            return this;
        }

        /** @throws IllegalArgumentException when an id is used twice */
        public Policy build() {
            return new Policy(defaultEffect, onUnparseable, new Classification(autoDetect, tags), rules, masks,
                    rowFilters, approvals);
        }
    }
}
