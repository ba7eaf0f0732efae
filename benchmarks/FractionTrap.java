package io.governed.jdbc.audit;

import java.time.Instant;

/**
 * Whether the audit time's rare fractions deoptimize its compiled formatting: formats 2,000,000 times with nanosecond
 * fractions (as {@code Instant.now()} gives them), then a whole millisecond, a whole microsecond and a whole second,
 * each followed by 1,000 ordinary ones. Run with {@code -XX:+PrintCompilation}: a line naming
 * {@code AuditEventJson::formatInstant} after the marker (its compiled code "made not entrant", compiled again) is the
 * deoptimization. It reads a package-private method, so it is compiled into the driver's package against a jar:
 *
 * <pre>
 * javac -d /tmp/trap -cp JAR benchmarks/FractionTrap.java
 * java -XX:+PrintCompilation -cp /tmp/trap:JAR io.governed.jdbc.audit.FractionTrap | sed -n '/=== rare/,$p' | grep formatInstant
 * </pre>
 */
public class FractionTrap {
    public static void main(String[] args) throws Exception {
        char[] out = new char[AuditEventJson.ISO_INSTANT_MAX];
        long sum = 0;
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 2_000_000; i++) {
            int nano = r.nextInt(1_000_000_000);
            if (nano % 1000 == 0) nano++;
            sum += AuditEventJson.formatInstant(Instant.ofEpochSecond(1_780_000_000L + i / 20_000, nano), out);
        }
        Thread.sleep(2000); // compilations settle
        System.out.println("=== rare fractions from here");
        for (int nano : new int[] {123_000_000, 123_456_000, 0}) {
            sum += AuditEventJson.formatInstant(Instant.ofEpochSecond(1_780_000_100L, nano), out);
            for (int i = 0; i < 1000; i++) {
                sum += AuditEventJson.formatInstant(Instant.ofEpochSecond(1_780_000_100L, 1 + r.nextInt(999_999_998)), out);
            }
        }
        Thread.sleep(1000);
        System.out.println("=== end " + sum);
    }
}
