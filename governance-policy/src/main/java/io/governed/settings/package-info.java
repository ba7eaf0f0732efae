/**
 * Reading what people write in settings and policy files, with the same rules and the same kind of
 * error message everywhere: durations and sizes ({@link io.governed.settings.Quantities}) and the
 * known name a misspelt one was probably meant to be ({@link io.governed.settings.DidYouMean}).
 */
package io.governed.settings;
