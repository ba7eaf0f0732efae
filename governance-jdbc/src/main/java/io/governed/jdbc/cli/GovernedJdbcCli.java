package io.governed.jdbc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code governed-jdbc} command line: {@code policy check}, {@code policy explain}, {@code policy test}, {@code audit verify},
 * {@code identity verify}, {@code report}.
 *
 * <pre>
 * java -jar governance-jdbc-VERSION-cli.jar policy check policies/app.yaml
 * java -jar governance-jdbc-VERSION-cli.jar policy explain policies/app.yaml --principal alice --groups analysts \
 *      --sql "SELECT * FROM public.orders"
 * </pre>
 */
@Command(name = "governed-jdbc", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = "Checks, explains and tests Governed JDBC policies, verifies audit trails and identity tokens, reports on audit trails, lists, approves and denies approval requests, and restores tokenized values.",
        subcommands = {PolicyCommand.class, AuditCommand.class, ReportCommand.class, IdentityCommand.class, ApprovalsCommand.class,
                DetokenizeCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the policy is valid, the statement would run, the policy tests pass, the trail is intact, the token is accepted",
            "1:a problem was found: the policy is invalid, the statement is denied, a policy test fails, the trail is broken, the token is refused",
            "2:bad input: an unknown option, kind or dialect, a missing argument (the usage is shown)",
            "3:the tool itself failed (a bug or an unreadable environment); the message says what happened"})
public final class GovernedJdbcCli {
    /** A problem was found: an invalid policy, a denied statement, a broken trail. */
    public static final int PROBLEM = 1;
    /** Bad input: the command line could not be read. */
    public static final int USAGE = 2;
    /** The tool itself failed. */
    public static final int CRASHED = 3;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line as {@code main} runs it: kinds and dialects in any case, bad input answered with a message and
     * the usage (exit {@value #USAGE}), a failure of the tool with a one-line message and exit {@value #CRASHED}.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new GovernedJdbcCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? USAGE : CRASHED);
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println(e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, failed.getErr());
            failed.usage(failed.getErr());
            failed.getErr().flush();
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, failed, parsed) -> {
            failed.getErr().println("governed-jdbc failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            failed.getErr().flush();
            return CRASHED;
        });
        return cli;
    }
}
