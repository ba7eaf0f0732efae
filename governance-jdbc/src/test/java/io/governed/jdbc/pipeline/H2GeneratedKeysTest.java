package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.EveryGetter;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On H2 through the real driver: the keys H2 returns for a write run with column names, column
 * positions or {@code RETURN_GENERATED_KEYS} are the written rows' columns, so they are masked with
 * the lineage of a RETURNING list: an analyst who may write sees the masked columns of the written
 * table masked in every getter; a pii-reader sees them in clear. Each write is checked in the database.
 */
class H2GeneratedKeysTest {
    static final String POLICY = """
            version: 1
            default: deny
            classification:
              tags:
                pii.ssn: ["*.ssn"]
                pii.email: ["*.email"]
            rules:
              - id: analysts-write
                effect: permit
                principals: { groups: [analysts] }
                actions: [select, insert, update, delete, merge]
                resources: ["*"]
            masks:
              - id: mask-ids
                columns: { tags: [pii.ssn] }
                function: partial
                keep-last: 4
                unless: { groups: [pii-readers] }
              - id: mask-email
                columns: { tags: [pii.email] }
                function: email
                unless: { groups: [pii-readers] }
            """;
    private static final String SSN = "219-55-7321";
    private static final String EMAIL = "ada.quill@example.org";
    private static final String NEW_SSN = "348-61-9052";
    private static final String NEW_EMAIL = "cy.dunn@example.org";
    private static final Identity ANALYST = Identity.builder("ana").groups("analysts").build();
    private static final Identity PII_READER = Identity.builder("pat").groups("analysts", "pii-readers").build();

    @TempDir
    static Path policyDir;
    private static Path policy;

    private JdbcDataSource h2;
    private Connection raw;
    private Connection governed;

    /** One way of asking for generated keys: runs {@code sql} so and returns every getter's text of the keys. */
    private record Way(String name, KeysCall call) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    private interface KeysCall {
        List<String> run(Connection c, String sql) throws SQLException;
    }

    private static final String[] NAMES = {"ID", "SSN", "EMAIL"};
    private static final int[] INDEXES = {1, 3, 4};

