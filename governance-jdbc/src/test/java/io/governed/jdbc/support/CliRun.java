package io.governed.jdbc.support;

import io.governed.jdbc.cli.GovernedJdbcCli;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * What one run of the command-line tool printed and returned, as a user at a terminal would see it.
 *
 * @param code the exit code
 * @param out  what it printed to standard output
 * @param err  what it printed to standard error
 */
public record CliRun(int code, String out, String err) {

    /** Runs {@code governed-jdbc ARGS…} in this process. */
    public static CliRun of(String... args) {
        return of(GovernedJdbcCli.commandLine(), args);
    }

    /** Runs {@code command} with {@code args}, its output captured. */
    public static CliRun of(CommandLine command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        int code = command.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
