package io.governed.policy.testing;

import io.governed.policy.Decision;
import io.governed.policy.Policy;
import io.governed.policy.engine.StatementExplainer;
import io.governed.policy.masking.MaskPlan;
import io.governed.policy.masking.PlannedColumn;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs {@link PolicyCase policy tests} against a policy: each case's statement is decided by a
 * {@link StatementExplainer}, the path {@code governed-jdbc policy explain} takes, so a test sees what the
 * driver would decide (without a database: unqualified tables are in the case's schema, views are judged by
 * their column names, nothing is ever approved).
 *
 * <pre>
 * Policy policy = PolicyLoader.loadAll("classpath:platform/policy.yaml, classpath:policies/app.yaml");
 * List&lt;PolicyCaseResult&gt; results = new PolicyTestRunner(policy).run(PolicyCases.fromPath(Path.of("policy-tests")));
 * </pre>
 *
 * <p>Thread-safe.
 */
public final class PolicyTestRunner {

    private final StatementExplainer explainer;

    public PolicyTestRunner(Policy policy) {
        this.explainer = new StatementExplainer(Objects.requireNonNull(policy, "policy"));
    }

    /** The results of {@code cases}, in their order. */
    public List<PolicyCaseResult> run(Collection<PolicyCase> cases) {
        return cases.stream().map(this::run).toList();
    }

    /** The result of one case. */
    public PolicyCaseResult run(PolicyCase testCase) {
        StatementExplainer.Explanation actual = explainer.explain(testCase.identity(), testCase.sql(), testCase.dialect(),
                testCase.schema(), testCase.tables());
        PolicyCase.Expected expected = testCase.expected();
        Decision decision = actual.decision();
        List<String> mismatches = new ArrayList<>();
        if (decision.effect() != expected.decision()) {
            mismatches.add("decision: expected " + name(expected.decision()) + ", was " + name(decision.effect()));
        }
        if (expected.rules() != null && !sameIds(expected.rules(), decision.rules())) {
            mismatches.add("rules: expected " + ids(expected.rules()) + ", was " + ids(decision.rules()));
        }
        if (expected.rowFilters() != null && !sameIds(expected.rowFilters(), actual.rowFilters())) {
            mismatches.add("row filters: expected " + ids(expected.rowFilters()) + ", was " + ids(actual.rowFilters())
                    + (decision.allowed() ? "" : " (the statement is not allowed, so no filter is applied)"));
        }
        if (expected.reason() != null && !decision.reason().contains(expected.reason())) {
            mismatches.add("reason: expected to contain '" + expected.reason() + "'");
        }
        if (expected.wouldDeny() != null) {
            List<String> wouldDeny = actual.wouldBe() == null ? List.of() : actual.wouldBe().rules();
            boolean expectsDenial = !expected.wouldDeny().isEmpty();
            if (expectsDenial != (actual.wouldBe() != null) || !sameIds(expected.wouldDeny(), wouldDeny)) {
                mismatches.add("would-deny: expected " + ids(expected.wouldDeny()) + ", was "
                        + (actual.wouldBe() == null ? "[] (no part in observe mode would deny it)" : ids(wouldDeny)));
            }
        }
        if (expected.masked() != null) {
            masks(expected.masked(), actual, mismatches);
        }
        return new PolicyCaseResult(testCase, actual, mismatches);
    }

    private static void masks(Map<String, String> expected, StatementExplainer.Explanation actual, List<String> mismatches) {
        if (!actual.decision().allowed()) {
            if (!expected.isEmpty()) {
                mismatches.add("masked: expected " + describe(expected) + ", but the statement is not allowed, so no result is masked");
            }
            return;
        }
        Map<String, String> masked = new LinkedHashMap<>();
        List<String> decidedLater = new ArrayList<>();
        for (MaskPlan plan : actual.masks()) {
            for (PlannedColumn column : plan.columns()) {
                if (column.resolution() == PlannedColumn.Resolution.EXPANDS) {
                    decidedLater.add(column.column().label());
                } else if (column.masked()) {
                    masked.put(column.column().label(), column.mask().maskId());
                }
            }
        }
        if (!decidedLater.isEmpty()) {
            mismatches.add("masked: the statement selects " + String.join(", ", decidedLater) + ", whose columns are decided"
                    + " only when the results come: name the columns in the case's SQL to test their masks");
            return;
        }
        List<String> wrong = new ArrayList<>();
        expected.forEach((label, mask) -> {
            String was = findLabel(masked, label);
            if (was == null) {
                wrong.add(label + " expected masked" + (mask == null ? "" : " by " + mask) + ", was clear");
            } else if (mask != null && !mask.equals(masked.get(was))) {
                wrong.add(label + " expected masked by " + mask + ", was masked by " + masked.get(was));
            }
        });
        masked.forEach((label, mask) -> {
            if (findLabel(expected, label) == null) {
                wrong.add(label + " expected clear, was masked by " + mask);
            }
        });
        if (!wrong.isEmpty()) {
            mismatches.add("masked: expected " + describe(expected) + ", was " + describe(masked) + ": " + String.join("; ", wrong));
        }
    }

    /** The key of {@code map} that is {@code label}, compared without regard to case (databases fold labels). */
    private static String findLabel(Map<String, String> map, String label) {
        if (map.containsKey(label)) {
            return label;
        }
        return map.keySet().stream().filter(k -> k.equalsIgnoreCase(label)).findFirst().orElse(null);
    }

    private static String describe(Map<String, String> masked) {
        if (masked.isEmpty()) {
            return "[] (every column clear)";
        }
        List<String> parts = new ArrayList<>();
        masked.forEach((label, mask) -> parts.add(mask == null ? label : label + ": " + mask));
        return "{" + String.join(", ", parts) + "}";
    }

    private static boolean sameIds(List<String> expected, List<String> actual) {
        return Set.copyOf(expected).equals(Set.copyOf(actual));
    }

    private static String ids(List<String> ids) {
        return ids.isEmpty() ? "[] (none)" : new TreeSet<>(ids).toString();
    }

    /** The name the case format and the audit use: allow, deny, pending_approval. */
    static String name(Decision.Effect effect) {
        return effect.name().toLowerCase(Locale.ROOT);
    }
}
