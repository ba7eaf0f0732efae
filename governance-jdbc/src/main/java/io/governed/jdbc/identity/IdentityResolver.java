package io.governed.jdbc.identity;

import io.governed.identity.Identity;

/**
 * Supplies the caller's identity from the application's own context (a web framework's security
 * context, an agent runtime's current task). Consulted for every statement, after a
 * {@link IdentityContext#runAs scoped identity} and before the connection's own identity.
 *
 * <p>With masks or row filters in the policy it is also asked at every getter of a result (the reader's identity
 * decides what the value shows, and a scope may change between two getters), so a result of a hundred values asks it a
 * hundred times: return the same {@link Identity} object for as long as the caller is the same (it is compared by
 * reference first), rather than building a new one at each call.
 *
 * <p>Return {@code null} when there is no caller in context. Must be thread-safe and fast. A resolver
 * that finds a caller it cannot vouch for (a bearer token that fails verification) throws an
 * {@link IdentityRefusedException}: the statement is then refused with its exception, rather than run
 * as whoever comes next.
 */
@FunctionalInterface
public interface IdentityResolver {
    Identity currentIdentity();
}
