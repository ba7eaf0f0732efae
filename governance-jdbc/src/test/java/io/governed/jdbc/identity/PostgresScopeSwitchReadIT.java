package io.governed.jdbc.identity;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Values handed out by a statement that ran as one identity and read while another is in effect: each value is masked as
 * the stricter of the two identities' masks says, whichever ran the statement and whichever reads it. The policy gives
 * the service an SSN in clear but hides e-mail addresses from it, and the agent the reverse, so that neither identity's
 * masks alone cover what the other must not see.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresScopeSwitchReadIT {
    private static final TestDatabase DB = TestDatabase.POSTGRESQL;
    private static final String SSN = "219-45-6789";
    private static final String EMAIL = "ada.lovelace@example.com";
    private static final Identity SERVICE = Identity.builder("billing").kind(IdentityKind.SERVICE).groups("ssn-readers").build();
    private static final Identity AGENT = Identity.builder("bot").kind(IdentityKind.AGENT)
            .onBehalfOf(Identity.builder("ann").groups("email-readers").build()).groups("email-readers").build();
    private final String table = UniqueNames.of("ssr_people");
    @TempDir
    static Path dir;
    private Path policy;

    @BeforeAll
    void fixture() throws Exception {
        try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, name text, ssn text, email text)");
            s.execute("INSERT INTO " + table + " VALUES (1, 'Ada', '" + SSN + "', '" + EMAIL + "')");
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
                  - id: read
                    effect: permit
                    actions: [select]
                    resources: ["public.*"]
                  - id: services-write
                    effect: permit
                    principals: { kinds: [service] }
                    actions: [insert, update]
                    resources: ["public.*"]
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
    void drop() throws SQLException {
        try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    /** A connection under the split policy whose own identity is {@code principal} of {@code groups}. */
    private Connection governed(String principal, String groups) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", DB.user());
        p.setProperty("password", DB.password());
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", principal);
        p.setProperty("governed.kind", "service");
        if (!groups.isEmpty()) {
            p.setProperty("governed.groups", groups);
        }
        return DriverManager.getConnection(DB.governedUrl(), p);
    }

    @Test
    void eachIdentityReadsWhatItMaySee() throws Exception {
        try (Connection c = governed("back-office", "back-office"); Statement s = c.createStatement()) {
            assertThat(IdentityContext.runAs(SERVICE, () -> row(s.executeQuery(select())))).isEqualTo("****|" + SSN);
            assertThat(IdentityContext.runAs(AGENT, () -> row(s.executeQuery(select())))).isEqualTo(EMAIL + "|****");
            assertThat(row(s.executeQuery(select()))).isEqualTo(EMAIL + "|" + SSN);
        }
    }

    @Test
    void aResultOfTheConnectionsOwnIdentityReadInAnAgentsScopeIsMaskedForTheAgent() throws Exception {
        try (Connection c = governed("back-office", "back-office"); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery(select());
            String seen = IdentityContext.runAs(AGENT, () -> row(rs));
            assertThat(seen).doesNotContain(SSN);
        }
    }

    @Test
    void aResultOfTheServicesScopeReadInAnAgentsScopeIsMaskedForBoth() throws Exception {
        try (Connection c = governed("back-office", "back-office"); Statement s = c.createStatement()) {
            ResultSet rs = IdentityContext.runAs(SERVICE, () -> s.executeQuery(select()));
            String seen = IdentityContext.runAs(AGENT, () -> row(rs));
            assertThat(seen).doesNotContain(SSN).doesNotContain(EMAIL);
        }
    }

    @Test
    void aResultOfTheAgentsScopeReadInTheServicesScopeIsMaskedForBoth() throws Exception {
        try (Connection c = governed("back-office", "back-office"); Statement s = c.createStatement()) {
            ResultSet rs = IdentityContext.runAs(AGENT, () -> s.executeQuery(select()));
            String seen = IdentityContext.runAs(SERVICE, () -> row(rs));
            assertThat(seen).doesNotContain(SSN).doesNotContain(EMAIL);
        }
    }

    @Test
    void anArrayOfTheServicesScopeReadInAnAgentsScopeIsMaskedForBoth() throws Exception {
        try (Connection c = governed("back-office", "back-office"); Statement s = c.createStatement()) {
            ResultSet rs = IdentityContext.runAs(SERVICE,
                    () -> s.executeQuery("SELECT array_agg(ssn) FROM " + table));
            String seen = IdentityContext.runAs(AGENT, () -> {
                rs.next();
                try {
                    Array a = rs.getArray(1);
                    try (ResultSet elements = a.getResultSet()) {
                        elements.next();
                        return elements.getString(2);
                    }
                } catch (SQLException refused) {
                    return "refused " + refused.getSQLState();
                }
            });
            assertThat(seen).isNotEqualTo(SSN);
        }
    }

    @Test
    void generatedKeysOfTheServicesScopeReadInAnAgentsScopeAreMaskedForTheAgent() throws Exception {
        try (Connection c = governed("back-office", "back-office"); Statement s = c.createStatement()) {
            IdentityContext.runAs(SERVICE, () -> s.executeUpdate("UPDATE " + table + " SET name = name WHERE id = 1",
                    new String[] {"ssn"}));
            String seen = IdentityContext.runAs(AGENT, () -> {
                try (ResultSet keys = s.getGeneratedKeys()) {
                    keys.next();
                    return keys.getString(1);
                }
            });
            assertThat(seen).isNotEqualTo(SSN);
        }
    }

    @Test
    void aStatementPreparedByTheAgentAndRunByTheServiceReadsAsTheService() throws Exception {
        try (Connection c = governed("back-office", "back-office");
             PreparedStatement ps = IdentityContext.runAs(AGENT, () -> c.prepareStatement(select() + " WHERE id = ?"))) {
            ps.setInt(1, 1);
            assertThat(IdentityContext.runAs(SERVICE, () -> row(ps.executeQuery()))).isEqualTo("****|" + SSN);
            assertThat(IdentityContext.runAs(AGENT, () -> row(ps.executeQuery()))).isEqualTo(EMAIL + "|****");
        }
    }

    @Test
    void aRefusedWriteInATransactionLeavesItUsableAndChangesNothing() throws Exception {
        try (Connection c = governed("ann", "")) {
            c.setAutoCommit(false);
            c.setReadOnly(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE " + table + " SET name = 'Bea' WHERE id = 1");
                assertThatThrownBy(() -> s.executeUpdate("DELETE FROM " + table + " WHERE id = 1"))
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
                try (ResultSet rs = s.executeQuery("SELECT name FROM " + table + " WHERE id = 1")) {
                    rs.next();
                    assertThat(rs.getString(1)).as("the transaction goes on").isEqualTo("Bea");
                }
                c.rollback();
            } finally {
                c.setAutoCommit(true);
            }
        }
        try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM " + table + " WHERE id = 1")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("Ada");
        }
    }

    @Test
    void aRowOfAResultTheServiceOpenedIsNotWrittenInAnAgentsScope() throws Exception {
        try (Connection c = governed("back-office", "back-office");
             Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE)) {
            ResultSet rs = IdentityContext.runAs(SERVICE, () -> s.executeQuery("SELECT id, name FROM " + table));
            IdentityContext.runAs(AGENT, () -> {
                assertThat(rs.next()).isTrue();
                rs.updateString("name", "Eve");
                assertThatThrownBy(rs::updateRow).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
                assertThatThrownBy(rs::deleteRow).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            });
            rs.close();
        }
        try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), min(name) FROM " + table)) {
            rs.next();
            assertThat(rs.getInt(1) + " " + rs.getString(2)).isEqualTo("1 Ada");
        }
    }

    private String select() {
        return "SELECT email, ssn FROM " + table;
    }

    private static String row(ResultSet rs) throws SQLException {
        try (rs) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1) + "|" + rs.getString(2);
        }
    }
}
