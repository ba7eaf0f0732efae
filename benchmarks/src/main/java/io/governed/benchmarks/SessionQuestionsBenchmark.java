package io.governed.benchmarks;

import io.governed.jdbc.session.SessionState;
import io.governed.jdbc.session.SessionStates;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.names.NameResolver;
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

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * The three questions every statement asks its connection's session on its way through the pipeline, asked as a
 * kept statement asks them on H2: the session's reading of unqualified names ({@code current}), whether the statement
 * may change the session as it runs ({@code settledThenRunning}) and whether it may run code through the relations
 * it names ({@code mayRunCodeThroughRelations}). The statement was found harmless and running no code under the
 * reading before, as a kept or re-prepared statement is, so the answers are remembered ones: what is measured is the
 * asking. The time the reading's age is judged by is read once per iteration (each statement reuses a time its run
 * read already). The tear-down checks the answers stayed what a harmless statement gets.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SessionQuestionsBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SessionQuestionsBenchmark {
    private Connection h2;
    private SessionState session;
    private SqlAnalysis statement;
    private NameResolver reading;
    private long now;
    private boolean ranCode;

    @Setup(Level.Trial)
    public void session() throws SQLException {
        h2 = DriverManager.getConnection("jdbc:h2:mem:session-questions", "sa", "");
        try (Statement s = h2.createStatement()) {
            s.execute("CREATE TABLE items(id INT PRIMARY KEY, name VARCHAR(40))");
        }
        session = SessionStates.of(h2, Dialect.H2);
        statement = new SqlAnalyzer().analyze("SELECT name FROM items WHERE id = ?", Dialect.H2);
    }

    @Setup(Level.Iteration)
    public void clock() {
        now = System.nanoTime();
        reading = session.current(now);
        session.settledThenRunning(statement, true);
        session.mayRunCodeThroughRelations(statement);
    }

    @Benchmark
    public boolean everyStatementAsks() {
        NameResolver names = session.current(now);
        session.settledThenRunning(statement, true);
        boolean code = session.mayRunCodeThroughRelations(statement);
        ranCode |= code || names != reading;
        return code;
    }

    @TearDown(Level.Iteration)
    public void checkTheAnswers() {
        if (ranCode) {
            throw new IllegalStateException("A harmless statement renewed the session's reading or was taken to run code:"
                    + " the remembered answers were not what was measured");
        }
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        h2.close();
    }
}
