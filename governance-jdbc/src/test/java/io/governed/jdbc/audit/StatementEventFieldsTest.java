package io.governed.jdbc.audit;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.identity.IdentityProvenance;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A statement's event is made without a builder ({@link AuditEvent#ofStatement}): it must carry exactly the fields
 * {@code AuditEvent.builder().identity(identity)} and the setters give, for every shape of identity (none, asserted,
 * with groups, acting for someone who acts for someone, with a purpose, verified by a token) and with every optional
 * field absent or present.
 */
class StatementEventFieldsTest {

    private static final Instant TIME = Instant.parse("2026-12-06T10:15:30.123456Z");

    private static List<Identity> identities() {
        Identity human = Identity.human("alice");
        Identity analyst = Identity.builder("bob").kind(IdentityKind.HUMAN).groups("analysts", "eu").purpose("audit").build();
        Identity agent = Identity.builder("report-agent").kind(IdentityKind.AGENT).onBehalfOf(analyst).purpose("monthly report").build();
        Identity nested = Identity.builder("sub-agent").kind(IdentityKind.AGENT).onBehalfOf(agent).build();
        Identity verified = Identity.builder("carol").kind(IdentityKind.SERVICE).groups("batch")
                .provenance(IdentityProvenance.verified("https://issuer.example", "key-1", "jti-9", TIME.plusSeconds(60)))
                .build();
        Identity verifiedNoIds = Identity.builder("dave").kind(IdentityKind.HUMAN)
                .provenance(IdentityProvenance.verified("https://issuer.example", null, null, TIME.plusSeconds(60)))
                .build();
        return new ArrayList<>(Arrays.asList(null, human, analyst, agent, nested, verified, verifiedNoIds));
    }

    @Test
    void aStatementsEventHasTheFieldsTheBuilderGives() {
        int compared = 0;
        for (Identity identity : identities()) {
            for (boolean optionalsPresent : new boolean[] {false, true}) {
                AuditError error = optionalsPresent ? new AuditError("42P01", "relation does not exist") : null;
                List<String> rules = optionalsPresent ? List.of("r1", "r2") : List.of();
                String reason = optionalsPresent ? "allowed by r1" : null;
                List<String> masked = optionalsPresent ? List.of("email") : List.of();
                Long rows = optionalsPresent ? 3L : null;
                Long duration = optionalsPresent ? 1234L : null;
                String approval = optionalsPresent ? "apr-1" : null;
                String trace = optionalsPresent ? "0af7651916cd43dd8448eb211c80319c" : null;
                String span = optionalsPresent ? "b7ad6b7169203331" : null;
                AuditEvent direct = AuditEvent.ofStatement(TIME, "evt-1", "conn-1", identity, "select",
                        "SELECT id FROM t WHERE id = ?", "fp", List.of("public.t"), List.of("public.t.id"),
                        AuditDecision.ALLOW, rules, reason, masked, rows, duration, error, approval, trace, span, null);
                AuditEvent.Builder built = AuditEvent.builder().time(TIME).eventId("evt-1").connectionId("conn-1")
                        .identity(identity).action("select").statement("SELECT id FROM t WHERE id = ?").fingerprint("fp")
                        .tables(List.of("public.t")).columns(List.of("public.t.id")).decision(AuditDecision.ALLOW)
                        .rules(rules).reason(reason).maskedColumns(masked).rows(rows).durationUs(duration).error(error)
                        .approvalId(approval);
                if (trace != null) {
                    built.trace(trace, span);
                }
                assertThat(direct).as("identity %s, optional fields %s", identity, optionalsPresent)
                        .isEqualTo(built.build());
                assertThat(AuditEventJson.toJson(direct)).isEqualTo(AuditEventJson.toJson(built.build()));
                compared++;
            }
        }
        assertThat(compared).isEqualTo(14);
    }

    @Test
    void anIdentitysFieldsAreAllThere() {
        Identity agent = identities().get(3);
        AuditEvent event = AuditEvent.ofStatement(TIME, "evt-2", "conn-2", agent, "select", "SELECT 1", "fp", List.of(),
                List.of(), AuditDecision.ALLOW, List.of(), null, List.of(), null, null, null, null, null, null, null);
        assertThat(event.principal()).isEqualTo("report-agent");
        assertThat(event.kind()).isEqualTo("agent");
        assertThat(event.onBehalfOf()).isEqualTo("bob");
        assertThat(event.purpose()).isEqualTo("monthly report");
        assertThat(event.identitySource()).isEqualTo("asserted");
        assertThat(event.statementEventId()).isNull();
    }
}