    private static List<Way> ways() {
        return List.of(
                new Way("prepareStatement(sql, String[])", (c, sql) -> prepared(c.prepareStatement(sql, NAMES))),
                new Way("prepareStatement(sql, int[])", (c, sql) -> prepared(c.prepareStatement(sql, INDEXES))),
                new Way("prepareStatement(sql, RETURN_GENERATED_KEYS)",
                        (c, sql) -> prepared(c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS))),
                new Way("executeUpdate(sql, String[])", (c, sql) -> plain(c, s -> s.executeUpdate(sql, NAMES))),
                new Way("executeUpdate(sql, int[])", (c, sql) -> plain(c, s -> s.executeUpdate(sql, INDEXES))),
                new Way("executeUpdate(sql, RETURN_GENERATED_KEYS)",
                        (c, sql) -> plain(c, s -> s.executeUpdate(sql, Statement.RETURN_GENERATED_KEYS))),
                new Way("executeLargeUpdate(sql, String[])", (c, sql) -> plain(c, s -> s.executeLargeUpdate(sql, NAMES))),
                new Way("execute(sql, String[])", (c, sql) -> plain(c, s -> s.execute(sql, NAMES))),
                new Way("execute(sql, int[])", (c, sql) -> plain(c, s -> s.execute(sql, INDEXES))));
    }

    @FunctionalInterface
    private interface Run {
        void run(Statement s) throws SQLException;
    }

    private static List<String> prepared(PreparedStatement ps) throws SQLException {
        try (ps) {
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                return EveryGetter.ofAllRows(keys);
            }
        }
    }

    private static List<String> plain(Connection c, Run run) throws SQLException {
        try (Statement s = c.createStatement()) {
            run.run(s);
            try (ResultSet keys = s.getGeneratedKeys()) {
                return EveryGetter.ofAllRows(keys);
            }
        }
    }

    @BeforeAll
    static void policy() throws IOException {
        policy = Files.writeString(policyDir.resolve("keys-policy.yaml"), POLICY);
    }

    @BeforeEach
    void database() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:keys-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        raw = h2.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE people(id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40), ssn VARCHAR(20), email VARCHAR(60))");
            s.execute("INSERT INTO people(name, ssn, email) VALUES ('Ada Quill', '" + SSN + "', '" + EMAIL + "')");
        }
        Governance governance = Governance.builder().withoutAudit().policy(PolicyLoader.load(policy)).build();
        governed = new GovernedDataSource(h2, governance).getConnection();
    }

    @AfterEach
    void close() throws SQLException {
        governed.close();
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private List<String> keysAs(Identity identity, Way way, String sql) throws Exception {
        return IdentityContext.callAs(identity, () -> way.call().run(governed, sql));
    }

    private String rawValue(String sql) throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** No getter's text shows {@code value} beyond what its mask keeps (the last four digits of an SSN; an e-mail's domain). */
    private static void assertNoLeak(List<String> texts, String ssn, String email) {
        String local = email.substring(0, email.indexOf('@'));
        String ssnHead = ssn.replaceAll("\\D", "").substring(0, 5);
        assertThat(texts).allSatisfy(t -> {
            assertThat(t).doesNotContain(ssn).doesNotContain(ssn.substring(0, 6)).doesNotContain(local);
            assertThat(t.replaceAll("\\D", "")).doesNotContain(ssnHead);
        });
    }

    @TestFactory
    Stream<DynamicTest> anUpdatesKeysShowAnAnalystNoMaskedValue() {
        return ways().stream().map(way -> DynamicTest.dynamicTest(way.name(), () -> {
            List<String> keys = keysAs(ANALYST, way, "UPDATE people SET name = 'Ada Q.' WHERE id = 1");
            assertThat(rawValue("SELECT name FROM people WHERE id = 1")).as("the update ran").isEqualTo("Ada Q.");
            assertNoLeak(keys, SSN, EMAIL);
            if (!way.name().contains("RETURN_GENERATED_KEYS")) {
                assertThat(keys).as("the keys hold the row's masked SSN").anyMatch(t -> t.contains(".SSN.getString=") && t.endsWith("7321"));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> anInsertsKeysShowAnAnalystNoMaskedValue() {
        return ways().stream().map(way -> DynamicTest.dynamicTest(way.name(), () -> {
            String sql = "INSERT INTO people(name, ssn, email) VALUES ('Cy Dunn', '" + NEW_SSN + "', '" + NEW_EMAIL + "')";
            List<String> keys = keysAs(ANALYST, way, sql);
            assertThat(rawValue("SELECT COUNT(*) FROM people WHERE ssn = '" + NEW_SSN + "'")).as("the insert ran").isEqualTo("1");
            assertNoLeak(keys, NEW_SSN, NEW_EMAIL);
            assertThat(keys).as("the new row's key comes back").anyMatch(t -> t.contains(".ID.getInt="));
            try (Statement s = raw.createStatement()) {
                s.execute("DELETE FROM people WHERE ssn = '" + NEW_SSN + "'");
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> aPiiReaderSeesTheKeysInClear() {
        return ways().stream().filter(w -> !w.name().contains("RETURN_GENERATED_KEYS")).map(way -> DynamicTest.dynamicTest(way.name(), () -> {
            List<String> keys = keysAs(PII_READER, way, "UPDATE people SET name = 'Ada R.' WHERE id = 1");
            assertThat(keys).contains("1.SSN.getString=" + SSN, "1.EMAIL.getString=" + EMAIL);
        }));
    }

    @Test
    void aDeletesKeysAreNoneAndTheRowIsGone() throws Exception {
        List<String> keys = new ArrayList<>();
        for (Way way : ways()) {
            try (Statement s = raw.createStatement()) {
                s.execute("INSERT INTO people(name, ssn, email) VALUES ('Ed Fox', '" + NEW_SSN + "', '" + NEW_EMAIL + "')");
            }
            keys.addAll(keysAs(ANALYST, way, "DELETE FROM people WHERE name = 'Ed Fox'"));
            assertThat(rawValue("SELECT COUNT(*) FROM people WHERE name = 'Ed Fox'")).as(way.name()).isEqualTo("0");
        }
        assertNoLeak(keys, NEW_SSN, NEW_EMAIL);
    }

    @Test
    void keysThatCannotBeTracedAreRefusedToACallerMasksApplyTo() throws Exception {
        String merge = "MERGE INTO people p USING (VALUES (1)) v(id) ON p.id = v.id WHEN MATCHED THEN UPDATE SET name = 'Ada M.'";
        IdentityContext.runAs(ANALYST, () -> {
            try (PreparedStatement ps = governed.prepareStatement(merge, NAMES)) {
                ps.executeUpdate();
                assertThatThrownBy(ps::getGeneratedKeys).isInstanceOf(GovernanceException.class)
                        .hasMessageContaining("cannot be traced").hasMessageNotContaining(SSN)
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            }
        });
        assertThat(rawValue("SELECT name FROM people WHERE id = 1")).as("the merge itself ran").isEqualTo("Ada M.");
        List<String> readerKeys = IdentityContext.callAs(PII_READER, () -> {
            try (PreparedStatement ps = governed.prepareStatement(merge.replace("Ada M.", "Ada N."), NAMES)) {
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    return EveryGetter.ofAllRows(rs);
                }
            }
        });
        assertThat(readerKeys).as("no mask applies to a pii-reader: the driver's keys as they are").contains("1.SSN.getString=" + SSN);
    }

    @Test
    void keysThatWereNotAskedForAreMaskedByWhatTheDriverSaysTheyAre() throws Exception {
        List<String> keys = IdentityContext.callAs(ANALYST, () -> {
            try (Statement s = governed.createStatement()) {
                s.executeUpdate("UPDATE people SET name = 'Ada S.' WHERE id = 1");
                try (ResultSet rs = s.getGeneratedKeys()) {
                    return EveryGetter.ofAllRows(rs);
                }
            }
        });
        assertNoLeak(keys, SSN, EMAIL);
    }
}
