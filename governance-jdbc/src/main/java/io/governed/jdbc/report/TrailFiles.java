package io.governed.jdbc.report;

import io.governed.jdbc.audit.jsonl.LogFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The logs a report reads: each input is a log's active path (its rotated files are found), a
 * directory (every log in it), or one rotated file on its own.
 *
 * @param name              how the report names the log
 * @param files             its files in chain order
 * @param continuesEarlier  the first file may continue a chain from files not given (a lone rotated file)
 */
record TrailFiles(Path name, List<Path> files, boolean continuesEarlier) {

    static List<TrailFiles> resolve(List<Path> inputs) throws IOException {
        List<TrailFiles> logs = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                List<Path> inDir = LogFiles.logsIn(input);
                if (inDir.isEmpty()) {
                    throw new IllegalArgumentException("no audit log in directory " + input);
                }
                for (Path log : inDir) {
                    logs.add(new TrailFiles(log, LogFiles.inChainOrder(log), false));
                }
            } else if (LogFiles.isRotatedFile(input) && Files.isRegularFile(input)) {
                logs.add(new TrailFiles(input, List.of(input), true));
            } else {
                List<Path> chain = LogFiles.inChainOrder(input);
                if (chain.isEmpty()) {
                    throw new IllegalArgumentException("no such audit log: " + input + " (neither the file nor rotated "
                            + input.getFileName() + ".NNNNNN files exist)");
                }
                logs.add(new TrailFiles(input, chain, false));
            }
        }
        return logs;
    }
}
