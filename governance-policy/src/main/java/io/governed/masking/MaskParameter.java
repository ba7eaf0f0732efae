package io.governed.masking;

import java.util.List;
import java.util.Objects;

/**
 * A parameter a mask function accepts, as written in a policy's mask next to {@code function}.
 *
 * @param name        the parameter's name, in kebab case ({@code keep-last})
 * @param type        the type of its value
 * @param required    whether a mask must give it
 * @param choices     for {@link ParameterType#CHOICE}, the accepted words (lower case); otherwise empty
 * @param description what it does, for error messages and documentation
 */
public record MaskParameter(String name, ParameterType type, boolean required, List<String> choices, String description) {
    public MaskParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        choices = List.copyOf(choices);
        if ((type == ParameterType.CHOICE) == choices.isEmpty()) {
            throw new IllegalArgumentException("Parameter " + name + ": choices are given exactly for CHOICE parameters");
        }
    }

    /** An optional parameter. */
    public static MaskParameter optional(String name, ParameterType type, String description) {
        return new MaskParameter(name, type, false, List.of(), description);
    }

    /** A required parameter. */
    public static MaskParameter required(String name, ParameterType type, String description) {
        return new MaskParameter(name, type, true, List.of(), description);
    }

    /** An optional parameter whose value is one of some words. */
    public static MaskParameter choice(String name, List<String> choices, String description) {
        return new MaskParameter(name, ParameterType.CHOICE, false, choices, description);
    }
}
