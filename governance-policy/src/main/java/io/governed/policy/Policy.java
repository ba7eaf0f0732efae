package io.governed.policy;

import io.governed.classification.Tags;
import io.governed.identity.Identity;
import io.governed.policy.model.AppliedLimits;
import io.governed.policy.model.ApprovalRule;
import io.governed.policy.model.Classification;
import io.governed.policy.model.FallbackEffect;
import io.governed.policy.model.Limit;
import io.governed.policy.model.Mask;
import io.governed.policy.model.RoutineFootprint;
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
 * @param limits         bounds on rows, statement rate and run time per caller
 * @param observed       ids of the rules, masks and row filters in observe mode ({@code enforcement: observe}):
 *                       decided and audited as what they would do, not enforced
 * @param observeOnly    whether the whole policy is in observe mode: it enforces nothing
 * @param provenance     the files the policy was loaded from and their digests, or {@code null} for a policy
 *                       built in code
 * @param routines       what routines whose bodies the analysis cannot read do, as the policy declares
 *                       ({@code routines}; see {@link RoutineFootprint})
 */
public record Policy(FallbackEffect defaultEffect, FallbackEffect onUnparseable, Classification classification,
                     List<Rule> rules, List<Mask> masks, List<RowFilter> rowFilters, List<ApprovalRule> approvals,
                     List<Limit> limits, Set<String> observed, boolean observeOnly, PolicyProvenance provenance,
                     List<RoutineFootprint> routines) {

    /** A policy declaring no routine. */
    public Policy(FallbackEffect defaultEffect, FallbackEffect onUnparseable, Classification classification,
                  List<Rule> rules, List<Mask> masks, List<RowFilter> rowFilters, List<ApprovalRule> approvals,
                  List<Limit> limits, Set<String> observed, boolean observeOnly, PolicyProvenance provenance) {
        this(defaultEffect, onUnparseable, classification, rules, masks, rowFilters, approvals, limits, observed, observeOnly,
                provenance, List.of());
    }

    /** A policy built in code: it has no provenance. */
    public Policy(FallbackEffect defaultEffect, FallbackEffect onUnparseable, Classification classification,
                  List<Rule> rules, List<Mask> masks, List<RowFilter> rowFilters, List<ApprovalRule> approvals,
                  List<Limit> limits, Set<String> observed, boolean observeOnly) {
        this(defaultEffect, onUnparseable, classification, rules, masks, rowFilters, approvals, limits, observed, observeOnly,
                null);
    }

    /** A policy in force in every part. */
    public Policy(FallbackEffect defaultEffect, FallbackEffect onUnparseable, Classification classification,
                  List<Rule> rules, List<Mask> masks, List<RowFilter> rowFilters, List<ApprovalRule> approvals,
                  List<Limit> limits) {
        this(defaultEffect, onUnparseable, classification, rules, masks, rowFilters, approvals, limits, Set.of(), false);
    }

    /** A policy without limits. */
    public Policy(FallbackEffect defaultEffect, FallbackEffect onUnparseable, Classification classification,
                  List<Rule> rules, List<Mask> masks, List<RowFilter> rowFilters, List<ApprovalRule> approvals) {
        this(defaultEffect, onUnparseable, classification, rules, masks, rowFilters, approvals, List.of());
    }

    /**
     * Two policies are equal when they decide alike: the same defaults, classification, rules, masks,
     * row filters, approvals, limits and observe mode. Where they were read from ({@link #provenance()})
     * does not count.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Policy p && defaultEffect == p.defaultEffect && onUnparseable == p.onUnparseable
                && classification.equals(p.classification) && rules.equals(p.rules) && masks.equals(p.masks)
                && rowFilters.equals(p.rowFilters) && approvals.equals(p.approvals) && limits.equals(p.limits)
                && observed.equals(p.observed) && observeOnly == p.observeOnly && routines.equals(p.routines);
    }

    @Override
    public int hashCode() {
        return Objects.hash(defaultEffect, onUnparseable, classification, rules, masks, rowFilters, approvals, limits,
                observed, observeOnly, routines);
    }

    /** This policy, said to come from the files {@code provenance} names. */
    public Policy withProvenance(PolicyProvenance provenance) {
        return new Policy(defaultEffect, onUnparseable, classification, rules, masks, rowFilters, approvals, limits,
                observed, observeOnly, provenance, routines);
    }

    public Policy {
        Objects.requireNonNull(defaultEffect, "defaultEffect");
        Objects.requireNonNull(onUnparseable, "onUnparseable");
        Objects.requireNonNull(classification, "classification");
        rules = List.copyOf(rules);
        masks = List.copyOf(masks);
        rowFilters = List.copyOf(rowFilters);
        approvals = List.copyOf(approvals);
        limits = List.copyOf(limits);
        observed = Set.copyOf(observed);
        routines = List.copyOf(routines);
        Set<String> ids = new HashSet<>();
        Stream.of(rules.stream().map(Rule::id), masks.stream().map(Mask::id), rowFilters.stream().map(RowFilter::id),
                        approvals.stream().map(ApprovalRule::id), limits.stream().map(Limit::id),
                        routines.stream().map(RoutineFootprint::id))
                .flatMap(s -> s)
                .filter(id -> !ids.add(id))
                .findFirst()
                .ifPresent(id -> {
                    throw new IllegalArgumentException("id '" + id + "' is used twice: give every rule, mask, "
                            + "row filter, approval, limit and routine declaration an id of its own");
                });
        Set<String> observable = new HashSet<>();
        rules.forEach(r -> observable.add(r.id()));
        masks.forEach(m -> observable.add(m.id()));
        rowFilters.forEach(f -> observable.add(f.id()));
        for (String id : observed) {
            if (!observable.contains(id)) {
                throw new IllegalArgumentException("'" + id + "' is in observe mode but is no rule, mask or row filter of the policy");
            }
        }
    }

    /** Whether any part of the policy is in observe mode. */
    public boolean observes() {
        return observeOnly || !observed.isEmpty();
    }

    /**
     * The part of the policy in force: without its rules, masks and row filters in observe mode; a
     * policy wholly in observe mode enforces nothing (it allows everything and masks nothing).
     */
    public Policy enforcedPart() {
        if (observeOnly) {
            return new Policy(FallbackEffect.ALLOW, FallbackEffect.ALLOW, classification, List.of(), List.of(), List.of(),
                    List.of(), List.of(), Set.of(), false, null, routines);
        }
        if (observed.isEmpty()) {
            return this;
        }
        return new Policy(defaultEffect, onUnparseable, classification,
                rules.stream().filter(r -> !observed.contains(r.id())).toList(),
                masks.stream().filter(m -> !observed.contains(m.id())).toList(),
                rowFilters.stream().filter(f -> !observed.contains(f.id())).toList(), approvals, limits, Set.of(), false,
                null, routines);
    }

    /** The bounds in force for {@code identity}: the tightest of each kind among the limits that apply to it. */
    public AppliedLimits limitsFor(Identity identity) {
        return limits.isEmpty() ? AppliedLimits.NONE : AppliedLimits.of(limits, identity);
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
        private final List<Limit> limits = new ArrayList<>();
        private final List<RoutineFootprint> routines = new ArrayList<>();
        private final Set<String> observed = new HashSet<>();
        private boolean observeOnly;

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

        public Builder limit(Limit limit) {
            limits.add(Objects.requireNonNull(limit, "limit"));
            return this;
        }

        /** Puts the rule, mask or row filter {@code id} in observe mode: decided and audited, not enforced. */
        /** Declares what routines whose bodies cannot be analysed do ({@code routines} in a policy file). */
        public Builder routine(RoutineFootprint routine) {
            routines.add(Objects.requireNonNull(routine, "routine"));
            return this;
        }

        public Builder observe(String id) {
            observed.add(Objects.requireNonNull(id, "id"));
            return this;
        }

        /** Puts the whole policy in observe mode: it enforces nothing, and the audit says what it would have done. */
        public Builder observeOnly(boolean observeOnly) {
            this.observeOnly = observeOnly;
            return this;
        }

        /** @throws IllegalArgumentException when an id is used twice */
        public Policy build() {
            return new Policy(defaultEffect, onUnparseable, new Classification(autoDetect, tags), rules, masks,
                    rowFilters, approvals, limits, observed, observeOnly, null, routines);
        }
    }
}
