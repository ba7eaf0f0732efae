package io.governed.benchmarks;

import io.governed.benchmarks.fixture.PostgresFixture;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark jar's entry point: JMH's own command line, with one addition. When the PostgreSQL
 * server the PostgreSQL benchmarks need cannot be reached, those benchmarks are left out of the run
 * (their class names all start with {@code Postgres}) and a line says why, so that a run of every
 * benchmark on a machine without the server measures the rest instead of failing, and a run of
 * only PostgreSQL benchmarks ends there, successfully.
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
            if (nothingLeftToRun(jmhArgs)) {
                System.err.println("No other benchmark matches; nothing to run.");
                return;
            }
        }
        org.openjdk.jmh.Main.main(jmhArgs.toArray(String[]::new));
    }

    /** True when the arguments ask for a run and no benchmark matches them (JMH would fail on that). */
    private static boolean nothingLeftToRun(List<String> args) {
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            return false; // JMH reports it
        }
        if (options.shouldHelp() || options.shouldList() || options.shouldListWithParams()
                || options.shouldListProfilers() || options.shouldListResultFormats()) {
            return false;
        }
        List<String> includes = options.getIncludes().isEmpty() ? List.of(".*") : options.getIncludes();
        return BenchmarkList.defaultList()
                .find(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), includes, options.getExcludes())
                .isEmpty();
    }
}
