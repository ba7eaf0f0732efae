package io.governed.jdbc.identity;

import io.governed.identity.Identity;

/**
 * Supplies the caller's identity from the application's own context (a web framework's security
 * context, an agent runtime's current task). Consulted for every statement, after a
 * {@link IdentityContext#runAs scoped identity} and before the connection's own identity.
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
