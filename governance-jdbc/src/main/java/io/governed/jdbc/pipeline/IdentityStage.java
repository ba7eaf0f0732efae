package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.identity.IdentityResolution;

import java.sql.SQLException;
import java.util.Objects;

/**
 * Stage 1: who runs the statement, as {@link IdentityResolution} finds it when the statement runs
 * (scoped &gt; resolver &gt; connection &gt; default; a scoped one required when so configured). A
 * statement with no identity at all is refused (SQLState 28000).
 */
public final class IdentityStage extends PipelineStage {
    private final IdentityResolution resolution;

    public IdentityStage(IdentityResolution resolution) {
        this.resolution = Objects.requireNonNull(resolution, "resolution");
    }

    @Override
    public void enter(Execution execution) throws SQLException {
        Identity identity = resolution.current(execution.connectionIdentity());
        if (identity == null) {
            throw GovernanceException.failedClosed("No identity for this statement on connection " + execution.connectionId()
                    + ": set governed.principal (and governed.kind, governed.groups) in the connection settings, "
                    + "or run the statement inside IdentityContext.runAs(identity, work)",
                    GovernanceException.SQLSTATE_NO_IDENTITY, null);
        }
        execution.identity(identity);
    }
}
