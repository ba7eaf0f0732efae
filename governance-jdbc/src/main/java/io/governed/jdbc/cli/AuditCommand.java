package io.governed.jdbc.cli;

import io.governed.jdbc.audit.jsonl.ChainVerifier;
import io.governed.jdbc.audit.jsonl.LogFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code audit}: commands on the audit trail. {@code audit verify FILE…} checks the hash chain of a
 * jsonl audit log and prints {@code OK} with the event count, or the first line (file:line) that was
 * edited, removed, moved or inserted. Exit code 0 when the chain is intact, 1 otherwise.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Work with the audit trail.",
        subcommands = AuditCommand.Verify.class)
public final class AuditCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** {@code audit verify}: checks a jsonl audit log's hash chain. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {
                "Check the hash chain of a jsonl audit log.",
                "Give the log's path (its rotated files PATH.000001, PATH.000002, … are found and checked first),"
                    + " the directory that holds it, or the files themselves in rotation order."},
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:the chain is intact", "1:the chain is broken, or the files cannot be read"})
    static final class Verify implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "the log (path or directory), or its files oldest first")
        private List<Path> files;

        @Option(names = "--continued", description = "the log's oldest files were deleted on purpose: accept a first event that continues an earlier chain")
        private boolean continued;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                List<Path> chain = filesInChainOrder();
                ChainVerifier.Result result = ChainVerifier.verify(chain, continued);
                if (!result.ok()) {
                    out.println("FAILED " + result.problem());
                    out.println("(" + result.events() + " events before it verify)");
                    return 1;
                }
                out.println("OK " + result.events() + " events in " + chain.size() + (chain.size() == 1 ? " file" : " files")
                        + ", chain intact");
                if (result.tornBytes() > 0) {
                    out.println("note: the last file ends in " + result.tornBytes() + " bytes of an incomplete line"
                            + " (an interrupted write); it is not an event and the writer discards it when it restarts");
                }
                return 0;
            } catch (IOException | IllegalArgumentException e) {
                err.println("audit verify: " + e.getMessage());
                return 1;
            } finally {
                out.flush();
                err.flush();
            }
        }

        private List<Path> filesInChainOrder() throws IOException {
            if (files.size() > 1) {
                for (Path f : files) {
                    if (!Files.isRegularFile(f)) {
                        throw new IllegalArgumentException(f + " is not a file: give the log's files oldest first, or just its path");
                    }
                }
                return files;
            }
            Path given = files.get(0);
            if (Files.isDirectory(given)) {
                List<Path> logs = LogFiles.logsIn(given);
                if (logs.isEmpty()) {
                    throw new IllegalArgumentException("no audit log in directory " + given);
                }
                if (logs.size() > 1) {
                    throw new IllegalArgumentException("directory " + given + " holds several logs ("
                            + String.join(", ", logs.stream().map(p -> p.getFileName().toString()).toList())
                            + "): name the one to verify");
                }
                given = logs.get(0);
            }
            if (LogFiles.isRotatedFile(given) && Files.isRegularFile(given)) {
                return List.of(given);
            }
            List<Path> chain = LogFiles.inChainOrder(given);
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("no such audit log: " + given + " (neither the file nor rotated "
                        + given.getFileName() + ".NNNNNN files exist)");
            }
            return chain;
        }
    }
}
