package io.governed.benchmarks;

import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.SqlFingerprint;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.StringProvider;
import net.sf.jsqlparser.statement.Statements;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What SQL analysis costs on a statement of about 200 characters (a two-table join with a bounded
 * WHERE, an ORDER BY and a LIMIT):
 * <ul>
 *   <li>{@link #fingerprint}: the literal-free fingerprint alone, the cache key's main part;</li>
 *   <li>{@link #analyzeCacheHit}: {@link SqlAnalyzer#analyze} when the cache holds the statement's
 *       shape; the texts differ in their literals, as ad-hoc statements do, and all hit one entry;</li>
 *   <li>{@link #analyzeCold}: a full analysis, with the cache disabled and texts of distinct shapes;</li>
 *   <li>{@link #parseWithJsqlParser}: a bare JSQLParser parse of the same texts, the floor under a
 *       cold analysis.</li>
 * </ul>
 * The tear-down checks the cache statistics, so a cache that hits when it should miss (or misses
 * when it should hit) fails the run instead of reporting a wrong number.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AnalysisBenchmark {

    /** 207 characters with a four-digit alias suffix and id; both {@code %d} vary between texts. */
    private static final String STATEMENT = "SELECT a.id, a.name, a.email, a.balance AS balance_%d, o.total, o.created_at "
            + "FROM accounts a JOIN orders o ON o.account_id = a.id "
            + "WHERE a.id = %d AND o.status = 'open' ORDER BY o.created_at DESC LIMIT 20";

    /** How many texts each benchmark cycles through; a power of two. */
    private static final int TEXTS = 1024;

    private final String[] sameShapeTexts = new String[TEXTS];
    private final String[] distinctShapeTexts = new String[TEXTS];
    private SqlAnalyzer cachingAnalyzer;
    private SqlAnalyzer nonCachingAnalyzer;
    private int next;

    @Setup(Level.Trial)
    public void prepareTexts() {
        for (int i = 0; i < TEXTS; i++) {
            sameShapeTexts[i] = String.format(STATEMENT, 1000, 1000 + i);
            distinctShapeTexts[i] = String.format(STATEMENT, 1000 + i, 1000);
        }
        cachingAnalyzer = new SqlAnalyzer();
        nonCachingAnalyzer = new SqlAnalyzer(0);
        SqlAnalysis sample = cachingAnalyzer.analyze(sameShapeTexts[0], Dialect.H2);
        if (!sample.parsed()) {
            throw new IllegalStateException("The benchmark statement does not analyse: " + sample.parseError());
        }
    }

    @TearDown(Level.Trial)
    public void checkTheCacheDidWhatWasMeasured() {
        long coldHits = nonCachingAnalyzer.cacheStats().hitCount();
        if (coldHits > 0) {
            throw new IllegalStateException("analyzeCold hit the cache " + coldHits + " times: it did not measure cold analysis");
        }
        long misses = cachingAnalyzer.cacheStats().missCount();
        if (misses != 1) {
            throw new IllegalStateException("analyzeCacheHit missed the cache " + misses
                    + " times (1 expected, in set-up): its texts do not share one fingerprint");
        }
    }

    @Benchmark
    public String fingerprint() {
        return SqlFingerprint.of(sameShapeTexts[nextIndex()], Dialect.H2);
    }

    @Benchmark
    public SqlAnalysis analyzeCacheHit() {
        return cachingAnalyzer.analyze(sameShapeTexts[nextIndex()], Dialect.H2);
    }

    @Benchmark
    public SqlAnalysis analyzeCold() {
        return nonCachingAnalyzer.analyze(distinctShapeTexts[nextIndex()], Dialect.H2);
    }

    @Benchmark
    public Statements parseWithJsqlParser() throws ParseException {
        return new CCJSqlParser(new StringProvider(distinctShapeTexts[nextIndex()])).Statements();
    }

    private int nextIndex() {
        next = (next + 1) & (TEXTS - 1);
        return next;
    }
}
