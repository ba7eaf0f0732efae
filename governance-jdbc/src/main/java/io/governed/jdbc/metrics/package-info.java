/**
 * Micrometer meters for governance: statements by decision and action, database time, governance
 * overhead, masked values, the audit queue and the SQL analysis cache; see
 * {@link io.governed.jdbc.metrics.GovernanceMetrics}.
 */
package io.governed.jdbc.metrics;
