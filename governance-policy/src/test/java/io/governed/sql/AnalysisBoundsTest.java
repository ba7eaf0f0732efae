package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.engine.PolicyEngine;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Pathological statements are refused as unanalysable, with a message naming the limit, instead of
 * keeping the analyser busy: deep parentheses, nested CASE chains, nested subqueries, huge texts.
 */
class AnalysisBoundsTest {

    private static final SqlAnalyzer DEFAULTS = new SqlAnalyzer();

    private static void assertRefused(SqlAnalysis analysis, String setting) {
        assertThat(analysis.parsed()).isFalse();
        assertThat(analysis.parseError()).startsWith(SqlAnalyzer.UNANALYSABLE).contains(setting);
    }

    @Test
    void deepParenthesesAreRefusedByDepth() {
        String deep = "SELECT " + "(".repeat(129) + "1" + ")".repeat(129);
        assertRefused(DEFAULTS.analyze(deep, Dialect.POSTGRESQL), "governed.analysis.max-depth");
        assertThat(DEFAULTS.analyze("SELECT " + "(".repeat(100) + "1" + ")".repeat(100), Dialect.POSTGRESQL).parsed())
                .isTrue();
    }

    @Test
    void nestedCaseExpressionsCountAsDepth() {
        String nested = "SELECT " + "CASE WHEN a = 1 THEN ".repeat(200) + "0" + " ELSE 1 END".repeat(200) + " FROM t";
        SqlAnalysis analysis = DEFAULTS.analyze(nested, Dialect.POSTGRESQL);
        assertRefused(analysis, "governed.analysis.max-depth");
        assertThat(analysis.parseError()).contains("200 levels deep");
    }

    @Test
    void aLongNotChainCountsAsDepth() {
        SqlAnalysis analysis = DEFAULTS.analyze("SELECT 1 FROM t WHERE " + "NOT ".repeat(1000) + "a = 1", Dialect.POSTGRESQL);
        assertRefused(analysis, "governed.analysis.max-depth");
        assertThat(analysis.parseError()).contains("1000 levels deep");
        assertThat(DEFAULTS.analyze("SELECT 1 FROM t WHERE NOT NOT a = 1 AND NOT b = 2 AND NOT c = 3", Dialect.POSTGRESQL)
                .parsed()).isTrue();
    }

