package io.governed.jdbc.cli;

import io.governed.jdbc.audit.jsonl.ChainVerifier;
import io.governed.jdbc.audit.kafka.KafkaChainVerifier;
import io.governed.jdbc.audit.jsonl.LogFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code audit}: commands on the audit trail. {@code audit verify FILE…} checks the hash chain of a
 * jsonl audit log and prints {@code OK} with the event count, or the first line (file:line) that was
 * edited, removed, moved or inserted; {@code audit verify --kafka BROKERS --topic TOPIC} checks every
 * connection's chain on a Kafka audit topic. Exit code 0 when the chains are intact, 1 otherwise.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Work with the audit trail.",
        subcommands = AuditCommand.Verify.class)
public final class AuditCommand extends CommandGroup {


    /** {@code audit verify}: checks a jsonl audit log's hash chain. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {
                "Check the hash chain of a jsonl audit log, or every connection's chain on a Kafka audit topic.",
                "Give the log's path (its rotated files PATH.000001, PATH.000002, … are found and checked first),"
                    + " the directory that holds it, or the files themselves in rotation order;"
                    + " or --kafka BROKERS --topic TOPIC."},
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:the chain is intact", "1:the chain is broken, or the files cannot be read"})
    static final class Verify implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(arity = "0..*", paramLabel = "FILE", description = "the log (path or directory), or its files oldest first")
        private List<Path> files;

        @Option(names = "--kafka", paramLabel = "BROKERS", description = "verify a Kafka audit topic on these brokers (host:port,…) instead of files")
        private String kafka;

        @Option(names = "--topic", paramLabel = "TOPIC", description = "the Kafka audit topic (with --kafka)")
        private String topic;

        @Option(names = "--consumer-property", paramLabel = "KEY=VALUE",
                description = "a Kafka consumer property, e.g. security.protocol=SSL (repeatable)")
        private Map<String, String> consumerProperties = new HashMap<>();

        @Option(names = "--continued", description = "the log's oldest files (or a topic's oldest records) were deleted on purpose: accept a first event that continues an earlier chain")
        private boolean continued;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                if (kafka != null || topic != null) {
                    return verifyKafka(out);
                }
                if (files == null || files.isEmpty()) {
                    throw new ParameterException(spec.commandLine(), "give the log to verify (FILE), or --kafka BROKERS --topic TOPIC");
                }
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

        private int verifyKafka(PrintWriter out) throws IOException {
            if (kafka == null || topic == null || (files != null && !files.isEmpty())) {
                throw new ParameterException(spec.commandLine(), "a Kafka topic is verified with --kafka BROKERS --topic TOPIC, and no FILE");
            }
            KafkaChainVerifier.Result result = KafkaChainVerifier.verify(kafka, topic, new HashMap<>(consumerProperties), continued, Duration.ofSeconds(30));
            if (!result.ok()) {
                out.println("FAILED " + result.problem());
                out.println("(" + result.records() + " records before it verify)");
                return 1;
            }
            out.println("OK " + result.records() + " events of " + result.keys() + (result.keys() == 1 ? " connection" : " connections")
                    + " on topic " + topic + ", every chain intact");
            return 0;
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
