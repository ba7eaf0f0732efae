package io.governed.jdbc.cli;

import io.governed.identity.Identity;
import io.governed.jdbc.approval.ApprovalNotifier;
import io.governed.jdbc.approval.ApprovalStores;
import io.governed.jdbc.approval.AuditingApprovalStore;
import io.governed.jdbc.approval.NotifyingApprovalStore;
import io.governed.jdbc.audit.JdbcSink;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.DeliveryMode;
import io.governed.jdbc.identity.token.InvalidTokenException;
import io.governed.jdbc.identity.token.VerifiedToken;
import io.governed.policy.approval.ApprovalException;
import io.governed.policy.approval.ApprovalRequest;
import io.governed.policy.approval.ApprovalStatus;
import io.governed.policy.approval.ApprovalStore;
import io.governed.policy.approval.ApprovalVote;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code approvals}: the requests statements wait on, in the store {@code governed.approvals} names.
 * {@code list} shows them as a table, {@code show ID} everything about one (the exact statement
 * included), {@code approve ID} and {@code deny ID --reason} decide as the approver the flags name
 * (recorded as "asserted": the command does not verify who runs it).
 */
@Command(name = "approvals", mixinStandardHelpOptions = true,
        description = "List, show, approve and deny the approval requests of statements that wait for approval.",
        subcommands = {ApprovalsCommand.ListRequests.class, ApprovalsCommand.Show.class, ApprovalsCommand.Approve.class,
            ApprovalsCommand.Deny.class})
public final class ApprovalsCommand extends CommandGroup {
    /** The store could not be reached. */
    public static final int UNAVAILABLE = 1;
    /**
     * Refused: unknown id, not an approver, one's own request, not pending (expired, decided), a refused token. Not 3,
     * which every command of the tool exits with when the tool itself failed ({@link GovernedJdbcCli#CRASHED}).
     */
    public static final int REFUSED = 4;

    /** How long a decision's audit event and notifications may take before the command gives up on them. */
    private static final Duration OUTPUTS_WAIT = Duration.ofSeconds(30);


    /** Where the requests are: {@code --store} and its credentials. */
    static final class StoreOptions {
        @Option(names = "--store", required = true, paramLabel = "URL",
                description = "the approval store, as governed.approvals names it: jdbc:URL[#table=NAME]")
        String store;

        @Option(names = "--user", description = "the store's database user (else from the URL)")
        String user;

        @Option(names = "--password", description = "the store's password (else the environment variable GOVERNED_APPROVALS_PASSWORD, or the URL)")
        String password;

        ApprovalStore open(CommandSpec spec) {
            if (store.trim().equalsIgnoreCase("memory")) {
                // a memory store lives in the application's process: this process would see an empty store of its own
                throw new ParameterException(spec.commandLine(), "the approval store 'memory' lives inside the application's"
                        + " process, where the command line cannot see it: give the jdbc:URL[#table=NAME] store that"
                        + " governed.approvals names (a database the application and the command line share)");
            }
            String secret = password != null ? password : System.getenv("GOVERNED_APPROVALS_PASSWORD");
            return ApprovalStores.open(store, user, secret);
        }
    }

    /**
     * The approver: a name ({@code --approver}, with {@code --groups}), recorded as asserted, or a token
     * ({@code --token} with the verifier's {@code --jwks}, {@code --issuer}, {@code --audience}), whose verified
     * identity decides. The token itself is never printed or recorded.
     */
    static final class ApproverOptions {
        @Option(names = "--approver", paramLabel = "NAME", description = "who approves or denies (recorded as asserted)")
        String approver;

        @Option(names = "--groups", split = ",", paramLabel = "G1,G2", description = "the approver's groups (with --approver)")
        List<String> groups = new ArrayList<>();

        @Option(names = "--token", paramLabel = "JWT",
                description = "decide as the identity this token vouches for (recorded as verified): the token, - to read it "
                        + "from standard input, or file:PATH; needs --jwks, --issuer and --audience")
        String token;

