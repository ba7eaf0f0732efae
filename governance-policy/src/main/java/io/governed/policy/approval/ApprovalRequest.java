package io.governed.policy.approval;

import io.governed.identity.Identity;
import io.governed.policy.model.ApprovalScope;
import io.governed.policy.model.Approvers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A statement waiting for approval, and where it stands.
 *
 * @param id                a random id ({@code apr-} and 16 hex digits), what approvers name
 * @param key               what executions are matched by: the same key finds the same open request (see {@link #keyFor})
 * @param approvalId        the id of the policy's approval entry that asked for it
 * @param requester         the principal that ran the statement
 * @param onBehalfOf        the principal the requester acted for, or {@code null}
 * @param purpose           the purpose the requester stated, or {@code null}
 * @param action            the statement's action ({@code drop}, {@code delete}, …)
 * @param tables            the tables the approval covers it on (empty for a statement on no table)
 * @param fingerprint       the statement's literal-free fingerprint
 * @param statement         the exact statement text, for approvers; kept in the store only, never in the audit trail
 * @param parametersDigest  SHA-256 (hex) of the statement's bound parameter values, never the values
 * @param scope             what an approval allows: this exact statement and values, or its fingerprint
 * @param approvers         who may approve, and how many must
 * @param ttl               how long an approval stays usable once given
 * @param requestedAt       when the request was made
 * @param requestExpiresAt  when the request expires if it is not decided
 * @param status            the stored status: pending, approved, denied or consumed ({@link #statusAt} adds expiry)
 * @param votes             the approvers' decisions, oldest first
 * @param approvalExpiresAt when the approval stops being usable; {@code null} until approved
 */
public record ApprovalRequest(String id, String key, String approvalId, String requester, String onBehalfOf, String purpose,
                              String action, List<String> tables, String fingerprint, String statement,
                              String parametersDigest, ApprovalScope scope, Approvers approvers, Duration ttl,
                              Instant requestedAt, Instant requestExpiresAt, ApprovalStatus status, List<ApprovalVote> votes,
                              Instant approvalExpiresAt) {

    private static final String PREFIX = "apr-";
    private static final SecureRandom RANDOM = new SecureRandom();

    public ApprovalRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(approvalId, "approvalId");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(action, "action");
        tables = List.copyOf(tables);
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(statement, "statement");
        Objects.requireNonNull(parametersDigest, "parametersDigest");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(approvers, "approvers");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(requestExpiresAt, "requestExpiresAt");
        Objects.requireNonNull(status, "status");
        if (status == ApprovalStatus.EXPIRED) {
            throw new IllegalArgumentException("expiry is worked out from the times, not stored");
        }
        votes = List.copyOf(votes);
    }

    /** A fresh random request id. */
    public static String newId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return PREFIX + HexFormat.of().formatHex(bytes);
    }

    /**
     * What matches an execution to a request: the identity (and whom it acts for, and the purpose it stated), the
     * approval, the tables the approval covers the statement on as the session resolved them, and, by the approval's
     * scope, the exact text and parameter digest or only the fingerprint.
     *
     * <p>The tables are part of the key because the same text names other tables in another session: after
     * {@code setSchema("archive")} or {@code SET search_path}, the approved {@code DELETE FROM orders WHERE id = 1} of
     * {@code public.orders} deletes from {@code archive.orders}, which no approver was shown. The purpose is, because
     * approvers decide on the reason they are given: the same statement run for another purpose is another request.
     *
     * @param tables the qualified names of the tables the approval covers the statement on, in the request's order
     */
    public static String keyFor(Identity identity, String approvalId, ApprovalScope scope, String fingerprint,
                                String statement, String parametersDigest, List<String> tables) {
        String onBehalfOf = identity.onBehalfOf() == null ? "" : identity.onBehalfOf().describe();
        String purpose = identity.purpose() == null ? "" : identity.purpose();
        String what = scope == ApprovalScope.EXACT ? "exact\0" + statement + '\0' + parametersDigest : "fingerprint\0" + fingerprint;
        return sha256(identity.principal() + '\0' + onBehalfOf + '\0' + purpose.length() + ':' + purpose + '\0'
                + approvalId + '\0' + tables.size() + ':' + String.join("\0", tables) + '\0' + what);
    }

    /** SHA-256 of {@code text} as UTF-8, in hex. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** What the statement does, for approvers: "drop on public.users". */
    public String summary() {
        return tables.isEmpty() ? action : action + " on " + String.join(", ", tables);
    }

    /** The status at {@code now}: the stored one, or expired once the request or the approval has run out. */
    public ApprovalStatus statusAt(Instant now) {
        return switch (status) {
            case PENDING, DENIED -> now.isBefore(requestExpiresAt) ? status : ApprovalStatus.EXPIRED;
            case APPROVED -> now.isBefore(approvalExpiresAt) ? status : ApprovalStatus.EXPIRED;
            default -> status;
        };
    }

    /** Whether an execution may still be matched to this request at {@code now}: pending, approved or denied, not expired. */
    public boolean openAt(Instant now) {
        ApprovalStatus current = statusAt(now);
        return current == ApprovalStatus.PENDING || current == ApprovalStatus.APPROVED || current == ApprovalStatus.DENIED;
    }

    /** The denial (who denied the request, and why), or {@code null} when it was not denied. */
    public ApprovalVote denial() {
        return votes.stream().filter(v -> !v.approved()).findFirst().orElse(null);
    }

    /**
     * Whether {@code identity} is party to the request, and so may not decide on it: it is the requester
     * or one the requester acted for, or it acts on behalf of one of them.
     *
     * <p>{@code onBehalfOf} holds the requester's whole chain as {@link Identity#describe} writes it ({@code planner
     * for alice} when an agent acted through another agent for alice): every link counts, so that the person at its end
     * cannot approve what an agent asked for her. A principal whose name holds {@code " for "} is split too, which only
     * ever adds parties (refuses more voters).
     */
    public boolean isRequestedBy(Identity identity) {
        List<String> parties = new ArrayList<>();
        parties.add(requester);
        if (onBehalfOf != null) {
            parties.add(onBehalfOf);
            parties.addAll(List.of(onBehalfOf.split(" for ")));
        }
        for (Identity party = identity; party != null; party = party.onBehalfOf()) {
            if (parties.contains(party.principal())) {
                return true;
            }
        }
        return false;
    }

    /**
     * This request once {@code voter} has approved ({@code reason} optional) or denied ({@code reason}
     * required) it at {@code now}: approved when the quorum is met, denied at the first denial.
     *
     * @throws ApprovalException when the request is not pending, the voter is party to it or not an
     *                           approver, has already approved it, or denies without a reason
     */
    public ApprovalRequest decidedBy(Identity voter, boolean asserted, boolean approve, String reason, Instant now) {
        ApprovalStatus current = statusAt(now);
        if (current != ApprovalStatus.PENDING) {
            throw new ApprovalException("request " + id + " is " + current.externalName() + ": only a pending request "
                    + "can be approved or denied" + (current == ApprovalStatus.EXPIRED || current == ApprovalStatus.CONSUMED
                    ? " (running the statement again makes a new request)" : ""));
        }
        if (isRequestedBy(voter)) {
            throw new ApprovalException(voter.principal() + " cannot approve or deny request " + id
                    + ", which they made (or which was made for them): ask another approver");
        }
        if (!approvers.includes(voter)) {
            throw new ApprovalException(voter.principal() + " may not approve or deny request " + id + ": approval "
                    + approvalId + " needs " + approvers.describe());
        }
        if (votes.stream().anyMatch(v -> v.approver().equals(voter.principal()))) {
            throw new ApprovalException(voter.principal() + " has already approved request " + id
                    + ": it needs " + approvers.describe() + ", so another approver must approve it");
        }
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        if (!approve && why == null) {
            throw new ApprovalException("a denial needs a reason, for the requester to read: give one");
        }
        List<String> groups = approvers.groups().stream().filter(voter::inGroup).sorted().toList();
        List<ApprovalVote> after = new ArrayList<>(votes);
        after.add(new ApprovalVote(voter.principal(), groups, asserted, approve, why, now,
                asserted ? null : voter.provenance().issuer()));
        ApprovalStatus next = !approve ? ApprovalStatus.DENIED
                : Quorum.met(approvers, after) ? ApprovalStatus.APPROVED : ApprovalStatus.PENDING;
        return new ApprovalRequest(id, key, approvalId, requester, onBehalfOf, purpose, action, tables, fingerprint, statement,
                parametersDigest, scope, approvers, ttl, requestedAt, requestExpiresAt, next, after,
                next == ApprovalStatus.APPROVED ? now.plus(ttl) : null);
    }

    /** This request used up by an execution. */
    public ApprovalRequest consumed() {
        return new ApprovalRequest(id, key, approvalId, requester, onBehalfOf, purpose, action, tables, fingerprint, statement,
                parametersDigest, scope, approvers, ttl, requestedAt, requestExpiresAt, ApprovalStatus.CONSUMED, votes,
                approvalExpiresAt);
    }

    /** Whether a quorum of approvals is met. */
    static final class Quorum {
        private Quorum() {
        }

        static boolean met(Approvers approvers, List<ApprovalVote> votes) {
            List<ApprovalVote> approvals = votes.stream().filter(ApprovalVote::approved).toList();
            if (!approvers.eachGroup()) {
                return approvals.stream().map(ApprovalVote::approver).distinct().count() >= approvers.require();
            }
            return assign(approvers.groups().stream().sorted().toList(), 0, approvals, Set.of());
        }

        /** Whether groups from {@code index} on can each get an approver of their own, none of {@code used}. */
        private static boolean assign(List<String> groups, int index, List<ApprovalVote> approvals, Set<String> used) {
            if (index == groups.size()) {
                return true;
            }
            for (ApprovalVote vote : approvals) {
                if (vote.groups().contains(groups.get(index)) && !used.contains(vote.approver())) {
                    Set<String> more = new java.util.HashSet<>(used);
                    more.add(vote.approver());
                    if (assign(groups, index + 1, approvals, more)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
