package io.governed.masking;

/**
 * A mask function was given a value it cannot mask while keeping the value's type. Carries the
 * function and the value's type, never the value.
 */
public class UnmaskableValueException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String function;
    private final Class<?> valueType;

    /**
     * @param function  the mask function's name
     * @param valueType the type it could not mask
     * @param hint      how to fix it, e.g. "use redact, null or hash for this column"
     */
    public UnmaskableValueException(String function, Class<?> valueType, String hint) {
        super("Mask function '" + function + "' cannot mask a value of type " + valueType.getSimpleName() + "; " + hint);
        this.function = function;
        this.valueType = valueType;
    }

    /** The mask function's name. */
    public String function() {
        return function;
    }

    /** The type of the value it could not mask. */
    public Class<?> valueType() {
        return valueType;
    }
}
