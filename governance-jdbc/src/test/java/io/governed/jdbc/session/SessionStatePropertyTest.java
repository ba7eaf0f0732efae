package io.governed.jdbc.session;

import io.governed.jdbc.support.UniqueNames;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.names.NameResolver;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated sequences of what statements tell a session and ask it ({@code running}, {@code batched}, {@code settled},
 * {@code settledThenRunning}, {@code changed}, {@code transactionEnded}, {@code current},
 * {@code mayRunCodeThroughRelations}) on H2, against a model of the session's readings: a reading is renewed by a
 * statement that may change name resolution (every time it runs, however often it was seen), by a batch that held
 * one once the batch has run, by a change reported, and by the end of a transaction something in it changed; while
 * such a batch entry waits, every name is unknown; between renewals the session hands out one reading, the same
 * object, and never one it handed out before a renewal. The questions every statement asks are answered without the
 * session's monitor while nothing is pending; the model holds either way.
 */
class SessionStatePropertyTest {
    private static final SqlAnalyzer ANALYZER = new SqlAnalyzer();
    /** Index 0 and 1 may change name resolution; the others are reads and writes of plain tables. */
    private static final List<String> TEXTS = List.of("SET SCHEMA other", "SET SCHEMA_SEARCH_PATH other, PUBLIC",
            "SELECT a FROM t WHERE id = ?", "SELECT b FROM u", "UPDATE t SET a = ? WHERE id = ?", "INSERT INTO u(b) VALUES (?)");
    private static final List<SqlAnalysis> STATEMENTS = TEXTS.stream().map(sql -> ANALYZER.analyze(sql, Dialect.H2)).toList();

    enum Kind { RUNNING, BATCHED, SETTLED, SETTLED_THEN_RUNNING, SETTLED_NOT_RUNNING, CHANGED, TRANSACTION_ENDED, CURRENT, CODE }

    record Step(Kind kind, int statement) {
        SqlAnalysis analysis() {
            return STATEMENTS.get(statement);
        }

        @Override
        public String toString() {
            return kind + (kind == Kind.SETTLED || kind == Kind.CHANGED || kind == Kind.TRANSACTION_ENDED || kind == Kind.CURRENT
                    ? "" : " " + TEXTS.get(statement));
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.of(Kind.class),
                Arbitraries.integers().between(0, STATEMENTS.size() - 1)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 300)
    void theSessionHandsOutOneReadingBetweenRenewalsAndNoneWhileABatchThatMayChangeItWaits(
            @ForAll("steps") List<Step> steps) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + UniqueNames.of("session-model"), "sa", "")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t(id INT PRIMARY KEY, a INT)");
                s.execute("CREATE TABLE u(b INT)");
            }
            SessionState session = new SessionState(c, Dialect.H2);
            Model model = new Model();
            Map<Integer, NameResolver> readings = new HashMap<>();
            List<NameResolver> handedOut = new ArrayList<>();
            for (int n = 0; n < steps.size(); n++) {
                Step step = steps.get(n);
                String at = "step " + n + " (" + step + ") of " + steps;
                switch (step.kind()) {
                    case RUNNING -> {
                        session.running(step.analysis());
                        model.running(step.statement());
                    }
                    case BATCHED -> {
                        session.batched(step.analysis());
                        model.batched(step.statement());
                    }
                    case SETTLED -> {
                        session.settled();
                        model.settled();
                    }
                    case SETTLED_THEN_RUNNING, SETTLED_NOT_RUNNING -> {
                        boolean runs = step.kind() == Kind.SETTLED_THEN_RUNNING;
                        session.settledThenRunning(step.analysis(), runs);
                        model.settled();
                        if (runs) {
                            model.running(step.statement());
                        }
                    }
                    case CHANGED -> {
                        session.changed();
                        model.changed();
                    }
                    case TRANSACTION_ENDED -> {
                        session.transactionEnded();
                        model.transactionEnded();
                    }
                    case CODE -> {
                        boolean answer = session.mayRunCodeThroughRelations(step.analysis());
                        if (model.pending || model.changes(step.statement())) {
                            assertThat(answer).as("may run code, asked while the session may be changing: " + at).isTrue();
                        } else {
                            // plain tables of H2 run no code; the answer is remembered under the reading
                            assertThat(answer).as("may run code through plain tables: " + at).isFalse();
                        }
                    }
                    case CURRENT -> {
                    }
                }
                NameResolver now = session.current(System.nanoTime());
                if (model.pending) {
                    assertThat(now).as("a batch entry that may change the session waits: " + at).isSameAs(NameResolver.unknown());
                    continue;
                }
                NameResolver known = readings.get(model.reading);
                if (known == null) {
                    assertThat(handedOut).as("a renewed reading is a new one: " + at).doesNotContain(now);
                    readings.put(model.reading, now);
                    handedOut.add(now);
                } else {
                    assertThat(now).as("the reading stands until renewed: " + at).isSameAs(known);
                }
            }
        }
    }

    /** What the session should do, by the numbers of its readings. */
    private static final class Model {
        int reading;
        boolean pending;
        boolean changedInTransaction;

        boolean changes(int statement) {
            return statement < 2;
        }

        void running(int statement) {
            if (changes(statement)) {
                changed();
            }
        }

        void batched(int statement) {
            int before = reading;
            running(statement);
            pending |= reading != before;
        }

        void settled() {
            if (pending) {
                pending = false;
                reading++;
            }
        }

        void changed() {
            reading++;
            changedInTransaction = true;
        }

        void transactionEnded() {
            if (changedInTransaction) {
                reading++;
                changedInTransaction = false;
            }
        }
    }
}
