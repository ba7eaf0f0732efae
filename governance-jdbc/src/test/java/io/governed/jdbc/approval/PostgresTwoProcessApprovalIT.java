package io.governed.jdbc.approval;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;

@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresTwoProcessApprovalIT extends TwoProcessApprovalSpec {
    @Override
    String rawUrl() {
        return TestDatabase.POSTGRESQL.rawUrl();
    }

    @Override
    String user() {
        return TestDatabase.POSTGRESQL.user();
    }

    @Override
    String password() {
        return TestDatabase.POSTGRESQL.password();
    }

    @Override
    void requireReachable() {
        TestDatabase.POSTGRESQL.requireReachable();
    }
}
