package io.governed.jdbc.corpus;

import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

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
 * Row writes of an updatable result set on PostgreSQL: pgjdbc's {@code getSchemaName} is always empty, and its
 * {@code updateRow}/{@code insertRow}/{@code deleteRow} write the table as the query named it. The write passes the gate
 * as that table, schema included: a forbid on {@code vault.*} refused {@code UPDATE vault.t} but let the same update
 * through the result set of {@code SELECT … FROM vault.t}, checked (and audited) as the search path's {@code t}.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresUpdatableSchemaIT {
    private static final String DATABASE = "governed_updatable_schema";
    private static final String POLICY = """
            version: 1
            default: deny
            rules:
              - { id: services-crud, effect: permit, principals: { kinds: [service] }, actions: [select, insert, update, delete, set], resources: ["*"] }
              - id: vault-is-read-only
                effect: forbid
                actions: [update, insert, delete]
                resources: ["vault.*"]
                message: The vault is read-only
              - { id: no-vault-reads, effect: forbid, actions: [select], resources: ["vault.secrets"] }
            row-filters:
              - { id: tenant-ledger, tables: ["public.ledger"], filter: "tenant = :identity.tenant" }
            """;
    private final PostgresCorpusDatabase postgres = new PostgresCorpusDatabase();
    private final String sinkName = "updatable-schema-" + UUID.randomUUID();
    private String policyPath;

    @BeforeAll
    void policy() throws Exception {
        Servers.ensurePostgresDatabase(DATABASE);
        policyPath = Servers.policyFile("updatable-schema", POLICY);
    }

    @BeforeEach
    void fixture() throws SQLException {
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS vault CASCADE");
            s.execute("DROP TABLE IF EXISTS public.ledger");
            s.execute("CREATE TABLE public.ledger (id int PRIMARY KEY, tenant text, entry text)");
            s.execute("INSERT INTO public.ledger VALUES (1, 't1', 'mine')");
            s.execute("CREATE SCHEMA vault");
            s.execute("CREATE TABLE vault.secrets (id int PRIMARY KEY, owner text)");
            s.execute("INSERT INTO vault.secrets VALUES (1, 'VAULT-ONLY-VALUE')");
            s.execute("DROP TABLE IF EXISTS public.accounts");
            for (String table : List.of("vault.accounts", "public.accounts")) {
                s.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, owner text)");
                s.execute("INSERT INTO " + table + " VALUES (1, 'kept')");
            }
        }
        MemorySink.named(sinkName).clear();
    }

    private Connection service() throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policyPath);
        p.setProperty("governed.principal", "order-service");
        p.setProperty("governed.kind", "service");
        p.setProperty("governed.attribute.tenant", "t1");
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

    @Test
    void theForbiddenUpdateIsRefusedAsAStatement() throws SQLException {
        try (Connection c = service(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("UPDATE vault.accounts SET owner = 'changed' WHERE id = 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
        }
        assertThat(rawRows("vault.accounts")).containsExactly("1:kept");
    }

    @Test
    void updateInsertAndDeleteRowOfAResultReadFromAnotherSchemaAreRefusedAndAuditedAsThatTable() throws SQLException {
        try (Connection c = service(); Statement s = updatable(c)) {
            try (ResultSet rs = s.executeQuery("SELECT id, owner FROM vault.accounts WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                rs.updateString("owner", "changed");
                assertThatThrownBy(rs::updateRow).isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("42501");
                    assertThat(e.getMessage()).contains("vault-is-read-only");
                });
                rs.cancelRowUpdates();
                assertThatThrownBy(rs::deleteRow)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
                rs.moveToInsertRow();
                rs.updateInt("id", 2);
                rs.updateString("owner", "inserted");
                assertThatThrownBy(rs::insertRow)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            }
            List<AuditEvent> writes = events(c).stream().filter(e -> !e.action().equals("select")).toList();
            assertThat(writes).hasSize(3).allSatisfy(e -> {
                assertThat(e.decision()).isEqualTo(AuditDecision.DENY);
                assertThat(e.tables()).containsExactly("vault.accounts");
            });
        }
        assertThat(rawRows("vault.accounts")).containsExactly("1:kept");
        assertThat(rawRows("public.accounts")).containsExactly("1:kept");
    }

    @Test
    void aResultReadBeforeTheSearchPathMovedIsCheckedWhereTheWriteNowGoes() throws SQLException {
        try (Connection c = service(); Statement s = updatable(c)) {
            try (ResultSet rs = s.executeQuery("SELECT id, owner FROM accounts WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                c.setSchema("vault"); // pgjdbc's update names the table as the query did: accounts, now vault's
                rs.updateString("owner", "changed");
                assertThatThrownBy(rs::updateRow)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            }
        }
        assertThat(rawRows("vault.accounts")).containsExactly("1:kept");
        assertThat(rawRows("public.accounts")).containsExactly("1:kept");
    }

    @Test
    void rowWritesToAPermittedTableStillRun() throws SQLException {
        try (Connection c = service(); Statement s = updatable(c)) {
            try (ResultSet rs = s.executeQuery("SELECT id, owner FROM public.accounts WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                rs.updateString("owner", "changed");
                rs.updateRow();
            }
            try (ResultSet rs = s.executeQuery("SELECT id, owner FROM accounts")) {
                rs.moveToInsertRow();
                rs.updateInt("id", 2);
                rs.updateString("owner", "inserted");
                rs.insertRow();
            }
            // the row writes' events (not the reads', nor a setSchema's of another test, audited as a set)
            List<AuditEvent> writes = events(c).stream().filter(e -> e.action().equals("update") || e.action().equals("insert"))
                    .toList();
            assertThat(writes).hasSize(2).allSatisfy(e -> {
                assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW);
                assertThat(e.tables()).hasSize(1).first().isIn("public.accounts", "accounts"); // as the query named it
            });
        }
        assertThat(rawRows("public.accounts")).containsExactly("1:changed", "2:inserted");
        assertThat(rawRows("vault.accounts")).containsExactly("1:kept");
    }
    @Test
    void refreshRowAfterTheSearchPathMovedIsRefusedAndShowsNothingOfTheOtherSchema() throws SQLException {
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS public.secrets");
            s.execute("CREATE TABLE public.secrets (id int PRIMARY KEY, owner text)");
            s.execute("INSERT INTO public.secrets VALUES (1, 'public-value')");
        }
        try (Connection c = service(); Statement s = updatable(c)) {
            assertThatThrownBy(() -> c.createStatement().executeQuery("SELECT owner FROM vault.secrets"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            try (ResultSet rs = s.executeQuery("SELECT id, owner FROM secrets WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).isEqualTo("public-value");
                c.setSchema("vault"); // pgjdbc's refresh reads "secrets" again: now vault's, which this caller may not read
                assertThatThrownBy(rs::refreshRow).isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("42501");
                    assertThat(e.getMessage()).contains("refreshRow").doesNotContain("VAULT-ONLY-VALUE");
                });
                assertThat(rs.getString(2)).isEqualTo("public-value");
                assertThat(rs.getObject(2)).isEqualTo("public-value");
                c.setSchema("public");
                rs.refreshRow(); // back where it was read: the same table again
                assertThat(rs.getString(2)).isEqualTo("public-value");
            }
        } finally {
            try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
                s.execute("DROP TABLE public.secrets");
            }
        }
    }

    @Test
    void refreshRowReadsTheRowAgainWhenNothingMoved() throws SQLException {
        try (Connection c = service(); Statement s = updatable(c);
             ResultSet rs = s.executeQuery("SELECT id, owner FROM accounts WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            try (Connection raw = postgres.raw(DATABASE); Statement w = raw.createStatement()) {
                w.executeUpdate("UPDATE public.accounts SET owner = 'changed elsewhere' WHERE id = 1");
            }
            rs.refreshRow();
            assertThat(rs.getString("owner")).isEqualTo("changed elsewhere");
        }
    }

    @Test
    void refreshRowOfARowFilteredReadIsRefused() throws SQLException {
        try (Connection c = service(); Statement s = updatable(c);
             ResultSet rs = s.executeQuery("SELECT id, tenant, entry FROM ledger WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            try (Connection raw = postgres.raw(DATABASE); Statement w = raw.createStatement()) {
                w.executeUpdate("UPDATE public.ledger SET tenant = 't2', entry = 'now t2s' WHERE id = 1");
            }
            assertThatThrownBy(rs::refreshRow).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("42501");
                assertThat(e.getMessage()).contains("tenant-ledger").doesNotContain("now t2s");
            });
            assertThat(rs.getString("entry")).isEqualTo("mine");
        }
    }
}
