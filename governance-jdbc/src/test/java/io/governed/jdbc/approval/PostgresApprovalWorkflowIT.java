package io.governed.jdbc.approval;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;

@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresApprovalWorkflowIT extends ApprovalWorkflowSpec {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
