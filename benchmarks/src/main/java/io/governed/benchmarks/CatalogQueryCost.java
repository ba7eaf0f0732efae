package io.governed.benchmarks;

import java.lang.reflect.Field;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's cost of each catalog query the governed driver sends to PostgreSQL on its own: {@code EXPLAIN (ANALYZE,
 * BUFFERS)} of each, run a number of times in a new session each time (a pool's new connection: the server process's
 * catalog caches are cold) and in one kept session, with the medians of planning and execution time and of the
 * buffers the top node hit and read. The queries are the driver's own texts (its constants, read by reflection), not
 * copies. The shadowing reading is measured both as the five queries it was (run in one session, summed) and as the
 * one query it is.
 *
 * <p>Arguments: the raw JDBC URL (default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}), the number of
 * runs (default 20), and the relation names the relation lookup looks up (default: 20 tables of the database, the
 * system's own where it has fewer of its own).
 */
public final class CatalogQueryCost {
    private static final Pattern PLANNING = Pattern.compile("\"Planning Time\": ([0-9.]+)");
    private static final Pattern EXECUTION = Pattern.compile("\"Execution Time\": ([0-9.]+)");
    private static final Pattern HIT = Pattern.compile("\"Shared Hit Blocks\": ([0-9]+)");
    private static final Pattern READ = Pattern.compile("\"Shared Read Blocks\": ([0-9]+)");

    private CatalogQueryCost() {
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<String> names = new ArrayList<>();
        if (args.length > 2) {
            names.addAll(List.of(args[2].split(",")));
        } else {
            try (Connection c = DriverManager.getConnection(url); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT relname FROM pg_catalog.pg_class WHERE relkind = 'r' ORDER BY relnamespace"
                            + " OPERATOR(pg_catalog.=) 'pg_catalog'::pg_catalog.regnamespace, relname LIMIT 20")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        Map<String, List<String>> queries = new LinkedHashMap<>();
        String session = "io.governed.jdbc.session.PostgresSessionReader";
        String routines = "io.governed.jdbc.routines.PostgresRoutineCatalog";
        queries.put("search path", List.of(constant(session, "SEARCH_PATH")));
        queries.put("relations (1 name)", List.of(constant(session, "RELATIONS")));
        queries.put("relations (" + names.size() + " names)", List.of(constant(session, "RELATIONS")));
        queries.put("built-ins", List.of(constant(routines, "QUERY")));
        List<String> five = new ArrayList<>();
        for (String kind : List.of("USER_FUNCTION_NAMES", "CHECKED_DOMAIN_NAMES", "USER_CAST_TYPES",
                "USER_CASTS_BETWEEN_SYSTEM_TYPES", "USER_OPERATOR_SYMBOLS")) {
            five.add(constant(routines, kind));
        }
        queries.put("shadowing, 5 queries (sum)", five);
        String merged = optionalConstant(routines, "SHADOWING");
        if (merged != null) {
            queries.put("shadowing, 1 query", List.of(merged));
        }
        System.out.printf("%-44s %8s %8s %8s %8s%n", "query (median of " + runs + ")", "plan ms", "exec ms",
                "hit", "read");
        for (Map.Entry<String, List<String>> query : queries.entrySet()) {
            List<String> bound = query.getKey().startsWith("relations (1") ? names.subList(0, 1) : names;
            for (boolean fresh : new boolean[] {true, false}) {
                List<double[]> samples = new ArrayList<>();
                Connection kept = fresh ? null : DriverManager.getConnection(url);
                try {
                    for (int run = 0; run < runs; run++) {
                        Connection c = fresh ? DriverManager.getConnection(url) : kept;
                        try {
                            double[] sum = new double[4];
                            for (String text : query.getValue()) {
                                double[] one = explain(c, text, bound);
                                for (int i = 0; i < sum.length; i++) {
                                    sum[i] += one[i];
                                }
                            }
                            samples.add(sum);
                        } finally {
                            if (fresh) {
                                c.close();
                            }
                        }
                    }
                } finally {
                    if (kept != null) {
                        kept.close();
                    }
                }
                System.out.printf("%-44s %8.2f %8.2f %8.0f %8.0f%n",
                        query.getKey() + (fresh ? ", new session" : ", kept session"),
                        median(samples, 0), median(samples, 1), median(samples, 2), median(samples, 3));
            }
        }
    }

    /** A constant of the driver's, or {@code null} where this version of it has none of that name. */
    private static String optionalConstant(String type, String name) throws ReflectiveOperationException {
        try {
            return constant(type, name);
        } catch (NoSuchFieldException none) {
            return null;
        }
    }

    private static String constant(String type, String name) throws ReflectiveOperationException {
        Field field = Class.forName(type).getDeclaredField(name);
        field.setAccessible(true);
        return (String) field.get(null);
    }

    /** Planning ms, execution ms, shared buffers hit and read of one EXPLAIN (ANALYZE, BUFFERS) run. */
    private static double[] explain(Connection c, String query, List<String> names) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + query)) {
            int parameters = s.getParameterMetaData().getParameterCount();
            if (parameters == 2) { // the relation lookup: the schemas asked for by name, the names
                Array schemas = c.createArrayOf("text", new Object[0]);
                Array array = c.createArrayOf("text", names.toArray());
                s.setArray(1, schemas);
                s.setArray(2, array);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                String plan = rs.getString(1);
                return new double[] {number(PLANNING, plan), number(EXECUTION, plan), first(HIT, plan),
                        first(READ, plan)};
            }
        }
    }

    private static double number(Pattern pattern, String plan) {
        Matcher m = pattern.matcher(plan);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** The top node's count (the first in the JSON plan: its totals include its children's). */
    private static double first(Pattern pattern, String plan) {
        return number(pattern, plan);
    }

    private static double median(List<double[]> samples, int column) {
        double[] values = samples.stream().mapToDouble(s -> s[column]).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
