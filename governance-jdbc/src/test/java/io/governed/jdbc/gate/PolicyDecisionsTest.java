package io.governed.jdbc.gate;

import io.governed.identity.Identity;
import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.policy.Decision;
import io.governed.policy.Policy;
import io.governed.policy.engine.PolicyEngine;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A decision is reused for the same statement text and identity only where it cannot change. */
class PolicyDecisionsTest {
    private static final String POLICY = String.join("\n",
            "version: 1",
            "default: deny",
            "rules:",
            "  - id: everyone-reads-and-writes",
            "    effect: permit",
            "    actions: [select, insert, update, delete, create, alter]",
            "    resources: [\"*\"]",
            "approvals:",
            "  - id: schema-change",
            "    actions: [alter]",
            "    resources: [\"*\"]",
            "    approvers: { groups: [dba] }",
            "    ttl: 1h",
            "");

    private final Policy policy = PolicyLoader.fromString("decisions.yaml", POLICY);
    private final PolicyEngine engine = new PolicyEngine(policy);
    private final PolicyDecisions decisions = new PolicyDecisions(engine, new SqlAnalyzer());
    private final Identity alice = Identity.human("alice");

    private Decision decide(SqlText sql, Identity identity) {
        return decisions.decide(GateRequest.of(identity, sql, CallKind.QUERY, Dialect.H2, "gc-test", io.governed.jdbc.session.SessionNames.fixed("PUBLIC")));
    }

    @Test
    void theSameTextAndIdentityReuseTheDecision() {
        SqlText sql = new SqlText("SELECT * FROM items WHERE id = ?");
        Decision first = decide(sql, alice);
        assertThat(first.allowed()).isTrue();
        assertThat(decide(sql, alice)).isSameAs(first);
    }

    @Test
    void underMasksThatValueDetectionFeedsAnAllowIsDecidedAgainEveryTime() {
        Policy masking = PolicyLoader.fromString("detecting.yaml", POLICY.replace("approvals:", String.join("\n",
                "classification:",
                "  auto-detect: true",
                "  tags:",
                "    secret: [\"*.api_key\"]",
                "masks:",
                "  - id: hide-secrets",
                "    columns: { tags: [secret] }",
                "    function: redact",
                "approvals:")));
        PolicyDecisions detecting = new PolicyDecisions(new PolicyEngine(masking), new SqlAnalyzer());
        SqlText sql = new SqlText("INSERT INTO archive (id) SELECT id FROM items");
        GateRequest request = GateRequest.of(alice, sql, CallKind.UPDATE, Dialect.H2, "gc-test", io.governed.jdbc.session.SessionNames.fixed("PUBLIC"));
        Decision first = detecting.decide(request);
        assertThat(first.allowed()).as("nothing known to be secret is copied yet").isTrue();
        assertThat(detecting.decide(request)).as("a column may be found secret later").isNotSameAs(first);
    }

    /** A catalog in which user code shadows {@code initcap}, counting how often a text is looked at. */
    private static final class Shadowing implements io.governed.sql.RoutineCatalog {
        int looks;

        @Override
        public boolean isBuiltIn(io.governed.sql.TableRef routine) {
            return false;
        }

        @Override
        public String shadowedBuiltInIn(String sql) {
            looks++;
            return sql.contains("initcap") ? "initcap" : null;
        }
    }

    private Decision decide(SqlText sql, io.governed.sql.RoutineCatalog catalog) {
        GateRequest plain = GateRequest.of(alice, sql, CallKind.QUERY, Dialect.POSTGRESQL, "gc-test",
                io.governed.jdbc.session.SessionNames.fixed("public"));
        return decisions.decide(new GateRequest() {
            @Override public Identity identity() { return plain.identity(); }
            @Override public SqlText sql() { return plain.sql(); }
            @Override public CallKind callKind() { return plain.callKind(); }
            @Override public Dialect dialect() { return plain.dialect(); }
            @Override public String connectionId() { return plain.connectionId(); }
            @Override public io.governed.jdbc.session.SessionNames names() { return plain.names(); }
            @Override public io.governed.sql.RoutineCatalog routines() { return catalog; }
        });
    }

    @Test
    void aTextNamingShadowedCodeIsRefusedUnderThatCatalogAndLookedAtOncePerCatalog() {
        Shadowing catalog = new Shadowing();
        SqlText shadowed = new SqlText("SELECT initcap(name) FROM items");
        Decision refused = decide(shadowed, catalog);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.reason()).contains("initcap").contains("pg_catalog.name");
        assertThat(decide(shadowed, catalog)).isSameAs(refused);
        SqlText plain = new SqlText("SELECT name FROM items");
        assertThat(decide(plain, catalog).allowed()).isTrue();
        decide(plain, catalog);
        assertThat(catalog.looks).as("each text looked at once under one catalog").isEqualTo(2);

        assertThat(decide(plain, io.governed.sql.RoutineCatalog.NONE).allowed()).as("another catalog decides afresh")
                .isTrue();
        Shadowing later = new Shadowing();
        assertThat(decide(shadowed, later).allowed()).isFalse();
        assertThat(later.looks).isEqualTo(1);
    }

    @Test
    void anotherIdentityIsDecidedAfresh() {
        SqlText sql = new SqlText("SELECT * FROM items WHERE id = ?");
        Decision forAlice = decide(sql, alice);
        Decision forBob = decide(sql, Identity.human("bob"));
        assertThat(forBob).isNotSameAs(forAlice).isEqualTo(forAlice);
    }

    @Test
    void aStatementAnApprovalCoversIsDecidedAtEveryExecutionSoOneApprovalAllowsOneRunAndPreparingUsesNone() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:approvals-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection raw = h2.getConnection(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE items(id INT PRIMARY KEY)");
        }
        Governance governance = Governance.builder().decisionFunction(decisions).defaultIdentity(alice).build();
        Identity dora = Identity.builder("dora").groups("dba").build();
        try (Connection c = new GovernedDataSource(h2, governance).getConnection()) {
            String alter = "ALTER TABLE items ADD COLUMN IF NOT EXISTS note VARCHAR(10)";
            PreparedStatement ps = c.prepareStatement(alter); // its values are not bound yet: approval is checked when it runs
            assertThat(engine.approvalStore().list(java.util.EnumSet.allOf(io.governed.policy.approval.ApprovalStatus.class)))
                    .as("preparing makes no request").isEmpty();
            ApprovalPendingException pending = catchThrowableOfType(ApprovalPendingException.class, ps::execute);
            assertThat(pending.getSQLState()).as("not the denial's 42501").isEqualTo("XGA01");
            assertThat(pending.getMessage()).contains("To approve it: governed-jdbc approvals approve " + pending.approvalRequestId());
            engine.approvalStore().approve(pending.approvalRequestId(), dora);
            ps.execute();
            assertThat(c.getMetaData().getColumns(null, null, "ITEMS", "NOTE").next()).as("the approved ALTER ran").isTrue();
            ApprovalPendingException again = catchThrowableOfType(ApprovalPendingException.class, ps::execute);
            assertThat(again.approvalRequestId()).as("one approval, one execution: a new request").isNotEqualTo(pending.approvalRequestId());
            engine.approvalStore().approve(again.approvalRequestId(), dora);
            ps.execute();
        }
    }
}
