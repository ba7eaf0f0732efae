package io.governed.jdbc.corpus;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * pgjdbc writes (and reads again, {@code refreshRow}) an updatable result's row in the table named by the word after the
 * first word {@code from} of the query's text, wherever it stands: in a comment, a string or a subquery of the select
 * list it is another table than the one of the result's columns, which the gate checked the write on. A caller allowed to
 * write {@code public.accounts} and nothing in {@code vault} wrote, deleted and inserted {@code vault.secrets}' rows and
 * read them back that way; and {@code refreshRow} read the row again with no decision and no event, for whoever was in
 * effect. Every outcome is checked in the database through a raw connection.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresUpdatableDriverTableIT {
    private static final String DATABASE = "governed_updatable_driver_table";
    private static final String POLICY = """
            version: 1
            default: deny
            rules:
              - { id: writers-public, effect: permit, principals: { groups: [writers] }, actions: [select, insert, update, delete], resources: ["public.*"] }
            """;
    /**
     * Queries of public.accounts whose first whitespace-delimited 'from' names another table for the driver: vault.secrets,
     * which the caller may neither read nor write, or (in a subquery the caller may run) public.others.
     */
    private static final List<String> DISGUISED = List.of(
            "SELECT id, owner, ' from vault.secrets ' AS note FROM public.accounts WHERE id = 1",
            "SELECT id, owner /* from vault.secrets */ FROM public.accounts WHERE id = 1",
            "SELECT id, owner -- from vault.secrets\nFROM public.accounts WHERE id = 1",
            "SELECT id, owner, 1 AS \" from vault.secrets \" FROM public.accounts WHERE id = 1",
            "SELECT id, owner, (SELECT 1 from public.others LIMIT 1) AS n FROM public.accounts WHERE id = 1");
    private static final Identity WRITER = Identity.builder("wanda").kind(IdentityKind.HUMAN).groups("writers").build();
    private static final Identity NOBODY = Identity.builder("nobody").kind(IdentityKind.HUMAN).groups("none").build();

    private final PostgresCorpusDatabase postgres = new PostgresCorpusDatabase();
    private final String sinkName = "updatable-driver-table-" + UUID.randomUUID();
    private String policyPath;

    @BeforeAll
    void policy() throws Exception {
        Servers.ensurePostgresDatabase(DATABASE);
        policyPath = Servers.policyFile("updatable-driver-table", POLICY);
    }

    @BeforeEach
    void fixture() throws SQLException {
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS vault CASCADE");
            s.execute("DROP TABLE IF EXISTS public.accounts, public.others");
            s.execute("CREATE SCHEMA vault");
            s.execute("CREATE TABLE vault.secrets (id int PRIMARY KEY, owner text)");
            s.execute("INSERT INTO vault.secrets VALUES (1, 'VAULT-ONLY-VALUE'), (2, 'VAULT-TWO')");
            s.execute("CREATE TABLE public.accounts (id int PRIMARY KEY, owner text)");
            s.execute("INSERT INTO public.accounts VALUES (1, 'kept'), (2, 'kept too')");
            s.execute("CREATE TABLE public.others (id int PRIMARY KEY, owner text)");
            s.execute("INSERT INTO public.others VALUES (1, 'other'), (2, 'other too')");
        }
        MemorySink.named(sinkName).clear();
    }

    private Connection writer() throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policyPath);
        p.setProperty("governed.principal", WRITER.principal());
        p.setProperty("governed.groups", "writers");
        p.setProperty("governed.audit", "memory:" + sinkName);
        return postgres.governed(DATABASE, p);
    }

    private static Statement updatable(Connection c) throws SQLException {
        return c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE);
    }

    private List<String> rawRows(String table) throws SQLException {
        return postgres.rawColumn(DATABASE, "SELECT id || ':' || owner FROM " + table + " ORDER BY id");
    }

    private List<AuditEvent> events(Connection c) throws SQLException {
        c.unwrap(GovernedConnection.class).governance().flushAudit();
        return MemorySink.named(sinkName).events();
    }

    private static void refused(ThrowingCall call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo("42501");
            assertThat(e.getMessage()).doesNotContain("VAULT-ONLY-VALUE").doesNotContain("VAULT-TWO");
        });
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void rowWritesWhoseDriverTableIsAnotherAreRefusedAndAudited(int query) throws SQLException {
        try (Connection c = writer(); Statement s = updatable(c); ResultSet rs = s.executeQuery(DISGUISED.get(query))) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("owner")).isEqualTo("kept");
            rs.updateString("owner", "PWNED");
            refused(rs::updateRow);
            rs.cancelRowUpdates();
            refused(rs::deleteRow);
            rs.moveToInsertRow();
            rs.updateInt("id", 99);
            rs.updateString("owner", "INSERTED");
            refused(rs::insertRow);
            rs.moveToCurrentRow();
            refused(rs::refreshRow);
            assertThat(rs.getString("owner")).isEqualTo("kept");

            List<AuditEvent> refusals = events(c).stream().filter(e -> e.decision() == AuditDecision.DENY).toList();
            assertThat(refusals).extracting(AuditEvent::action).containsExactly("update", "delete", "insert", "select");
            assertThat(refusals).allSatisfy(e -> assertThat(e.principal()).isEqualTo("wanda"));
        }
        assertThat(rawRows("vault.secrets")).containsExactly("1:VAULT-ONLY-VALUE", "2:VAULT-TWO");
        assertThat(rawRows("public.accounts")).containsExactly("1:kept", "2:kept too");
        assertThat(rawRows("public.others")).containsExactly("1:other", "2:other too");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT id, owner FROM public.accounts WHERE id = 1",
            "select id, owner\nfrom\taccounts where id = 1",
            "SELECT id, owner FROM ONLY public.accounts WHERE id = 1",
            "SELECT id, owner FROM \"public\".\"accounts\" WHERE id = 1",
            "SELECT id, owner FROM PUBLIC.ACCOUNTS WHERE id = 1"})
    void rowWritesOfTheTableTheDriverNamesRunAndAreAudited(String query) throws SQLException {
        try (Connection c = writer(); Statement s = updatable(c); ResultSet rs = s.executeQuery(query)) {
            assertThat(rs.next()).isTrue();
            rs.updateString("owner", "changed");
            rs.updateRow();
            rs.moveToInsertRow();
            rs.updateInt("id", 3);
            rs.updateString("owner", "inserted");
            rs.insertRow();
            assertThat(events(c)).filteredOn(e -> !e.action().equals("select")).extracting(AuditEvent::action,
                    AuditEvent::decision).containsExactly(org.assertj.core.groups.Tuple.tuple("update", AuditDecision.ALLOW),
                    org.assertj.core.groups.Tuple.tuple("insert", AuditDecision.ALLOW));
        }
        assertThat(rawRows("public.accounts")).containsExactly("1:changed", "2:kept too", "3:inserted");
    }

    @Test
    void refreshRowReadsTheRowAgainAsAnAuditedReadOfTheIdentityTheRowsWereReadFor() throws Exception {
        try (Connection c = writer(); Statement s = updatable(c);
             ResultSet rs = s.executeQuery("SELECT id, owner FROM public.accounts WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            try (Connection raw = postgres.raw(DATABASE); Statement w = raw.createStatement()) {
                w.executeUpdate("UPDATE public.accounts SET owner = 'changed later' WHERE id = 1");
            }
            rs.refreshRow();
            assertThat(rs.getString("owner")).isEqualTo("changed later");
            // the query's own event comes when its result set closes; the read again is an event of its own
            assertThat(events(c)).singleElement().satisfies(e -> {
                assertThat(e.principal()).isEqualTo("wanda");
                assertThat(e.action()).isEqualTo("select");
                assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW);
                assertThat(e.statement()).isEqualTo("select \"id\", \"owner\" from \"public\".\"accounts\" where \"id\" = ?");
                assertThat(e.rows()).isEqualTo(1L);
            });

            try (Connection raw = postgres.raw(DATABASE); Statement w = raw.createStatement()) {
                w.executeUpdate("UPDATE public.accounts SET owner = 'changed again' WHERE id = 1");
            }
            IdentityContext.runAs(NOBODY, () -> {
                refused(rs::refreshRow);
                return null;
            });
            assertThat(rs.getString("owner")).isEqualTo("changed later");
            assertThat(events(c)).filteredOn(e -> e.decision() == AuditDecision.DENY).singleElement()
                    .satisfies(e -> {
                        assertThat(e.principal()).isEqualTo("nobody");
                        assertThat(e.action()).isEqualTo("select");
                    });
        }
    }
}
