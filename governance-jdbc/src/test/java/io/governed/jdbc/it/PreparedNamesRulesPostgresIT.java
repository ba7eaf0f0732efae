package io.governed.jdbc.it;

import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * A caller whose rules alone (no mask, no row filter) limit which tables it reaches: an agent permitted to read and
 * update the orders, forbidden the secrets. A statement it prepared by name on the orders is run by name on whatever
 * relation its text names when the database analyses it again; another session creating, under a schema the agent's
 * session searches first, a view named like the orders over the secrets must not make the agent's EXECUTE read or
 * write the secrets. Checked through every getter and, for writes, past governance.
 */
class PreparedNamesRulesPostgresIT extends PreparedNamesFixture {
    static final String SECRET = "pn-the-secret";
    final String secrets = UniqueNames.of("pn_secrets");
    final String schema = UniqueNames.of("pn_app");

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    String policy() {
        return rulesOnly(orders, secrets);
    }

    /**
     * People may do anything; the agent may read and update the orders and prepare statements on them (an
     * {@code execute} with the trait {@code dynamic-sql}), and never read or write the secrets.
     */
    static String rulesOnly(String orders, String secrets) {
        return """
                version: 1
                default: deny
                on-unparseable: allow
                rules:
                  - id: people-do-anything
                    effect: permit
                    principals: { kinds: [human, service] }
                    actions: ["*"]
                    resources: ["*"]
                  - id: agent-works-on-orders
                    effect: permit
                    principals: { kinds: [agent] }
                    actions: [select, update]
                    resources: ["%1$s"]
                  - id: agent-prepares-on-orders
                    effect: permit
                    principals: { kinds: [agent] }
                    actions: [select, update, execute]
                    resources: ["%1$s"]
                    when: { traits: [dynamic-sql] }
                  - id: agent-sets-its-session
                    effect: permit
                    principals: { kinds: [agent] }
                    actions: [set, show, transaction]
                  - id: agent-never-secrets
                    effect: forbid
                    principals: { kinds: [agent] }
                    actions: [select, insert, update]
                    resources: ["%2$s"]
                """.formatted(orders, secrets);
    }

