package io.governed.policy;

import io.governed.identity.IdentityKind;
import io.governed.policy.load.PolicyLoader;
import io.governed.policy.model.ApprovalRule;
import io.governed.policy.model.Approvers;
import io.governed.policy.model.Conditions;
import io.governed.policy.model.FallbackEffect;
import io.governed.policy.model.Mask;
import io.governed.policy.model.OnBehalfOf;
import io.governed.policy.model.PrincipalCriteria;
import io.governed.policy.model.Rule;
import io.governed.policy.model.WhereCondition;
import io.governed.policy.pattern.ColumnPattern;
import io.governed.policy.pattern.InvalidPatternException;
import io.governed.policy.pattern.TablePattern;
import io.governed.sql.Action;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyBuilderTest {

    @Test
    void aPolicyWrittenInCodeEqualsTheSamePolicyLoadedFromYaml() {
        Policy coded = Policy.builder()
                .defaultEffect(FallbackEffect.DENY)
                .autoDetect(true)
                .tag("pii.email", "*.email")
                .rule(Rule.permit("agents-read")
                        .principals(PrincipalCriteria.kinds(IdentityKind.AGENT).withOnBehalfOf(OnBehalfOf.REQUIRED))
                        .actions(Action.SELECT)
                        .resources("public.*"))
                .rule(Rule.forbid("no-unbounded").actions(Action.UPDATE, Action.DELETE)
                        .when(Conditions.where(WhereCondition.ABSENT)).message("Needs a WHERE"))
                .mask(new Mask("mask-email", Set.of("pii.email"), List.of(), "email", Map.of(), PrincipalCriteria.groups("pii-readers")))
                .approval(new ApprovalRule("ddl", Set.of(Action.DROP), List.of(TablePattern.parse("public.*")),
                        Approvers.groups("dba"), Duration.ofHours(1)))
                .build();
        Policy loaded = PolicyLoader.fromString("same.yaml", """
                version: 1
                default: deny
                classification: { auto-detect: true, tags: { pii.email: ["*.email"] } }
                rules:
                  - { id: agents-read, effect: permit, principals: { kinds: [agent], on-behalf-of: required },
                      actions: [select], resources: ["public.*"] }
                  - { id: no-unbounded, effect: forbid, actions: [update, delete], when: { where: absent }, message: Needs a WHERE }
                masks:
                  - { id: mask-email, columns: { tags: [pii.email] }, function: email, unless: { groups: [pii-readers] } }
                approvals:
                  - { id: ddl, actions: [drop], resources: ["public.*"], approvers: { groups: [dba] }, ttl: 1h }
                """);
        assertThat(coded).isEqualTo(loaded);
    }

    @Test
    void theBuilderRejectsDuplicateIdsAndBadPatterns() {
        assertThatThrownBy(() -> Policy.builder()
                .rule(Rule.permit("x").actions(Action.SELECT))
                .approval(new ApprovalRule("x", Set.of(Action.DROP), List.of(TablePattern.ANY), Approvers.groups("dba"), Duration.ofMinutes(5)))
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("id 'x' is used twice");
        assertThatThrownBy(() -> Rule.permit("x").resources("a.b.c"))
                .isInstanceOf(InvalidPatternException.class);
        assertThatThrownBy(() -> ColumnPattern.parse("bad pattern")).isInstanceOf(InvalidPatternException.class);
        assertThatThrownBy(() -> Rule.permit("x").build())
                .hasMessageContaining("names no action");
    }

    @Test
    void aPolicyIsImmutable() {
        Policy policy = Policy.builder().rule(Rule.permit("x").actions(Action.SELECT)).build();
        assertThatThrownBy(() -> policy.rules().add(policy.rules().get(0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> policy.classification().tags().put("t", List.of())).isInstanceOf(UnsupportedOperationException.class);
    }
}
