package io.governed.jdbc.masking;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code token} mask end to end on H2: an agent sees typed, deterministic tokens it can join and
 * group on but that reveal no value; the person the mask exempts gets values back through the
 * {@link Detokenizer}, audited; the agent does not, not even acting for that person.
 */
class H2TokenMaskTest {
    private static final Identity ALICE = Identity.human("alice");
    private static final Identity AGENT = Identity.builder("support-agent").kind(IdentityKind.AGENT).build();
    private static final Identity AGENT_FOR_ALICE = Identity.builder("support-agent").kind(IdentityKind.AGENT)
            .onBehalfOf(ALICE).build();
    private static final List<String> EMAILS = List.of("ada@corp.test", "bo@corp.test", "cy@corp.test");

    @TempDir
    Path keys;
    private final MemorySink sink = MemorySink.named("tokens-" + UUID.randomUUID());
    private final String vault = "vault-" + UUID.randomUUID();
    private JdbcDataSource h2;
    private Connection raw;
    private AuditDispatcher dispatcher;

    @BeforeEach
    void database() throws SQLException, IOException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:tokens-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        raw = h2.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE customers(id INT PRIMARY KEY, email VARCHAR(80), birth DATE, balance BIGINT)");
            s.execute("INSERT INTO customers VALUES (1, 'ada@corp.test', DATE '1980-02-03', 1200),"
                    + " (2, 'bo@corp.test', DATE '1991-07-30', 55), (3, 'cy@corp.test', DATE '1975-12-01', 9000)");
            s.execute("CREATE TABLE orders(id INT PRIMARY KEY, customer_email VARCHAR(80), amount INT)");
            s.execute("INSERT INTO orders VALUES (10, 'ada@corp.test', 5), (11, 'cy@corp.test', 7), (12, 'ada@corp.test', 9),"
                    + " (13, 'bo@corp.test', 1)");
        }
        dispatcher = AuditDispatcher.start(List.of(sink), AuditSettings.defaults());
        Files.writeString(keys.resolve("token.key"), "0123456789abcdef0123456789abcdef");
        Files.writeString(keys.resolve("vault.key"), "fedcba9876543210fedcba9876543210");
        Files.writeString(keys.resolve("rotated.key"), "a-new-key-after-rotation-0123456");
    }

    @AfterEach
    void close() throws SQLException {
        dispatcher.close();
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private Policy policy(String tokenKey, String vaultKey) {
        return PolicyLoader.fromString("tokens.yaml", String.join("\n",
                "version: 1",
                "rules:",
                "  - id: read",
                "    effect: permit",
                "    actions: [select]",
                "    resources: [\"*\"]",
                "masks:",
                "  - id: customer-tokens",
                "    columns: { patterns: [\"*.customers.email\", \"*.orders.customer_email\", \"*.customers.birth\","
                        + " \"*.customers.balance\"] }",
                "    function: token",
                "    key-file: " + keys.resolve(tokenKey),
                "    vault-key-file: " + keys.resolve(vaultKey),
                "    vault: " + vault,
                "    unless: { names: [alice] }",
                "    deny-inference: []",
                ""));
    }

    private GovernedDataSource governed(Policy policy) {
        return new GovernedDataSource(h2, Governance.builder().policy(policy).audit(dispatcher).build());
    }

    /** Each row as its columns' getObject values, read as {@code identity}. */
    private List<List<Object>> read(GovernedDataSource ds, Identity identity, String sql) throws SQLException {
        return IdentityContext.runAs(identity, () -> {
            List<List<Object>> rows = new ArrayList<>();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        });
    }

    @Test
    void anAgentSeesTypedTokensThatRevealNoValueAndStayTheSame() throws SQLException {
        GovernedDataSource ds = governed(policy("token.key", "vault.key"));
        List<List<Object>> first = read(ds, AGENT, "SELECT email, birth, balance FROM customers ORDER BY id");
        assertThat(first).hasSize(3).allSatisfy(row -> {
            assertThat((String) row.get(0)).matches("tok_[0-9a-f]{16}@example\\.invalid");
            assertThat(row.get(1)).isInstanceOf(java.sql.Date.class);
            assertThat(row.get(2)).isInstanceOf(Long.class);
        });
        assertThat(first).extracting(r -> r.get(0)).doesNotHaveDuplicates().noneMatch(EMAILS::contains);
        assertThat(first).extracting(r -> r.get(2)).doesNotContain(1200L, 55L, 9000L);
        assertThat(first).extracting(r -> ((java.sql.Date) r.get(1)).toLocalDate())
                .doesNotContain(LocalDate.of(1980, 2, 3), LocalDate.of(1991, 7, 30), LocalDate.of(1975, 12, 1));
        assertThat(read(ds, AGENT, "SELECT email, birth, balance FROM customers ORDER BY id"))
                .as("the same key and scope give the same tokens").isEqualTo(first);

        IdentityContext.runAs(AGENT, () -> {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT email, birth, balance FROM customers WHERE id = 1")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(first.get(0).get(0));
                assertThat(rs.getObject(2, LocalDate.class)).isEqualTo(((java.sql.Date) first.get(0).get(1)).toLocalDate());
                assertThat(rs.getLong(3)).isEqualTo(first.get(0).get(2));
                assertThat(rs.getString(3)).isEqualTo(first.get(0).get(2).toString());
            }
            return null;
        });
        assertThat(read(ds, ALICE, "SELECT email FROM customers ORDER BY id")).extracting(r -> r.get(0))
                .as("the mask does not apply to alice").containsExactlyElementsOf(EMAILS);
    }

    @Test
    void joiningOnTokensAcrossTwoTablesGivesTheSamePairsAsJoiningOnValues() throws SQLException {
        GovernedDataSource ds = governed(policy("token.key", "vault.key"));
        Set<String> byValue = pairs(read(ds, ALICE, "SELECT id, email FROM customers"), read(ds, ALICE, "SELECT id, customer_email FROM orders"));
        Set<String> byToken = pairs(read(ds, AGENT, "SELECT id, email FROM customers"), read(ds, AGENT, "SELECT id, customer_email FROM orders"));
        assertThat(byToken).hasSize(4).isEqualTo(byValue);
        assertThat(read(ds, AGENT, "SELECT customer_email, COUNT(*) FROM orders GROUP BY customer_email"))
                .as("grouping on the column counts per token").hasSize(3);
    }

    private static Set<String> pairs(List<List<Object>> customers, List<List<Object>> orders) {
        Map<Object, Object> idByEmail = new HashMap<>();
        customers.forEach(r -> idByEmail.put(r.get(1), r.get(0)));
        Set<String> pairs = new HashSet<>();
        orders.forEach(r -> pairs.add(idByEmail.get(r.get(1)) + "-" + r.get(0)));
        return pairs;
    }

    @Test
    void detokenizationRestoresValuesOnlyForTheExemptIdentityAndIsAudited() throws SQLException {
        Policy policy = policy("token.key", "vault.key");
        GovernedDataSource ds = governed(policy);
        List<List<Object>> tokens = read(ds, AGENT, "SELECT email, birth, balance FROM customers ORDER BY id");
        Detokenizer detokenizer = Detokenizer.of(policy, "customer-tokens", dispatcher);

        assertThat(detokenizer.detokenize(ALICE, tokens.get(0).get(0))).isEqualTo("ada@corp.test");
        assertThat(detokenizer.detokenize(ALICE, tokens.get(1).get(2))).isEqualTo("55");
        assertThat(detokenizer.detokenize(ALICE, ((java.sql.Date) tokens.get(2).get(1)).toLocalDate())).isEqualTo("1975-12-01");
        for (Identity masked : List.of(AGENT, AGENT_FOR_ALICE)) {
            assertThatThrownBy(() -> detokenizer.detokenize(masked, tokens.get(0).get(0)))
                    .as(masked.describe()).isInstanceOf(SQLException.class)
                    .hasMessageContaining("customer-tokens").hasMessageNotContaining("ada").hasMessageNotContaining("tok_")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
        }
        assertThatThrownBy(() -> detokenizer.detokenize(ALICE, "tok_0000000000000000@example.invalid"))
                .as("a token the mask never handed out").extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22023");

        assertThat(dispatcher.flush(Duration.ofSeconds(5))).isTrue();
        List<AuditEvent> events = sink.events().stream().filter(e -> Detokenizer.ACTION.equals(e.action())).toList();
        assertThat(events).extracting(AuditEvent::decision).containsExactly(AuditDecision.ALLOW, AuditDecision.ALLOW,
                AuditDecision.ALLOW, AuditDecision.DENY, AuditDecision.DENY, AuditDecision.ERROR);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.rules()).containsExactly("customer-tokens");
            assertThat(e.toString()).doesNotContain("ada@", "tok_", "1975-12-01");
        });
    }

    @Test
    void rotatingTheTokenKeyGivesNewTokensAndRotatingTheVaultKeyLeavesOldTokensUnrestorable() throws SQLException {
        Policy before = policy("token.key", "vault.key");
        String oldToken = (String) read(governed(before), AGENT, "SELECT email FROM customers WHERE id = 1").get(0).get(0);

        Policy newTokens = policy("rotated.key", "vault.key");
        String newToken = (String) read(governed(newTokens), AGENT, "SELECT email FROM customers WHERE id = 1").get(0).get(0);
        assertThat(newToken).isNotEqualTo(oldToken).matches("tok_[0-9a-f]{16}@example\\.invalid");
        assertThat(Detokenizer.of(newTokens, "customer-tokens", null).detokenize(ALICE, oldToken))
                .as("the vault still restores tokens handed out under the old token key").isEqualTo("ada@corp.test");

        Policy newVaultKey = policy("token.key", "rotated.key");
        assertThatThrownBy(() -> Detokenizer.of(newVaultKey, "customer-tokens", null).detokenize(ALICE, oldToken))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22023");
    }
}
