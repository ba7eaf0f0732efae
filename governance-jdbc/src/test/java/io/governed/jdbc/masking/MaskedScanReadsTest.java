package io.governed.jdbc.masking;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.metrics.GovernanceMetrics;
import io.governed.policy.load.PolicyLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A scan of many rows with text columns masked for the whole result, read as an analyst's tool or an ORM reads them:
 * every getter of a masked cell gives the masked text in every row (never the clear one, nor a neighbouring row's mask),
 * {@code wasNull} says what the last getter read, a cell read again is masked once, clear columns come back as the
 * driver gives them, and a closed result hands out nothing it masked before.
 */
class MaskedScanReadsTest {
    private static final int ROWS = 300;
    private static final String POLICY = """
            version: 1
            default: deny
            classification:
              auto-detect: false
              tags:
                pii.email: ["*.email"]
                pii.ssn: ["*.ssn"]
            rules:
              - { id: analysts-read, effect: permit, principals: { groups: [analysts] }, actions: [select], resources: ["*"] }
            masks:
              - { id: mask-email, columns: { tags: [pii.email] }, function: email }
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4 }
            """;

    private final String db = "jdbc:h2:mem:scan-reads-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private Connection raw;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void fixture() throws SQLException {
        raw = DriverManager.getConnection(db);
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40), email VARCHAR(80), ssn VARCHAR(11),"
                    + " balance DECIMAL(12,2), created DATE, vip BOOLEAN, photo VARBINARY(8))");
            // every seventh row has NULL in both masked columns; the others unique values
            s.execute("INSERT INTO customers SELECT X, 'Customer ' || X,"
                    + " CASE WHEN MOD(X, 7) = 0 THEN NULL ELSE 'user' || X || '@example.com' END,"
                    + " CASE WHEN MOD(X, 7) = 0 THEN NULL ELSE LPAD(X, 3, '0') || '-' || LPAD(MOD(X, 99) + 1, 2, '0') || '-'"
                    + " || LPAD(X, 4, '0') END,"
                    + " X * 1.5, DATEADD(DAY, X, DATE '2024-01-01'), MOD(X, 2) = 0, CAST(X AS VARBINARY(8)) FROM SYSTEM_RANGE(1, " + ROWS + ")");
        }
    }

    @AfterEach
    void close() throws SQLException {
        raw.close();
    }

    private Connection analyst() throws SQLException {
        Governance governance = Governance.builder().policy(PolicyLoader.fromString("scan.yaml", POLICY)).withoutAudit()
                .defaultIdentity(Identity.builder("ana").groups("analysts").build())
                .metrics(new GovernanceMetrics(registry)).build();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(db);
        return new GovernedDataSource(h2, governance).getConnection();
    }

    /** The rows as the raw driver reads them: id, name, email, ssn, balance, created, vip, photo. */
    private List<Object[]> clearRows() throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, name, email, ssn, balance, created, vip, photo FROM customers ORDER BY id")) {
            while (rs.next()) {
                Object[] row = new Object[8];
                for (int i = 0; i < 8; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static String maskedEmail(String clear) {
        return clear == null ? null : clear.charAt(0) + "***" + clear.substring(clear.lastIndexOf('@'));
    }

    private static String maskedSsn(String clear) {
        return clear == null ? null : "*".repeat(clear.length() - 4) + clear.substring(clear.length() - 4);
    }

    private static String text(Reader reader) throws Exception {
        StringBuilder out = new StringBuilder();
        for (int c; (c = reader.read()) >= 0; ) {
            out.append((char) c);
        }
        return out.toString();
    }

    @Test
    void everyGetterOfAMaskedCellGivesThatRowsMaskAndWasNullFollowsTheLastRead() throws Exception {
        List<Object[]> clear = clearRows();
        try (Connection c = analyst(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, name, email, ssn, balance, created, vip, photo FROM customers ORDER BY id")) {
            int n = 0;
            while (rs.next()) {
                Object[] row = clear.get(n++);
                String email = maskedEmail((String) row[2]);
                String ssn = maskedSsn((String) row[3]);
                boolean nulls = row[2] == null;
                // the order of the getters turns with the row, so that each is the first to read the cell in some rows
                for (int k = 0; k < 4; k++) {
                    switch ((n + k) % 4) {
                        case 0 -> {
                            assertThat(rs.getString(3)).isEqualTo(email);
                            assertThat(rs.wasNull()).isEqualTo(nulls);
                            assertThat(rs.getString(2)).isEqualTo(row[1]);
                            assertThat(rs.wasNull()).isFalse();
                            assertThat(rs.getString(4)).isEqualTo(ssn);
                            assertThat(rs.wasNull()).isEqualTo(nulls);
                        }
                        case 1 -> {
                            assertThat(rs.getObject(4)).isEqualTo(ssn);
                            assertThat(rs.getObject(4, String.class)).isEqualTo(ssn);
                            assertThat(rs.getNString(3)).isEqualTo(email);
                            assertThat(rs.getString("EMAIL")).isEqualTo(email);
                            assertThat(rs.wasNull()).isEqualTo(nulls);
                        }
                        case 2 -> {
                            byte[] bytes = rs.getBytes(3);
                            assertThat(bytes == null ? null : new String(bytes, StandardCharsets.UTF_8)).isEqualTo(email);
                            Reader chars = rs.getCharacterStream(4);
                            assertThat(chars == null ? null : text(chars)).isEqualTo(ssn);
                            java.io.InputStream ascii = rs.getAsciiStream(3);
                            assertThat(ascii == null ? null : new String(ascii.readAllBytes(), StandardCharsets.US_ASCII))
                                    .isEqualTo(email);
                            assertThat(rs.wasNull()).isEqualTo(nulls);
                        }
                        default -> {
                            Clob clob = rs.getClob(4);
                            assertThat(clob == null ? null : clob.getSubString(1, (int) clob.length())).isEqualTo(ssn);
                            assertThat(rs.getObject(6)).isEqualTo(row[5]);
                            assertThat(rs.wasNull()).isFalse();
                            assertThat(rs.getString(4)).isEqualTo(ssn);
                            assertThat(rs.wasNull()).isEqualTo(nulls);
                        }
                    }
                }
                if (!nulls) {
                    assertThat(rs.getString(3)).doesNotContain(((String) row[2]).substring(0, ((String) row[2]).indexOf('@')));
                    assertThat(rs.getString(4)).doesNotContain(((String) row[3]).substring(0, 4));
                }
            }
            assertThat(n).isEqualTo(ROWS);
        }
        // each non-NULL masked cell masked once, however many getters read it
        long masked = clear.stream().filter(row -> row[2] != null).count() * 2;
        assertThat(registry.counter(GovernanceMetrics.MASKED_VALUES).count()).isEqualTo((double) masked);
    }

    @Test
    void clearColumnsOfAMaskedScanComeBackAsTheDriverGivesThemThroughGetObject() throws Exception {
        List<Object[]> clear = clearRows();
        try (Connection c = analyst(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, name, email, ssn, balance, created, vip, photo FROM customers ORDER BY id")) {
            int n = 0;
            while (rs.next()) {
                Object[] row = clear.get(n++);
                for (int i : new int[] {1, 2, 5, 6, 7, 8}) {
                    Object value = rs.getObject(i);
                    assertThat(value).isEqualTo(row[i - 1]);
                    assertThat(value.getClass()).isEqualTo(row[i - 1].getClass());
                    assertThat(rs.wasNull()).isFalse();
                }
                assertThat(rs.getObject(3)).isEqualTo(maskedEmail((String) row[2]));
                assertThat(rs.wasNull()).isEqualTo(row[2] == null);
            }
            assertThat(n).isEqualTo(ROWS);
        }
    }

    @Test
    void aMaskedColumnsArrayIsRefusedInEveryRowAndAClosedScanHandsOutNothing() throws Exception {
        try (Connection c = analyst(); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT email, ssn FROM customers WHERE id <= 20 AND MOD(id, 7) <> 0 ORDER BY id");
            for (int row = 1; row <= 18; row++) { // ids 1 to 20 but for 7 and 14, whose cells are NULL
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).startsWith("*");
                assertThatThrownBy(() -> rs.getArray(2)).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22M01"));
            }
            String before = rs.getString(2); // id 20's, masked and kept for this cell
            assertThat(before).isEqualTo("*******0020");
            rs.close();
            assertThatThrownBy(() -> rs.getString(2)).as("a closed result hands out no value, masked before or not")
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(before.substring(7)).doesNotContain("020-21"));
            assertThatThrownBy(() -> rs.getString(1)).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void aLargeValueOfAClearColumnIsStillHandedOutAsAReadOnlyView() throws Exception {
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE notes (id INT PRIMARY KEY, body CLOB, ssn VARCHAR(11))");
            s.execute("INSERT INTO notes VALUES (1, 'a long note', '219-45-6789')");
        }
        try (Connection c = analyst(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT body, ssn FROM notes")) {
            assertThat(rs.next()).isTrue();
            Object body = rs.getObject(1);
            assertThat(body).isInstanceOf(Clob.class);
            assertThat(body.getClass().getName()).doesNotStartWith("org.h2.");
            assertThatThrownBy(() -> ((Clob) body).setString(1, "x")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            assertThat(rs.getString(2)).isEqualTo("*******6789");
        }
    }
}
