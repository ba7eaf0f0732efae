package io.governed.policy.load;

import io.governed.policy.Policy;
import io.governed.policy.model.ApprovalRule;
import io.governed.policy.model.Classification;
import io.governed.policy.model.FallbackEffect;
import io.governed.policy.model.Limit;
import io.governed.policy.model.Mask;
import io.governed.policy.model.RoutineFootprint;
import io.governed.policy.model.RowFilter;
import io.governed.policy.model.Rule;
import io.governed.policy.pattern.ColumnPattern;
import io.governed.settings.DidYouMean;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Composes the fragments of several sources, in order, into one policy: rules, masks, row filters,
 * approvals, limits and routine declarations are concatenated and tags merged; a setting is inherited when a later source leaves
 * it out, and a later source that sets it to a different value is an error (an application must not
 * loosen its platform's base silently). Ids must be unique across all sources.
 */
final class PolicyComposer {

    private final Problems problems;

    private PolicyComposer(Problems problems) {
        this.problems = problems;
    }

    /** The composed policy; problems found are added, and the result is meaningless when there are any. */
    static Policy compose(List<PolicyFragment> fragments, Problems problems) {
        return new PolicyComposer(problems).compose(fragments);
    }

    private Policy compose(List<PolicyFragment> fragments) {
        Located<FallbackEffect> defaultEffect = null;
        Located<FallbackEffect> onUnparseable = null;
        Located<Boolean> autoDetect = null;
        Map<String, List<ColumnPattern>> tags = new LinkedHashMap<>();
        List<Rule> rules = new ArrayList<>();
        List<Mask> masks = new ArrayList<>();
        List<RowFilter> rowFilters = new ArrayList<>();
        List<ApprovalRule> approvals = new ArrayList<>();
        List<Limit> limits = new ArrayList<>();
        List<RoutineFootprint> routines = new ArrayList<>();
        java.util.Set<String> observed = new java.util.LinkedHashSet<>();
        boolean observeOnly = !fragments.isEmpty();
        Map<String, Position> ids = new HashMap<>();
        for (PolicyFragment fragment : fragments) {
            defaultEffect = inherit(defaultEffect, fragment.defaultEffect, "default");
            onUnparseable = inherit(onUnparseable, fragment.onUnparseable, "on-unparseable");
            autoDetect = inherit(autoDetect, fragment.autoDetect, "auto-detect");
            fragment.tags.forEach((tag, patterns) -> {
                List<ColumnPattern> merged = tags.computeIfAbsent(tag, t -> new ArrayList<>());
                patterns.stream().filter(p -> !merged.contains(p)).forEach(merged::add);
            });
            rules.addAll(fragment.rules);
            masks.addAll(fragment.masks);
            rowFilters.addAll(fragment.rowFilters);
            approvals.addAll(fragment.approvals);
            limits.addAll(fragment.limits);
            routines.addAll(fragment.routines);
            observed.addAll(fragment.observed);
            observeOnly &= fragment.observeOnly;
            for (Located<String> id : fragment.ids) {
                Position first = ids.putIfAbsent(id.value(), id.position());
                if (first != null) {
                    problems.add(id.position(), "duplicate id '" + id.value() + "': already used at " + first
                            + "; give every rule, mask, row filter, approval, limit and routine declaration an id of its own");
                }
            }
        }
        for (PolicyFragment fragment : fragments) {
            for (Located<String> tag : fragment.tagReferences) {
                if (!tags.containsKey(tag.value())) {
                    problems.add(tag.position(), "the mask names tag '" + tag.value() + "', which no 'classification.tags' defines"
                            + (tags.isEmpty() ? ": define it there with its column patterns" : DidYouMean.hint(tag.value(), tags.keySet())));
                }
            }
        }
        if (problems.any()) {
            return null;
        }
        return new Policy(valueOr(defaultEffect, FallbackEffect.DENY), valueOr(onUnparseable, FallbackEffect.DENY),
                new Classification(valueOr(autoDetect, Boolean.FALSE), tags), rules, masks, rowFilters, approvals, limits, observed, observeOnly,
                null, routines);
    }

    private <T> Located<T> inherit(Located<T> earlier, Located<T> later, String key) {
        if (later == null) {
            return earlier;
        }
        if (earlier == null) {
            return later;
        }
        if (!earlier.value().equals(later.value())) {
            problems.add(later.position(), "'" + key + "' is set to " + external(later.value()) + " here but to "
                    + external(earlier.value()) + " at " + earlier.position()
                    + ": a policy composed with others may not change a setting they made; remove it here, or change it there");
        }
        return earlier;
    }

    private static String external(Object value) {
        return value instanceof FallbackEffect effect ? effect.externalName() : String.valueOf(value);
    }

    private static <T> T valueOr(Located<T> located, T fallback) {
        return located == null ? fallback : located.value();
    }
}
