package io.governed.spring.boot.actuate;

import io.governed.jdbc.Governance;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.spring.boot.GovernedProperties;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /actuator/governance}: the policy in force (its files and their digests), the migration principal,
 * and each audit sink's state. No identity, statement or value is shown.
 */
@Endpoint(id = "governance")
public class GovernanceEndpoint {
    private final Governance governance;
    private final GovernedProperties properties;

    public GovernanceEndpoint(Governance governance, GovernedProperties properties) {
        this.governance = governance;
        this.properties = properties;
    }

    @ReadOperation
    public Map<String, Object> governance() {
        List<PolicyFiles.File> files = PolicyFiles.of(properties.getPolicy());
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("baseline", properties.getPolicy().isEmpty());
        policy.put("files", files.stream().map(f -> Map.of("location", f.location(), "sha256", f.sha256())).toList());
        policy.put("digest", PolicyFiles.combined(files));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("policy", policy);
        if (properties.getMigration().getPrincipal() != null) {
            result.put("migrationPrincipal", properties.getMigration().getPrincipal());
        }
        result.put("audit", audit(governance.audit().dispatcher()));
        return result;
    }

    static Map<String, Object> audit(AuditDispatcher dispatcher) {
        Map<String, Object> audit = new LinkedHashMap<>();
        if (dispatcher == null) {
            audit.put("sinks", List.of());
            return audit;
        }
        audit.put("mode", dispatcher.settings().mode().name().toLowerCase(java.util.Locale.ROOT));
        audit.put("closed", dispatcher.isClosed());
        audit.put("sinks", dispatcher.sinkStates().stream().map(s -> {
            Map<String, Object> sink = new LinkedHashMap<>();
            sink.put("sink", s.sink());
            sink.put("status", s.healthy() ? "UP" : "DOWN");
            if (!s.healthy()) {
                sink.put("failure", s.failure());
            }
            sink.put("queued", s.queued());
            sink.put("dropped", s.dropped());
            return sink;
        }).toList());
        return audit;
    }
}
