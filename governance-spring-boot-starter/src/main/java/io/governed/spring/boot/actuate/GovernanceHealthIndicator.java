package io.governed.spring.boot.actuate;

import io.governed.jdbc.Governance;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.spring.boot.GovernedProperties;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import java.util.List;

/** Health {@code governance}: DOWN while an audit sink cannot store events or the dispatcher is closed. */
public class GovernanceHealthIndicator extends AbstractHealthIndicator {
    private final Governance governance;
    private final GovernedProperties properties;

    public GovernanceHealthIndicator(Governance governance, GovernedProperties properties) {
        super("Governance health check failed");
        this.governance = governance;
        this.properties = properties;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        AuditDispatcher dispatcher = governance.audit().dispatcher();
        boolean up = dispatcher == null || (!dispatcher.isClosed()
                && dispatcher.sinkStates().stream().allMatch(AuditDispatcher.SinkState::healthy));
        List<PolicyFiles.File> files = PolicyFiles.of(properties.getPolicy());
        (up ? builder.up() : builder.down())
                .withDetail("policyDigest", PolicyFiles.combined(files))
                .withDetail("audit", GovernanceEndpoint.audit(dispatcher));
    }
}
