package io.governed.jdbc.cli;

import io.governed.jdbc.support.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code governed-jdbc approvals …} given a store it cannot use: each answer says what is wrong and how to fix it,
 * with the documented exit code, and never prints the store's credentials.
 */
class ApprovalsStoreOptionsTest {

    @TempDir
    Path dir;

    @Test
    void aPasswordInTheStoreUrlsUserInfoIsNeverPrinted() {
        // pgjdbc refuses the connection (nothing listens on port 1): the message names the store, not its password
        CliRun run = CliRun.of("approvals", "list", "--store", "jdbc:postgresql://ops:S3cretPW@127.0.0.1:1/ops");

        assertThat(run.code()).isEqualTo(ApprovalsCommand.UNAVAILABLE);
        assertThat(run.out() + run.err()).doesNotContain("S3cretPW").contains("127.0.0.1:1/ops");
    }

    @Test
    void aPasswordInAnOracleStyleUrlIsNeverPrinted() {
        CliRun run = CliRun.of("approvals", "list", "--store", "jdbc:oracle:thin:scott/T1gerPW@db.example.com:1521/ops");

        assertThat(run.code()).isEqualTo(ApprovalsCommand.UNAVAILABLE);
        assertThat(run.out() + run.err()).doesNotContain("T1gerPW").doesNotContain("scott/").contains("db.example.com:1521/ops");
    }

    @Test
    void aStoreWhoseDriverIsNotOnTheClassPathSaysToPutItThere() {
        CliRun run = CliRun.of("approvals", "list", "--store", "jdbc:nosuchdb://db.example.com/ops");

        assertThat(run.code()).isEqualTo(ApprovalsCommand.UNAVAILABLE);
        assertThat(run.err()).contains("no JDBC driver accepts").contains("class path")
                .contains("java -cp governance-jdbc-").contains("io.governed.jdbc.cli.GovernedJdbcCli")
                .doesNotContain("could not create its tables").doesNotContain("\tat ");
    }

    @Test
    void theMemoryStoreIsRefusedForItLivesInTheApplicationsProcess() {
        for (String[] args : new String[][] {
            {"approvals", "list", "--store", "memory"},
            {"approvals", "show", "apr-0123456789abcdef", "--store", "memory"},
            {"approvals", "approve", "apr-0123456789abcdef", "--store", " memory ", "--approver", "dan", "--groups", "dba"}}) {
            CliRun run = CliRun.of(args);

            assertThat(run.code()).as(String.join(" ", args)).isEqualTo(GovernedJdbcCli.USAGE);
            assertThat(run.err()).contains("memory").contains("jdbc:").doesNotContain("(no pending requests)");
            assertThat(run.out()).doesNotContain("(no pending requests)");
        }
    }

    @Test
    void aTokenFileThatCannotBeReadIsBadInputNotAnUnreachableStore() {
        String store = "jdbc:h2:mem:approvals-options-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        Path missing = dir.resolve("dan.jwt");
        CliRun run = CliRun.of("approvals", "approve", "apr-0123456789abcdef", "--store", store, "--token", "file:" + missing,
                "--jwks", dir.resolve("jwks.json").toString(), "--issuer", "https://idp.example.com", "--audience", "ops");

        assertThat(run.code()).isEqualTo(GovernedJdbcCli.USAGE);
        assertThat(run.err()).contains("the token file " + missing + " does not exist").doesNotContain("\tat ");
    }

    @Test
    void aTokenFileLongerThanATokenIsARefusedToken() throws java.io.IOException {
        String store = "jdbc:h2:mem:approvals-options-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        Path huge = java.nio.file.Files.writeString(dir.resolve("huge.jwt"),
                "x".repeat(io.governed.jdbc.identity.token.TokenVerifier.MAX_TOKEN_LENGTH * 2));
        CliRun run = CliRun.of("approvals", "approve", "apr-0123456789abcdef", "--store", store, "--token", "file:" + huge,
                "--jwks", dir.resolve("jwks.json").toString(), "--issuer", "https://idp.example.com", "--audience", "ops");

