package io.governed.jdbc.limits;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.policy.Policy;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code enforcement: observe}: a policy (or one rule) rolled out to watch before it bites. The same
 * corpus run under the policy enforced and observed gives the same decisions in the audit (deny
 * becomes would_deny, naming the same rules); observed, nothing is refused, and the results and the
 * database end exactly as with no policy in the way.
 */
class H2ObserveModeTest {
    private static final String RULES = String.join("\n",
            "default: deny",
            "rules:",
            "  - id: agents-read",
            "    effect: permit",
            "    principals: { kinds: [agent] }",
            "    actions: [select]",
            "    resources: [\"*\"]",
            "  - id: humans-work",
            "    effect: permit",
            "    principals: { kinds: [human] }",
            "    actions: [select, insert, update, delete]",
            "    resources: [\"*\"]",
            "  - id: no-unbounded-writes",
            "    effect: forbid",
            "    actions: [update, delete]",
            "    when: { where: absent }",
            "");
    private static final String ENFORCED = "version: 1\n" + RULES;
    private static final String OBSERVED = "version: 1\nenforcement: observe\n" + RULES;
    private static final String PERMIT_ALL = String.join("\n", "version: 1", "default: allow", "");

    private static final Identity AGENT = Identity.builder("agent-7").kind(IdentityKind.AGENT).build();
    private static final Identity HUMAN = Identity.human("alice");

    /** Who runs what; a corpus of reads, bounded and unbounded writes, by an agent and a person. */
    private static final List<Object[]> CORPUS = List.of(
            new Object[]{AGENT, "SELECT name FROM obs_items ORDER BY id"},
            new Object[]{AGENT, "UPDATE obs_items SET name = 'agent' WHERE id = 1"},
            new Object[]{AGENT, "INSERT INTO obs_items VALUES (10, 'ten')"},
            new Object[]{HUMAN, "UPDATE obs_items SET name = 'person' WHERE id = 2"},
            new Object[]{HUMAN, "DELETE FROM obs_items"},
            new Object[]{HUMAN, "INSERT INTO obs_items VALUES (11, 'eleven')"},
            new Object[]{AGENT, "SELECT COUNT(*) FROM obs_items"});

    /** What one run of the corpus left: each statement's outcome as the caller saw it, the table, and the audit. */
    private record Run(List<String> outcomes, List<String> table, List<AuditEvent> events) {
    }

