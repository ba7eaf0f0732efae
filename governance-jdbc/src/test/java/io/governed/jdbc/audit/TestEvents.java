package io.governed.jdbc.audit;

import java.time.Instant;
import java.util.List;

/** Audit events for tests: realistic, distinct, and free of literals. */
public final class TestEvents {

    private static final Instant BASE = Instant.parse("2026-01-15T09:30:00.123456Z");

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
}
