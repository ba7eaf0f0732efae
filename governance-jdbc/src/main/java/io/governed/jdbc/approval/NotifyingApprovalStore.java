package io.governed.jdbc.approval;

import io.governed.identity.Identity;
import io.governed.policy.approval.ApprovalRequest;
import io.governed.policy.approval.ApprovalStatus;
import io.governed.policy.approval.ApprovalStore;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** A store that tells an {@link ApprovalNotifier} about every request it records and every decision made through it. */
public final class NotifyingApprovalStore implements ApprovalStore {
    private final ApprovalStore store;
    private final ApprovalNotifier notifier;

    public NotifyingApprovalStore(ApprovalStore store, ApprovalNotifier notifier) {
        this.store = Objects.requireNonNull(store, "store");
        this.notifier = Objects.requireNonNull(notifier, "notifier");
    }

    public ApprovalNotifier notifier() {
        return notifier;
    }

    @Override
    public Clock clock() {
        return store.clock();
    }

    @Override
    public ApprovalRequest request(ApprovalRequest candidate) {
        ApprovalRequest request = store.request(candidate);
        if (request.id().equals(candidate.id())) {
            notifier.requested(request);
        }
        return request;
    }

    @Override
    public Optional<ApprovalRequest> find(String requestId) {
        return store.find(requestId);
    }

    @Override
    public List<ApprovalRequest> list(Set<ApprovalStatus> statuses) {
        return store.list(statuses);
    }

    @Override
    public ApprovalRequest decide(String requestId, Identity approver, boolean asserted, boolean approve, String reason) {
        ApprovalRequest decided = store.decide(requestId, approver, asserted, approve, reason);
        notifier.decided(decided);
        return decided;
    }

    @Override
    public void awaitDecision(java.time.Duration max) throws InterruptedException {
        store.awaitDecision(max);
    }

    @Override
    public List<String> consume(List<String> requestIds) {
        return store.consume(requestIds);
    }
}
