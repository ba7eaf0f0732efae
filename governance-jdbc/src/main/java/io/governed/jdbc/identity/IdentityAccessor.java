package io.governed.jdbc.identity;

import io.governed.identity.Identity;
import io.micrometer.context.ThreadLocalAccessor;

/**
 * Lets Micrometer's context propagation carry the {@link IdentityContext} scope across threads:
 * Reactor (with {@code Hooks.enableAutomaticContextPropagation()}), {@code ContextExecutorService},
 * {@code ContextSnapshot}. Registered through {@code META-INF/services}, so having
 * {@code io.micrometer:context-propagation} on the classpath is enough.
 */
public final class IdentityAccessor implements ThreadLocalAccessor<Identity> {
    /** The key the scoped identity has in a context snapshot or a Reactor context. */
    public static final String KEY = "io.governed.jdbc.identity";

    @Override
    public Object key() {
        return KEY;
    }

    @Override
    public Identity getValue() {
        return IdentityContext.scopedOrNull();
    }

    @Override
    public void setValue(Identity identity) {
        IdentityContext.set(identity);
    }

    @Override
    public void setValue() {
        IdentityContext.set(null);
    }
}
