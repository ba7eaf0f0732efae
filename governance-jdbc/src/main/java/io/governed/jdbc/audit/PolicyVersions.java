package io.governed.jdbc.audit;

import io.governed.policy.Policy;
import io.governed.policy.PolicyProvenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Tells the log which policy version is in force: its digest and files when the first governance
 * runtime of the process starts, and again whenever a runtime starts with a different one (a policy
 * reloaded or changed). The audit events of each runtime carry the same digest.
 */
public final class PolicyVersions {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyVersions.class);
    private static final AtomicReference<AuditPolicy> LAST = new AtomicReference<>();

    private PolicyVersions() {
    }

    /**
     * The {@code policy} field for events decided by {@code policy}, logging its digest when it is
     * the first or a different version; {@code null} for a policy built in code.
     */
    public static AuditPolicy inForce(Policy policy) {
        PolicyProvenance provenance = policy == null ? null : policy.provenance();
        if (provenance == null) {
            return null;
        }
        AuditPolicy current = LAST.get();
        if (current != null && current.provenance().equals(provenance)) {
            return current;
        }
        AuditPolicy next = AuditPolicy.of(provenance);
        AuditPolicy previous = LAST.getAndSet(next);
        String files = String.join(", ", provenance.files().stream().map(f -> f.name() + " (sha256:" + f.digest() + ")").toList());
        if (previous == null) {
            LOG.info("Policy in force: sha256:{} from {}", provenance.digest(), files);
        } else if (!previous.digest().equals(provenance.digest())) {
            LOG.info("Policy changed: sha256:{} is now in force (was sha256:{}), from {}", provenance.digest(),
                    previous.digest(), files);
        }
        return next;
    }
}
