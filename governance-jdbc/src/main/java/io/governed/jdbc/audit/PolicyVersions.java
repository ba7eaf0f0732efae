package io.governed.jdbc.audit;

import io.governed.policy.Policy;
import io.governed.policy.PolicyProvenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tells the log which policy version is in force: its digest and files when the first governance
 * runtime of the process starts, and again when a runtime starts with a version not seen before (a
 * policy reloaded or changed). Versions already logged are not logged again, so data sources with
 * different policies in one process do not repeat themselves. The audit events of each runtime
 * carry the same digest.
 */
public final class PolicyVersions {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyVersions.class);
    /** The versions seen, by digest; bounded, since a process loads only so many policies. */
    private static final Map<PolicyProvenance, AuditPolicy> SEEN = new ConcurrentHashMap<>();
    private static final int MOST_REMEMBERED = 256;
    private static final AtomicReference<AuditPolicy> LAST = new AtomicReference<>();

    private PolicyVersions() {
    }

    /**
     * The {@code policy} field for events decided by {@code policy}, logging its digest when it is
     * a version not seen before; {@code null} for a policy built in code.
     */
    public static AuditPolicy inForce(Policy policy) {
        PolicyProvenance provenance = policy == null ? null : policy.provenance();
        if (provenance == null) {
            return null;
        }
        AuditPolicy known = SEEN.get(provenance);
        if (known != null) {
            return known;
        }
        AuditPolicy next = AuditPolicy.of(provenance);
        if (SEEN.size() < MOST_REMEMBERED) {
            AuditPolicy raced = SEEN.putIfAbsent(provenance, next);
            if (raced != null) {
                return raced;
            }
        }
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
