package io.governed.jdbc.approval;

import io.governed.identity.Identity;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import com.zaxxer.hikari.HikariDataSource;
import io.governed.jdbc.Governance;
import io.governed.policy.Policy;
import io.governed.policy.approval.InMemoryApprovalStore;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static io.governed.jdbc.approval.PostgresApprovalFixture.approvalOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An approval of a statement run by name ({@code EXECUTE p(…)} of a {@code PREPARE p AS …} through the governed
 * connection) is bound to the statement that runs: the one the name holds, with the EXECUTE's arguments. The same
 * EXECUTE text after the name was prepared again with another statement, or with other arguments, makes a new
 * request; with {@code scope: fingerprint}, any arguments of the same prepared statement are covered, another
 * statement under the same name is not. What ran is read past governance.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresApprovalPreparedNamesIT {
    private static final TestDatabase DB = PostgresApprovalFixture.DB;
    private static final String STORE_TABLE = "pn_approvals";
    private static final Identity DORA = Identity.builder("dora").groups("dev").build();
    private static final Identity DAN = Identity.builder("dan").groups("dba").build();

    private final String table = UniqueNames.of("pn_approved");
    private final InMemoryApprovalStore store = new InMemoryApprovalStore();
    private final List<HikariDataSource> pools = new ArrayList<>();
    private Policy policy;

    @BeforeEach
    void tables() throws SQLException {
        DB.requireReachable();
        policy = PolicyLoader.fromString("approvals.yaml", """
                version: 1
                rules:
                  - { id: everything, effect: permit, actions: ["*"], resources: ["*"] }
                approvals:
                  - { id: pn-updates, actions: [update], resources: ["%1$s"], approvers: { groups: [dba] }, ttl: 30m }
                  - { id: pn-deletes, actions: [delete], resources: ["%1$s"], approvers: { groups: [dba] }, ttl: 30m,
                      scope: fingerprint }
                """.formatted(table));
        try (Connection c = DB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v VARCHAR(20))");
            s.execute("INSERT INTO " + table + " VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        }
    }

    @AfterEach
    void close() throws SQLException {
        pools.forEach(HikariDataSource::close);
        try (Connection c = DB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    @AfterAll
    static void dropStore() throws SQLException {
        try (Connection c = DB.connectRaw(); Statement s = c.createStatement()) {
            for (String part : List.of("_votes", "_requests", "_keys")) {
                s.execute("DROP TABLE IF EXISTS " + STORE_TABLE + part);
            }
        }
    }

    /** The application as {@code identity}, its approvals kept in memory (not in the database it runs on). */
    private GovernedDataSource instance(Identity identity) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(DB.rawUrl());
        pool.setUsername(DB.user());
        pool.setPassword(DB.password());
        pool.setMaximumPoolSize(1);
        pools.add(pool);
        return new GovernedDataSource(pool, Governance.builder().policy(policy).approvalStore(store)
                .defaultIdentity(identity).withoutAudit().build());
    }

    /**
     * Runs {@code prepare}, approving it first: the statement it prepares is a write the approval rules name, so the
     * {@code PREPARE} itself waits for an approval of its text (it is decided as the statement it prepares).
     */
    private void prepareApproved(Statement s, String prepare) throws SQLException {
        String id = approvalOf(s, prepare);
        assertThat(id).as("a PREPARE of an approval-gated write waits for an approval too").isNotNull();
        store.approve(id, DAN);
        assertThat(approvalOf(s, prepare)).as(prepare).isNull();
    }

    private List<String> rows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = DB.connectRaw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id || '=' || v FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    @Test
    void anExactApprovalBindsTheStatementTheNameHoldsAndItsArguments() throws Exception {
        GovernedDataSource dora = instance(DORA);
        try (Connection c = dora.getConnection(); Statement s = c.createStatement()) {
            prepareApproved(s, "PREPARE pn_u (int) AS UPDATE " + table + " SET v = 'x' WHERE id = $1");
            String id = approvalOf(s, "EXECUTE pn_u(1)");
            assertThat(id).as("the update the name holds waits for an approval").isNotNull();
            store.approve(id, DAN);

            assertThat(approvalOf(s, "EXECUTE pn_u(2)")).as("other arguments").isNotNull().isNotEqualTo(id);
            s.execute("DEALLOCATE pn_u");
            prepareApproved(s, "PREPARE pn_u (int) AS UPDATE " + table + " SET v = 'y' WHERE id >= $1");
            assertThat(approvalOf(s, "EXECUTE pn_u(1)")).as("the same EXECUTE text, another statement")
                    .isNotNull().isNotEqualTo(id);
            assertThat(rows()).as("nothing ran").containsExactly("1=a", "2=b", "3=c");

            s.execute("DEALLOCATE pn_u");
            prepareApproved(s, "PREPARE pn_u (int) AS UPDATE " + table + " SET v = 'x' WHERE id = $1");
            assertThat(approvalOf(s, "EXECUTE pn_u(1)")).as("the approved statement, prepared again as it was")
                    .isNull();
            assertThat(rows()).containsExactly("1=x", "2=b", "3=c");
            assertThat(approvalOf(s, "EXECUTE pn_u(1)")).as("used up").isNotNull().isNotEqualTo(id);
        }
        assertThat(rows()).containsExactly("1=x", "2=b", "3=c");
    }

    @Test
    void aFingerprintApprovalCoversOtherArgumentsButNotAnotherStatementUnderTheName() throws Exception {
        GovernedDataSource dora = instance(DORA);
        try (Connection c = dora.getConnection(); Statement s = c.createStatement()) {
            prepareApproved(s, "PREPARE pn_d (int) AS DELETE FROM " + table + " WHERE id = $1");
            String id = approvalOf(s, "EXECUTE pn_d(1)");
            assertThat(id).isNotNull();
            store.approve(id, DAN);

            s.execute("DEALLOCATE pn_d");
            prepareApproved(s, "PREPARE pn_d (int) AS DELETE FROM " + table + " WHERE id >= $1");
            assertThat(approvalOf(s, "EXECUTE pn_d(1)")).as("another statement under the name")
                    .isNotNull().isNotEqualTo(id);
            assertThat(rows()).containsExactly("1=a", "2=b", "3=c");

            s.execute("DEALLOCATE pn_d");
            prepareApproved(s, "PREPARE pn_d (int) AS DELETE FROM " + table + " WHERE id = $1");
            assertThat(approvalOf(s, "EXECUTE pn_d(2)")).as("the approved statement's fingerprint, other values")
                    .isNull();
            assertThat(rows()).containsExactly("1=a", "3=c");
            assertThat(approvalOf(s, "EXECUTE pn_d(3)")).as("used up").isNotNull();
        }
        assertThat(rows()).containsExactly("1=a", "3=c");
    }

    @Test
    void withTheApprovalStoreInTheDatabaseAPrepareIsRefused() throws Exception {
        try (PostgresApprovalFixture approvals = new PostgresApprovalFixture(STORE_TABLE, policy);
             Connection c = approvals.instance(DORA).getConnection(); Statement s = c.createStatement()) {
            // SQL run by name could reach the store's tables where its statement was not read: refused outright
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.execute("PREPARE pn_j (int) AS UPDATE " + table
                    + " SET v = 'x' WHERE id = $1")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("keeps its approvals in");
        }
        assertThat(rows()).containsExactly("1=a", "2=b", "3=c");
    }
}
