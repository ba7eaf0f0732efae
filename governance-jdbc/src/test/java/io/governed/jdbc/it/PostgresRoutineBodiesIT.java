package io.governed.jdbc.it;

import io.governed.jdbc.support.EveryGetter;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A user routine's body reads what it likes: {@code get_ssn(id)}, {@code LANGUAGE sql AS 'SELECT ssn FROM customers
 * WHERE id = $1'} (or plpgsql), called by a caller who may select {@code orders} and {@code customers} and call the
 * routine, reads {@code customers.ssn}, which a mask hides from that caller. A permit to call the routine is no consent to hand out
 * what its body reads: wherever the call stands (select list, WHERE, FROM, inside another routine), its result must
 * not bring the masked value back in clear, nor answer questions about it to a caller the mask's
 * {@code deny-inference} names.
 */
class PostgresRoutineBodiesIT {
    private static final String SECRET = "078-05-1120";
    private static final TestDatabase DATABASE = TestDatabase.POSTGRESQL;
    private static final String CUSTOMERS = UniqueNames.of("rb_customers");
    private static final String ORDERS = UniqueNames.of("rb_orders");
    private static final String F = UniqueNames.of("rb_fn");
    /** What {@link UniqueNames} adds to every name of this run ({@code _} and eight hex digits). */
    private static final String RUN_SUFFIX = F.substring("rb_fn".length());

    @TempDir
    static Path dir;

