/**
 * Mask functions: how a sensitive value is shown to someone who may not see it.
 *
 * <p>A policy names a function and its parameters; {@link io.governed.masking.MaskerRegistry}
 * checks them when the policy is loaded and returns a {@link io.governed.masking.MaskFunction},
 * which the result-set wrapper applies to each value. Functions keep the value's type or refuse
 * with {@link io.governed.masking.UnmaskableValueException}. New functions plug in as
 * {@link io.governed.masking.Masker} services; the built-in ones are in the {@code builtin}
 * sub-package.
 */
package io.governed.masking;
