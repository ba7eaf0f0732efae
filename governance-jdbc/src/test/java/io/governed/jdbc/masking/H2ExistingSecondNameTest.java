package io.governed.jdbc.masking;

import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A synonym a DBA made through a raw connection before the agent arrived ({@code CREATE SYNONYM sx_s FOR
 * sx_customers}, in the table's schema and in another) is a second name of the masked table the agent did not make.
 * Whatever the agent reads through it (the column, {@code *}, a join, a subquery, an {@code INSERT … SELECT} into a
 * clear table) comes back masked or is refused (42501, naming the mask), under a pattern with a schema and one without;
 * every getter is checked, and the clear table is read raw.
 */
class H2ExistingSecondNameTest {
    private static final String SSN = "219-45-6789";
    private static final String POLICY = """
            version: 1
            default: deny
            on-unparseable: deny
            classification:
              auto-detect: false
              tags:
                pii.ssn: ["%s"]
            rules:
              - { id: agents-all, effect: permit, principals: { kinds: [agent] }, actions: ["*"], resources: ["*"] }
            masks:
              - { id: hide-ssn, columns: { tags: [pii.ssn] }, function: redact }
            """;
    private final JdbcDataSource h2 = new JdbcDataSource();
    private Connection raw;

    @BeforeEach
    void fixture() throws SQLException {
        h2.setURL("jdbc:h2:mem:sx-existing-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        raw = h2.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE sx_customers(id INT PRIMARY KEY, ssn VARCHAR(11))");
            s.execute("INSERT INTO sx_customers VALUES (1, '" + SSN + "')");
            s.execute("CREATE TABLE sx_clear(id INT, note VARCHAR(40))");
            s.execute("CREATE SCHEMA sx_other");
            // made by a DBA before the agent comes
            s.execute("CREATE SYNONYM sx_s FOR sx_customers");
            s.execute("CREATE SYNONYM sx_other.sx_s2 FOR PUBLIC.sx_customers");
        }
    }

    @AfterEach
    void close() throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    static Stream<Arguments> reads() {
        String[] patterns = {"sx_customers.ssn", "public.sx_customers.ssn"};
        String[] sqls = {
                "SELECT ssn FROM sx_s",
                "SELECT * FROM sx_s",
                "SELECT s.ssn FROM sx_s s JOIN sx_clear c ON c.id = s.id OR c.id IS NULL OR TRUE",
                "SELECT (SELECT MAX(ssn) FROM sx_s) AS x",
                "SELECT x FROM (SELECT ssn AS x FROM sx_s) q",
                "SELECT ssn FROM sx_other.sx_s2",
                "SELECT * FROM sx_other.sx_s2",
                "INSERT INTO sx_clear SELECT id, ssn FROM sx_s",
                "INSERT INTO sx_clear SELECT id, ssn FROM sx_other.sx_s2",
        };
        return Stream.of(patterns).flatMap(p -> Stream.of(sqls).map(q -> Arguments.of(p, q)));
    }

    interface Getter {
        Object get() throws SQLException;
    }

    /** The getter's value holds no SSN, or the getter is refused (a masked number has no byte[] form) naming none. */
    static void noSsn(String what, Getter getter) {
        Object value;
        try {
            value = getter.get();
        } catch (SQLException refused) {
            assertThat(refused.getMessage()).as(what).doesNotContain(SSN);
            return;
        }
        String text = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
        assertThat(text).as(what).doesNotContain(SSN);
    }

    private Connection agent(String pattern) throws SQLException {
        Governance governance = Governance.builder()
                .policy(PolicyLoader.fromString("existing-second-name.yaml", POLICY.formatted(pattern)))
                .withoutAudit().defaultIdentity(LaunderingAcrossStatementsSpec.AGENT).build();
        return new GovernedDataSource(h2, governance).getConnection();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("reads")
    void aSynonymMadeBeforehandReadsMaskedOrIsRefused(String pattern, String sql) throws SQLException {
        try (Connection c = agent(pattern); Statement s = c.createStatement()) {
            boolean query;
            try {
                query = s.execute(sql);
            } catch (SQLException refused) {
                assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
                assertThat(refused.getMessage()).contains("hide-ssn").doesNotContain(SSN);
                query = false;
            }
            if (query) {
                try (ResultSet rs = s.getResultSet()) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            int column = i;
                            noSsn(sql + " getString " + i, () -> rs.getString(column));
                            noSsn(sql + " getObject " + i, () -> rs.getObject(column));
                            noSsn(sql + " getBytes " + i, () -> rs.getBytes(column));
                        }
                    }
                }
            }
        }
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT COUNT(*) FROM sx_clear WHERE note = '" + SSN + "'")) {
            rs.next();
            if (rs.getInt(1) != 0) {
                fail(sql + " copied the SSN into sx_clear in clear (read raw)");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patterns")
    void aSynonymIsFollowedToItsTableSoItsOtherColumnsStayClearAndItsMaskedOneMasked(String pattern) throws SQLException {
        try (Connection c = agent(pattern); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, ssn FROM sx_other.sx_s2")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getString(2)).isEqualTo("****");
            assertThat(rs.getObject(2)).isEqualTo("****");
        }
    }

    static Stream<String> patterns() {
        return Stream.of("sx_customers.ssn", "public.sx_customers.ssn");
    }
}
