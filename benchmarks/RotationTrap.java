package io.governed.jdbc.audit.jsonl;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the trail's first size rotation deoptimizes the jsonl sink's compiled {@code writeAll}: writes batches of 10
 * events to a log of at most 256 MB ({@code fsync=never}, in a temporary directory, deleted after) until well past its
 * first rotation. Run with {@code -XX:+PrintCompilation}: {@code JsonlSink::writeAll}'s tier-4 code "made not entrant"
 * just before the line {@code === first rotation} is the deoptimization. It uses the driver's test fixtures, so it is
 * compiled into the sink's package against the test classes:
 *
 * <pre>
 * T=governance-jdbc/target/test-classes
 * javac -d /tmp/rot -cp $T:JAR benchmarks/RotationTrap.java
 * java -XX:+PrintCompilation -cp /tmp/rot:$T:JAR io.governed.jdbc.audit.jsonl.RotationTrap | grep 'writeAll\|first rotation'
 * </pre>
 */
public class RotationTrap {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("rotation-trap");
        Path log = dir.resolve("audit.jsonl");
        long n = 0;
        int after = -1;
        try (JsonlSink sink = JsonlSink.open(JsonlOptions.of(log).withMaxSize(256L << 20).withFsync(FsyncPolicy.NEVER))) {
            for (int b = 0; after < 20000; b++) {
                boolean rotated = Files.exists(dir.resolve("audit.jsonl.000001"));
                if (rotated && after < 0) {
                    System.out.println("=== first rotation happened in batch " + (b - 1));
                }
                if (rotated) after++;
                if (b % 5000 == 0 || rotated) System.out.println("=== batch " + b);
                sink.write(JsonlFixtures.events(n, n + 10));
                n += 10;
            }
        }
        try (var files = Files.list(dir)) { files.forEach(p -> p.toFile().delete()); }
        Files.delete(dir);
        System.out.println("=== end " + n);
    }
}
