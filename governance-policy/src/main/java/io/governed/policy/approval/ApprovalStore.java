package io.governed.policy.approval;

import io.governed.identity.Identity;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps approval requests and the decisions on them. The policy engine records a request when a
 * statement needs approval and consumes the approval when the statement runs; approvers approve or
 * deny requests in between (the {@code governed-jdbc approvals} command, or code).
 *
 * <p>Implementations must be thread-safe, and a store shared by several processes must make
 * {@link #consume} atomic across them: one approval is never used by two executions.
 */
public interface ApprovalStore {

    /** The clock requests are stamped with and expire by. */
    Clock clock();

    /**
     * The open request (pending, approved or denied, not expired) with {@code candidate}'s key, or
     * {@code candidate} itself, recorded now, when there is none.
     */
    ApprovalRequest request(ApprovalRequest candidate);

    /** The request with this id, if one was recorded. */
    Optional<ApprovalRequest> find(String requestId);

    /** The requests whose status (expiry worked out now) is one of {@code statuses}, oldest first (then by id). */
    List<ApprovalRequest> list(Set<ApprovalStatus> statuses);

    /**
     * One page of {@link #list(Set)}: at most {@code limit} of those requests, skipping the first {@code offset}. A
     * store in a database reads only the page; this default reads the whole list.
     *
     * @throws IllegalArgumentException when {@code offset} or {@code limit} is negative
     */
    default List<ApprovalRequest> list(Set<ApprovalStatus> statuses, int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("a page needs an offset and a limit of 0 or more, not " + offset + " and " + limit);
        }
        List<ApprovalRequest> all = list(statuses);
        int from = Math.min(offset, all.size());
        return List.copyOf(all.subList(from, (int) Math.min((long) from + limit, all.size())));
    }

    /**
     * Records {@code approver}'s approval ({@code approve} true) or denial (with a {@code reason}) of a request.
     *
     * @param asserted whether the approver's identity was only stated (a command-line flag), not verified
     * @return the request as it stands after the decision: approved once the quorum is met
     * @throws ApprovalException when no such request exists, it is not pending, or the approver may not decide on it
     */
    ApprovalRequest decide(String requestId, Identity approver, boolean asserted, boolean approve, String reason);

    /** Approves a request as {@code approver}, an identity the application vouches for. */
    default ApprovalRequest approve(String requestId, Identity approver) {
        return decide(requestId, approver, false, true, null);
    }

    /** Denies a request as {@code approver}, an identity the application vouches for. */
    default ApprovalRequest deny(String requestId, Identity approver, String reason) {
        return decide(requestId, approver, false, false, reason);
    }

    /**
     * Waits up to {@code max} for a decision made through this store object (in this process), returning
     * early when one is; a statement waiting for approval polls between such waits. By default, sleeps.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    default void awaitDecision(java.time.Duration max) throws InterruptedException {
        Thread.sleep(Math.max(1, max.toMillis()));
    }

    /**
     * Uses up the approval of each request, atomically: either every one is approved and unexpired and
     * all are consumed, or none is.
     *
     * @return the requests that lack a usable approval; empty when the approvals were consumed
     */
    List<String> consume(List<String> requestIds);

    /**
     * The names of the tables this store keeps its requests, votes and keys in (names as written, without a schema),
     * or none for a store outside any database. Statements the policy engine decides must not touch them, whatever
     * the rules permit: an identity allowed to write every table of the database the store shares with the
     * application would otherwise approve its own request ({@code UPDATE …_requests SET status = 'approved'}), and
     * one allowed to read every table would read other requests' statement texts, literals included.
     */
    default java.util.Set<String> ownTables() {
        return java.util.Set.of();
    }
}
