package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.jdbc.support.JdbcValues;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * On PostgreSQL through pgjdbc: errors and warnings that quote values (a failed cast, a duplicate
 * key at commit or at {@code setAutoCommit(true)}, a batch entry, a row fetched by a cursor, a
 * NOTICE) show no value to a caller a mask applies to, keep their SQLState and vendor code, and
 * carry nothing chained; a pii-reader sees the database's own message.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresErrorScrubbingIT {
    private static final String SSN = "219-55-7321";
    private static final String OTHER_SSN = "348-61-9052";
    private static final Identity ANALYST = Identity.builder("ana").groups("analysts").build();
    private static final Identity PII_READER = Identity.builder("pat").groups("analysts", "pii-readers").build();
    private static final Identity SERVICE = Identity.builder("billing").kind(IdentityKind.SERVICE).build();

    @TempDir
    static Path policyDir;
    private static Path policy;

    private final String table = UniqueNames.of("scrub_people");
    private final String function = UniqueNames.of("scrub_notice");
    private Connection raw;
    private Connection governed;

    @BeforeAll
    static void policy() throws IOException {
        policy = Files.writeString(policyDir.resolve("scrubbing-policy.yaml"), H2ErrorScrubbingTest.POLICY);
    }

    @BeforeEach
    void database() throws SQLException {
        raw = TestDatabase.POSTGRESQL.connectRaw();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, name text, ssn text,"
                    + " CONSTRAINT " + table + "_ssn UNIQUE (ssn) DEFERRABLE INITIALLY DEFERRED)");
            s.execute("INSERT INTO " + table + " VALUES (1, 'Ada Quill', '12345'), (2, 'Bo Reyes', '" + SSN + "'),"
                    + " (3, 'Cy Dunn', '" + OTHER_SSN + "')");
            s.execute("CREATE FUNCTION " + function + "(v text) RETURNS text LANGUAGE plpgsql AS $$"
                    + " BEGIN RAISE NOTICE 'saw %', v; RETURN 'x'; END $$");
        }
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(TestDatabase.POSTGRESQL.rawUrl());
        pg.setUser(TestDatabase.POSTGRESQL.user());
        Governance governance = Governance.builder().withoutAudit().policy(PolicyLoader.load(policy)).build();
        governed = new GovernedDataSource(pg, governance).getConnection();
    }

    @AfterEach
    void drop() throws SQLException {
        governed.close();
        try (Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
            s.execute("DROP FUNCTION IF EXISTS " + function + "(text)");
        }
        raw.close();
    }

    @FunctionalInterface
    private interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    private SQLException governedError(Identity as, SqlWork work) {
        return catchThrowableOfType(SQLException.class, () -> IdentityContext.runAs(as, () -> work.run(governed)));
    }

    private static SQLException rawError(Connection c, SqlWork work) throws SQLException {
        SQLException e = catchThrowableOfType(SQLException.class, () -> work.run(c));
        if (!c.getAutoCommit()) {
            c.rollback();
            c.setAutoCommit(true);
        }
        return e;
    }

    /** No text reachable from {@code e} holds {@code value}, whole or by its leading or trailing digits. */
    private static void assertNoValue(Throwable e, String value) {
        String digits = value.replaceAll("\\D", "");
        assertThat(ExceptionTexts.of(e)).as("texts reachable from the exception").isNotEmpty().allSatisfy(t -> {
            assertThat(t).doesNotContain(value);
            if (digits.length() >= 4) {
                assertThat(t.replaceAll("\\D", "")).doesNotContain(digits.substring(0, 3)).doesNotContain(digits.substring(digits.length() - 4));
            }
        });
    }

    private static void assertScrubbedLike(SQLException seen, SQLException original, String value) {
        assertThat((Throwable) original).as("the driver's own exception").isNotNull();
        assertThat(ExceptionTexts.of(original)).as("the driver quotes the value").anyMatch(t -> t.contains(value));
        assertThat((Throwable) seen).isNotNull();
        assertThat(seen.getSQLState()).isEqualTo(original.getSQLState());
        assertThat(seen.getErrorCode()).isEqualTo(original.getErrorCode());
        assertNoValue(seen, value);
        assertThat(ExceptionTexts.attached(seen)).as("causes, suppressed and next exceptions").isZero();
    }

    private static void readAll(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rs.getObject(1);
            }
        }
    }

    @Test
    void aFailedCastShowsAnAnalystNoValueAndAPiiReaderTheDatabasesMessage() throws SQLException {
        SqlWork cast = c -> readAll(c, "SELECT CAST(ssn AS int) FROM " + table + " WHERE id = 2");
        SQLException original = rawError(raw, cast);
        assertScrubbedLike(governedError(ANALYST, cast), original, SSN);

        SQLException reader = governedError(PII_READER, cast);
        assertThat(reader.getMessage()).isEqualTo(original.getMessage()).contains(SSN);
    }

    @Test
    void aGetterThatCannotConvertAValueShowsNoValue() throws SQLException {
        SqlWork getter = c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name, ssn FROM " + table + " WHERE id = 2")) {
                rs.next();
                rs.getInt(1);
            }
        };
        SQLException original = rawError(raw, getter);
        assertScrubbedLike(governedError(ANALYST, getter), original, "Bo Reyes");
        SQLException masked = governedError(ANALYST, c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name, ssn FROM " + table + " WHERE id = 2")) {
                rs.next();
                rs.getInt(2);
            }
        });
        assertThat(masked.getMessage()).contains("masked");
        assertNoValue(masked, SSN);
    }

    @Test
    void aRowFetchedByACursorFailsWithoutItsValue() throws SQLException {
        SqlWork cursor = c -> {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.setFetchSize(1);
                try (ResultSet rs = s.executeQuery("SELECT CAST(ssn AS int) FROM " + table + " ORDER BY id")) {
                    assertThat(rs.next()).as("the first row casts").isTrue();
                    rs.getObject(1); // (masked for the analyst: it derives from ssn)
                    rs.next(); // the second row is fetched now, and fails
                }
            }
        };
        SQLException original = rawError(raw, cursor);
        SQLException seen = governedError(ANALYST, cursor);
        governed.rollback();
        governed.setAutoCommit(true);
        assertScrubbedLike(seen, original, SSN);
    }

    @Test
    void aDuplicateKeyFoundAtCommitShowsNoValue() throws SQLException {
        SqlWork commit = c -> {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO " + table + " VALUES (4, 'Di Eng', '" + SSN + "')");
            }
            c.commit();
        };
        SQLException original = rawError(raw, commit);
        SQLException seen = governedError(SERVICE, commit);
        governed.setAutoCommit(true);
        assertScrubbedLike(seen, original, SSN);
        assertThat(rows()).isEqualTo(3);
    }

    @Test
    void aDuplicateKeyFoundWhenAutoCommitIsSwitchedBackOnShowsNoValue() throws SQLException {
        SqlWork autoCommit = c -> {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO " + table + " VALUES (4, 'Di Eng', '" + OTHER_SSN + "')");
            }
            c.setAutoCommit(true);
        };
        SQLException original = rawError(raw, autoCommit);
        SQLException seen = governedError(SERVICE, autoCommit);
        if (!governed.getAutoCommit()) {
            governed.rollback();
            governed.setAutoCommit(true);
        }
        assertScrubbedLike(seen, original, OTHER_SSN);
        assertThat(rows()).isEqualTo(3);
    }

    @Test
    void aFailedBatchShowsNeitherItsBoundValuesNorTheDuplicateKey() throws SQLException {
        SqlWork batch = c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?)")) {
                ps.setInt(1, 5);
                ps.setString(2, "Ed Fox");
                ps.setString(3, SSN);
                ps.addBatch();
                ps.executeBatch();
            }
        };
        SQLException original = rawError(raw, batch);
        assertThat((Throwable) original).isInstanceOf(BatchUpdateException.class);
        SQLException seen = governedError(SERVICE, batch);
        assertThat((Throwable) seen).isInstanceOf(BatchUpdateException.class);
        assertThat(((BatchUpdateException) seen).getLargeUpdateCounts())
                .containsExactly(((BatchUpdateException) original).getLargeUpdateCounts());
        assertScrubbedLike(seen, original, SSN);
        assertThat(ExceptionTexts.of(seen)).noneMatch(t -> t.contains("Ed Fox"));
        assertThat(rows()).isEqualTo(3);
    }

    @Test
    void aNoticeQuotingAMaskedValueComesBackScrubbed() throws Exception {
        String sql = "SELECT " + function + "(ssn) FROM " + table + " WHERE id = 2";
        List<String> rawWarnings;
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            rawWarnings = JdbcValues.warnings(s.getWarnings());
        }
        assertThat(rawWarnings).as("the database's notice quotes the value").anyMatch(w -> w.contains(SSN));

        SQLWarning seen = IdentityContext.runAs(ANALYST, () -> {
            try (Statement s = governed.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return s.getWarnings();
            }
        });
        assertThat(JdbcValues.warnings(seen)).hasSameSizeAs(rawWarnings).allSatisfy(w -> assertThat(w).doesNotContain(SSN));
        for (SQLWarning w = seen; w != null; w = w.getNextWarning()) {
            assertThat(w.getCause()).isNull();
            assertNoValue(w, SSN);
        }
        assertThat(seen.getSQLState()).isEqualTo(rawWarnings.get(0).split(" ")[0]);

        SQLWarning readerSees = IdentityContext.runAs(PII_READER, () -> {
            try (Statement s = governed.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return s.getWarnings();
            }
        });
        assertThat(JdbcValues.warnings(readerSees)).isEqualTo(rawWarnings);
    }

    private long rows() throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
