package io.governed.jdbc.identity;

import io.governed.identity.Identity;

/**
 * Supplies the caller's identity from the application's own context (a web framework's security
 * context, an agent runtime's current task). Consulted for every statement, after a
 * {@link IdentityContext#runAs scoped identity} and before the connection's own identity.
 *
 * <p>Return {@code null} when there is no caller in context. Must be thread-safe and fast.
 */
@FunctionalInterface
public interface IdentityResolver {
    Identity currentIdentity();
}
