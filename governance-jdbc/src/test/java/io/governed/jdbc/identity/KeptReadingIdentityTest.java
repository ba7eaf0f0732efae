package io.governed.jdbc.identity;

import io.governed.identity.Identity;
import io.governed.identity.IdentityProvenance;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.wrapper.GovernedConnection;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A result set asks who reads it at every value, and keeps the answer only while nothing it follows from can change:
 * a connection identity set between two values, or a resolver's new answer, is the one the next value is masked for.
 */
class KeptReadingIdentityTest {
    private static final String SSN = "219-45-6789";
    private static final Identity READER = Identity.builder("rita").groups("ssn-readers").build();
    private static final Identity OUTSIDER = Identity.human("otto");
    /** Every statement may read; {@code *.ssn} is redacted unless the reader is in {@code ssn-readers}. */
    static final String POLICY = """
            version: 1
            default: deny
            classification:
              auto-detect: false
              tags:
                pii.ssn: ["*.ssn"]
            rules:
              - { id: read, effect: permit, actions: [select], resources: ["*"] }
            masks:
              - id: mask-ssn
                columns: { tags: [pii.ssn] }
                function: redact
                unless: { groups: [ssn-readers] }
            """;

    private static Connection governed(Governance.Builder builder) throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:kept-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection raw = h2.getConnection(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE people (id INT PRIMARY KEY, ssn VARCHAR(20))");
            s.execute("INSERT INTO people VALUES (1, '" + SSN + "')");
        }
        Governance governance = builder.policy(PolicyLoader.fromString("kept.yaml", POLICY)).withoutAudit().build();
        return new GovernedDataSource(h2, governance).getConnection();
    }

    @Test
    void aConnectionIdentitySetBetweenTwoValuesIsTheOneTheNextIsMaskedFor() throws SQLException {
        try (Connection c = governed(Governance.builder().defaultIdentity(READER)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ssn FROM people")) {
            GovernedConnection governed = c.unwrap(GovernedConnection.class);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(SSN);
            assertThat(rs.getString(1)).isEqualTo(SSN);
            governed.setIdentity(OUTSIDER);
            assertThat(rs.getString(1)).isEqualTo("****");
            assertThat(rs.getString(1)).isEqualTo("****");
            governed.setIdentity(null);
            assertThat(rs.getString(1)).as("the default identity again").isEqualTo(SSN);
            governed.setIdentity(Identity.builder("rita").groups("ssn-readers").build());
            assertThat(rs.getString(1)).as("an equal identity").isEqualTo(SSN);
            governed.setIdentity(OUTSIDER);
            assertThat(rs.getString(1)).isEqualTo("****");
        }
    }

    @Test
    void aResolversNewAnswerBetweenTwoValuesIsTheOneTheNextIsMaskedFor() throws SQLException {
        AtomicReference<Identity> resolved = new AtomicReference<>(READER);
        try (Connection c = governed(Governance.builder().identityResolver(resolved::get)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ssn FROM people")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(SSN);
            assertThat(rs.getString(1)).isEqualTo(SSN);
            resolved.set(OUTSIDER);
            assertThat(rs.getString(1)).isEqualTo("****");
            resolved.set(READER);
            assertThat(rs.getString(1)).isEqualTo(SSN);
        }
    }

    @Test
    void aScopeOpenedBetweenTwoValuesIsTheOneTheNextIsMaskedFor() throws Exception {
        try (Connection c = governed(Governance.builder().defaultIdentity(READER)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ssn FROM people")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(SSN);
            assertThat(IdentityContext.runAs(OUTSIDER, () -> rs.getString(1))).isEqualTo("****");
            assertThat(rs.getString(1)).isEqualTo(SSN);
            assertThat(IdentityContext.runAs(READER, () -> rs.getString(1))).isEqualTo(SSN);
            assertThat(IdentityContext.runAs(OUTSIDER, () -> rs.getString(1))).isEqualTo("****");
        }
    }

    /** What the identity found follows from alone: kept only without a resolver, a service token or an identity verified from a token. */
    @Test
    void theAnswerIsFixedByTheScopeAndTheConnectionIdentityOnlyWhenNothingElseIsAsked() {
        Identity verified = Identity.builder("vera").provenance(IdentityProvenance.verified("https://issuer.example", "k1", "t1",
                Instant.now().plusSeconds(3600))).build();
        IdentityResolution plain = new IdentityResolution(null, READER, false);
        assertThat(plain.fixedBy(null, null)).isTrue();
        assertThat(plain.fixedBy(OUTSIDER, null)).isTrue();
        assertThat(plain.fixedBy(null, OUTSIDER)).isTrue();
        assertThat(new IdentityResolution(null, null, false).fixedBy(null, null)).isTrue();
        assertThat(plain.fixedBy(verified, null)).as("a scope of a verified identity").isFalse();
        assertThat(plain.fixedBy(null, verified)).as("a verified connection identity").isFalse();
        assertThat(plain.fixedBy(OUTSIDER, verified)).as("the scope wins").isTrue();
        assertThat(new IdentityResolution(null, verified, false).fixedBy(null, null)).as("a verified default").isFalse();
        assertThat(new IdentityResolution(() -> READER, READER, false).fixedBy(null, null)).as("a resolver").isFalse();
        assertThat(new IdentityResolution(null, READER, true).fixedBy(null, null)).as("a scope required, none").isFalse();
        assertThat(new IdentityResolution(null, READER, true).fixedBy(OUTSIDER, null)).isTrue();
        assertThat(new IdentityResolution(null, READER, false, "flyway").fixedBy(Identity.human("flyway"), null))
                .as("the migration principal, made again equal").isTrue();
    }
}
