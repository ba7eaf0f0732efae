package io.governed.jdbc.gate;

import io.governed.policy.Decision;

/**
 * Decides about one statement. The gate calls it for every statement on every execution path; the
 * policy engine is one implementation, and a test can plug in its own.
 *
 * <p>Implementations must be thread-safe and should be fast: the gate sits on every statement's
 * path. An exception thrown here denies the statement (the gate fails closed).
 */
@FunctionalInterface
public interface DecisionFunction {

    /** Allows everything, naming no rule. For pass-through use and benchmarks of the wrapper's own cost. */
    DecisionFunction ALLOW_ALL = request -> Decision.allowUnconditionally();

    Decision decide(GateRequest request);
}
