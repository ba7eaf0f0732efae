package io.governed.jdbc.masking;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * Guess-confirming reads of a setting not on the safe list, by an agent a mask's deny-inference names. An administrator
 * plants a value (PostgreSQL: ALTER DATABASE … SET ed_app.key, which every new session of the database starts with;
 * MariaDB: SET GLOBAL init_slave), and the agent compares it with a right and a wrong guess in every form a filter or a
 * select list offers: =, <>, IN, BETWEEN, LIKE, ~ / REGEXP, position, starts_with, locate, CASE, coalesce, nullif, IF.
 * Raw, the two guesses give different answers (the rows, the values or the error): each form is an oracle. Governed, a
 * form leaks when the agent's two answers differ; every form must be refused (42501, the message naming neither the
 * value nor the guess) or give the same answer for both guesses.
 */
@ServerWide("global variables (SET GLOBAL init_slave)")
class SettingGuessesIT {
    private static final String VALUE = "edplanted7";
    private static final String WRONG = "edwrong000";
    private static final Identity AGENT = Identity.builder("ed-bot").kind(IdentityKind.AGENT).groups("readers").build();
    private static final String POLICY = """
            version: 1
            default: deny
            rules:
              - { id: readers, effect: permit, principals: { groups: [readers] }, actions: [select, show], resources: ["*"] }
            masks:
              - id: mask-ssn
                columns: { patterns: ["*.ssn"] }
                function: redact
                deny-inference: [agent]
            """;

    /** Every form, with {@code %s} where the guess goes. */
    private static final List<String> POSTGRES_FORMS = List.of(
            "SELECT 1 WHERE current_setting('ed_app.key') = '%s'",
            "SELECT 1 WHERE current_setting('ed_app.key') <> '%s'",
            "SELECT 1 WHERE current_setting('ed_app.key') IN ('%s', 'x')",
            "SELECT 1 WHERE current_setting('ed_app.key') BETWEEN '%s' AND '%s'",
            "SELECT 1 WHERE current_setting('ed_app.key') LIKE '%s'",
            "SELECT 1 WHERE current_setting('ed_app.key') ~ '^%s$'",
            "SELECT 1 WHERE position('%s' IN current_setting('ed_app.key')) > 0",
            "SELECT 1 WHERE starts_with(current_setting('ed_app.key'), '%s')",
            "SELECT 1 WHERE CASE WHEN current_setting('ed_app.key') = '%s' THEN true ELSE false END",
            "SELECT 1 WHERE coalesce(current_setting('ed_app.key', true), '') = '%s'",
            "SELECT current_setting('ed_app.key') = '%s'",
            "SELECT current_setting('ed_app.key') IN ('%s')",
            "SELECT starts_with(current_setting('ed_app.key'), '%s')",
            "SELECT position('%s' IN current_setting('ed_app.key'))",
            "SELECT CASE WHEN current_setting('ed_app.key') = '%s' THEN 1 ELSE 0 END",
            "SELECT nullif(current_setting('ed_app.key'), '%s')",
            "SELECT 1 / (CASE WHEN current_setting('ed_app.key') = '%s' THEN 0 ELSE 1 END)",
            "SELECT 1 / strpos(current_setting('ed_app.key'), '%s')");

    private static final List<String> MARIADB_FORMS = List.of(
            "SELECT 1 FROM DUAL WHERE @@init_slave = '%s'",
            "SELECT 1 FROM DUAL WHERE @@global.init_slave <> '%s'",
            "SELECT 1 FROM DUAL WHERE @@init_slave IN ('%s', 'x')",
            "SELECT 1 FROM DUAL WHERE @@init_slave BETWEEN '%s' AND '%s'",
            "SELECT 1 FROM DUAL WHERE @@init_slave LIKE '%s'",
            "SELECT 1 FROM DUAL WHERE @@init_slave REGEXP '^%s$'",
            "SELECT 1 FROM DUAL WHERE locate('%s', @@init_slave) > 0",
            "SELECT 1 FROM DUAL WHERE IF(@@init_slave = '%s', 1, 0) = 1",
            "SELECT 1 FROM DUAL WHERE CASE WHEN @@init_slave = '%s' THEN 1 ELSE 0 END = 1",
            "SELECT @@init_slave = '%s'",
            "SELECT @@init_slave IN ('%s')",
            "SELECT locate('%s', @@init_slave)",
            "SELECT IF(@@init_slave = '%s', 1, 0)",
            "SELECT CASE @@init_slave WHEN '%s' THEN 1 ELSE 0 END",
            "SELECT nullif(@@init_slave, '%s')",
            "SELECT strcmp(@@init_slave, '%s')");

