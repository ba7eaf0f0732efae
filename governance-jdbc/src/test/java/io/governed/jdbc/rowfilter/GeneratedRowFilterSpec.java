package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated row filters and statements: a filter {@code tenant_id = :identity.tenant AND (<generated>)} (comparisons,
 * IN, BETWEEN, IS NULL, AND and OR of them, over a table with NULLs) and a caller's condition of the same grammar, its
 * values literals or {@code ?}, in a SELECT (plain, joined, in a derived table, a CTE, an IN subquery), an UPDATE or
 * a DELETE. The governed statement of tenant t1 sees exactly what the same statement sees over a raw copy of the rows
 * the filter admits, and changes exactly the rows the filter and its WHERE admit (read through a raw connection).
 */
abstract class GeneratedRowFilterSpec {
    private final String orders = UniqueNames.of("rx_genrf_orders");
    private final String own = UniqueNames.of("rx_genrf_own");
    private final String items = UniqueNames.of("rx_genrf_items");
    private Connection raw;

    abstract TestDatabase database();

    /** id, tenant, note (NULL in some), total (NULL in some), mark (0). */
    private static final String ROWS = "(1, 't1', 'a', 10, 0), (2, 't1', NULL, 20, 0), (3, 't2', 'b', 30, 0),"
            + " (4, 't1', 'b', NULL, 0), (5, 't1', 'c', 30, 0), (6, 't2', NULL, 5, 0), (7, 't1', 'a', 70, 0),"
            + " (8, 't1', NULL, NULL, 0), (9, 't2', 'c', 20, 0), (10, 't1', 'b', 5, 0)";

    @BeforeProperty
    void createTables() throws SQLException {
        database().requireReachable();
        raw = database().connectRaw();
        try (Statement st = raw.createStatement()) {
            for (String table : List.of(orders, own)) {
                st.execute("DROP TABLE IF EXISTS " + table);
                st.execute("CREATE TABLE " + table + " (id integer PRIMARY KEY, tenant_id varchar(5), note varchar(5),"
                        + " total integer, mark integer)");
            }
            st.execute("DROP TABLE IF EXISTS " + items);
            st.execute("CREATE TABLE " + items + " (id integer PRIMARY KEY, order_id integer)");
            st.execute("INSERT INTO " + items + " VALUES (101, 1), (102, 2), (103, 3), (104, 5), (105, 5), (106, 8),"
                    + " (107, 9), (108, 10)");
        }
    }

    @AfterProperty
    void dropTables() throws SQLException {
        try (Statement st = raw.createStatement()) {
            for (String table : List.of(orders, own, items)) {
                st.execute("DROP TABLE IF EXISTS " + table);
            }
        } finally {
            raw.close();
        }
    }

    /** A condition's text, and the values of its {@code ?} in order. */
    record Condition(String text, List<Object> parameters) {
        Condition and(Condition other, String connective) {
            List<Object> all = new ArrayList<>(parameters);
            all.addAll(other.parameters);
            return new Condition("(" + text + " " + connective + " " + other.text + ")", all);
        }

        @Override
        public String toString() {
            return text + " " + parameters;
        }
    }

    private static final List<String> OPERATORS = List.of("=", "<>", "!=", "<", "<=", ">", ">=");

    /** A value of {@code column}: a literal, or (when {@code parameters}) a {@code ?} bound to it. */
    private static Arbitrary<Condition> value(String column, boolean parameters) {
        Arbitrary<Object> literal = column.endsWith("note") ? Arbitraries.of("a", "b", "c", "z")
                : Arbitraries.integers().between(0, 75).map(i -> (Object) i);
        return Combinators.combine(literal, Arbitraries.of(true, false)).as((v, asParameter) ->
                parameters && asParameter ? new Condition("?", List.of(v))
                        : new Condition(v instanceof String s ? "'" + s + "'" : v.toString(), List.of()));
    }

    /** The spellings of a null test the database reads (PostgreSQL adds ISNULL and NOTNULL). */
    List<String> nullTests() {
        return List.of(" IS NULL", " IS NOT NULL");
    }