        /** The approver, verified when a token is given; a refused token is an {@link InvalidTokenException}. */
        Approver approver(CommandSpec spec, VerifierOptions verification) throws InvalidTokenException {
            if ((approver == null) == (token == null)) {
                throw new ParameterException(spec.commandLine(), "name the approver with --approver NAME, or give --token JWT (not both)");
            }
            if (approver != null) {
                String name = approver.strip();
                if (name.isEmpty() || !printable(name)) {
                    throw new ParameterException(spec.commandLine(), "--approver needs the approver's name: letters, digits,"
                            + " punctuation and spaces, not blank and without control or format characters");
                }
                for (String group : groups) {
                    if (group.isEmpty() || !group.equals(group.strip()) || !printable(group)) {
                        throw new ParameterException(spec.commandLine(), "--groups needs the approver's groups, comma separated"
                                + " without spaces: each a name without white space at either end or control or format characters");
                    }
                }
                return new Approver(Identity.builder(name).groups(groups).build(), true, null);
            }
            if (!groups.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--token takes the approver's groups from the token: drop --groups");
            }
            String text;
            try {
                text = TokenInput.read(token);
            } catch (IllegalArgumentException unreadable) {
                throw new ParameterException(spec.commandLine(), unreadable.getMessage(), unreadable);
            }
            io.governed.jdbc.identity.token.TokenVerifier verifier;
            try {
                verifier = verification.builder(spec).build();
            } catch (IllegalArgumentException unusable) {
                // --jwks, --issuer, --audience or --claims that no verifier can use: bad input, not an unreachable store
                throw new ParameterException(spec.commandLine(), unusable.getMessage(), unusable);
            }
            VerifiedToken verified = verifier.verify(text);
            return new Approver(verified.identity(), false, verified.issuer());
        }
    }

