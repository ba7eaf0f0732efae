package io.governed.jdbc.approval;

import io.governed.jdbc.support.TestDatabase;

class H2ApprovalWorkflowTest extends ApprovalWorkflowSpec {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
