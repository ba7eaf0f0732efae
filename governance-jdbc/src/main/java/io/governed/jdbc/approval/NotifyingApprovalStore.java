package io.governed.jdbc.approval;

import io.governed.identity.Identity;
import io.governed.policy.approval.ApprovalRequest;
import io.governed.policy.approval.ApprovalStore;

import java.util.Objects;

/** A store that tells an {@link ApprovalNotifier} about every request it records and every decision made through it. */
public final class NotifyingApprovalStore extends ForwardingApprovalStore {
    private final ApprovalNotifier notifier;

    public NotifyingApprovalStore(ApprovalStore store, ApprovalNotifier notifier) {
        super(store);
        this.notifier = Objects.requireNonNull(notifier, "notifier");
    }

    public ApprovalNotifier notifier() {
        return notifier;
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
    public ApprovalRequest decide(String requestId, Identity approver, boolean asserted, boolean approve, String reason) {
        ApprovalRequest decided = store.decide(requestId, approver, asserted, approve, reason);
        notifier.decided(decided);
        return decided;
    }
}
