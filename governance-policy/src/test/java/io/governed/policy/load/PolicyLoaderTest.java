package io.governed.policy.load;

import java.util.Set;
import io.governed.identity.IdentityKind;
import io.governed.policy.Policy;
import io.governed.policy.model.ApprovalRule;
import io.governed.policy.model.FallbackEffect;
import io.governed.policy.model.OnBehalfOf;
import io.governed.policy.model.Rule;
import io.governed.policy.model.RuleEffect;
import io.governed.policy.model.WhereCondition;
import io.governed.sql.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyLoaderTest {

    @Test
    void theReferencePolicyLoadsAsWritten() {
        Policy policy = PolicyLoader.load("classpath:reference-policy.yaml");

        assertThat(policy.defaultEffect()).isEqualTo(FallbackEffect.DENY);
        assertThat(policy.onUnparseable()).isEqualTo(FallbackEffect.DENY);
        assertThat(policy.classification().autoDetect()).isTrue();
        assertThat(policy.classification().tags()).containsOnlyKeys("pii.email", "pii.ssn", "pci.pan", "secret");
        assertThat(policy.classification().patternsOf("pii.email")).hasToString("[*.email, *.*_email]");
        assertThat(policy.rules()).extracting(Rule::id).containsExactly("dba-all", "services-crud", "analysts-read",
                "agents-read-for-a-human", "no-destructive-ddl", "no-unbounded-writes");
        Rule agents = policy.rules().get(3);
        assertThat(agents.principals().kinds()).containsExactly(IdentityKind.AGENT);
        assertThat(agents.principals().onBehalfOf()).isEqualTo(OnBehalfOf.REQUIRED);
        Rule noDdl = policy.rules().get(4);
        assertThat(noDdl.effect()).isEqualTo(RuleEffect.FORBID);
        assertThat(noDdl.actions()).containsExactlyInAnyOrder(Action.DROP, Action.TRUNCATE, Action.ALTER);
        assertThat(noDdl.unless().groups()).containsExactly("dba");
        assertThat(noDdl.message()).isEqualTo("Destructive DDL is not allowed here");
        assertThat(policy.rules().get(5).when().where()).isEqualTo(WhereCondition.ABSENT);
        assertThat(policy.rules().get(5).resources()).hasToString("[*]");
        assertThat(policy.masks()).extracting(m -> m.id() + ":" + m.function() + m.parameters())
                .containsExactly("mask-email:email{}", "mask-ids:partial{keep-last=4}", "hide-secrets:redact{}");
        assertThat(policy.rowFilters().get(0).filter()).isEqualTo("tenant_id = :identity.tenant");
        assertThat(policy.approvals().get(0).ttl()).isEqualTo(Duration.ofHours(1));
        assertThat(policy.approvals().get(0).approvers().groups()).containsExactly("dba");
    }

    @Test
    void jsonSaysTheSameAsYaml() {
        Policy json = PolicyLoader.fromString("policy.json", """
                {"version": 1, "default": "allow",
                 "rules": [{"id": "r", "effect": "forbid", "actions": ["drop"], "resources": ["public.*"],
                            "principals": {"kinds": ["agent"], "on-behalf-of": ["alice"]}}]}
                """);
        Policy yaml = PolicyLoader.fromString("policy.yaml", """
                version: 1
                default: allow
                rules:
                  - id: r
                    effect: forbid
                    actions: [drop]
                    resources: [public.*]
                    principals: { kinds: [agent], on-behalf-of: [alice] }
                """);
        assertThat(json).isEqualTo(yaml);
        assertThat(json.provenance().digest()).as("different texts are different policy versions")
                .isNotEqualTo(yaml.provenance().digest());
    }

    @Test
    void loadsFromAFileAndAClasspathResourceAndText(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("app.yaml");
        Files.writeString(file, "version: 1\ndefault: allow\n");
        assertThat(PolicyLoader.load(file).defaultEffect()).isEqualTo(FallbackEffect.ALLOW);
        assertThat(PolicyLoader.load(file.toString()).defaultEffect()).isEqualTo(FallbackEffect.ALLOW);
        assertThat(PolicyLoader.fromClasspath("/reference-policy.yaml").rules()).hasSize(6);
        assertThat(PolicyLoader.fromString("inline", "version: 1").rules()).isEmpty();
    }

    @Test
    void aMissingFileOrResourceSaysWhatToCheck(@TempDir Path dir) {
        assertThatThrownBy(() -> PolicyLoader.load(dir.resolve("nope.yaml")))
                .isInstanceOf(PolicyLoadException.class)
                .hasMessageContaining("nope.yaml: cannot be read")
                .hasMessageContaining("check that the file exists");
        assertThatThrownBy(() -> PolicyLoader.load("classpath:policies/missing.yaml"))
                .hasMessageContaining("classpath:policies/missing.yaml: no such resource on the classpath");
    }

    @Test
    void aTypoInAKeyIsReportedWithItsPositionAndASuggestion() {
        assertThatThrownBy(() -> PolicyLoader.fromString("app.yaml", """
                version: 1
                rules:
                  - id: readers
                    effect: permit
                    principal: { groups: [analysts] }
                    actions: [select]
                """))
                .isInstanceOf(PolicyLoadException.class)
                .hasMessageContaining("app.yaml:5:5: unknown key 'principal' in rule 'readers': did you mean 'principals'?");
    }

    @Test
    void anUnknownKeyListsTheKeysThatAreAllowed() {
        assertThatThrownBy(() -> PolicyLoader.fromString("app.yaml", """
                version: 1
                colour: blue
                """))
                .hasMessageContaining("app.yaml:2:1: unknown key 'colour' in the policy: expected one of approvals, "
                        + "classification, default, enforcement, limits, masks, on-unparseable, routines, row-filters, rules, version");
    }

    @Test
    void aBadPatternIsReportedAtTheItem() {
        assertThatThrownBy(() -> PolicyLoader.fromString("app.yaml", """
                version: 1
                rules:
                  - id: r
                    effect: permit
                    actions: [select]
                    resources: ["public.*", "public..users"]
                """))
                .hasMessageContaining("app.yaml:6:29: table pattern 'public..users' has an empty part");
    }

    @Test
    void aBadActionIsReportedWithASuggestion() {
        assertThatThrownBy(() -> PolicyLoader.fromString("app.yaml", """
                version: 1
                rules:
                  - id: r
                    effect: permit
                    actions: [select, dorp]
                """))
                .hasMessageContaining("app.yaml:5:23: unknown action 'dorp' in rule 'r': did you mean 'drop'?");
    }

    @Test
    void aMalformedTagIsAProblemAtItsKey() {
        PolicyLoadException e = catchLoad("app.yaml", """
                version: 1
                classification:
                  tags:
                    pii.email: ["*.email"]
                    PII Phone: ["*.phone"]
                """);
        assertThat(e.problems()).extracting(PolicyProblem::toString).containsExactly(
                "app.yaml:5:5: Classification tag 'PII Phone' contains 'P'; use lower-case letters, digits, '-' and '_', "
                        + "with '.' between parts (e.g. pii.email)");
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        PolicyLoadException e = catchLoad("app.yaml", """
                version: 1
                rules:
                  - id: r
                    effect: allow
                    actions: [select]
                    principals: { kinds: [robot] }
                  - effect: permit
                    actions: [select]
                masks:
                  - id: m
                    columns: { tags: [secret] }
                    function: redcat
                approvals:
                  - id: a
                    actions: [drop]
                    approvers: { groups: [dba] }
                    ttl: 1 week
                """);
        assertThat(e.problems()).extracting(PolicyProblem::toString).containsExactly(
                "app.yaml:4:13: unknown effect 'allow' in rule 'r': expected one of forbid, permit",
                "app.yaml:6:27: unknown kind 'robot' in 'principals' of rule 'r': expected one of agent, human, service",
                "app.yaml:7:5: rule #2 of 'rules' lacks the required key 'id': give the rule an id, like 'id: analysts-read'",
                "app.yaml:11:23: the mask names tag 'secret', which no 'classification.tags' defines: define it there with its column patterns",
                "app.yaml:12:15: unknown mask function 'redcat' in mask 'm': did you mean 'redact'? "
                        + "(a function of your own is a io.governed.masking.Masker listed in META-INF/services)",
                "app.yaml:17:10: 'ttl' in approval 'a' is not a duration: its unit is not one of ms, s, m, h or d "
                        + "(the value is shaped 9 aaaa); write a whole number and a unit (ms, s, m, h or d), like 500ms, 30s, 5m, 1h or 2d");
        assertThat(e.getMessage()).startsWith("the policy could not be loaded (6 problems):");
    }

    @Test
    void requiredKeysAreNamed() {
        PolicyLoadException e = catchLoad("app.yaml", """
                rules:
                  - id: r
                """);
        assertThat(e.problems()).extracting(PolicyProblem::toString).containsExactly(
                "app.yaml:1:1: the policy lacks the required key 'version': add 'version: 1' at the top",
                "app.yaml:2:5: rule 'r' lacks the required key 'effect': add 'effect: permit' or 'effect: forbid'",
                "app.yaml:2:5: rule 'r' lacks the required key 'actions': list the statement kinds it covers, "
                        + "like 'actions: [select]', or [\"*\"] for all");
    }

    @Test
    void anUnsupportedVersionIsRejected() {
        assertThatThrownBy(() -> PolicyLoader.fromString("app.yaml", "version: 2\n"))
                .hasMessageContaining("app.yaml:1:10: unsupported policy version '2'");
    }

    @Test
    void wrongTypesSayWhatWasExpected() {
        PolicyLoadException e = catchLoad("app.yaml", """
                version: 1
                rules:
                  id: r
                classification:
                  auto-detect: maybe
                  tags: ["*.email"]
                """);
        assertThat(e.problems()).extracting(PolicyProblem::toString).containsExactly(
                "app.yaml:3:3: 'rules' must be a list of rules (each item starting with '- '), but is a mapping",
                "app.yaml:5:16: 'auto-detect' must be true or false, but is the text 'maybe'",
                "app.yaml:6:9: 'tags' must map each tag to column patterns, like 'pii.email: [\"*.email\"]', but is a list");
    }

    @Test
    void duplicateIdsWithinAFileNameBothPlaces() {
        assertThatThrownBy(() -> PolicyLoader.fromString("app.yaml", """
                version: 1
                rules:
                  - { id: r, effect: permit, actions: [select] }
                  - { id: r, effect: forbid, actions: [drop] }
                """))
                .hasMessageContaining("app.yaml:4:11: duplicate id 'r': already used at app.yaml:3:11");
    }

    @Test
    void aRepeatedKeyIsRejected() {
        assertThatThrownBy(() -> PolicyLoader.fromString("app.yaml", """
                version: 1
                default: allow
                default: deny
                """))
                .hasMessageContaining("app.yaml:3:1: key 'default' appears twice in the same mapping (first at line 2)");
    }

    @Test
    void yamlSyntaxErrorsArePositioned() {
        assertThatThrownBy(() -> PolicyLoader.fromString("app.yaml", "version: 1\nrules: [\n  - id: x\n"))
                .hasMessageStartingWith("the policy could not be loaded (1 problem):")
                .hasMessageContaining("app.yaml:3:3: not valid YAML:");
        assertThatThrownBy(() -> PolicyLoader.fromString("app.json", "{\"version\": 1,\n \"rules\": [}"))
                .hasMessageContaining("app.json:2:12: not valid JSON:");
    }

    @Test
    void maskParametersAreCheckedByTheMaskFunctionsThemselves() {
        PolicyLoadException e = catchLoad("app.yaml", """
                version: 1
                classification: { tags: { pii.ssn: ["*.ssn"] } }
                masks:
                  - { id: a, columns: { tags: [pii.ssn] }, function: partial }
                  - { id: b, columns: { tags: [pii.ssn] }, function: partial, keep-last: four }
                  - { id: c, columns: { tags: [pii.ssn] }, function: redact, keep-last: 4 }
                  - { id: d, columns: { patterns: ["*.salary"] }, function: bucket, size: 1000 }
                  - { id: e, columns: { tags: [pii.ssn] }, function: partial, keep-last: -1 }
                  - { id: f, columns: { tags: [pii.ssn] }, function: redact, deny-inference: [robot] }
                  - { id: g, columns: { tags: [pii.ssn] }, function: redact, deny-shaping: [migrator] }
                """);
        assertThat(e.problems()).extracting(PolicyProblem::toString).containsExactly(
                "app.yaml:5:74: mask 'b': Mask function 'partial', parameter 'keep-last' must be a whole number, not text (four)",
                "app.yaml:6:62: unknown key 'keep-last' in mask 'c': expected one of columns, deny-inference, deny-shaping, enforcement, function, id, numbers, text, unless",
                "app.yaml:7:5: mask 'd': Mask function 'bucket' needs parameter 'width' (a number: the width of each bucket, greater than 0)",
                "app.yaml:7:69: unknown key 'size' in mask 'd': expected one of columns, deny-inference, deny-shaping, enforcement, function, id, unless, width",
                "app.yaml:8:74: mask 'e': Mask function 'partial', parameter 'keep-last': must be 0 or more, not -1",
                "app.yaml:9:79: unknown kind 'robot' in 'deny-inference' of mask 'f': expected one of agent, human, service",
                "app.yaml:10:77: unknown kind 'migrator' in 'deny-shaping' of mask 'g': expected one of agent, human, service");
    }

    @Test
    void aMaskDeniesInferenceToAgentsUnlessItSaysOtherwise() {
        Policy policy = PolicyLoader.fromString("app.yaml", """
                version: 1
                classification: { tags: { pii.ssn: ["*.ssn"] } }
                masks:
                  - { id: a, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4 }
                  - { id: b, columns: { tags: [pii.ssn] }, function: redact, deny-inference: [human, agent] }
                  - { id: c, columns: { tags: [pii.ssn] }, function: redact, deny-inference: [] }
                """);
        assertThat(policy.masks()).extracting(m -> m.denyInference()).containsExactly(
                Set.of(IdentityKind.AGENT), Set.of(IdentityKind.HUMAN, IdentityKind.AGENT), Set.of());
        assertThat(policy.masks().get(0).parameters()).containsEntry("keep-last", 4);
        assertThat(policy.masks()).extracting(m -> m.denyShaping()).as("deny-inference leaves deny-shaping as it was")
                .containsExactly(Set.of(IdentityKind.AGENT), Set.of(IdentityKind.AGENT), Set.of(IdentityKind.AGENT));
    }

    @Test
    void aMaskDeniesShapingOtherSessionsToAgentsUnlessItSaysOtherwise() {
        Policy policy = PolicyLoader.fromString("app.yaml", """
                version: 1
                masks:
                  - { id: a, columns: { patterns: ["*.ssn"] }, function: redact }
                  - { id: b, columns: { patterns: ["*.ssn"] }, function: redact, deny-shaping: [human, agent] }
                  - { id: c, columns: { patterns: ["*.ssn"] }, function: redact, deny-shaping: [] }
                """);
        assertThat(policy.masks()).extracting(m -> m.denyShaping()).containsExactly(
                Set.of(IdentityKind.AGENT), Set.of(IdentityKind.HUMAN, IdentityKind.AGENT), Set.of());
        assertThat(policy.masks()).extracting(m -> m.denyInference()).as("deny-shaping leaves deny-inference as it was")
                .containsOnly(Set.of(IdentityKind.AGENT));
    }

    @Test
    void yamlBooleansSpelledYesOrOnKeepTheirValue() {
        Policy policy = PolicyLoader.fromString("app.yaml", """
                version: 1
                classification: { auto-detect: yes }
                rules:
                  - { id: a, effect: forbid, actions: ["*"], when: { multi-statement: on } }
                """);
        assertThat(policy.classification().autoDetect()).isTrue();
        assertThat(policy.rules().get(0).when().multiStatement()).isTrue();
    }

    @Test
    void approvalsReadTheirScopeRequestTtlAndQuorum() {
        Policy policy = PolicyLoader.fromString("app.yaml", """
                version: 1
                approvals:
                  - { id: a, actions: [drop], approvers: { groups: [dba], require: 2 }, ttl: 1h, scope: fingerprint, request-ttl: 4h }
                  - { id: b, actions: [delete], approvers: { groups: [dba, security], require: each-group }, ttl: 1h }
                """);
        ApprovalRule a = policy.approvals().get(0);
        assertThat(a.scope()).isEqualTo(io.governed.policy.model.ApprovalScope.FINGERPRINT);
        assertThat(a.requestTtl()).isEqualTo(Duration.ofHours(4));
        assertThat(a.approvers().require()).isEqualTo(2);
        ApprovalRule b = policy.approvals().get(1);
        assertThat(b.scope()).as("exact by default").isEqualTo(io.governed.policy.model.ApprovalScope.EXACT);
        assertThat(b.requestTtl()).isEqualTo(Duration.ofDays(1));
        assertThat(b.approvers().eachGroup()).isTrue();
    }

    @Test
    void badApprovalScopesAndQuorumsAreReported() {
        PolicyLoadException e = catchLoad("app.yaml", """
                version: 1
                approvals:
                  - { id: a, actions: [drop], approvers: { groups: [dba], require: each-group }, ttl: 1h, scope: table }
                  - { id: b, actions: [drop], approvers: { groups: [dba], require: 0 }, ttl: 1h, request-ttl: 0s }
                """);
        assertThat(e.problems()).extracting(PolicyProblem::toString).containsExactly(
                "app.yaml:3:68: 'require: each-group' in 'approvers' of approval 'a' needs at least two 'groups': one approver of each is then needed",
                "app.yaml:3:98: 'scope' in approval 'a' is 'table': use exact (one run of exactly the approved statement and values) "
                        + "or fingerprint (one run of any statement that differs from it only in literals and values)",
                "app.yaml:4:68: 'require' in 'approvers' of approval 'b' is '0': give how many different approvers must approve "
                        + "(1 to 10), or each-group for one of every group",
                "app.yaml:4:95: 'request-ttl' in approval 'b' is 0: a request must wait for approvers a while, like 4h or 1d");
    }

    @Test
    void rowFiltersAndApprovalsNeedTheirKeys() {
        PolicyLoadException e = catchLoad("app.yaml", """
                version: 1
                row-filters:
                  - { id: f, filter: " " }
                approvals:
                  - { id: a, actions: [drop], ttl: 0h }
                """);
        assertThat(e.problems()).extracting(PolicyProblem::toString).containsExactly(
                "app.yaml:3:5: row filter 'f' lacks the required key 'tables': list the tables it restricts, like 'tables: [public.orders]'",
                "app.yaml:3:22: 'filter' in row filter 'f' is blank: give the SQL condition it adds",
                "app.yaml:5:5: approval 'a' lacks the required key 'approvers': say who may approve, like 'approvers: { groups: [dba] }'",
                "app.yaml:5:36: 'ttl' in approval 'a' is 0: an approval must stay usable for a while, like 30m, 1h or 1d");
    }

    @Test
    void aRowFilterMustBeAConditionInTheFilterLanguage() {
        PolicyLoadException e = catchLoad("app.yaml", """
                version: 1
                row-filters:
                  - { id: a, tables: [orders], filter: "tenant_id = (SELECT max(t) FROM tenants)" }
                  - { id: b, tables: [orders], filter: "tenant_id = :tenant" }
                  - { id: c, tables: [orders], filter: "tenant_id IN (" }
                  - { id: d, tables: [orders], filter: "team = :identity.groups" }
                  - { id: ok, tables: [orders], filter: "tenant_id = :identity.tenant AND team IN (:identity.groups)" }
                """);
        assertThat(e.problems()).extracting(PolicyProblem::toString).satisfiesExactly(
                p -> assertThat(p).startsWith("app.yaml:3:40: 'filter' in row filter 'a': ").contains("no subqueries"),
                p -> assertThat(p).startsWith("app.yaml:4:40: 'filter' in row filter 'b': ").contains(":identity.NAME"),
                p -> assertThat(p).startsWith("app.yaml:5:40: 'filter' in row filter 'c': ").contains("is not a SQL condition"),
                p -> assertThat(p).startsWith("app.yaml:6:40: 'filter' in row filter 'd': ").contains("alone as the list of an IN"));
    }

    @Test
    void aRowFiltersCheckOfNewRowsIsOnUnlessSetToFalse() {
        Policy policy = PolicyLoader.fromString("app.yaml", """
                version: 1
                row-filters:
                  - { id: a, tables: [orders], filter: "tenant_id = :identity.tenant" }
                  - { id: b, tables: [orders], filter: "tenant_id = :identity.tenant", check: false }
                  - { id: c, tables: [orders], filter: "tenant_id = :identity.tenant", check: true }
                """);
        assertThat(policy.rowFilters()).extracting(r -> r.check()).containsExactly(true, false, true);
        PolicyLoadException e = catchLoad("app.yaml", """
                version: 1
                row-filters:
                  - { id: d, tables: [orders], filter: "tenant_id = :identity.tenant", check: "no" }
                """);
        assertThat(e.problems()).extracting(PolicyProblem::toString).satisfiesExactly(
                p -> assertThat(p).startsWith("app.yaml:3:79: 'check' in row filter 'd' must be true").contains("the text 'no'"));
    }

    @Test
    void aTtlIsWrittenLikeEveryOtherDuration() {
        Policy policy = PolicyLoader.fromString("app.yaml", """
                version: 1
                approvals:
                  - { id: a, actions: [drop], approvers: { groups: [dba] }, ttl: 90s }
                  - { id: b, actions: [drop], approvers: { groups: [dba] }, ttl: 1500ms }
                  - { id: c, actions: [drop], approvers: { groups: [dba] }, ttl: 2 D }
                """);
        assertThat(policy.approvals()).extracting(ApprovalRule::ttl)
                .containsExactly(Duration.ofSeconds(90), Duration.ofMillis(1500), Duration.ofDays(2));
    }

    @Test
    void theNullMaskFunctionCanBeWrittenUnquoted() {
        Policy policy = PolicyLoader.fromString("app.yaml", """
                version: 1
                masks:
                  - { id: a, columns: { patterns: [notes] }, function: null }
                  - { id: b, columns: { patterns: [notes] }, function: "null" }
                """);
        assertThat(policy.masks()).extracting(m -> m.function()).containsExactly("null", "null");
        assertThatThrownBy(() -> PolicyLoader.fromString("app.yaml", """
                version: 1
                masks:
                  - { id: a, columns: { patterns: [notes] }, function: }
                """))
                .hasMessageContaining("'function' in mask 'a' must be a single value, but is an empty value");
    }

    @Test
    void onBehalfOfTakesRequiredForbiddenOrNames() {
        Policy policy = PolicyLoader.fromString("app.yaml", """
                version: 1
                rules:
                  - { id: a, effect: permit, actions: [select], principals: { on-behalf-of: required } }
                  - { id: b, effect: permit, actions: [select], principals: { on-behalf-of: forbidden } }
                  - { id: c, effect: permit, actions: [select], principals: { on-behalf-of: [alice, bob] } }
                """);
        assertThat(policy.rules()).extracting(r -> r.principals().onBehalfOf().requirement()).containsExactly(
                OnBehalfOf.Requirement.REQUIRED, OnBehalfOf.Requirement.FORBIDDEN, OnBehalfOf.Requirement.ONE_OF);
        assertThatThrownBy(() -> PolicyLoader.fromString("app.yaml", """
                version: 1
                rules:
                  - { id: a, effect: permit, actions: [select], principals: { on-behalf-of: sometimes } }
                """))
                .hasMessageContaining("app.yaml:3:77: 'on-behalf-of' in 'principals' of rule 'a' is 'sometimes': "
                        + "use required, forbidden, or a list of principals like [alice, bob]");
    }

    @Test
    void anEmptyListIsRejectedRatherThanReadAsAnyone() {
        assertThatThrownBy(() -> PolicyLoader.fromString("app.yaml", """
                version: 1
                rules:
                  - { id: a, effect: permit, actions: [select], principals: { groups: [] } }
                """))
                .hasMessageContaining("'groups' in 'principals' of rule 'a' is an empty list: name at least one, or remove the key");
    }

    @Test
    void theUnknownActionIsNotAPolicyWord() {
        assertThatThrownBy(() -> PolicyLoader.fromString("app.yaml", """
                version: 1
                rules:
                  - { id: a, effect: permit, actions: [unknown] }
                """))
                .hasMessageContaining("unknown action 'unknown'");
    }

    private static PolicyLoadException catchLoad(String name, String text) {
        try {
            PolicyLoader.fromString(name, text);
        } catch (PolicyLoadException e) {
            return e;
        }
        throw new AssertionError("the policy loaded, but should not have");
    }
}
