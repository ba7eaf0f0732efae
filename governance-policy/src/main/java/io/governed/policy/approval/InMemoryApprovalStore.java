package io.governed.policy.approval;

import io.governed.identity.Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link ApprovalStore} in memory, for one process: requests and approvals are lost when it
 * stops. Thread-safe; its operations are serialised on the store, which suits the low rate at which
 * approvals happen.
 */
public final class InMemoryApprovalStore implements ApprovalStore {

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryApprovalStore.class);

    private final Clock clock;
    private final Map<String, ApprovalRequest> requests = new HashMap<>();
    private final Map<String, Approval> approvals = new HashMap<>();

    /** A store on the system clock. */
    public InMemoryApprovalStore() {
        this(Clock.systemUTC());
    }

    /** A store on {@code clock}, which decides when approvals expire. */
    public InMemoryApprovalStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The clock requests are stamped with and approvals expire by. */
    public Clock clock() {
        return clock;
    }

    @Override
    public synchronized ApprovalRequest request(ApprovalRequest request) {
        ApprovalRequest existing = requests.putIfAbsent(request.id(), request);
        if (existing != null) {
            return existing;
        }
        LOG.info("Approval request {} recorded for {} ({}, approval {})", request.id(), request.requester(),
                request.summary(), request.approvalId());
        return request;
    }

    @Override
    public synchronized Optional<ApprovalRequest> find(String requestId) {
        return Optional.ofNullable(requests.get(requestId));
    }

    @Override
    public synchronized Approval approve(String requestId, Identity approver) {
        ApprovalRequest request = requests.get(requestId);
        if (request == null) {
            throw new ApprovalException("no approval request '" + requestId + "' is known: check the id the waiting "
                    + "statement reported, and run the statement once more if the store was restarted");
        }
        if (request.isRequestedBy(approver)) {
            throw new ApprovalException(approver.principal() + " cannot approve request " + requestId
                    + ", which they made (or which was made for them): ask another approver");
        }
        if (!request.approvers().includes(approver)) {
            throw new ApprovalException(approver.principal() + " may not approve request " + requestId
                    + ": approval " + request.approvalId() + " needs one of " + describe(request));
        }
        Instant now = clock.instant();
        Approval approval = new Approval(requestId, approver.principal(), now, now.plus(request.ttl()));
        approvals.put(requestId, approval);
        LOG.info("Approval request {} approved by {}, usable once until {}", requestId, approver.principal(), approval.expiresAt());
        return approval;
    }

    @Override
    public synchronized List<String> consume(List<String> requestIds) {
        List<String> lacking = lacking(requestIds);
        if (lacking.isEmpty()) {
            requestIds.forEach(approvals::remove);
        } else {
            lacking.forEach(approvals::remove); // forget the expired ones
        }
        return lacking;
    }

    @Override
    public synchronized List<String> lacking(List<String> requestIds) {
        Instant now = clock.instant();
        List<String> lacking = new ArrayList<>();
        for (String id : requestIds) {
            Approval approval = approvals.get(id);
            if (approval == null || !approval.validAt(now)) {
                lacking.add(id);
            }
        }
        return lacking;
    }

    private static String describe(ApprovalRequest request) {
        List<String> who = new ArrayList<>();
        if (!request.approvers().groups().isEmpty()) {
            who.add("groups " + request.approvers().groups());
        }
        if (!request.approvers().names().isEmpty()) {
            who.add("principals " + request.approvers().names());
        }
        return String.join(" or ", who);
    }
}
