package io.governed.jdbc.cli;

import io.governed.jdbc.support.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code governed-jdbc report} with a period it cannot read is bad input (exit 2), never the exit code of a broken
 * chain (1), so that a job checking the trail's integrity cannot take a typo for tampering, or the reverse.
 */
class ReportPeriodOptionsTest {

    @TempDir
    Path dir;

    @Test
    void aPeriodThatCannotBeReadIsBadInputAndWritesNothing() throws IOException {
        Path log = Files.writeString(dir.resolve("audit.jsonl"), "");
        Path out = dir.resolve("report.html");
        for (String[] period : new String[][] {{"--from", "yesterday"}, {"--to", "2026-13-01"},
            {"--from", "2026-02-01", "--to", "2026-01-01"}, {"--from", "2026-01-01", "--to", "2026-01-01"}}) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("report", log.toString(), "--out", out.toString()));
            args.addAll(java.util.List.of(period));
            CliRun run = CliRun.of(args.toArray(String[]::new));

            assertThat(run.code()).as(String.join(" ", period)).isEqualTo(GovernedJdbcCli.USAGE);
            assertThat(run.err()).containsAnyOf("is not a date", "--from must be before --to");
            assertThat(out).doesNotExist();
        }
    }
}