    private Arbitrary<Condition> atom(String prefix, boolean parameters, List<String> nullTests) {
        Arbitrary<String> column = Arbitraries.of(prefix + "id", prefix + "total", prefix + "note");
        return column.flatMap(c -> Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of(OPERATORS), value(c, parameters), Arbitraries.of(true, false))
                        .as((op, v, columnLeft) -> new Condition(columnLeft ? c + " " + op + " " + v.text()
                                : v.text() + " " + op + " " + c, v.parameters())),
                Combinators.combine(value(c, parameters), value(c, parameters), Arbitraries.of("IN", "NOT IN"))
                        .as((a, b, in) -> list(c + " " + in + " (", a, b)),
                Combinators.combine(value(c, parameters), value(c, parameters), Arbitraries.of("BETWEEN", "NOT BETWEEN"))
                        .as((a, b, between) -> {
                            List<Object> all = new ArrayList<>(a.parameters());
                            all.addAll(b.parameters());
                            return new Condition(c + " " + between + " " + a.text() + " AND " + b.text(), all);
                        }),
                Arbitraries.of(nullTests).map(t -> new Condition(c + t, List.of()))));
    }

    private static Condition list(String head, Condition a, Condition b) {
        List<Object> all = new ArrayList<>(a.parameters());
        all.addAll(b.parameters());
        return new Condition(head + a.text() + ", " + b.text() + ")", all);
    }

    Arbitrary<Condition> condition(String prefix, boolean parameters, int depth, List<String> nullTests) {
        if (depth == 0) {
            return atom(prefix, parameters, nullTests);
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, atom(prefix, parameters, nullTests)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(condition(prefix, parameters, depth - 1, nullTests),
                        condition(prefix, parameters, depth - 1, nullTests), Arbitraries.of("AND", "OR"))
                        .as((a, b, op) -> a.and(b, op))));
    }

    @Provide
    Arbitrary<Condition> filters() {
        return condition("", false, 2, List.of(" IS NULL", " IS NOT NULL"));
    }

    /** The statement forms: {T} the filtered table, {I} the items, {W} the caller's condition over o's columns. */
    static final List<String> SELECTS = List.of(
            "SELECT id FROM {T} WHERE {U}",
            "SELECT o.id FROM {T} o WHERE {W}",
            "SELECT o.id FROM {T} o JOIN {I} i ON i.order_id = o.id WHERE {W}",
            "SELECT i.id FROM {I} i LEFT JOIN {T} o ON o.id = i.order_id AND {W} WHERE o.id IS NOT NULL",
            "SELECT x.id FROM (SELECT * FROM {T} o WHERE {W}) x",
            "WITH c AS (SELECT o.id FROM {T} o WHERE {W}) SELECT id FROM c",
            "SELECT i.id FROM {I} i WHERE i.order_id IN (SELECT o.id FROM {T} o WHERE {W})",
            "SELECT i.id FROM {I} i WHERE EXISTS (SELECT 1 FROM {T} o WHERE o.id = i.order_id AND {W})");

    @Provide
    Arbitrary<String> selects() {
        return Arbitraries.of(SELECTS);
    }

    @Provide
    Arbitrary<Condition> wheres() {
        return condition("o.", true, 2, nullTests());
    }

    private Path policy(Condition filter) throws Exception {
        Path policy = Files.createTempFile("rx-genrf", ".yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                row-filters:
                  - id: generated
                    tables: ["%s"]
                    filter: "tenant_id = :identity.tenant AND (%s)"
                """.formatted(orders, filter.text()));
        return policy;
    }

    private Connection tenantOne(Path policy) throws SQLException {
        Properties settings = new Properties();
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.attribute.tenant", "t1");
        return database().connectGoverned(settings);
    }

    private void reset(Condition filter) throws SQLException {
        try (Statement st = raw.createStatement()) {
            st.execute("DELETE FROM " + orders);
            st.execute("INSERT INTO " + orders + " VALUES " + ROWS);
            st.execute("DELETE FROM " + own);
            st.execute("INSERT INTO " + own + " SELECT * FROM " + orders + " WHERE tenant_id = 't1' AND ("
                    + filter.text() + ")");
        }
    }

    private static List<Integer> ids(Connection c, String sql, List<Object> parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                ps.setObject(i + 1, parameters.get(i));
            }
            List<Integer> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getInt(1));
                }
            }
            ids.sort(null);
            return ids;
        }
    }

    private static int update(Connection c, String sql, List<Object> parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                ps.setObject(i + 1, parameters.get(i));
            }
            return ps.executeUpdate();
        }
    }

    private String statement(String template, String table, Condition where) {
        return template.replace("{T}", table).replace("{I}", items).replace("{W}", where.text())
                .replace("{U}", where.text().replace("o.", ""));
    }

    @Property(tries = 150, edgeCases = EdgeCasesMode.MIXIN)
    void aGovernedSelectSeesWhatTheSameSelectSeesOverTheAdmittedRows(@ForAll("filters") Condition filter,
            @ForAll("selects") String template, @ForAll("wheres") Condition where) throws Exception {
        reset(filter);
        Path policy = policy(filter);
        try (Connection c = tenantOne(policy)) {
            List<Integer> expected = ids(raw, statement(template, own, where), where.parameters());
            assertThat(ids(c, statement(template, orders, where), where.parameters()))
                    .as("%s under %s", statement(template, orders, where), filter).isEqualTo(expected);
        } finally {
            Files.deleteIfExists(policy);
        }
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.MIXIN)
    void aGovernedUpdateOrDeleteChangesExactlyTheAdmittedRowsItsWhereNames(@ForAll("filters") Condition filter,
            @ForAll("wheres") Condition where, @ForAll boolean delete) throws Exception {
        reset(filter);
        String condition = where.text().replace("o.", "");
        List<Integer> expected = ids(raw, "SELECT id FROM " + own + " WHERE " + condition, where.parameters());
        List<Integer> before = ids(raw, "SELECT id FROM " + orders, List.of());
        String sql = delete ? "DELETE FROM " + orders + " WHERE " + condition
                : "UPDATE " + orders + " SET mark = 1 WHERE " + condition;
        Path policy = policy(filter);
        try (Connection c = tenantOne(policy)) {
            assertThat(update(c, sql, where.parameters())).as("%s under %s", sql, filter).isEqualTo(expected.size());
        } finally {
            Files.deleteIfExists(policy);
        }
        if (delete) {
            List<Integer> left = new ArrayList<>(before);
            left.removeAll(expected);
            assertThat(ids(raw, "SELECT id FROM " + orders, List.of())).as("%s under %s", sql, filter).isEqualTo(left);
        } else {
            assertThat(ids(raw, "SELECT id FROM " + orders + " WHERE mark = 1", List.of())).as("%s under %s", sql, filter)
                    .isEqualTo(expected);
        }
    }
}
