package io.governed.jdbc.wrapper;

import io.governed.policy.engine.StatementBinding;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.temporal.TemporalAccessor;
import java.util.Calendar;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The values bound to a prepared statement's parameters, kept (by reference, until cleared) only so
 * that an approval can be bound to them: {@link #digest()} is the SHA-256 of a canonical form of
 * every setter call, never the values themselves.
 *
 * <p>Fails closed: a value whose content cannot be read without using it up or that has no stable
 * form (a stream, a reader, a LOB, an array, an object of an unknown class) makes the digest a fresh
 * random one, which no approval of {@code scope: exact} matches.
 */
final class BoundParameters {
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Whether values are noted at all: only when the policy has approvals (the only use of the digest);
     * otherwise a setter costs nothing more than the driver's, and {@link #digest()} is {@linkplain #opaque() opaque}.
     */
    private final boolean recording;
    /** Setter calls by parameter index: setter name, then its arguments. */
    private final Map<Integer, Object[]> byIndex = new TreeMap<>();
    /** Setter calls by parameter name (a callable statement's named parameters). */
    private final Map<String, Object[]> byName = new TreeMap<>();

    BoundParameters(boolean recording) {
        this.recording = recording;
    }

    /** A named parameter's setter call (a callable statement's). */
    synchronized void set(String name, String setter, Object... arguments) {
        if (recording) {
            byName.put(name, call(setter, arguments));
        }
    }

    synchronized void set(int index, String setter, Object... arguments) {
        if (recording) {
            byIndex.put(index, call(setter, arguments));
        }
    }

    private static Object[] call(String setter, Object[] arguments) {
        Object[] call = new Object[arguments.length + 1];
        call[0] = setter;
        System.arraycopy(arguments, 0, call, 1, arguments.length);
        return call;
    }

    synchronized void clear() {
        byIndex.clear();
        byName.clear();
    }

    /** The digest of the values bound now, in hex; {@link StatementBinding#NO_PARAMETERS} when none is bound. */
    synchronized String digest() {
        if (!recording) {
            return opaque();
        }
        if (byIndex.isEmpty() && byName.isEmpty()) {
            return StatementBinding.NO_PARAMETERS;
        }
        StringBuilder canonical = new StringBuilder();
        for (Map<?, Object[]> calls : List.of(byIndex, byName)) {
            for (Map.Entry<?, Object[]> call : calls.entrySet()) {
                canonical.append(call.getKey() instanceof Integer ? "index " : "name ").append(call.getKey());
                for (Object argument : call.getValue()) {
                    String form = canonical(argument);
                    if (form == null) {
                        return opaque();
                    }
                    canonical.append('\u0001').append(form.length()).append(':').append(form);
                }
                canonical.append('\u0002');
            }
        }
        return sha256(canonical.toString());
    }

    /** A digest no other execution has: for values that cannot be compared. */
    static String opaque() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "opaque-" + HexFormat.of().formatHex(bytes);
    }

    /** A stable text form of a value, typed; {@code null} when it has none. */
    private static String canonical(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof byte[] bytes) {
            return "bytes:" + HexFormat.of().formatHex(bytes);
        }
        if (value instanceof Calendar calendar) {
            return "calendar:" + calendar.getTimeZone().getID();
        }
        if (value instanceof String || value instanceof Boolean || value instanceof Character || value instanceof Integer
                || value instanceof Long || value instanceof Short || value instanceof Byte || value instanceof Double
                || value instanceof Float || value instanceof BigDecimal || value instanceof BigInteger
                || value instanceof java.util.Date || value instanceof TemporalAccessor || value instanceof UUID
                || value instanceof java.net.URL || value instanceof java.sql.SQLType) {
            return value.getClass().getName() + ':' + value;
        }
        return null;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
