package io.governed.jdbc.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.governed.jdbc.audit.AuditEventJson;
import io.governed.jdbc.audit.AuditFormat;
import io.governed.jdbc.audit.jsonl.ChainVerifier;
import io.governed.policy.Policy;
import io.governed.policy.PolicyProvenance;
import io.governed.policy.load.PolicyLoader;
import io.governed.policy.load.PolicySource;
import io.governed.policy.pattern.ColumnPattern;
import io.governed.sql.Dialect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * An evidence report built from jsonl audit trails in any {@link AuditFormat} (each line is read in the
 * format it is written in, so logs and directories may mix them): the hash chain of every file verified, and the
 * trail's events counted into the figures an auditor asks for (statements by decision over time,
 * denials by rule, approvals, reads of sensitive columns, agents and whom they acted for, schema and
 * privilege changes, refused unparseable statements, and a table of controls with their evidence).
 *
 * <p>Only events the hash chain verifies are counted: lines after a break, and the bytes of an interrupted write at
 * the end, are counted as lines not verified and nothing else, so an edited, inserted or appended line never becomes
 * a figure. The trail is streamed once for verification and the figures (and once more to count each file's
 * lines); only counters are kept,
 * per key and capped ({@link Aggregate.Limits}), so memory does not grow with the trail. The figures
 * are one JSON document ({@link #json()}); {@link HtmlReport} renders the same document as a
 * self-contained page.
 */
public final class ComplianceReport {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectNode json;
    private final Options options;

    private ComplianceReport(ObjectNode json, Options options) {
        this.json = json;
        this.options = options;
    }

    /**
     * What to report on.
     *
     * @param inputs      logs (active path, directory, or a rotated file)
     * @param from        first instant included, or {@code null}
     * @param to          first instant excluded, or {@code null}
     * @param policyFiles the policy files in force, composed in order, to tag columns and to match the
     *                    versions the events name; may be empty
     */
    public record Options(List<Path> inputs, Instant from, Instant to, List<Path> policyFiles) {
        public Options {
            inputs = List.copyOf(inputs);
            policyFiles = policyFiles == null ? List.of() : List.copyOf(policyFiles);
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("name at least one audit log or directory");
            }
            if (from != null && to != null && !from.isBefore(to)) {
                throw new IllegalArgumentException("--from must be before --to");
            }
        }
    }

    /**
     * Reads and verifies the trails and counts their events.
     *
     * @throws IOException              when a file cannot be read
     * @throws IllegalArgumentException when an input is not a log, or a policy file does not load
     */
    public static ComplianceReport build(Options options) throws IOException {
        return build(options, Aggregate.Limits.DEFAULT);
    }

    static ComplianceReport build(Options options, Aggregate.Limits limits) throws IOException {
        Policy policy = options.policyFiles().isEmpty() ? null
                : PolicyLoader.compose(options.policyFiles().stream().map(PolicySource::fromPath).toList());
        Aggregate aggregate = new Aggregate(limits, taggedBy(policy), options.from(), options.to());
        ArrayNode verification = MAPPER.createArrayNode();
        boolean ok = true;
        for (TrailFiles log : TrailFiles.resolve(options.inputs())) {
            EnumSet<AuditFormat> formats = EnumSet.noneOf(AuditFormat.class);
            ChainVerifier.Result result = ChainVerifier.verify(log.files(), log.continuesEarlier(),
                    (file, line, length) -> count(line, length, aggregate, formats));
            ok &= result.ok();
            verification.add(verification(log, result, aggregate, formats));
        }
        ObjectNode json = ReportJson.of(aggregate, options, policy == null ? null : policy.provenance());
        ObjectNode verified = MAPPER.createObjectNode();
        verified.put("ok", ok);
        verified.set("logs", verification);
        json.set("verification", verified);
        ReportJson.controls(json);
        return new ComplianceReport(json, options);
    }

    /**
     * Describes the log's verification; {@code formats} are those of the events counted. Lines the chain does not
     * verify (after a break, or an interrupted write at the end) were not counted: they are counted here as such.
     */
    private static ObjectNode verification(TrailFiles log, ChainVerifier.Result result, Aggregate aggregate,
                                           EnumSet<AuditFormat> formats) throws IOException {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("log", log.name().toString());
        node.put("ok", result.ok());
        node.put("verified_events", result.events());
        node.put("torn_bytes", result.tornBytes());
        ChainVerifier.Problem problem = result.problem();
        if (problem == null) {
            node.putNull("problem");
        } else {
            ObjectNode p = node.putObject("problem");
            p.put("file", problem.file().toString());
            p.put("line", problem.line());
            p.put("description", problem.description());
        }
        ArrayNode files = node.putArray("files");
        boolean afterBreak = false;
        long lineCount = 0;
        for (Path file : log.files()) {
            long lines = lines(file);
            lineCount += lines;
            ObjectNode f = files.addObject();
            f.put("file", file.toString());
            f.put("lines", lines);
            boolean broken = problem != null && problem.file().equals(file);
            f.put("status", broken ? "broken" : afterBreak ? "not verified (after the break)" : "ok");
            if (broken) {
                f.put("first_broken_line", problem.line());
                afterBreak = true;
            }
        }
        aggregate.notVerifiedLines += lineCount - result.events();
        node.put("format", String.join(", ", formats.stream().map(AuditFormat::externalName).toList()));
        return node;
    }

    /** The file's lines: those ending in a newline, and the bytes after the last newline, if any, as one more. */
    private static long lines(Path file) throws IOException {
        long lines = 0;
        boolean open = false;
        byte[] chunk = new byte[1 << 16];
        try (java.io.InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(chunk)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == '\n') {
                        lines++;
                    }
                }
                open = chunk[n - 1] != '\n';
            }
        }
        return open ? lines + 1 : lines;
    }

    /** Counts one line the chain verified into the aggregate, adding the format of its event to {@code formats}. */
    private static void count(byte[] line, int length, Aggregate aggregate, EnumSet<AuditFormat> formats) throws IOException {
        JsonNode event;
        try {
            event = MAPPER.readTree(line, 0, length);
        } catch (IOException e) {
            aggregate.unreadableLines++;
            return;
        }
        if (event == null || !event.isObject()) {
            aggregate.unreadableLines++;
            return;
        }
        AuditFormat format = AuditFormat.of(event);
        JsonNode figures = switch (format) {
            case NATIVE -> event;
            case CLOUDEVENTS -> event.path("data").isObject() ? event.get("data") : null;
            case OCSF -> nativeForm(event);
        };
        if (figures == null) {
            aggregate.unreadableLines++;
        } else {
            formats.add(format);
            aggregate.accept(figures);
        }
    }

    /** An OCSF line as the native event it was written from (see {@link AuditFormat#read}), or {@code null}. */
    private static JsonNode nativeForm(JsonNode ocsf) throws IOException {
        try {
            return MAPPER.readTree(AuditEventJson.toBytes(AuditFormat.OCSF.read(ocsf)));
        } catch (IllegalArgumentException notAnEvent) {
            return null;
        }
    }

    /**
     * Which columns count as sensitive: those the policy's classification tags (any column a tag's
     * pattern could name, so an unknown schema counts as sensitive); with no policy, none beyond the
     * masked ones.
     */
    private static Predicate<String> taggedBy(Policy policy) {
        if (policy == null || policy.classification().tags().isEmpty()) {
            return column -> false;
        }
        List<ColumnPattern> patterns = policy.classification().tags().values().stream().flatMap(List::stream).toList();
        return column -> {
            String[] parts = column.split("\\.");
            String name = parts[parts.length - 1];
            String table = parts.length >= 2 ? parts[parts.length - 2] : null;
            String schema = parts.length >= 3 ? parts[parts.length - 3] : null;
            return patterns.stream().anyMatch(p -> p.couldMatch(schema, table, name, Dialect.GENERIC));
        };
    }

    /** The figures as one JSON document. */
    public ObjectNode json() {
        return json;
    }

    /** True when every chain verified. */
    public boolean chainsIntact() {
        return json.path("verification").path("ok").asBoolean(false);
    }

    /** The event count the figures cover. */
    public long events() {
        return json.path("totals").path("events").asLong();
    }

    /** Writes the JSON document. */
    public void writeJson(Path file) throws IOException {
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json);
    }

    /** Writes the self-contained HTML page. */
    public void writeHtml(Path file) throws IOException {
        Files.writeString(file, HtmlReport.render(json), StandardCharsets.UTF_8);
    }

    /**
     * Writes the evidence pack: a zip of the HTML page, the JSON figures, the chain verification, the
     * policy files given and a manifest of every member's SHA-256 and size (see {@link EvidencePack}).
     *
     * @param toolVersion how the manifest names the tool that built the report
     */
    public void writePack(Path zip, String toolVersion) throws IOException {
        EvidencePack.write(this, options.policyFiles(), toolVersion, zip);
    }

    /** The digests of given policy files, as the report lists them. */
    static ArrayNode policyFiles(PolicyProvenance given) {
        ArrayNode files = MAPPER.createArrayNode();
        if (given != null) {
            for (PolicyProvenance.File f : given.files()) {
                files.addObject().put("file", f.name()).put("digest", f.digest());
            }
        }
        return files;
    }

    static <V> List<Map.Entry<String, V>> sorted(Map<String, V> map, Comparator<V> order) {
        List<Map.Entry<String, V>> entries = new ArrayList<>(map.entrySet());
        entries.sort(Map.Entry.<String, V>comparingByValue(order).thenComparing(Map.Entry.comparingByKey()));
        return entries;
    }

    @Override
    public String toString() {
        return Objects.toString(json.path("totals"));
    }
}
