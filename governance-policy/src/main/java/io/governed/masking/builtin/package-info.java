/**
 * The built-in mask functions, listed in {@link io.governed.masking.builtin.BuiltInMaskers}.
 */
package io.governed.masking.builtin;
