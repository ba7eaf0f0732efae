package io.governed.examples.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.cli.GovernedJdbcCli;
import io.governed.jdbc.audit.jsonl.ChainVerifier;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.wrapper.GovernedConnection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * The main demo: an application that used {@code jdbc:h2:mem:shop} swaps in
 * {@code jdbc:governed:h2:mem:shop} and from then on every statement passes governance: the policy
 * in {@code quickstart-policy.yaml} decides, per statement, for the identity running it, and every
 * statement, allowed or refused, becomes an event of a tamper-evident audit trail.
 */
public final class Quickstart {
    /** Where approval requests wait: a table the application and the governed-jdbc command line share. */
    private static final String APPROVALS = "jdbc:h2:mem:shop-approvals;DB_CLOSE_DELAY=-1";

    public static void main(String[] args) throws SQLException, IOException {
        Path trail = Files.createTempDirectory("governed-quickstart").resolve("audit.jsonl");
        Path approverTrail = trail.resolveSibling("approvals.jsonl");

        // 1. The only change an application makes: the URL, plus its policy, its audit trail and who is calling.
        Properties settings = new Properties();
        settings.setProperty("governed.policy", "classpath:quickstart-policy.yaml");
        settings.setProperty("governed.audit", "jsonl:" + trail);
        settings.setProperty("governed.principal", "order-service");
        settings.setProperty("governed.kind", "service");
        settings.setProperty("governed.approvals", APPROVALS);

        try (Connection db = DriverManager.getConnection("jdbc:governed:h2:mem:shop;DB_CLOSE_DELAY=-1", settings)) {
            section("order-service connects through " + db.getClass().getSimpleName() + " to " + db.getMetaData().getURL());
            try (Statement s = db.createStatement()) {
                s.execute("CREATE TABLE customers(id INT PRIMARY KEY, name VARCHAR(40), email VARCHAR(80), ssn VARCHAR(11))");
                s.execute("CREATE TABLE orders(id INT PRIMARY KEY, customer_id INT, total DECIMAL(10,2))");
            }
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO customers VALUES (?, ?, ?, ?)")) {
                insert(insert, 1, "Ada Lovelace", "ada@example.com", "123-45-6789");
                insert(insert, 2, "Alan Turing", "alan@example.com", "987-65-4321");
                insert.executeBatch();
            }
            System.out.println("created two tables and two customers (rule services-crud permits it)");
            printCustomers(db);

            // 2. An AI agent acting for a human: the scope decides the identity of each statement,
            //    on whatever (pooled) connection it runs.
            Identity alice = Identity.builder("alice").groups("analysts").build();
            Identity agent = Identity.builder("support-agent").kind(IdentityKind.AGENT)
                    .onBehalfOf(alice).purpose("answer ticket 4711").build();
            section("support-agent, for alice, to 'answer ticket 4711', on the same connection");
            IdentityContext.runAs(agent, () -> printCustomers(db));

            Identity unattended = Identity.builder("support-agent").kind(IdentityKind.AGENT).build();
            section("the same agent with no human behind it");
            IdentityContext.runAs(unattended, () -> attempt(db, "SELECT name FROM customers"));

            // 3. What governance refuses never reaches the database.
            section("order-service tries destructive statements");
            attempt(db, "DROP TABLE customers");
            attempt(db, "DELETE FROM orders");
            attempt(db, "SELECT 1; DrOp/**/TABLE customers");
            printCustomers(db);

            showMasking(db);
            showApproval(db, approverTrail);
            db.unwrap(GovernedConnection.class).governance().flushAudit();
        }
        printAuditTrail(trail);
        writeReport(trail, approverTrail);
    }

    /**
     * 4. Masking follows the data: one query, seen by an analyst (masked, even through an expression)
     *    and by a pii-reader (in clear); copying masked values elsewhere is refused.
     */
    private static void showMasking(Connection db) throws SQLException {
        String query = "SELECT name, email, ssn, 'ssn ' || ssn AS label FROM customers ORDER BY id";
        Identity analyst = Identity.builder("bob").groups("analysts").build();
        Identity piiReader = Identity.builder("pia").groups("analysts", "pii-readers").build();
        section("bob (analysts) runs: " + query);
        IdentityContext.runAs(analyst, () -> printRows(db, query));
        section("pia (analysts, pii-readers) runs the same query");
        IdentityContext.runAs(piiReader, () -> printRows(db, query));
        section("order-service tries to copy the SSNs out in clear");
        attempt(db, "CREATE TABLE ssn_copy AS SELECT id, ssn FROM customers");
    }

    /**
     * 5. A DBA's DROP waits for another DBA: the statement fails as pending (SQLState XGA01) with the request id,
     *    a second DBA approves it with the command line, and the same statement then runs, once.
     */
    private static void showApproval(Connection db, Path approverTrail) throws SQLException {
        Identity dora = Identity.builder("dora").groups("dba").build();
        String drop = "DROP TABLE old_orders";
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE old_orders(id INT)");
        }
        section("dora (dba) drops a table: the policy wants a second DBA's approval");
        String requestId = IdentityContext.runAs(dora, () -> {
            try (Statement s = db.createStatement()) {
                s.execute(drop);
                return null;
            } catch (ApprovalPendingException pending) {
                System.out.println("pending: " + drop);
                System.out.println("   [" + pending.getSQLState() + "] request " + pending.approvalRequestId());
                return pending.approvalRequestId();
            }
        });
        String[] approve = {"approvals", "approve", requestId, "--store", APPROVALS, "--approver", "dan", "--groups", "dba",
            "--audit", "jsonl:" + approverTrail};
        System.out.println("dan (dba): governed-jdbc " + String.join(" ", approve));
        GovernedJdbcCli.commandLine().execute(approve);
        section("dora runs the same statement again");
        IdentityContext.runAs(dora, () -> attempt(db, drop));
    }

    private static void printRows(Connection db, String query) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                System.out.printf("  %-14s %-18s %-12s %s%n", rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
            }
        }
    }

    private static String refusedBy(JsonNode event) {
        return event.path("rules").isEmpty() ? "the policy default" : "rule " + event.path("rules").get(0).asText();
    }

    /** Every statement above, allowed or refused, as the audit trail recorded it; then the chain check. */
    private static void printAuditTrail(Path trail) throws IOException {
        section("The audit trail " + trail);
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(trail)) {
            JsonNode event = json.readTree(line);
            String who = event.path("principal").asText()
                    + (event.hasNonNull("on_behalf_of") ? " for " + event.get("on_behalf_of").asText() : "");
            System.out.printf("  %-5s %-26s %-11s %-5s %s%n", event.path("decision").asText(), who,
                    event.path("action").asText(), event.path("rows").asText(""),
                    (event.hasNonNull("statement") ? event.get("statement").asText() : event.path("approval_id").asText())
                            + (event.path("decision").asText().equals("allow") ? "" : "  [" + refusedBy(event) + "]"));
        }
        ChainVerifier.Result check = ChainVerifier.verify(List.of(trail));
        System.out.println(check.problem() == null
                ? "hash chain intact over " + check.events() + " events (governed-jdbc audit verify " + trail + ")"
                : "hash chain BROKEN: " + check.problem());
    }

    /**
     * 6. The compliance report over both trails (the application's and the approver's):
     *    chain verification, decisions, masking, agents, who approved the DROP, the controls they evidence;
     *    an HTML page, its figures as JSON, and the evidence pack that bundles them with the policy.
     */
    private static void writeReport(Path trail, Path approverTrail) throws IOException {
        Path dir = trail.getParent();
        Path policy = dir.resolve("quickstart-policy.yaml");
        try (var in = Quickstart.class.getResourceAsStream("/quickstart-policy.yaml")) {
            Files.copy(in, policy);
        }
        String[] report = {"report", trail.toString(), approverTrail.toString(), "--out", dir.resolve("report.html").toString(),
            "--json", dir.resolve("report.json").toString(), "--pack", dir.resolve("evidence.zip").toString(),
            "--policy", policy.toString()};
        section("The compliance report: governed-jdbc " + String.join(" ", report));
        GovernedJdbcCli.commandLine().execute(report);
        System.out.println("open " + dir.resolve("report.html").toUri() + " in a browser (it works offline)");
    }

    /** Runs {@code sql}, or shows why governance refused it. */
    private static void attempt(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
            System.out.println("ran: " + sql);
        } catch (GovernanceException refused) {
            System.out.println("refused: " + sql);
            System.out.println("   [" + refused.getSQLState() + "] " + refused.getMessage());
        }
    }

    private static void insert(PreparedStatement insert, int id, String name, String email, String ssn) throws SQLException {
        insert.setInt(1, id);
        insert.setString(2, name);
        insert.setString(3, email);
        insert.setString(4, ssn);
        insert.addBatch();
    }

    private static void printCustomers(Connection db) throws SQLException {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, name, email, ssn FROM customers ORDER BY id")) {
            while (rs.next()) {
                System.out.printf("  %d  %-14s %-18s %s%n", rs.getInt("id"), rs.getString("name"),
                        rs.getString("email"), rs.getString("ssn"));
            }
        }
    }

    private static void section(String title) {
        System.out.println();
        System.out.println("== " + title);
    }
}
