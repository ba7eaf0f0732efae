package io.governed.jdbc.session;

import io.governed.jdbc.support.UniqueNames;
import io.governed.sql.Dialect;
import io.governed.sql.names.NameResolver;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * A reading of the session is trusted for MAXIMUM_AGE_SECONDS, so that relations other sessions create or drop are
 * seen: judged by the time the statement entered the pipeline, which the statement's decision and its name resolution
 * share. A reading older than that is replaced at the next statement; one taken after the statement entered stands.
 */
class SessionReadingAgeTest {

    @Test
    void aReadingOlderThanItsLimitIsReplacedAtTheNextStatement() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + UniqueNames.of("age"), "sa", "")) {
            SessionState session = new SessionState(c, Dialect.H2);
            long entered = System.nanoTime();
            long limit = TimeUnit.SECONDS.toNanos(SessionState.MAXIMUM_AGE_SECONDS);
            NameResolver reading = session.current(entered);
            assertThat(session.current()).isSameAs(reading);
            assertThat(session.current(entered + limit / 2)).as("half its age").isSameAs(reading);

            NameResolver renewed = session.current(entered + limit + TimeUnit.SECONDS.toNanos(1));
            assertThat(renewed).as("a statement entering after the limit").isNotSameAs(reading);
            assertThat(session.current()).isSameAs(renewed);
            assertThat(session.current(entered)).as("a statement that entered before the reading was taken").isSameAs(renewed);
        }
    }
}