    @BeforeAll
    static void createTablesAndRoutines() throws SQLException {
        DATABASE.requireReachable();
        try (Connection raw = DATABASE.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + CUSTOMERS + " (id INT PRIMARY KEY, name TEXT, ssn TEXT)");
            s.execute("INSERT INTO " + CUSTOMERS + " VALUES (1, 'ada', '" + SECRET + "')");
            s.execute("CREATE TABLE " + ORDERS + " (id INT PRIMARY KEY, customer_id INT, amount INT)");
            s.execute("INSERT INTO " + ORDERS + " VALUES (10, 1, 5)");
            s.execute("CREATE FUNCTION " + F + "_sql(k INT) RETURNS TEXT LANGUAGE sql STABLE AS "
                    + "'SELECT ssn FROM " + CUSTOMERS + " WHERE id = $1'");
            s.execute("CREATE FUNCTION " + F + "_std(k INT) RETURNS TEXT LANGUAGE sql STABLE "
                    + "BEGIN ATOMIC SELECT ssn FROM " + CUSTOMERS + " WHERE id = k; END");
            s.execute("CREATE FUNCTION " + F + "_pl(k INT) RETURNS TEXT LANGUAGE plpgsql STABLE AS $$ "
                    + "BEGIN RETURN (SELECT ssn FROM " + CUSTOMERS + " WHERE id = k); END $$");
            s.execute("CREATE FUNCTION " + F + "_wrap(k INT) RETURNS TEXT LANGUAGE sql STABLE AS "
                    + "'SELECT " + F + "_pl(k)'");
            s.execute("CREATE FUNCTION " + F + "_ret(k INT) RETURNS TEXT LANGUAGE sql STABLE "
                    + "RETURN (SELECT ssn FROM " + CUSTOMERS + " WHERE id = k)");
            s.execute("CREATE FUNCTION " + F + "_path(k INT) RETURNS TEXT LANGUAGE sql STABLE SET search_path = public AS "
                    + "'SELECT ssn FROM " + CUSTOMERS + " WHERE id = k'");
            s.execute("CREATE FUNCTION " + F + "_wrapsql(k INT) RETURNS TEXT LANGUAGE sql STABLE AS "
                    + "'SELECT " + F + "_sql(k)'");
            s.execute("CREATE FUNCTION " + F + "_name(k INT) RETURNS TEXT LANGUAGE sql STABLE AS "
                    + "'SELECT name FROM " + CUSTOMERS + " WHERE id = k'");
            s.execute("CREATE FUNCTION " + F + "_set() RETURNS TABLE (id INT, ssn TEXT) LANGUAGE sql STABLE AS "
                    + "'SELECT id, ssn FROM " + CUSTOMERS + "'");
            s.execute("CREATE FUNCTION " + F + "_setpl() RETURNS SETOF " + CUSTOMERS + " LANGUAGE plpgsql STABLE AS $$ "
                    + "BEGIN RETURN QUERY SELECT * FROM " + CUSTOMERS + "; END $$");
            s.execute("CREATE FUNCTION " + F + "_row(k INT) RETURNS " + CUSTOMERS + " LANGUAGE sql STABLE AS "
                    + "'SELECT * FROM " + CUSTOMERS + " WHERE id = k'");
            s.execute("CREATE FUNCTION " + F + "_wipe() RETURNS INT LANGUAGE sql AS "
                    + "'DELETE FROM " + ORDERS + " RETURNING 1'");
        }
    }

    @AfterAll
    static void dropThem() throws SQLException {
        if (DATABASE.unreachableReason().isPresent()) {
            return;
        }
        try (Connection raw = DATABASE.connectRaw(); Statement s = raw.createStatement()) {
            for (String f : List.of("_wipe()", "_wrap(INT)", "_wrapsql(INT)", "_path(INT)", "_name(INT)", "_ret(INT)", "_sql(INT)", "_std(INT)", "_pl(INT)", "_set()", "_setpl()", "_row(INT)")) {
                s.execute("DROP FUNCTION IF EXISTS " + F + f);
            }
            s.execute("DROP TABLE IF EXISTS " + ORDERS);
            s.execute("DROP TABLE IF EXISTS " + CUSTOMERS);
        }
    }

    /**
     * The caller may select {@code orders} and {@code customers} and call the routines; {@code customers.ssn} is masked
     * for it. (A routine whose body cannot be read, {@code _path} with its own search path, may do anything, which this
     * caller may not: it is refused.)
     */
    private static Connection caller(String kind) throws Exception {
        return caller(kind, """
                rules:
                  - { id: read-orders, effect: permit, actions: [select], resources: ["public.%s", "public.%s"] }
                  - { id: call-routines, effect: permit, actions: [call], resources: ["*.%s*"] }
                masks:
                  - { id: hide-ssn, columns: { patterns: ["%s.ssn"] }, function: redact }
                """.formatted(ORDERS, CUSTOMERS, F, CUSTOMERS));
    }

    private static Connection caller(String kind, String rules) throws Exception {
        Path policy = dir.resolve("policy-" + kind + "-" + Integer.toHexString(rules.hashCode()) + ".yaml");
        Files.writeString(policy, "version: 1\n" + rules);
        Properties settings = new Properties();
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.kind", kind);
        return DATABASE.connectGoverned(settings);
    }

    @Test
    void aRoutinesResultDoesNotBringAMaskedValueBackInClear() throws Exception {
        List<String> statements = new ArrayList<>();
        for (String routine : List.of(F + "_sql", F + "_std", F + "_ret", F + "_pl", F + "_path", F + "_wrap", F + "_wrapsql")) {
            statements.add("SELECT " + routine + "(customer_id) FROM " + ORDERS);
            statements.add("SELECT o.id, " + routine + "(o.customer_id) AS note FROM " + ORDERS + " o");
            statements.add("SELECT " + routine + "(1)");
            statements.add("SELECT upper(" + routine + "(customer_id)) FROM " + ORDERS);
            statements.add("SELECT x.v FROM (SELECT " + routine + "(customer_id) AS v FROM " + ORDERS + ") x");
            statements.add("SELECT * FROM (SELECT " + routine + "(customer_id) AS v FROM " + ORDERS + ") x");
            statements.add("WITH c AS (SELECT " + routine + "(1) AS v) SELECT * FROM c");
        }
        for (String routine : List.of(F + "_set()", F + "_setpl()")) {
            statements.add("SELECT * FROM " + routine);
            statements.add("SELECT s.ssn FROM " + routine + " s");
            statements.add("SELECT o.id, s.* FROM " + ORDERS + " o JOIN " + routine + " s ON s.id = o.customer_id");
            statements.add("SELECT " + routine);
        }
        statements.add("SELECT ssn FROM " + F + "_set() AS s(id, ssn)");
        statements.add("SELECT " + F + "_row(1)");
        statements.add("SELECT (" + F + "_row(1)).ssn");
        statements.add("SELECT * FROM " + F + "_row(1)");
        statements.add("SELECT r.ssn FROM " + F + "_row(1) r");
        List<String> leaks = new ArrayList<>();
        int answered = 0;
        for (String kind : List.of("service", "agent")) {
            try (Connection c = caller(kind); Statement s = c.createStatement()) {
                for (String sql : statements) {
                    try (ResultSet rs = s.executeQuery(sql)) {
                        answered++;
                        // a value may carry the routine's name (its column's label), whose run suffix may hold "078"
                        if (EveryGetter.ofAllRows(rs).stream().map(v -> v.replace(RUN_SUFFIX, ""))
                                .anyMatch(v -> v.contains(SECRET) || v.contains("078"))) {
                            leaks.add(kind + ": " + sql);
                        }
                    } catch (SQLException e) {
                        assertThat(e.getSQLState()).as(sql).isEqualTo("42501");
                    }
                }
            }
        }
        assertThat(answered).as("statements answered").isPositive();
        assertThat(leaks).as("statements that returned the masked SSN in clear through a routine").isEmpty();
    }

    @Test
    void aRoutinesResultAnswersNoQuestionAboutAMaskedValue() throws Exception {
        List<String> statements = new ArrayList<>();
        for (String routine : List.of(F + "_sql", F + "_std", F + "_ret", F + "_pl", F + "_path", F + "_wrap", F + "_wrapsql")) {
            statements.add("SELECT count(*) FROM " + ORDERS + " WHERE " + routine + "(customer_id) LIKE '078%'");
            statements.add("SELECT id FROM " + ORDERS + " WHERE " + routine + "(customer_id) = '" + SECRET + "'");
            statements.add("SELECT id FROM " + ORDERS + " ORDER BY " + routine + "(customer_id)");
            statements.add("SELECT count(*) FROM (SELECT " + routine + "(customer_id) AS v FROM " + ORDERS + ") x "
                    + "WHERE x.v LIKE '078%'");
            statements.add("SELECT CASE WHEN " + routine + "(1) LIKE '078%' THEN 1 ELSE 0 END");
        }
        for (String routine : List.of(F + "_set()", F + "_setpl()")) {
            statements.add("SELECT count(*) FROM " + routine + " s WHERE s.ssn LIKE '078%'");
            statements.add("SELECT o.id FROM " + ORDERS + " o JOIN " + routine + " s ON s.id = o.customer_id "
                    + "AND s.ssn LIKE '078%'");
            statements.add("SELECT count(*) FROM " + routine + " WHERE ssn = '" + SECRET + "'");
        }
        statements.add("SELECT count(*) FROM " + F + "_row(1) r WHERE r.ssn LIKE '078%'");
        List<String> answeredAnyway = new ArrayList<>();
        try (Connection c = caller("agent"); Statement s = c.createStatement()) {
            for (String sql : statements) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    EveryGetter.ofAllRows(rs);
                    answeredAnyway.add(sql);
                } catch (SQLException e) {
                    assertThat(e.getSQLState()).as(sql).isEqualTo("42501");
                }
            }
        }
        assertThat(answeredAnyway).as("statements that tested a masked value through a routine for an agent").isEmpty();
    }

    /**
     * A routine whose body is SQL reads what its body reads: a caller who may select {@code orders} and call the routine,
     * but not select {@code customers}, is refused a call that reads {@code customers}, wherever it stands; with a permit
     * on {@code customers} as well, the same statements run; and under a row filter on {@code customers}, which the
     * rewrite of the statement cannot carry into the routine's body, they are refused.
     */
    @Test
    void aBodysUnboundedDeleteIsRefusedAsTheStatementsOwnWouldBe() throws Exception {
        Path app = dir.resolve("app-calls.yaml");
        Files.writeString(app, """
                version: 1
                rules:
                  - { id: call-routines, effect: permit, actions: [call], resources: ["*.%s*"] }
                """.formatted(F));
        Properties settings = new Properties();
        settings.setProperty("governed.policy", "classpath:io/governed/policy/baseline.yaml, " + app);
        settings.setProperty("governed.kind", "service");
        try (Connection c = DATABASE.connectGoverned(settings); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT " + F + "_wipe()"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
                    .hasMessageContaining("baseline-no-unbounded-writes");
        }
        try (Connection raw = DATABASE.connectRaw(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + ORDERS)) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("orders, read back raw").isEqualTo(1);
        }
    }

    @Test
    void aRoutineWrittenInSqlReadsOnlyWhatTheCallerMaySelect() throws Exception {
        List<String> statements = new ArrayList<>();
        for (String routine : List.of(F + "_name", F + "_sql", F + "_std", F + "_ret", F + "_wrapsql")) {
            statements.add("SELECT " + routine + "(customer_id) FROM " + ORDERS);
            statements.add("SELECT id FROM " + ORDERS + " WHERE " + routine + "(customer_id) IS NOT NULL");
            statements.add("SELECT " + routine + "(1)");
        }
        statements.add("SELECT * FROM " + F + "_set()");
        statements.add("SELECT o.id FROM " + ORDERS + " o JOIN " + F + "_set() s ON s.id = o.customer_id");
        String ordersOnly = """
                rules:
                  - { id: read-orders, effect: permit, actions: [select], resources: ["public.%s"] }
                  - { id: call-routines, effect: permit, actions: [call], resources: ["*.%s*"] }
                """.formatted(ORDERS, F);
        List<String> answered = new ArrayList<>();
        try (Connection c = caller("service", ordersOnly); Statement s = c.createStatement()) {
            for (String sql : statements) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    EveryGetter.ofAllRows(rs);
                    answered.add(sql);
                } catch (SQLException e) {
                    assertThat(e.getSQLState()).as(sql).isEqualTo("42501");
                    assertThat(e.getMessage()).as(sql).contains(CUSTOMERS);
                }
            }
        }
        assertThat(answered).as("statements that read customers through a routine without a permit to select it").isEmpty();
        String withCustomers = ordersOnly + """
                  - { id: read-customers, effect: permit, actions: [select], resources: ["public.%s"] }
                """.formatted(CUSTOMERS);
        try (Connection c = caller("service", withCustomers); Statement s = c.createStatement()) {
            for (String sql : statements) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    assertThat(EveryGetter.ofAllRows(rs)).as(sql).isNotEmpty();
                }
            }
        }
        String filtered = withCustomers + """
                row-filters:
                  - { id: other-customers, tables: ["public.%s"], filter: "id <> 1" }
                """.formatted(CUSTOMERS);
        try (Connection c = caller("service", filtered); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT ssn FROM " + CUSTOMERS)) {
                assertThat(rs.next()).as("the filter hides customer 1 from a statement that names the table").isFalse();
            }
            for (String sql : statements) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    EveryGetter.ofAllRows(rs);
                    answered.add("filtered: " + sql);
                } catch (SQLException e) {
                    assertThat(e.getSQLState()).as(sql).isEqualTo("42501");
                    assertThat(e.getMessage()).as(sql).contains("other-customers");
                }
            }
        }
        assertThat(answered).as("statements that read rows a row filter hides through a routine's body").isEmpty();
    }
}
