package io.governed.jdbc.it;

import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.JdbcValues;
import io.governed.jdbc.support.TestDatabase;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * A statement prepared by name over a row-filtered table is never run by name for a caller the filter restricts: the
 * database runs it as prepared, which no rewrite reaches, so it is refused as the direct statement would be rewritten,
 * and nothing is read or written (checked through the caller's getters and on the same session past governance). The
 * audit event of an EXECUTE describes the statement the name holds, with none of the EXECUTE's argument values.
 */
class PreparedNamesFilteredPostgresIT extends PreparedNamesFixture {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    String policy() {
        return """
                version: 1
                default: deny
                on-unparseable: allow
                classification:
                  auto-detect: false
                  tags:
                    pii.ssn: ["*.ssn"]
                rules:
                  - id: everyone-does-anything
                    effect: permit
                    principals: { kinds: [human, service, agent] }
                    actions: ["*"]
                    resources: ["*"]
                masks:
                  - id: mask-ids
                    columns: { tags: [pii.ssn] }
                    function: partial
                    keep-last: 4
                    unless: { groups: [pii-readers] }
                row-filters:
                  - id: own-customer
                    tables: ["%s"]
                    filter: "name = :identity.customer"
                    unless: { groups: [support, pii-readers] }
                """.formatted(customers);
    }

    @BeforeEach
    void bob() throws Exception {
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("INSERT INTO " + customers + " VALUES (2, 'Bob', '222-22-2222')");
        }
    }

    @Test
    void aFilteredCallerNeverRunsByNameAStatementOverTheFilteredTable() throws Exception {
        // the direct statement is rewritten: Bob reads his own row
        assertThat(queryAs(BOB, "SELECT name FROM " + customers)).containsExactly("Bob");

        // Bob's own PREPARE is refused, naming the filter, and prepares nothing on the session
        assertRefusedAs(BOB, "PREPARE pn_f AS SELECT name FROM " + customers, "own-customer");
        assertThat(rawSession("SELECT count(*) FROM pg_prepared_statements")).containsExactly("0");

        // a name an exempt caller prepared on the pooled session is gone for Bob's borrowing (the session is reset)
        borrowAs(SUPPORT, "PREPARE pn_f AS SELECT name FROM " + customers);
        assertRefusedAs(BOB, "EXECUTE pn_f", "own-customer");
        borrowAs(SUPPORT, "PREPARE pn_u AS UPDATE " + customers + " SET name = 'Changed'");
        assertRefusedAs(BOB, "EXECUTE pn_u", "own-customer");
        assertThat(rawSession("SELECT name FROM " + customers + " ORDER BY id")).as("nothing was written")
                .containsExactly("Ann", "Bob");

        // on one connection shared by both, the name is kept for Bob in a transaction the session cannot be reset in
        Connection c = sharedConnection(new java.util.Properties());
        IdentityContext.runAs(SUPPORT, () -> {
            c.setAutoCommit(false);
            JdbcValues.firstColumnOfLast(c, "PREPARE pn_s AS SELECT name FROM " + customers);
            JdbcValues.firstColumnOfLast(c, "PREPARE pn_t AS UPDATE " + customers + " SET name = 'Changed'");
            return null;
        });
        List<String> read = new ArrayList<>();
        assertThatThrownBy(() -> read.addAll(readAs(c, BOB, 1, "EXECUTE pn_s"))).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        assertThat(read).as("through every getter").isEmpty();
        assertRefused(c, BOB, "EXECUTE pn_t");
        IdentityContext.runAs(SUPPORT, () -> {
            c.rollback();
            c.setAutoCommit(true);
            return null;
        });
        assertThat(rawSession("SELECT name FROM " + customers + " ORDER BY id")).containsExactly("Ann", "Bob");
    }

    /**
     * A query of a table no filter names, prepared by name under a search path whose first schema another session then
     * gives a view of that name over every customer's row (and makes the database analyse the statement again): run by
     * name by Bob, it would read the rows the filter keeps from him. Refused; nothing of another customer is read.
     */
    @Test
    void aViewCreatedElsewhereThatShadowsAKeptNameNeverShowsAnotherCustomersRows() throws Exception {
        String schema = io.governed.jdbc.support.UniqueNames.of("pf_fsh");
        String notes = io.governed.jdbc.support.UniqueNames.of("pf_notes");
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
            st.execute("CREATE TABLE " + notes + " (id INT, name VARCHAR(40))");
            st.execute("INSERT INTO " + notes + " VALUES (9, 'a note')");
        }
        Connection c = sharedConnection(new java.util.Properties());
        try {
            // Bob's own PREPARE is refused; one the support identity made stays kept in a transaction
            assertRefused(c, BOB, "PREPARE pf_n AS SELECT id, name FROM " + notes, "own-customer");
            IdentityContext.runAs(SUPPORT, () -> {
                c.setAutoCommit(false);
                JdbcValues.firstColumnOfLast(c, "SET search_path TO " + schema + ", public",
                        "PREPARE pf_n AS SELECT id, name FROM " + notes);
                return null;
            });
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                st.execute("SET search_path TO " + schema + ", public");
                st.execute("PREPARE pf_n AS SELECT id, name FROM " + notes);
                try (Connection other = database().connectRaw(); Statement o = other.createStatement()) {
                    o.execute("CREATE VIEW " + schema + "." + notes + " AS SELECT id, name FROM public." + customers);
                    o.execute("ANALYZE public." + notes);
                }
                assertThat(io.governed.jdbc.support.JdbcValues.firstColumnOfLast(raw, "EXECUTE pf_n"))
                        .as("the premise: the database runs the name on the view now").contains("1", "2");
            }
            List<String> read = new ArrayList<>();
            try {
                read.addAll(readAs(c, BOB, 2, "EXECUTE pf_n"));
            } catch (SQLException refused) {
                assertThat(refused.getSQLState()).isEqualTo("42501");
                assertThat(refused.getMessage()).doesNotContain("Ann");
            }
            assertThat(read).as("through every getter").noneSatisfy(v -> assertThat(v).contains("Ann"));
            assertRefused(c, BOB, "EXECUTE pf_n");
        } finally {
            IdentityContext.runAs(SUPPORT, () -> {
                c.rollback();
                c.setAutoCommit(true);
                return null;
            });
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
                st.execute("DROP TABLE IF EXISTS " + notes);
            }
        }
    }

    @Test
    void theAuditEventOfAnExecuteDescribesThePreparedStatementWithoutItsArguments(@TempDir Path dir)
            throws Exception {
        Path log = dir.resolve("audit.jsonl");
        AuditDispatcher dispatcher = AuditDispatcher.start("jsonl:" + log, AuditSettings.defaults());
        GovernedDataSource audited = new GovernedDataSource(pool, Governance.builder()
                .policy(PolicyLoader.fromString("pn.yaml", policy())).audit(dispatcher).build());
        try {
            // support: no filter restricts it, the mask applies to it
            IdentityContext.runAs(SUPPORT, () -> {
                try (Connection c = audited.getConnection(); Statement st = c.createStatement()) {
                    st.execute("PREPARE pn_q (int, text) AS SELECT id, ssn FROM " + customers
                            + " WHERE id = $1 AND name <> $2");
                    try (ResultSet rs = st.executeQuery("EXECUTE pn_q(424242, 'pn-marmot')")) {
                        assertThat(rs.next()).isFalse();
                    }
                    try (ResultSet rs = st.executeQuery("EXECUTE pn_q(1, 'pn-heron')")) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(2)).doesNotContain("123-45");
                    }
                }
                return null;
            });
        } finally {
            dispatcher.close();
        }
        List<String> events = Files.readAllLines(log).stream().filter(l -> l.contains("\"statement\":\"execute ")).toList();
        assertThat(events).as(String.join("\n", Files.readAllLines(log))).hasSize(2);
        for (String event : events) {
            assertThat(event).as(event)
                    .contains("\"statement\":\"execute pn_q(?, ?) -- prepared as: select id, ssn from " + customers
                            + " where id = $1 and name <> $2\"")
                    .contains("\"action\":\"select\"")
                    .contains("\"tables\":[\"" + customers + "\"]")
                    .contains("\"masked_columns\":[\"ssn\"]")
                    .contains("\"decision\":\"allow\"")
                    .doesNotContain("424242").doesNotContain("marmot").doesNotContain("heron")
                    .doesNotContain("123-45");
        }
        assertThat(events.get(1)).contains("\"rows\":1");
    }
}
