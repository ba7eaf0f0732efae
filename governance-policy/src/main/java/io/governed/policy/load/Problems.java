package io.governed.policy.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the problems found while loading, so that all of them are reported at once. */
final class Problems {

    private final List<PolicyProblem> found = new ArrayList<>();

    void add(Position position, String message) {
        found.add(position.problem(message));
    }

    /** How many problems were found so far. */
    int count() {
        return found.size();
    }

    boolean any() {
        return !found.isEmpty();
    }

    /** @throws PolicyLoadException listing every problem, when there is any */
    void throwIfAny() {
        if (!found.isEmpty()) {
            throw new PolicyLoadException(inSourceOrder());
        }
    }

    /** The problems ordered by source (in the order sources were first reported) and then by line and column. */
    List<PolicyProblem> inSourceOrder() {
        List<String> sources = found.stream().map(PolicyProblem::source).distinct().toList();
        List<PolicyProblem> ordered = new ArrayList<>(found);
        ordered.sort(Comparator.comparingInt((PolicyProblem p) -> sources.indexOf(p.source()))
                .thenComparingInt(PolicyProblem::line)
                .thenComparingInt(PolicyProblem::column));
        return ordered;
    }
}
