package io.governed.jdbc.cli;

import io.governed.jdbc.support.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code governed-jdbc policy test} as a user runs it. */
class PolicyTestCommandTest {
    private static final String REFERENCE = "classpath:policies/reference-policy.yaml";

    private static final String PASSING = """
            cases:
              - name: an analyst reads orders of their tenant
                identity: { principal: ann, groups: [analysts], attributes: { tenant: acme } }
                sql: SELECT id FROM public.orders
                expect: { decision: allow, rules: [analysts-read], row-filters: [tenant-isolation] }
              - name: a row-filtered read without the tenant is refused
                identity: { principal: ann, groups: [analysts] }
                sql: SELECT id FROM public.orders
                expect: { decision: deny, reason: "needs the identity attribute 'tenant'" }
            """;

    @Test
    void passingCasesExitZeroWithASummary(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("orders.yaml"), PASSING);

        CliRun run = CliRun.of("policy", "test", dir.toString(), "--policy", REFERENCE);

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("OK: 2 cases, 2 passed, 0 failed (policy " + REFERENCE + ")" + System.lineSeparator());
        assertThat(CliRun.of("policy", "test", dir.toString(), "--policy", REFERENCE, "--verbose").out())
                .contains(dir.resolve("orders.yaml") + ":2: case 'an analyst reads orders of their tenant' passed");
    }

    @Test
    void aFailingCaseIsPrintedWithFileLineExpectedAndActualAndExitsOne(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a-passing.yaml"), PASSING);
        Path wrong = Files.writeString(dir.resolve("b-wrong.yaml"), """
                cases:
                  - name: analysts see orders of every tenant
                    identity: { principal: ann, groups: [analysts], attributes: { tenant: acme } }
                    sql: SELECT id FROM public.orders
                    expect: { decision: allow, row-filters: [] }
                """);

        CliRun run = CliRun.of("policy", "test", dir.toString(), "--policy", REFERENCE);

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).contains(wrong + ":2: case 'analysts see orders of every tenant' failed (ann)")
                .contains("  row filters: expected [] (none), was [tenant-isolation]")
                .contains("  reason: Allowed by rule analysts-read; rows restricted by row filter tenant-isolation")
                .contains("FAILED: 3 cases, 2 passed, 1 failed")
                .doesNotContain("a-passing.yaml")
                .doesNotContain("acme");
    }

    @Test
    void aBrokenCaseFileIsReportedWithFileAndLineAndExitsOne(@TempDir Path dir) throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.yaml"), """
                cases:
                  - identity: { principal: ann }
                    expect: { decision: allow }
                    sq: SELECT 1
                """);

        CliRun run = CliRun.of("policy", "test", broken.toString(), "--policy", REFERENCE);

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("the policy tests could not be read (2 problems):")
                .contains(broken + ":2:5: case 1 lacks the required key 'sql'")
                .contains(broken + ":4:5: unknown key 'sq' in case 1: did you mean 'sql'?");
    }

    @Test
    void aPolicyThatDoesNotLoadExitsOne(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("orders.yaml"), PASSING);
        Path policy = Files.writeString(dir.resolve("policy.yml.txt"), "version: 1\ndefault: maybe\n");

        CliRun run = CliRun.of("policy", "test", dir.toString(), "--policy", policy.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("the policy could not be loaded").contains(policy + ":2:");
    }

    @Test
    void missingPolicyOrPathIsAUsageError(@TempDir Path dir) {
        CliRun noPolicy = CliRun.of("policy", "test", dir.toString());
        assertThat(noPolicy.code()).isEqualTo(2);
        assertThat(noPolicy.err()).contains("Missing required option: '--policy=FILE'").contains("Usage: governed-jdbc policy test");

        CliRun noPath = CliRun.of("policy", "test", dir.resolve("nowhere").toString(), "--policy", REFERENCE);
        assertThat(noPath.code()).isEqualTo(2);
        assertThat(noPath.err()).contains("no such file or directory: " + dir.resolve("nowhere"));
    }
}
