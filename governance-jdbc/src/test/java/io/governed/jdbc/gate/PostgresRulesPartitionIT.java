package io.governed.jdbc.gate;

import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On PostgreSQL a partition (at any level) or an inheritance child holds rows of its parent under a name of its own,
 * and reading the parent reads them: a forbid or an approval on the parent covers the partition, a forbid on a child
 * covers reading the parent, a mask naming the parent's column by its exact name masks the partition's, and a name
 * whose relatives the session cannot tell (in a batch after an entry that may change name resolution) is covered by
 * every forbid of the action. What the tables hold is checked through a raw connection.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresRulesPartitionIT {
    private static final String SECRET = "PAY-CONFIDENTIAL-7";
    private static final String KID_SECRET = "KID-CONFIDENTIAL-8";

    /** Partitioned by range, one partition partitioned again. */
    private final String salaries = UniqueNames.of("rp_salaries");
    /** An inheritance parent, whose child a forbid for interns names. */
    private final String family = UniqueNames.of("rp_family");
    /** A table of its own, neither partition nor parent. */
    private final String plain = UniqueNames.of("rp_plain");
    private Path policy;

    @BeforeEach
    void tables() throws SQLException, IOException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE public." + salaries + " (id int, note text) PARTITION BY RANGE (id)");
            st.execute("CREATE TABLE public." + salaries + "_p1 PARTITION OF public." + salaries
                    + " FOR VALUES FROM (0) TO (100) PARTITION BY RANGE (id)");
            st.execute("CREATE TABLE public." + salaries + "_p1a PARTITION OF public." + salaries + "_p1"
                    + " FOR VALUES FROM (0) TO (50)");
            st.execute("INSERT INTO public." + salaries + " VALUES (1, '" + SECRET + "')");
            st.execute("CREATE TABLE public." + family + " (id int, note text)");
            st.execute("CREATE TABLE public." + family + "_kid () INHERITS (public." + family + ")");
            st.execute("INSERT INTO public." + family + " VALUES (1, 'own-note')");
            st.execute("INSERT INTO public." + family + "_kid VALUES (2, '" + KID_SECRET + "')");
            st.execute("CREATE TABLE public." + plain + " (id int)");
            st.execute("INSERT INTO public." + plain + " VALUES (3)");
        }
        policy = Files.createTempFile("partition-rules", ".yaml");
        Files.writeString(policy, """
                version: 1
                default: allow
                rules:
                  - { id: no-salaries, effect: forbid, actions: [select, delete], resources: ["public.%1$s", "public.%2$s"],
                      principals: { groups: [contractors] } }
                  - { id: no-kid, effect: forbid, actions: [select], resources: ["public.%2$s_kid"],
                      principals: { groups: [interns] } }
                approvals:
                  - { id: salary-deletes, actions: [delete], resources: ["public.%1$s"], approvers: { groups: [hr] }, ttl: 1h }
                masks:
                  - id: mask-pay-notes
                    columns: { patterns: ["public.%1$s.note"] }
                    function: redact
                """.formatted(salaries, family));
    }

    @AfterEach
    void drop() throws SQLException, IOException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS public." + salaries + " CASCADE");
            st.execute("DROP TABLE IF EXISTS public." + family + " CASCADE");
            st.execute("DROP TABLE IF EXISTS public." + plain);
        }
        Files.deleteIfExists(policy);
    }

    private Connection connect(String... groups) throws SQLException {
        return TestDatabase.POSTGRESQL.connectGoverned(policy, null, groups);
    }

    private String sql(String template) {
        return template.replace("{S}", salaries).replace("{F}", family).replace("{P}", plain);
    }

    private static long rawCount(String sql) throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void assertRowsIntact(String what) throws SQLException {
        assertThat(rawCount(sql("SELECT count(*) FROM public.{S}_p1a WHERE note = '" + SECRET + "'")))
                .as("the partition's row after " + what).isEqualTo(1);
        assertThat(rawCount(sql("SELECT count(*) FROM public.{F}_kid WHERE note = '" + KID_SECRET + "'")))
                .as("the child's row after " + what).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM {S}_p1",
            "SELECT note FROM public.{S}_p1a",
            "SELECT * FROM ONLY {F}_kid",
            "DELETE FROM {S}_p1a WHERE id = 1",
            "DELETE FROM {F}_kid WHERE id = 2",
    })
    void aForbidOnTheParentCoversItsPartitionsAndChildren(String template) throws SQLException {
        try (Connection c = connect("contractors"); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute(sql(template))).as(template).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("no-salaries")
                    .hasMessageContaining("through its partition or inheritance child")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET, KID_SECRET));
        }
        assertRowsIntact(template);
    }

    @Test
    void aForbidOnAChildCoversReadingTheParent() throws SQLException {
        try (Connection c = connect("interns"); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery(sql("SELECT * FROM {F}"))).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("no-kid")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KID_SECRET));
            try (ResultSet rs = st.executeQuery(sql("SELECT count(*) FROM {S}"))) {
                assertThat(rs.next()).as("a table with no forbidden relative").isTrue();
            }
        }
    }

    @Test
    void aDeleteOnAPartitionNeedsTheParentsApproval() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate(sql("DELETE FROM {S}_p1a WHERE id = 1")))
                    .isInstanceOf(ApprovalPendingException.class)
                    .hasMessageContaining("salary-deletes");
            assertThat(st.executeUpdate(sql("DELETE FROM {F} WHERE id = 1"))).as("no approval covers it").isEqualTo(1);
        }
        assertRowsIntact("a delete waiting for approval");
    }

    @Test
    void aMaskNamingTheParentsColumnMasksThePartitions() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql("SELECT id, note FROM {S}_p1a"))) {
            List<String> seen = EveryGetter.ofAllRows(rs);
            assertThat(String.join("|", seen)).doesNotContain(SECRET);
        }
    }

    /**
     * In a batch after an entry that may change name resolution, whether a relation is a partition is not known: every
     * forbid of the action covers it.
     */
    @Test
    void aRelationWhoseRelativesAreNotKnownIsCoveredByEveryForbidOfTheAction() throws SQLException {
        try (Connection c = connect("contractors"); Statement st = c.createStatement()) {
            st.addBatch("SET search_path TO public");
            st.addBatch(sql("DELETE FROM {P} WHERE id = 3"));
            List<Throwable> failures = new ArrayList<>();
            try {
                st.executeBatch();
            } catch (SQLException e) {
                failures.add(e);
            }
            assertThat(failures).singleElement().satisfies(e -> assertThat(e).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("no-salaries").hasMessageContaining("may be a partition or inheritance child"));
        }
        try (Connection c = connect("contractors"); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate(sql("DELETE FROM {P} WHERE id = 4"))).as("on its own, known to be no partition")
                    .isZero();
        }
        assertThat(rawCount(sql("SELECT count(*) FROM public.{P}"))).as("the row after a batch").isEqualTo(1);
    }
}
