package io.governed.jdbc.masking;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.masking.LaunderingFormsHarness.Expect;
import io.governed.jdbc.masking.LaunderingFormsHarness.Form;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Wrapper;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static io.governed.jdbc.masking.LaunderingFormsHarness.REFUSE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A masked SSN carried from one statement to the next on H2, through what the session keeps between them: user
 * variables ({@code SET @v = (SELECT ssn …)}, {@code SET(@v, ssn)}) read back by {@code SELECT @v} and by {@code
 * INFORMATION_SCHEMA.SESSION_STATE}, which lists them as SQL; local temporary tables; views the agent creates;
 * sequences restarted from a value. Each form runs through {@link LaunderingFormsHarness}: after every statement a raw
 * connection reads every clear place, and every value the agent gets back is read through every getter.
 */
class H2CarriedAcrossStatementsTest {

    private static JdbcDataSource source(String name) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        h2.setPassword("");
        return h2;
    }

    /** Tables and their clear columns (a view keeps none: its owner reads the tables beneath it), and the sequences. */
    private static String clearPlaces(Connection raw) throws SQLException {
        StringBuilder out = new StringBuilder();
        List<String> tables = new ArrayList<>();
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM "
                + "INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        for (String t : tables) {
            List<String> columns = new ArrayList<>();
            try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT COLUMN_NAME FROM "
                    + "INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = '" + t
                    + "' AND COLUMN_NAME <> 'SSN' ORDER BY ORDINAL_POSITION")) {
                while (rs.next()) {
                    columns.add('"' + rs.getString(1) + '"');
                }
            }
            if (!columns.isEmpty()) {
                out.append(LaunderingFormsHarness.rowsOf(raw, "SELECT " + String.join(", ", columns) + " FROM \"" + t + '"'));
            }
        }
        out.append(LaunderingFormsHarness.rowsOf(raw, "SELECT SEQUENCE_NAME, BASE_VALUE, START_VALUE FROM "
                + "INFORMATION_SCHEMA.SEQUENCES"));
        return out.toString();
    }

    private static final List<String> READ_BACKS = List.of(
            "SELECT * FROM lq_clear ORDER BY id", "SELECT * FROM lq_mid ORDER BY id", "SELECT * FROM lq_t",
            "SELECT * FROM lq_v", "SELECT @v, @w", "SELECT CONCAT(@v, ''), UPPER(@w)",
            "SELECT STATE_KEY, STATE_COMMAND FROM INFORMATION_SCHEMA.SESSION_STATE",
            "SELECT BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES", "SELECT CURRENT VALUE FOR lq_seq",
            "SELECT name FROM lq_people ORDER BY id");

    static List<Form> forms() {
        return List.of(
                Form.of("user variables assigned from the SSN, read back", Expect.REFUSED,
                        REFUSE + "SET @v = (SELECT ssn FROM lq_people WHERE id = 1)",
                        REFUSE + "SELECT SET(@v, ssn) FROM lq_people WHERE id = 1",
                        REFUSE + "SELECT id FROM lq_people WHERE SET(@w, UPPER(ssn)) IS NOT NULL",
                        REFUSE + "CALL SET(@v, (SELECT ssn FROM lq_people WHERE id = 1))",
                        "SELECT @v, @w",
                        "SELECT STATE_KEY, STATE_COMMAND FROM INFORMATION_SCHEMA.SESSION_STATE"),
                Form.of("a user variable from a view of the SSN the agent creates", Expect.REFUSED,
                        "CREATE VIEW lq_v AS SELECT id, ssn AS note FROM lq_people", "SELECT * FROM lq_v",
                        REFUSE + "SET @v = (SELECT note FROM lq_v WHERE id = 1)"),
                Form.of("a user variable of a clear column, read back", Expect.NO_LEAK,
                        "SET @w = (SELECT name FROM lq_people WHERE id = 1)", "SELECT @w",
                        "SELECT STATE_KEY, STATE_COMMAND FROM INFORMATION_SCHEMA.SESSION_STATE"),
                Form.of("local temporary tables of the SSN", Expect.REFUSED,
                        REFUSE + "CREATE LOCAL TEMPORARY TABLE lq_t AS SELECT id, ssn AS note FROM lq_people",
                        "SELECT * FROM lq_t"),
                Form.of("a table of the agent's filled with the SSN", Expect.REFUSED,
                        REFUSE + "INSERT INTO lq_clear(id, note) SELECT id + 10, ssn FROM lq_people",
                        REFUSE + "MERGE INTO lq_clear(id, note) KEY(id) SELECT id, ssn FROM lq_people",
                        REFUSE + "CREATE TABLE lq_copy AS SELECT id, ssn AS note FROM lq_people"),
                Form.of("a view of the SSN the agent creates, read back and copied", Expect.REFUSED,
                        "CREATE VIEW lq_v AS SELECT id, ssn AS note, UPPER(ssn) AS loud FROM lq_people",
                        "SELECT * FROM lq_v", "SELECT note, loud FROM lq_v",
                        REFUSE + "INSERT INTO lq_clear(id, note) SELECT id + 20, note FROM lq_v"),
                Form.of("a sequence restarted from the SSN", Expect.NO_LEAK,
                        "ALTER SEQUENCE lq_seq RESTART WITH (SELECT CAST(REPLACE(ssn, '-', '') AS BIGINT) "
                                + "FROM lq_people WHERE id = 1)",
                        "SELECT NEXT VALUE FOR lq_seq", "SELECT BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES"),
                Form.of("the masked column and clear copies", Expect.ALLOWED, "SELECT id, name, ssn FROM lq_people",
                        "INSERT INTO lq_clear(id, note) SELECT id + 100, name FROM lq_people"));
    }

    private static Stream<DynamicTest> tests(boolean permissive) {
        return forms().stream().map(form -> DynamicTest.dynamicTest(form.name(), () -> {
            JdbcDataSource source = source("xs-" + UUID.randomUUID());
            try (Connection keep = source.getConnection()) {
                try (Statement s = keep.createStatement()) {
                    LaunderingFormsHarness.sharedTables(s);
                }
                try {
                    LaunderingFormsHarness.check(form, source, H2CarriedAcrossStatementsTest::clearPlaces, READ_BACKS,
                            permissive);
                } finally {
                    try (Statement s = keep.createStatement()) {
                        s.execute("SHUTDOWN");
                    }
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> noFormCarriesTheSsnToAnAgentWhoMayNotRunCode() {
        return tests(false);
    }

    @TestFactory
    Stream<DynamicTest> noFormCarriesTheSsnToAnAgentWhoMayRunCode() {
        return tests(true);
    }

    /** H2's own connection and session are out of the masked agent's reach. */
    @Test
    void theDriversOwnObjectsAreOutOfTheMaskedAgentsReach() throws Exception {
        JdbcDataSource source = source("xs-" + UUID.randomUUID());
        try (Connection keep = source.getConnection()) {
            try (Statement s = keep.createStatement()) {
                LaunderingFormsHarness.sharedTables(s);
            }
            try (Connection agent = new GovernedDataSource(source, LaunderingFormsHarness.PERMISSIVE).getConnection();
                 Statement s = agent.createStatement(); ResultSet rs = s.executeQuery("SELECT id, ssn FROM lq_people")) {
                for (Wrapper route : List.of(agent, s, rs, agent.getMetaData(), s.getConnection(), rs.getStatement())) {
                    for (Class<?> vendor : List.of(org.h2.jdbc.JdbcConnection.class, org.h2.jdbc.JdbcStatement.class,
                            org.h2.jdbc.JdbcResultSet.class, org.h2.engine.Session.class)) {
                        assertThat(route.isWrapperFor(vendor)).as("isWrapperFor %s of %s", vendor, route).isFalse();
                        assertThatThrownBy(() -> route.unwrap(vendor)).as("unwrap %s of %s", vendor, route)
                                .isInstanceOf(GovernanceException.class)
                                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
                    }
                }
            } finally {
                try (Statement s = keep.createStatement()) {
                    s.execute("SHUTDOWN");
                }
            }
        }
    }
}
