package io.governed.policy.pattern;

/** A table or column pattern that does not follow the pattern syntax; the message says what is wrong and how to write it. */
public class InvalidPatternException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidPatternException(String message) {
        super(message);
    }
}
