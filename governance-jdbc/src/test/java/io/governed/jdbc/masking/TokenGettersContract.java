package io.governed.jdbc.masking;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.policy.Policy;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code token} mask through every getter a caller can use on a tokenized column, by index and by
 * label: no getter hands out the value (not as the driver's object, not through a stream, bytes or a
 * LOB), every getter that answers gives the column's one token in the getter's type, and a getter
 * that cannot give the token in its type is refused with 42501. Run on each database by a subclass.
 */
abstract class TokenGettersContract {
    private static final Identity AGENT = Identity.builder("support-agent").kind(IdentityKind.AGENT).build();
    private static final UUID CODE = UUID.fromString("5f0c3a9e-8d1b-4c2a-9e7f-0123456789ab");
    private static final String COLUMNS = "email, pin, born, seen, balance, points, amount, code, tags, score, active";
    /** Each tokenized column's value, as the raw driver's getString gives it. */
    private static final Map<String, String> CLEAR = new LinkedHashMap<>();

    static {
        CLEAR.put("email", "ada@corp.test");
        CLEAR.put("pin", "4711");
        CLEAR.put("born", "1980-02-03");
        CLEAR.put("seen", "2024-05-06 07:08:09");
        CLEAR.put("balance", "1200");
        CLEAR.put("points", "42");
        CLEAR.put("amount", "12.50");
        CLEAR.put("code", CODE.toString());
        CLEAR.put("tags", "vip");
        CLEAR.put("score", "3.5");
        CLEAR.put("active", "TRUE");
    }

    @TempDir
    Path keys;
    /** A table of this test's own: tests of other classes may share the database. */
    private final String table = "token_getters_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private DataSource database;
    private Connection raw;

    /** The database under test, through its own driver. */
    abstract DataSource database() throws SQLException;

    /** Drops what {@link #database()} made. */
    abstract void dropDatabase(Connection raw) throws SQLException;

