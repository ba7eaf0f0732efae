package io.governed.policy.load;

import java.util.Set;

/** A catalog registered for the tests, as an extension would register its mask functions. */
public class TokenizeMaskFunctions implements MaskFunctionCatalog {

    @Override
    public Set<String> functionNames() {
        return Set.of("tokenize");
    }

    @Override
    public Set<String> parameterNames(String function) {
        return Set.of("vault");
    }
}