    @Test
    void aWriteConditionNestingOrInAndInOrIsClassifiedInTimeLinearInItsDepth() {
        String condition = "id = 0";
        for (int i = 1; i <= 120; i++) {
            condition = "(" + condition + (i % 2 == 1 ? " OR " : " AND ") + "id = " + i + ")";
        }
        String sql = "DELETE FROM t WHERE " + condition;
        long started = System.nanoTime();
        SqlAnalysis analysis = new SqlAnalyzer().analyze(sql, Dialect.POSTGRESQL);
        assertThat(analysis.parsed()).isTrue();
        assertThat(analysis.statements().get(0).where()).isEqualTo(WhereKind.PRESENT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aLongFlatCaseChainIsNotDeep() {
        String chain = "SELECT CASE " + "WHEN a = 1 THEN 1 ".repeat(500) + "ELSE 0 END FROM t";
        assertThat(DEFAULTS.analyze(chain, Dialect.POSTGRESQL).parsed()).isTrue();
    }

    @Test
    void deeplyNestedSubqueriesAreRefused() {
        String nested = "SELECT * FROM " + "(SELECT * FROM ".repeat(150) + "t" + ") x".repeat(150);
        assertRefused(DEFAULTS.analyze(nested, Dialect.POSTGRESQL), "governed.analysis.max-depth");
        String inWhere = "DELETE FROM t WHERE id IN " + "(SELECT id FROM t WHERE id IN ".repeat(140) + "(1)" + ")".repeat(140);
        assertRefused(DEFAULTS.analyze(inWhere, Dialect.POSTGRESQL), "governed.analysis.max-depth");
    }

    @Test
    void aHugeInListIsRefusedBySize() {
        SqlAnalyzer analyzer = new SqlAnalyzer(100, AnalysisLimits.DEFAULTS.withMaxLength(64 * 1024));
        String huge = "SELECT * FROM t WHERE id IN (" + "1, ".repeat(50_000) + "2)";
        assertRefused(analyzer.analyze(huge, Dialect.POSTGRESQL), "governed.analysis.max-length");
    }

    @Test
    void theDepthLimitIsConfigurable() {
        SqlAnalyzer shallow = new SqlAnalyzer(100, AnalysisLimits.DEFAULTS.withMaxDepth(3));
        assertThat(shallow.analyze("SELECT ((1))", Dialect.H2).parsed()).isTrue();
        SqlAnalysis refused = shallow.analyze("SELECT ((((1))))", Dialect.H2);
        assertRefused(refused, "governed.analysis.max-depth");
        assertThat(refused.parseError()).contains("limit of 3");
    }

    @Test
    void aStatementOverTheTimeLimitIsRefusedAndNotCached() {
        SqlAnalyzer hurried = new SqlAnalyzer(100, AnalysisLimits.DEFAULTS.withMaxTime(Duration.ofNanos(1)));
        SqlAnalysis analysis = hurried.analyze("SELECT a FROM t WHERE id = 1", Dialect.POSTGRESQL);
        assertRefused(analysis, "governed.analysis.max-time");
        assertThat(hurried.cacheStats().estimatedSize()).isZero();
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new AnalysisLimits(0, 1, Duration.ofSeconds(1))).hasMessageContaining("depth");
        assertThatThrownBy(() -> new AnalysisLimits(1, 0, Duration.ofSeconds(1))).hasMessageContaining("length");
        assertThatThrownBy(() -> new AnalysisLimits(1, 1, Duration.ZERO)).hasMessageContaining("time");
    }

    @Test
    void anUnanalysableStatementIsDeniedByTheBaselineAndSaysWhy() {
        PolicyEngine baseline = new PolicyEngine(PolicyLoader.baseline());
        SqlAnalysis deep = DEFAULTS.analyze("DELETE FROM t WHERE id = " + "(".repeat(300) + "1" + ")".repeat(300),
                Dialect.POSTGRESQL);
        Decision decision = baseline.decide(Identity.builder("a").build(), deep);
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
    }

    /** Random pathological shapes (seeded): each is refused or analysed, never thrown, each time. */
    @TestFactory
    Stream<DynamicTest> randomPathologicalShapesEndInABoundedVerdict() {
        Random random = new Random(8_11);
        return IntStream.range(0, 30).mapToObj(i -> {
            int depth = 100 + random.nextInt(400);
            String sql = switch (random.nextInt(4)) {
                case 0 -> "SELECT " + "(".repeat(depth) + "a" + ")".repeat(depth) + " FROM t";
                case 1 -> "SELECT " + "CASE WHEN b THEN ".repeat(depth) + "1" + " END".repeat(depth) + " FROM t";
                case 2 -> "SELECT * FROM t WHERE a IN " + "(SELECT a FROM t WHERE a IN ".repeat(depth) + "(1)"
                        + ")".repeat(depth);
                default -> "SELECT " + "coalesce(".repeat(depth) + "a" + ", 1)".repeat(depth) + " FROM t";
            };
            return DynamicTest.dynamicTest("shape " + i + " depth " + depth, () -> {
                SqlAnalysis analysis = DEFAULTS.analyze(sql, Dialect.POSTGRESQL);
                if (depth > AnalysisLimits.DEFAULT_MAX_DEPTH) {
                    assertRefused(analysis, "governed.analysis.max-depth");
                } else {
                    assertThat(analysis.parsed() || analysis.parseError().startsWith(SqlAnalyzer.UNANALYSABLE)).isTrue();
                }
            });
        });
    }
}