    @BeforeEach
    void createTable() throws SQLException, IOException {
        database = database();
        raw = database.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + table + "(id INT PRIMARY KEY, email VARCHAR(80), pin VARCHAR(10), born DATE, seen TIMESTAMP,"
                    + " balance BIGINT, points INT, amount DECIMAL(12, 2), code UUID, tags VARCHAR(20) ARRAY, score DOUBLE PRECISION,"
                    + " active BOOLEAN)");
            s.execute("INSERT INTO " + table + " VALUES (1, 'ada@corp.test', '4711', DATE '1980-02-03', TIMESTAMP '2024-05-06 07:08:09',"
                    + " 1200, 42, 12.50, '" + CODE + "', ARRAY['vip', 'b2b'], 3.5, TRUE),"
                    + " (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
        }
        Files.writeString(keys.resolve("token.key"), "0123456789abcdef0123456789abcdef");
        Files.writeString(keys.resolve("vault.key"), "fedcba9876543210fedcba9876543210");
    }

    @AfterEach
    void close() throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("DROP TABLE " + table);
        }
        dropDatabase(raw);
        raw.close();
    }

    private GovernedDataSource governed() {
        Policy policy = PolicyLoader.fromString("tokens.yaml", String.join("\n",
                "version: 1",
                "rules:",
                "  - id: read",
                "    effect: permit",
                "    actions: [select]",
                "    resources: [\"*\"]",
                "masks:",
                "  - id: people-tokens",
                "    columns: { patterns: [\"*." + table + ".*\"] }",
                "    function: token",
                "    key-file: " + keys.resolve("token.key"),
                "    vault-key-file: " + keys.resolve("vault.key"),
                "    vault: vault-" + UUID.randomUUID(),
                "    unless: { names: [alice] }",
                "    deny-inference: []",
                ""));
        return new GovernedDataSource(database, Governance.builder().policy(policy).withoutAudit().build());
    }

    /** One getter, by index or by label. */
    @FunctionalInterface
    private interface Getter {
        Object read(ResultSet rs, int index, String label, boolean byLabel) throws Exception;
    }

    private static Map<String, Getter> getters() {
        Map<String, Getter> g = new LinkedHashMap<>();
        g.put("getString", (rs, i, l, b) -> b ? rs.getString(l) : rs.getString(i));
        g.put("getNString", (rs, i, l, b) -> b ? rs.getNString(l) : rs.getNString(i));
        g.put("getObject", (rs, i, l, b) -> b ? rs.getObject(l) : rs.getObject(i));
        g.put("getObject(Map)", (rs, i, l, b) -> b ? rs.getObject(l, Map.of()) : rs.getObject(i, Map.of()));
        for (Class<?> type : List.of(Object.class, String.class, Long.class, Integer.class, Short.class, Byte.class, BigDecimal.class,
                BigInteger.class, Double.class, Float.class, Boolean.class, LocalDate.class, LocalDateTime.class, LocalTime.class,
                Date.class, Timestamp.class, Time.class, OffsetDateTime.class, java.util.Date.class, UUID.class, byte[].class,
                Clob.class, Blob.class, Reader.class, InputStream.class, Array.class, Object[].class)) {
            g.put("getObject(" + (type == java.util.Date.class ? type.getName() : type.getSimpleName()) + ")", (rs, i, l, b) -> b ? rs.getObject(l, type) : rs.getObject(i, type));
        }
        g.put("getBoolean", (rs, i, l, b) -> b ? rs.getBoolean(l) : rs.getBoolean(i));
        g.put("getByte", (rs, i, l, b) -> b ? rs.getByte(l) : rs.getByte(i));
        g.put("getShort", (rs, i, l, b) -> b ? rs.getShort(l) : rs.getShort(i));
        g.put("getInt", (rs, i, l, b) -> b ? rs.getInt(l) : rs.getInt(i));
        g.put("getLong", (rs, i, l, b) -> b ? rs.getLong(l) : rs.getLong(i));
        g.put("getFloat", (rs, i, l, b) -> b ? rs.getFloat(l) : rs.getFloat(i));
        g.put("getDouble", (rs, i, l, b) -> b ? rs.getDouble(l) : rs.getDouble(i));
        g.put("getBigDecimal", (rs, i, l, b) -> b ? rs.getBigDecimal(l) : rs.getBigDecimal(i));
        g.put("getDate", (rs, i, l, b) -> b ? rs.getDate(l) : rs.getDate(i));
        g.put("getTime", (rs, i, l, b) -> b ? rs.getTime(l) : rs.getTime(i));
        g.put("getTimestamp", (rs, i, l, b) -> b ? rs.getTimestamp(l) : rs.getTimestamp(i));
        Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
        g.put("getDate(Calendar)", (rs, i, l, b) -> b ? rs.getDate(l, utc) : rs.getDate(i, utc));
        g.put("getTimestamp(Calendar)", (rs, i, l, b) -> b ? rs.getTimestamp(l, utc) : rs.getTimestamp(i, utc));
        g.put("getBytes", (rs, i, l, b) -> b ? rs.getBytes(l) : rs.getBytes(i));
        g.put("getCharacterStream", (rs, i, l, b) -> b ? rs.getCharacterStream(l) : rs.getCharacterStream(i));
        g.put("getNCharacterStream", (rs, i, l, b) -> b ? rs.getNCharacterStream(l) : rs.getNCharacterStream(i));
        g.put("getAsciiStream", (rs, i, l, b) -> b ? rs.getAsciiStream(l) : rs.getAsciiStream(i));
        g.put("getBinaryStream", (rs, i, l, b) -> b ? rs.getBinaryStream(l) : rs.getBinaryStream(i));
        g.put("getClob", (rs, i, l, b) -> b ? rs.getClob(l) : rs.getClob(i));
        g.put("getNClob", (rs, i, l, b) -> b ? rs.getNClob(l) : rs.getNClob(i));
        g.put("getBlob", (rs, i, l, b) -> b ? rs.getBlob(l) : rs.getBlob(i));
        g.put("getArray", (rs, i, l, b) -> b ? rs.getArray(l) : rs.getArray(i));
        return g;
    }

    /** What a getter gave, read out in full (streams, LOBs and arrays included), or the refusal's SQLState. */
    private record Reading(Object value, String text, String sqlState, String message) {
        boolean refused() {
            return sqlState != null;
        }
    }

    private static Reading reading(Getter getter, ResultSet rs, int index, String label, boolean byLabel) {
        try {
            Object v = getter.read(rs, index, label, byLabel);
            return new Reading(v, text(v), null, null);
        } catch (SQLException e) {
            return new Reading(null, null, e.getSQLState(), e.getMessage());
        } catch (Exception e) {
            throw new AssertionError("a getter failed with " + e, e);
        }
    }

    private static String text(Object v) throws Exception {
        if (v instanceof Reader r) {
            StringBuilder b = new StringBuilder();
            char[] buf = new char[256];
            for (int n; (n = r.read(buf)) > 0; ) {
                b.append(buf, 0, n);
            }
            return b.toString();
        }
        if (v instanceof InputStream in) {
            return bytesText(in.readAllBytes());
        }
        if (v instanceof byte[] bytes) {
            return bytesText(bytes);
        }
        if (v instanceof Clob c) {
            return c.getSubString(1, (int) c.length());
        }
        if (v instanceof Blob blob) {
            return bytesText(blob.getBytes(1, (int) blob.length()));
        }
        if (v instanceof Array a) {
            return java.util.Arrays.deepToString((Object[]) a.getArray());
        }
        if (v instanceof Object[] a) {
            return java.util.Arrays.deepToString(a);
        }
        return String.valueOf(v);
    }

    /** Bytes as UTF-8 text and as hex: a value in either form shows. */
    private static String bytesText(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8) + " 0x" + HexFormat.of().formatHex(bytes);
    }

    private Map<String, Reading> readAll(GovernedDataSource ds, int row, String column, boolean byLabel) throws SQLException {
        return IdentityContext.runAs(AGENT, () -> {
            Map<String, Reading> out = new LinkedHashMap<>();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT " + COLUMNS + " FROM " + table + " WHERE id = " + row)) {
                assertThat(rs.next()).isTrue();
                int index = List.of(COLUMNS.split(", ")).indexOf(column) + 1;
                for (Map.Entry<String, Getter> g : getters().entrySet()) {
                    out.put(g.getKey(), reading(g.getValue(), rs, index, column.toUpperCase(java.util.Locale.ROOT), byLabel));
                }
            }
            return out;
        });
    }

    @Test
    void noGetterHandsOutTheValueOfATokenizedColumnAndEveryRefusalIs42501WithoutIt() throws SQLException {
        GovernedDataSource ds = governed();
        for (String column : CLEAR.keySet()) {
            String clear = CLEAR.get(column);
            Map<String, Reading> byIndex = readAll(ds, 1, column, false);
            Map<String, Reading> byLabel = readAll(ds, 1, column, true);
            byIndex.forEach((getter, r) -> {
                String what = column + " through " + getter;
                if (r.refused()) {
                    assertThat(r.sqlState()).as(what + ": " + r.message()).isEqualTo("42501");
                    assertThat(r.message()).as(what).containsIgnoringCase("'" + column + "'").contains("people-tokens")
                            .doesNotContain(clear);
                } else {
                    assertThat(r.text()).as(what).doesNotContainIgnoringCase(clear)
                            .doesNotContain(clear.replace("-", "")).doesNotContain("b2b");
                    assertThat(r.value()).as(what).isNotEqualTo(clear).isNotEqualTo(1200L).isNotEqualTo(42).isNotEqualTo(CODE)
                            .isNotEqualTo(new BigDecimal("12.50")).isNotEqualTo(Boolean.TRUE).isNotEqualTo(3.5d);
                }
                Reading l = byLabel.get(getter);
                assertThat(l.refused()).as(what + " by label as by index").isEqualTo(r.refused());
                assertThat(l.text()).as(what + " by label as by index").isEqualTo(r.text());
            });
        }
    }

    @Test
    void everyGetterThatAnswersGivesTheColumnsOneTokenInItsOwnType() throws SQLException {
        GovernedDataSource ds = governed();

        Map<String, Reading> email = readAll(ds, 1, "email", false);
        String token = (String) email.get("getObject").value();
        assertThat(token).matches("tok_[0-9a-f]{16}@example\\.invalid");
        for (String g : List.of("getString", "getNString", "getObject(Map)", "getObject(Object)", "getObject(String)", "getCharacterStream",
                "getNCharacterStream", "getClob", "getNClob", "getObject(Clob)", "getObject(Reader)")) {
            assertThat(email.get(g).text()).as("email through " + g).isEqualTo(token);
        }
        for (String g : List.of("getBytes", "getAsciiStream", "getBinaryStream", "getBlob", "getObject(byte[])", "getObject(InputStream)", "getObject(Blob)")) {
            assertThat(email.get(g).text()).as("email through " + g).isEqualTo(bytesText(token.getBytes(StandardCharsets.UTF_8)));
        }
        Map<String, Reading> pin = readAll(ds, 1, "pin", false);
        for (String g : List.of("getInt", "getLong", "getShort", "getBigDecimal", "getDouble", "getObject(Integer)", "getDate")) {
            assertThat(pin.get(g).sqlState()).as("a text token is no number or date: pin through " + g).isEqualTo("42501");
        }

        Map<String, Reading> born = readAll(ds, 1, "born", false);
        LocalDate day = ((Date) born.get("getObject").value()).toLocalDate();
        assertThat(born.get("getDate").value()).isEqualTo(Date.valueOf(day));
        assertThat(born.get("getObject(Date)").value()).isEqualTo(Date.valueOf(day));
        assertThat(born.get("getObject(LocalDate)").value()).isEqualTo(day);
        assertThat(born.get("getObject(LocalDateTime)").value()).isEqualTo(day.atStartOfDay());
        assertThat(born.get("getTimestamp").value()).isEqualTo(Timestamp.valueOf(day.atStartOfDay()));
        assertThat(born.get("getString").value()).isEqualTo(day.toString());
        assertThat(((Date) born.get("getDate(Calendar)").value()).getTime())
                .isEqualTo(day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
        for (String g : List.of("getInt", "getLong", "getTime", "getBytes", "getObject(OffsetDateTime)", "getBoolean")) {
            assertThat(born.get(g).sqlState()).as("born through " + g).isEqualTo("42501");
        }

        Map<String, Reading> seen = readAll(ds, 1, "seen", false);
        LocalDateTime at = ((Timestamp) seen.get("getObject").value()).toLocalDateTime();
        assertThat(seen.get("getTimestamp").value()).isEqualTo(Timestamp.valueOf(at));
        assertThat(seen.get("getObject(LocalDateTime)").value()).isEqualTo(at);
        assertThat(seen.get("getObject(LocalDate)").value()).isEqualTo(at.toLocalDate());
        assertThat(seen.get("getDate").value()).isEqualTo(Date.valueOf(at.toLocalDate()));
        assertThat(seen.get("getTime").value()).isEqualTo(Time.valueOf(at.toLocalTime()));
        assertThat(seen.get("getString").value()).isEqualTo(Timestamp.valueOf(at).toString());
        assertThat(((Timestamp) seen.get("getTimestamp(Calendar)").value()).getTime())
                .isEqualTo(at.toInstant(ZoneOffset.UTC).toEpochMilli());

        Map<String, Reading> balance = readAll(ds, 1, "balance", false);
        long big = (Long) balance.get("getObject").value();
        assertThat(balance.get("getLong").value()).isEqualTo(big);
        assertThat(balance.get("getObject(Long)").value()).isEqualTo(big);
        assertThat(balance.get("getBigDecimal").value()).isEqualTo(BigDecimal.valueOf(big));
        assertThat(balance.get("getObject(BigDecimal)").value()).isEqualTo(BigDecimal.valueOf(big));
        assertThat(balance.get("getObject(BigInteger)").value()).isEqualTo(BigInteger.valueOf(big));
        assertThat(balance.get("getString").value()).isEqualTo(Long.toString(big));
        narrowerOrRefused(balance, big);

        Map<String, Reading> points = readAll(ds, 1, "points", false);
        int small = (Integer) points.get("getObject").value();
        assertThat(points.get("getInt").value()).isEqualTo(small);
        assertThat(points.get("getLong").value()).isEqualTo((long) small);
        assertThat(points.get("getObject(Long)").value()).isEqualTo((long) small);
        assertThat(points.get("getDouble").value()).isEqualTo((double) small);
        assertThat(points.get("getBigDecimal").value()).isEqualTo(BigDecimal.valueOf(small));
        assertThat(points.get("getString").value()).isEqualTo(Integer.toString(small));
        narrowerOrRefused(points, small);

        Map<String, Reading> amount = readAll(ds, 1, "amount", false);
        BigDecimal decimal = (BigDecimal) amount.get("getObject").value();
        assertThat(amount.get("getBigDecimal").value()).isEqualTo(decimal);
        assertThat(amount.get("getObject(BigDecimal)").value()).isEqualTo(decimal);
        assertThat(amount.get("getString").value()).isEqualTo(decimal.toPlainString());
        assertThat(amount.get("getLong").value()).isEqualTo(decimal.longValueExact());
        narrowerOrRefused(amount, decimal.longValueExact());

        Map<String, Reading> code = readAll(ds, 1, "code", false);
        UUID uuid = (UUID) code.get("getObject").value();
        assertThat(code.get("getObject(UUID)").value()).isEqualTo(uuid);
        assertThat(code.get("getString").value()).isEqualTo(uuid.toString());
        assertThat(code.get("getBytes").sqlState()).as("a UUID's 16 bytes").isEqualTo("42501");

        for (String column : List.of("tags", "score", "active")) {
            assertThat(readAll(ds, 1, column, false)).as("the token mask has no token for %s", column)
                    .allSatisfy((g, r) -> assertThat(r.sqlState()).as(column + " through " + g).isEqualTo("42501"));
        }
    }

    /** A whole-number token read through a narrower or a floating getter: the same number, or refused. */
    private static void narrowerOrRefused(Map<String, Reading> readings, long token) {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("getInt", token == (int) token ? (Object) (int) token : null);
        expected.put("getObject(Integer)", expected.get("getInt"));
        expected.put("getShort", token == (short) token ? (Object) (short) token : null);
        expected.put("getByte", token == (byte) token ? (Object) (byte) token : null);
        expected.put("getDouble", (long) (double) token == token ? (Object) (double) token : null);
        expected.put("getFloat", (long) (float) token == token ? (Object) (float) token : null);
        expected.forEach((g, value) -> {
            Reading r = readings.get(g);
            if (value == null) {
                assertThat(r.sqlState()).as(g + " of a token that does not fit").isEqualTo("42501");
            } else {
                assertThat(r.value()).as(g).isEqualTo(value);
            }
        });
        assertThat(readings.get("getBoolean").sqlState()).isEqualTo("42501");
        assertThat(readings.get("getDate").sqlState()).isEqualTo("42501");
    }

    @Test
    void aNullIsNullThroughEveryGetterThatAnswers() throws SQLException {
        GovernedDataSource ds = governed();
        for (String column : List.of("email", "born", "seen", "balance", "points", "amount", "code")) {
            readAll(ds, 2, column, false).forEach((g, r) -> {
                if (!r.refused()) {
                    assertThat(r.value()).as(column + " through " + g)
                            .satisfiesAnyOf(v -> assertThat(v).isNull(), v -> assertThat(v).isIn(0, 0L, (short) 0, (byte) 0, 0f, 0d, false));
                }
            });
        }
        IdentityContext.runAs(AGENT, () -> {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT balance, born FROM " + table + " WHERE id = 2")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
                assertThat(rs.wasNull()).isTrue();
                assertThat(rs.getDate(2)).isNull();
                assertThat(rs.wasNull()).isTrue();
            }
            return null;
        });
    }

    @Test
    void theRawDriverReadsTheValuesTheTestGuardsAgainst() throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT " + COLUMNS + " FROM " + table + " WHERE id = 1")) {
            rs.next();
            assertThat(rs.getString("email")).isEqualTo(CLEAR.get("email"));
            assertThat(rs.getInt("pin")).as("a numeric text the raw driver reads as a number").isEqualTo(4711);
            assertThat(rs.getString("seen")).isEqualTo(CLEAR.get("seen"));
            assertThat(rs.getBigDecimal("amount")).isEqualTo(new BigDecimal(CLEAR.get("amount")));
        }
    }
}
