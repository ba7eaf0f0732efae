/**
 * The built-in detectors ({@link io.governed.classification.detectors.BuiltInDetectors}) and the
 * value checks behind them, one class per kind of value, each validating rather than pattern
 * matching: card numbers (issuer ranges and Luhn), IBANs (country lengths and mod 97), US social
 * security numbers, e-mail addresses, bearer tokens, access keys and phone numbers.
 */
package io.governed.classification.detectors;
