package io.governed.policy.load;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.policy.Policy;
import io.governed.policy.model.AppliedLimits;
import io.governed.policy.model.Limit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code limits} section: how it is written, what is wrong with it, and which bounds a caller gets. */
class LimitLoadingTest {
    private static final String HEAD = "version: 1\ndefault: deny\n";
    private static final Identity AGENT = Identity.builder("bot").kind(IdentityKind.AGENT).groups("support").build();

    private static Policy load(String limits) {
        return PolicyLoader.fromString("limits.yaml", HEAD + "limits:\n" + limits);
    }

    @Test
    void theTightestBoundOfEachKindAppliesAndNamesItsLimit() {
        Policy policy = load(String.join("\n",
                "  - id: agents",
                "    principals: { kinds: [agent] }",
                "    max-rows: 1000",
                "    max-statements: 60",
                "    statement-timeout: 1m",
                "  - id: support",
                "    principals: { groups: [support] }",
                "    max-rows: 100",
                "    on-max-rows: refuse",
                "    statement-timeout: 90s",
                ""));
        AppliedLimits limits = policy.limitsFor(AGENT);
        assertThat(limits.maxRows()).isEqualTo(100);
        assertThat(limits.maxRowsLimit()).isEqualTo("support");
        assertThat(limits.onMaxRows()).isEqualTo(Limit.OnMaxRows.REFUSE);
        assertThat(limits.maxStatements()).isEqualTo(60);
        assertThat(limits.maxStatementsLimit()).isEqualTo("agents");
        assertThat(limits.timeoutSeconds()).isEqualTo(60);
        assertThat(limits.timeoutLimit()).isEqualTo("agents");
        assertThat(policy.limitsFor(Identity.human("alice")).none()).as("no limit names a human").isTrue();
    }

    @Test
    void aLaterSourceCanOnlyTightenTheBoundsOfAnEarlierOne() {
        Policy base = PolicyLoader.compose(
                PolicySource.of("platform.yaml", HEAD + "limits:\n  - id: agents\n    principals: { kinds: [agent] }\n    max-rows: 50\n"),
                PolicySource.of("app.yaml", "version: 1\nlimits:\n  - id: app-agents\n    principals: { kinds: [agent] }\n"
                        + "    max-rows: 5000\n"));
        assertThat(base.limitsFor(AGENT).maxRows()).isEqualTo(50);
    }

    @Test
    void everyMistakeIsReportedWithWhereAndHowToFixIt() {
        assertThatThrownBy(() -> load(String.join("\n",
                "  - id: broken",
                "    max-rows: -3",
                "    max-statements: lots",
                "    statement-timeout: 1500ms",
                "    on-max-rows: drop",
                "  - id: empty",
                "    principals: { kinds: [agent] }",
                "  - id: orphan",
                "    on-max-rows: refuse",
                "    max-statements: 10",
                "")))
                .isInstanceOf(PolicyLoadException.class)
                .hasMessageContaining("'max-rows' in limit 'broken' must be a whole number from 1")
                .hasMessageContaining("'max-statements' in limit 'broken' must be a whole number from 1 to 100000")
                .hasMessageContaining("whole number of seconds")
                .hasMessageContaining("'drop'")
                .hasMessageContaining("limit 'empty' sets no bound")
                .hasMessageContaining("'on-max-rows' in limit 'orphan' has no 'max-rows'");
    }

    @Test
    void aLimitIdMayNotRepeatARuleId() {
        assertThatThrownBy(() -> PolicyLoader.fromString("limits.yaml", HEAD + String.join("\n",
                "rules:",
                "  - id: agents",
                "    effect: permit",
                "    actions: [select]",
                "    resources: [\"*\"]",
                "limits:",
                "  - id: agents",
                "    max-rows: 10",
                "")))
                .hasMessageContaining("duplicate id 'agents'");
    }
}
