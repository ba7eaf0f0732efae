package io.governed.policy.load;

import java.util.ArrayList;
import java.util.List;

/** Collects the problems found while loading, so that all of them are reported at once. */
final class Problems {

    private final List<PolicyProblem> found = new ArrayList<>();

    void add(Position position, String message) {
        found.add(position.problem(message));
    }

    boolean any() {
        return !found.isEmpty();
    }

    /** @throws PolicyLoadException listing every problem, when there is any */
    void throwIfAny() {
        if (!found.isEmpty()) {
            throw new PolicyLoadException(found);
        }
    }
}
