package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.TestDatabase;

/** {@link GeneratedRowFilterSpec} on H2 (in memory). */
class H2GeneratedRowFilterPropertyTest extends GeneratedRowFilterSpec {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
