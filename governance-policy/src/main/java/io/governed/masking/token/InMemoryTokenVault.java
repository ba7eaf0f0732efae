package io.governed.masking.token;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A vault in this process's memory: for tests, and for tokens that need no restoring after a restart. */
public final class InMemoryTokenVault implements TokenVault {
    private final Map<String, byte[]> sealed = new ConcurrentHashMap<>();

    @Override
    public boolean putIfAbsent(String scope, String token, byte[] value) {
        return sealed.putIfAbsent(scope + '\u0000' + token, value.clone()) == null;
    }

    @Override
    public byte[] get(String scope, String token) {
        byte[] value = sealed.get(scope + '\u0000' + token);
        return value == null ? null : value.clone();
    }

    /** How many tokens it holds. */
    public int size() {
        return sealed.size();
    }
}
