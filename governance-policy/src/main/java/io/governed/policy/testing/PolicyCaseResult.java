package io.governed.policy.testing;

import io.governed.policy.engine.StatementExplainer;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one {@link PolicyCase}: what the policy decided, and every way it differs from what the
 * case expects.
 *
 * @param testCase   the case
 * @param actual     what the policy decided, as {@code governed-jdbc policy explain} shows it
 * @param mismatches one line per expectation not met ({@code "rules: expected [a], was [b]"}); empty when passed
 */
public record PolicyCaseResult(PolicyCase testCase, StatementExplainer.Explanation actual, List<String> mismatches) {

    public PolicyCaseResult {
        Objects.requireNonNull(testCase, "testCase");
        Objects.requireNonNull(actual, "actual");
        mismatches = List.copyOf(mismatches);
    }

    public boolean passed() {
        return mismatches.isEmpty();
    }

    /**
     * The failure as a person reads it: {@code file:line: case 'name' failed}, then each mismatch and the
     * decision's reason; {@code file:line: case 'name' passed} when it passed.
     */
    public String report() {
        StringBuilder report = new StringBuilder(testCase.location()).append(": case '").append(testCase.name()).append("' ")
                .append(passed() ? "passed" : "failed");
        if (!passed()) {
            report.append(" (").append(testCase.identity().describe()).append(")");
            for (String mismatch : mismatches) {
                report.append(System.lineSeparator()).append("  ").append(mismatch);
            }
            report.append(System.lineSeparator()).append("  reason: ").append(actual.decision().reason());
        }
        return report.toString();
    }
}
