package io.governed.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns JMH JSON results ({@code -rf json}) into Markdown tables, one per benchmark method and
 * parameter set, a row per {@code variant}, with each number's ratio to the {@code raw} row: the
 * score (time or throughput per operation) and, when {@code ProcessCpuProfiler} ran, the process CPU
 * per operation and how it splits between the benchmark threads and the others.
 *
 * <pre>{@code java -cp benchmarks.jar io.governed.benchmarks.report.ResultTable results.json [more.json ...]}</pre>
 */
public final class ResultTable {
    private static final String BASELINE = "raw";
    private static final String VARIANT = "variant";

    private ResultTable() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: ResultTable RESULTS.json [MORE.json ...]");
            System.exit(2);
        }
        ObjectMapper json = new ObjectMapper();
        Map<String, Map<String, JsonNode>> groups = new LinkedHashMap<>();
        for (String file : args) {
            for (JsonNode run : json.readTree(Path.of(file).toFile())) {
                JsonNode params = run.path("params");
                String variant = params.path(VARIANT).asText("(none)");
                Map<String, String> others = new TreeMap<>();
                params.fields().forEachRemaining(p -> {
                    if (!p.getKey().equals(VARIANT)) {
                        others.put(p.getKey(), p.getValue().asText());
                    }
                });
                String group = shortName(run.path("benchmark").asText()) + (others.isEmpty() ? "" : " " + others)
                        + " (" + run.path("mode").asText() + ", " + run.path("forks").asInt() + " fork(s) x "
                        + run.path("measurementIterations").asInt() + " iterations, " + run.path("threads").asInt() + " thread(s))";
                groups.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(variant, run);
            }
        }
        groups.forEach((group, runs) -> print(System.out, group, runs));
    }

    private static void print(PrintStream out, String group, Map<String, JsonNode> runs) {
        JsonNode raw = runs.get(BASELINE);
        boolean cpu = runs.values().stream().anyMatch(r -> r.path("secondaryMetrics").has("cpu.process"));
        out.println();
        out.println("### " + group);
        out.println();
        List<String> header = new ArrayList<>(List.of("variant", "score", "/ raw"));
        if (cpu) {
            header.addAll(List.of("process CPU (us/op)", "/ raw", "benchmark threads", "other threads", "cores busy"));
        }
        out.println("| " + String.join(" | ", header) + " |");
        out.println("|" + "---|".repeat(header.size()));
        for (Map.Entry<String, JsonNode> e : runs.entrySet()) {
            JsonNode run = e.getValue();
            JsonNode primary = run.path("primaryMetric");
            List<String> row = new ArrayList<>(List.of(e.getKey(), withError(primary) + " " + primary.path("scoreUnit").asText(),
                    ratio(primary, raw == null ? null : raw.path("primaryMetric"))));
            if (cpu) {
                JsonNode secondary = run.path("secondaryMetrics");
                JsonNode rawSecondary = raw == null ? null : raw.path("secondaryMetrics");
                row.add(withError(secondary.path("cpu.process")));
                row.add(ratio(secondary.path("cpu.process"), rawSecondary == null ? null : rawSecondary.path("cpu.process")));
                row.add(withError(secondary.path("cpu.benchmarkThreads")));
                row.add(withError(secondary.path("cpu.otherThreads")));
                row.add(number(secondary.path("cpu.cores").path("score").asDouble(Double.NaN), 2));
            }
            out.println("| " + String.join(" | ", row) + " |");
        }
    }

    private static String withError(JsonNode metric) {
        if (metric.isMissingNode()) {
            return "";
        }
        double score = metric.path("score").asDouble(Double.NaN);
        double error = metric.path("scoreError").asDouble(Double.NaN);
        int digits = Math.abs(score) >= 100 ? 0 : Math.abs(score) >= 10 ? 1 : 2;
        return number(score, digits) + (Double.isNaN(error) ? "" : " ± " + number(error, digits));
    }

    private static String ratio(JsonNode metric, JsonNode baseline) {
        if (baseline == null || metric.isMissingNode() || baseline.isMissingNode()) {
            return "";
        }
        return number(metric.path("score").asDouble(Double.NaN) / baseline.path("score").asDouble(Double.NaN), 2);
    }

    private static String number(double value, int digits) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "n/a" : String.format(Locale.ROOT, "%,." + digits + "f", value);
    }

    private static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        int type = benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }
}
