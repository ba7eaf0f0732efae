package io.governed.policy.load;

import java.util.List;

/**
 * A policy could not be loaded. It lists every problem found, not just the first, each with its
 * file, line and column; the message shows them one per line as {@code file:line:column: message}.
 *
 * <p>Unchecked: a broken policy is a configuration error to fix, not a condition a caller can
 * recover from at run time. Code that loads policies from user input can catch it and show
 * {@link #problems()}.
 */
public class PolicyLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // an immutable list of serializable records
    private final List<PolicyProblem> problems;

    public PolicyLoadException(List<PolicyProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in the order of the sources and of their text. */
    public List<PolicyProblem> problems() {
        return problems;
    }

    private static String describe(List<PolicyProblem> problems) {
        StringBuilder message = new StringBuilder("the policy could not be loaded (")
                .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        problems.forEach(p -> message.append(System.lineSeparator()).append("  ").append(p));
        return message.toString();
    }
}
