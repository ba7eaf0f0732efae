package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * On H2 through the real driver: a caller a row filter restricts, and no mask, sees no value in a database error (a
 * database may evaluate the caller's condition on rows the filter then drops and quote them), with the SQLState,
 * vendor code and kind kept; a caller the filter exempts sees the database's own message.
 */
class H2RowFilterErrorScrubbingTest {
    private static final Identity TENANT = Identity.builder("tom").attribute("tenant", "t1").build();
    private static final Identity SUPPORT = Identity.builder("sam").groups("support").attribute("tenant", "t1").build();

    /** Everything permitted, no masks; orders filtered by tenant unless support. */
    private static final String POLICY = """
            version: 1
            rules:
              - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
            row-filters:
              - id: tenant-isolation
                tables: ["orders"]
                filter: "tenant_id = :identity.tenant"
                unless: { groups: [support] }
            """;

    private JdbcDataSource h2;
    private Connection raw;
    private Connection governed;

    @BeforeEach
    void database() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:rf-scrub-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        raw = h2.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE orders(id INT PRIMARY KEY, tenant_id VARCHAR(10), note VARCHAR(40) UNIQUE)");
            s.execute("INSERT INTO orders VALUES (1, 't1', 'own-note-7731')");
            s.execute("CREATE TABLE people(id INT PRIMARY KEY, name VARCHAR(40) UNIQUE)");
            s.execute("INSERT INTO people VALUES (1, 'Ada Quill')");
        }
        Governance governance = Governance.builder().withoutAudit()
                .policy(PolicyLoader.fromString("row-filter-scrubbing.yaml", POLICY)).build();
        governed = new GovernedDataSource(h2, governance).getConnection();
    }

    @AfterEach
    void close() throws SQLException {
        governed.close();
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    @FunctionalInterface
    private interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    private SQLException governedError(Identity as, SqlWork work) {
        return catchThrowableOfType(SQLException.class, () -> IdentityContext.runAs(as, () -> work.run(governed)));
    }

    private static void assertScrubbed(SQLException seen, SQLException original, String value) {
        assertThat(original.getMessage()).as("the database quotes the value").contains(value);
        assertThat((Throwable) seen).isNotNull();
        assertThat(seen.getSQLState()).isEqualTo(original.getSQLState());
        assertThat(seen.getErrorCode()).isEqualTo(original.getErrorCode());
        assertThat(ExceptionTexts.of(seen)).allSatisfy(t -> assertThat(t).doesNotContain(value).doesNotContain("7731"));
        assertThat(ExceptionTexts.attached(seen)).as("causes, suppressed and next exceptions").isZero();
    }

    @Test
    void aFailedCastOnTheFilteredTableShowsTheFilteredCallerNoValueAndSupportTheDatabasesMessage() {
        SqlWork cast = c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CAST(note AS INT) FROM orders")) {
                while (rs.next()) {
                    rs.getObject(1);
                }
            }
        };
        SQLException original = catchThrowableOfType(SQLException.class, () -> cast.run(raw));
        assertScrubbed(governedError(TENANT, cast), original, "own-note-7731");
        assertThat(governedError(SUPPORT, cast).getMessage()).isEqualTo(original.getMessage());
    }

    @Test
    void aGetterThatCannotConvertAValueShowsNoValue() {
        SqlWork getter = c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT note FROM orders WHERE id = ?")) {
                ps.setInt(1, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    rs.getInt(1);
                }
            }
        };
        SQLException original = catchThrowableOfType(SQLException.class, () -> getter.run(raw));
        assertScrubbed(governedError(TENANT, getter), original, "own-note-7731");
    }

    @Test
    void aDuplicateKeyAndAFailedBatchOfAnUnfilteredTableKeepTheirKindAndShowNoValue() throws SQLException {
        SqlWork insert = c -> c.createStatement().executeUpdate("INSERT INTO people VALUES (2, 'Ada Quill')");
        SQLException original = catchThrowableOfType(SQLException.class, () -> insert.run(raw));
        SQLException seen = governedError(TENANT, insert);
        assertThat((Throwable) seen).isInstanceOf(SQLIntegrityConstraintViolationException.class);
        assertScrubbed(seen, original, "Ada Quill");

        SqlWork batch = c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO people VALUES (?, ?)")) {
                ps.setInt(1, 3);
                ps.setString(2, "Bo Reyes");
                ps.addBatch();
                ps.setInt(1, 4);
                ps.setString(2, "Ada Quill");
                ps.addBatch();
                ps.executeBatch();
            }
        };
        SQLException failed = governedError(TENANT, batch);
        assertThat((Throwable) failed).isInstanceOf(BatchUpdateException.class);
        assertThat(((BatchUpdateException) failed).getLargeUpdateCounts()).hasSize(2).startsWith(1L);
        assertThat(ExceptionTexts.of(failed)).allSatisfy(t -> assertThat(t).doesNotContain("Ada Quill", "Bo Reyes"));
        assertThat(ExceptionTexts.attached(failed)).isZero();
    }
}
