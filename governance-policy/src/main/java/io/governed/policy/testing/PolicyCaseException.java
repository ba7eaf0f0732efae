package io.governed.policy.testing;

import io.governed.policy.load.PolicyProblem;

import java.util.List;

/**
 * A policy test file could not be read. It lists every problem found, each with its file, line and
 * column and what to fix; the message shows them one per line as {@code file:line:column: message}.
 */
public class PolicyCaseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // an immutable list of serializable records
    private final List<PolicyProblem> problems;

    public PolicyCaseException(List<PolicyProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in the order of the files and of their text. */
    public List<PolicyProblem> problems() {
        return problems;
    }

    private static String describe(List<PolicyProblem> problems) {
        StringBuilder message = new StringBuilder("the policy tests could not be read (")
                .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        problems.forEach(p -> message.append(System.lineSeparator()).append("  ").append(p));
        return message.toString();
    }
}
