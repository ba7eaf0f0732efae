package io.governed.jdbc.support;

import io.governed.jdbc.gate.CallKind;
import io.governed.jdbc.gate.DecisionFunction;
import io.governed.jdbc.gate.GateRequest;
import io.governed.policy.Decision;

import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A decision function that remembers every request that reached the gate. It allows everything
 * (naming rule {@code test-allow}) except the call kinds it is told to deny (rule {@code test-deny}).
 */
public final class RecordingDecisions implements DecisionFunction {
    private final Queue<GateRequest> requests = new ConcurrentLinkedQueue<>();
    private volatile Set<CallKind> denied = Set.of();

    @Override
    public Decision decide(GateRequest request) {
        requests.add(request);
        return denied.contains(request.callKind())
                ? Decision.deny(List.of("test-deny"), "denied by the test")
                : Decision.allow(List.of("test-allow"), "allowed by the test");
    }

    /** Denies statements brought by these call kinds from now on; an empty set denies nothing. */
    public void deny(Set<CallKind> kinds) {
        denied = Set.copyOf(kinds);
    }

    public void denyAll() {
        deny(Set.of(CallKind.values()));
    }

    /** The requests seen so far, in arrival order. */
    public List<GateRequest> requests() {
        return List.copyOf(requests);
    }

    /** The most recent request. */
    public GateRequest last() {
        List<GateRequest> all = requests();
        return all.get(all.size() - 1);
    }

    /** The SQL texts seen so far, in arrival order. */
    public List<String> sqlSeen() {
        return requests.stream().map(r -> r.sql().sql()).toList();
    }

    public void clear() {
        requests.clear();
    }
}
