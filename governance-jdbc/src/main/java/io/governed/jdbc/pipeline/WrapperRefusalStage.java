package io.governed.jdbc.pipeline;

import java.sql.SQLException;

/**
 * Stage 1, second part: a refusal the wrapper found itself before the decision, carried by the execution
 * ({@link Execution#refusedByWrapper(SQLException)}): an updatable result set asked to write a column that is masked
 * or that a row filter reads, or a row through a result set read through a rewrite that cannot be written in place.
 * Thrown here, once the identity is known, so that every stage's {@code refused} hook, the audit's among them,
 * records it like any other refusal.
 */
public final class WrapperRefusalStage extends PipelineStage {

    @Override
    public void enter(Execution execution) throws SQLException {
        SQLException refusal = execution.refusedByWrapper();
        if (refusal != null) {
            throw refusal;
        }
    }
}
