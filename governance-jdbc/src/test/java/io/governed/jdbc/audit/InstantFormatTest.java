package io.governed.jdbc.audit;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit event's {@code time} is written without a string, and must read exactly as {@link Instant#toString()}. */
class InstantFormatTest {

    private static String formatted(Instant t) {
        char[] out = new char[AuditEventJson.ISO_INSTANT_MAX];
        int n = AuditEventJson.formatInstant(t, out);
        return n < 0 ? null : new String(out, 0, n);
    }

    @Test
    void edgesOfTheCalendarAndOfTheFraction() {
        List<Instant> edges = List.of(Instant.EPOCH, Instant.EPOCH.minusNanos(1), Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("2000-02-29T12:00:00Z"),
                Instant.parse("1900-03-01T00:00:00Z"), Instant.parse("2026-01-15T09:30:00.123Z"),
                Instant.parse("2026-01-15T09:30:00.123456Z"), Instant.parse("2026-01-15T09:30:00.000000001Z"),
                Instant.parse("2026-01-15T09:30:00.100Z"), Instant.parse("2026-01-15T09:30:00.000100Z"),
                Instant.parse("2026-01-15T09:30:00.001Z"), Instant.parse("2026-01-15T09:30:00.000001Z"),
                Instant.parse("2026-01-15T09:30:00.999Z"), Instant.parse("2026-01-15T09:30:00.999999Z"),
                Instant.parse("2026-01-15T09:30:00.100000001Z"), Instant.parse("2026-01-15T09:30:00.001001Z"),
                Instant.parse("2026-01-15T09:30:00.000001001Z"), Instant.parse("2026-01-15T09:30:00.010Z"));
        for (Instant t : edges) {
            assertThat(formatted(t)).as(t.toString()).isEqualTo(t.toString());
        }
    }

    /**
     * The fraction in a buffer that held a longer time before: nothing of it is left behind, whatever the lengths of
     * the two (a whole second after nine digits, a millisecond after a nanosecond), in every order.
     */
    @Test
    void aShorterFractionLeavesNothingOfALongerOneBefore() {
        List<Instant> times = List.of(Instant.parse("2026-01-15T09:30:00Z"), Instant.parse("2026-01-15T09:30:00.123Z"),
                Instant.parse("2026-01-15T09:30:00.123456Z"), Instant.parse("2026-01-15T09:30:00.123456789Z"),
                Instant.parse("2026-01-15T09:30:01Z"));
        char[] out = new char[AuditEventJson.ISO_INSTANT_MAX];
        for (Instant before : times) {
            for (Instant t : times) {
                AuditEventJson.formatInstant(before, out);
                int n = AuditEventJson.formatInstant(t, out);
                assertThat(new String(out, 0, n)).as(before + " then " + t).isEqualTo(t.toString());
            }
        }
    }

    @Test
    void yearsBeyondFourDigitsAreLeftToToString() {
        assertThat(formatted(Instant.parse("+10000-01-01T00:00:00Z"))).isNull();
        assertThat(formatted(Instant.parse("-0001-12-31T23:59:59Z"))).isNull();
    }

    @TestFactory
    Stream<DynamicTest> randomInstantsReadAsToStringDoes() {
        Random random = new Random(20261130L);
        List<DynamicTest> tests = new ArrayList<>();
        for (int batch = 0; batch < 20; batch++) {
            long seed = random.nextLong();
            tests.add(DynamicTest.dynamicTest("seed " + seed, () -> {
                Random r = new Random(seed);
                long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
                long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
                for (int i = 0; i < 5_000; i++) {
                    long second = min + (long) (r.nextDouble() * (max - min));
                    int nano = switch (r.nextInt(4)) {
                        case 0 -> 0;
                        case 1 -> r.nextInt(1000) * 1_000_000;
                        case 2 -> r.nextInt(1_000_000) * 1000;
                        default -> r.nextInt(1_000_000_000);
                    };
                    Instant t = Instant.ofEpochSecond(second, nano);
                    assertThat(formatted(t)).as(t.toString()).isEqualTo(t.toString());
                }
            }));
        }
        return tests.stream();
    }

    /**
     * Events come in runs within one second (the whole second's text is kept and shared) and from several threads:
     * walking time forward in small random steps across many second, minute, day and year boundaries, each thread
     * gets what {@code toString} says, whatever second the other threads formatted last.
     */
    @Test
    void runsWithinASecondFromSeveralThreadsReadAsToStringDoes() throws Exception {
        List<Instant> starts = List.of(Instant.parse("2026-12-31T23:59:58Z"), Instant.parse("2000-02-28T23:59:59.5Z"),
                Instant.parse("1999-12-31T23:59:59.999Z"), Instant.parse("2024-06-30T12:59:59Z"));
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(starts.size());
        try {
            List<java.util.concurrent.Future<Integer>> checked = new ArrayList<>();
            for (int k = 0; k < starts.size(); k++) {
                Instant start = starts.get(k);
                long seed = 20261201L + k;
                checked.add(threads.submit(() -> {
                    Random r = new Random(seed);
                    Instant t = start;
                    int n = 0;
                    for (int i = 0; i < 200_000; i++) {
                        t = t.plusNanos(r.nextInt(4) == 0 ? r.nextInt(3_000_000) * 1000L : r.nextInt(50_000));
                        assertThat(formatted(t)).as(t.toString()).isEqualTo(t.toString());
                        n++;
                    }
                    return n;
                }));
            }
            for (java.util.concurrent.Future<Integer> f : checked) {
                assertThat(f.get()).isEqualTo(200_000);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
