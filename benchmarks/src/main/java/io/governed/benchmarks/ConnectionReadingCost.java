package io.governed.benchmarks;

import java.lang.reflect.Field;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the server spends on a new governed connection's reading of the catalog (the search path and the relation
 * lookup of {@code PostgresSessionReader}), each scenario in a new session each run (a pool's new connection: the
 * server process's catalog caches cold): {@code EXPLAIN (ANALYZE, BUFFERS, SUMMARY)} planning and execution time of
 * each step, medians over the runs, the scenarios interleaved run by run. The queries are the driver's own texts (its
 * constants, read by reflection from the class path given), so the same file measures a build before and after a
 * change. Besides the driver's queries: {@code SELECT 1} (what any query pays), a plain {@code pg_class} lookup, a query
 * that opens every catalog the lookup reads (then the lookup: what is left once the catalogs are open), and the lookup
 * without one of its parts at a time (where those parts are found in the text), to tell what its planning costs.
 *
 * <p>Arguments: the raw JDBC URL, the number of runs, a table's name and a view's name (of the session's path).
 * Run as a single source file against the driver's classes, e.g.
 * {@code java -cp governance-jdbc/target/classes:governance-policy/target/classes:<pgjdbc jar>:<slf4j-api jar>
 * benchmarks/src/main/java/io/governed/benchmarks/ConnectionReadingCost.java URL 31 cc_probe cc_probe_v}.
 */
public final class ConnectionReadingCost {
    private static final Pattern PLAN = Pattern.compile("\"Planning Time\": ([0-9.]+)");
    private static final Pattern EXEC = Pattern.compile("\"Execution Time\": ([0-9.]+)");
    private static final String READER = "io.governed.jdbc.session.PostgresSessionReader";

    private ConnectionReadingCost() {
    }

    /** One step of a scenario: a query and the relation names it looks up (a view's object id for the view query). */
    private record Step(String query, String names) {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int runs = Integer.parseInt(args[1]);
        String table = args[2];
        String view = args[3];
        String relations = constant("RELATIONS");
        String views = constant("VIEWS");
        String touch = "SELECT (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.oid = 0)"
                + ", (SELECT 1 FROM pg_catalog.pg_rewrite WHERE ev_class = 0 LIMIT 1)"
                + ", (SELECT 1 FROM pg_catalog.pg_depend WHERE classid = 0 AND objid = 0 LIMIT 1)"
                + ", (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = 0 LIMIT 1)"
                + ", (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = 0 LIMIT 1)"
                + ", (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = 0 LIMIT 1)"
                + ", (SELECT 1 FROM pg_catalog.pg_type WHERE oid = 0)"
                + ", (SELECT 1 FROM pg_catalog.pg_attrdef WHERE adrelid = 0 LIMIT 1)"
                + ", (SELECT 1 FROM pg_catalog.pg_inherits WHERE inhrelid = 0 LIMIT 1)"
                + ", (SELECT 1 FROM pg_catalog.pg_index WHERE indrelid = 0 LIMIT 1)"
                + ", (SELECT 1 FROM pg_catalog.pg_statistic_ext WHERE stxrelid = 0 LIMIT 1)"
                + ", (SELECT 1 FROM pg_catalog.pg_operator WHERE oid = 0)"
                + ", (SELECT 1 FROM pg_catalog.pg_proc WHERE oid = 0)"
                + ", (SELECT 1 FROM pg_catalog.pg_policy WHERE polrelid = 0 LIMIT 1)";
        String lookup = "SELECT n.nspname, c.relname, c.relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
                + " ON n.oid OPERATOR(pg_catalog.=) c.relnamespace WHERE c.relname OPERATOR(pg_catalog.=) ANY"
                + " (CAST((SELECT ?::pg_catalog.text[]) AS pg_catalog.text[])) AND ?::pg_catalog.text[] IS NOT NULL";
        Map<String, List<Step>> scenarios = new LinkedHashMap<>();
        scenarios.put("SELECT 1", List.of(new Step("SELECT 1", null)));
        scenarios.put("search path", List.of(new Step(constant("SEARCH_PATH"), null)));
        scenarios.put("plain pg_class lookup, the table", List.of(new Step(lookup, table)));
        scenarios.put("relation lookup, the table", List.of(new Step(relations, table)));
        scenarios.put("relation lookup, the table, twice", List.of(new Step(relations, table), new Step(relations, table)));
        scenarios.put("catalogs opened, then relation lookup", List.of(new Step(touch, null), new Step(relations, table)));
        List<Step> viewSteps = new ArrayList<>(List.of(new Step(relations, view)));
        if (views != null) {
            viewSteps.add(new Step(views, view));
        }
        scenarios.put("relation lookup, the view" + (views != null ? ", then views" : ""), viewSteps);
        String closure = constant("VIEW_CLOSURE");
        String withoutViews = cut(cut(relations, "  WHEN c.relkind OPERATOR(pg_catalog.=) 'v' THEN NOT EXISTS (",
                "  ELSE false END AS read_plain", "  ELSE false END AS read_plain"),
                " CASE WHEN m.meant AND c.relkind OPERATOR(pg_catalog.=) 'v' THEN (" + closure, "END AS view_definitions,",
                " NULL AS view_definitions,");
        String nulls3 = " LEFT JOIN LATERAL (SELECT NULL::text[] schemas, NULL::text[] names, NULL::int depth) ";
        part(scenarios, "  without the view closure", withoutViews, table);
        part(scenarios, "  without the write routines", cut(relations, " LEFT JOIN LATERAL (WITH RECURSIVE ty(oid)",
                ") w ON true", " LEFT JOIN LATERAL (SELECT NULL::text[] schemas, NULL::text[] names, NULL::int[] events)"
                        + " w ON true"), table);
        part(scenarios, "  without row security's routines", cut(relations, " LEFT JOIN LATERAL (WITH pd(",
                ") rs ON true", " LEFT JOIN LATERAL (SELECT NULL::text[] schemas, NULL::text[] names) rs ON true"), table);
        part(scenarios, "  without the partitions", cut(cut(relations, " LEFT JOIN LATERAL (WITH RECURSIVE a(parent",
                ") up ON true", nulls3 + "up ON true"), " LEFT JOIN LATERAL (WITH RECURSIVE d(child", ") down ON true",
                nulls3 + "down ON true"), table);

        Map<String, List<List<double[]>>> samples = new LinkedHashMap<>();
        for (int run = 0; run < runs; run++) {
            for (Map.Entry<String, List<Step>> scenario : scenarios.entrySet()) {
                try (Connection c = DriverManager.getConnection(url)) {
                    List<List<double[]>> of = samples.computeIfAbsent(scenario.getKey(), k -> new ArrayList<>());
                    for (int i = 0; i < scenario.getValue().size(); i++) {
                        if (of.size() <= i) {
                            of.add(new ArrayList<>());
                        }
                        of.get(i).add(explain(c, scenario.getValue().get(i)));
                    }
                }
            }
        }
        System.out.printf("%-48s %s%n", "new session per run, medians of " + runs, "step: planning ms / execution ms");
        for (Map.Entry<String, List<List<double[]>>> scenario : samples.entrySet()) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < scenario.getValue().size(); i++) {
                line.append(String.format("  [%d] %7.2f / %7.2f", i + 1, median(scenario.getValue().get(i), 0),
                        median(scenario.getValue().get(i), 1)));
            }
            System.out.printf("%-48s%s%n", scenario.getKey(), line);
        }
    }

    private static void part(Map<String, List<Step>> scenarios, String name, String query, String table) {
        if (query != null) {
            scenarios.put(name, List.of(new Step(query, table)));
        }
    }

    /** {@code query} with the text from {@code from} to {@code to} replaced, or {@code null} when it has no such text. */
    private static String cut(String query, String from, String to, String with) {
        int a = query == null ? -1 : query.indexOf(from);
        int b = a < 0 ? -1 : query.indexOf(to, a);
        return b < 0 ? null : query.substring(0, a) + with + query.substring(b + to.length());
    }

    /** A constant of the reader's, or {@code null} where this build of it has none of that name. */
    private static String constant(String name) throws ReflectiveOperationException {
        try {
            Field field = Class.forName(READER).getDeclaredField(name);
            field.setAccessible(true);
            return (String) field.get(null);
        } catch (NoSuchFieldException none) {
            return null;
        }
    }

    /** Planning and execution ms of one {@code EXPLAIN (ANALYZE, BUFFERS, SUMMARY)} run of {@code step}. */
    private static double[] explain(Connection c, Step step) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, SUMMARY, FORMAT JSON) " + step.query())) {
            int parameters = s.getParameterMetaData().getParameterCount();
            if (parameters == 1) { // the view query: the views' object ids
                List<Long> oids = new ArrayList<>();
                try (PreparedStatement q = c.prepareStatement(
                        "SELECT oid FROM pg_catalog.pg_class WHERE relname = ? AND relkind = 'v'")) {
                    q.setString(1, step.names());
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            oids.add(rs.getLong(1));
                        }
                    }
                }
                s.setArray(1, c.createArrayOf("oid", oids.toArray()));
            } else if (parameters == 2) { // the relation lookup: the schemas asked for by name, the names
                Array schemas = c.createArrayOf("text", new Object[0]);
                s.setArray(1, schemas);
                s.setArray(2, c.createArrayOf("text", new Object[] {step.names()}));
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                String plan = rs.getString(1);
                return new double[] {number(PLAN, plan), number(EXEC, plan)};
            }
        }
    }

    private static double number(Pattern pattern, String plan) {
        Matcher m = pattern.matcher(plan);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static double median(List<double[]> samples, int index) {
        List<Double> values = new ArrayList<>();
        samples.forEach(s -> values.add(s[index]));
        Collections.sort(values);
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }
}
