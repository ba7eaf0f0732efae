package io.governed.jdbc.identity.token;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.MovableClock;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditEventJson;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.wrapper.GovernedConnection;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static io.governed.jdbc.identity.token.TestIssuer.AUDIENCE;
import static io.governed.jdbc.identity.token.TestIssuer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Verified identity through the governed driver on H2: the policy sees the verified principal, its groups,
 * an agent acting for a person; a service account connects with its token; the audit records how each
 * identity was established, never the token.
 */
class VerifiedIdentityEndToEndTest {
    private static final String POLICY = """
            version: 1
            default: deny
            classification:
              tags:
                pii.email: ["*.email"]
            rules:
              - id: verified-analysts-read
                effect: permit
                principals: { groups: [analysts], verified: true }
                actions: [select]
                resources: ["*"]
              - id: agents-read-for-a-human
                effect: permit
                principals: { kinds: [agent], on-behalf-of: required, verified: true }
                actions: [select]
                resources: ["*"]
              - id: services-of-our-issuer-write
                effect: permit
                principals: { kinds: [service], issuers: ["%s"] }
                actions: [select, insert]
                resources: ["*"]
            masks:
              - id: mask-email
                columns: { tags: [pii.email] }
                function: email
                unless: { groups: [pii-readers] }
            """.formatted(ISSUER);

    @TempDir
    static Path dir;
    private static TestIssuer idp;
    private static Path jwks;
    private static Path policy;
    private final String db = "jdbc:h2:mem:identity-e2e-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final String sink = "identity-e2e-" + UUID.randomUUID();
    private Connection raw;

    @BeforeAll
    static void issuer() throws Exception {
        idp = TestIssuer.create();
        jwks = idp.writeJwks(dir);
        policy = dir.resolve("policy.yaml");
        Files.writeString(policy, POLICY);
    }

    @BeforeEach
    void schema() throws SQLException {
        raw = DriverManager.getConnection(db);
        try (Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE identity_customers (id INT PRIMARY KEY, name VARCHAR(40), email VARCHAR(80))");
            st.execute("INSERT INTO identity_customers VALUES (1, 'Ada', 'ada@example.com')");
        }
    }

    @AfterEach
    void close() throws SQLException {
        try (Statement st = raw.createStatement()) {
            st.execute("DROP ALL OBJECTS");
        }
        raw.close();
    }

    private Properties settings(String... more) {
        Properties p = new Properties();
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.audit", "memory:" + sink);
        p.setProperty("governed.identity.jwks", jwks.toString());
        p.setProperty("governed.identity.issuer", ISSUER);
        p.setProperty("governed.identity.audience", AUDIENCE);
        for (int i = 0; i < more.length; i += 2) {
            p.setProperty(more[i], more[i + 1]);
        }
        return p;
    }

    private Connection connect(String... more) throws SQLException {
        return DriverManager.getConnection("jdbc:governed:" + db.substring("jdbc:".length()), settings(more));
    }

    /** A connection through a data source governed by {@code governance}, with the test's policy and audit sink. */
    private Connection governed(Governance.Builder governance) throws Exception {
        governance.policy(PolicyLoader.load(policy)).audit(AuditDispatcher.start("memory:" + sink, AuditSettings.defaults()));
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(db);
        return new GovernedDataSource(h2, governance.build()).getConnection();
    }

    private static String emailOf(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT email FROM identity_customers WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private List<AuditEvent> events(Connection c) throws SQLException {
        c.unwrap(GovernedConnection.class).governance().flushAudit();
        return MemorySink.named(sink).events();
    }

    private static String token(Map<String, Object> extra, String subject) {
        var claims = TestIssuer.claims(subject, Instant.now());
        extra.forEach(claims::claim);
        return idp.rs256(claims.build());
    }

    @Test
    void theSameStatementIsAllowedForAVerifiedAnalystAndRefusedForAnAssertedOne() throws Exception {
        String jwt = token(Map.of("groups", List.of("analysts")), "alice");
        try (Connection c = connect()) {
            TokenVerifier verifier = c.unwrap(GovernedConnection.class).governance().tokenVerifier();
            VerifiedToken verified = verifier.verify(jwt);

            String email = IdentityContext.runAs(verified, () -> emailOf(c));
            assertThat(email).as("allowed, and masked: alice is no pii-reader").isNotEqualTo("ada@example.com").contains("@example.com");

            Identity asserted = Identity.builder("alice").groups("analysts").build();
            assertThatThrownBy(() -> IdentityContext.runAs(asserted, () -> emailOf(c)))
                    .isInstanceOf(GovernanceException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));

            List<AuditEvent> events = events(c);
            AuditEvent allowed = events.get(events.size() - 2);
            AuditEvent denied = events.get(events.size() - 1);
            assertThat(allowed.principal()).isEqualTo("alice");
            assertThat(allowed.identitySource()).isEqualTo("verified");
            assertThat(allowed.identityIssuer()).isEqualTo(ISSUER);
            assertThat(allowed.identityKeyId()).isEqualTo(idp.rsa.getKeyID());
            assertThat(allowed.tokenId()).isEqualTo(verified.tokenId()).startsWith("jti-");
            assertThat(denied.identitySource()).isEqualTo("asserted");
            assertThat(denied.identityIssuer()).isNull();
            for (AuditEvent event : events) {
                String json = AuditEventJson.toJson(event);
                for (String part : jwt.split("\\.")) {
                    assertThat(json).as("no part of the token in the audit").doesNotContain(part);
                }
            }
        }
    }