        assertThat(run.code()).isEqualTo(ApprovalsCommand.REFUSED);
        assertThat(run.err()).contains("the token is refused (too_long)").contains("read from file:" + huge)
                .doesNotContain("xxxxxxxx");
    }

    @Test
    void aVerifierSettingThatCannotBeUsedIsBadInputNotAnUnreachableStore() {
        String store = "jdbc:h2:mem:approvals-options-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        for (String[] verifier : new String[][] {
            {"--jwks", dir.resolve("jwks.json").toString(), "--issuer", "https://idp.example.com", "--audience", "ops", "--claims", "bogus"},
            {"--jwks", "http://idp.example.com/keys", "--issuer", "https://idp.example.com", "--audience", "ops"}}) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("approvals", "approve", "apr-0123456789abcdef",
                    "--store", store, "--token", "not-read"));
            args.addAll(java.util.List.of(verifier));
            CliRun run = CliRun.of(args.toArray(String[]::new));

            assertThat(run.code()).as(String.join(" ", verifier)).isEqualTo(GovernedJdbcCli.USAGE);
            assertThat(run.err()).containsAnyOf("unknown claim mapping preset 'bogus'", "must be an https:// URL")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void anAuditSinkOrNotificationTargetThatCannotBeUsedIsBadInputAndDecidesNothing() {
        String store = "jdbc:h2:mem:approvals-options-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        for (String[] output : new String[][] {{"--notify", "ftp://ops.example.com/x"}, {"--audit", "bogus:x"}}) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("approvals", "approve", "apr-0123456789abcdef",
                    "--store", store, "--approver", "dan", "--groups", "dba"));
            args.addAll(java.util.List.of(output));
            CliRun run = CliRun.of(args.toArray(String[]::new));

            assertThat(run.code()).as(String.join(" ", output)).isEqualTo(GovernedJdbcCli.USAGE);
            assertThat(run.err()).containsAnyOf("is neither webhook:URL nor slack:URL", "unknown audit sink 'bogus:x'");
        }
    }

    @Test
    void anApproverNameOrGroupThatIsBlankOrHoldsControlCharactersIsBadInputAndDecidesNothing() throws java.sql.SQLException {
        String database = "jdbc:h2:mem:approvals-options-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        String store = database + "#table=options_names";
        io.governed.jdbc.approval.ApprovalStores.open(store, null, null); // the tables, empty
        for (String[] approver : new String[][] {
            {"--approver", "", "--groups", "dba"},
            {"--approver", "   ", "--groups", "dba"},
            {"--approver", "dan\nApproved by:  root", "--groups", "dba"},
            {"--approver", "dan\u001B[2K", "--groups", "dba"},
            {"--approver", "dan", "--groups", "dba\u202E"},
            {"--approver", "dan", "--groups", "dba, ops"}}) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("approvals", "approve", "apr-0123456789abcdef",
                    "--store", store));
            args.addAll(java.util.List.of(approver));
            CliRun run = CliRun.of(args.toArray(String[]::new));

            assertThat(run.code()).as(String.join(" ", approver)).isEqualTo(GovernedJdbcCli.USAGE);
            assertThat(run.err()).containsAnyOf("--approver needs", "--groups needs");
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(database);
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM options_names_votes")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void aDomainQualifiedApproverNameIsAccepted() {
        // guard: a backslash is no control character (a DOMAIN backslash user name), it passes to the store's checks
        String store = "jdbc:h2:mem:approvals-options-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        CliRun run = CliRun.of("approvals", "approve", "apr-0123456789abcdef", "--store", store, "--approver", "CORP\\dan",
                "--groups", "dba");

        assertThat(run.code()).as(run.err()).isEqualTo(ApprovalsCommand.REFUSED);
        assertThat(run.err()).contains("no approval request 'apr-0123456789abcdef' is known");
    }
}
