package io.governed.jdbc.routines;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.sql.Dialect;
import io.governed.sql.RoutineCatalog;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What user code shadows is read once a second per database and shared by its connections. When the reading is due,
 * a pool's connections find it due at about the same moment (each at the start of its next transaction): one of them
 * reads the catalog, and the others take its reading, instead of each running the same catalog queries at once.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresShadowedReadingIT {
    private static final int CONNECTIONS = 4;

    @Test
    void connectionsFindingTheReadingDueTogetherReadTheCatalogOnceAndShareIt() throws Exception {
        List<Connection> raws = new ArrayList<>();
        List<AtomicInteger> queries = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                AtomicInteger count = new AtomicInteger();
                queries.add(count);
                raws.add(counting(TestDatabase.POSTGRESQL.connectRaw(), count));
            }
            RoutineCatalog first = PostgresRoutineCatalog.of(raws.get(0), Dialect.POSTGRESQL);
            assertThat(first).isInstanceOf(ShadowedBuiltIns.class);
            Thread.sleep(1_100); // the shared reading is now due for every connection

            queries.forEach(q -> q.set(0));
            CyclicBarrier together = new CyclicBarrier(CONNECTIONS);
            List<Future<RoutineCatalog>> readings = new ArrayList<>();
            for (Connection raw : raws) {
                readings.add(threads.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return PostgresRoutineCatalog.current(first, raw, () -> true);
                }));
            }
            List<RoutineCatalog> seen = new ArrayList<>();
            for (Future<RoutineCatalog> reading : readings) {
                seen.add(reading.get(30, TimeUnit.SECONDS));
            }

            assertThat(queries).as("catalog queries per connection").filteredOn(q -> q.get() > 0).hasSize(1);
            assertThat(seen).as("every connection holds the one reading").allSatisfy(r -> assertThat(r).isSameAs(seen.get(0)));
            assertThat(((ShadowedBuiltIns) seen.get(0)).readAt()).as("read again, not the due reading")
                    .isGreaterThan(System.nanoTime() - TimeUnit.SECONDS.toNanos(1));
        } finally {
            threads.shutdownNow();
            for (Connection raw : raws) {
                raw.close();
            }
        }
    }

    @Test
    void aConnectionReadingTheCatalogAgainRunsPlansTheServerKept() throws Exception {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw()) {
            RoutineCatalog builtIns = PostgresRoutineCatalog.builtInsOf(raw, raw.getMetaData().getURL());
            ShadowedBuiltIns first = ShadowedBuiltIns.read(raw, builtIns, System.nanoTime());
            for (int reading = 0; reading < 7; reading++) {
                ShadowedBuiltIns again = ShadowedBuiltIns.read(raw, builtIns, System.nanoTime(), first);
                assertThat(again).as("nothing changed: the same reading").isSameAs(first);
            }
            try (PreparedStatement s = raw.prepareStatement("SELECT generic_plans, custom_plans"
                    + " FROM pg_catalog.pg_prepared_statements WHERE statement = ?")) {
                s.setString(1, PostgresRoutineCatalog.SHADOWING);
                try (ResultSet rs = s.executeQuery()) {
                    assertThat(rs.next()).as("the query is prepared on the server after a few readings").isTrue();
                    assertThat(rs.getLong(1)).as("readings that ran the kept plan").isPositive();
                    assertThat(rs.getLong(2)).as("readings that planned it afresh").isZero();
                }
            }
        }
    }

    /** {@code raw}, counting the statements made on it (each catalog query makes one). */
    private static Connection counting(Connection raw, AtomicInteger statements) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("createStatement") || method.getName().equals("prepareStatement")) {
                        statements.incrementAndGet();
                    }
                    try {
                        return method.invoke(raw, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
