package io.governed.jdbc.masking;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.ExceptionTexts;
import org.junit.jupiter.api.Test;

import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * Every conversion a caller can ask of a masked column through the JDBC API, on each driver: getObject(i, type) and
 * getObject(label, type) for every type any of the three drivers converts to (the JDK's and the drivers' own), every
 * getter of a result reached another way (Statement.execute then getResultSet, getMoreResults, a masked array's
 * getResultSet, a driver object's toString), with a type map. Nothing a getter returns, and no message of what it
 * throws, holds the masked value or a piece of it. One subclass per database; each creates and drops its own table.
 */
abstract class MaskedConversionsSpec {
    static final String POLICY = """
            version: 1
            default: deny
            on-unparseable: deny
            classification:
              auto-detect: false
              tags:
                pii.ssn: ["*.ssn", "*.ssn_json", "*.ssn_list", "*.ssn_doc"]
            rules:
              - { id: read, effect: permit, actions: [select, call] }
            masks:
              - { id: hide-ssn, columns: { tags: [pii.ssn] }, function: redact }
            """;
    /** The masked value; none of its pieces may come back. */
    static final String SSN = "219-45-6789";
    static final List<String> PIECES = List.of(SSN, "219-45", "45-6789", "2194", "456789");

    /** A governed connection, as a caller the mask applies to. */
    abstract Connection governed() throws Exception;

    /** The query reading the masked columns: ssn first, then the others the database has. */
    abstract String query();

    /** What a CallableStatement runs to read the masked columns: the query itself where the driver takes it. */
    String callSql() {
        return query();
    }

    /** Several queries in one text, the masked columns read in later ones; null where the driver runs one. */
    String multiQuery() {
        return null;
    }

    /** The driver's own classes a caller may name in getObject(i, type). */
    List<String> driverTypes() {
        return List.of();
    }

    static final List<Class<?>> JDK_TYPES = List.of(String.class, Object.class, CharSequence.class, Comparable.class,
            java.io.Serializable.class, java.io.Reader.class, java.io.InputStream.class, java.sql.Clob.class,
            java.sql.NClob.class, java.sql.Blob.class, byte[].class, char[].class, java.sql.SQLXML.class, Array.class,
            java.sql.Struct.class, java.sql.Ref.class, java.sql.RowId.class, java.net.URL.class, java.util.UUID.class,
            java.time.LocalDate.class, java.time.LocalTime.class, java.time.LocalDateTime.class,
            java.time.OffsetDateTime.class, java.time.OffsetTime.class, java.time.ZonedDateTime.class,
            java.time.Instant.class, java.time.Duration.class, java.time.Period.class, java.sql.Date.class,
            java.sql.Time.class, java.sql.Timestamp.class, java.util.Date.class, java.util.Calendar.class,
            Integer.class, Long.class, Short.class, Byte.class, Float.class, Double.class, Boolean.class,
            Character.class, java.math.BigDecimal.class, java.math.BigInteger.class, int.class, long.class,
            boolean.class, ResultSet.class, Map.class, List.class, Object[].class, String[].class,
            java.util.Optional.class, java.nio.ByteBuffer.class, java.util.BitSet.class, Number.class);

    private static String text(Object value) {
        try {
            return EveryGetter.text(value);
        } catch (Exception e) {
            return String.join(" | ", ExceptionTexts.of(e));
        }
    }

    private static void read(List<String> out, String what, EveryGetterCall call) {
        try {
            out.add(what + "=" + text(call.get()));
        } catch (Exception | LinkageError e) {
            out.add(what + "!=" + String.join(" | ", ExceptionTexts.of(e)));
        }
    }

    @FunctionalInterface
    interface EveryGetterCall {
        Object get() throws Exception;
    }

    private List<Class<?>> types() {
        List<Class<?>> types = new ArrayList<>(JDK_TYPES);
        for (String name : driverTypes()) {
            try {
                types.add(Class.forName(name));
            } catch (ClassNotFoundException absent) {
                // not this driver's
            }
        }
        return types;
    }

    /** What every getObject(i, type) and getObject(label, type) gives for each column of {@code rs}'s rows. */
    private List<String> conversions(ResultSet rs) throws SQLException {
        List<String> out = new ArrayList<>();
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
                int column = i;
                String label = rs.getMetaData().getColumnLabel(i);
                for (Class<?> type : types()) {
                    read(out, label + ".getObject(" + type.getName() + ")", () -> rs.getObject(column, type));
                    read(out, label + ".getObject(label, " + type.getName() + ")", () -> rs.getObject(label, type));
                }
                read(out, label + ".getObject(typeMap)", () -> rs.getObject(column, Map.of("text", String.class,
                        "varchar", String.class, "VARCHAR", String.class, "jsonb", String.class)));
                read(out, label + ".driverObject", () -> {
                    Object value = rs.getObject(column);
                    return value == null ? null : value.getClass().getName() + ":" + value;
                });
                read(out, label + ".arrayResultSet", () -> {
                    Object value = rs.getObject(column);
                    if (!(value instanceof Array array)) {
                        return null;
                    }
                    StringBuilder b = new StringBuilder();
                    try (ResultSet elements = array.getResultSet()) {
                        while (elements.next()) {
                            b.append(elements.getString(2)).append(elements.getObject(2)).append('|');
                        }
                    }
                    return b.toString() + String.valueOf(array);
                });
                out.addAll(EveryGetter.of(rs, column, label).entrySet().stream()
                        .map(e -> label + "." + e.getKey() + "=" + e.getValue()).toList());
            }
        }
        return out;
    }

    private static void assertNoPiece(List<String> seen) {
        assertThat(seen).isNotEmpty();
        for (String s : seen) {
            for (String piece : PIECES) {
                assertThat(s).as(s).doesNotContain(piece);
            }
        }
    }

    @Test
    void everyConversionOfAQuery() throws Exception {
        try (Connection c = governed(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query())) {
            assertNoPiece(conversions(rs));
        }
    }

    @Test
    void everyConversionOfAnExecutesResult() throws Exception {
        try (Connection c = governed(); Statement s = c.createStatement()) {
            assertThat(s.execute(query())).isTrue();
            List<String> seen = new ArrayList<>(conversions(s.getResultSet()));
            read(seen, "getResultSetAgain", () -> s.getResultSet());
            read(seen, "getMoreResults", () -> s.getMoreResults() + ":" + text(s.getResultSet()));
            assertNoPiece(seen);
        }
    }

    /**
     * Each result of a text of several queries ({@link #multiQuery}), reached with getMoreResults, plain and keeping the
     * earlier open: a test of the databases whose drivers run several statements a text.
     */
    void checkEveryResultOfSeveralQueries() throws Exception {
        for (int keep : new int[]{Statement.CLOSE_CURRENT_RESULT, Statement.KEEP_CURRENT_RESULT}) {
            List<String> seen = new ArrayList<>();
            List<ResultSet> kept = new ArrayList<>();
            try (Connection c = governed(); Statement s = c.createStatement()) {
                boolean isResult = s.execute(multiQuery());
                int results = 0;
                while (isResult || s.getUpdateCount() != -1) {
                    if (isResult) {
                        results++;
                        ResultSet rs = s.getResultSet();
                        kept.add(rs);
                        seen.addAll(conversions(rs));
                    }
                    isResult = s.getMoreResults(keep);
                }
                assertThat(results).isGreaterThan(1);
                for (ResultSet rs : kept) {
                    read(seen, "kept", () -> rs.isClosed() ? "closed" : rs.next() + rs.getString(1));
                }
            }
            assertNoPiece(seen);
        }
    }

    /**
     * A query run through the update-counting calls (which some drivers run anyway) and its result then asked for with
     * getResultSet: refused, or empty, or masked.
     */
    @Test
    void aQueryRunAsAnUpdate() throws Exception {
        List<String> seen = new ArrayList<>();
        try (Connection c = governed()) {
            for (String call : List.of("executeUpdate", "executeLargeUpdate", "prepared.executeUpdate",
                    "prepared.executeLargeUpdate", "executeBatch", "prepared.executeBatch")) {
                Statement s = call.startsWith("prepared") ? c.prepareStatement(query()) : c.createStatement();
                try {
                    switch (call) {
                        case "executeUpdate" -> seen.add(call + "=" + s.executeUpdate(query()));
                        case "executeLargeUpdate" -> seen.add(call + "=" + s.executeLargeUpdate(query()));
                        case "prepared.executeUpdate" -> seen.add(call + "=" + ((java.sql.PreparedStatement) s).executeUpdate());
                        case "prepared.executeLargeUpdate" ->
                                seen.add(call + "=" + ((java.sql.PreparedStatement) s).executeLargeUpdate());
                        case "executeBatch" -> {
                            s.addBatch(query());
                            seen.add(call + "=" + java.util.Arrays.toString(s.executeBatch()));
                        }
                        default -> {
                            ((java.sql.PreparedStatement) s).addBatch();
                            seen.add(call + "=" + java.util.Arrays.toString(s.executeBatch()));
                        }
                    }
                } catch (SQLException refused) {
                    seen.add(call + "!" + String.join(" | ", ExceptionTexts.of(refused)));
                }
                try {
                    ResultSet rs = s.getResultSet();
                    seen.add(call + ".getResultSet=" + (rs == null ? null : rs.getClass().getName()));
                    if (rs != null) {
                        seen.addAll(conversions(rs));
                    }
                } catch (SQLException refused) {
                    seen.add(call + ".getResultSet!" + refused.getMessage());
                }
                s.close();
            }
        }
        assertNoPiece(seen);
    }

    @Test
    void everyConversionOfAPreparedQuery() throws Exception {
        try (Connection c = governed(); var s = c.prepareStatement(query())) {
            assertThat(s.execute()).isTrue();
            assertNoPiece(conversions(s.getResultSet()));
        }
    }

    @Test
    void everyConversionThroughACallableStatement() throws Exception {
        try (Connection c = governed(); CallableStatement s = c.prepareCall(callSql())) {
            try (ResultSet rs = s.executeQuery()) {
                assertNoPiece(conversions(rs));
            }
        }
    }
}
