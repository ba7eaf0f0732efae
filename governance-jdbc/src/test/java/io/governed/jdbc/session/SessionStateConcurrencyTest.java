package io.governed.jdbc.session;

import io.governed.jdbc.support.UniqueNames;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.names.NameResolver;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection shared across threads: one thread changes the session (a statement that may change name resolution
 * runs, or is batched and the batch then runs) while others ask the questions every statement asks, which are
 * answered without the session's monitor while nothing is pending. Whatever the interleaving, a question asked wholly
 * after a change gets nothing from before it: no reading handed out before a renewal, and no reading at all while a
 * batch entry that may change the session waits to run. (A question asked while a change is being made may be
 * answered as before the change, as if it had been asked first.)
 */
class SessionStateConcurrencyTest {
    private static final int CHANGES = 4_000;
    private static final int ASKERS = 2;
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    @Test
    void aQuestionAskedAfterAChangeGetsNothingFromBeforeIt() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + UniqueNames.of("session-threads"), "sa", "")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t(id INT PRIMARY KEY, a INT)");
            }
            SessionState session = new SessionState(c, Dialect.H2);
            SqlAnalysis changing = analyzer.analyze("SET SCHEMA_SEARCH_PATH PUBLIC", Dialect.H2);
            SqlAnalysis harmless = analyzer.analyze("SELECT a FROM t WHERE id = ?", Dialect.H2);
            // readings[k]: the reading in force after the k-th change, recorded before the change is announced
            AtomicReferenceArray<NameResolver> readings = new AtomicReferenceArray<>(CHANGES + 1);
            readings.set(0, session.current(System.nanoTime()));
            // the number of the last change made; negative while a batch entry that may change the session waits
            Announced announced = new Announced();
            ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> askers = new ArrayList<>();
            for (int n = 0; n < ASKERS; n++) {
                Thread asker = new Thread(() -> {
                    try {
                        start.await();
                        while (!announced.done) {
                            int before = announced.change;
                            NameResolver now = session.current(System.nanoTime());
                            session.mayRunCodeThroughRelations(harmless);
                            int after = announced.change;
                            if (before < 0 && after == before && now != NameResolver.unknown()) {
                                wrong.add("a reading handed out while batch entry " + -before + " waited to run");
                            }
                            for (int k = 0; k < Math.abs(before) && now != NameResolver.unknown(); k++) {
                                if (readings.get(k) == now) {
                                    wrong.add("the reading of change " + k + " handed out after change " + Math.abs(before));
                                    break;
                                }
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                asker.start();
                askers.add(asker);
            }
            start.countDown();
            for (int k = 1; k <= CHANGES; k++) {
                if (k % 3 == 0) {
                    session.batched(changing);
                    announced.change = -k;
                    for (long until = System.nanoTime() + 20_000; System.nanoTime() < until; ) {
                        Thread.onSpinWait(); // the batch waits a while, for the askers to ask while it does
                    }
                    announced.change = k - 1; // the batch is about to run: its waiting is over
                    session.settledThenRunning(harmless, true);
                } else {
                    session.settledThenRunning(changing, true);
                }
                readings.set(k, session.current(System.nanoTime()));
                announced.change = k;
            }
            announced.done = true;
            for (Thread asker : askers) {
                asker.join();
            }
            assertThat(wrong).as("answers from before a change, asked after it").isEmpty();
            assertThat(readings.get(CHANGES)).isNotSameAs(readings.get(CHANGES - 1)).isNotSameAs(NameResolver.unknown());
        }
    }

    /** What the changing thread announces, read by the asking ones. */
    private static final class Announced {
        volatile int change;
        volatile boolean done;
    }
}
