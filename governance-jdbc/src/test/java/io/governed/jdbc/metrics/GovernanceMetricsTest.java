package io.governed.jdbc.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.DeliveryMode;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditSink;
import io.governed.jdbc.audit.TestEvents;
import io.governed.sql.Action;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class GovernanceMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GovernanceMetrics metrics = new GovernanceMetrics(registry);

    @Test
    void countsStatementsByDecisionAndAction() {
        metrics.statement(AuditDecision.ALLOW, Action.SELECT);
        metrics.statement(AuditDecision.ALLOW, Action.SELECT);
        metrics.statement(AuditDecision.DENY, Action.DROP);
        metrics.statement(AuditDecision.PENDING_APPROVAL, Action.ALTER);

        assertThat(registry.get(GovernanceMetrics.STATEMENTS).tags("decision", "allow", "action", "select").counter().count()).isEqualTo(2);
        assertThat(registry.get(GovernanceMetrics.STATEMENTS).tags("decision", "deny", "action", "drop").counter().count()).isEqualTo(1);
        assertThat(registry.get(GovernanceMetrics.STATEMENTS).tags("decision", "pending_approval", "action", "alter").counter().count()).isEqualTo(1);
        assertThat(registry.find(GovernanceMetrics.STATEMENTS).tags("decision", "deny", "action", "select").counter())
                .as("no series for a pair that never happened").isNull();
    }

    @Test
    void aCompositeRegistryThatGainsARegistryLaterShowsWhatHappensFromThenOn() {
        io.micrometer.core.instrument.composite.CompositeMeterRegistry composite =
                new io.micrometer.core.instrument.composite.CompositeMeterRegistry();
        GovernanceMetrics onComposite = new GovernanceMetrics(composite);
        onComposite.statement(AuditDecision.ALLOW, Action.SELECT); // nothing keeps these
        onComposite.databaseTime(1_000);
        onComposite.overhead(1_000);

        SimpleMeterRegistry child = new SimpleMeterRegistry();
        composite.add(child);
        onComposite.statement(AuditDecision.ALLOW, Action.SELECT);
        onComposite.databaseTime(2_000);
        onComposite.overhead(3_000);

        assertThat(child.get(GovernanceMetrics.STATEMENTS).tags("decision", "allow", "action", "select").counter().count()).isEqualTo(1);
        assertThat(child.get(GovernanceMetrics.DATABASE_TIME).timer().count()).isEqualTo(1);
        assertThat(child.get(GovernanceMetrics.DATABASE_TIME).timer().totalTime(TimeUnit.NANOSECONDS)).isEqualTo(2_000);
        assertThat(child.get(GovernanceMetrics.OVERHEAD).timer().totalTime(TimeUnit.NANOSECONDS)).isEqualTo(3_000);
    }

    @Test
    void countsCorrectlyFromManyThreads() throws Exception {
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    metrics.statement(AuditDecision.ALLOW, Action.INSERT);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }

        assertThat(registry.get(GovernanceMetrics.STATEMENTS).tags("decision", "allow", "action", "insert").counter().count())
                .isEqualTo(80_000);
        assertThat(registry.find(GovernanceMetrics.STATEMENTS).counters()).hasSize(1);
    }

    @Test
    void timesDatabaseAndGovernanceSeparatelyAndCountsMaskedValues() {
        metrics.databaseTime(TimeUnit.MILLISECONDS.toNanos(12));
        metrics.databaseTime(TimeUnit.MILLISECONDS.toNanos(8));
        metrics.overhead(TimeUnit.MICROSECONDS.toNanos(30));
        metrics.maskedValues(3);
        metrics.maskedValues(2);

        assertThat(registry.get(GovernanceMetrics.DATABASE_TIME).timer().count()).isEqualTo(2);
        assertThat(registry.get(GovernanceMetrics.DATABASE_TIME).timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(20);
        assertThat(registry.get(GovernanceMetrics.OVERHEAD).timer().totalTime(TimeUnit.MICROSECONDS)).isEqualTo(30);
        assertThat(registry.get(GovernanceMetrics.MASKED_VALUES).counter().count()).isEqualTo(5);
    }

    @Test
    void publishesTheAuditQueueDepthAndDroppedEvents() throws Exception {
        CountDownLatch firstWrite = new CountDownLatch(1);
        AuditSink down = new AuditSink() {
            @Override
            public String describe() {
                return "down";
            }

            @Override
            public void write(List<AuditEvent> events) throws IOException {
                firstWrite.countDown();
                throw new IOException("down");
            }

            @Override
            public void close() {
            }
        };
        try (AuditDispatcher dispatcher = AuditDispatcher.start(List.of(down),
                AuditSettings.defaults().withMode(DeliveryMode.DROP).withQueueCapacity(4).withBatchSize(1)
                        .withCloseTimeout(Duration.ofMillis(100)))) {
            metrics.bind(dispatcher);
            dispatcher.submit(TestEvents.event(0));
            assertThat(firstWrite.await(10, TimeUnit.SECONDS)).isTrue(); // one event held for retries
            for (int i = 1; i < 20; i++) {
                dispatcher.submit(TestEvents.event(i));
            }

            assertThat(registry.get(GovernanceMetrics.AUDIT_QUEUE_DEPTH).gauge().value()).isEqualTo(5);
            assertThat(registry.get(GovernanceMetrics.AUDIT_DROPPED).functionCounter().count()).isEqualTo(15);
        }
    }

    @Test
    void publishesTheAnalysisCacheStatistics() {
        Cache<String, String> cache = metrics.bindAnalysisCache(Caffeine.newBuilder().maximumSize(10).recordStats().build());

        cache.get("select 1", k -> "analysis");
        cache.get("select 1", k -> "analysis");

        assertThat(registry.get("cache.gets").tags("cache", GovernanceMetrics.ANALYSIS_CACHE, "result", "hit")
                .functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("cache.gets").tags("cache", GovernanceMetrics.ANALYSIS_CACHE, "result", "miss")
                .functionCounter().count()).isEqualTo(1);
    }

    @Test
    void usesTheGlobalRegistryByDefault() {
        assertThat(GovernanceMetrics.global().registry()).isSameAs(Metrics.globalRegistry);
    }
}
