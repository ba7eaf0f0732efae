package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/** Analyses are cached by dialect and fingerprint. */
class AnalysisCacheTest {

    @Test
    void aStatementDifferingOnlyInLiteralsIsAHit() {
        SqlAnalyzer analyzer = new SqlAnalyzer();
        SqlAnalysis first = analyzer.analyze("SELECT * FROM users WHERE id = 1", Dialect.POSTGRESQL);
        SqlAnalysis second = analyzer.analyze("select *   from USERS where id = 42 -- again", Dialect.POSTGRESQL);

        assertThat(second).isSameAs(first);
        AnalysisCacheStats stats = analyzer.cacheStats();
        assertThat(stats.missCount()).isEqualTo(1);
        assertThat(stats.hitCount()).isEqualTo(1);
        assertThat(stats.hitRate()).isEqualTo(0.5);
        assertThat(stats.estimatedSize()).isEqualTo(1);
    }

    @Test
    void aDifferentStatementIsAMiss() {
        SqlAnalyzer analyzer = new SqlAnalyzer();
        analyzer.analyze("SELECT * FROM users WHERE id = 1", Dialect.POSTGRESQL);
        SqlAnalysis other = analyzer.analyze("SELECT * FROM users WHERE id = 1 OR 1 = 1", Dialect.POSTGRESQL);
        assertThat(analyzer.cacheStats().missCount()).isEqualTo(2);
        assertThat(other.statements().get(0).tablesRead()).containsExactly(new TableRef(null, "users"));
    }

    @Test
    void theSameTextInAnotherDialectIsAnalysedAgain() {
        SqlAnalyzer analyzer = new SqlAnalyzer();
        SqlAnalysis pg = analyzer.analyze("SELECT * FROM Users", Dialect.POSTGRESQL);
        SqlAnalysis h2 = analyzer.analyze("SELECT * FROM Users", Dialect.H2);
        assertThat(analyzer.cacheStats().missCount()).isEqualTo(2);
        assertThat(pg.statements().get(0).tablesRead()).containsExactly(new TableRef(null, "users"));
        assertThat(h2.statements().get(0).tablesRead()).containsExactly(new TableRef(null, "USERS"));
    }

    @Test
    void theBoundIsRespected() {
        SqlAnalyzer analyzer = new SqlAnalyzer(5);
        for (int i = 0; i < 50; i++) {
            analyzer.analyze("SELECT c" + i + " FROM t", Dialect.POSTGRESQL);
        }
        analyzer.cache().cleanUp();
        assertThat(analyzer.cacheStats().estimatedSize()).isLessThanOrEqualTo(5);
        assertThat(analyzer.cacheStats().evictionCount()).isGreaterThanOrEqualTo(45);
    }

    @Test
    void aZeroSizedCacheStillAnalyses() {
        SqlAnalyzer analyzer = new SqlAnalyzer(0);
        assertThat(analyzer.analyze("DELETE FROM t", Dialect.POSTGRESQL).statements().get(0).where())
                .isEqualTo(WhereKind.ABSENT);
    }

    @Test
    void aNegativeBoundIsRejectedWithTheReason() {
        assertThatThrownBy(() -> new SqlAnalyzer(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maximumCacheSize must be 0 or more");
    }

    @Test
    void concurrentAnalysesAgreeAndNeverThrow() throws Exception {
        SqlAnalyzer analyzer = new SqlAnalyzer(100);
        String[] texts = {
            "DELETE FROM t WHERE id = %d",
            "DELETE FROM t WHERE %d = %d",
            "SELECT a FROM t WHERE b = %d; DROP TABLE t",
            "UPDATE t SET a = %d",
            "SELECT '%d",
        };
        WhereKind[] expectedWhere = {WhereKind.PRESENT, WhereKind.ALWAYS_TRUE, WhereKind.NOT_APPLICABLE, WhereKind.ABSENT, null};
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int seed = t;
                tasks.add(() -> {
                    for (int i = 0; i < 300; i++) {
                        int k = (i + seed) % texts.length;
                        SqlAnalysis a = analyzer.analyze(String.format(texts[k], i, i + seed), Dialect.POSTGRESQL);
                        boolean ok = expectedWhere[k] == null ? !a.parsed()
                                : a.parsed() && a.statements().get(0).where() == expectedWhere[k];
                        if (!ok) {
                            return false;
                        }
                    }
                    return true;
                });
            }
            for (Future<Boolean> result : pool.invokeAll(tasks)) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(analyzer.cacheStats().missCount()).isEqualTo(texts.length);
    }
}
