package io.governed.masking.token;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The vaults a policy's {@code token} masks name with {@code vault: NAME}. Register a persistent one
 * ({@link JdbcTokenVault}) before the policy is loaded; a name nobody registered gets a vault in
 * memory, which forgets its tokens when the process ends.
 */
public final class TokenVaults {
    private static final Map<String, TokenVault> VAULTS = new ConcurrentHashMap<>();

    private TokenVaults() {
    }

    /** Makes {@code vault} the one masks naming {@code name} use. */
    public static void register(String name, TokenVault vault) {
        VAULTS.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(vault, "vault"));
    }

    /** The vault named {@code name}: the registered one, or one in memory. */
    public static TokenVault named(String name) {
        return VAULTS.computeIfAbsent(name, n -> new InMemoryTokenVault());
    }
}
