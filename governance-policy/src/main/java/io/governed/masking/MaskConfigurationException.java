package io.governed.masking;

/**
 * A mask in a policy is configured wrongly: an unknown function, an unknown or missing parameter,
 * a parameter of the wrong type, or a key that cannot be read. Raised when the policy is loaded,
 * never when a value is masked. The policy loader adds the file, line and column.
 */
public class MaskConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String function;
    private final String parameter;

    /**
     * @param function  the mask function's name as written in the policy
     * @param parameter the parameter at fault, or {@code null} when the function itself is
     * @param message   what is wrong and how to fix it
     */
    public MaskConfigurationException(String function, String parameter, String message) {
        super(message);
        this.function = function;
        this.parameter = parameter;
    }

    /** The mask function's name as written in the policy. */
    public String function() {
        return function;
    }

    /** The parameter at fault, or {@code null} when the function itself is. */
    public String parameter() {
        return parameter;
    }
}
