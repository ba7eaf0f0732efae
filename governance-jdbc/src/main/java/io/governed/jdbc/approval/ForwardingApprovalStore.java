package io.governed.jdbc.approval;

import io.governed.identity.Identity;
import io.governed.policy.approval.ApprovalRequest;
import io.governed.policy.approval.ApprovalStatus;
import io.governed.policy.approval.ApprovalStore;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** A store that passes every call to another: the base of the stores that add something to requests and decisions. */
abstract class ForwardingApprovalStore implements ApprovalStore {
    protected final ApprovalStore store;

    ForwardingApprovalStore(ApprovalStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The store calls are passed to. */
    public ApprovalStore store() {
        return store;
    }

    @Override
    public Clock clock() {
        return store.clock();
    }

    @Override
    public ApprovalRequest request(ApprovalRequest candidate) {
        return store.request(candidate);
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
    public List<ApprovalRequest> list(Set<ApprovalStatus> statuses, int offset, int limit) {
        return store.list(statuses, offset, limit);
    }

    @Override
    public ApprovalRequest decide(String requestId, Identity approver, boolean asserted, boolean approve, String reason) {
        return store.decide(requestId, approver, asserted, approve, reason);
    }

    @Override
    public void awaitDecision(Duration max) throws InterruptedException {
        store.awaitDecision(max);
    }

    @Override
    public List<String> consume(List<String> requestIds) {
        return store.consume(requestIds);
    }

    @Override
    public Set<String> ownTables() {
        return store.ownTables();
    }
}
