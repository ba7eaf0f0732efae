package io.governed.jdbc.audit.kafka;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.AuditUnavailableException;
import io.governed.jdbc.audit.DeliveryMode;
import io.governed.jdbc.cli.GovernedJdbcCli;
import io.governed.policy.load.PolicyLoader;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * The Kafka audit sink against a real broker started in this JVM (KRaft, from Kafka's test kit):
 * many connections under load put every event on the topic exactly once, in each connection's order,
 * with every per-connection chain intact; a broker stopped mid-load and restarted loses nothing in
 * block mode, and in required mode statements are refused, before they run, while it is down.
 *
 * The number of statements per thread is -Dgoverned.it.kafka.statements (default 5,000; the issue's
 * full size is 50,000).
 */
class KafkaAuditSinkIT {
    private static final int THREADS = 8;
    /** The queue of the broker-restart test: the outage lasts until it is full and the statements wait. */
    private static final int QUEUE_CAPACITY = 1_000;
    private static final int STATEMENTS = Integer.getInteger("governed.it.kafka.statements", 5_000);
    private static final Pattern SEQUENCE = Pattern.compile("as s(\\d+)", Pattern.CASE_INSENSITIVE);
    private static final Identity LOADER = Identity.builder("loader").kind(IdentityKind.SERVICE).build();

    private static InProcessKafka kafka;

    private JdbcDataSource h2;
    private Connection raw;
    private AuditDispatcher dispatcher;

    @BeforeAll
    static void broker() throws Exception {
        kafka = new InProcessKafka();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
    }

    @BeforeEach
    void database() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:kafka-otel-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        raw = h2.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE kafka_otel_items(id INT PRIMARY KEY, name VARCHAR(40))");
            s.execute("INSERT INTO kafka_otel_items VALUES (1, 'one')");
        }
    }

    @AfterEach
    void close() throws SQLException {
        if (dispatcher != null) {
            dispatcher.close();
        }
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private GovernedDataSource governed(String topic, AuditSettings settings) throws Exception {
        dispatcher = AuditDispatcher.start("kafka:" + kafka.bootstrapServers() + "?topic=" + topic + "&ack-timeout=1s",
                settings, Map.of("governed.audit.kafka.linger.ms", "10", "governed.audit.kafka.compression.type", "lz4"));
        Governance governance = Governance.builder().policy(PolicyLoader.baseline()).audit(dispatcher)
                .defaultIdentity(LOADER).build();
        return new GovernedDataSource(h2, governance);
    }

    /** Runs {@code statements} numbered reads on each of {@link #THREADS} connections; counts those done. */
    private List<Future<?>> load(ExecutorService pool, GovernedDataSource ds, int statements, AtomicInteger done) {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            futures.add(pool.submit(() -> {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    for (int i = 0; i < statements; i++) {
                        try (ResultSet rs = s.executeQuery("SELECT id AS s" + i + " FROM kafka_otel_items WHERE id = 1")) {
                            assertThat(rs.next()).isTrue();
                        }
                        done.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        return futures;
    }

    /** Checks that the topic holds each statement's event once, per connection in order, and that every chain verifies. */
    private void assertCompleteAndOrdered(String topic, int statementsPerConnection) throws Exception {
        List<InProcessKafka.AuditRecord> records = kafka.readAll(topic);
        assertThat(records).hasSize(THREADS * statementsPerConnection);
        Set<String> eventIds = new HashSet<>();
        Map<String, List<Integer>> sequences = new LinkedHashMap<>();
        for (InProcessKafka.AuditRecord r : records) {
            assertThat(eventIds.add(r.event().path("event_id").asText())).as("event ids are unique").isTrue();
            assertThat(r.key()).endsWith("/" + r.event().path("connection_id").asText());
            Matcher m = SEQUENCE.matcher(r.event().path("statement").asText());
            assertThat(m.find()).as("statement %s", r.event().path("statement")).isTrue();
            sequences.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(Integer.parseInt(m.group(1)));
        }
        assertThat(sequences).hasSize(THREADS);
        List<Integer> expected = IntStream.range(0, statementsPerConnection).boxed().toList();
        sequences.forEach((key, sequence) -> assertThat(sequence).as("the order of %s", key).isEqualTo(expected));

        KafkaChainVerifier.Result result = KafkaChainVerifier.verify(kafka.bootstrapServers(), topic, Map.of(), false,
                Duration.ofSeconds(30));
        assertThat(result.problem()).isNull();
        assertThat(result.records()).isEqualTo(THREADS * statementsPerConnection);
        assertThat(result.keys()).isEqualTo(THREADS);
    }

    @Test
    void everyStatementIsOnTheTopicOnceInItsConnectionsOrderAndEveryChainVerifies() throws Exception {
        String topic = kafka.newTopic(3);
        GovernedDataSource ds = governed(topic, AuditSettings.defaults());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long start = System.nanoTime();
        try {
            for (Future<?> f : load(pool, ds, STATEMENTS, new AtomicInteger())) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(dispatcher.flush(Duration.ofSeconds(60))).as("every event acknowledged").isTrue();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("Kafka audit sink: %d statements on %d connections audited in %.1f s: %.0f events/s%n",
                THREADS * STATEMENTS, THREADS, seconds, THREADS * STATEMENTS / seconds);
        assertCompleteAndOrdered(topic, STATEMENTS);
    }

    @Test
    void theSinkAloneTakesEventsFromManyConnectionsOnceEachAndInOrder() throws Exception {
        String topic = kafka.newTopic(3);
        dispatcher = AuditDispatcher.start("kafka:" + kafka.bootstrapServers() + "?topic=" + topic, AuditSettings.defaults(),
                Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long start = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String connection = "load-" + t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < STATEMENTS; i++) {
                        dispatcher.submit(AuditEvent.builder().connectionId(connection).principal("loader").kind("service")
                                .action("select").statement("select 1 as s" + i).decision(AuditDecision.ALLOW).build());
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(dispatcher.flush(Duration.ofSeconds(60))).as("every event acknowledged").isTrue();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("Kafka audit sink alone: %d events from %d connections acknowledged in %.1f s: %.0f events/s%n",
                THREADS * STATEMENTS, THREADS, seconds, THREADS * STATEMENTS / seconds);
        assertCompleteAndOrdered(topic, STATEMENTS);
    }

    @Test
    void auditVerifyReadsTheTopicAndNamesTheRecordWhereAChainBreaks() throws Exception {
        String topic = kafka.newTopic(2);
        dispatcher = AuditDispatcher.start("kafka:" + kafka.bootstrapServers() + "?topic=" + topic, AuditSettings.defaults(),
                Map.of());
        for (int i = 0; i < 20; i++) {
            dispatcher.submit(AuditEvent.builder().connectionId("verify-" + (i % 2)).principal("svc").kind("service")
                    .action("select").statement("select 1 as s" + i).decision(AuditDecision.ALLOW).build());
        }
        assertThat(dispatcher.flush(Duration.ofSeconds(30))).isTrue();
        StringWriter out = new StringWriter();
        int exit = GovernedJdbcCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(out))
                .execute("audit", "verify", "--kafka", kafka.bootstrapServers(), "--topic", topic);
        assertThat(out.toString()).startsWith("OK 20 events of 2 connections");
        assertThat(exit).isZero();

        // someone appends an edited copy of a connection's first event under its key
        InProcessKafka.AuditRecord first = kafka.readAll(topic).get(0);
        String forged = first.event().toString().replace("\"decision\":\"allow\"", "\"decision\":\"deny\"");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, first.key(), forged)).get();
        }
        StringWriter after = new StringWriter();
        int exitAfter = GovernedJdbcCli.commandLine().setOut(new PrintWriter(after)).setErr(new PrintWriter(after))
                .execute("audit", "verify", "--kafka", kafka.bootstrapServers(), "--topic", topic);
        assertThat(exitAfter).isEqualTo(1);
        assertThat(after.toString()).startsWith("FAILED partition " + first.partition()).contains("key " + first.key())
                .contains("edited");
    }

    @Test
    void inBlockModeABrokerRestartMidLoadLosesNothing() throws Exception {
        String topic = kafka.newTopic(3);
        int statements = Math.max(1_000, STATEMENTS / 5);
        GovernedDataSource ds = governed(topic, AuditSettings.defaults().withQueueCapacity(QUEUE_CAPACITY)
                .withRetryBackoff(Duration.ofMillis(200)));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<?>> futures = load(pool, ds, statements, done);
            while (done.get() < THREADS * statements / 4) {
                Thread.sleep(5);
            }
            kafka.stopBroker();
            int atStop = done.get();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (dispatcher.queueDepth() < QUEUE_CAPACITY) {
                assertThat(System.nanoTime()).as("the queue filled up within 60 s of the outage").isLessThan(deadline);
                Thread.sleep(5);
            }
            assertThat(done.get()).as("statements were still running when the broker stopped").isLessThan(THREADS * statements);
            assertThat(atStop).isLessThan(THREADS * statements);
            kafka.startBroker();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(dispatcher.flush(Duration.ofSeconds(120))).as("every event acknowledged after the restart").isTrue();
        assertCompleteAndOrdered(topic, statements);
    }

    @Test
    void anApplicationStartsWhileTheBrokerIsDownAndItsEventsReachTheTopicOnceTheBrokerIsBack() throws Exception {
        String topic = kafka.newTopic(1);
        kafka.stopBroker();
        GovernedDataSource ds;
        int inserted = 0;
        try {
            ds = governed(topic, AuditSettings.defaults().withRetryBackoff(Duration.ofMillis(100)));
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                for (int id = 10; id < 30; id++) {
                    s.executeUpdate("INSERT INTO kafka_otel_items VALUES (" + id + ", 'while down')");
                    inserted++;
                }
            }
            assertThat(count()).as("the statements ran while the broker was down (block mode)").isEqualTo(1 + inserted);
            assertThat(dispatcher.flush(Duration.ofMillis(500))).as("no broker has taken the events yet").isFalse();
        } finally {
            kafka.startBroker();
        }
        assertThat(dispatcher.flush(Duration.ofSeconds(60))).as("every event acknowledged once the broker is back").isTrue();
        List<InProcessKafka.AuditRecord> records = kafka.readAll(topic);
        assertThat(records).as("every insert audited once").hasSize(inserted);
        assertThat(records.stream().map(r -> r.event().path("statement").asText()))
                .as("each the insert, its values left out").containsOnly("insert into kafka_otel_items values(?, ?)");
        assertThat(KafkaChainVerifier.verify(kafka.bootstrapServers(), topic, Map.of(), false, Duration.ofSeconds(30)).ok()).isTrue();
    }

    @Test
    void inRequiredModeStatementsAreRefusedBeforeTheyRunWhileTheBrokerIsDown() throws Exception {
        String topic = kafka.newTopic(1);
        GovernedDataSource ds = governed(topic, AuditSettings.defaults().withMode(DeliveryMode.REQUIRED)
                .withRetryBackoff(Duration.ofMillis(100)).withSubmitTimeout(Duration.ofMillis(200)));
        int inserted = 0;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (int id = 10; id < 20; id++) {
                s.executeUpdate("INSERT INTO kafka_otel_items VALUES (" + id + ", 'before')");
                inserted++;
            }
            assertThat(dispatcher.flush(Duration.ofSeconds(30))).isTrue();
            kafka.stopBroker();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                boolean refused = false;
                for (int id = 100; !refused; id++) {
                    assertThat(System.nanoTime()).as("refused within 60 s of the outage").isLessThan(deadline);
                    try {
                        s.executeUpdate("INSERT INTO kafka_otel_items VALUES (" + id + ", 'while down')");
                        inserted++;
                    } catch (AuditUnavailableException e) {
                        refused = true;
                        assertThat(e.getMessage()).contains("kafka:").contains("required");
                    }
                }
                long before = count();
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO kafka_otel_items VALUES (999, 'refused')"))
                        .isInstanceOf(AuditUnavailableException.class);
                assertThat(count()).as("the refused insert did not run").isEqualTo(before);
            } finally {
                kafka.startBroker();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                try {
                    s.executeUpdate("INSERT INTO kafka_otel_items VALUES (1000000, 'after')");
                    inserted++;
                    break;
                } catch (AuditUnavailableException stillDown) {
                    assertThat(System.nanoTime()).as("statements run again within 60 s of the restart").isLessThan(deadline);
                    Thread.sleep(100);
                }
            }
        }
        assertThat(dispatcher.flush(Duration.ofSeconds(60))).isTrue();
        List<InProcessKafka.AuditRecord> records = kafka.readAll(topic);
        assertThat(records).as("every insert that ran is audited once").hasSize(inserted);
        assertThat(records.stream().map(r -> r.event().path("event_id").asText()).distinct()).hasSize(inserted);
        assertThat(count()).isEqualTo(1 + inserted);
        assertThat(KafkaChainVerifier.verify(kafka.bootstrapServers(), topic, Map.of(), false, Duration.ofSeconds(30)).ok()).isTrue();
    }

    private long count() throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM kafka_otel_items")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
