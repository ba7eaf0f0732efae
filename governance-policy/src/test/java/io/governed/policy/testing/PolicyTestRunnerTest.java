package io.governed.policy.testing;

import io.governed.policy.Policy;
import io.governed.policy.load.PolicyLoader;
import io.governed.policy.load.PolicyProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyTestRunnerTest {

    static final String POLICY = """
            version: 1
            default: deny
            classification: { tags: { pii.email: ["*.email"] } }
            rules:
              - { id: analysts-read, effect: permit, principals: { groups: [analysts] }, actions: [select], resources: ["public.*"] }
              - { id: ops-write, effect: permit, principals: { groups: [ops] }, actions: [select, delete], resources: ["public.*"] }
              - { id: no-secrets, effect: forbid, actions: ["*"], resources: ["public.secrets"] }
            masks:
              - { id: mask-email, columns: { tags: [pii.email] }, function: email, unless: { groups: [pii-readers] } }
            row-filters:
              - { id: tenant-rows, tables: ["public.orders"], filter: "tenant_id = :identity.tenant", unless: { groups: [support] } }
            approvals:
              - { id: deletes-need-a-dba, actions: [delete], resources: ["public.*"], approvers: { groups: [dba] }, ttl: 1h }
            """;

    static final String PASSING = """
            cases:
              - name: an analyst sees e-mail masked
                identity: { principal: alice, groups: [analysts] }
                sql: SELECT id, email FROM customers
                expect:
                  decision: allow
                  rules: [analysts-read]
                  masked: { email: mask-email }
              - name: a pii reader sees it clear
                identity: { principal: pat, groups: [analysts, pii-readers] }
                sql: SELECT id, email FROM public.customers
                expect: { decision: allow, masked: [] }
              - name: the forbid wins over the permit
                identity: { principal: alice, groups: [analysts] }
                sql: SELECT * FROM public.secrets
                expect: { decision: deny, rules: [no-secrets] }
              - name: nobody permits a stranger
                identity: { principal: eve }
                sql: SELECT 1 FROM public.customers
                expect: { decision: deny, rules: [], reason: "default: deny" }
              - name: a delete waits for a DBA
                identity: { principal: olga, kind: service, groups: [ops] }
                sql: DELETE FROM public.customers WHERE id = 7
                expect: { decision: pending_approval, rules: [ops-write, deletes-need-a-dba] }
              - name: an agent for a tenant sees its rows
                identity: { principal: bot, kind: agent, groups: [analysts], purpose: support, attributes: { tenant: acme }, on-behalf-of: alice }
                sql: SELECT id, total FROM public.orders
                dialect: postgresql
                expect: { decision: allow, rules: [analysts-read], row-filters: [tenant-rows], masked: [] }
              - name: an agent may not probe masked e-mail
                identity: { principal: bot, kind: agent, groups: [analysts], on-behalf-of: { principal: alice, groups: [analysts] } }
                sql: SELECT id FROM public.customers WHERE email LIKE 'a%'
                expect: { decision: deny, rules: [mask-email] }
            """;

    final Policy policy = PolicyLoader.fromString("policy.yaml", POLICY);

    @Test
    void casesThatHoldPass(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("cases.yaml"), PASSING);

        List<PolicyCaseResult> results = new PolicyTestRunner(policy).run(PolicyCases.fromPath(dir));

        assertThat(results).hasSize(7);
        assertThat(results).extracting(PolicyCaseResult::report).allMatch(r -> r.endsWith("passed"));
        assertThat(results.get(0).testCase().location()).isEqualTo(file + ":2");
        assertThat(results.get(1).testCase().location()).isEqualTo(file + ":9");
        assertThat(results.get(0).report()).isEqualTo(file + ":2: case 'an analyst sees e-mail masked' passed");
    }

    @Test
    void aFailingCaseSaysWhereItIsAndWhatDiffered(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("wrong.yaml"), """
                cases:
                  - name: the author thought analysts see e-mail
                    identity: { principal: alice, groups: [analysts] }
                    sql: SELECT id, email FROM public.customers
                    expect: { decision: allow, rules: [analysts-read], masked: [] }

                  - name: the author thought secrets were readable
                    identity: { principal: alice, groups: [analysts] }
                    sql: SELECT * FROM public.secrets
                    expect: { decision: allow, rules: [analysts-read] }
                """);

        List<PolicyCaseResult> results = new PolicyTestRunner(policy).run(PolicyCases.fromPath(file));

        assertThat(results).noneMatch(PolicyCaseResult::passed);
        assertThat(results.get(0).mismatches()).containsExactly(
                "masked: expected [] (every column clear), was {email: mask-email}: email expected clear, was masked by mask-email");
        assertThat(results.get(1).mismatches()).containsExactly(
                "decision: expected allow, was deny",
                "rules: expected [analysts-read], was [no-secrets]");
        assertThat(results.get(1).report()).startsWith(file + ":7: case 'the author thought secrets were readable' failed")
                .contains("  decision: expected allow, was deny")
                .contains("  reason: Denied by rule no-secrets");
    }

    @Test
    void masksByAnotherMaskAndUnexpectedRowFiltersAreMismatches(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("c.yaml"), """
                cases:
                  - identity: { principal: alice, groups: [analysts], attributes: { tenant: acme } }
                    sql: SELECT email FROM public.customers
                    expect: { decision: allow, masked: { email: mask-phone } }
                  - identity: { principal: alice, groups: [analysts], attributes: { tenant: acme } }
                    sql: SELECT id FROM public.orders
                    expect: { decision: allow, row-filters: [] }
                  - identity: { principal: alice, groups: [analysts] }
                    sql: SELECT * FROM public.customers
                    expect: { decision: allow, masked: [email] }
                """);

        List<PolicyCaseResult> results = new PolicyTestRunner(policy).run(PolicyCases.fromPath(dir));

        assertThat(results.get(0).testCase().name()).isEqualTo("SELECT email FROM public.customers");
        assertThat(results.get(0).mismatches()).containsExactly(
                "masked: expected {email: mask-phone}, was {email: mask-email}: email expected masked by mask-phone, was masked by mask-email");
        assertThat(results.get(1).mismatches()).containsExactly("row filters: expected [] (none), was [tenant-rows]");
        assertThat(results.get(2).mismatches()).singleElement().asString()
                .contains("selects *, whose columns are decided only when the results come");
    }

    @Test
    void mistakesInACaseFileAreReportedWithLineAndWhatToWrite(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("broken.yaml"), """
                cases:
                  - name: typo in a key
                    identiy: { principal: alice }
                    sql: SELECT 1
                    expect: { decision: allow }
                  - name: no statement
                    identity: { principal: alice, kind: robot }
                    expect: { decision: alow, rule: [x] }
                """);

        assertThatThrownBy(() -> PolicyCases.fromPath(dir))
                .isInstanceOf(PolicyCaseException.class)
                .satisfies(e -> assertThat(((PolicyCaseException) e).problems()).extracting(PolicyProblem::toString).containsExactly(
                        file + ":2:5: case 'typo in a key' lacks the required key 'identity': who runs the statement, e.g. identity: { principal: alice, groups: [analysts] }",
                        file + ":3:5: unknown key 'identiy' in case 'typo in a key': did you mean 'identity'?",
                        file + ":6:5: case 'no statement' lacks the required key 'sql': the statement the identity runs, e.g. sql: SELECT id FROM public.orders",
                        file + ":7:41: unknown kind 'robot' in 'identity' of case 'no statement': expected one of agent, human, service",
                        file + ":8:25: unknown decision 'alow' in 'expect' of case 'no statement': did you mean 'allow'?",
                        file + ":8:31: unknown key 'rule' in 'expect' of case 'no statement': did you mean 'rules'?"))
                .hasMessageStartingWith("the policy tests could not be read (6 problems):");
    }

    @Test
    void declaredColumnsProveAWritesBoundThatRestsOnAnUnqualifiedNameInASubquery(@TempDir Path dir) throws IOException {
        Policy bounded = PolicyLoader.fromString("bounded.yaml", """
                version: 1
                default: deny
                rules:
                  - { id: ops-write, effect: permit, principals: { groups: [ops] }, actions: [select, delete], resources: ["*"] }
                  - { id: no-unbounded-deletes, effect: forbid, actions: [delete], resources: ["*"], when: { where: absent } }
                """);
        Files.writeString(dir.resolve("bounds.yaml"), """
                cases:
                  - name: refunds has the name, so the subquery reads its own column
                    identity: { principal: olga, groups: [ops] }
                    sql: DELETE FROM payments WHERE id IN (SELECT payment_id FROM refunds WHERE refunds.id = 7)
                    tables: { refunds: [id, payment_id] }
                    expect: { decision: allow, rules: [ops-write] }
                  - name: qualified with the schema the case's tables are in
                    identity: { principal: olga, groups: [ops] }
                    sql: DELETE FROM payments WHERE id IN (SELECT payment_id FROM refunds WHERE id = 7)
                    tables: { public.refunds: [ID, PAYMENT_ID] }
                    expect: { decision: allow, rules: [ops-write] }
                  - name: audit_log has no id, so the subquery's id is the payment's own and every row goes
                    identity: { principal: olga, groups: [ops] }
                    sql: DELETE FROM payments WHERE id IN (SELECT id FROM audit_log)
                    tables: { audit_log: [at, what] }
                    expect: { decision: deny, rules: [no-unbounded-deletes], reason: "id" }
                  - name: without declared columns nothing proves the bound
                    identity: { principal: olga, groups: [ops] }
                    sql: DELETE FROM payments WHERE id IN (SELECT payment_id FROM refunds WHERE id = 7)
                    expect: { decision: deny, rules: [no-unbounded-deletes] }
                  - name: columns declared in another schema prove nothing here
                    identity: { principal: olga, groups: [ops] }
                    sql: DELETE FROM payments WHERE id IN (SELECT payment_id FROM refunds WHERE id = 7)
                    tables: { archive.refunds: [id, payment_id] }
                    expect: { decision: deny, rules: [no-unbounded-deletes] }
                """);

        List<PolicyCaseResult> results = new PolicyTestRunner(bounded).run(PolicyCases.fromPath(dir));

        assertThat(results).extracting(PolicyCaseResult::report).allMatch(r -> r.endsWith("passed"));
        assertThat(results.get(0).testCase().tables()).containsEntry("refunds", List.of("id", "payment_id"));
    }

    @Test
    void tablesThatAreNotAMappingOfListsAreReported(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("tables.yaml"), """
                cases:
                  - identity: { principal: olga }
                    sql: DELETE FROM payments WHERE id = 1
                    tables: [refunds]
                    expect: { decision: deny }
                  - identity: { principal: olga }
                    sql: DELETE FROM payments WHERE id = 1
                    tables: { refunds: id }
                    expect: { decision: deny }
                """);

        assertThatThrownBy(() -> PolicyCases.fromPath(file))
                .isInstanceOf(PolicyCaseException.class)
                .hasMessageContaining(file + ":4:13: 'tables' of case 1 must map each table (name or schema.name) to the"
                        + " names of its columns, like { payments: [id, amount] }")
                .hasMessageContaining(file + ":8:24: the columns of table 'refunds' in 'tables' of case 2 must be a list"
                        + " of names, like [id, amount]");
    }

    @Test
    void aFileWithoutCasesOrADirectoryWithoutFilesSaysSo(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> PolicyCases.fromPath(dir)).hasMessageContaining(
                dir + ": the directory holds no policy test file (.yaml, .yml or .json)");
        Path file = Files.writeString(dir.resolve("empty.yaml"), "tests: []\n");
        assertThatThrownBy(() -> PolicyCases.fromPath(file)).hasMessageContaining(file + ":1:1: unknown key 'tests' in a policy test file")
                .hasMessageContaining(file + ":1:1: a policy test file lacks the required key 'cases'");
    }

    @Test
    void casesAreFoundInADirectoryOfTheClasspath() {
        List<PolicyCase> cases = PolicyCases.fromClasspath("classpath:policy-tests-sample/");

        assertThat(cases).extracting(PolicyCase::location).containsExactly(
                "classpath:policy-tests-sample/a-readers.yaml:2", "classpath:policy-tests-sample/nested/b-forbids.yaml:2");
        assertThat(new PolicyTestRunner(policy).run(cases)).extracting(PolicyCaseResult::report).allMatch(r -> r.endsWith("passed"));
    }
    @Test
    void wouldDenyChecksWhatAnObservedRuleWouldHaveDecided(@TempDir Path dir) throws IOException {
        Policy observed = PolicyLoader.fromString("observed.yaml", """
                version: 1
                rules:
                  - { id: everyone-deletes, effect: permit, actions: [delete], resources: ["*"] }
                  - { id: no-unbounded-deletes, effect: forbid, actions: [delete], when: { where: absent }, enforcement: observe }
                """);
        Files.writeString(dir.resolve("observe.yaml"), """
                cases:
                  - identity: { principal: ann }
                    sql: DELETE FROM public.orders
                    expect: { decision: allow, rules: [everyone-deletes], would-deny: [no-unbounded-deletes] }
                  - identity: { principal: ann }
                    sql: DELETE FROM public.orders WHERE id = 1
                    expect: { decision: allow, would-deny: [] }
                  - identity: { principal: ann }
                    sql: DELETE FROM public.orders WHERE id = 1
                    expect: { decision: allow, would-deny: [no-unbounded-deletes] }
                """);

        List<PolicyCaseResult> results = new PolicyTestRunner(observed).run(PolicyCases.fromPath(dir));

        assertThat(results).extracting(PolicyCaseResult::mismatches).containsExactly(List.of(), List.of(), List.of(
                "would-deny: expected [no-unbounded-deletes], was [] (no part in observe mode would deny it)"));
    }
    @Test
    void aJsonCaseFileAndAVerifiedIdentityAreReadToo(@TempDir Path dir) throws IOException {
        Policy verifiedOnly = PolicyLoader.fromString("verified.yaml", """
                version: 1
                rules:
                  - { id: verified-read, effect: permit, principals: { issuers: ["https://idp.example.com"] }, actions: [select], resources: ["*"] }
                """);
        Files.writeString(dir.resolve("cases.json"), """
                {"cases": [
                  {"name": "a verified caller reads",
                   "identity": {"principal": "ann", "verified-by": "https://idp.example.com"},
                   "sql": "SELECT id FROM orders", "dialect": "H2",
                   "expect": {"decision": "allow", "rules": ["verified-read"]}},
                  {"name": "an asserted one does not",
                   "identity": {"principal": "ann"},
                   "sql": "SELECT id FROM orders", "dialect": "h2",
                   "expect": {"decision": "deny", "rules": []}}
                ]}
                """);

        List<PolicyCaseResult> results = new PolicyTestRunner(verifiedOnly).run(PolicyCases.fromPath(dir));

        assertThat(results).extracting(PolicyCaseResult::report).allMatch(r -> r.endsWith("passed"));
        assertThat(results.get(0).actual().defaultSchema()).isEqualTo("PUBLIC");
    }
}
