package io.governed.sql;

/**
 * A snapshot of the analysis cache's statistics.
 *
 * @param hitCount      lookups answered from the cache
 * @param missCount     lookups that had to analyse
 * @param evictionCount entries evicted to respect the bound
 * @param estimatedSize entries held now (approximate)
 * @param hitRate       hits / lookups, 1.0 when there were none
 */
public record AnalysisCacheStats(long hitCount, long missCount, long evictionCount, long estimatedSize, double hitRate) {
}
