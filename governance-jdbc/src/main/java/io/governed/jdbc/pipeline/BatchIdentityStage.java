package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;
import io.governed.jdbc.GovernanceException;

import java.sql.SQLException;

/**
 * Stage 1, third part: a batch is decided, run and audited as one identity, the one that built it. An entry added as
 * an identity other than the batch's earlier entries', or a batch run as an identity other than the one its entries
 * were added as ({@link Execution#batchedAs()}), is refused before the decision: otherwise statements an agent checked
 * and batched inside its scope would run, and be audited, as whoever flushes the batch after the scope ended (and an
 * approval the agent's policy asks for would never be asked), and entries a trusted identity batched would run as a
 * caller that was never checked for them at {@code addBatch}.
 */
public final class BatchIdentityStage extends PipelineStage {

    @Override
    public void enter(Execution execution) throws SQLException {
        Identity batchedAs = execution.batchedAs();
        if (batchedAs == null || batchedAs.equals(execution.identity())) {
            return;
        }
        String action = execution.runs() ? "runs as " : "is added as ";
        throw GovernanceException.failedClosed("Statement refused: the batch of this statement holds entries added as "
                + batchedAs.describe() + ", and it " + action + execution.identity().describe() + ". A batch is decided, "
                + "run and audited as the one identity that built it: call addBatch and executeBatch (or "
                + "executeLargeBatch) inside the same IdentityContext.runAs scope, or clearBatch and build the batch again "
                + "as the identity that runs it" + (execution.runs() ? "; nothing of the batch was sent to the database"
                : "; the batch holds what it held before this call"),
                GovernanceException.SQLSTATE_DENIED, null);
    }
}
