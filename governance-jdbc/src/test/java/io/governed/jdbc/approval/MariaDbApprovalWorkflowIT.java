package io.governed.jdbc.approval;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;

@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbApprovalWorkflowIT extends ApprovalWorkflowSpec {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
