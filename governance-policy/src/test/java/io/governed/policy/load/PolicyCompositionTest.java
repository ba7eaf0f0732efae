package io.governed.policy.load;

import io.governed.policy.Policy;
import io.governed.policy.model.FallbackEffect;
import io.governed.policy.model.Rule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyCompositionTest {

    private static final PolicySource PLATFORM = PolicySource.of("platform.yaml", """
            version: 1
            default: deny
            on-unparseable: deny
            classification:
              auto-detect: true
              tags:
                pii.email: ["*.email"]
            rules:
              - id: no-drops
                effect: forbid
                actions: [drop]
            """);

    @Test
    void anApplicationAddsToItsPlatformsBase() {
        Policy policy = PolicyLoader.compose(PLATFORM, PolicySource.of("app.yaml", """
                version: 1
                classification:
                  tags:
                    pii.email: ["*.contact_email"]
                    pii.phone: ["*.phone"]
                rules:
                  - { id: app-read, effect: permit, actions: [select] }
                masks:
                  - { id: mask-email, columns: { tags: [pii.email] }, function: email }
                """));

        assertThat(policy.rules()).extracting(Rule::id).containsExactly("no-drops", "app-read");
        assertThat(policy.defaultEffect()).as("inherited").isEqualTo(FallbackEffect.DENY);
        assertThat(policy.classification().autoDetect()).as("inherited").isTrue();
        assertThat(policy.classification().patternsOf("pii.email")).hasToString("[*.email, *.contact_email]");
        assertThat(policy.classification().tags()).containsKey("pii.phone");
        assertThat(policy.masks()).hasSize(1);
    }

    @Test
    void aMaskMayNameATagAnotherSourceDefines() {
        Policy policy = PolicyLoader.compose(
                PolicySource.of("masks.yaml", "version: 1\nmasks: [{ id: m, columns: { tags: [pii.email] }, function: redact }]\n"),
                PLATFORM);
        assertThat(policy.masks()).hasSize(1);
    }

    @Test
    void repeatingASettingWithTheSameValueIsFine() {
        Policy policy = PolicyLoader.compose(PLATFORM, PolicySource.of("app.yaml", "version: 1\ndefault: deny\n"));
        assertThat(policy.defaultEffect()).isEqualTo(FallbackEffect.DENY);
    }

    @Test
    void loosingASettingOfTheBaseIsAnErrorNamingBothPlaces() {
        PolicyLoadException e = catchCompose(PLATFORM, PolicySource.of("app.yaml", """
                version: 1
                default: allow
                on-unparseable: allow
                classification: { auto-detect: false }
                """));
        assertThat(e.problems()).extracting(PolicyProblem::toString).containsExactly(
                "app.yaml:2:10: 'default' is set to allow here but to deny at platform.yaml:2:10: a policy composed with "
                        + "others may not change a setting they made; remove it here, or change it there",
                "app.yaml:3:17: 'on-unparseable' is set to allow here but to deny at platform.yaml:3:17: a policy composed "
                        + "with others may not change a setting they made; remove it here, or change it there",
                "app.yaml:4:32: 'auto-detect' is set to false here but to true at platform.yaml:5:16: a policy composed "
                        + "with others may not change a setting they made; remove it here, or change it there");
    }

    @Test
    void aDuplicateIdAcrossFilesNamesBothPlaces() {
        assertThatThrownBy(() -> PolicyLoader.compose(PLATFORM, PolicySource.of("app.yaml", """
                version: 1
                rules:
                  - id: no-drops
                    effect: permit
                    actions: [drop]
                """)))
                .isInstanceOf(PolicyLoadException.class)
                .hasMessageContaining("app.yaml:3:9: duplicate id 'no-drops': already used at platform.yaml:9:9");
    }

    @Test
    void idsAreUniqueAcrossRulesMasksFiltersAndApprovals() {
        assertThatThrownBy(() -> PolicyLoader.compose(PLATFORM, PolicySource.of("app.yaml", """
                version: 1
                row-filters:
                  - { id: no-drops, tables: [orders], filter: "tenant = :identity.tenant" }
                """)))
                .hasMessageContaining("app.yaml:3:11: duplicate id 'no-drops': already used at platform.yaml:9:9");
    }

    @Test
    void problemsOfEverySourceAreReportedTogether() {
        PolicyLoadException e = catchCompose(PolicySource.of("a.yaml", "version: 1\nfoo: 1\n"),
                PolicySource.of("b.yaml", "version: 1\nbar: 2\n"));
        assertThat(e.problems()).extracting(PolicyProblem::source).containsExactly("a.yaml", "b.yaml");
    }

    @Test
    void severalLocationsComposeInOrder() {
        Policy policy = PolicyLoader.loadAll("classpath:io/governed/policy/baseline.yaml, classpath:policies/app-additions.yaml");
        assertThat(policy.rules()).extracting(Rule::id).endsWith("app-alter-own-tables");
        assertThat(policy.rules().get(0).id()).isEqualTo("baseline-data-and-session");
    }

    private static PolicyLoadException catchCompose(PolicySource... sources) {
        try {
            PolicyLoader.compose(sources);
        } catch (PolicyLoadException e) {
            return e;
        }
        throw new AssertionError("the policies composed, but should not have");
    }
}
