package io.governed.benchmarks;

import io.governed.benchmarks.fixture.PostgresFixture;

import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark jar's entry point: JMH's own command line, with one addition. When the PostgreSQL
 * server the PostgreSQL benchmarks need cannot be reached, those benchmarks are left out of the run
 * (their class names all start with {@code Postgres}) and a line says why, so that a run of every
 * benchmark on a machine without the server measures the rest instead of failing.
 */
public final class BenchmarkMain {

    /** Matches the PostgreSQL benchmarks' names, as a JMH exclusion pattern. */
    static final String POSTGRES_BENCHMARKS = "\\.Postgres\\w*Benchmark\\.";

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> jmhArgs = new ArrayList<>(List.of(args));
        String reason = PostgresFixture.configured().unavailableReason();
        if (reason != null) {
            System.err.println("Skipping the PostgreSQL benchmarks: " + reason);
            jmhArgs.add("-e");
            jmhArgs.add(POSTGRES_BENCHMARKS);
        }
        org.openjdk.jmh.Main.main(jmhArgs.toArray(String[]::new));
    }
}
