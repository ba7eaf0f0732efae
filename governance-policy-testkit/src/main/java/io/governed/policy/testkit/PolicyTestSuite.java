package io.governed.policy.testkit;

import io.governed.policy.Policy;
import io.governed.policy.load.PolicyLoadException;
import io.governed.policy.load.PolicyLoader;
import io.governed.policy.load.PolicySource;
import io.governed.policy.testing.PolicyCase;
import io.governed.policy.testing.PolicyCaseException;
import io.governed.policy.testing.PolicyCaseResult;
import io.governed.policy.testing.PolicyCases;
import io.governed.policy.testing.PolicyTestRunner;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A composed policy and the policy test cases to run against it, as JUnit 5 dynamic tests.
 *
 * <p>Made by {@link PolicyTests} (a {@code @TestFactory} parameter), or directly:
 * {@code PolicyTestSuite.of(List.of("classpath:platform/policy.yaml"), List.of("policy-tests/"))}.
 * A policy that does not load, or a case file with problems, fails with every problem and its file, line
 * and column.
 */
public final class PolicyTestSuite {

    private static final String FILE_PREFIX = "file:";

    private final Policy policy;
    private final List<PolicyCase> cases;
    private final PolicyTestRunner runner;
    /** Why the policy or the cases could not be read, or {@code null}. */
    private final RuntimeException problem;

    private PolicyTestSuite(Policy policy, List<PolicyCase> cases, RuntimeException problem) {
        this.policy = policy;
        this.cases = List.copyOf(cases);
        this.runner = policy == null ? null : new PolicyTestRunner(policy);
        this.problem = problem;
    }

    /**
     * The suite an annotation describes. A policy that does not load, or case files with problems, make a suite
     * whose {@link #dynamicTests()} is one failing test listing every problem.
     */
    public static PolicyTestSuite of(PolicyTests annotation) {
        try {
            return of(List.of(annotation.policies()), List.of(annotation.cases()), annotation.baseline());
        } catch (PolicyLoadException | PolicyCaseException e) {
            return new PolicyTestSuite(null, List.of(), e);
        }
    }

    /**
     * The policies composed in order, and the cases found at each location.
     *
     * @param policies {@code classpath:NAME} or file paths, a platform base first
     * @param cases    classpath directories or files, or {@code file:PATH} on disk
     */
    public static PolicyTestSuite of(List<String> policies, List<String> cases) {
        return of(policies, cases, false);
    }

    private static PolicyTestSuite of(List<String> policies, List<String> cases, boolean baseline) {
        if (policies.isEmpty()) {
            throw new IllegalArgumentException("no policy to test: name at least one policy file, e.g. classpath:policies/app.yaml");
        }
        List<PolicySource> sources = new ArrayList<>();
        if (baseline) {
            sources.add(PolicyLoader.baselineSource());
        }
        policies.forEach(p -> sources.add(PolicySource.locate(p)));
        Policy policy = PolicyLoader.compose(sources);
        List<PolicyCase> found = new ArrayList<>();
        for (String location : cases) {
            found.addAll(location.startsWith(FILE_PREFIX)
                    ? PolicyCases.fromPath(Path.of(location.substring(FILE_PREFIX.length())))
                    : PolicyCases.fromClasspath(location));
        }
        return new PolicyTestSuite(policy, found, null);
    }

    /** The composed policy; throws what kept it or the cases from being read. */
    public Policy policy() {
        throwProblem();
        return policy;
    }

    /** Every case, in file order; throws what kept them or the policy from being read. */
    public List<PolicyCase> cases() {
        throwProblem();
        return cases;
    }

    /** Runs every case; throws what kept them or the policy from being read. */
    public List<PolicyCaseResult> results() {
        throwProblem();
        return runner.run(cases);
    }

    private void throwProblem() {
        if (problem != null) {
            throw problem;
        }
    }

    /**
     * A container per case file and a test per case, named by the case; a test fails with the case's
     * {@linkplain PolicyCaseResult#report() report}: its file and line, what it expected and what the policy decided.
     */
    public Stream<DynamicNode> dynamicTests() {
        if (problem != null) {
            String what = problem instanceof PolicyLoadException ? "the policy could not be loaded" : "the policy tests could not be read";
            return Stream.of(DynamicTest.dynamicTest(what, () -> {
                throw problem;
            }));
        }
        Map<String, List<PolicyCase>> byFile = new LinkedHashMap<>();
        cases.forEach(c -> byFile.computeIfAbsent(c.source(), s -> new ArrayList<>()).add(c));
        return byFile.entrySet().stream().map(file -> DynamicContainer.dynamicContainer(file.getKey(),
                source(file.getKey(), 0), file.getValue().stream().map(this::dynamicTest)));
    }

    private DynamicTest dynamicTest(PolicyCase testCase) {
        return DynamicTest.dynamicTest(testCase.name(), source(testCase.source(), testCase.line()), () -> {
            PolicyCaseResult result = runner.run(testCase);
            if (!result.passed()) {
                throw new AssertionFailedError(result.report());
            }
        });
    }

    /** The case's place, for IDEs to jump to: a file or classpath URI, with its line. */
    private static URI source(String source, int line) {
        String query = line > 0 ? "?line=" + line : "";
        try {
            if (source.startsWith(PolicySource.CLASSPATH_PREFIX)) {
                return new URI("classpath:/" + source.substring(PolicySource.CLASSPATH_PREFIX.length()) + query);
            }
            return URI.create(Path.of(source).toAbsolutePath().toUri() + query);
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return null; // a source without a place to show
        }
    }

    @Override
    public String toString() {
        return "PolicyTestSuite[" + cases.size() + " cases]";
    }
}
