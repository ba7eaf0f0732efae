package io.governed.jdbc.rowfilter;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.identity.IdentityContext;
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
 * On PostgreSQL: a partition (at any level, in any schema) or an inheritance child of a row-filtered table holds that
 * table's rows under a name of its own. Reading or writing it is refused to a caller the filter restricts, naming the
 * parent; a mask naming the parent's column masks the partition's column of that name. What the tables hold is
 * checked through a raw connection.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresRowFilterPartitionIT {
    private static final String SECRET_A = "T2-CONFIDENTIAL-A";
    private static final String SECRET_B = "T2-CONFIDENTIAL-B";
    private static final String SECRET_C = "T3-CONFIDENTIAL-C";
    private static final String CHILD_SECRET = "T2-CHILD-SECRET";
    private static final String KID_SECRET = "KID-ONLY-SECRET";

    private final String orders = UniqueNames.of("part_orders");
    private final String schema = UniqueNames.of("part_elsewhere");
    private final String legacy = UniqueNames.of("part_legacy");
    /** A parent no filter names, whose child one filter and one mask name. */
    private final String family = UniqueNames.of("part_family");
    private Path policy;

    @BeforeEach
    void tables() throws SQLException, IOException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
            st.execute("CREATE TABLE public." + orders + " (id int, tenant_id text, total int, note text)"
                    + " PARTITION BY LIST (tenant_id)");
            st.execute("CREATE TABLE public." + orders + "_t1 PARTITION OF public." + orders + " FOR VALUES IN ('t1')");
            st.execute("CREATE TABLE " + schema + "." + orders + "_t2 PARTITION OF public." + orders + " FOR VALUES IN ('t2')");
            st.execute("CREATE TABLE public." + orders + "_t3 PARTITION OF public." + orders + " FOR VALUES IN ('t3')"
                    + " PARTITION BY RANGE (id)");
            st.execute("CREATE TABLE public." + orders + "_t3a PARTITION OF public." + orders + "_t3 FOR VALUES FROM (0) TO (100)");
            st.execute("INSERT INTO public." + orders + " VALUES (1, 't1', 100, 'own-note'), (3, 't2', 100, '" + SECRET_A
                    + "'), (4, 't2', 100, '" + SECRET_B + "'), (5, 't3', 100, '" + SECRET_C + "')");
            st.execute("CREATE TABLE public." + legacy + " (id int, tenant_id text, note text)");
            st.execute("CREATE TABLE public." + legacy + "_child (extra int) INHERITS (public." + legacy + ")");
            st.execute("INSERT INTO public." + legacy + " VALUES (1, 't1', 'own-note')");
            st.execute("INSERT INTO public." + legacy + "_child VALUES (2, 't2', '" + CHILD_SECRET + "', 0)");
            st.execute("CREATE TABLE public." + family + " (id int, tenant_id text, note text)");
            st.execute("CREATE TABLE public." + family + "_kid () INHERITS (public." + family + ")");
            st.execute("INSERT INTO public." + family + " VALUES (1, 't1', 'own-note')");
            st.execute("INSERT INTO public." + family + "_kid VALUES (2, 't2', '" + KID_SECRET + "')");
        }
        policy = Files.createTempFile("partition-policy", ".yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                masks:
                  - id: mask-notes
                    columns: { patterns: ["public.%1$s.note", "public.%2$s.note", "public.%3$s_kid.note"] }
                    function: redact
                    unless: { groups: [note-readers] }
                row-filters:
                  - id: tenant-isolation
                    tables: ["public.%1$s", "public.%2$s"]
                    filter: "tenant_id = :identity.tenant"
                    unless: { groups: [support] }
                  - id: kid-isolation
                    tables: ["public.%3$s_kid"]
                    filter: "tenant_id = :identity.tenant"
                    unless: { groups: [support] }
                """.formatted(orders, legacy, family));
    }

    @AfterEach
    void drop() throws SQLException, IOException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS public." + orders + "_late");
            st.execute("DROP TABLE IF EXISTS public." + orders + " CASCADE");
            st.execute("DROP TABLE IF EXISTS public." + legacy + " CASCADE");
            st.execute("DROP TABLE IF EXISTS public." + family + " CASCADE");
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
        Files.deleteIfExists(policy);
    }

    private Connection connect(String... groups) throws SQLException {
        return TestDatabase.POSTGRESQL.connectGoverned(policy, "t1", groups);
    }

    private String sql(String template) {
        return template.replace("{O}", orders).replace("{S}", schema).replace("{L}", legacy).replace("{F}", family);
    }

    /** Every value of every row, through every getter. */
    private static List<String> everything(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return EveryGetter.ofAllRows(rs);
        }
    }

    private static long rawCount(String sql) throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void assertOtherTenantsIntact(String what) throws SQLException {
        assertThat(rawCount(sql("SELECT count(*) FROM public.{O} WHERE tenant_id <> 't1' AND total = 100")))
                .as("other tenants' rows after " + what).isEqualTo(3);
        assertThat(rawCount(sql("SELECT count(*) FROM public.{O}"))).as("rows after " + what).isEqualTo(4);
        assertThat(rawCount(sql("SELECT count(*) FROM public.{L}_child WHERE note = '" + CHILD_SECRET + "'")))
                .as("the child's row after " + what).isEqualTo(1);
    }

    @Test
    void theParentIsReadFilteredAndThePartitionsHoldTheOtherTenantsRows() throws SQLException {
        assertThat(rawCount(sql("SELECT count(*) FROM {S}.{O}_t2"))).isEqualTo(2);
        assertThat(rawCount(sql("SELECT count(*) FROM public.{O}_t3a"))).isEqualTo(1);
        try (Connection c = connect("note-readers")) {
            List<String> seen = everything(c, sql("SELECT * FROM {O}"));
            assertThat(String.join("\n", seen)).contains("own-note").doesNotContain(SECRET_A, SECRET_B, SECRET_C, "t2", "t3");
        }
    }

    /**
     * {@code FROM ONLY parent} reads the filtered parent without its children: the filter restricts it, and the
     * caller's own rows in a child stay out, as PostgreSQL's {@code ONLY} says.
     */
    @Test
    void onlyTheFilteredParentIsReadFilteredWithoutItsChildren() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute(sql("INSERT INTO public.{L}_child VALUES (3, 't1', 'own-child-note', 0)"));
        }
        try (Connection c = connect("note-readers")) {
            for (String template : List.of("SELECT note FROM ONLY {L}", "SELECT l.note FROM ONLY {L} l WHERE l.id > 0",
                    "SELECT note FROM {L} WHERE id IN (SELECT id FROM ONLY {L})")) {
                assertThat(String.join("\n", everything(c, sql(template)))).as(template).contains("own-note")
                        .doesNotContain("own-child-note", CHILD_SECRET, "t2");
            }
            assertThat(String.join("\n", everything(c, sql("SELECT note FROM {L}")))).contains("own-note", "own-child-note")
                    .doesNotContain(CHILD_SECRET);
        }
        assertOtherTenantsIntact("ONLY");
    }

    /** Reads and writes of a partition, a sub-partition, a partition in another schema, or a child: refused, naming the parent. */
    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM {S}.{O}_t2",
            "SELECT * FROM ONLY {S}.{O}_t2",
            "SELECT * FROM {O}_t1",
            "SELECT * FROM public.{O}_t3",
            "SELECT note FROM {O}_t3a",
            "SELECT * FROM {O} o JOIN {S}.{O}_t2 g ON true",
            "SELECT jsonb_agg(g) FROM {S}.{O}_t2 g",
            "SELECT id FROM {O} WHERE id IN (SELECT id FROM {S}.{O}_t2)",
            "WITH x AS (SELECT * FROM {O}_t3a) SELECT * FROM x",
            "SELECT * FROM {L}_child",
            "SELECT * FROM ONLY {L}_child",
            "UPDATE {S}.{O}_t2 SET total = 0 WHERE id = 3",
            "DELETE FROM {O}_t3a WHERE id = 5",
            "INSERT INTO {O}_t1 (id, tenant_id, total, note) VALUES (9, 't1', 1, 'x')",
            "UPDATE {L}_child SET note = 'x' WHERE id = 2",
    })
    void aPartitionOrChildOfTheFilteredTableIsRefused(String template) throws SQLException {
        try (Connection c = connect("note-readers"); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute(sql(template))).as(template).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation")
                    .hasMessageContaining("partition or inheritance child")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET_A, SECRET_B, SECRET_C, CHILD_SECRET));
        }
        assertOtherTenantsIntact(template);
    }

    @Test
    void theRefusalNamesTheParentToUse() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery(sql("SELECT * FROM {O}_t3a")))
                    .hasMessageContaining("public." + orders + " itself");
            assertThatThrownBy(() -> st.executeQuery(sql("SELECT * FROM {L}_child")))
                    .hasMessageContaining("public." + legacy + " itself");
        }
    }

    /** A caller the filter exempts reads the partitions; a mask on the parent's column masks the partition's. */
    @Test
    void aMaskOnTheParentsColumnMasksThePartitionsAndTheChilds() throws SQLException {
        try (Connection c = connect("support")) {
            for (String template : List.of("SELECT * FROM {S}.{O}_t2", "SELECT note FROM {S}.{O}_t2",
                    "SELECT upper(note) AS n FROM {O}_t3a", "SELECT id, note FROM {L}_child", "SELECT * FROM {L}_child",
                    "SELECT g.note FROM {O} o JOIN {S}.{O}_t2 g ON g.id = o.id")) {
                String seen = String.join("\n", everything(c, sql(template)));
                assertThat(seen).as(template).doesNotContain(SECRET_A, SECRET_B, SECRET_C, CHILD_SECRET,
                        "CONFIDENTIAL", "SECRET");
            }
            assertThat(String.join("\n", everything(c, sql("SELECT id, total FROM {S}.{O}_t2")))).contains("100");
        }
        try (Connection c = connect("support", "note-readers")) {
            assertThat(String.join("\n", everything(c, sql("SELECT note FROM {S}.{O}_t2")))).contains(SECRET_A, SECRET_B);
            assertThat(String.join("\n", everything(c, sql("SELECT note FROM {L}_child")))).contains(CHILD_SECRET);
        }
    }

    /**
     * Reading a parent reads its children's rows: a parent no filter names, with a child a filter names, is refused to
     * a caller that filter restricts; the child itself is read filtered; a mask naming the child's column masks the
     * parent's.
     */
    @Test
    void aParentOfAFilteredChildIsRefusedAndMaskedAsTheChild() throws SQLException {
        assertThat(rawCount(sql("SELECT count(*) FROM public.{F} WHERE note = '" + KID_SECRET + "'"))).isEqualTo(1);
        try (Connection c = connect("note-readers"); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery(sql("SELECT note FROM {F}"))).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("kid-isolation").hasMessageContaining("public." + family + "_kid");
            assertThatThrownBy(() -> st.executeUpdate(sql("UPDATE {F} SET note = 'x' WHERE id = 2")))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("kid-isolation");
            assertThat(String.join("\n", everything(c, sql("SELECT note FROM {F}_kid")))).doesNotContain(KID_SECRET);
        }
        try (Connection c = connect("support")) {
            assertThat(String.join("\n", everything(c, sql("SELECT * FROM {F}")))).doesNotContain(KID_SECRET, "SECRET");
        }
        assertThat(rawCount(sql("SELECT count(*) FROM public.{F} WHERE note = '" + KID_SECRET + "'"))).isEqualTo(1);
    }

    /**
     * A filter whose pattern names the partitions too restricts them itself: they are read filtered; a partition the
     * pattern does not name (in another schema) is still refused.
     */
    @Test
    void aFilterNamingThePartitionsToo() throws SQLException, IOException {
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                row-filters:
                  - id: tenant-isolation
                    tables: ["public.%s*"]
                    filter: "tenant_id = :identity.tenant"
                """.formatted(orders));
        try (Connection c = connect(); Statement st = c.createStatement()) {
            assertThat(String.join("\n", everything(c, sql("SELECT note FROM {O}_t1")))).contains("own-note");
            assertThat(everything(c, sql("SELECT note FROM {O}_t3a"))).isEmpty();
            assertThat(String.join("\n", everything(c, sql("SELECT * FROM {O}")))).doesNotContain(SECRET_A, SECRET_C);
            assertThatThrownBy(() -> st.executeQuery(sql("SELECT note FROM {S}.{O}_t2"))).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation").hasMessageContaining("public." + orders + " itself");
        }
    }

    /**
     * A table attached as a partition later in the session is refused from then on: the DDL makes the session's
     * catalog facts be read again.
     */
    @Test
    void aTableAttachedLaterInTheSessionIsRefusedFromThen() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute(sql("CREATE TABLE public.{O}_late (id int, tenant_id text, total int, note text)"));
            st.execute(sql("INSERT INTO public.{O}_late VALUES (7, 't4', 100, 'late-note')"));
        }
        Identity support = Identity.builder("migrator").kind(IdentityKind.SERVICE).groups("support", "note-readers").build();
        try (Connection c = connect("note-readers"); Statement st = c.createStatement()) {
            assertThat(everything(c, sql("SELECT note FROM {O}_late"))).isNotEmpty(); // not governed by the filter yet
            IdentityContext.runAs(support, () -> {
                st.execute(sql("ALTER TABLE public.{O} ATTACH PARTITION public.{O}_late FOR VALUES IN ('t4')"));
            });
            assertThatThrownBy(() -> st.executeQuery(sql("SELECT note FROM {O}_late"))).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation").hasMessageContaining("public." + orders);
            List<String> parent = everything(c, sql("SELECT note FROM {O}"));
            assertThat(String.join("\n", parent)).contains("own-note").doesNotContain("late-note");
        }
    }

    /**
     * In a batch after an entry that may change name resolution, a name cannot be resolved for certain: whether it is
     * a partition is not known, so it is refused to a filtered caller.
     */
    @Test
    void aNameNotResolvedForCertainIsRefused() throws SQLException {
        try (Connection c = connect("note-readers"); Statement st = c.createStatement()) {
            st.addBatch(sql("SET search_path TO {S}, public"));
            st.addBatch(sql("DELETE FROM {O}_t2 WHERE id = 3"));
            List<Throwable> failures = new ArrayList<>();
            try {
                st.executeBatch();
            } catch (SQLException e) {
                failures.add(e);
            }
            assertThat(failures).singleElement().satisfies(e -> assertThat(e).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation"));
        }
        assertOtherTenantsIntact("a batch");
    }
}
