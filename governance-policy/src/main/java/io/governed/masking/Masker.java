package io.governed.masking;

import java.util.List;

/**
 * A kind of mask function, named in a policy's {@code function:}; it checks a mask's parameters
 * and builds the {@link MaskFunction} that masks values.
 *
 * <p>Maskers beyond the built-in ones are found with {@link java.util.ServiceLoader}: list the
 * implementing class (public, with a public no-argument constructor) in
 * {@code META-INF/services/io.governed.masking.Masker} of a policy jar. The name must not clash
 * with a built-in one.
 */
public interface Masker {

    /** The name a policy uses for it: lower case, e.g. {@code partial}. */
    String name();

    /** The parameters it accepts; the registry rejects any other before calling {@link #configure}. */
    List<MaskParameter> parameters();

    /**
     * Builds the function for one mask. Everything that can be wrong with the mask (a key that
     * cannot be read, a parameter out of range) must be reported here, at load time.
     *
     * @param parameters  the mask's parameters, already checked against {@link #parameters()}
     * @param environment where to read keys and other configuration that stays out of the policy
     * @throws MaskConfigurationException naming the parameter at fault and how to fix it
     */
    MaskFunction configure(MaskParameters parameters, MaskEnvironment environment);
}
