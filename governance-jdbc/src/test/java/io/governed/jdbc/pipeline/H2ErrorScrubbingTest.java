package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * On H2 through the real driver: a database error that quotes a value shows no value to a caller a
 * mask applies to (same SQLState, vendor code and kind, nothing chained), and shows the database's
 * own message to a caller no mask applies to.
 */
class H2ErrorScrubbingTest {
    private static final String SSN = "219-55-7321";
    private static final String OTHER_SSN = "348-61-9052";
    private static final Identity ANALYST = Identity.builder("ana").groups("analysts").build();
    private static final Identity PII_READER = Identity.builder("pat").groups("analysts", "pii-readers").build();
    private static final Identity SERVICE = Identity.builder("billing").kind(IdentityKind.SERVICE).build();

    private JdbcDataSource h2;
    private Connection raw;
    private Connection governed;

    /** Analysts and services see ssn and email masked; pii-readers have no mask at all. */
    static final String POLICY = """
            version: 1
            default: deny
            classification:
              tags:
                pii.ssn: ["*.ssn"]
                pii.email: ["*.email"]
            rules:
              - id: analysts-read
                effect: permit
                principals: { groups: [analysts] }
                actions: [select]
                resources: ["*"]
              - id: analysts-call-the-notice-functions   # user functions: calling one is a call on it
                effect: permit
                principals: { groups: [analysts] }
                actions: [call]
                resources: ["*.scrub_notice*"]
              - id: services-crud
                effect: permit
                principals: { kinds: [service] }
                actions: [select, insert, update, delete]
                resources: ["*"]
              - id: analysts-call
                effect: permit
                principals: { groups: [analysts] }
                actions: [call]
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

    @TempDir
    static Path policyDir;
    private static Path policy;

    @BeforeAll
    static void policy() throws IOException {
        policy = Files.writeString(policyDir.resolve("scrubbing-policy.yaml"), POLICY);
    }

    @BeforeEach
    void database() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:scrub-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        raw = h2.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE people(id INT PRIMARY KEY, name VARCHAR(40), ssn VARCHAR(20) UNIQUE)");
            s.execute("INSERT INTO people VALUES (1, 'Ada Quill', '" + SSN + "'), (2, 'Bo Reyes', '" + OTHER_SSN + "')");
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

    /** What the raw driver throws for {@code work} on the raw connection. */
    private static SQLException rawError(SqlWork work, Connection c) {
        return catchThrowableOfType(SQLException.class, () -> work.run(c));
    }

    @FunctionalInterface
    private interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    private SQLException governedError(Identity as, SqlWork work) {
        return catchThrowableOfType(SQLException.class, () -> IdentityContext.runAs(as, () -> work.run(governed)));
    }

    private static void readAll(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rs.getObject(1);
            }
        }
    }

    /** No text reachable from {@code e} holds any of {@code values}, whole or as its digits. */
    private static void assertNoValue(SQLException e, String... values) {
        List<String> texts = ExceptionTexts.of(e);
        for (String value : values) {
            String digits = value.replaceAll("\\D", "");
            assertThat(texts).as("texts reachable from the exception").allSatisfy(t -> {
                assertThat(t).doesNotContain(value);
                if (!digits.isEmpty()) {
                    assertThat(t.replaceAll("\\D", "")).doesNotContain(digits.substring(0, 3)).doesNotContain(digits.substring(digits.length() - 4));
                }
            });
        }
        assertThat(ExceptionTexts.attached(e)).as("causes, suppressed and next exceptions").isZero();
    }

    private static void assertSameKind(SQLException scrubbed, SQLException original) {
        assertThat(scrubbed.getSQLState()).isEqualTo(original.getSQLState());
        assertThat(scrubbed.getErrorCode()).isEqualTo(original.getErrorCode());
    }

    @Test
    void aCastOfAMaskedColumnShowsAnAnalystNoValue() {
        SqlWork cast = c -> readAll(c, "SELECT CAST(ssn AS INT) FROM people ORDER BY id");
        SQLException original = rawError(cast, raw);
        assertThat(original.getMessage()).as("the database quotes the value").contains(SSN);

        SQLException seen = governedError(ANALYST, cast);
        assertThat((Throwable) seen).isNotNull();
        assertSameKind(seen, original);
        assertNoValue(seen, SSN);
        assertThat(seen.getMessage()).isNotBlank().doesNotContain("Ada");
    }

    @Test
    void aPiiReaderSeesTheDatabasesMessage() {
        SqlWork cast = c -> readAll(c, "SELECT CAST(ssn AS INT) FROM people ORDER BY id");
        SQLException original = rawError(cast, raw);
        SQLException seen = governedError(PII_READER, cast);
        assertThat(seen.getMessage()).isEqualTo(original.getMessage()).contains(SSN);
        assertSameKind(seen, original);
    }

    @Test
    void aGetterThatCannotConvertAValueShowsNoValue() {
        SqlWork getter = c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM people WHERE id = 1")) {
                rs.next();
                rs.getInt(1);
            }
        };
        SQLException original = rawError(getter, raw);
        assertThat(original.getMessage()).contains("Ada Quill");
        SQLException seen = governedError(ANALYST, getter);
        assertSameKind(seen, original);
        assertNoValue(seen, "Ada Quill");
        assertThat(ExceptionTexts.of(seen)).noneMatch(t -> t.contains("Ada"));
    }

    @Test
    void aDuplicateKeyShowsAServiceNoValueAndKeepsItsKind() throws SQLException {
        SqlWork insert = c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO people VALUES (3, 'Cy Dunn', '" + SSN + "')");
            }
        };
        SQLException original = rawError(insert, raw);
        assertThat(original.getMessage()).contains(SSN);
        SQLException seen = governedError(SERVICE, insert);
        assertThat((Throwable) seen).isInstanceOf(SQLIntegrityConstraintViolationException.class);
        assertSameKind(seen, original);
        assertNoValue(seen, SSN, "Cy Dunn");
        assertThat(count()).isEqualTo(2);
    }

    @Test
    void aFailedBatchKeepsItsCountsAndShowsNoValue() throws SQLException {
        SqlWork batch = c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO people VALUES (?, ?, ?)")) {
                ps.setInt(1, 4);
                ps.setString(2, "Di Eng");
                ps.setString(3, "501-22-6813");
                ps.addBatch();
                ps.setInt(1, 5);
                ps.setString(2, "Ed Fox");
                ps.setString(3, OTHER_SSN);
                ps.addBatch();
                ps.executeBatch();
            }
        };
        SQLException seen = governedError(SERVICE, batch);
        assertThat((Throwable) seen).isInstanceOf(BatchUpdateException.class);
        assertThat(((BatchUpdateException) seen).getLargeUpdateCounts()).hasSize(2).startsWith(1L);
        assertThat(seen.getSQLState()).isEqualTo("23505");
        assertNoValue(seen, OTHER_SSN, "Ed Fox");
    }

    @Test
    void aPiiReadersDuplicateKeyNamesTheValue() {
        Identity readingService = Identity.builder("billing").kind(IdentityKind.SERVICE).groups("pii-readers").build();
        SQLException seen = governedError(readingService, c -> c.createStatement()
                .executeUpdate("INSERT INTO people VALUES (3, 'Cy Dunn', '" + SSN + "')"));
        assertThat((Throwable) seen).isInstanceOf(SQLIntegrityConstraintViolationException.class);
        assertThat(seen.getMessage()).contains(SSN);
    }

    private long count() throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM people")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
