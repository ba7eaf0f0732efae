package io.governed.jdbc.it;

import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * PostgreSQL keeps a custom setting (set_config) and an advisory lock's key in the session past the statement, and
 * delivers pg_notify's payload to every session listening: a caller the row filter exempts, or the mask exempts, may
 * not put a value of a filtered row or a masked column there, where the pooled connection's next borrower, or
 * another session, reads it.
 */
@ServerWide("SET ROLE / SESSION AUTHORIZATION, other sessions")
class PooledSessionFilteredSettingsIT extends PooledSessionFixture {
    PooledSessionFilteredSettingsIT() {
        super("psfs");
    }

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    String policy() {
        return """
                version: 1
                default: deny
                classification:
                  auto-detect: false
                  tags:
                    pii.ssn: ["*.ssn"]
                rules:
                  - id: everyone-reads-and-calls
                    effect: permit
                    principals: { kinds: [human, service, agent] }
                    actions: [select, call]
                    resources: ["*"]
                  - id: pii-readers-create
                    effect: permit
                    principals: { groups: [pii-readers] }
                    actions: [create]
                    resources: ["*"]
                  - id: statements-prepared-by-name
                    effect: permit
                    principals: { kinds: [human] }
                    actions: [select, execute]
                    resources: ["*"]
                    when: { traits: [dynamic-sql] }
                  - id: support-keeps-settings
                    effect: permit
                    principals: { groups: [support, pii-readers] }
                    actions: [select, call]
                    resources: ["*"]
                    when: { traits: [privilege-change] }
                masks:
                  - id: mask-ids
                    columns: { tags: [pii.ssn] }
                    function: partial
                    keep-last: 4
                    unless: { groups: [pii-readers] }
                row-filters:
                  - id: own-customer
                    tables: ["%s"]
                    filter: "name = :identity.customer"
                    unless: { groups: [support, pii-readers] }
                """.formatted(customers);
    }

    @Test
    void anUnrestrictedCallerMayNotKeepFilteredRowsInASettingOrALockKey() throws Exception {
        assertRefusedAs(SUPPORT, "SELECT set_config('app.n', (SELECT name FROM " + customers + " WHERE id = 1), false)",
                "row filter own-customer");
        assertRefusedAs(SUPPORT, "SELECT pg_advisory_lock(id + 7000) FROM " + customers + " WHERE name = 'Ann'",
                "row filter own-customer");
        assertThat(rawSession("SELECT current_setting('app.n', true)")).as("the session holds no value of Ann's row")
                .doesNotContain("Ann");
        assertThat(rawSession("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"))
                .as("nor a lock keyed by it").containsExactly("0");
        assertThat(io.governed.jdbc.identity.IdentityContext.runAs(SUPPORT, () -> {
            try (Connection c = governed.getConnection()) {
                return List.of(PooledSessionRoleFixture.run(c,
                                "SELECT set_config('app.n', status, false) FROM " + orders + " WHERE id = 0"),
                        PooledSessionRoleFixture.run(c, "SELECT current_setting('app.n', true)"));
            }
        })).as("a value of a table no filter names may be kept (not refused); read back, and as set_config returns it,"
                + " a custom setting is redacted to a caller a mask applies to (it may hold what an administrator or an"
                + " earlier borrower wrote)")
                .containsExactly(List.of("****"), List.of("****"));
        assertThat(rawSession("SELECT coalesce(current_setting('app.n', true), '')"))
                .as("for the borrowing: the session is reset when it ends").containsExactly("");
    }

    @Test
    void aNotificationsPayloadMayCarryNeitherAMaskedValueNorAFilteredRow() throws Exception {
        try (Connection listener = database().connectRaw(); Statement st = listener.createStatement()) {
            st.execute("LISTEN psfs_channel");
            assertRefusedAs(PII_READER, "SELECT pg_notify('psfs_channel', ssn) FROM " + customers, "may not be copied in clear");
            assertRefusedAs(SUPPORT, "SELECT pg_notify('psfs_channel', name) FROM " + customers, "row filter own-customer");
            rawSession("SELECT pg_notify('psfs_channel', 'plain')");
            Thread.sleep(200);
            st.execute("SELECT 1");
            var notifications = listener.unwrap(PGConnection.class).getNotifications(1000);
            assertThat(notifications).as("only the plain payload arrives").extracting(n -> n.getParameter())
                    .containsExactly("plain");
        }
    }

    @Test
    void anExemptCallerMayNotLeaveATemporaryTableForTheNextBorrower() throws Exception {
        assertRefusedAs(PII_READER, "CREATE TEMP TABLE psfs_copy AS SELECT id, ssn AS x FROM " + customers, "temporary table");
        // a temporary table comes first in the search path: this one would stand for the customers table
        assertRefusedAs(PII_READER, "CREATE TEMP TABLE " + customers + " AS SELECT id, ssn AS name FROM public." + customers,
                "temporary table");
        assertThat(rawSession("SELECT count(*) FROM pg_class WHERE relnamespace = pg_my_temp_schema()")).as("the session holds none")
                .containsExactly("0");
        assertThat(rawSession("SELECT name FROM " + customers)).containsExactly("Ann");
        assertThat(queryAs(BOB, "SELECT name FROM " + customers)).as("the next borrower reads the table, filtered")
                .isEmpty();
    }

    @Test
    void aStatementAnExemptCallerPreparedByNameIsNotRunForTheNextBorrower() throws Exception {
        IdentityContext.runAs(SUPPORT, () -> {
            try (Connection c = governed.getConnection(); Statement st = c.createStatement()) {
                return st.execute("PREPARE psfs_all AS SELECT name FROM " + customers);
            }
        });
        assertThat(rawSession("SELECT count(*) FROM pg_prepared_statements WHERE name = 'psfs_all'"))
                .as("the session is reset when the borrowing ends").containsExactly("0");

        // prepared past governance (another user of the same pool): the pooled session keeps it, over every row
        try (Connection raw = pool.getConnection(); Statement st = raw.createStatement()) {
            st.execute("PREPARE psfs_all AS SELECT name FROM " + customers);
        }
        assertThat(rawSession("EXECUTE psfs_all")).as("the premise").containsExactly("Ann");
        assertRefusedAs(BOB, "EXECUTE psfs_all", "row filter own-customer");
        // the row filter exempts support, the mask does not: SQL run by name is refused to whom a mask applies
        assertRefusedAs(SUPPORT, "EXECUTE psfs_all", "mask mask-ids");
        // one the filter and the mask exempt, but whom the rules allow some actions only: that SQL could do any
        assertRefusedAs(PII_READER, "EXECUTE psfs_all", "reach some tables only");
    }
}
