package io.governed.policy.engine;

import io.governed.policy.model.Rule;
import io.governed.policy.model.RuleEffect;
import io.governed.sql.Action;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** A policy's rules indexed by effect and action, built once so a decision looks only at rules that could apply. */
final class RuleIndex {

    private final Map<Action, List<Rule>> permits = new EnumMap<>(Action.class);
    private final Map<Action, List<Rule>> forbids = new EnumMap<>(Action.class);
    private final Map<Rule, Integer> positions = new IdentityHashMap<>();

    RuleIndex(List<Rule> rules) {
        for (Action action : Action.values()) {
            permits.put(action, new ArrayList<>());
            forbids.put(action, new ArrayList<>());
        }
        for (Rule rule : rules) {
            positions.put(rule, positions.size());
            Map<Action, List<Rule>> byAction = rule.effect() == RuleEffect.PERMIT ? permits : forbids;
            rule.actions().forEach(action -> byAction.get(action).add(rule));
        }
        permits.replaceAll((action, list) -> List.copyOf(list));
        forbids.replaceAll((action, list) -> List.copyOf(list));
    }

    /** Where the rule stands in the policy, to list rules in the order written. */
    int position(Rule rule) {
        return positions.get(rule);
    }

    /** Permit rules covering {@code action}, in policy order. */
    List<Rule> permits(Action action) {
        return permits.get(action);
    }

    /** Forbid rules covering {@code action}, in policy order. */
    List<Rule> forbids(Action action) {
        return forbids.get(action);
    }
}
