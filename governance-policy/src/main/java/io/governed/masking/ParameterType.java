package io.governed.masking;

/** The type of a mask parameter's value, as written in a YAML or JSON policy. */
public enum ParameterType {
    /** A whole number that fits in an {@code int}: {@code keep-last: 4}. */
    INTEGER("a whole number"),
    /** Any number: {@code width: 2.5}. */
    DECIMAL("a number"),
    /** Text: {@code key-env: MASK_KEY}. */
    STRING("text"),
    /** {@code true} or {@code false}. */
    BOOLEAN("true or false"),
    /** One of a fixed set of words: {@code encoding: hex}. */
    CHOICE("one of the listed words");

    private final String description;

    ParameterType(String description) {
        this.description = description;
    }

    /** How the type is described in error messages. */
    public String description() {
        return description;
    }
}
