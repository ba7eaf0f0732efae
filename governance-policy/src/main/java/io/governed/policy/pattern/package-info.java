/**
 * Table and column patterns ({@code public.*}, {@code *.email}, {@code "Sales"."Q1"}) and how they
 * match names as the database would: unquoted parts folded and compared per {@link io.governed.sql.Dialect},
 * quoted parts exactly, {@code *} any run of characters within a part.
 */
package io.governed.policy.pattern;
