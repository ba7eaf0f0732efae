package io.governed.jdbc.approval;

import com.zaxxer.hikari.HikariDataSource;
import io.governed.identity.Identity;
import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.MovableClock;
import io.governed.jdbc.support.TestDatabase;
import io.governed.policy.Policy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An approval store on the PostgreSQL test database and instances of an application that share it: each instance a
 * pool of raw connections governed by one policy, as one identity. For the integration tests of approvals on
 * PostgreSQL; {@link #close()} closes the pools.
 */
final class PostgresApprovalFixture implements AutoCloseable {
    static final TestDatabase DB = TestDatabase.POSTGRESQL;

    private final String storeTable;
    private final Policy policy;
    private final MovableClock clock = new MovableClock(Instant.now());
    private final List<HikariDataSource> pools = new ArrayList<>();

    /** A store of tables named {@code storeTable_…}, created when missing and emptied. */
    PostgresApprovalFixture(String storeTable, Policy policy) throws SQLException {
        this.storeTable = storeTable;
        this.policy = policy;
        DB.requireReachable();
        store();
        try (Connection c = DB.connectRaw(); Statement s = c.createStatement()) {
            for (String table : List.of("_votes", "_requests", "_keys")) {
                s.execute("DELETE FROM " + storeTable + table);
            }
        }
    }

    /** The store, as an approver's tool or an instance opens it. */
    JdbcApprovalStore store() {
        return new JdbcApprovalStore(DB.rawUrl(), DB.user(), DB.password(), storeTable, clock);
    }

    /** Now, on the store's clock. */
    Instant now() {
        return clock.instant();
    }

    /** An instance of the application running as {@code identity}. */
    GovernedDataSource instance(Identity identity) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(DB.rawUrl());
        pool.setUsername(DB.user());
        pool.setPassword(DB.password());
        pool.setMaximumPoolSize(2);
        pools.add(pool);
        return new GovernedDataSource(pool, Governance.builder().policy(policy).approvalStore(store())
                .defaultIdentity(identity).withoutAudit().build());
    }

    /** Runs {@code sql}: the id of the approval request it waits for, or {@code null} when it ran. */
    static String approvalOf(Statement s, String sql) throws SQLException {
        try {
            s.executeUpdate(sql);
            return null;
        } catch (ApprovalPendingException pending) {
            return pending.approvalRequestId();
        }
    }

    @Override
    public void close() {
        pools.forEach(HikariDataSource::close);
    }
}
