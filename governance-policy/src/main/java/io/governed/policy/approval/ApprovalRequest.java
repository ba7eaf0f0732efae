package io.governed.policy.approval;

import io.governed.identity.Identity;
import io.governed.policy.model.Approvers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A statement waiting for someone's approval.
 *
 * @param id          deterministic per requester, statement fingerprint and approval: running the
 *                    same statement again as the same identity finds the same request
 * @param approvalId  the id of the policy's approval entry that asked for it
 * @param requester   the principal that ran the statement
 * @param onBehalfOf  the principal the requester acted for, or {@code null}
 * @param fingerprint the statement's literal-free fingerprint
 * @param summary     what the statement does, for the approver ("drop on public.users")
 * @param approvers   who may approve
 * @param ttl         how long an approval stays usable
 * @param requestedAt when the request was first made
 */
public record ApprovalRequest(String id, String approvalId, String requester, String onBehalfOf, String fingerprint,
                              String summary, Approvers approvers, Duration ttl, Instant requestedAt) {

    private static final String PREFIX = "apr-";

    public ApprovalRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(approvalId, "approvalId");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(approvers, "approvers");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(requestedAt, "requestedAt");
    }

    /**
     * The request id for this identity running a statement with this fingerprint under this
     * approval: the same inputs always give the same id.
     */
    public static String idFor(Identity identity, String fingerprint, String approvalId) {
        String onBehalfOf = identity.onBehalfOf() == null ? "" : identity.onBehalfOf().describe();
        String key = identity.principal() + '\0' + onBehalfOf + '\0' + fingerprint + '\0' + approvalId;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /**
     * Whether {@code identity} is party to the request, and so may not approve it: it is the requester
     * or the one the requester acted for, or it acts on behalf of either of them.
     */
    public boolean isRequestedBy(Identity identity) {
        for (Identity party = identity; party != null; party = party.onBehalfOf()) {
            if (party.principal().equals(requester) || party.principal().equals(onBehalfOf)) {
                return true;
            }
        }
        return false;
    }
}