    private Run run(String policyText) throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:observe-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        MemorySink sink = MemorySink.named("observe-" + UUID.randomUUID());
        AuditDispatcher dispatcher = AuditDispatcher.start(List.of(sink), AuditSettings.defaults());
        try (Connection raw = h2.getConnection()) {
            try (Statement s = raw.createStatement()) {
                s.execute("CREATE TABLE obs_items(id INT PRIMARY KEY, name VARCHAR(40))");
                s.execute("INSERT INTO obs_items VALUES (1, 'one'), (2, 'two'), (3, 'three')");
            }
            Policy policy = PolicyLoader.fromString("observe.yaml", policyText);
            GovernedDataSource governed = new GovernedDataSource(h2, Governance.builder().policy(policy).audit(dispatcher).build());
            List<String> outcomes = new ArrayList<>();
            for (Object[] entry : CORPUS) {
                outcomes.add(IdentityContext.runAs((Identity) entry[0], () -> outcome(governed, (String) entry[1])));
            }
            List<String> table = new ArrayList<>();
            try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT id, name FROM obs_items ORDER BY id")) {
                while (rs.next()) {
                    table.add(rs.getInt(1) + "=" + rs.getString(2));
                }
                s.execute("SHUTDOWN");
            }
            assertThat(dispatcher.flush(Duration.ofSeconds(5))).isTrue();
            return new Run(outcomes, table, sink.events());
        } finally {
            dispatcher.close();
        }
    }

    private static String outcome(GovernedDataSource governed, String sql) {
        try (Connection c = governed.getConnection(); Statement s = c.createStatement()) {
            if (!s.execute(sql)) {
                return "updated " + s.getUpdateCount();
            }
            try (ResultSet rs = s.getResultSet()) {
                List<String> values = new ArrayList<>();
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
                return "read " + values;
            }
        } catch (SQLException e) {
            return "refused " + e.getSQLState();
        }
    }

    /** Each event's statement and decision, with would_deny written as the deny it stands for. */
    private static List<String> decisions(List<AuditEvent> events) {
        return events.stream().map(e -> e.statement() + " -> "
                + (e.decision() == AuditDecision.WOULD_DENY ? "deny" : e.decision().externalName())).toList();
    }

    @Test
    void observedThePolicyRefusesNothingChangesNothingAndAuditsTheSameDecisions() throws SQLException {
        Run enforced = run(ENFORCED);
        Run observed = run(OBSERVED);
        Run unpoliced = run(PERMIT_ALL);

        assertThat(enforced.outcomes()).as("enforced, the policy refuses some of the corpus").contains("refused 42501");
        assertThat(observed.outcomes()).as("observed, it refuses nothing: the callers see what they see without it")
                .isEqualTo(unpoliced.outcomes());
        assertThat(observed.table()).as("and the database ends the same").isEqualTo(unpoliced.table());

        assertThat(decisions(observed.events())).as("the same decisions, statement by statement")
                .isEqualTo(decisions(enforced.events()));
        assertThat(observed.events()).filteredOn(e -> e.decision() == AuditDecision.WOULD_DENY)
                .extracting(e -> e.statement() + " " + e.rules())
                .containsExactlyElementsOf(enforced.events().stream().filter(e -> e.decision() == AuditDecision.DENY)
                        .map(e -> e.statement() + " " + e.rules()).toList());
        assertThat(observed.events()).filteredOn(e -> e.decision() == AuditDecision.WOULD_DENY)
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.reason()).startsWith("observe mode, not enforced"))
                .allSatisfy(e -> assertThat(e.durationUs()).as("it ran").isNotNull());
        assertThat(observed.events()).noneMatch(e -> e.decision() == AuditDecision.DENY);
    }

    @Test
    void oneRuleInObserveModeIsWatchedWhileTheRestIsEnforced() throws SQLException {
        String policy = ENFORCED.replace("    when: { where: absent }", "    when: { where: absent }\n    enforcement: observe");
        Run run = run(policy);
        assertThat(run.outcomes()).as("the agent's write is still refused (by the default), the unbounded delete runs")
                .containsExactly("read [one, two, three]", "refused 42501", "refused 42501", "updated 1", "updated 3",
                        "updated 1", "read [1]");
        assertThat(run.events()).filteredOn(e -> e.decision() == AuditDecision.WOULD_DENY).singleElement()
                .satisfies(e -> {
                    assertThat(e.action()).isEqualTo("delete");
                    assertThat(e.rules()).containsExactly("no-unbounded-writes");
                });
        assertThat(run.events()).filteredOn(e -> e.decision() == AuditDecision.DENY).hasSize(2);

        Run switched = run(policy.replace("enforcement: observe", "enforcement: enforce"));
        assertThat(switched.outcomes()).as("one line switches it to enforce").element(4).isEqualTo("refused 42501");
        assertThat(switched.events()).noneMatch(e -> e.decision() == AuditDecision.WOULD_DENY);
    }

    @Test
    void aMaskInObserveModeHandsOutValuesAndAuditsWhatItWouldHaveMasked() throws SQLException {
        String masked = ENFORCED + String.join("\n",
                "masks:",
                "  - id: hide-names",
                "    columns: { patterns: [\"*.obs_items.name\"] }",
                "    function: redact",
                "    unless: { kinds: [human] }",
                "    enforcement: observe",
                "");
        Run observed = run(masked);
        assertThat(observed.outcomes().get(0)).as("the agent reads the names in clear").isEqualTo("read [one, two, three]");
        assertThat(observed.events()).filteredOn(e -> e.decision() == AuditDecision.WOULD_MASK).singleElement()
                .satisfies(e -> {
                    assertThat(e.principal()).isEqualTo("agent-7");
                    assertThat(e.reason()).contains("would have masked").containsIgnoringCase("name")
                            .doesNotContain("one", "two", "three");
                    assertThat(e.maskedColumns()).isEmpty();
                });

        Run enforced = run(masked.replace("    enforcement: observe", "    enforcement: enforce"));
        assertThat(enforced.outcomes().get(0)).doesNotContain("one", "two", "three");
        assertThat(enforced.events()).noneMatch(e -> e.decision() == AuditDecision.WOULD_MASK);
    }
}
