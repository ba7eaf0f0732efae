package io.governed.jdbc.approval;

import java.nio.file.Path;

/** Both processes open one H2 file database; the first serves it to the other (AUTO_SERVER). */
class H2TwoProcessApprovalIT extends TwoProcessApprovalSpec {
    private static final Path FILE = Path.of("target", "approvals-two-process").toAbsolutePath();

    @Override
    String rawUrl() {
        return "jdbc:h2:" + FILE + ";AUTO_SERVER=TRUE";
    }

    @Override
    String user() {
        return "sa";
    }

    @Override
    String password() {
        return "";
    }

    @Override
    void requireReachable() {
        // H2 runs in the test's JVM
    }
}
