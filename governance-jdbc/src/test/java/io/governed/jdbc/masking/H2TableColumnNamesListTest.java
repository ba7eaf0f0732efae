package io.governed.jdbc.masking;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A base table given a list of column names in FROM ({@code people AS p(a, b, c)}) on H2: H2's result-set metadata
 * then names the base table with the new name as its column ({@code LQ_PEOPLE.C} for what is {@code LQ_PEOPLE.SSN}), so
 * the driver's base column says nothing about which column's values a result column holds. A caller the mask applies
 * to (an analyst, an agent) reads such a column of a table with a masked column redacted through every getter, and the
 * forms that copy it elsewhere, join on it or choose rows by it stay refused to the agent.
 */
class H2TableColumnNamesListTest {
    private static final String POLICY = LaunderingFormsHarness.POLICY.replace("\nmasks:", """

              - id: analysts
                effect: permit
                principals: { groups: [analysts] }
                actions: [select, insert]
                resources: ["*"]
            masks:""");
    private static final Identity ANALYST = Identity.builder("al").kind(IdentityKind.HUMAN).groups("analysts").build();

    private JdbcDataSource source;
    private Connection raw;

    @BeforeEach
    void database() throws SQLException {
        source = new JdbcDataSource();
        source.setURL("jdbc:h2:mem:names-list-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        source.setUser("sa");
        raw = source.getConnection();
        try (Statement s = raw.createStatement()) {
            LaunderingFormsHarness.sharedTables(s);
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
        raw.close();
    }

    private Connection as(Identity who) throws SQLException {
        Governance g = Governance.builder().policy(PolicyLoader.fromString("names-list.yaml", POLICY)).withoutAudit()
                .defaultIdentity(who).build();
        return new GovernedDataSource(source, g).getConnection();
    }

    private static void assertNoSsn(String sql, String seen) {
        for (String ssn : LaunderingFormsHarness.SSNS) {
            assertThat(seen).as("what the caller saw of %s", sql).doesNotContain(ssn).doesNotContain(ssn.replace("-", ""));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT c FROM lq_people AS p(a, b, c)",
            "SELECT p.c FROM lq_people p(a, b, c)",
            "SELECT name FROM lq_people AS p(id, ssn, name)",
            "SELECT * FROM lq_people AS p(id, ssn, name)",
            "SELECT p.* FROM lq_people AS p(id, ssn, name)",
            "SELECT q.note, p.name FROM lq_clear q JOIN lq_people AS p(id, ssn, name) ON p.id = q.id",
            "SELECT name FROM (SELECT * FROM lq_people AS p(id, ssn, name)) x",
            "SELECT c FROM (lq_people) AS j(a, b, c)",
            "SELECT * FROM (lq_people) AS j(id, ssn, name)",
            "WITH w AS (SELECT name FROM lq_people AS p(id, ssn, name)) SELECT name FROM w"})
    void aTableWhoseColumnsAreRenamedInFromIsReadRedacted(String sql) throws SQLException {
        for (Identity who : List.of(ANALYST, LaunderingFormsHarness.AGENT)) {
            try (Connection c = as(who)) {
                String seen = SeenEverywhere.of(c, sql);
                if (who == ANALYST || !sql.contains(" ON ")) {
                    assertThat(seen).as("%s as %s", sql, who.principal()).startsWith("rows ");
                } else {
                    // the agent's join on a renamed column compares values that may be any column's, the SSN's too
                    assertThat(seen).as("%s as %s", sql, who.principal()).startsWith("failed: 42501");
                }
                assertNoSsn(sql, seen);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO lq_clear(id, note) SELECT a + 10, c FROM lq_people AS p(a, b, c)",
            "INSERT INTO lq_clear(id, note) SELECT id + 10, name FROM lq_people AS p(id, ssn, name)",
            "SELECT id FROM lq_people AS p(id, ssn, name) WHERE name LIKE '5%'",
            "SELECT id FROM lq_people AS p(id, ssn, name) ORDER BY name"})
    void copyingOrFilteringOnSuchAColumnIsRefusedToTheAgent(String sql) throws SQLException {
        try (Connection c = as(LaunderingFormsHarness.AGENT)) {
            String seen = SeenEverywhere.of(c, sql);
            assertThat(seen).as(sql).startsWith("failed: 42501");
            assertNoSsn(sql, seen);
        }
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM lq_clear")) {
            rs.next();
            assertThat(rs.getInt(1)).as("rows of lq_clear after %s", sql).isEqualTo(2);
        }
    }
}
