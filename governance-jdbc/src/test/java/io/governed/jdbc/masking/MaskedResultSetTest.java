package io.governed.jdbc.masking;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.GovernedDataSource;
import io.governed.policy.load.PolicyLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.h2.jdbcx.JdbcDataSource;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.metrics.GovernanceMetrics;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What an application sees through a result set with masked columns, on H2 through the real driver. */
class MaskedResultSetTest {
    /** Masks for SSNs, card numbers, birth dates and salaries, for everyone outside {@code pii-readers}. */
    static final String POLICY = """
            version: 1
            classification:
              tags:
                pii.ssn: ["*.ssn"]
                pci.pan: ["*.card_number"]
                pii.birthdate: ["*.born"]
                fin.salary: ["*.salary"]
            rules:
              - { id: everyone, effect: permit, actions: [select, insert, update, delete, create] }
            masks:
              - { id: mask-ids, columns: { tags: [pii.ssn, pci.pan] }, function: partial, keep-last: 4, unless: { groups: [pii-readers] } }
              - { id: year-only, columns: { tags: [pii.birthdate] }, function: year, unless: { groups: [pii-readers] } }
              - { id: salary-band, columns: { tags: [fin.salary] }, function: bucket, width: 1000, unless: { groups: [pii-readers] } }
            """;

    private final String db = "jdbc:h2:mem:masked-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final String sinkName = "masked-" + UUID.randomUUID();
    private Connection raw;

