package io.governed.policy.model;

import io.governed.policy.pattern.TablePattern;
import io.governed.sql.Action;
import io.governed.sql.Dialect;
import io.governed.sql.TableRef;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Statements that, once permitted, still wait for someone's approval: the policy file's
 * {@code approvals} entries.
 *
 * @param id        unique in the policy; names the approval in decisions and request ids
 * @param actions   the statement kinds that need approval
 * @param resources the tables they need it on
 * @param approvers who may approve
 * @param ttl        how long an approval stays usable; it allows one execution within that time
 * @param scope      what one approval allows: exactly the approved statement (the default), or its fingerprint
 * @param requestTtl how long a request waits for approvers before it expires (default 1 day)
 */
public record ApprovalRule(String id, Set<Action> actions, List<TablePattern> resources, Approvers approvers, Duration ttl,
                           ApprovalScope scope, Duration requestTtl) {

    /** How long a request waits for approvers when the approval says nothing. */
    public static final Duration DEFAULT_REQUEST_TTL = Duration.ofDays(1);

    /** An approval of exactly the approved statement, whose requests wait {@link #DEFAULT_REQUEST_TTL}. */
    public ApprovalRule(String id, Set<Action> actions, List<TablePattern> resources, Approvers approvers, Duration ttl) {
        this(id, actions, resources, approvers, ttl, ApprovalScope.EXACT, DEFAULT_REQUEST_TTL);
    }

    public ApprovalRule {
        Rule.requireId(id);
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("approval '" + id + "' names no action: give at least one, or \"*\" for all");
        }
        actions = Set.copyOf(EnumSet.copyOf(actions));
        resources = List.copyOf(resources);
        if (resources.isEmpty()) {
            throw new IllegalArgumentException("approval '" + id + "' names no resource: give at least one table pattern, or \"*\"");
        }
        Objects.requireNonNull(approvers, "approvers");
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("approval '" + id + "' needs a positive ttl, like 30m, 1h or 1d");
        }
        Objects.requireNonNull(scope, "scope");
        if (requestTtl == null || requestTtl.isNegative() || requestTtl.isZero()) {
            throw new IllegalArgumentException("approval '" + id + "' needs a positive request-ttl, like 4h or 1d");
        }
    }

    /** Whether this action on this table ({@code null}: no table, which every resource covers) needs this approval. */
    public boolean covers(Action action, TableRef table, String defaultSchema, Dialect dialect) {
        if (!actions.contains(action)) {
            return false;
        }
        return table == null || resources.stream().anyMatch(r -> r.matches(table, defaultSchema, dialect));
    }
}
