package io.governed.masking.token;

/**
 * Where the {@code token} mask keeps, for each token it hands out, the value it stands for, sealed
 * (AES-GCM under the vault key, which is never stored with it). Implementations are thread-safe.
 */
public interface TokenVault {

    /**
     * Keeps {@code sealed} for {@code token} in {@code scope}, unless the token is there already.
     *
     * @return whether the token was new
     */
    boolean putIfAbsent(String scope, String token, byte[] sealed);

    /** What {@code token} in {@code scope} stands for, sealed, or {@code null} when the vault does not have it. */
    byte[] get(String scope, String token);
}
