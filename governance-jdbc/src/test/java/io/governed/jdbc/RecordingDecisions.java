package io.governed.jdbc;

import io.governed.jdbc.gate.CallKind;
import io.governed.jdbc.gate.DecisionFunction;
import io.governed.jdbc.gate.GateRequest;
import io.governed.policy.Decision;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** A decision function for tests: records every request, and denies the call kinds it is told to. */
final class RecordingDecisions implements DecisionFunction {
    final List<GateRequest> requests = new CopyOnWriteArrayList<>();
    private volatile Set<CallKind> denied = Set.of();

    void deny(Set<CallKind> kinds) {
        denied = Set.copyOf(kinds);
    }

    void denyAll() {
        deny(Set.of(CallKind.values()));
    }

    @Override
    public Decision decide(GateRequest request) {
        requests.add(request);
        return denied.contains(request.callKind())
                ? Decision.deny(List.of("test-deny"), "denied by the test")
                : Decision.allow(List.of("test-allow"), "allowed by the test");
    }
}
