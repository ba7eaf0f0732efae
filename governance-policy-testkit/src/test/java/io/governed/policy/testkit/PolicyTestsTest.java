package io.governed.policy.testkit;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.ClasspathResourceSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PolicyTests} as a policy jar's tests use it. */
class PolicyTestsTest {

    @PolicyTests(policies = "classpath:policies/shop.yaml", cases = "policy-tests/")
    static class PassingSuite {
        @TestFactory
        Stream<DynamicNode> policyTests(PolicyTestSuite suite) {
            return suite.dynamicTests();
        }
    }

    @PolicyTests(policies = "classpath:policies/shop.yaml", cases = "failing-tests/")
    static class FailingSuite {
        @TestFactory
        Stream<DynamicNode> policyTests(PolicyTestSuite suite) {
            return suite.dynamicTests();
        }
    }

    @PolicyTests(policies = "classpath:policies/shop.yaml", cases = "broken-tests/")
    static class BrokenSuite {
        @TestFactory
        Stream<DynamicNode> policyTests(PolicyTestSuite suite) {
            return suite.dynamicTests();
        }
    }

    /** Each test's display name and outcome (its failure's message), as a runner shows them. */
    private static Map<String, String> run(Class<?> suite) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(suite)).build();
        LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest() || result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    outcomes.put(test.getDisplayName(), result.getStatus() + result.getThrowable()
                            .map(t -> ": " + t.getMessage()).orElse(""));
                }
            }
        });
        return outcomes;
    }

    @Test
    void eachCaseIsATestNamedByTheCase() {
        assertThat(run(PassingSuite.class)).containsExactly(
                Map.entry("staff read customers, e-mail masked", "SUCCESSFUL"),
                Map.entry("nobody reads payroll", "SUCCESSFUL"));
    }

    @Test
    void aFailingCaseFailsItsTestWithFileLineExpectedAndActual() {
        Map<String, String> outcomes = run(FailingSuite.class);

        assertThat(outcomes.get("staff read customers in clear")).isEqualTo("FAILED: "
                + "classpath:failing-tests/wrong.yaml:2: case 'staff read customers in clear' failed (sam)" + System.lineSeparator()
                + "  masked: expected [] (every column clear), was {email: mask-email}: email expected clear, was masked by mask-email"
                + System.lineSeparator() + "  reason: Allowed by rule staff-read");
        assertThat(outcomes.get("staff read orders")).isEqualTo("SUCCESSFUL");
    }

    @Test
    void aBrokenCaseFileFailsWithFileLineAndWhatToFix() {
        Map<String, String> outcomes = run(BrokenSuite.class);

        assertThat(outcomes.get("the policy tests could not be read")).startsWith("FAILED: the policy tests could not be read (2 problems):")
                .contains("classpath:broken-tests/broken.yaml:2:5: case 'no expectation' lacks the required key 'expect'")
                .contains("classpath:broken-tests/broken.yaml:5:5: unknown key 'expected' in case 'no expectation': did you mean 'expect'?");
    }

    @Test
    void testsPointAtTheirCaseForIdes() {
        Stream<DynamicNode> nodes = io.governed.policy.testkit.PolicyTestSuite.of(
                java.util.List.of("classpath:policies/shop.yaml"), java.util.List.of("policy-tests/")).dynamicTests();
        DynamicNode file = nodes.findFirst().orElseThrow();
        assertThat(file.getDisplayName()).isEqualTo("classpath:policy-tests/shop.yaml");
        DynamicNode second = ((org.junit.jupiter.api.DynamicContainer) file).getChildren().skip(1).findFirst().orElseThrow();
        assertThat(second.getTestSourceUri()).hasValueSatisfying(uri -> {
            ClasspathResourceSource source = ClasspathResourceSource.from(uri);
            assertThat(source.getClasspathResourceName()).isEqualTo("policy-tests/shop.yaml");
            assertThat(source.getPosition()).hasValueSatisfying(p -> assertThat(p.getLine()).isEqualTo(6));
        });
    }
}
