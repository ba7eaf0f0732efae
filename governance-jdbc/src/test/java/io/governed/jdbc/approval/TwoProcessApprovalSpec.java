package io.governed.jdbc.approval;

import io.governed.jdbc.cli.GovernedJdbcCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two JVM processes share one approval store: a request made in one is listed and approved through
 * the command line, and sixteen threads in the two processes racing for the approval run the statement once.
 */
abstract class TwoProcessApprovalSpec {
    private static final String RUNS = "approvals_two_runs";
    private static final String SQL = "INSERT INTO " + RUNS + " (runner) VALUES (?)";

    @TempDir
    Path dir;

    /** The database's URL for its own driver, shared by both processes. */
    abstract String rawUrl();

    abstract String user();

    abstract String password();

    /** Fails or skips when the database cannot be reached. */
    abstract void requireReachable();

    private Connection raw() throws Exception {
        return DriverManager.getConnection(rawUrl(), user(), password());
    }

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = GovernedJdbcCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        assertThat(cli.execute(args)).as(String.join(" ", args) + ": " + out).isZero();
        return out.toString();
    }

    @Test
    void aRequestFromOneProcessIsApprovedThroughTheCommandLineAndRunsOnceAcrossBoth() throws Exception {
        requireReachable();
        // a connection held open for the whole test keeps this process the database's host where the database is served
        // by the process that opened it (H2's AUTO_SERVER): else the other process, once it has the file open, would
        // serve it, and this process's last connections would be refused when that process ends
        try (Connection host = raw()) {
            runsOnceAcrossBoth();
        }
    }

    private void runsOnceAcrossBoth() throws Exception {
        String store = rawUrl() + "#table=approvals_two";
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + RUNS);
            s.execute("CREATE TABLE " + RUNS + " (runner VARCHAR(40))");
        }
        new JdbcApprovalStore(rawUrl(), user(), password(), "approvals_two", java.time.Clock.systemUTC()); // tables
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM approvals_two_votes");
            s.execute("DELETE FROM approvals_two_requests");
            s.execute("DELETE FROM approvals_two_keys");
        }
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                rules: [{ id: all, effect: permit, actions: ["*"] }]
                approvals: [{ id: recorded-runs, actions: [insert], approvers: { groups: [dba] }, ttl: 30m }]
                """);
        String governedUrl = "jdbc:governed:" + rawUrl().substring("jdbc:".length());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ApprovalRaceProcess.class.getName(),
                governedUrl, user(), password(), policy.toString(), store, "8", SQL, "once")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader fromOther = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            String first = fromOther.readLine();
            assertThat(first).as("the other process's first run waits for approval").startsWith("PENDING apr-");
            String id = first.substring("PENDING ".length());

            assertThat(cli("approvals", "list", "--store", store, "--user", user(), "--password", password()))
                    .contains(id).contains("dora").contains("pending");
            assertThat(cli("approvals", "approve", id, "--store", store, "--user", user(), "--password", password(),
                    "--approver", "dan", "--groups", "dba")).startsWith("Approved " + id);

            Properties settings = ApprovalRaceProcess.settings(user(), password(), policy.toString(), store);
            Writer toOther = new java.io.OutputStreamWriter(other.getOutputStream(), StandardCharsets.UTF_8);
            toOther.write("go\n");
            toOther.flush();
            CompletableFuture<Integer> here = CompletableFuture.supplyAsync(() -> {
                try {
                    return ApprovalRaceProcess.race(governedUrl, settings, SQL, "once", 8);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            String ranThere = fromOther.readLine();
            assertThat(ranThere).startsWith("RAN ");
            int total = Integer.parseInt(ranThere.substring(4)) + here.get(2, TimeUnit.MINUTES);
            assertThat(total).as("executions that ran in the two processes").isEqualTo(1);
            assertThat(other.waitFor(1, TimeUnit.MINUTES)).isTrue();
        } finally {
            other.destroy();
        }
        try (Connection c = raw(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + RUNS)) {
                rs.next();
                assertThat(rs.getInt(1)).as("rows in the database").isEqualTo(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT status FROM approvals_two_requests ORDER BY requested_at")) {
                List<String> statuses = new java.util.ArrayList<>();
                while (rs.next()) {
                    statuses.add(rs.getString(1));
                }
                assertThat(statuses).as("the approved request consumed; the losers' new requests pending").startsWith("consumed")
                        .containsOnlyOnce("consumed");
            }
        }
    }
}
