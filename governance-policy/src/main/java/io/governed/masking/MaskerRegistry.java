package io.governed.masking;

import io.governed.masking.builtin.BuiltInMaskers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mask functions a policy may name: the built-in ones and those policy jars provide as
 * {@link Masker} services. The policy loader calls {@link #create} once per mask, so that every
 * configuration error surfaces at load time.
 */
public final class MaskerRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(MaskerRegistry.class);

    private final Map<String, Masker> maskers;
    private final Set<String> builtIn;
    private final MaskEnvironment environment;

    private MaskerRegistry(List<Masker> builtInMaskers, List<Masker> provided, MaskEnvironment environment) {
        Map<String, Masker> byName = new LinkedHashMap<>();
        for (Masker m : builtInMaskers) {
            byName.put(m.name(), m);
        }
        this.builtIn = Set.copyOf(byName.keySet());
        for (Masker m : provided) {
            Masker clash = byName.putIfAbsent(m.name(), m);
            if (clash != null) {
                throw new IllegalStateException("Mask function name '" + m.name() + "' of " + m.getClass().getName()
                        + " is already taken by " + clash.getClass().getName() + "; give the masker another name");
            }
            LOG.debug("Loaded mask function {} from {}", m.name(), m.getClass().getName());
        }
        this.maskers = Collections.unmodifiableMap(byName);
        this.environment = environment;
    }

    /** The built-in mask functions, reading keys from the process environment and file system. */
    public static MaskerRegistry builtIn() {
        return new MaskerRegistry(BuiltInMaskers.all(), List.of(), MaskEnvironment.system());
    }

    /**
     * The built-in mask functions and every {@link Masker} service visible to the class loader.
     *
     * @throws IllegalStateException when a provided masker's name clashes with another's
     */
    public static MaskerRegistry load(ClassLoader classLoader) {
        List<Masker> provided = new ArrayList<>();
        ServiceLoader.load(Masker.class, classLoader).forEach(provided::add);
        return new MaskerRegistry(BuiltInMaskers.all(), provided, MaskEnvironment.system());
    }

    /** The built-in mask functions and the given ones, reading keys from the given environment. */
    public static MaskerRegistry of(List<Masker> provided, MaskEnvironment environment) {
        return new MaskerRegistry(BuiltInMaskers.all(), provided, environment);
    }

    /** The names a policy may use, sorted. */
    public Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(maskers.keySet()));
    }

    /** The masker of that name. */
    public Optional<Masker> find(String name) {
        return Optional.ofNullable(maskers.get(name));
    }

    /**
     * Configures a mask function for one mask of a policy.
     *
     * @param function   the function's name as written after {@code function:}
     * @param parameters the mask's other settings that are the function's parameters ({@code keep-last: 4})
     * @throws MaskConfigurationException for an unknown function, an unknown, missing or mistyped
     *                                    parameter, or a key that cannot be read; names the parameter
     */
    public MaskFunction create(String function, Map<String, ?> parameters) {
        Masker masker = maskers.get(function);
        if (masker == null) {
            throw new MaskConfigurationException(function, null, "Unknown mask function '" + function
                    + "'; use one of " + String.join(", ", names())
                    + ", or add a masker to the classpath under META-INF/services/" + Masker.class.getName());
        }
        MaskParameters checked = MaskParameters.validate(function, masker.parameters(), parameters);
        MaskFunction configured = masker.configure(checked, environment);
        return builtIn.contains(function) ? configured : new TypeCheckedMaskFunction(function, configured);
    }
}
