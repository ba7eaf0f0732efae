package io.governed.jdbc.approval;

import io.governed.identity.Identity;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditUnavailableException;
import io.governed.policy.approval.ApprovalException;
import io.governed.policy.approval.ApprovalRequest;
import io.governed.policy.approval.ApprovalStatus;
import io.governed.policy.approval.ApprovalStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A store that records what happens to approval requests in the audit trail, as events whose
 * {@code action} is {@value #REQUESTED}, {@value #APPROVED}, {@value #DENIED}, {@value #EXPIRED} or
 * {@value #CONSUMED}. Every such event names the request in {@code approval_id}; one recorded while a
 * statement was decided (a request made, an approval used up or found expired) also names that
 * statement's {@code event_id} in {@code statement_event_id}. Events carry the request's action, tables
 * and fingerprint, never its exact statement text or values.
 *
 * <p>The principal of a requested, expired or consumed event is the requester; of an approved or denied
 * event, the approver, with {@code identity_source} {@code asserted} (a name given on the command line) or
 * {@code verified} (from a token, with its issuer). Expiry is recorded when it is noticed: an approver's
 * decision or a statement's execution finds the request (or its approval) expired.
 */
public final class AuditingApprovalStore extends ForwardingApprovalStore {
    /** The action of the event recorded when a statement makes a new request. */
    public static final String REQUESTED = "approval_requested";
    /** The action of the event recorded for an approver's approval. */
    public static final String APPROVED = "approval_approved";
    /** The action of the event recorded for an approver's denial. */
    public static final String DENIED = "approval_denied";
    /** The action of the event recorded when a request or its approval is found expired. */
    public static final String EXPIRED = "approval_expired";
    /** The action of the event recorded when a statement uses up an approval. */
    public static final String CONSUMED = "approval_consumed";

    private static final Logger LOG = LoggerFactory.getLogger(AuditingApprovalStore.class);
    private static final ThreadLocal<String> STATEMENT_EVENT_ID = new ThreadLocal<>();

    private final AuditDispatcher audit;

    public AuditingApprovalStore(ApprovalStore store, AuditDispatcher audit) {
        super(store);
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /**
     * Runs {@code decision} (the deciding of one statement on this thread) so that the approval events it
     * causes name {@code statementEventId}.
     */
    public static <T, E extends Exception> T forStatement(String statementEventId, Decider<T, E> decision) throws E {
        String previous = STATEMENT_EVENT_ID.get();
        STATEMENT_EVENT_ID.set(statementEventId);
        try {
            return decision.decide();
        } finally {
            if (previous == null) {
                STATEMENT_EVENT_ID.remove();
            } else {
                STATEMENT_EVENT_ID.set(previous);
            }
        }
    }

    /** The deciding of a statement, which may fail with {@code E}. */
    @FunctionalInterface
    public interface Decider<T, E extends Exception> {
        T decide() throws E;
    }

    /** The store this one records events for. */
    @Override
    public ApprovalRequest request(ApprovalRequest candidate) {
        ApprovalRequest request = store.request(candidate);
        if (request.id().equals(candidate.id())) {
            record(() -> ofRequest(request, REQUESTED, AuditDecision.PENDING_APPROVAL)
                    .reason(request.summary() + " needs " + request.approvers().describe()));
        }
        return request;
    }

    @Override
    public ApprovalRequest decide(String requestId, Identity approver, boolean asserted, boolean approve, String reason) {
        ApprovalRequest decided;
        try {
            decided = store.decide(requestId, approver, asserted, approve, reason);
        } catch (ApprovalException refused) {
            store.find(requestId).filter(r -> r.statusAt(clock().instant()) == ApprovalStatus.EXPIRED)
                    .ifPresent(this::expired);
            throw refused;
        }
        boolean quorum = decided.status() == ApprovalStatus.APPROVED;
        String why = approve
                ? (quorum ? "approved; it may run once" : "approval recorded; it still needs " + decided.approvers().describe())
                : reason == null ? "denied" : reason.strip();
        record(() -> {
            AuditEvent.Builder event = AuditEvent.builder().time(clock().instant()).identity(approver)
                    .action(approve ? APPROVED : DENIED)
                    .decision(approve ? (quorum ? AuditDecision.ALLOW : AuditDecision.PENDING_APPROVAL) : AuditDecision.DENY)
                    .fingerprint(decided.fingerprint()).tables(decided.tables()).rules(List.of(decided.approvalId()))
                    .reason(why).approvalId(decided.id());
            if (asserted) {
                event.provenance("asserted", null, null, null);
            }
            return event;
        });
        return decided;
    }

    @Override
    public List<String> consume(List<String> requestIds) {
        List<String> lacking = store.consume(requestIds);
        if (lacking.isEmpty()) {
            for (String id : requestIds) {
                store.find(id).ifPresent(r -> record(() -> ofRequest(r, CONSUMED, AuditDecision.ALLOW)
                        .reason("approval used up by one execution")));
            }
        } else {
            Instant now = clock().instant();
            for (String id : lacking) {
                store.find(id).filter(r -> r.status() == ApprovalStatus.APPROVED && r.statusAt(now) == ApprovalStatus.EXPIRED)
                        .ifPresent(this::expired);
            }
        }
        return lacking;
    }

    private void expired(ApprovalRequest request) {
        record(() -> ofRequest(request, EXPIRED, AuditDecision.DENY)
                .reason(request.status() == ApprovalStatus.APPROVED ? "the approval expired unused" : "the request expired undecided"));
    }

    private AuditEvent.Builder ofRequest(ApprovalRequest request, String action, AuditDecision decision) {
        return AuditEvent.builder().time(clock().instant()).principal(request.requester()).onBehalfOf(request.onBehalfOf())
                .purpose(request.purpose()).action(action).decision(decision).fingerprint(request.fingerprint())
                .tables(request.tables()).rules(List.of(request.approvalId())).approvalId(request.id())
                .statementEventId(STATEMENT_EVENT_ID.get());
    }

    /** Submits an event when the trail records events; an audit that cannot take it is logged, not thrown at the store's caller. */
    private void record(Supplier<AuditEvent.Builder> event) {
        if (!audit.recording()) {
            return;
        }
        try {
            audit.submit(event.get().build());
        } catch (AuditUnavailableException e) {
            LOG.warn("An approval event could not be recorded: {}", e.getMessage());
        }
    }
}
