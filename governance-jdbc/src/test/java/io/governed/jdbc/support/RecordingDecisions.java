package io.governed.jdbc.support;

import io.governed.jdbc.gate.DecisionFunction;
import io.governed.jdbc.gate.GateRequest;
import io.governed.policy.Decision;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A decision function that allows everything and remembers every request that reached the gate. */
public final class RecordingDecisions implements DecisionFunction {
    private final Queue<GateRequest> requests = new ConcurrentLinkedQueue<>();

    @Override
    public Decision decide(GateRequest request) {
        requests.add(request);
        return Decision.allowUnconditionally();
    }

    /** The requests seen so far, in arrival order. */
    public List<GateRequest> requests() {
        return List.copyOf(requests);
    }

    /** The SQL texts seen so far, in arrival order. */
    public List<String> sqlSeen() {
        return requests.stream().map(r -> r.sql().sql()).toList();
    }

    public void clear() {
        requests.clear();
    }
}
