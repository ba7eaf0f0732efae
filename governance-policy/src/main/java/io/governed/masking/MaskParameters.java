package io.governed.masking;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A mask's parameter values, checked against what its function accepts: every name known, every
 * required one present, every value of the declared type. Integers are {@code Integer}, decimals
 * {@code BigDecimal}, choices lower-case {@code String}.
 */
public final class MaskParameters {
    private final String function;
    private final Map<String, Object> values;

    private MaskParameters(String function, Map<String, Object> values) {
        this.function = function;
        this.values = values;
    }

    /**
     * Checks the parameters a policy gives a mask function.
     *
     * @param function the function's name, for messages
     * @param accepted the parameters the function accepts
     * @param given    the parameters as read from the policy
     * @throws MaskConfigurationException naming the first parameter at fault and what it should be
     */
    public static MaskParameters validate(String function, List<MaskParameter> accepted, Map<String, ?> given) {
        Map<String, MaskParameter> byName = accepted.stream().collect(Collectors.toMap(MaskParameter::name, p -> p));
        Map<String, Object> values = new HashMap<>();
        for (Map.Entry<String, ?> e : given.entrySet()) {
            MaskParameter p = byName.get(e.getKey());
            if (p == null) {
                throw new MaskConfigurationException(function, e.getKey(), "Mask function '" + function
                        + "' has no parameter '" + e.getKey() + "'; " + describe(accepted));
            }
            values.put(p.name(), convert(function, p, e.getValue()));
        }
        for (MaskParameter p : accepted) {
            if (p.required() && !values.containsKey(p.name())) {
                throw new MaskConfigurationException(function, p.name(), "Mask function '" + function
                        + "' needs parameter '" + p.name() + "' (" + p.type().description() + ": " + p.description() + ")");
            }
        }
        return new MaskParameters(function, Map.copyOf(values));
    }

    /** The function these parameters are for. */
    public String function() {
        return function;
    }

    /** Whether the parameter was given. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** An {@link ParameterType#INTEGER} parameter, or the fallback when not given. */
    public int integer(String name, int fallback) {
        Object v = values.get(name);
        return v == null ? fallback : (Integer) v;
    }

    /** A {@link ParameterType#DECIMAL} parameter, or {@code null} when not given. */
    public BigDecimal decimal(String name) {
        return (BigDecimal) values.get(name);
    }

    /** A {@link ParameterType#STRING} or {@link ParameterType#CHOICE} parameter, or the fallback when not given. */
    public String string(String name, String fallback) {
        Object v = values.get(name);
        return v == null ? fallback : (String) v;
    }

    /** A {@link ParameterType#BOOLEAN} parameter, or the fallback when not given. */
    public boolean bool(String name, boolean fallback) {
        Object v = values.get(name);
        return v == null ? fallback : (Boolean) v;
    }

    /** An error about one of these parameters, for a function's own checks. */
    public MaskConfigurationException error(String parameter, String message) {
        return new MaskConfigurationException(function, parameter,
                "Mask function '" + function + "', parameter '" + parameter + "': " + message);
    }

    private static Object convert(String function, MaskParameter p, Object raw) {
        Object converted = switch (p.type()) {
            case INTEGER -> toInteger(raw);
            case DECIMAL -> toDecimal(raw);
            case STRING -> raw instanceof String s ? s : null;
            case BOOLEAN -> raw instanceof Boolean b ? b : null;
            case CHOICE -> raw instanceof String s && p.choices().contains(s.toLowerCase(Locale.ROOT))
                    ? s.toLowerCase(Locale.ROOT) : null;
        };
        if (converted == null) {
            String expected = p.type() == ParameterType.CHOICE
                    ? "one of " + String.join(", ", p.choices())
                    : p.type().description();
            throw new MaskConfigurationException(function, p.name(), "Mask function '" + function + "', parameter '"
                    + p.name() + "' must be " + expected + ", not " + shown(raw));
        }
        return converted;
    }

    private static Integer toInteger(Object raw) {
        if (raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).intValue();
        }
        if (raw instanceof Long l && l == l.intValue()) {
            return l.intValue();
        }
        if (raw instanceof BigInteger b && b.bitLength() < 32) {
            return b.intValue();
        }
        return null;
    }

    private static BigDecimal toDecimal(Object raw) {
        if (raw instanceof BigDecimal d) {
            return d;
        }
        if (raw instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            return BigDecimal.valueOf(((Number) raw).longValue());
        }
        if ((raw instanceof Double || raw instanceof Float) && Double.isFinite(((Number) raw).doubleValue())) {
            return new BigDecimal(raw.toString());
        }
        return null;
    }

    private static String shown(Object raw) {
        if (raw == null) {
            return "an empty value";
        }
        String type = raw instanceof String ? "text" : raw instanceof Number ? "a number"
                : raw instanceof Boolean ? "true/false" : raw instanceof List ? "a list" : raw instanceof Map ? "a mapping"
                : raw.getClass().getSimpleName();
        return type + " (" + raw + ")";
    }

    private static String describe(List<MaskParameter> accepted) {
        if (accepted.isEmpty()) {
            return "it takes no parameters";
        }
        return "its parameters are " + accepted.stream().map(MaskParameter::name).collect(Collectors.joining(", "));
    }
}
