package io.governed.jdbc.audit;

import java.time.Instant;
import java.util.List;
import java.util.Random;

/** Audit events for tests: realistic, distinct, and free of literals. */
public final class TestEvents {

    private static final String ALPHABET = "aZ09 _-.,;:'\"\\/\t\n\r\b\f\u0000\u0001\u001f\u007f\u00e9\u00df\u20ac\u4e2d\u2028\u2029<>&=";
    private static final Instant BASE = Instant.parse("2026-01-15T09:30:00.123456Z");

    /**
     * Every field of the native layout in its order ({@code trace_id} and {@code span_id}, which only a traced
     * statement's event has, aside: they come before {@code policy}).
     */
    public static final List<String> LAYOUT = List.of("time", "event_id", "connection_id", "principal", "kind",
            "groups", "on_behalf_of", "purpose", "action", "statement", "fingerprint", "tables", "columns", "decision",
            "rules", "reason", "masked_columns", "rows", "duration_us", "error", "identity_source", "identity_issuer",
            "identity_key_id", "token_id", "approval_id", "statement_event_id", "policy");

    private TestEvents() {
    }

    /** The n-th event of a test: a select by alice with a normalised statement. */
    public static AuditEvent event(long n) {
        return AuditEvent.builder()
                .time(BASE.plusMillis(n))
                .eventId("evt-" + n)
                .connectionId("conn-1")
                .principal("alice")
                .kind("human")
                .groups(List.of("analysts"))
                .purpose("monthly report")
                .action("select")
                .statement("SELECT id, email FROM public.users WHERE id = ? AND status = ?")
                .fingerprint("fp-0001")
                .tables(List.of("public.users"))
                .columns(List.of("public.users.id", "public.users.email"))
                .decision(AuditDecision.ALLOW)
                .rules(List.of("analysts-read"))
                .reason("permitted by analysts-read")
                .maskedColumns(List.of("email"))
                .rows(1L)
                .durationUs(420L)
                .build();
    }

    /** The n-th event of writer {@code writer}, for concurrent tests. */
    public static AuditEvent event(int writer, long n) {
        return AuditEvent.builder().time(BASE).eventId("w" + writer + "-" + n).principal("svc-" + writer).kind("service")
                .action("insert").statement("INSERT INTO t (a, b) VALUES (?, ?)").decision(AuditDecision.ALLOW).build();
    }

    /**
     * The n-th of a random series of events whose texts hold what an event can carry: quotes, backslashes,
     * control characters, non-ASCII, surrogate pairs, long statements; ids and trace ids plain or not.
     */
    public static AuditEvent random(Random random, int n) {
        return AuditEvent.builder()
                .time(java.time.Instant.ofEpochSecond(1_700_000_000L + n, random.nextInt(1_000_000_000)))
                .eventId(random.nextBoolean() ? AuditEvent.newEventId() : text(random, 40)) // plain, or anything
                .trace(random.nextInt(3) == 0 ? null : plainOrNot(random, 32), plainOrNot(random, 16))
                .connectionId(text(random, 12))
                .principal(text(random, 20))
                .kind(random.nextBoolean() ? "human" : "agent")
                .groups(List.of(text(random, 8), text(random, 8)))
                .onBehalfOf(random.nextBoolean() ? null : text(random, 10))
                .purpose(random.nextBoolean() ? null : text(random, 30))
                .action("select")
                .statement(text(random, random.nextInt(10) == 0 ? 5000 : 200))
                .fingerprint(text(random, 16))
                .tables(List.of(text(random, 20)))
                .columns(List.of(text(random, 20), text(random, 20)))
                .decision(AuditDecision.ALLOW)
                .rules(List.of(text(random, 12)))
                .reason(text(random, 40))
                .maskedColumns(List.of(text(random, 10)))
                .rows((long) random.nextInt(100))
                .durationUs((long) random.nextInt(10_000))
                .build();
    }

    /** Printable ASCII (written as a plain literal), or sometimes text that needs escaping or encoding. */
    private static String plainOrNot(Random random, int length) {
        if (random.nextInt(4) == 0) {
            return text(random, length);
        }
        StringBuilder b = new StringBuilder(length);
        while (b.length() < length) {
            b.append((char) (0x20 + random.nextInt(0x5f)));
        }
        return b.toString();
    }

    private static String text(Random random, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder b = new StringBuilder(length);
        while (b.length() < length) {
            int pick = random.nextInt(ALPHABET.length() + 2);
            if (pick == ALPHABET.length()) {
                b.appendCodePoint(0x1F600 + random.nextInt(64)); // a surrogate pair
            } else if (pick > ALPHABET.length()) {
                b.append((char) (0x20 + random.nextInt(0x2FFF)));
            } else {
                b.append(ALPHABET.charAt(pick));
            }
        }
        return b.toString();
    }
}
