package io.governed.policy.approval;

import io.governed.identity.Identity;

import java.util.List;
import java.util.Optional;

/**
 * Keeps approval requests and the approvals given to them. The policy engine records a request
 * when a statement needs approval and consumes an approval when the statement runs; people (or a
 * tool acting for them) approve requests in between.
 *
 * <p>Implementations must be thread-safe: in particular, one approval must never be consumed by two
 * executions.
 */
public interface ApprovalStore {

    /** Records {@code request}, or returns the request already recorded under its id. */
    ApprovalRequest request(ApprovalRequest request);

    /** The request with this id, if one was recorded. */
    Optional<ApprovalRequest> find(String requestId);

    /**
     * Approves a request, allowing one execution within the request's ttl.
     *
     * @throws ApprovalException when no such request exists, the approver is not among the request's
     *                           approvers, or the approver is the requester (or the one it acted for)
     */
    Approval approve(String requestId, Identity approver);

    /**
     * Consumes one usable approval of each request, atomically: either every request has one and
     * all are consumed, or none is consumed.
     *
     * @return the requests that lack a usable approval; empty when the approvals were consumed
     */
    List<String> consume(List<String> requestIds);

    /**
     * The requests that lack a usable approval, without consuming any: for a statement that is
     * checked (prepared) but not yet run.
     */
    List<String> lacking(List<String> requestIds);
}
