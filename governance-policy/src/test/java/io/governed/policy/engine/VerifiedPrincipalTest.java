package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.identity.IdentityProvenance;
import io.governed.policy.load.PolicyLoadException;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.SqlAnalysis;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.governed.policy.Statements.select;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Principal criteria on how an identity was established: {@code verified} and {@code issuers}. */
class VerifiedPrincipalTest {

    private static final String OKTA = "https://acme.okta.com/oauth2/default";
    private static final Instant LATER = Instant.parse("2100-01-01T00:00:00Z");

    private static PolicyEngine engine(String rules) {
        return new PolicyEngine(PolicyLoader.fromString("test.yaml", "version: 1\n" + rules));
    }

    private static Identity analyst(IdentityProvenance provenance) {
        return Identity.builder("alice").groups("analysts").provenance(provenance).build();
    }

    @Test
    void aVerifiedAnalystIsAllowedWhatTheSameAssertedAnalystIsNot() {
        PolicyEngine engine = engine("""
                rules:
                  - { id: verified-analysts, effect: permit, actions: [select], principals: { groups: [analysts], verified: true } }
                """);
        SqlAnalysis query = select("salaries").analysis();

        assertThat(engine.decide(analyst(IdentityProvenance.verified(OKTA, "k1", "j1", LATER)), query).allowed()).isTrue();
        assertThat(engine.decide(analyst(IdentityProvenance.ASSERTED), query).allowed()).isFalse();
    }

    @Test
    void issuersNameWhoMustHaveVouched() {
        PolicyEngine engine = engine("""
                rules:
                  - { id: okta-only, effect: permit, actions: [select], principals: { issuers: [%s] } }
                  - { id: no-asserted-agents, effect: forbid, actions: ["*"], principals: { kinds: [agent], verified: false } }
                """.formatted(OKTA));
        SqlAnalysis query = select("t").analysis();

        assertThat(engine.decide(analyst(IdentityProvenance.verified(OKTA, null, null, LATER)), query).allowed()).isTrue();
        assertThat(engine.decide(analyst(IdentityProvenance.verified("https://evil.example", null, null, LATER)), query)
                .allowed()).isFalse();
        assertThat(engine.decide(analyst(IdentityProvenance.ASSERTED), query).allowed()).as("asserted: no issuer").isFalse();
        Identity assertedAgent = Identity.builder("bot").kind(IdentityKind.AGENT).build();
        assertThat(engine.decide(assertedAgent, query).rules()).containsExactly("no-asserted-agents");
    }

    @Test
    void onBehalfOfMatchesAnyLinkOfADelegationChain() {
        PolicyEngine engine = engine("""
                rules:
                  - { id: for-alice, effect: permit, actions: [select], principals: { kinds: [agent], on-behalf-of: [alice] } }
                """);
        Identity alice = Identity.human("alice");
        Identity planner = Identity.builder("planner").kind(IdentityKind.AGENT).onBehalfOf(alice).build();
        Identity worker = Identity.builder("worker").kind(IdentityKind.AGENT).onBehalfOf(planner).build();
        Identity forBob = Identity.builder("worker").kind(IdentityKind.AGENT)
                .onBehalfOf(Identity.builder("planner").kind(IdentityKind.AGENT).onBehalfOf(Identity.human("bob")).build()).build();

        assertThat(engine.decide(worker, select("t").analysis()).allowed()).isTrue();
        assertThat(engine.decide(forBob, select("t").analysis()).allowed()).isFalse();
        assertThat(worker.delegationChain()).extracting(Identity::principal).containsExactly("planner", "alice");
    }

    @Test
    void verifiedMustBeABoolean() {
        assertThatThrownBy(() -> PolicyLoader.fromString("app.yaml", """
                version: 1
                rules:
                  - { id: r, effect: permit, actions: [select], principals: { verified: yes-please } }
                """)).isInstanceOf(PolicyLoadException.class)
                .hasMessageContaining("'verified' in")
                .hasMessageContaining("use true");
    }
}
