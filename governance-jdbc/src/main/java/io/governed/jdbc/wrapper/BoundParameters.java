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

    /** Setter calls by parameter (an index, or {@code "name"} for a named one): setter name and arguments. */
    private final Map<String, Object[]> calls = new TreeMap<>();

    /** A named parameter's setter call (a callable statement's). */
    void set(String name, String setter, Object... arguments) {
        put("name:" + name, setter, arguments);
    }

    void set(int index, String setter, Object... arguments) {
        put(String.format("index:%010d", index), setter, arguments);
    }

    private synchronized void put(String parameter, String setter, Object... arguments) {
        Object[] call = new Object[arguments.length + 1];
        call[0] = setter;
        System.arraycopy(arguments, 0, call, 1, arguments.length);
        calls.put(parameter, call);
    }

    synchronized void clear() {
        calls.clear();
    }

    /** The digest of the values bound now, in hex; {@link StatementBinding#NO_PARAMETERS} when none is bound. */
    synchronized String digest() {
        if (calls.isEmpty()) {
            return StatementBinding.NO_PARAMETERS;
        }
        StringBuilder canonical = new StringBuilder();
        for (Map.Entry<String, Object[]> call : calls.entrySet()) {
            canonical.append(call.getKey());
            for (Object argument : call.getValue()) {
                String form = canonical(argument);
                if (form == null) {
                    return opaque();
                }
                canonical.append('\u0001').append(form.length()).append(':').append(form);
            }
            canonical.append('\u0002');
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
