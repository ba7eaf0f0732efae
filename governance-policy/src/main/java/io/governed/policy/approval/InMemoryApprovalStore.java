package io.governed.policy.approval;

import io.governed.identity.Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An {@link ApprovalStore} in memory, for one process (tests, a single instance): requests are lost
 * when it stops, and no other process (the command line included) can see them. Thread-safe; its
 * operations are serialised on the store, which suits the low rate at which approvals happen.
 */
public final class InMemoryApprovalStore implements ApprovalStore {

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryApprovalStore.class);

    private final Clock clock;
    private final Map<String, ApprovalRequest> requests = new LinkedHashMap<>();

    /** A store on the system clock. */
    public InMemoryApprovalStore() {
        this(Clock.systemUTC());
    }

    /** A store on {@code clock}, which decides when requests and approvals expire. */
    public InMemoryApprovalStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public synchronized ApprovalRequest request(ApprovalRequest candidate) {
        Instant now = clock.instant();
        for (ApprovalRequest existing : requests.values()) {
            if (existing.key().equals(candidate.key()) && existing.openAt(now)) {
                return existing;
            }
        }
        requests.put(candidate.id(), candidate);
        LOG.info("Approval request {} recorded for {} ({}, approval {})", candidate.id(),
                RequesterText.visible(candidate.requester()), RequesterText.visible(candidate.summary()), candidate.approvalId());
        return candidate;
    }

    @Override
    public synchronized Optional<ApprovalRequest> find(String requestId) {
        return Optional.ofNullable(requests.get(requestId));
    }

    @Override
    public synchronized List<ApprovalRequest> list(Set<ApprovalStatus> statuses) {
        Instant now = clock.instant();
        List<ApprovalRequest> found = new ArrayList<>();
        for (ApprovalRequest r : requests.values()) {
            if (statuses.contains(r.statusAt(now))) {
                found.add(r);
            }
        }
        found.sort(Comparator.comparing(ApprovalRequest::requestedAt).thenComparing(ApprovalRequest::id));
        return found;
    }

    @Override
    public synchronized ApprovalRequest decide(String requestId, Identity approver, boolean asserted, boolean approve,
                                               String reason) {
        ApprovalRequest request = requests.get(requestId);
        if (request == null) {
            throw ApprovalException.unknown(requestId);
        }
        ApprovalRequest decided = request.decidedBy(approver, asserted, approve, reason, clock.instant());
        requests.put(requestId, decided);
        notifyAll(); // wakes statements waiting for a decision
        LOG.info("Approval request {} {} by {}: now {}", requestId, approve ? "approved" : "denied",
                RequesterText.visible(approver.principal()), decided.status().externalName());
        return decided;
    }

    @Override
    public synchronized void awaitDecision(java.time.Duration max) throws InterruptedException {
        wait(Math.max(1, max.toMillis()));
    }

    @Override
    public synchronized List<String> consume(List<String> requestIds) {
        Instant now = clock.instant();
        List<String> lacking = new ArrayList<>();
        for (String id : requestIds) {
            ApprovalRequest r = requests.get(id);
            if (r == null || r.statusAt(now) != ApprovalStatus.APPROVED) {
                lacking.add(id);
            }
        }
        if (lacking.isEmpty()) {
            requestIds.forEach(id -> requests.computeIfPresent(id, (k, r) -> r.consumed()));
        }
        return lacking;
    }
}
