package io.governed.masking;

import java.util.Map;

/** Builds mask functions the way a policy does: a function name and its parameters. */
final class Masks {
    private Masks() {
    }

    static MaskFunction mask(String function, Map<String, ?> parameters) {
        return MaskerRegistry.builtIn().create(function, parameters);
    }

    static MaskFunction mask(String function) {
        return mask(function, Map.of());
    }
}
