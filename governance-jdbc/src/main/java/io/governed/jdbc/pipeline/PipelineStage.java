package io.governed.jdbc.pipeline;

import io.governed.sql.Dialect;

/**
 * A stage as the {@link StatementPipeline} holds it: the built-in stages extend this class, and an application's
 * {@link StatementStage} is held through {@link ApplicationStage}. The pipeline calls a hook on the stages of its
 * array in turn, a call site that sees a dozen classes; through a class the JIT dispatches such a call by a table
 * lookup, through an interface it must search each receiver's interfaces first (an itable stub, a little over 1% of a
 * pooled workload's calling-thread CPU). Nothing else differs: the hooks are {@link StatementStage}'s.
 */
abstract class PipelineStage implements StatementStage {

    /** The class that implements the hooks: this one's, or the application stage's that {@link ApplicationStage} holds. */
    Class<?> stageClass() {
        return getClass();
    }

    /**
     * Whether any hook of this stage does anything for an execution on a connection to a database of {@code dialect}:
     * false only where every hook the stage overrides returns at once for such an execution, so that the pipeline a
     * connection of that dialect uses ({@link StatementPipeline#on}) leaves the stage out. True unless a stage says
     * otherwise (an application's stage always runs).
     */
    boolean runsOn(Dialect dialect) {
        return true;
    }

    /**
     * Whether this stage's {@link StatementStage#completed completed} hook does anything for an execution on a connection
     * to a database of {@code dialect}: false only where it returns at once for every such execution, so that the
     * pipeline of that dialect does not call it (its other hooks still run as {@link #runsOn} says). {@link #runsOn}
     * unless a stage says otherwise.
     */
    boolean completesOn(Dialect dialect) {
        return runsOn(dialect);
    }
}
