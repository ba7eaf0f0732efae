package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On PostgreSQL through pgjdbc, which appends {@code RETURNING "a", "b"} for column names and
 * {@code RETURNING *} for {@code RETURN_GENERATED_KEYS} to an INSERT, UPDATE or DELETE: the keys of
 * each are masked with the lineage of that RETURNING list. An analyst who may write sees every masked
 * column of the written table masked, in every getter; a pii-reader sees them in clear; every write
 * is checked through a raw connection.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresGeneratedKeysIT {
    private static final String SSN = "219-55-7321";
    private static final String EMAIL = "ada.quill@example.org";
    private static final String NEW_SSN = "348-61-9052";
    private static final String NEW_EMAIL = "cy.dunn@example.org";
    private static final Identity ANALYST = Identity.builder("ana").groups("analysts").build();
    private static final Identity PII_READER = Identity.builder("pat").groups("analysts", "pii-readers").build();
    private static final String[] NAMES = {"id", "ssn", "email"};

    @TempDir
    static Path policyDir;
    private static Path policy;

    private final String table = UniqueNames.of("keys_people");
    private Connection raw;
    private Connection governed;

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

    @FunctionalInterface
    private interface Run {
        void run(Statement s) throws SQLException;
    }

    private static List<Way> ways() {
        return List.of(
                new Way("prepareStatement(sql, String[])", (c, sql) -> prepared(c.prepareStatement(sql, NAMES))),
                new Way("prepareStatement(sql, RETURN_GENERATED_KEYS)",
                        (c, sql) -> prepared(c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS))),
                new Way("executeUpdate(sql, String[])", (c, sql) -> plain(c, s -> s.executeUpdate(sql, NAMES))),
                new Way("executeUpdate(sql, RETURN_GENERATED_KEYS)",
                        (c, sql) -> plain(c, s -> s.executeUpdate(sql, Statement.RETURN_GENERATED_KEYS))),
                new Way("executeLargeUpdate(sql, String[])", (c, sql) -> plain(c, s -> s.executeLargeUpdate(sql, NAMES))),
                new Way("execute(sql, String[])", (c, sql) -> plain(c, s -> s.execute(sql, NAMES))),
                new Way("execute(sql, RETURN_GENERATED_KEYS)", (c, sql) -> plain(c, s -> s.execute(sql, Statement.RETURN_GENERATED_KEYS))));
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
        policy = Files.writeString(policyDir.resolve("keys-policy.yaml"), H2GeneratedKeysTest.POLICY);
    }

    @BeforeEach
    void database() throws SQLException {
        raw = TestDatabase.POSTGRESQL.connectRaw();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id serial PRIMARY KEY, name text, ssn text, email text)");
        }
        resetRow();
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(TestDatabase.POSTGRESQL.rawUrl());
        pg.setUser(TestDatabase.POSTGRESQL.user());
        Governance governance = Governance.builder().withoutAudit().policy(PolicyLoader.load(policy)).build();
        governed = new GovernedDataSource(pg, governance).getConnection();
    }

    private void resetRow() throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("DELETE FROM " + table);
            s.execute("INSERT INTO " + table + " (id, name, ssn, email) VALUES (1, 'Ada Quill', '" + SSN + "', '" + EMAIL + "')");
            s.execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), 100)");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        governed.close();
        try (Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
        raw.close();
    }

    private List<String> keysAs(Identity identity, Way way, String sql) throws Exception {
        return IdentityContext.callAs(identity, () -> way.call().run(governed, sql));
    }

    private String rawValue(String sql) throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void assertNoLeak(List<String> texts, String ssn, String email) {
        String local = email.substring(0, email.indexOf('@'));
        String ssnHead = ssn.replaceAll("\\D", "").substring(0, 5);
        assertThat(texts).isNotEmpty().allSatisfy(t -> {
            assertThat(t).doesNotContain(ssn).doesNotContain(ssn.substring(0, 6)).doesNotContain(local);
            assertThat(t.replaceAll("\\D", "")).doesNotContain(ssnHead);
        });
    }

    @TestFactory
    Stream<DynamicTest> anUpdatesKeysShowAnAnalystNoMaskedValue() {
        return ways().stream().map(way -> DynamicTest.dynamicTest(way.name(), () -> {
            resetRow();
            List<String> keys = keysAs(ANALYST, way, "UPDATE " + table + " SET name = 'Ada Q.' WHERE id = 1");
            assertThat(rawValue("SELECT name FROM " + table + " WHERE id = 1")).as("the update ran").isEqualTo("Ada Q.");
            assertNoLeak(keys, SSN, EMAIL);
            assertThat(keys).as("the keys hold the row's SSN, masked").anyMatch(t -> t.startsWith("1.ssn.getString=") && t.endsWith("7321"));
        }));
    }

    @TestFactory
    Stream<DynamicTest> aDeletesKeysShowAnAnalystNoMaskedValue() {
        return ways().stream().map(way -> DynamicTest.dynamicTest(way.name(), () -> {
            resetRow();
            List<String> keys = keysAs(ANALYST, way, "DELETE FROM " + table + " WHERE id = 1");
            assertThat(rawValue("SELECT count(*) FROM " + table)).as("the delete ran").isEqualTo("0");
            assertNoLeak(keys, SSN, EMAIL);
        }));
    }

    @TestFactory
    Stream<DynamicTest> anInsertsKeysShowAnAnalystNoMaskedValue() {
        return ways().stream().map(way -> DynamicTest.dynamicTest(way.name(), () -> {
            resetRow();
            List<String> keys = keysAs(ANALYST, way, "INSERT INTO " + table + " (name, ssn, email) VALUES ('Cy Dunn', '"
                    + NEW_SSN + "', '" + NEW_EMAIL + "')");
            assertThat(rawValue("SELECT count(*) FROM " + table + " WHERE ssn = '" + NEW_SSN + "'")).as("the insert ran").isEqualTo("1");
            assertNoLeak(keys, NEW_SSN, NEW_EMAIL);
            assertThat(keys).as("the generated id comes back in clear").anyMatch(t -> t.matches("1\\.id\\.getInt=\\d+") && !t.endsWith("=0"));
        }));
    }

    /**
     * Every result and the keys of a text of several statements, read through every getter. pgjdbc appends the RETURNING
     * to each write of such a text, and the written row came back as one of its results, under the masks of the text's
     * one select list: in clear.
     */
    private static List<String> everyResult(Statement s, boolean first) throws SQLException {
        List<String> texts = new java.util.ArrayList<>();
        boolean isResult = first;
        for (int i = 0; i < 5 && (isResult || s.getUpdateCount() != -1); i++) {
            if (isResult) {
                try (ResultSet rs = s.getResultSet()) {
                    texts.addAll(EveryGetter.ofAllRows(rs));
                }
            }
            isResult = s.getMoreResults();
        }
        try (ResultSet keys = s.getGeneratedKeys()) {
            if (keys != null) {
                texts.addAll(EveryGetter.ofAllRows(keys));
            }
        }
        return texts;
    }

    @TestFactory
    Stream<DynamicTest> keysOfATextOfSeveralStatementsAreRefusedBeforeAnythingRuns() {
        List<String> texts = List.of("SELECT 1; UPDATE " + table + " SET name = 'Ada Q.' WHERE id = 1",
                "UPDATE " + table + " SET name = 'Ada Q.' WHERE id = 1; SELECT 1",
                "SELECT 'k' AS k; DELETE FROM " + table + " WHERE id = 1");
        List<Way> ways = List.of(
                new Way("execute(sql, RETURN_GENERATED_KEYS)", (c, sql) -> {
                    try (Statement s = c.createStatement()) {
                        return everyResult(s, s.execute(sql, Statement.RETURN_GENERATED_KEYS));
                    }
                }),
                new Way("execute(sql, String[])", (c, sql) -> {
                    try (Statement s = c.createStatement()) {
                        return everyResult(s, s.execute(sql, NAMES));
                    }
                }),
                new Way("executeUpdate(sql, RETURN_GENERATED_KEYS)", (c, sql) -> {
                    try (Statement s = c.createStatement()) {
                        s.executeUpdate(sql, Statement.RETURN_GENERATED_KEYS);
                        return everyResult(s, false);
                    }
                }),
                new Way("prepareStatement(sql, RETURN_GENERATED_KEYS)", (c, sql) -> {
                    try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
                        return everyResult(ps, ps.execute());
                    }
                }));
        return texts.stream().flatMap(sql -> ways.stream().map(way -> DynamicTest.dynamicTest(way.name() + ": " + sql, () -> {
            resetRow();
            assertThatThrownBy(() -> keysAs(ANALYST, way, sql)).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("42501");
                assertThat(e.getMessage()).contains("several statements").contains("generated keys")
                        .doesNotContain(SSN).doesNotContain(EMAIL);
            });
            assertThat(rawValue("SELECT name || '/' || ssn FROM " + table + " WHERE id = 1")).as("nothing ran")
                    .isEqualTo("Ada Quill/" + SSN);
        })));
    }

    @Test
    void aTextOfSeveralStatementsWithoutKeysAndKeysOfOneStatementStillRun() throws Exception {
        List<String> results = IdentityContext.callAs(ANALYST, () -> {
            try (Statement s = governed.createStatement()) {
                return everyResult(s, s.execute("SELECT 1; UPDATE " + table + " SET name = 'Ada Q.' WHERE id = 1"));
            }
        });
        assertThat(rawValue("SELECT name FROM " + table + " WHERE id = 1")).isEqualTo("Ada Q.");
        assertThat(results).isNotEmpty();
        List<String> keys = keysAs(ANALYST, ways().get(0), "UPDATE " + table + " SET name = 'Ada R.' WHERE id = 1");
        assertNoLeak(keys, SSN, EMAIL);
    }

    @TestFactory
    Stream<DynamicTest> aPiiReaderSeesTheKeysInClear() {
        return ways().stream().map(way -> DynamicTest.dynamicTest(way.name(), () -> {
            resetRow();
            List<String> keys = keysAs(PII_READER, way, "UPDATE " + table + " SET name = 'Ada R.' WHERE id = 1");
            assertThat(keys).contains("1.ssn.getString=" + SSN, "1.email.getString=" + EMAIL);
        }));
    }

    @Test
    void keysByColumnPositionAreRefusedByTheDriverAndNothingIsWritten() throws SQLException {
        assertThatThrownBy(() -> IdentityContext.runAs(ANALYST, () -> governed.prepareStatement(
                "UPDATE " + table + " SET name = 'Ada X.' WHERE id = 1", new int[]{3}).executeUpdate()))
                .isInstanceOf(SQLException.class);
        assertThat(rawValue("SELECT name FROM " + table + " WHERE id = 1")).isEqualTo("Ada Quill");
    }
}
