package io.governed.jdbc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code governed-jdbc} command line: {@code policy check}, {@code policy explain}, {@code audit verify}.
 *
 * <pre>
 * java -jar governance-jdbc-VERSION-cli.jar policy check policies/app.yaml
 * java -jar governance-jdbc-VERSION-cli.jar policy explain policies/app.yaml --principal alice --groups analysts \
 *      --sql "SELECT * FROM public.orders"
 * </pre>
 */
@Command(name = "governed-jdbc", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = "Checks and explains Governed JDBC policies, and verifies audit trails.",
        subcommands = {PolicyCommand.class, AuditCommand.class, CommandLine.HelpCommand.class})
public final class GovernedJdbcCli {

    public static void main(String[] args) {
        System.exit(new CommandLine(new GovernedJdbcCli()).execute(args));
    }
}
