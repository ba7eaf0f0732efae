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
                Instant.parse("2026-01-15T09:30:00.100Z"), Instant.parse("2026-01-15T09:30:00.000100Z"));
        for (Instant t : edges) {
            assertThat(formatted(t)).as(t.toString()).isEqualTo(t.toString());
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
}
