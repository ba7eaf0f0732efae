package io.governed.jdbc.approval;

import io.governed.identity.Identity;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.policy.Policy;
import io.governed.policy.approval.ApprovalStatus;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The approval store's tables, in the database the application's own governed connections reach, under a policy that
 * permits everything on every table: a requester (an agent, say) must not approve its own request by writing the
 * store through {@code jdbc:governed:}, nor read other requests' statement texts (which keep their literals) from it.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresApprovalStoreTablesIT {
    private static final TestDatabase DB = PostgresApprovalFixture.DB;
    private static final String STORE_TABLE = "approvals_tables_it";
    private static final Identity DORA = Identity.builder("dora").groups("dev").build();
    private static final Policy POLICY = PolicyLoader.fromString("approvals.yaml", """
            version: 1
            rules:
              - { id: everything, effect: permit, actions: ["*"], resources: ["*"] }
            approvals:
              - { id: deletes, actions: [delete], resources: ["public.store_victims"], approvers: { groups: [dba] }, ttl: 30m }
            """);
    private static final String DELETE = "DELETE FROM store_victims WHERE secret = 'hunter2'";

    private PostgresApprovalFixture approvals;

    private JdbcApprovalStore store() {
        return approvals.store();
    }

    private GovernedDataSource instance(Identity identity) {
        return approvals.instance(identity);
    }

    @BeforeEach
    void tables() throws SQLException {
        approvals = new PostgresApprovalFixture(STORE_TABLE, POLICY);
        try (Connection c = DB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS store_victims");
            s.execute("CREATE TABLE store_victims (secret VARCHAR(20))");
            s.execute("INSERT INTO store_victims VALUES ('hunter2')");
        }
    }

    @AfterEach
    void close() {
        approvals.close();
    }

    private static int rows() throws SQLException {
        try (Connection c = DB.connectRaw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM store_victims")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String requestOf(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            return PostgresApprovalFixture.approvalOf(s, DELETE);
        }
    }

    @Test
    void aRequesterCannotApproveItsOwnRequestByUpdatingTheStoreThroughTheGovernedDriver() throws Exception {
        GovernedDataSource dora = instance(DORA);
        try (Connection c = dora.getConnection()) {
            String id = requestOf(c);
            assertThat(id).isNotNull();
            GovernanceException refused = catchThrowableOfType(GovernanceException.class, () -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + STORE_TABLE + "_requests SET status = 'approved',"
                        + " approval_expires_at = ? WHERE id = ?")) {
                    ps.setLong(1, Long.MAX_VALUE);
                    ps.setString(2, id);
                    ps.executeUpdate();
                }
            });
            assertThat((Throwable) refused).as("an update of the approval store's requests").isNotNull();
            assertThat(refused.getSQLState()).isEqualTo(GovernanceException.SQLSTATE_DENIED);
            assertThat(store().find(id).orElseThrow().statusAt(approvals.now())).isEqualTo(ApprovalStatus.PENDING);
            assertThat(requestOf(c)).as("the statement still waits for a real approver").isEqualTo(id);
        }
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void theStoresTablesCanBeNeitherReadNorWrittenNorDroppedThroughTheGovernedDriver() throws Exception {
        GovernedDataSource dora = instance(DORA);
        try (Connection c = dora.getConnection()) {
            requestOf(c);
            for (String sql : List.of(
                    "SELECT statement_text FROM " + STORE_TABLE + "_requests",
                    "SELECT * FROM public." + STORE_TABLE.toUpperCase() + "_VOTES",
                    "INSERT INTO " + STORE_TABLE + "_votes (request_id, approver, approver_groups, asserted, approved, reason,"
                            + " voted_at) VALUES ('x', 'y', 'dba', 0, 1, NULL, 0)",
                    "DELETE FROM " + STORE_TABLE + "_keys",
                    "DROP TABLE " + STORE_TABLE + "_keys",
                    "TRUNCATE " + STORE_TABLE + "_requests",
                    "DO $$ BEGIN EXECUTE 'UPDATE ' || 'approvals_tables_it' || '_requests SET status = ''approved'''; END $$")) {
                GovernanceException refused = catchThrowableOfType(GovernanceException.class, () -> {
                    try (Statement s = c.createStatement()) {
                        s.execute(sql);
                    }
                });
                assertThat((Throwable) refused).as(sql).isNotNull();
                assertThat(refused.getSQLState()).as(sql).isEqualTo(GovernanceException.SQLSTATE_DENIED);
                assertThat(refused.getMessage()).as(sql).doesNotContain("hunter2");
            }
        }
        try (Connection c = DB.connectRaw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + STORE_TABLE + "_keys")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the store's keys").isEqualTo(1);
        }
    }

    /**
     * A routine already in the database that writes the store (one a migration defined, say): its call is refused to
     * an identity permitted everything, whether its body names the store's table (read: the table is named) or builds
     * the statement at run time (not read: it may reach any table), and the request stays pending.
     */
    @Test
    void aRoutineWritingTheStoreIsRefusedWhetherItsBodyIsReadOrNot() throws Exception {
        try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE OR REPLACE FUNCTION approvals_it_approve_direct() RETURNS int LANGUAGE plpgsql AS $$ BEGIN"
                    + " UPDATE " + STORE_TABLE + "_requests SET status = 'approved'; RETURN 1; END $$");
            s.execute("CREATE OR REPLACE FUNCTION approvals_it_approve_dynamic() RETURNS int LANGUAGE plpgsql AS $$ BEGIN"
                    + " EXECUTE 'UPDATE ' || '" + STORE_TABLE + "' || '_requests SET status = ''approved'''; RETURN 1; END $$");
        }
        try {
            GovernedDataSource dora = instance(DORA);
            try (Connection c = dora.getConnection()) {
                String id = requestOf(c);
                for (String sql : List.of("SELECT approvals_it_approve_direct()", "SELECT approvals_it_approve_dynamic()")) {
                    GovernanceException refused = catchThrowableOfType(GovernanceException.class, () -> {
                        try (Statement s = c.createStatement()) {
                            s.execute(sql);
                        }
                    });
                    assertThat((Throwable) refused).as(sql).isNotNull();
                    assertThat(refused.getSQLState()).as(sql).isEqualTo(GovernanceException.SQLSTATE_DENIED);
                }
                assertThat(requestOf(c)).as("the statement still waits for a real approver").isEqualTo(id);
            }
            assertThat(rows()).isEqualTo(1);
        } finally {
            try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement()) {
                s.execute("DROP FUNCTION IF EXISTS approvals_it_approve_direct(), approvals_it_approve_dynamic()");
            }
        }
    }
}
