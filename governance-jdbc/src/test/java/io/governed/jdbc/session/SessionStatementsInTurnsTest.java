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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * A connection runs its transaction's statements in turns, and a pool's next borrowing prepares them again: the
 * session remembers the statements it found harmless under its reading, so they are not examined again. Remembering
 * more than one must not let a statement that may change the session pass for harmless: such a statement renews the
 * reading every time it runs, however many harmless statements ran between, and a harmless one never does.
 */
class SessionStatementsInTurnsTest {
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    @Test
    void harmlessStatementsInTurnsKeepTheReadingAndAChangingOneRenewsItEveryTime() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + UniqueNames.of("turns"), "sa", "")) {
            SessionState session = new SessionState(c, Dialect.H2);
            List<SqlAnalysis> harmless = new ArrayList<>();
            for (int i = 0; i < 50; i++) { // more than the session remembers
                harmless.add(analyzer.analyze("SELECT a, b FROM t" + i + " WHERE id = ?", Dialect.H2));
            }
            SqlAnalysis changing = analyzer.analyze("SET SCHEMA other", Dialect.H2);
            Random random = new Random(0x7A2L);
            for (int n = 0; n < 2_000; n++) {
                if (random.nextInt(20) == 0) {
                    NameResolver before = session.current();
                    session.running(changing);
                    assertThat(session.current()).as("a statement that may change the session, run %s", n).isNotSameAs(before);
                } else {
                    // a few statements at a time, as a transaction's, now and then any other
                    SqlAnalysis statement = harmless.get(random.nextInt(4) == 0 ? random.nextInt(50) : random.nextInt(20));
                    NameResolver before = session.current();
                    session.running(statement);
                    assertThat(session.current()).as("a harmless statement, run %s", n).isSameAs(before);
                }
            }
        }
    }
}
