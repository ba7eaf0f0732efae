package io.governed.policy.engine;

import io.governed.policy.model.Rule;
import io.governed.policy.model.RuleEffect;
import io.governed.sql.Action;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A policy's rules indexed by effect and action, built once so that a decision looks only at the
 * rules that could apply. Rules are referred to by their position in the policy, so a set of
 * matched rules is a {@link BitSet} and lists come out in the order the policy wrote them.
 */
final class RuleIndex {

    private static final int[] NONE = new int[0];

    private final List<Rule> rules;
    private final Map<Action, int[]> permits = new EnumMap<>(Action.class);
    private final Map<Action, int[]> forbids = new EnumMap<>(Action.class);

    RuleIndex(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        for (Action action : Action.values()) {
            permits.put(action, positions(action, RuleEffect.PERMIT));
            forbids.put(action, positions(action, RuleEffect.FORBID));
        }
    }

    private int[] positions(Action action, RuleEffect effect) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            if (rule.effect() == effect && rule.actions().contains(action)) {
                found.add(i);
            }
        }
        return found.isEmpty() ? NONE : found.stream().mapToInt(Integer::intValue).toArray();
    }

    Rule rule(int position) {
        return rules.get(position);
    }

    /** Positions of the permit rules covering {@code action}, in policy order. */
    int[] permits(Action action) {
        return permits.get(action);
    }

    /** Positions of the forbid rules covering {@code action}, in policy order. */
    int[] forbids(Action action) {
        return forbids.get(action);
    }

    /** The rules at these positions, in policy order. */
    List<Rule> rulesAt(BitSet positions) {
        List<Rule> found = new ArrayList<>(positions.cardinality());
        positions.stream().forEach(i -> found.add(rules.get(i)));
        return found;
    }
}
