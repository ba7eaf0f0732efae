package io.governed.jdbc.identity;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PostgresScopeSwitchReadIT} on H2, which runs without a database server: a result read while another identity
 * is in effect than the one its statement ran as is masked as the stricter of both identities' masks.
 */
class H2ScopeSwitchReadTest {
    private static final TestDatabase DB = TestDatabase.H2;
    private static final String SSN = "219-45-6789";
    private static final String EMAIL = "ada.lovelace@example.com";
    private static final Identity SERVICE = Identity.builder("billing").kind(IdentityKind.SERVICE).groups("ssn-readers").build();
    private static final Identity AGENT = Identity.builder("bot").kind(IdentityKind.AGENT)
            .onBehalfOf(Identity.builder("ann").groups("email-readers").build()).groups("email-readers").build();
    private static final String TABLE = UniqueNames.of("h2ssr_people");
    @TempDir
    static Path dir;
    private static Path policy;

    @BeforeAll
    static void fixture() throws Exception {
        try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, ssn VARCHAR(20), email VARCHAR(60))");
            s.execute("INSERT INTO " + TABLE + " VALUES (1, '" + SSN + "', '" + EMAIL + "')");
        }
        policy = dir.resolve("split-masks.yaml");
        Files.writeString(policy, """
                version: 1
                default: deny
                classification:
                  auto-detect: false
                  tags:
                    pii.email: ["*.email"]
                    pii.ssn:   ["*.ssn"]
                rules:
                  - { id: read, effect: permit, actions: [select], resources: ["public.*"] }
                masks:
                  - id: mask-email
                    columns: { tags: [pii.email] }
                    function: redact
                    unless: { groups: [email-readers, back-office] }
                  - id: mask-ssn
                    columns: { tags: [pii.ssn] }
                    function: redact
                    unless: { groups: [ssn-readers, back-office] }
                """);
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
        }
    }

    private static Connection backOffice() throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "back-office");
        p.setProperty("governed.groups", "back-office");
        return DB.connectGoverned(p);
    }

    private static String row(ResultSet rs) throws SQLException {
        try (rs) {
            assertThat(rs.next()).isTrue();
            return rs.getString("email") + "|" + rs.getObject("ssn");
        }
    }

    private static final String SELECT = "SELECT email, ssn FROM " + TABLE;

    @Test
    void aResultOfTheConnectionsOwnIdentityReadInAnAgentsScopeIsMaskedForTheAgent() throws Exception {
        try (Connection c = backOffice(); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery(SELECT);
            assertThat(IdentityContext.runAs(AGENT, () -> row(rs))).isEqualTo(EMAIL + "|****");
        }
    }

    @Test
    void aResultOfOneScopeReadInAnotherIsMaskedForBoth() throws Exception {
        try (Connection c = backOffice(); Statement s = c.createStatement()) {
            ResultSet fromService = IdentityContext.runAs(SERVICE, () -> s.executeQuery(SELECT));
            assertThat(IdentityContext.runAs(AGENT, () -> row(fromService))).isEqualTo("****|****");
            ResultSet fromAgent = IdentityContext.runAs(AGENT, () -> s.executeQuery(SELECT));
            assertThat(IdentityContext.runAs(SERVICE, () -> row(fromAgent))).isEqualTo("****|****");
        }
    }

    @Test
    void aResultReadPartlyInOneScopeAndPartlyInAnotherIsMaskedForWhoeverReadsEachValue() throws Exception {
        try (Connection c = backOffice(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SELECT)) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("ssn")).isEqualTo(SSN);
            assertThat(IdentityContext.runAs(AGENT, () -> rs.getString("ssn"))).isEqualTo("****");
            assertThat(rs.getString("ssn")).as("back to the connection's own identity").isEqualTo(SSN);
        }
    }
}
