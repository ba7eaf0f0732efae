package io.governed.jdbc.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.governed.identity.Identity;
import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.approval.ApprovalStores;
import io.governed.jdbc.approval.AuditingApprovalStore;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.SharedAuditDispatchers;
import io.governed.jdbc.support.CliRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The compliance report as a person sees it: a trail written by the governed driver on H2, the
 * page {@code governed-jdbc report} makes of it, opened in headless Chromium through the system's
 * chromedriver (nothing is downloaded). The page renders its sections and charts, its filters hide
 * rows and change the count, and loading it sends no request: Chromium is started with every
 * request, loopback included, routed through a proxy this test runs, and the proxy hears nothing
 * until the test itself asks for a page through it.
 *
 * <p>Without Chromium and chromedriver the class is skipped, or fails when the environment variable
 * {@code CI} is {@code true}. With {@code -Dreport.screenshot=PATH} the rendered page is also saved
 * there as a PNG (the README's picture is made that way).
 */
@ExtendWith(ReportInBrowserIT.ChromiumInstalled.class)
class ReportInBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String POLICY = """
            version: 1
            default: deny
            classification:
              tags:
                pii.email: ["*.email"]
            rules:
              - id: dba-all
                effect: permit
                principals: { groups: [dba] }
                actions: ["*"]
                resources: ["*"]
              - id: analysts-read
                effect: permit
                principals: { groups: [analysts] }
                actions: [select]
                resources: ["*"]
              - id: no-payroll
                effect: forbid
                actions: ["*"]
                resources: ["*.browser_payroll"]
                unless: { groups: [dba] }
                message: Payroll is for the DBA team only
              - id: no-delete
                effect: forbid
                actions: [delete]
                resources: ["*"]
                unless: { groups: [dba] }
              - id: analysts-refund
                effect: permit
                principals: { groups: [analysts] }
                actions: [insert]
                resources: ["*.browser_refunds"]
              - id: agents-read-for-a-human
                effect: permit
                principals: { kinds: [agent], on-behalf-of: required }
                actions: [select]
                resources: ["*.browser_customers"]
            masks:
              - id: mask-email
                columns: { tags: [pii.email] }
                function: email
                unless: { groups: [pii-readers] }
            approvals:
              - id: refunds-need-approval
                actions: [insert]
                resources: ["*.browser_refunds"]
                approvers: { names: [dana] }
                ttl: 1h
            """;

    @TempDir
    static Path dir;
    static Path policy;
    static Path trail;
    static Path page;
    static int allowed;
    static int denied;
    static int pending;
    static int approvalEvents;
    static String refundRequest;
    static RecordingProxy proxy;
    static RecordingProxy chatter;
    static BrowserDevTools devtools;
    static WebDriver browser;

    @BeforeAll
    static void writeATrailReportItAndOpenThePage() throws Exception {
        policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        trail = dir.resolve("audit.jsonl");
        runStatements();
        assertThat(SharedAuditDispatchers.get("jsonl:" + trail, AuditSettings.defaults()).flush(Duration.ofSeconds(10))).isTrue();
        page = dir.resolve("report.html");
        CliRun run = CliRun.of("report", trail.toString(), "--out", page.toString(), "--policy", policy.toString());
        assertThat(run.code()).as(run.err()).isZero();

        proxy = new RecordingProxy();
        chatter = new RecordingProxy();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage",
                "--window-size=1280,2600",
                // the browser's own services (update checks, time, accounts) go to a proxy nobody checks
                "--proxy-server=http://127.0.0.1:" + chatter.port(),
                "--proxy-bypass-list=<-loopback>");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        browser = chrome;
        // the page opens in a browser context of its own whose every request, to loopback included, goes
        // through the proxy the tests check (a browser context is made on the browser's DevTools endpoint)
        devtools = new BrowserDevTools(URI.create(String.valueOf(chrome.getCapabilities().getCapability("se:cdp"))));
        String context = devtools.call("Target.createBrowserContext", Map.of(
                "proxyServer", "http://127.0.0.1:" + proxy.port(), "proxyBypassList", "<-loopback>")).path("browserContextId").asText();
        String tab = devtools.call("Target.createTarget", Map.of("url", "about:blank", "browserContextId", context))
                .path("targetId").asText();
        browser.switchTo().window(tab);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        browser.get(page.toUri().toString());
    }

    /**
     * Decided before any set-up runs: without Chromium or chromedriver the class is skipped, with a
     * message that says how to install them, or fails when {@code CI} is {@code true}.
     */
    static final class ChromiumInstalled implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
                return ConditionEvaluationResult.enabled(CHROMIUM + " and " + CHROMEDRIVER + " are installed");
            }
            String missing = CHROMIUM + " or " + CHROMEDRIVER + " is missing, so the report is not opened in a browser:"
                    + " 'apt-get install -y chromium chromium-driver' installs them (.ci/run does)";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(missing + ". CI=true, so this fails instead of skipping.");
            }
            return ConditionEvaluationResult.disabled(missing);
        }
    }

    /** Commands sent to the browser itself (not to a page) over its DevTools WebSocket. */
    static final class BrowserDevTools implements WebSocket.Listener, AutoCloseable {
        private final ObjectMapper json = new ObjectMapper();
        private final Map<Integer, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();
        private final WebSocket socket;
        private int next;

        BrowserDevTools(URI endpoint) {
            socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(endpoint, this).join();
        }

        JsonNode call(String method, Map<String, Object> params) throws Exception {
            int id = ++next;
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            answers.put(id, answer);
            socket.sendText(json.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true).join();
            JsonNode reply = answer.get(30, TimeUnit.SECONDS);
            assertThat(reply.has("error")).as(method + " answered " + reply).isFalse();
            return reply.path("result");
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = json.readTree(partial.toString());
                    CompletableFuture<JsonNode> answer = answers.remove(message.path("id").asInt(-1));
                    if (answer != null) {
                        answer.complete(message);
                    }
                } catch (IOException e) {
                    answers.values().forEach(a -> a.completeExceptionally(e));
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        }
    }

    /**
     * A proxy on loopback that notes the first line of every request it is sent: {@code GET http://…}
     * for plain HTTP, {@code CONNECT host:443} for HTTPS (which it refuses). A plain request is
     * answered with a short text page.
     */
    static final class RecordingProxy implements AutoCloseable {
        final List<String> seen = new CopyOnWriteArrayList<>();
        private final ServerSocket socket;

        RecordingProxy() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accepting = new Thread(this::accept, "recording-proxy");
            accepting.setDaemon(true);
            accepting.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                    client.setSoTimeout(10_000);
                    BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.ISO_8859_1));
                    String first = in.readLine();
                    if (first == null) {
                        continue;
                    }
                    seen.add(first.replaceFirst(" HTTP/1\\.[01]$", ""));
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        // the request's headers
                    }
                    String body = "seen by the test's proxy";
                    String answer = first.startsWith("CONNECT ") ? "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            : "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                            + "\r\nConnection: close\r\n\r\n" + body;
                    client.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    // a connection that broke off, or the proxy closing: nothing to note
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static void runStatements() throws SQLException, IOException {
        String url = "jdbc:governed:h2:mem:report_browser;DB_CLOSE_DELAY=-1";
        try (Connection dba = connect(url, "dana", "dba", "setup"); Statement s = dba.createStatement()) {
            s.execute("CREATE TABLE browser_customers (id INT PRIMARY KEY, email VARCHAR(100))");
            s.execute("CREATE TABLE browser_payroll (id INT PRIMARY KEY, salary INT)");
            s.executeUpdate("INSERT INTO browser_customers VALUES (1, 'ann@example.com'), (2, 'bob@example.com')");
            s.execute("CREATE TABLE browser_refunds (id INT PRIMARY KEY, amount INT)");
            s.executeUpdate("INSERT INTO browser_payroll VALUES (1, 100)");
            try (ResultSet rs = s.executeQuery("SELECT salary FROM browser_payroll")) {
                rs.next();
            }
            allowed += 6;
        }
        try (Connection alice = connect(url, "alice", "analysts", "billing"); Statement s = alice.createStatement()) {
            for (int i = 0; i < 3; i++) {
                try (ResultSet rs = s.executeQuery("SELECT id, email FROM browser_customers")) {
                    while (rs.next()) {
                        // every row, so the event counts them
                    }
                }
                allowed++;
            }
            assertThatThrownBy(() -> s.executeQuery("SELECT salary FROM browser_payroll")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM browser_customers")).isInstanceOf(SQLException.class);
            denied += 2;

            // a refund waits for approval: alice asks, dana approves through the approval store, alice runs it
            String refund = "INSERT INTO browser_refunds VALUES (1, 40)";
            ApprovalPendingException waiting = catchThrowableOfType(ApprovalPendingException.class, () -> s.executeUpdate(refund));
            assertThat((Throwable) waiting).as("the refund waits for approval").isNotNull();
            refundRequest = waiting.approvalRequestId();
            pending++;
            AuditingApprovalStore approvers = new AuditingApprovalStore(ApprovalStores.open("memory", null, null),
                    SharedAuditDispatchers.get("jsonl:" + trail, AuditSettings.defaults()));
            approvers.approve(refundRequest, Identity.human("dana"));
            assertThat(s.executeUpdate(refund)).as("the approved refund runs").isOne();
            allowed++;
            approvalEvents += 3; // requested, approved, used up
        }
        try (Connection bob = connect(url, "bob", "analysts", "support"); Statement s = bob.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT id FROM browser_payroll")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.executeQuery("SELECT salary FROM browser_payroll WHERE id = 1")).isInstanceOf(SQLException.class);
            denied += 2;
            try (ResultSet rs = s.executeQuery("SELECT id FROM browser_customers WHERE id = 2")) {
                rs.next();
            }
            allowed++;
        }
        // an AI agent reads for a person, with a purpose of its own
        try (Connection agent = connect(url, "digest-agent", null, "weekly digest", "alice"); Statement s = agent.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, email FROM browser_customers")) {
            while (rs.next()) {
                assertThat(rs.getString(2)).as("masked for the agent").doesNotContain("ann@");
            }
            allowed++;
        }
    }

    private static Connection connect(String url, String principal, String groups, String purpose) throws SQLException {
        return connect(url, principal, groups, purpose, null);
    }

    /** A connection as {@code principal}; with {@code onBehalfOf}, an agent acting for that person. */
    private static Connection connect(String url, String principal, String groups, String purpose, String onBehalfOf)
            throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.audit", "jsonl:" + trail);
        p.setProperty("governed.approvals", "memory");
        p.setProperty("governed.principal", principal);
        if (groups != null) {
            p.setProperty("governed.groups", groups);
        }
        p.setProperty("governed.purpose", purpose);
        if (onBehalfOf != null) {
            p.setProperty("governed.kind", "agent");
            p.setProperty("governed.on-behalf-of", onBehalfOf);
        }
        return DriverManager.getConnection(url, p);
    }

    @AfterAll
    static void closeTheBrowser() throws IOException {
        if (devtools != null) {
            devtools.close();
        }
        if (browser != null) {
            browser.quit();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (chatter != null) {
            chatter.close();
        }
    }

    @Test
    void thePageRendersItsTitleAndSections() throws Exception {
        assertThat(browser.getTitle()).isEqualTo("Audit evidence report");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Audit evidence report");
        List<String> headings = browser.findElements(By.tagName("h2")).stream().map(WebElement::getText).toList();
        assertThat(headings).contains("Hash chain verification", "Statements by decision", "Denials by rule",
                "Sensitive data access", "Statements per identity, table and decision", "Controls and their evidence");
        assertThat(browser.findElement(By.cssSelector("#verification + p")).getText()).isEqualTo("Every chain is intact.");
        List<WebElement> totals = browser.findElements(By.cssSelector("#totals + table tr:nth-child(2) td"));
        assertThat(totals.get(0).getText()).as("events").isEqualTo(String.valueOf(allowed + denied + pending + approvalEvents));
        assertThat(totals.get(1).getText()).as("allow").isEqualTo(String.valueOf(allowed));
        assertThat(totals.get(2).getText()).as("deny").isEqualTo(String.valueOf(denied));
        assertThat(totals.get(3).getText()).as("pending_approval").isEqualTo(String.valueOf(pending));
        assertThat(totals.get(7).getText()).as("approval events").isEqualTo(String.valueOf(approvalEvents));

        String screenshot = System.getProperty("report.screenshot");
        Path png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
        if (screenshot != null && !screenshot.isBlank()) {
            Path target = Path.of(screenshot).toAbsolutePath();
            Files.createDirectories(target.getParent());
            Files.copy(png, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void theChartsAreDrawnFromTheEvents() {
        WebElement timeline = browser.findElement(By.id("chart-timeline"));
        assertThat(timeline.getSize().getWidth()).isPositive();
        long charted = 0;
        Pattern count = Pattern.compile(" (allow|deny|pending_approval|error|would_deny|would_mask): (\\d+)$");
        for (WebElement bar : timeline.findElements(By.tagName("rect"))) {
            assertThat(bar.getSize().getHeight()).as("each bar has a height on screen").isPositive();
            String title = bar.findElement(By.tagName("title")).getAttribute("textContent");
            Matcher m = count.matcher(title);
            assertThat(m.find()).as(title).isTrue();
            charted += Long.parseLong(m.group(2));
        }
        assertThat(charted).as("the timeline's bars add up to every statement").isEqualTo(allowed + denied + pending);

        WebElement denials = browser.findElement(By.id("chart-denials"));
        List<String> labels = denials.findElements(By.tagName("text")).stream().map(WebElement::getText).toList();
        assertThat(labels).containsExactly("no-payroll", "3", "no-delete", "1");
        List<WebElement> bars = denials.findElements(By.tagName("rect"));
        assertThat(bars).hasSize(2);
        assertThat(bars.get(0).getSize().getWidth()).as("3 denials draw a longer bar than 1")
                .isGreaterThan(bars.get(1).getSize().getWidth()).isPositive();
    }

    @Test
    void theApprovalsTableShowsWhoAskedAndWhoApproved() {
        List<WebElement> requests = browser.findElements(By.cssSelector("#approvals + p + table tr[data-f]"));
        assertThat(requests).hasSize(1);
        List<String> cells = requests.get(0).findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        assertThat(cells.get(0)).isEqualTo(refundRequest);
        assertThat(cells.get(1)).as("requested by").isEqualTo("alice");
        assertThat(cells.get(3)).as("action").isEqualTo("insert");
        assertThat(cells.get(5)).as("approval rule").isEqualTo("refunds-need-approval");
        assertThat(cells.get(7)).as("approved or denied by").startsWith("approved by dana (asserted) at ");
        assertThat(cells.get(10)).as("status").isEqualTo("consumed");
        List<String> byRule = browser.findElements(By.xpath("//h2[@id='approvals']/following-sibling::table[2]//tr[td]")).stream()
                .map(WebElement::getText).toList();
        assertThat(byRule).as("per approval rule: sent, ran after approval, denied, failed")
                .containsExactly("refunds-need-approval 1 1 0 0");
    }

    @Test
    void theAgentsTableShowsWhomTheAgentActedFor() {
        List<String> agents = browser.findElements(By.cssSelector("#agents + table tr[data-f]")).stream()
                .map(r -> r.findElements(By.tagName("td")).stream().limit(4).map(WebElement::getText)
                        .reduce((a, b) -> a + " " + b).orElse(""))
                .toList();
        assertThat(agents).containsExactly("digest-agent agent alice 1");
        assertThat(browser.findElement(By.id("sensitive")).findElement(By.xpath("following-sibling::table")).getText())
                .contains("digest-agent weekly digest");
    }

    @Test
    void theFiltersHideRowsAndChangeTheCount() {
        WebElement identity = browser.findElement(By.id("f-identity"));
        WebElement table = browser.findElement(By.id("f-table"));
        Select decision = new Select(browser.findElement(By.id("f-decision")));
        try {
            List<String> everything = accessRows();
            assertThat(everything).contains("alice BROWSER_CUSTOMERS allow 3", "alice BROWSER_PAYROLL deny 1",
                    "bob BROWSER_PAYROLL deny 2", "bob BROWSER_CUSTOMERS allow 1");
            String allShown = count();

            identity.sendKeys("ALI");
            assertThat(accessRows()).isNotEmpty().allSatisfy(r -> assertThat(r).startsWith("alice "));
            assertThat(count()).isNotEqualTo(allShown);

            table.sendKeys("payroll");
            assertThat(accessRows()).containsExactly("alice BROWSER_PAYROLL deny 1");

            identity.clear();
            table.clear();
            decision.selectByVisibleText("deny");
            assertThat(accessRows()).containsExactlyInAnyOrder("alice BROWSER_PAYROLL deny 1", "alice BROWSER_CUSTOMERS deny 1",
                    "bob BROWSER_PAYROLL deny 2");
            assertThat(browser.findElements(By.cssSelector("#denials + svg + table tr[data-f]")).stream()
                    .filter(WebElement::isDisplayed).count()).as("the rule table of denials stays").isEqualTo(2);

            decision.selectByVisibleText("any");
            assertThat(accessRows()).isEqualTo(everything);
            assertThat(count()).isEqualTo(allShown);
        } finally {
            identity.clear();
            table.clear();
            decision.selectByVisibleText("any");
        }
    }

    @Test
    void loadingThePageSendsNoRequestAndThePageCannotSendOne() {
        assertThat(proxy.seen).as("requests that reached the proxy while the page loaded and was used").isEmpty();
        Object refused = ((JavascriptExecutor) browser).executeAsyncScript(
                "var done=arguments[arguments.length-1];"
                        + "fetch('http://127.0.0.1:8089/from-the-page',{mode:'no-cors'}).then(function(){done('sent');},function(){done('refused');});");
        assertThat(refused).as("the page's Content-Security-Policy forbids requests").isEqualTo("refused");
        assertThat(proxy.seen).isEmpty();

        // the proxy does hear what the page's browser context sends, over HTTP and HTTPS alike
        String report = browser.getCurrentUrl();
        try {
            browser.get("http://127.0.0.1:8089/opened-by-the-test");
            assertThat(browser.findElement(By.tagName("body")).getText()).isEqualTo("seen by the test's proxy");
            try {
                browser.get("https://example.org/opened-by-the-test");
            } catch (WebDriverException e) {
                // refused by the proxy: the browser shows its error page
            }
            assertThat(proxy.seen).contains("GET http://127.0.0.1:8089/opened-by-the-test", "CONNECT example.org:443");
        } finally {
            browser.get(report);
            proxy.seen.clear();
        }
    }

    /** The rows of the per-identity table the filters leave shown, as "identity table decision statements". */
    private static List<String> accessRows() {
        return browser.findElements(By.cssSelector("#access + table tr[data-f]")).stream().filter(WebElement::isDisplayed)
                .map(r -> r.findElements(By.tagName("td")).stream().limit(4).map(WebElement::getText)
                        .reduce((a, b) -> a + " " + b).orElse(""))
                .toList();
    }

    private static String count() {
        return browser.findElement(By.id("f-count")).getText();
    }
}