    @BeforeEach
    void fixture() throws Exception {
        java.nio.file.Path policy = java.nio.file.Files.createTempFile("masking", ".yaml");
        policy.toFile().deleteOnExit(); // read again by governed connections until the test ends
        java.nio.file.Files.writeString(policy, POLICY);
        policyPath = policy.toString();
        raw = DriverManager.getConnection(db);
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(50), ssn VARCHAR(11), card_number BIGINT,"
                    + " born DATE, salary DECIMAL(10, 2))");
            s.execute("INSERT INTO people VALUES (1, 'Ada', '219-45-6789', 4111111111111111, DATE '1990-07-14', 5234.50)");
            s.execute("INSERT INTO people VALUES (2, 'Bob', NULL, NULL, NULL, NULL)");
        }
    }

    private String policyPath;

    @AfterEach
    void close() throws SQLException {
        raw.close();
    }

    private Connection as(String principal, String groups) throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policyPath);
        p.setProperty("governed.principal", principal);
        p.setProperty("governed.groups", groups);
        p.setProperty("governed.audit", "memory:" + sinkName);
        return DriverManager.getConnection("jdbc:governed:" + db.substring("jdbc:".length()), p);
    }

    private ResultSet first(Connection c, String sql) throws SQLException {
        ResultSet rs = c.createStatement().executeQuery(sql);
        assertThat(rs.next()).isTrue();
        return rs;
    }

    @Test
    void maskedTextComesBackMaskedThroughEveryTextGetter() throws Exception {
        try (Connection c = as("ann", "analysts"); ResultSet rs = first(c, "SELECT ssn FROM people ORDER BY id")) {
            assertThat(rs.getString(1)).isEqualTo("*******6789");
            assertThat(rs.getString("SSN")).isEqualTo("*******6789");
            assertThat(rs.getString("ssn")).as("labels are matched as JDBC does, ignoring case").isEqualTo("*******6789");
            assertThat(rs.getObject(1)).isEqualTo("*******6789");
            assertThat(rs.getObject(1, String.class)).isEqualTo("*******6789");
            assertThat(new String(rs.getBytes(1), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("*******6789");
            assertThat(new String(rs.getAsciiStream(1).readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("*******6789");
            assertThat(rs.getClob(1).getSubString(1, 11)).isEqualTo("*******6789");
            assertThat(rs.getNClob("ssn").getSubString(1, 11)).isEqualTo("*******6789");
            assertThat(rs.wasNull()).isFalse();
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isNull();
            assertThat(rs.wasNull()).isTrue();
        }
    }

    @Test
    void aMaskedValueHandedOutAsAClobReadsThroughEveryClobReader() throws Exception {
        try (Connection c = as("ann", "analysts"); ResultSet rs = first(c, "SELECT ssn FROM people ORDER BY id")) {
            for (java.sql.Clob clob : List.of(rs.getClob(1), rs.getNClob(1), rs.getObject(1, java.sql.Clob.class))) {
                assertThat(new String(clob.getAsciiStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII))
                        .isEqualTo("*******6789");
                assertThat(new java.io.BufferedReader(clob.getCharacterStream()).readLine()).isEqualTo("*******6789");
                assertThat(clob.getSubString(1, (int) clob.length())).isEqualTo("*******6789");
                assertThat(clob.position("6789", 1)).isEqualTo(8);
            }
        }
    }

    @Test
    void getObjectWithAStreamOrBinaryTypeOfAMaskedTextColumnIsMaskedToo() throws Exception {
        try (Connection c = as("ann", "analysts"); ResultSet rs = first(c, "SELECT ssn FROM people ORDER BY id")) {
            byte[] bytes = rs.getObject(1, byte[].class);
            assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("*******6789");
            assertThat(new String(rs.getObject(1, java.io.InputStream.class).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("*******6789");
            assertThat(new java.io.BufferedReader(rs.getObject(1, java.io.Reader.class)).readLine()).isEqualTo("*******6789");
            java.sql.Blob blob = rs.getObject(1, java.sql.Blob.class);
            assertThat(new String(blob.getBytes(1, (int) blob.length()), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("*******6789").doesNotContain("219-45");
            assertThat(rs.getObject(1, java.sql.Clob.class).getSubString(1, 11)).isEqualTo("*******6789");
        }
    }

    @Test
    void typedGettersReturnATypeCorrectMaskedValue() throws Exception {
        try (Connection c = as("ann", "analysts");
             ResultSet rs = first(c, "SELECT card_number, born, salary FROM people ORDER BY id")) {
            assertThat(rs.getLong(1)).isEqualTo(1111L);
            assertThat(rs.getString(1)).isEqualTo("1111");
            assertThat(rs.getObject(1)).isEqualTo(1111L);
            assertThat(rs.getBigDecimal("CARD_NUMBER")).isEqualByComparingTo("1111");
            assertThat(rs.getDate(2)).isEqualTo(Date.valueOf("1990-01-01"));
            assertThat(rs.getObject(2, java.time.LocalDate.class)).isEqualTo(java.time.LocalDate.of(1990, 1, 1));
            assertThat(rs.getBigDecimal(3)).isEqualByComparingTo(new BigDecimal("5000"));
            assertThat(rs.getDouble(3)).isEqualTo(5000d);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isZero();
            assertThat(rs.wasNull()).isTrue();
        }
    }

    @Test
    void wasNullTellsOfTheLastValueReadWhicheverGetterAndWhetherItsColumnIsMaskedOrClear() throws Exception {
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE readings (id INT PRIMARY KEY, ssn VARCHAR(11), n INT)");
            s.execute("INSERT INTO readings VALUES (1, '219-45-6789', NULL)");
            s.execute("INSERT INTO readings VALUES (2, NULL, 7)");
        }
        List<java.util.function.Function<ResultSet, Getter>> getters = List.of(rs -> () -> rs.getInt(3),
                rs -> () -> rs.getLong(3), rs -> () -> rs.getShort(3), rs -> () -> rs.getByte(3), rs -> () -> rs.getDouble(3),
                rs -> () -> rs.getFloat(3), rs -> () -> rs.getBigDecimal(3), rs -> () -> rs.getBoolean(3),
                rs -> () -> rs.getString(3), rs -> () -> rs.getNString(3), rs -> () -> rs.getObject(3),
                rs -> () -> rs.getObject(3, Integer.class));
        for (int g = 0; g < getters.size(); g++) {
            try (Connection c = as("ann", "analysts");
                 ResultSet rs = c.createStatement().executeQuery("SELECT id, ssn, n FROM readings ORDER BY id")) {
                Getter clear = getters.get(g).apply(rs);
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).isEqualTo("*******6789");
                assertThat(rs.wasNull()).isFalse();
                clear.read();
                assertThat(rs.wasNull()).as("getter %d: a clear NULL read after a masked value", g).isTrue();
                assertThat(rs.getObject(2)).isEqualTo("*******6789");
                assertThat(rs.wasNull()).as("getter %d: a masked value read after a clear NULL", g).isFalse();
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).isNull();
                assertThat(rs.wasNull()).isTrue();
                assertThat(clear.read()).as("getter %d", g).isNotNull();
                assertThat(rs.wasNull()).as("getter %d: a clear value read after a masked NULL", g).isFalse();
                assertThat(rs.getObject(2)).isNull();
                assertThat(rs.wasNull()).as("getter %d: a masked NULL read after a clear value", g).isTrue();
            }
        }
    }

    @Test
    void wasNullAfterAnArrayOfAClearColumnTellsOfThatArrayNotOfTheMaskedValueReadBefore() throws Exception {
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE tagged (id INT PRIMARY KEY, ssn VARCHAR(11), tags VARCHAR(10) ARRAY)");
            s.execute("INSERT INTO tagged VALUES (1, '219-45-6789', NULL)");
            s.execute("INSERT INTO tagged VALUES (2, NULL, ARRAY['a', 'b'])");
        }
        try (Connection c = as("ann", "analysts");
             ResultSet rs = c.createStatement().executeQuery("SELECT id, ssn, tags FROM tagged ORDER BY id")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(2)).isEqualTo("*******6789");
            assertThat(rs.getArray(3)).isNull();
            assertThat(rs.wasNull()).as("the clear array just read is NULL").isTrue();
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("ssn")).isNull();
            assertThat(rs.getArray("tags")).isNotNull();
            assertThat(rs.wasNull()).as("the clear array just read is not NULL").isFalse();
        }
    }

    @Test
    void aGetterWhoseTypeTheMaskCannotKeepFailsNamingColumnAndMaskButNotTheValue() throws Exception {
        try (Connection c = as("ann", "analysts"); ResultSet rs = first(c, "SELECT card_number, ssn, born FROM people ORDER BY id")) {
            assertThat(rs.getString(3)).as("a masked date read as text").isEqualTo("1990-01-01");
            assertThat(rs.getDouble(1)).as("the masked number, exactly in the getter's type").isEqualTo(1111d);
            assertThatThrownBy(() -> rs.getDate(1)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("'CARD_NUMBER'").hasMessageContaining("mask-ids (partial)")
                    .hasMessageNotContaining("4111")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(MaskedColumnReader.SQLSTATE_UNMASKABLE);
            assertThatThrownBy(() -> rs.getArray(2)).isInstanceOf(SQLException.class).hasMessageContaining("mask-ids")
                    .hasMessageNotContaining("6789");
        }
    }

    @Test
    void aTypedGetterOfAMaskedColumnDoesNotTellWhatKindOfValueTheMaskHides() throws Exception {
        try (Statement s = raw.createStatement()) {
            s.execute("INSERT INTO people VALUES (3, 'Cy', '123456789', 1234, DATE '1985-01-02', 10)");
            s.execute("INSERT INTO people VALUES (4, 'Di', '2024-05-17', 99999999999, DATE '1970-03-04', 20)");
        }
        Map<Integer, List<String>> outcomes = new java.util.TreeMap<>();
        try (Connection c = as("ann", "analysts");
             ResultSet rs = c.createStatement().executeQuery("SELECT id, ssn, card_number FROM people WHERE id <> 2 ORDER BY id")) {
            while (rs.next()) {
                List<String> seen = new java.util.ArrayList<>();
                for (Getter getter : List.<Getter>of(() -> rs.getInt(2), () -> rs.getLong(2), () -> rs.getBigDecimal(2),
                        () -> rs.getDate(2), () -> rs.getTimestamp(2), () -> rs.getObject(2, Integer.class),
                        () -> rs.getObject(2, java.time.LocalDate.class), () -> rs.getInt(3), () -> rs.getShort(3))) {
                    try {
                        seen.add("value " + getter.read());
                    } catch (SQLException e) {
                        assertThat(e.getMessage()).doesNotContain("6789").doesNotContain("2024").doesNotContain("99999");
                        seen.add(e.getSQLState() + " " + e.getMessage().replaceAll("and get\\w+(\\(\\w+\\.class\\))? cannot", "and the getter cannot"));
                    }
                }
                outcomes.put(rs.getInt(1), seen);
            }
        }
        assertThat(outcomes.get(1).subList(0, 7)).as("an SSN as digits").isEqualTo(outcomes.get(3).subList(0, 7))
                .as("an SSN shaped as a date").isEqualTo(outcomes.get(4).subList(0, 7));
        assertThat(outcomes.get(1).get(0)).startsWith(MaskedColumnReader.SQLSTATE_UNMASKABLE)
                .contains("'SSN' is masked by mask-ids (partial)").contains("read it with getObject or getString");
        assertThat(outcomes.get(1).subList(7, 9)).as("card numbers' masked last four digits, whatever the number's size")
                .containsExactly("value 1111", "value 1111");
        assertThat(outcomes.get(4).subList(7, 9)).containsExactly("value 9999", "value 9999");
    }

    @FunctionalInterface
    private interface Getter {
        Object read() throws SQLException;
    }

    @Test
    void aDerivedTablesColumnsAreMaskedByTheirLineageWhateverTheirAliasesSay() throws Exception {
        try (Connection c = as("ann", "analysts");
             ResultSet rs = first(c, "SELECT d.* FROM (SELECT ssn AS id, id AS ssn_id, name FROM people) d ORDER BY d.ssn_id")) {
            assertThat(rs.getString("ID")).as("an SSN under the alias id").isEqualTo("****");
            assertThat(rs.getString("NAME")).as("the star's lineage covers an SSN, so every column of it is redacted").isEqualTo("****");
            assertThat(rs.getInt("SSN_ID")).isZero();
        }
        try (Connection c = as("ann", "analysts");
             ResultSet rs = first(c, "SELECT p.*, d.* FROM people p JOIN (SELECT id AS k, ssn AS note FROM people) d ON d.k = p.id ORDER BY p.id")) {
            assertThat(rs.getString("NAME")).as("a base column the driver names").isEqualTo("Ada");
            assertThat(rs.getString("SSN")).isEqualTo("*******6789");
            assertThat(rs.getString("NOTE")).as("an SSN under another name in the second star").isEqualTo("****");
        }
    }

    @Test
    void aPiiReaderSeesEverythingInClearButNotTheDriversOwnResultSet() throws Exception {
        try (Connection c = as("pia", "pii-readers"); ResultSet rs = first(c, "SELECT ssn, card_number FROM people ORDER BY id")) {
            assertThat(rs.getString(1)).isEqualTo("219-45-6789");
            assertThat(rs.getLong(2)).isEqualTo(4111111111111111L);
            assertThatThrownBy(() -> rs.unwrap(org.h2.jdbc.JdbcResultSet.class)).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("governed.unwrap=allow");
        }
    }

    @Test
    void computedValuesAreRedactedSoSlidingWindowsRevealNothing() throws Exception {
        try (Connection c = as("ann", "analysts");
             ResultSet rs = first(c, "SELECT SUBSTRING(ssn, 1, 5) AS head, ssn || '' AS copy FROM people ORDER BY id")) {
            assertThat(rs.getString(1)).isEqualTo("****");
            assertThat(rs.getString(2)).isEqualTo("****");
        }
    }

    @Test
    void writingAMaskedColumnThroughAnUpdatableResultSetIsDenied() throws Exception {
        try (Connection c = as("ann", "analysts");
             Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE);
             ResultSet rs = s.executeQuery("SELECT id, name, ssn FROM people WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThatThrownBy(() -> rs.updateString("ssn", "000-00-0000")).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("mask-ids").extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            assertThatThrownBy(() -> rs.updateObject(3, "x")).isInstanceOf(GovernanceException.class);
            rs.updateString("name", "Ada L.");
            rs.updateRow();
        }
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT name, ssn FROM people WHERE id = 1")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("Ada L.");
            assertThat(rs.getString(2)).isEqualTo("219-45-6789");
        }
    }

    @Test
    void theDriversOwnResultSetIsNotHandedOutWhenColumnsAreMasked() throws Exception {
        try (Connection c = as("ann", "analysts"); ResultSet rs = first(c, "SELECT ssn FROM people")) {
            assertThat(rs.isWrapperFor(org.h2.jdbc.JdbcResultSet.class)).isFalse();
            assertThatThrownBy(() -> rs.unwrap(org.h2.jdbc.JdbcResultSet.class)).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("masked columns");
            assertThat(rs.unwrap(ResultSet.class)).isSameAs(rs);
        }
    }

    @Test
    void copyingAndProbingMaskedColumnsIsDeniedNamingTheMaskButAllowedForAPiiReader() throws Exception {
        try (Connection c = as("ann", "analysts"); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("CREATE TABLE leak AS SELECT ssn FROM people"))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("mask-ids").hasMessageContaining("copies");
            assertThatThrownBy(() -> s.executeUpdate("UPDATE people SET name = ssn WHERE id = 2"))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("mask-ids");
            assertThat(s.executeQuery("SELECT id FROM people WHERE ssn LIKE '2%'").next())
                    .as("humans may filter unless the mask's deny-inference names them").isTrue();
        }
        try (Connection c = as("pia", "pii-readers"); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("CREATE TABLE copy_for_pia AS SELECT ssn FROM people")).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void anAgentMayNotFilterOnAMaskedColumn() throws Exception {
        Properties p = new Properties();
        p.setProperty("governed.policy", policyPath);
        p.setProperty("governed.principal", "helper-bot");
        p.setProperty("governed.kind", "agent");
        p.setProperty("governed.on-behalf-of", "ann");
        try (Connection c = DriverManager.getConnection("jdbc:governed:" + db.substring("jdbc:".length()), p);
             Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT id FROM people WHERE ssn LIKE '2%'"))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("mask-ids").hasMessageContaining("WHERE");
            assertThatThrownBy(() -> s.executeQuery("SELECT id FROM people ORDER BY card_number"))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("ORDER BY");
        }
    }

    @Test
    void theAuditEventNamesTheMaskedColumns() throws Exception {
        try (Connection c = as("ann", "analysts"); ResultSet rs = c.createStatement().executeQuery("SELECT id, ssn, name FROM people")) {
            while (rs.next()) {
                rs.getString(2);
            }
            ((GovernedConnection) c).governance().flushAudit();
        }
        AuditEvent event = MemorySink.named(sinkName).events().stream()
                .filter(e -> e.statement() != null && e.statement().contains("people")).reduce((a, b) -> b).orElseThrow();
        assertThat(event.maskedColumns()).containsExactly("SSN");
    }

    @Test
    void theMetricsCountTheValuesMasked() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Governance governance = Governance.builder().policy(PolicyLoader.load(policyPath))
                .defaultIdentity(Identity.human("ann")).metrics(new GovernanceMetrics(registry)).build();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(db);
        try (Connection c = new GovernedDataSource(h2, governance).getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT ssn, card_number, name FROM people")) {
            while (rs.next()) {
                rs.getString(1);
                rs.getLong(2);
                rs.getString(3);
            }
        }
        assertThat(registry.counter(GovernanceMetrics.MASKED_VALUES).count()).as("two masked non-null values").isEqualTo(2d);
    }

    @Test
    void aCellReadSeveralTimesIsMaskedOnceAndEachRowGetsItsOwnValue() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Governance governance = Governance.builder().policy(PolicyLoader.load(policyPath))
                .defaultIdentity(Identity.human("ann")).metrics(new GovernanceMetrics(registry)).build();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(db);
        try (Statement raw = this.raw.createStatement()) {
            raw.execute("INSERT INTO people VALUES (3, 'Cy', '321-54-9876', 5500000000000004, DATE '1985-02-03', 7100.00)");
        }
        try (Connection c = new GovernedDataSource(h2, governance).getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT name, ssn FROM people ORDER BY id")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(2)).isEqualTo("*******6789");
            assertThat(rs.getObject(2)).isEqualTo("*******6789");
            assertThat(rs.getString("ssn")).isEqualTo("*******6789");
            assertThat(rs.wasNull()).isFalse();
            assertThat(rs.getString(1)).as("a clear column in between").isEqualTo("Ada");
            assertThat(rs.getString(2)).isEqualTo("*******6789");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(2)).as("the next row's cell, not the last one's").isNull();
            assertThat(rs.wasNull()).isTrue();
            assertThat(rs.getObject(2)).isNull();
            assertThat(rs.wasNull()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("Bob");
            assertThat(rs.wasNull()).isFalse();
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(2)).isEqualTo("*******9876");
            assertThat(rs.getObject(2)).isEqualTo("*******9876");
            assertThat(rs.next()).isFalse();
        }
        assertThat(registry.counter(GovernanceMetrics.MASKED_VALUES).count())
                .as("each masked non-null cell counts once, however often it was read").isEqualTo(2d);
    }

    @Test
    void aScrollableResultMasksTheRowTheCursorIsOn() throws Exception {
        try (Connection c = as("ann", "analysts");
             Statement s = c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY);
             ResultSet rs = s.executeQuery("SELECT ssn, name FROM people ORDER BY id")) {
            assertThat(rs.last()).isTrue();
            assertThat(rs.getString(1)).isNull();
            assertThat(rs.wasNull()).isTrue();
            assertThat(rs.first()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("*******6789");
            assertThat(rs.absolute(2)).isTrue();
            assertThat(rs.getString(1)).isNull();
            assertThat(rs.previous()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("*******6789");
            assertThat(rs.relative(1)).isTrue();
            assertThat(rs.getObject(1)).isNull();
            assertThat(rs.getString(2)).isEqualTo("Bob");
            rs.beforeFirst();
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("*******6789");
            assertThat(rs.getString(2)).isEqualTo("Ada");
        }
    }

    @Test
    void identitiesReadingConcurrentlyEachSeeWhatTheirPolicySays() throws Exception {
        Governance governance = Governance.builder().policy(PolicyLoader.load(policyPath)).build();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(db);
        GovernedDataSource dataSource = new GovernedDataSource(h2, governance);
        Identity analyst = Identity.builder("ann").groups("analysts").build();
        Identity reader = Identity.builder("pia").groups("pii-readers").build();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<String>> seen = new java.util.ArrayList<>();
            for (int n = 0; n < 200; n++) {
                Identity who = n % 2 == 0 ? analyst : reader;
                seen.add(pool.submit(() -> io.governed.jdbc.identity.IdentityContext.<String, SQLException>runAs(who, () -> {
                    try (Connection c = dataSource.getConnection();
                         ResultSet rs = c.createStatement().executeQuery("SELECT ssn FROM people WHERE id = 1")) {
                        rs.next();
                        return who.principal() + " " + rs.getString(1);
                    }
                })));
            }
            for (java.util.concurrent.Future<String> result : seen) {
                assertThat(result.get()).isIn("ann *******6789", "pia 219-45-6789");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aColumnWhoseValuesAreEmailAddressesIsMaskedBeforeAndAfterDetectionTagsIt() throws Exception {
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE contacts (id INT PRIMARY KEY, reach VARCHAR(80))");
            for (int i = 1; i <= 30; i++) {
                s.execute("INSERT INTO contacts VALUES (" + i + ", 'person.number" + i + "@example.org')");
            }
        }
        java.nio.file.Path detecting = java.nio.file.Files.createTempFile("detecting", ".yaml");
        detecting.toFile().deleteOnExit();
        java.nio.file.Files.writeString(detecting, """
                version: 1
                classification: { auto-detect: true, tags: { pii.email: ["*.email"] } }
                rules:
                  - { id: everyone, effect: permit, actions: [select] }
                masks:
                  - { id: mask-email, columns: { tags: [pii.email] }, function: email }
                """);
        Properties p = new Properties();
        p.setProperty("governed.policy", detecting.toString());
        p.setProperty("governed.principal", "ann");
        try (Connection c = DriverManager.getConnection("jdbc:governed:" + db.substring("jdbc:".length()), p)) {
            for (int round = 0; round < 2; round++) {
                // a read that does not choose its rows (no WHERE, join or ORDER BY) is what samples a column
                try (ResultSet rs = c.createStatement().executeQuery("SELECT reach FROM contacts")) {
                    while (rs.next()) {
                        assertThat(rs.getString(1)).as("round %d", round).startsWith("p***@").doesNotContain("person.number");
                    }
                }
            }
            io.governed.policy.masking.ColumnMask learned = ((GovernedConnection) c).governance().maskPlanner()
                    .maskForColumn(Identity.human("ann"), new io.governed.classification.QualifiedColumn("PUBLIC", "CONTACTS", "REACH"),
                            io.governed.sql.Dialect.H2);
            assertThat(learned.maskId()).isEqualTo("mask-email");
            assertThat(learned.reason()).contains("pii.email", "sampled values are");
        }
    }
    @Test
    void underAFieldSizeLimitH2IgnoresMaskedColumnsReadMaskedInFull() throws SQLException {
        // A driver that cuts values to the limit (pgjdbc) has its results with masked text refused (PostgresMaxFieldSizeIT);
        // H2 ignores the limit (its statement reports 0) and cuts nothing, so nothing changes here.
        try (Connection c = as("ann", "analysts"); Statement s = c.createStatement()) {
            s.setMaxFieldSize(5);
            try (ResultSet rs = s.executeQuery("SELECT id, name, ssn FROM people WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).isEqualTo("Ada");
                assertThat(rs.getString(3)).isEqualTo("*******6789");
            }
        }
    }
}
