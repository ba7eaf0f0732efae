package io.governed.jdbc.cli;

import io.governed.jdbc.report.ComplianceReport;
import io.governed.policy.load.PolicyLoadException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code report AUDIT… --out report.html [--json report.json] [--pack evidence.zip] [--from T] [--to T] [--policy FILE…]}:
 * an evidence report from jsonl audit trails, see {@link ComplianceReport}. Exit code 0 when every
 * chain verified, 1 when one is broken (the report is still written, saying so first).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {
            "Build an evidence report from jsonl audit trails: chain verification, statements by decision over time,"
                + " denials by rule, approvals, sensitive-data access, agents, schema and privilege changes, refusals,"
                + " and SOC 2 / ISO 27001 controls with their evidence.",
            "The HTML page is self-contained (no network); the JSON holds the same figures."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the report was written and every chain is intact",
            "1:a chain is broken (the report is written and says where), or the trails or policy cannot be read",
            "2:bad input: an unknown option, a --from or --to that is no date or instant, --from not before --to"})
final class ReportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "AUDIT", description = "jsonl logs (their rotated files are found), directories of logs, or rotated files")
    private List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the HTML report to write")
    private Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the figures as JSON")
    private Path json;

    @Option(names = "--pack", paramLabel = "FILE",
            description = "also write an evidence pack: a zip of the HTML, the JSON, the chain verification, the policy files"
                + " and a manifest of every member's SHA-256 and size")
    private Path pack;

    @Option(names = "--from", paramLabel = "T", description = "first instant included: 2026-01-01 or 2026-01-01T00:00:00Z")
    private String from;

    @Option(names = "--to", paramLabel = "T", description = "first instant excluded: 2026-02-01 or 2026-02-01T00:00:00Z")
    private String to;

    @Option(names = "--policy", arity = "1..*", paramLabel = "FILE",
            description = "the policy files in force, in composition order: their tags mark sensitive columns and their digest is matched against the events'")
    private List<Path> policies;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Instant first = instant("--from", from);
        Instant end = instant("--to", to);
        if (first != null && end != null && !first.isBefore(end)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--from must be before --to: the period"
                    + " includes --from and excludes --to");
        }
        try {
            ComplianceReport report = ComplianceReport.build(new ComplianceReport.Options(inputs, first, end, policies));
            report.writeHtml(out);
            if (json != null) {
                report.writeJson(json);
            }
            if (pack != null) {
                report.writePack(pack, new Versions().getVersion()[0]);
            }
            stdout.println((report.chainsIntact() ? "OK " : "CHAIN BROKEN ") + report.events() + " events reported in " + out
                    + (json == null ? "" : " and " + json) + (pack == null ? "" : ", evidence pack " + pack));
            return report.chainsIntact() ? 0 : GovernedJdbcCli.PROBLEM;
        } catch (NoSuchFileException e) {
            err.println("report: no such file or directory: " + e.getFile() + " (check the paths given, and that the"
                    + " directories of --out, --json and --pack exist)");
            return GovernedJdbcCli.PROBLEM;
        } catch (IOException | IllegalArgumentException | PolicyLoadException e) {
            err.println("report: " + e.getMessage());
            return GovernedJdbcCli.PROBLEM;
        } finally {
            stdout.flush();
            err.flush();
        }
    }

    /** The instant {@code text} names; a text that names none is bad input (exit 2), not a broken chain. */
    private Instant instant(String option, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    option + " '" + text + "' is not a date (2026-01-31) or an instant (2026-01-31T12:00:00Z)", e);
        }
    }
}
