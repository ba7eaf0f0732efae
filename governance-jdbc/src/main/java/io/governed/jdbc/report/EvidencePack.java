package io.governed.jdbc.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A report's evidence as one zip: the HTML page, the JSON figures, the chain verification of every log
 * (a summary text, and one JSON per log), the policy files given, and {@value #MANIFEST}, which lists
 * every other member with its SHA-256 and size, the tool's version, the period and the policy digests.
 * The manifest does not list itself. The zip is written beside its destination and moved into place, so
 * a reader never sees half a pack.
 */
final class EvidencePack {

    static final String MANIFEST = "manifest.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Entry times fixed to the report's generation, so a pack's bytes depend only on its contents and that time. */
    private final long entryTime;
    private final ArrayNode members = MAPPER.createArrayNode();
    private final ZipOutputStream zip;

    private EvidencePack(ZipOutputStream zip, long entryTime) {
        this.zip = zip;
        this.entryTime = entryTime;
    }

    static void write(ComplianceReport report, List<Path> policyFiles, String toolVersion, Path destination) throws IOException {
        ObjectNode json = report.json();
        Path parent = destination.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            throw new java.nio.file.NoSuchFileException(parent.toString());
        }
        Path partial = parent.resolve("." + destination.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
        try {
            long time = generated(json);
            try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE); ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
                EvidencePack pack = new EvidencePack(zip, time);
                pack.add("report.html", HtmlReport.render(json).getBytes(StandardCharsets.UTF_8));
                pack.add("report.json", MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
                JsonNode verification = json.path("verification");
                pack.add("verification.txt", verificationText(verification).getBytes(StandardCharsets.UTF_8));
                int n = 0;
                for (JsonNode log : verification.path("logs")) {
                    n++;
                    pack.add(String.format(Locale.ROOT, "verification/%02d-%s.json", n, fileName(log.path("log").asText())),
                            MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(log));
                }
                ArrayNode policies = MAPPER.createArrayNode();
                n = 0;
                for (Path policy : policyFiles) {
                    n++;
                    String member = String.format(Locale.ROOT, "policies/%02d-%s", n, fileName(policy.toString()));
                    byte[] text = Files.readAllBytes(policy);
                    pack.add(member, text);
                    policies.addObject().put("file", policy.toString()).put("member", member).put("sha256", sha256(text));
                }
                ObjectNode manifest = MAPPER.createObjectNode();
                manifest.put("pack", "governed-jdbc evidence pack");
                manifest.put("tool", toolVersion);
                manifest.put("generated", json.path("generated").asText());
                manifest.set("period", json.path("period").deepCopy());
                manifest.put("events", json.path("totals").path("events").asLong());
                manifest.put("chains_intact", json.path("verification").path("ok").asBoolean(false));
                manifest.set("policy_files", policies);
                manifest.put("policy_digest", json.path("policy_digest_given").isTextual()
                        ? json.get("policy_digest_given").asText() : null);
                manifest.put("digest_algorithm", "SHA-256");
                manifest.set("members", pack.members);
                pack.entry(MANIFEST, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            }
            try {
                Files.move(partial, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(partial, destination, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private void add(String name, byte[] bytes) throws IOException {
        entry(name, bytes);
        members.addObject().put("name", name).put("sha256", sha256(bytes)).put("size", bytes.length);
    }

    private void entry(String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTime(entryTime);
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }

    /** One line per log and per file: OK with the count of verified events, or BROKEN with the file and line. */
    static String verificationText(JsonNode verification) {
        StringBuilder t = new StringBuilder();
        t.append(verification.path("ok").asBoolean() ? "Every chain is intact.\n" : "A chain is BROKEN: the trail was altered.\n");
        for (JsonNode log : verification.path("logs")) {
            t.append("\nLog ").append(log.path("log").asText()).append(": ");
            if (log.path("ok").asBoolean()) {
                t.append("OK, ").append(log.path("verified_events").asLong()).append(" events verified");
                if (log.path("torn_bytes").asLong() > 0) {
                    t.append(" (the last file ends in ").append(log.path("torn_bytes").asLong())
                            .append(" bytes of an interrupted write)");
                }
            } else {
                JsonNode p = log.path("problem");
                t.append("BROKEN at ").append(p.path("file").asText()).append(" line ").append(p.path("line").asLong())
                        .append(": ").append(p.path("description").asText()).append(" (")
                        .append(log.path("verified_events").asLong()).append(" events before it verify)");
            }
            t.append('\n');
            for (JsonNode f : log.path("files")) {
                t.append("  ").append(f.path("file").asText()).append("  ").append(f.path("lines").asLong()).append(" lines  ")
                        .append(f.path("status").asText());
                if (f.has("first_broken_line")) {
                    t.append(" at line ").append(f.path("first_broken_line").asLong());
                }
                t.append('\n');
            }
        }
        return t.toString();
    }

    private static long generated(JsonNode json) {
        try {
            return Instant.parse(json.path("generated").asText()).toEpochMilli();
        } catch (RuntimeException e) {
            return System.currentTimeMillis();
        }
    }

    /** The last part of a path, with characters a zip member name should not hold replaced. */
    private static String fileName(String path) {
        String name = Path.of(path).getFileName() == null ? path : Path.of(path).getFileName().toString();
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
