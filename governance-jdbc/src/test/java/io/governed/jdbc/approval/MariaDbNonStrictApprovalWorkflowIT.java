package io.governed.jdbc.approval;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;

/**
 * The approval workflow with a store whose MariaDB session is not strict ({@code sql_mode} without
 * {@code STRICT_TRANS_TABLES}, as many servers are configured): such a session cuts a value too long for its column
 * with a warning instead of failing, so the store must never hand it one.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbNonStrictApprovalWorkflowIT extends ApprovalWorkflowSpec {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    String storeUrl() {
        return database().rawUrl() + "&sessionVariables=sql_mode='NO_ENGINE_SUBSTITUTION'";
    }
}