    /** Whether {@code text} holds no control, format, separator (other than a space) or unassigned character. */
    private static boolean printable(String text) {
        return text.codePoints().allMatch(c -> switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.UNASSIGNED, Character.SURROGATE, Character.PRIVATE_USE -> false;
            case Character.SPACE_SEPARATOR -> c == ' ';
            default -> true;
        });
    }

    /** Who decides: the identity, whether it was only asserted, and the issuer that vouched for it (verified only). */
    record Approver(Identity identity, boolean asserted, String issuer) {
        String describe() {
            return identity.principal() + (asserted ? " (asserted)" : " (verified by " + issuer + ")");
        }
    }

    /** The common run of a command on the store: refusals and an unreachable store become messages and exit codes. */
    abstract static class StoreCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreMixin where;

        abstract int run(ApprovalStore store, PrintWriter out) throws InvalidTokenException;

        /** Where decisions are recorded and announced, or {@code null}: only deciding commands have them. */
        DecisionOutputs outputs() {
            return null;
        }

        @Override
        public Integer call() {
            // the store's texts are the requesters' (statement, purpose, names): shown, never acted on by the terminal
            PrintWriter out = new VisibleTextWriter(spec.commandLine().getOut());
            PrintWriter err = new VisibleTextWriter(spec.commandLine().getErr());
            DecisionOutputs outputs = outputs();
            AuditDispatcher trail = null;
            try {
                ApprovalStore store = where.options.open(spec);
                ApprovalNotifier notifier = null;
                // a notification target or an audit sink no one can use is bad input: refused before anything is decided
                if (outputs != null && outputs.notify != null) {
                    try {
                        notifier = outputs.notifier(where.options.store);
                    } catch (IllegalArgumentException unusable) {
                        throw new ParameterException(spec.commandLine(), "--notify: " + unusable.getMessage(), unusable);
                    }
                    store = new NotifyingApprovalStore(store, notifier);
                }
                if (outputs != null && outputs.audit != null) {
                    try {
                        trail = AuditDispatcher.start(outputs.audit, AuditSettings.defaults().withMode(DeliveryMode.REQUIRED));
                    } catch (IllegalArgumentException unusable) {
                        throw new ParameterException(spec.commandLine(), "--audit: " + unusable.getMessage(), unusable);
                    }
                    store = new AuditingApprovalStore(store, trail);
                }
                int code = run(store, out);
                if (trail != null && !trail.flush(OUTPUTS_WAIT)) {
                    err.println("approvals " + spec.name() + ": the decision is made, but its audit event could not be written to "
                            + outputs.audit);
                    return UNAVAILABLE;
                }
                if (notifier != null && !notifier.awaitDeliveries(OUTPUTS_WAIT)) {
                    err.println("approvals " + spec.name() + ": the decision is made, but a notification could not be delivered");
                    return UNAVAILABLE;
                }
                return code;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                err.println("approvals " + spec.name() + ": interrupted; the decision is made, its notification may be lost");
                return UNAVAILABLE;
            } catch (ApprovalException e) {
                err.println("approvals " + spec.name() + ": refused: " + e.getMessage());
                return REFUSED;
            } catch (InvalidTokenException e) {
                err.println("approvals " + spec.name() + ": refused: the token is refused ("
                        + e.refusal().name().toLowerCase(Locale.ROOT) + "): " + e.getMessage());
                return REFUSED;
            } catch (IllegalArgumentException | IllegalStateException | java.io.IOException e) {
                err.println("approvals " + spec.name() + ": " + e.getMessage());
                return UNAVAILABLE;
            } finally {
                if (trail != null) {
                    trail.close();
                }
                out.flush();
                err.flush();
            }
        }
    }

    /** Picocli mixin holding the store options (a group keeps them together in the usage). */
    static final class StoreMixin {
        @ArgGroup(exclusive = false, multiplicity = "1", heading = "Store:%n")
        StoreOptions options;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List requests as a table.",
            exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:listed", "1:the store cannot be reached", "2:usage error"})
    static final class ListRequests extends StoreCommand {
        @Option(names = "--status", defaultValue = "pending", paramLabel = "STATUS",
                description = "pending (default), approved, denied, expired, consumed or all")
        String status;

        @Option(names = "--limit", defaultValue = "100", paramLabel = "N",
                description = "show at most N requests, oldest first (default 100)")
        int limit;

        @Option(names = "--offset", defaultValue = "0", paramLabel = "N",
                description = "skip the first N requests: the next page is --offset of the last page plus its --limit")
        int offset;

        @Override
        int run(ApprovalStore store, PrintWriter out) {
            if (limit < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be 1 or more, not " + limit);
            }
            if (offset < 0) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--offset must be 0 or more, not " + offset);
            }
            Set<ApprovalStatus> statuses;
            try {
                statuses = status.equalsIgnoreCase("all") ? EnumSet.allOf(ApprovalStatus.class) : EnumSet.of(ApprovalStatus.parse(status));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "unknown status '" + status + "': use pending, approved, denied, expired, consumed or all");
            }
            Instant now = store.clock().instant();
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ID", "REQUESTER", "ACTION", "TABLES", "FINGERPRINT", "AGE", "STATUS"});
            // one more than the page, to tell whether another page follows
            List<ApprovalRequest> page = store.list(statuses, offset, limit == Integer.MAX_VALUE ? limit : limit + 1);
            boolean more = page.size() > limit;
            for (ApprovalRequest r : more ? page.subList(0, limit) : page) {
                rows.add(new String[] {r.id(), requester(r), r.action(), String.join(",", r.tables()),
                    shortened(r.fingerprint(), 48), age(Duration.between(r.requestedAt(), now)), r.statusAt(now).externalName()});
            }
            printTable(out, rows);
            if (rows.size() == 1) {
                out.println("(no " + (statuses.size() > 1 ? "" : status.toLowerCase(Locale.ROOT) + " ") + "requests"
                        + (offset > 0 ? " from offset " + offset : "") + ")");
            }
            if (more) {
                out.println("(more requests: add --offset " + ((long) offset + limit) + ")");
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show everything about one request, the exact statement included.",
            exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:shown", "1:the store cannot be reached", "2:usage error",
                "4:no such request", "3:the tool itself failed"})
    static final class Show extends StoreCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "the request id (apr-…)")
        String id;

        @Override
        int run(ApprovalStore store, PrintWriter out) {
            ApprovalRequest r = store.find(id).orElseThrow(() -> ApprovalException.unknown(id));
            Instant now = store.clock().instant();
            out.println("Request:      " + r.id());
            out.println("Status:       " + r.statusAt(now).externalName());
            out.println("Requester:    " + requester(r));
            out.println("Purpose:      " + (r.purpose() == null ? "(none stated)" : r.purpose()));
            out.println("Approval:     " + r.approvalId() + " (scope " + r.scope().externalName() + ")");
            out.println("Approvers:    " + r.approvers().describe());
            out.println("Action:       " + r.summary());
            out.println("Fingerprint:  " + r.fingerprint());
            out.println("Statement:    " + r.statement());
            out.println("Values:       " + (r.parametersDigest().equals(io.governed.policy.engine.StatementBinding.NO_PARAMETERS) ? "none bound" : "SHA-256 " + r.parametersDigest()));
            out.println("Requested:    " + r.requestedAt() + " (expires " + r.requestExpiresAt() + ")");
            if (r.approvalExpiresAt() != null) {
                out.println("Usable until: " + r.approvalExpiresAt() + " (once)");
            }
            for (ApprovalVote v : r.votes()) {
                out.println((v.approved() ? "Approved by:  " : "Denied by:    ") + v.approver()
                        + (v.groups().isEmpty() ? "" : " (" + String.join(", ", v.groups()) + ")")
                        + (v.asserted() ? " [asserted]" : v.issuer() == null ? "" : " [verified by " + v.issuer() + "]") + " at " + v.at() + (v.reason() == null ? "" : ": " + v.reason()));
            }
            return 0;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a pending request.",
            exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:approved (or the approval recorded, the quorum not yet met)",
                "1:the store cannot be reached", "2:usage error",
                "4:refused: unknown id, not pending (expired, decided), one's own request, not an approver, a refused token",
                "3:the tool itself failed"})
    static final class Approve extends DecideCommand {

        @Option(names = "--reason", description = "why (optional)")
        String reason;

        @Override
        int run(ApprovalStore store, PrintWriter out) throws InvalidTokenException {
            Approver approver = approver();
            ApprovalRequest r = store.decide(id, approver.identity(), approver.asserted(), true, reason);
            if (r.status() == ApprovalStatus.APPROVED) {
                out.println("Approved " + r.id() + " as " + approver.describe() + " (" + r.summary() + " by " + requester(r)
                        + "): it may run once, until " + r.approvalExpiresAt());
            } else {
                out.println("Approval recorded for " + r.id() + "; it still needs " + r.approvers().describe());
            }
            return 0;
        }
    }

    @Command(name = "deny", mixinStandardHelpOptions = true, description = "Deny a pending request, with a reason the requester sees.",
            exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:denied", "1:the store cannot be reached", "2:usage error",
                "4:refused: unknown id, not pending (expired, decided), one's own request, not an approver, a refused token",
                "3:the tool itself failed"})
    static final class Deny extends DecideCommand {

        @Option(names = "--reason", required = true, description = "why, for the requester")
        String reason;

        @Override
        int run(ApprovalStore store, PrintWriter out) throws InvalidTokenException {
            Approver approver = approver();
            ApprovalRequest r = store.decide(id, approver.identity(), approver.asserted(), false, reason);
            out.println("Denied " + r.id() + " as " + approver.describe() + " (" + r.summary() + " by " + requester(r) + "): "
                    + reason.strip());
            return 0;
        }
    }

    /** A decision on one request ({@code approve}, {@code deny}): the request, the approver, the decision's outputs. */
    abstract static class DecideCommand extends StoreCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "the request id (apr-…)")
        String id;

        @Mixin
        ApproverMixin who;

        @Mixin
        DecisionOutputs outputs;

        @Override
        DecisionOutputs outputs() {
            return outputs;
        }

        @Mixin
        VerifierOptions verification;

        Approver approver() throws InvalidTokenException {
            return who.options.approver(spec, verification);
        }
    }

    /** Where a decision is recorded ({@code --audit}) and announced ({@code --notify}), besides the store. */
    static final class DecisionOutputs {
        @Option(names = "--audit", paramLabel = "SINK", description = "record the decision in this audit trail, as "
                + "governed.audit names it (e.g. jsonl:/var/log/governed/audit.jsonl); exit 1 when the event cannot be "
                + "written (the decision stands)")
        String audit;

        @Option(names = "--notify", paramLabel = "TARGETS", description = "announce the decision as governed.approvals.notify "
                + "does: webhook:URL and/or slack:URL, comma separated; exit 1 when a delivery fails (the decision stands)")
        String notify;

        @Option(names = "--notify-secret", paramLabel = "KEY", description = "the webhooks' HMAC-SHA256 key (else the "
                + "environment variable GOVERNED_APPROVALS_NOTIFY_SECRET)")
        String notifySecret;

        ApprovalNotifier notifier(String store) {
            String secret = notifySecret != null ? notifySecret : System.getenv("GOVERNED_APPROVALS_NOTIFY_SECRET");
            return new ApprovalNotifier(notify, secret, JdbcSink.redact(store.trim()));
        }
    }

    /** Picocli mixin holding the approver options. */
    static final class ApproverMixin {
        @ArgGroup(exclusive = false, multiplicity = "1", heading = "Approver:%n")
        ApproverOptions options;
    }

    private static String requester(ApprovalRequest r) {
        return r.onBehalfOf() == null ? r.requester() : r.requester() + " (for " + r.onBehalfOf() + ")";
    }

    private static String shortened(String text, int max) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
    }

    private static String age(Duration age) {
        long seconds = Math.max(0, age.getSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m";
        }
        return seconds < 86_400 ? seconds / 3600 + "h" : seconds / 86_400 + "d";
    }

    private static void printTable(PrintWriter out, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
