package io.governed.policy.load;

import java.util.Set;

/**
 * Names mask functions a policy may use, and the parameters each takes. The loader accepts the
 * built-in functions ({@code redact}, {@code partial}, {@code email}, {@code hash}, {@code null},
 * {@code default}, {@code year}, {@code bucket}) and those of every catalog registered through
 * {@link java.util.ServiceLoader} in {@code META-INF/services/io.governed.policy.load.MaskFunctionCatalog}.
 *
 * <p>A catalog only names functions; implementing them is the masking code's business.
 */
public interface MaskFunctionCatalog {

    /** The function names this catalog provides, as policies write them. */
    Set<String> functionNames();

    /** The parameter keys a mask using {@code function} may carry besides its own keys; none by default. */
    default Set<String> parameterNames(String function) {
        return Set.of();
    }
}
