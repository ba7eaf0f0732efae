package io.governed.sql;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.governed.identity.Identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@link RowFilterRewriter#rewrite} remembered per statement text, dialect and what the caller's filters make of the
 * caller: the filters' ids and the identity values they read (principal, groups, attributes). A kept prepared
 * statement, or an application's statement run again, is parsed and rewritten once, not at every execution.
 *
 * <p>One cache serves one policy: filters are told apart by id, so a cache must not outlive the policy whose filters
 * it was filled with. A statement whose text cannot name a filtered table is not looked up (nor kept); a refused
 * rewrite is not kept, so its refusal is worked out again, and says again, for each caller, what is missing.
 * Bounded (least recently used entries go first); its upkeep runs on the calling thread.
 */
public final class RowFilterRewriteCache {

    /** Entries kept when no size is given. */
    public static final long DEFAULT_MAXIMUM_SIZE = 10_000;

    /** What a rewrite depends on: the text, the dialect, and per filter its id, its check flag and the values it reads. */
    private record Key(String sql, Dialect dialect, List<Object> filters, boolean forUpdate) {
    }

    private final Cache<Key, RowFilterRewriter.Typed> cache;

    /** @param maximumSize how many rewrites it holds at most (0 keeps none) */
    public RowFilterRewriteCache(long maximumSize) {
        if (maximumSize < 0) {
            throw new IllegalArgumentException("maximumSize must be 0 or more, got " + maximumSize);
        }
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize).recordStats().executor(Runnable::run).build();
    }

    public RowFilterRewriteCache() {
        this(DEFAULT_MAXIMUM_SIZE);
    }

    /**
     * {@link RowFilterRewriter#rewrite}, from the cache when the same text was rewritten for a caller whose filters read
     * the same values.
     *
     * @throws RowFilterRewriter.RefusedException as {@link RowFilterRewriter#rewrite} does
     */
    public RowFilterRewriter.Rewrite rewrite(String sql, Dialect dialect, List<RowFilterRewriter.Filter> filters,
                                             Identity identity) {
        return rewrite(sql, dialect, filters, identity, false);
    }

    /**
     * {@link RowFilterRewriter#rewriteForUpdate} when {@code forUpdate} (a query whose results are updatable), else
     * {@link RowFilterRewriter#rewrite}, from the cache as {@link #rewrite(String, Dialect, List, Identity)} is.
     */
    public RowFilterRewriter.Rewrite rewrite(String sql, Dialect dialect, List<RowFilterRewriter.Filter> filters,
                                             Identity identity, boolean forUpdate) {
        return rewrite(sql, dialect, filters, identity, forUpdate, RowFilterRewriter.ColumnTypes.NONE);
    }

    /**
     * {@link RowFilterRewriter#rewrite(String, Dialect, List, Identity, boolean, RowFilterRewriter.ColumnTypes)}, from
     * the cache as {@link #rewrite(String, Dialect, List, Identity)} is, while every column type the kept rewrite read
     * is still what {@code types} gives: a rewrite made for a column's former type is made again.
     */
    public RowFilterRewriter.Rewrite rewrite(String sql, Dialect dialect, List<RowFilterRewriter.Filter> filters,
                                             Identity identity, boolean forUpdate, RowFilterRewriter.ColumnTypes types) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(types, "types");
        if (filters.isEmpty() || RowFilterRewriter.cannotName(sql, filters)) {
            return null;
        }
        Key key = new Key(sql, dialect, parts(filters, identity), forUpdate);
        RowFilterRewriter.Typed kept = cache.get(key, k -> RowFilterRewriter.rewrite(sql, dialect, filters, identity,
                forUpdate, types));
        if (!holds(kept, types)) {
            kept = RowFilterRewriter.rewrite(sql, dialect, filters, identity, forUpdate, types);
            cache.put(key, kept);
        }
        return kept.rewrite();
    }

    /** Whether every column type {@code kept} read is what {@code types} gives now. */
    private static boolean holds(RowFilterRewriter.Typed kept, RowFilterRewriter.ColumnTypes types) {
        for (RowFilterRewriter.TypeLookup asked : kept.asked()) {
            if (!Objects.equals(asked.type(), types.typeOf(asked.schema(), asked.table(), asked.column()))) {
                return false;
            }
        }
        return true;
    }

    /** The key's part for an attribute {@link RowFilterRewriter#attribute} finds ambiguous: equal to nothing else. */
    private static final Object AMBIGUOUS = new Object();

    private static List<Object> parts(List<RowFilterRewriter.Filter> filters, Identity identity) {
        List<Object> parts = new ArrayList<>();
        for (RowFilterRewriter.Filter filter : filters) {
            parts.add(filter.id());
            parts.add(filter.check());
            for (String reference : filter.condition().references()) {
                if (reference.equals(RowCondition.GROUPS)) {
                    parts.add(List.copyOf(new TreeSet<>(identity.groups())));
                } else if (reference.equals(RowCondition.PRINCIPAL)) {
                    parts.add(identity.principal());
                } else {
                    String value = RowFilterRewriter.attribute(identity, reference);
                    // an ambiguous attribute is refused, and must not share a key with an attribute of that very text
                    parts.add(value == RowFilterRewriter.AMBIGUOUS_ATTRIBUTE ? AMBIGUOUS : Optional.ofNullable(value));
                }
            }
        }
        return parts;
    }

    /** Hits, misses and evictions so far. */
    public CacheStats stats() {
        return cache.stats();
    }

    /** How many rewrites it holds now (approximately). */
    public long size() {
        return cache.estimatedSize();
    }
}