    @Test
    void aTokenNamingTheMigrationPrincipalIsRefusedNotMadeAMigration() throws Exception {
        try (Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE legacy (id INT)");
        }
        TokenVerifier verifier = TokenVerifier.builder().jwks(jwks.toString()).issuer(ISSUER).audience(AUDIENCE).build();
        Governance governance = Governance.builder().policy(PolicyLoader.baseline()).withoutAudit()
                .migrationPrincipal("schema-owner").tokenVerifier(verifier).build();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(db);
        VerifiedToken user = verifier.verify(token(Map.of(), "schema-owner")); // a user who registered under that name
        VerifiedToken agent = verifier.verify(token(Map.of("act", Map.of("sub", "schema-owner")), "alice"));
        try (Connection c = new GovernedDataSource(h2, governance).getConnection(); Statement st = c.createStatement()) {
            for (VerifiedToken token : List.of(user, agent)) {
                assertThatThrownBy(() -> IdentityContext.runAs(token, () -> st.execute("DROP TABLE legacy")))
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).isEqualTo("28000");
                            assertThat(e.getMessage()).contains("governed.migration.principal");
                        });
            }
            IdentityContext.runAs(io.governed.identity.Identity.builder("schema-owner").build(),
                    () -> st.execute("SELECT 1")); // the application's own scope is trusted
        }
        try (ResultSet rs = raw.getMetaData().getTables(null, "PUBLIC", "LEGACY", null)) {
            assertThat(rs.next()).as("legacy still there").isTrue();
        }
    }

    @Test
    void aTokenNamingTheMigrationPrincipalSetAsTheConnectionsOrDefaultIdentityIsRefused() throws Exception {
        try (Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE legacy (id INT)");
        }
        TokenVerifier verifier = TokenVerifier.builder().jwks(jwks.toString()).issuer(ISSUER).audience(AUDIENCE).build();
        VerifiedToken user = verifier.verify(token(Map.of(), "schema-owner")); // a user who registered under that name
        VerifiedToken agent = verifier.verify(token(Map.of("act", Map.of("sub", "schema-owner")), "alice"));
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(db);
        for (VerifiedToken token : List.of(user, agent)) {
            Governance governance = Governance.builder().policy(PolicyLoader.baseline()).withoutAudit()
                    .migrationPrincipal("schema-owner").tokenVerifier(verifier).build();
            try (Connection c = new GovernedDataSource(h2, governance).getConnection(); Statement st = c.createStatement()) {
                c.unwrap(io.governed.jdbc.wrapper.GovernedConnection.class).setIdentity(token.identity());
                assertThatThrownBy(() -> st.execute("DROP TABLE legacy"))
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).isEqualTo("28000");
                            assertThat(e.getMessage()).contains("governed.migration.principal", "setIdentity");
                        });
                c.unwrap(io.governed.jdbc.wrapper.GovernedConnection.class)
                        .setIdentity(io.governed.identity.Identity.builder("schema-owner").build());
                st.execute("SELECT 1"); // the application's own identity is trusted
            }
            Governance byDefault = Governance.builder().policy(PolicyLoader.baseline()).withoutAudit()
                    .migrationPrincipal("schema-owner").tokenVerifier(verifier).defaultIdentity(token.identity()).build();
            try (Connection c = new GovernedDataSource(h2, byDefault).getConnection(); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.execute("DROP TABLE legacy"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28000"));
            }
        }
        try (ResultSet rs = raw.getMetaData().getTables(null, "PUBLIC", "LEGACY", null)) {
            assertThat(rs.next()).as("legacy still there").isTrue();
        }
    }

    @Test
    void theServiceTokenOfAMigrationConnectionMayNameTheMigrationPrincipal() throws Exception {
        try (Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE legacy (id INT)");
        }
        Properties p = settings("governed.identity.token", token(Map.of("gty", "client-credentials"), "schema-owner"),
                "governed.migration.principal", "schema-owner");
        p.setProperty("governed.policy", "classpath:io/governed/policy/baseline.yaml");
        try (Connection c = DriverManager.getConnection("jdbc:governed:" + db.substring("jdbc:".length()), p);
             Statement st = c.createStatement()) {
            st.execute("DROP TABLE legacy");
        }
        try (ResultSet rs = raw.getMetaData().getTables(null, "PUBLIC", "LEGACY", null)) {
            assertThat(rs.next()).as("dropped by the migration").isFalse();
        }
    }

    @Test
    void anIdentityThatOnlyClaimsToBeVerifiedIsTakenAsAsserted() throws Exception {
        try (Connection c = connect()) {
            VerifiedToken real = c.unwrap(GovernedConnection.class).governance().tokenVerifier()
                    .verify(token(Map.of("groups", List.of("analysts")), "alice"));
            Identity forged = Identity.builder("alice").groups("analysts")
                    .provenance(io.governed.identity.IdentityProvenance.verified(ISSUER, idp.rsa.getKeyID(), "jti-x", Instant.now().plusSeconds(600)))
                    .build();
            Identity copied = real.identity().toBuilder().purpose("reporting").build();

            for (Identity claimed : List.of(forged, copied)) {
                assertThatThrownBy(() -> IdentityContext.runAs(claimed, () -> emailOf(c)))
                        .as("verified-analysts-read needs an identity a verifier made").isInstanceOf(GovernanceException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
                AuditEvent denied = events(c).get(events(c).size() - 1);
                assertThat(denied.identitySource()).isEqualTo("asserted");
                assertThat(denied.identityIssuer()).isNull();
            }
            assertThat(IdentityContext.runAs(real, () -> emailOf(c))).as("the verifier's own identity").isNotNull();
        }
    }

    @Test
    void anAgentActingForAPersonSeesNoMoreThanThePersonNorMoreThanItself() throws Exception {
        String readerAgentForAlice = token(Map.of("groups", List.of("pii-readers"),
                "act", Map.of("sub", "agent-7", "groups", List.of("pii-readers"))), "alice");
        String readerAgentForBob = token(Map.of("act", Map.of("sub", "agent-7", "groups", List.of("pii-readers"))), "bob");
        String plainAgentForAlice = token(Map.of("groups", List.of("pii-readers"), "act", Map.of("sub", "agent-9")), "alice");
        try (Connection c = connect()) {
            TokenVerifier verifier = c.unwrap(GovernedConnection.class).governance().tokenVerifier();

            assertThat(IdentityContext.runAs(verifier.verify(readerAgentForAlice), () -> emailOf(c)))
                    .as("both the agent and alice may read e-mail addresses").isEqualTo("ada@example.com");
            assertThat(IdentityContext.runAs(verifier.verify(readerAgentForBob), () -> emailOf(c)))
                    .as("bob may not: the agent sees no more than he would").isNotEqualTo("ada@example.com");
            assertThat(IdentityContext.runAs(verifier.verify(plainAgentForAlice), () -> emailOf(c)))
                    .as("the agent may not, whoever it acts for").isNotEqualTo("ada@example.com");

            AuditEvent last = events(c).get(events(c).size() - 1);
            assertThat(last.principal()).isEqualTo("agent-9");
            assertThat(last.kind()).isEqualTo("agent");
            assertThat(last.onBehalfOf()).isEqualTo("alice");
            assertThat(last.identitySource()).isEqualTo("verified");
        }
    }

    @Test
    void aServiceAccountConnectsWithItsTokenAndAConnectionWithABadTokenIsRefused() throws Exception {
        var service = TestIssuer.claims("svc-billing", Instant.now()).claim("client_id", "svc-billing").build();
        try (Connection c = connect("governed.identity.token", idp.es256(service));
             Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO identity_customers VALUES (2, 'Bea', 'bea@example.com')");
            AuditEvent insert = events(c).get(events(c).size() - 1);
            assertThat(insert.principal()).isEqualTo("svc-billing");
            assertThat(insert.kind()).isEqualTo("service");
            assertThat(insert.identitySource()).isEqualTo("verified");
            assertThat(insert.identityKeyId()).isEqualTo(idp.ec.getKeyID());
        }
        try (Statement st = raw.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM identity_customers")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("the insert reached the database").isEqualTo(2);
        }
        var expired = TestIssuer.claims("svc-billing", Instant.now()).expirationTime(Date.from(Instant.now().minusSeconds(3600))).build();
        String expiredToken = idp.es256(expired);
        assertThatThrownBy(() -> connect("governed.identity.token", expiredToken).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("expired")
                .hasMessageNotContaining(expiredToken)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"));
    }

    @Test
    void connectionsWithDifferentServiceTokensEachRunAsTheirOwnService() throws Exception {
        String billing = idp.rs256(TestIssuer.claims("svc-billing", Instant.now()).claim("cid", "svc-billing").build());
        String shipping = idp.rs256(TestIssuer.claims("svc-shipping", Instant.now()).claim("cid", "svc-shipping").build());
        try (Connection first = connect("governed.identity.token", billing);
             Connection second = connect("governed.identity.token", shipping)) {
            try (Statement st = second.createStatement()) {
                st.executeUpdate("INSERT INTO identity_customers VALUES (7, 'Gil', 'gil@example.com')");
            }
            assertThat(events(second).get(events(second).size() - 1).principal()).isEqualTo("svc-shipping");
            try (Statement st = first.createStatement()) {
                st.executeUpdate("INSERT INTO identity_customers VALUES (8, 'Hal', 'hal@example.com')");
            }
            assertThat(events(first).get(events(first).size() - 1).principal()).isEqualTo("svc-billing");
        }
    }

    @Test
    void anExpiredServiceTokenRefusesStatementsUntilItsFileHoldsAFreshOne() throws Exception {
        Instant start = Instant.parse("2026-06-01T12:00:00Z");
        MovableClock clock = new MovableClock(start);
        Path tokenFile = dir.resolve("service-token-" + UUID.randomUUID());
        Files.writeString(tokenFile, idp.rs256(TestIssuer.claims("svc-billing", start).claim("cid", "svc-billing")
                .expirationTime(Date.from(start.plusSeconds(300))).build()));
        TokenVerifier verifier = TokenVerifier.builder().jwks(jwks.toString()).issuer(ISSUER).audience(AUDIENCE).clock(clock).build();
        Governance.Builder governance = Governance.builder().tokenVerifier(verifier).serviceToken("file:" + tokenFile);
        String alicesToken = idp.rs256(TestIssuer.claims("alice", start).claim("groups", List.of("analysts")).build());

        try (Connection c = governed(governance); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO identity_customers VALUES (3, 'Cy', 'cy@example.com')");
            VerifiedToken alice = verifier.verify(alicesToken);

            clock.advance(Duration.ofHours(2));
            assertThatThrownBy(() -> st.executeUpdate("INSERT INTO identity_customers VALUES (4, 'Di', 'di@example.com')"))
                    .isInstanceOf(InvalidTokenException.class)
                    .hasMessageContaining("expired")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"));
            assertThatThrownBy(() -> IdentityContext.runAs(alice, () -> emailOf(c)))
                    .as("a scope of a token that has expired since").isInstanceOf(InvalidTokenException.class)
                    .hasMessageContaining("expired");
            AuditEvent refused = events(c).get(events(c).size() - 1);
            assertThat(refused.decision()).isEqualTo(io.governed.jdbc.audit.AuditDecision.DENY);
            assertThat(refused.reason()).startsWith("Token refused: the token has expired");
            assertThat(refused.identitySource()).as("no identity was established").isNull();

            Files.writeString(tokenFile, idp.rs256(TestIssuer.claims("svc-billing", clock.instant()).claim("cid", "svc-billing").build()));
            st.executeUpdate("INSERT INTO identity_customers VALUES (5, 'Ed', 'ed@example.com')");
        }
        try (Statement st = raw.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM identity_customers ORDER BY id")) {
            List<Integer> ids = new java.util.ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
            assertThat(ids).as("the statement refused for the expired token never ran").containsExactly(1, 3, 5);
        }
    }

    @Test
    void aResolverThatCannotVouchForItsCallerRefusesTheStatementInsteadOfFallingBack() throws Exception {
        Governance.Builder governance = Governance.builder()
                .defaultIdentity(Identity.builder("fallback").groups("analysts").build())
                .identityResolver(() -> {
                    throw new io.governed.jdbc.identity.IdentityRefusedException(
                            new InvalidTokenException(TokenRefusal.BAD_SIGNATURE, null));
                });
        try (Connection c = governed(governance); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM identity_customers WHERE id = 1"))
                    .isInstanceOf(InvalidTokenException.class)
                    .hasMessageContaining("signature")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"));
        }
        try (Statement st = raw.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM identity_customers")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("nothing ran").isEqualTo(1);
        }
    }
}
