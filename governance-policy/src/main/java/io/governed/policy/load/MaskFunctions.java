package io.governed.policy.load;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** The mask functions a policy may use: the built-in ones plus those of every {@link MaskFunctionCatalog} found. */
final class MaskFunctions {

    /** Built-in function names and their parameters. */
    static final Map<String, Set<String>> BUILT_IN = Map.of(
            "redact", Set.of(),
            "partial", Set.of("keep-first", "keep-last"),
            "email", Set.of(),
            "hash", Set.of(),
            "null", Set.of(),
            "default", Set.of("value"),
            "year", Set.of(),
            "bucket", Set.of("size"));

    private final Map<String, Set<String>> parameters;

    private MaskFunctions(Map<String, Set<String>> parameters) {
        this.parameters = parameters;
    }

    /** The built-in functions and those of the catalogs {@link ServiceLoader} finds. */
    static MaskFunctions discover() {
        Map<String, Set<String>> all = new TreeMap<>(BUILT_IN);
        for (MaskFunctionCatalog catalog : ServiceLoader.load(MaskFunctionCatalog.class, MaskFunctions.class.getClassLoader())) {
            for (String name : catalog.functionNames()) {
                all.putIfAbsent(name, Set.copyOf(catalog.parameterNames(name)));
            }
        }
        return new MaskFunctions(all);
    }

    boolean known(String function) {
        return parameters.containsKey(function);
    }

    Set<String> names() {
        return parameters.keySet();
    }

    /** The parameter keys of a known function. */
    Set<String> parametersOf(String function) {
        return parameters.getOrDefault(function, Set.of());
    }
}