    @BeforeEach
    void createSecrets() throws Exception {
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE " + secrets + " (id INT PRIMARY KEY, status VARCHAR(40))");
            st.execute("INSERT INTO " + secrets + " VALUES (0, '" + SECRET + "')");
            st.execute("CREATE SCHEMA " + schema);
        }
    }

    @AfterEach
    void dropSecrets() throws Exception {
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            st.execute("DROP TABLE IF EXISTS " + secrets);
        }
    }

    /**
     * The agent prepares a query of the orders under a search path whose first schema another session then gives a view
     * named like the orders over the secrets (and makes the database analyse the statement again): run by name, it
     * would read the secrets. Refused; no getter hands out the secret.
     */
    @Test
    void aViewCreatedElsewhereOverAForbiddenTableIsNeverReadByName() throws Exception {
        Connection c = sharedConnection(new Properties());
        assertRefused(c, AGENT, "SELECT id, status FROM " + secrets, "agent-never-secrets");
        sharedAs(c, AGENT, "SET search_path TO " + schema + ", public");
        sharedAs(c, AGENT, "PREPARE pn_o AS SELECT id, status FROM " + orders);
        assertThat(readAs(c, AGENT, 2, "EXECUTE pn_o")).startsWith("open");
        Connection person = sharedConnection(new Properties());
        sharedAs(person, PII_READER, "SET search_path TO " + schema + ", public",
                "PREPARE pn_o AS SELECT id, status FROM " + orders);
        shadowOrdersWithSecrets("PREPARE pn_o AS SELECT id, status FROM " + orders, "EXECUTE pn_o");

        List<String> read = new ArrayList<>();
        try {
            read.addAll(readAs(c, AGENT, 2, "EXECUTE pn_o"));
        } catch (SQLException refused) {
            assertThat(refused.getSQLState()).isEqualTo("42501");
            assertThat(refused.getMessage()).doesNotContain(SECRET);
        }
        assertThat(read).as("through every getter").noneSatisfy(v -> assertThat(v).contains(SECRET));
        assertRefused(c, AGENT, "EXECUTE pn_o");

        // whom the policy allows everything on every table, with nothing masked or filtered, runs the name as the
        // database does: no decision of its depends on which relation the name finds
        assertThat(readAs(person, PII_READER, 2, "EXECUTE pn_o")).as("a person may read anything").startsWith(SECRET);
    }

    /**
     * A name the connection forgot (a batch ran since: code the analysis does not see could have prepared it again)
     * is SQL the analysis does not see: for the agent, whose rules let it reach some tables only, it may reach any, and
     * is refused, even where a permit of {@code execute} with {@code dynamic-sql} on the orders would cover a statement
     * on no table. So the view another session created since is never read through it.
     */
    @Test
    void aNameTheConnectionForgotIsNeverRunByAnAgentLimitedToSomeTables() throws Exception {
        Connection c = sharedConnection(new Properties());
        sharedAs(c, AGENT, "SET search_path TO " + schema + ", public");
        sharedAs(c, AGENT, "PREPARE pn_o AS SELECT id, status FROM " + orders);
        io.governed.jdbc.identity.IdentityContext.runAs(AGENT, () -> {
            try (Statement st = c.createStatement()) {
                st.addBatch("SET search_path TO " + schema + ", public");
                return st.executeBatch();
            }
        });
        shadowOrdersWithSecrets("PREPARE pn_o AS SELECT id, status FROM " + orders, "EXECUTE pn_o");
        List<String> read = new ArrayList<>();
        try {
            read.addAll(readAs(c, AGENT, 2, "EXECUTE pn_o"));
        } catch (SQLException refused) {
            assertThat(refused.getSQLState()).isEqualTo("42501");
        }
        assertThat(read).as("through every getter").noneSatisfy(v -> assertThat(v).contains(SECRET));
        assertRefused(c, AGENT, "EXECUTE pn_o", "does not see");
    }

    /**
     * The same for a write: the agent's prepared {@code UPDATE} of the orders, run by name after another session
     * created an updatable view named like the orders over the secrets, would change the secrets. Refused; the secrets
     * are as they were (read past governance).
     */
    @Test
    void aViewCreatedElsewhereOverAForbiddenTableIsNeverWrittenByName() throws Exception {
        Connection c = sharedConnection(new Properties());
        sharedAs(c, AGENT, "SET search_path TO " + schema + ", public");
        sharedAs(c, AGENT, "PREPARE pn_w (text) AS UPDATE " + orders + " SET status = $1");
        sharedAs(c, AGENT, "EXECUTE pn_w('shipped')");
        assertThat(rawRows("SELECT status FROM public." + orders)).containsExactly("shipped");
        shadowOrdersWithSecrets("PREPARE pn_w (text) AS UPDATE " + orders + " SET status = $1", null);

        try {
            sharedAs(c, AGENT, "EXECUTE pn_w('pn-overwritten')");
        } catch (SQLException refused) {
            assertThat(refused.getSQLState()).isEqualTo("42501");
        }
        assertRefused(c, AGENT, "EXECUTE pn_w('pn-overwritten')");
        assertThat(rawRows("SELECT status FROM public." + secrets)).as("the secrets are untouched")
                .containsExactly(SECRET);
    }

    /**
     * The agent's own kept {@code UPDATE} of the orders, run by name with an argument that calls a function of the
     * database reading the secrets (PostgreSQL takes any expression but a subquery there), directly or in a batch:
     * refused each time, never let through as a text the connection does not read; the secret is not copied into the
     * orders (read past governance).
     */
    @Test
    void anExecuteWhoseArgumentCallsAFunctionReadingTheSecretsIsRefused() throws Exception {
        String peek = UniqueNames.of("pn_peek");
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE FUNCTION public." + peek + "() RETURNS text LANGUAGE sql AS 'SELECT status FROM public."
                    + secrets + " LIMIT 1'");
        }
        try {
            Connection c = sharedConnection(new Properties());
            assertRefused(c, AGENT, "UPDATE " + orders + " SET status = " + peek + "() WHERE id = 0");
            sharedAs(c, AGENT, "PREPARE pn_u (text, int) AS UPDATE " + orders + " SET status = $1 WHERE id = $2");
            sharedAs(c, AGENT, "EXECUTE pn_u('shipped', 0)");
            assertThat(rawRows("SELECT status FROM public." + orders)).containsExactly("shipped");
            for (String execute : List.of("EXECUTE pn_u(" + peek + "(), 0)", "EXECUTE pn_u(public." + peek + "(), 0)",
                    "EXECUTE pn_u(coalesce(" + peek + "(), 'x'), 0)", "execute PN_U ( " + peek + "() , 1-1 );")) {
                try {
                    sharedAs(c, AGENT, execute);
                } catch (SQLException refused) {
                    assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
                }
                assertThat(rawRows("SELECT status FROM public." + orders)).as(execute).containsExactly("shipped");
                assertThatThrownBy(() -> io.governed.jdbc.identity.IdentityContext.runAs(AGENT, () -> {
                    try (Statement st = c.createStatement()) {
                        st.addBatch("SET search_path TO public");
                        st.addBatch(execute);
                        return st.executeBatch();
                    }
                })).as("batch " + execute).isInstanceOf(SQLException.class);
                assertThat(rawRows("SELECT status FROM public." + orders)).as("batch " + execute)
                        .containsExactly("shipped");
            }
        } finally {
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP FUNCTION IF EXISTS public." + peek + "()");
            }
        }
    }

    /**
     * Another session creates view {@code schema.orders} over the secrets, then analyses the orders, which makes the
     * database analyse statements prepared on them again; checked on a session of its own prepared alike (its
     * {@code premise} run by name reads the secret, when given).
     */
    private void shadowOrdersWithSecrets(String prepare, String premise) throws SQLException {
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("SET search_path TO " + schema + ", public");
            st.execute(prepare);
            try (Connection other = database().connectRaw(); Statement o = other.createStatement()) {
                o.execute("CREATE VIEW " + schema + "." + orders + " AS SELECT id, status FROM public." + secrets);
                o.execute("ANALYZE public." + orders);
            }
            if (premise != null) {
                try (ResultSet rs = st.executeQuery(premise)) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(2)).as("the premise: the database runs the name on the view now")
                            .isEqualTo(SECRET);
                }
            }
        }
    }

    private List<String> rawRows(String sql) throws SQLException {
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }
}
