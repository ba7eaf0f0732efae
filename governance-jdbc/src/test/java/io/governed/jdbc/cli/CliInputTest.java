package io.governed.jdbc.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** What the command line answers to bad input, to a denial and to its own failure: a message and an exit code each. */
class CliInputTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return GovernedJdbcCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void anUnknownKindIsAUsageErrorWithTheAcceptedValues() {
        int exit = run("policy", "explain", "--principal", "ann", "--kind", "robot", "--sql", "SELECT 1");
        assertThat(exit).isEqualTo(GovernedJdbcCli.USAGE).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid value for option '--kind'", "robot", "HUMAN", "SERVICE", "AGENT")
                .contains("Usage:").doesNotContain("Exception", "\tat ");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anUnknownDialectIsAUsageError() {
        int exit = run("policy", "explain", "--principal", "ann", "--dialect", "db2", "--sql", "SELECT 1");
        assertThat(exit).isEqualTo(GovernedJdbcCli.USAGE);
        assertThat(err.toString()).contains("Invalid value for option '--dialect'", "db2", "POSTGRESQL")
                .doesNotContain("\tat ");
    }

    @Test
    void kindsAndDialectsAreReadInAnyCase() {
        int exit = run("policy", "explain", "--principal", "etl", "--kind", "Service", "--dialect", "H2", "--sql", "SELECT 1");
        assertThat(exit).isZero();
        assertThat(out.toString()).contains("Decision:    ALLOW", "Dialect:     h2");
    }

    @Test
    void aMissingRequiredOptionAndAnUnknownOptionAreUsageErrors() {
        assertThat(run("policy", "explain", "--sql", "SELECT 1")).isEqualTo(GovernedJdbcCli.USAGE);
        assertThat(err.toString()).contains("Missing required option: '--principal=NAME'");
        assertThat(run("policy", "explain", "--principal", "ann", "--sql", "SELECT 1", "--princpal", "x"))
                .isEqualTo(GovernedJdbcCli.USAGE);
        assertThat(err.toString()).contains("Unknown option: '--princpal'");
    }

    @Test
    void aDeniedStatementIsExitOneNotAUsageError() {
        int exit = run("policy", "explain", "--principal", "ann", "--sql", "DROP TABLE customers");
        assertThat(exit).isEqualTo(GovernedJdbcCli.PROBLEM).isEqualTo(1);
        assertThat(out.toString()).contains("Decision:    DENY", "baseline-no-destructive-ddl");
    }

    @Test
    void theHelpLabelsEveryOptionAndListsTheExitCodes() {
        assertThat(run("policy", "explain", "--help")).isZero();
        assertThat(out.toString()).contains("--principal=NAME", "--kind=KIND", "--dialect=DIALECT", "--sql=SQL",
                "--groups=GROUP", "--attribute=NAME=VALUE");
        out.getBuffer().setLength(0);
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Exit codes:", "2", "bad input", "3", "the tool itself failed");
    }

    @picocli.CommandLine.Command(name = "boom")
    static final class Boom implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("disk on fire");
        }
    }

    @Test
    void aFailureOfTheToolIsExitThreeWithAOneLineMessage() {
        picocli.CommandLine cli = GovernedJdbcCli.commandLine().addSubcommand(new Boom());
        int exit = cli.setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute("boom");
        assertThat(exit).isEqualTo(GovernedJdbcCli.CRASHED).isEqualTo(3);
        assertThat(err.toString().trim()).isEqualTo("governed-jdbc failed: IllegalStateException: disk on fire");
    }
}
