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
 * that an approval can be bound to them and a row filter's check of an INSERT's new rows can bind them
 * again ({@link #replay}): {@link #digest()} is the SHA-256 of a canonical form of every setter call,
 * never the values themselves.
 *
 * <p>Fails closed: a value whose content cannot be read without using it up or that has no stable
 * form (a stream, a reader, a LOB, an array, an object of an unknown class) makes the digest a fresh
 * random one, which no approval of {@code scope: exact} matches.
 */
final class BoundParameters implements java.util.function.Supplier<String> {
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Whether values are noted at all: only when the policy has approvals or row filters;
     * otherwise a setter costs nothing more than the driver's, and {@link #digest()} is {@linkplain #opaque() opaque}.
     */
    private final boolean recording;
    /** Setter calls by parameter index: setter name, then its arguments. */
    private final Map<Integer, Object[]> byIndex;
    /** Setter calls by parameter name (a callable statement's named parameters). */
    private final Map<String, Object[]> byName;
    private boolean named;

    BoundParameters(boolean recording) {
        this.recording = recording;
        // a statement whose values are not noted keeps no maps (most statements, with most policies)
        this.byIndex = recording ? new TreeMap<>() : Map.of();
        this.byName = recording ? new TreeMap<>() : Map.of();
    }

    /** A named parameter's setter call (a callable statement's). */
    synchronized void set(String name, String setter, Object... arguments) {
        if (recording) {
            byName.put(name, call(setter, arguments));
        }
        named = true;
    }

    /** Whether a parameter was ever bound by name: a {@link #snapshot} (by index) does not hold such values. */
    synchronized boolean everNamed() {
        return named;
    }

    /** A parameter's setter call; without recording, nothing (not even the statement's monitor) is taken. */
    void set(int index, String setter, Object... arguments) {
        if (recording) {
            record(index, call(setter, arguments));
        }
    }

    // The setters of one value (and of a value and an option) have overloads of their own, which box the value and
    // make the call's array only when values are recorded: a setter of a statement whose values are not recorded
    // (most statements, with most policies) then allocates nothing here.

    /** {@link #set(int, String, Object...)} of one value. */
    void set(int index, String setter, Object x) {
        if (recording) {
            record(index, new Object[] {setter, x});
        }
    }

    /** {@link #set(int, String, Object...)} of a value and an option (a type, a length, a calendar). */
    void set(int index, String setter, Object x, Object option) {
        if (recording) {
            record(index, new Object[] {setter, x, option});
        }
    }

    /** {@link #set(int, String, Object...)} of one {@code long}. */
    void set(int index, String setter, long x) {
        if (recording) {
            record(index, new Object[] {setter, x});
        }
    }

    /** {@link #set(int, String, Object...)} of one {@code int}. */
    void set(int index, String setter, int x) {
        if (recording) {
            record(index, new Object[] {setter, x});
        }
    }

    /** {@link #set(int, String, Object...)} of one {@code short}. */
    void set(int index, String setter, short x) {
        if (recording) {
            record(index, new Object[] {setter, x});
        }
    }

    /** {@link #set(int, String, Object...)} of one {@code byte}. */
    void set(int index, String setter, byte x) {
        if (recording) {
            record(index, new Object[] {setter, x});
        }
    }

    /** {@link #set(int, String, Object...)} of one {@code double}. */
    void set(int index, String setter, double x) {
        if (recording) {
            record(index, new Object[] {setter, x});
        }
    }

    /** {@link #set(int, String, Object...)} of one {@code float}. */
    void set(int index, String setter, float x) {
        if (recording) {
            record(index, new Object[] {setter, x});
        }
    }

    /** {@link #set(int, String, Object...)} of one {@code boolean}. */
    void set(int index, String setter, boolean x) {
        if (recording) {
            record(index, new Object[] {setter, x});
        }
    }

    private synchronized void record(int index, Object[] call) {
        byIndex.put(index, call);
    }

    private static Object[] call(String setter, Object[] arguments) {
        Object[] call = new Object[arguments.length + 1];
        call[0] = setter;
        System.arraycopy(arguments, 0, call, 1, arguments.length);
        return call;
    }

    /** The setter calls by parameter index made so far (setter name, then its arguments), as they are now. */
    synchronized Map<Integer, Object[]> snapshot() {
        return recording ? Map.copyOf(byIndex) : null;
    }

    /** A setter call that cannot be made again: its value is used up when read, or it has no known setter. */
    static final class NotReplayable extends Exception {
        NotReplayable(String setter) {
            super(setter);
        }
    }

    /**
     * Makes the setter call {@code call} (as {@link #snapshot} holds it) again on {@code target}'s parameter {@code index},
     * with the same value, type and options the application gave.
     *
     * @throws NotReplayable for a stream, a reader, a LOB, an array, a ref, a row id, XML or a URL
     */
    static void replay(Object[] call, java.sql.PreparedStatement target, int index) throws java.sql.SQLException, NotReplayable {
        String setter = (String) call[0];
        int n = call.length - 1;
        Object x = n > 0 ? call[1] : null;
        switch (setter) {
            case "setString" -> target.setString(index, (String) x);
            case "setNString" -> target.setNString(index, (String) x);
            case "setInt" -> target.setInt(index, (Integer) x);
            case "setLong" -> target.setLong(index, (Long) x);
            case "setShort" -> target.setShort(index, (Short) x);
            case "setByte" -> target.setByte(index, (Byte) x);
            case "setBoolean" -> target.setBoolean(index, (Boolean) x);
            case "setDouble" -> target.setDouble(index, (Double) x);
            case "setFloat" -> target.setFloat(index, (Float) x);
            case "setBigDecimal" -> target.setBigDecimal(index, (BigDecimal) x);
            case "setBytes" -> target.setBytes(index, x == null ? null : ((byte[]) x).clone());
            case "setDate" -> {
                if (n == 1) {
                    target.setDate(index, (java.sql.Date) x);
                } else {
                    target.setDate(index, (java.sql.Date) x, (Calendar) call[2]);
                }
            }
            case "setTime" -> {
                if (n == 1) {
                    target.setTime(index, (java.sql.Time) x);
                } else {
                    target.setTime(index, (java.sql.Time) x, (Calendar) call[2]);
                }
            }
            case "setTimestamp" -> {
                if (n == 1) {
                    target.setTimestamp(index, (java.sql.Timestamp) x);
                } else {
                    target.setTimestamp(index, (java.sql.Timestamp) x, (Calendar) call[2]);
                }
            }
            case "setNull" -> {
                if (n == 1) {
                    target.setNull(index, (Integer) x);
                } else {
                    target.setNull(index, (Integer) x, (String) call[2]);
                }
            }
            case "setObject" -> {
                if (x != null && !(canonical(x) != null || x instanceof java.time.temporal.TemporalAccessor)) {
                    throw new NotReplayable(setter); // a stream, a LOB, an array or an object of a class of the driver's
                }
                if (n == 1) {
                    target.setObject(index, x);
                } else if (n == 2 && call[2] instanceof Integer type) {
                    target.setObject(index, x, type);
                } else if (n == 2 && call[2] instanceof java.sql.SQLType type) {
                    target.setObject(index, x, type);
                } else if (n == 3 && call[2] instanceof Integer type) {
                    target.setObject(index, x, type, (Integer) call[3]);
                } else if (n == 3 && call[2] instanceof java.sql.SQLType type) {
                    target.setObject(index, x, type, (Integer) call[3]);
                } else {
                    throw new NotReplayable(setter);
                }
            }
            default -> throw new NotReplayable(setter);
        }
    }

    void clear() {
        if (recording) {
            synchronized (this) {
                byIndex.clear();
                byName.clear();
            }
        }
    }

    /** {@link #digest()}: the statement's values as an execution asks for them, the statement's one supplier of them. */
    @Override
    public String get() {
        return digest();
    }

    /** The digest of the values bound now, in hex; {@link StatementBinding#NO_PARAMETERS} when none is bound. */
    synchronized String digest() {
        if (!recording) {
            return opaque();
        }
        return digestOf(byIndex, byName);
    }

    /**
     * The digest of the values a {@link #snapshot} holds (a batch entry's), as {@link #digest()} gives it for the same
     * values bound now; {@linkplain #opaque() opaque} for {@code null} (values not noted).
     */
    static String digestOf(Map<Integer, Object[]> snapshot) {
        return snapshot == null ? opaque() : digestOf(new TreeMap<>(snapshot), Map.of());
    }

    private static String digestOf(Map<Integer, Object[]> byIndex, Map<String, Object[]> byName) {
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
