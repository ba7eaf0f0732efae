package io.governed.jdbc.audit;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * The SLF4J and JDBC sinks encode each event with one kept encoder (one generator over one reused buffer, and the
 * strings and runs of fields events repeat kept between events). What they hand on must be exactly the text of the
 * event encoded on its own, in every format, whatever came before it: the same statement again on another
 * connection, another identity, an error, an approval, a trace, text that needs escaping.
 */
class EventJsonEncoderTest {

    @Property(tries = 60)
    void everyEventIsTheTextItHasEncodedOnItsOwnWhateverCameBefore(@ForAll long seed,
                                                                    @ForAll @IntRange(min = 1, max = 400) int events) {
        Random random = new Random(seed);
        List<AuditEvent> templates = new ArrayList<>();
        for (int i = 0; i < 1 + random.nextInt(12); i++) {
            templates.add(TestEvents.random(random, i));
        }
        for (AuditFormat format : AuditFormat.values()) {
            EventJsonEncoder encoder = new EventJsonEncoder(format);
            for (int n = 0; n < events; n++) {
                AuditEvent event = next(random, templates, n);
                assertThat(encoder.json(event)).as("%s, event %s", format, n)
                        .isEqualTo(AuditEventJson.toJson(event, format));
            }
        }
    }

    /**
     * Mostly a template's statement and identity again (the very objects, as one connection's statements repeat them),
     * now and then with a connection, an error, an approval or a statement event of its own, or a new event.
     */
    private static AuditEvent next(Random random, List<AuditEvent> templates, int n) {
        if (random.nextInt(8) == 0) {
            return TestEvents.random(random, 1_000 + n);
        }
        AuditEvent t = templates.get(random.nextInt(templates.size()));
        AuditEvent.Builder b = AuditEvent.builder().time(t.time().plusMillis(n)).eventId("again-" + n)
                .connectionId(random.nextInt(4) == 0 ? "gc-" + n : t.connectionId())
                .principal(t.principal()).kind(t.kind()).groups(t.groups()).onBehalfOf(t.onBehalfOf()).purpose(t.purpose())
                .action(t.action()).statement(t.statement()).fingerprint(t.fingerprint()).tables(t.tables())
                .columns(t.columns()).decision(t.decision()).rules(t.rules()).reason(t.reason())
                .maskedColumns(t.maskedColumns()).rows(random.nextBoolean() ? t.rows() : null).durationUs(t.durationUs())
                .trace(t.traceId(), t.spanId());
        switch (random.nextInt(6)) {
            case 0 -> b.error(new AuditError("23505", "duplicate key value violates unique constraint \"t_pkey\""));
            case 1 -> b.approvalId("apr-" + n).statementEventId("stmt-" + n);
            default -> {
                // the template's own closing fields
            }
        }
        return b.build();
    }
}
