package io.governed.jdbc.identity;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An array a statement handed out to an identity no mask applies to, read in the scope of one a mask applies to: each of
 * its views (getArray in every form, getResultSet in every form) gives the elements masked for the identity reading
 * now, as a result set's values are (README: what a statement hands out, read while another identity is in effect);
 * read again in the first identity's own scope, the clear elements. One subclass per database.
 */
abstract class ScopeSwitchArrayReadSpec {
    static final String SSN = "219-45-6789";
    private static final Identity AGENT = Identity.builder("bot").kind(IdentityKind.AGENT)
            .onBehalfOf(Identity.human("ann")).build();
    @TempDir
    Path dir;
    private Path policy;

    abstract TestDatabase database();

    /** The table of the array column {@code ssn_list}, named as the statements name it. */
    abstract String table();

    /** Creates {@link #table()} with one row whose {@code ssn_list} holds {@link #SSN} twice. */
    abstract void create(Statement raw) throws SQLException;

    abstract void drop(Statement raw) throws SQLException;

    /** The resource pattern of the table, as the policy's read rule names it. */
    abstract String resources();

    @BeforeEach
    void fixture() throws Exception {
        try (Connection raw = database().connectRaw(); Statement s = raw.createStatement()) {
            create(s);
        }
        policy = dir.resolve("array-masks.yaml");
        Files.writeString(policy, """
                version: 1
                default: deny
                classification:
                  auto-detect: false
                  tags:
                    pii.ssn: ["*.ssn_list"]
                rules:
                  - { id: read, effect: permit, actions: [select], resources: ["%s"] }
                masks:
                  - id: mask-ssn
                    columns: { tags: [pii.ssn] }
                    function: redact
                    unless: { groups: [back-office] }
                """.formatted(resources()));
    }

    @AfterEach
    void cleanUp() throws SQLException {
        try (Connection raw = database().connectRaw(); Statement s = raw.createStatement()) {
            drop(s);
        }
    }

    private Connection backOffice() throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "back-office");
        p.setProperty("governed.groups", "back-office");
        return database().connectGoverned(p);
    }

    @FunctionalInterface
    interface View {
        Object of(Array array) throws Exception;
    }

    private static final Map<String, View> VIEWS = Map.of(
            "getArray()", Array::getArray,
            "getArray(map)", a -> a.getArray(Map.of()),
            "getArray(1, 2)", a -> a.getArray(1, 2),
            "getArray(1, 2, map)", a -> a.getArray(1, 2, Map.of()),
            "getResultSet()", Array::getResultSet,
            "getResultSet(map)", a -> a.getResultSet(Map.of()),
            "getResultSet(1, 2)", a -> a.getResultSet(1, 2),
            "getResultSet(1, 2, map)", a -> a.getResultSet(1, 2, Map.of()));

    @Test
    void anArrayTakenByTheBackOfficeAndReadByAnAgent() throws Exception {
        for (Map.Entry<String, View> view : VIEWS.entrySet()) {
            try (Connection c = backOffice(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT ssn_list FROM " + table())) {
                assertThat(rs.next()).isTrue();
                Array array = rs.getArray(1);
                String agentReads = IdentityContext.runAs(AGENT, () -> EveryGetter.text(view.getValue().of(array)));
                assertThat(agentReads).as(view.getKey()).doesNotContain(SSN).doesNotContain("45-6789");
                assertThat(EveryGetter.text(view.getValue().of(array))).as("the back office's own read of " + view.getKey())
                        .contains(SSN);
            }
        }
    }
}
