package io.governed.jdbc.pipeline;

import io.governed.jdbc.gate.CallKind;
import io.governed.jdbc.gate.SqlText;
import io.governed.jdbc.session.SessionNames;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.names.NameResolver;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * A statement's decision and its name resolution see one reading of the session, asked for once, as of the time the
 * statement entered the pipeline; a statement that waited (for an approval) and is decided again asks afresh, as of
 * the time it is asked, so that nothing decided after a wait rests on the session as it was before it. A time the
 * connection read as it made the run (a PostgreSQL connection reads one for its routine catalog's age) is that entry
 * time, and the time an untimed statement asks as of: the clock is not read again microseconds later.
 */
class ExecutionSessionReadingTest {

    /** A session that hands out a new reading at every question and notes the time each was asked with. */
    private static final class Readings implements SessionNames {
        final List<String> asked = new ArrayList<>();

        @Override
        public NameResolver current() {
            asked.add("now");
            return NameResolver.fixed("reading" + asked.size());
        }

        @Override
        public NameResolver current(long nowNanos) {
            asked.add("at " + nowNanos);
            return NameResolver.fixed("reading" + asked.size());
        }

        @Override
        public void running(SqlAnalysis resolved) {
        }
    }

    private static Execution execution(Readings session) {
        SqlText sql = new SqlText("SELECT id FROM orders");
        return new Execution(new SqlAnalyzer(), "c1", Dialect.POSTGRESQL, session, null, sql, sql, CallKind.QUERY, true,
                GeneratedKeys.NONE);
    }

    @Test
    void oneReadingPerStatementAsOfItsEntry() {
        Readings session = new Readings();
        Execution execution = execution(session);
        execution.entered(12345L);
        NameResolver first = execution.currentNames();
        assertThat(execution.currentNames()).isSameAs(first);
        assertThat(session.asked).containsExactly("at 12345");
    }

    @Test
    void anUntimedStatementAsksAtTheTimeItIsAsked() {
        Readings session = new Readings();
        Execution execution = execution(session);
        execution.currentNames();
        assertThat(session.asked).containsExactly("now");
    }

    @Test
    void anUntimedStatementMadeWithATimeAsksAsOfThatTime() throws Exception {
        Readings session = new Readings();
        Execution execution = execution(session).madeAt(777L); // the time read for the routine catalog's age
        new StatementPipeline(List.of(), e -> false).enter(execution);
        assertThat(execution.entered()).isZero();
        execution.currentNames();
        assertThat(session.asked).containsExactly("at 777");
    }

    @Test
    void aTimedStatementMadeWithATimeEntersThePipelineAtIt() throws Exception {
        Readings session = new Readings();
        Execution execution = execution(session).madeAt(777L);
        new StatementPipeline(List.of(), e -> true).enter(execution);
        assertThat(execution.entered()).isEqualTo(777L);
        execution.currentNames();
        assertThat(session.asked).containsExactly("at 777");
    }

    @Test
    void aTimedStatementMadeWithoutATimeReadsTheClockAsItEnters() throws Exception {
        Execution execution = execution(new Readings());
        long before = System.nanoTime();
        new StatementPipeline(List.of(), e -> true).enter(execution);
        assertThat(execution.entered()).isBetween(before, System.nanoTime());
    }

    @Test
    void afterAWaitAStatementMadeWithATimeAsksAsOfThen() {
        Readings session = new Readings();
        Execution execution = execution(session).madeAt(777L);
        execution.currentNames();
        execution.sessionReadAgain();
        execution.currentNames();
        assertThat(session.asked).containsExactly("at 777", "now");
    }

    @Test
    void theNextRunOfABatchDoesNotCarryTheTimeItsFirstWasMadeAt() {
        Readings session = new Readings();
        Execution next = execution(session).madeAt(777L).again();
        next.currentNames();
        assertThat(session.asked).containsExactly("now");
    }

    @Test
    void afterAWaitTheSessionIsAskedAgainAsOfThen() {
        Readings session = new Readings();
        Execution execution = execution(session);
        execution.entered(12345L);
        NameResolver before = execution.currentNames();
        execution.sessionReadAgain();
        NameResolver after = execution.currentNames();
        assertThat(after).isNotSameAs(before);
        assertThat(execution.currentNames()).isSameAs(after);
        assertThat(session.asked).containsExactly("at 12345", "now");
    }
}