    @Test
    void postgresSettingGuessesAreRefusedOrAnsweredAlike() throws Exception {
        TestDatabase.POSTGRESQL.requireReachable();
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(TestDatabase.POSTGRESQL.rawUrl());
        pg.setUser(TestDatabase.POSTGRESQL.user());
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + TestDatabase.DATABASE + " SET ed_app.key = '" + VALUE + "'");
        }
        try {
            probe(pg, TestDatabase.POSTGRESQL, POSTGRES_FORMS);
        } finally {
            try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
                s.execute("ALTER DATABASE " + TestDatabase.DATABASE + " RESET ed_app.key");
            }
        }
    }

    @Test
    void mariaDbVariableGuessesAreRefusedOrAnsweredAlike() throws Exception {
        TestDatabase.MARIADB.requireReachable();
        MariaDbDataSource maria = new MariaDbDataSource(TestDatabase.MARIADB.rawUrl());
        maria.setUser(TestDatabase.MARIADB.user());
        maria.setPassword(TestDatabase.MARIADB.password());
        String before;
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT @@GLOBAL.init_slave")) {
                rs.next();
                before = rs.getString(1);
            }
            s.execute("SET GLOBAL init_slave = '" + VALUE + "'");
        }
        try {
            probe(maria, TestDatabase.MARIADB, MARIADB_FORMS);
        } finally {
            try (Connection c = TestDatabase.MARIADB.connectRaw(); PreparedStatement s = c.prepareStatement("SET GLOBAL init_slave = ?")) {
                s.setString(1, before == null ? "" : before);
                s.execute();
            }
        }
    }

    private static void probe(DataSource raw, TestDatabase database, List<String> forms) throws Exception {
        GovernedDataSource governed = new GovernedDataSource(raw, Governance.builder().withoutAudit()
                .policy(PolicyLoader.fromString("guesses.yaml", POLICY)).build());
        List<String> leaks = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try (Connection r = database.connectRaw()) {
            IdentityContext.runAs(AGENT, () -> {
                try (Connection g = governed.getConnection()) {
                    for (String form : forms) {
                        String right = form.replace("%s", VALUE);
                        String wrong = form.replace("%s", WRONG);
                        assertThat(outcome(r, right)).as("raw, an oracle: " + form).isNotEqualTo(outcome(r, wrong));
                        String governedRight = outcome(g, right);
                        String governedWrong = outcome(g, wrong);
                        if (!governedRight.equals(governedWrong)) {
                            leaks.add(form);
                        } else if (!governedRight.startsWith("42501") && governedRight.startsWith("failed")) {
                            failures.add(form + ": " + governedRight);
                        }
                    }
                } catch (SQLException e) {
                    failures.add("connection: " + e.getMessage());
                }
            });
        }
        assertThat(failures).as("forms that failed otherwise than refused").isEmpty();
        assertThat(leaks).as("forms whose answer tells a right guess from a wrong one, of " + forms.size()).isEmpty();
    }

    /** What a caller sees: every getter of every row, or the SQLState of the failure (checked to hold no value). */
    private static String outcome(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return "rows " + EveryGetter.ofAllRows(rs);
        } catch (SQLException e) {
            assertThat(ExceptionTexts.of(e)).as(sql).noneMatch(t -> t != null && (t.contains(VALUE) || t.contains(WRONG)));
            return ("42501".equals(e.getSQLState()) ? "42501" : "failed " + e.getSQLState());
        }
    }
}
