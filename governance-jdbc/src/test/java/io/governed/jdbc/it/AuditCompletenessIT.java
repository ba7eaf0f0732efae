package io.governed.jdbc.it;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.cli.GovernedJdbcCli;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * Proves that the audit trail loses nothing under load: 8 threads, each as its own identity, run
 * 100,000 statements each on H2 through a HikariCP pool wrapped by GovernedDataSource, into a
 * jsonl trail in block mode, rotating at 100 MB. Every statement's event is in the file exactly once (unique event
 * ids, 100,000 per identity and none under another), and `audit verify` finds the chain intact.
 */
class AuditCompletenessIT {
    private static final int THREADS = 8;
    private static final int STATEMENTS_PER_THREAD = 100_000;

    /** Sorts rotated files by their number and the active file (no number) last. */
    private static String order(Path file) {
        String name = file.getFileName().toString();
        return name.equals("audit.jsonl") ? "~" : name;
    }

    @Test
    void everyStatementIsInTheTrailExactlyOnceWithItsIdentityAndTheChainVerifies(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("audit.jsonl");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:audit-completeness;DB_CLOSE_DELAY=-1");
        config.setMaximumPoolSize(THREADS);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE accounts(id INT PRIMARY KEY, balance INT)");
                s.execute("INSERT INTO accounts SELECT X, 100 FROM SYSTEM_RANGE(1, 1000)");
            }
            AuditDispatcher dispatcher = AuditDispatcher.start("jsonl:" + log + "?fsync=never", AuditSettings.defaults());
            Governance governance = Governance.builder().policy(PolicyLoader.baseline()).audit(dispatcher).build();
            GovernedDataSource governed = new GovernedDataSource(pool, governance);

            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Identity identity = Identity.builder("user-" + t).kind(t % 2 == 0 ? IdentityKind.HUMAN : IdentityKind.AGENT)
                        .onBehalfOf(t % 2 == 0 ? null : Identity.human("owner-" + t)).build();
                work.add(threads.submit(() -> IdentityContext.runAs(identity, () -> {
                    for (int i = 0; i < STATEMENTS_PER_THREAD; i++) {
                        try (Connection c = governed.getConnection();
                             PreparedStatement ps = c.prepareStatement("SELECT balance FROM accounts WHERE id = ?")) {
                            ps.setInt(1, i % 1000 + 1);
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                            }
                        }
                    }
                    return null;
                })));
            }
            for (Future<?> f : work) {
                f.get();
            }
            threads.shutdown();
            dispatcher.close();
        }

        Map<String, Integer> perPrincipal = new TreeMap<>();
        Set<String> eventIds = new HashSet<>();
        long lines = 0;
        JsonFactory json = new JsonFactory();
        List<Path> files;
        try (var listing = Files.list(dir)) {
            // Rotated files (audit.jsonl.000001, …) in order, then the active one.
            files = listing.filter(f -> f.getFileName().toString().startsWith("audit.jsonl")
                    && !f.getFileName().toString().endsWith(".lock")).sorted((a, b) -> order(a).compareTo(order(b))).toList();
        }
        assertThat(files).as("the trail rotated at least once (100 MB files)").hasSizeGreaterThan(1);
        for (Path file : files) {
            try (BufferedReader reader = Files.newBufferedReader(file)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines++;
                    String principal = null;
                    String eventId = null;
                    try (JsonParser p = json.createParser(line)) {
                        while (p.nextToken() != null && (principal == null || eventId == null)) {
                            if (p.currentToken() == JsonToken.FIELD_NAME) {
                                String field = p.currentName();
                                p.nextToken();
                                if (field.equals("principal")) {
                                    principal = p.getText();
                                } else if (field.equals("event_id")) {
                                    eventId = p.getText();
                                }
                            }
                        }
                    }
                    perPrincipal.merge(principal, 1, Integer::sum);
                    assertThat(eventIds.add(eventId)).as("event %s appears once", eventId).isTrue();
                }
            }
        }
        assertThat(lines).isEqualTo((long) THREADS * STATEMENTS_PER_THREAD);
        Map<String, Integer> expected = new TreeMap<>();
        for (int t = 0; t < THREADS; t++) {
            expected.put("user-" + t, STATEMENTS_PER_THREAD);
        }
        assertThat(perPrincipal).isEqualTo(expected);

        StringWriter out = new StringWriter();
        int exit = GovernedJdbcCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(out))
                .execute("audit", "verify", log.toString());
        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).contains("OK " + (THREADS * STATEMENTS_PER_THREAD) + " events");
    }
}
