package io.governed.jdbc.corpus;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL a corpus snapshot sends its queries as one string: it reads the same text as the same queries sent one
 * by one, a failing query still gives its own SQLState without hiding the others' rows, and a change is still seen.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresCorpusSnapshotIT {
    private static final String TABLE = UniqueNames.of("sl_snap");

    /** The same queries, sent one by one. */
    private static final CorpusDatabase ONE_BY_ONE = new PostgresCorpusDatabase() {
        @Override
        boolean runsQueriesInOneString() {
            return false;
        }
    };

    private static List<String> queries() {
        return List.of(
                "SELECT nspname FROM pg_namespace WHERE nspname = 'public'",
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_name = '" + TABLE + "'",
                "SELECT * FROM " + TABLE,
                "SELECT 2 UNION ALL SELECT 1");
    }

    @Test
    void readsWhatTheQueriesOneByOneRead() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement()) {
            String missing = new PostgresCorpusDatabase().snapshotOf(raw, queries());
            assertThat(missing).isEqualTo(ONE_BY_ONE.snapshotOf(raw, queries()))
                    .contains("## SELECT * FROM " + TABLE + "\nfails: 42P01\n")
                    .contains("## SELECT 2 UNION ALL SELECT 1\n1|\n2|\n")
                    .contains("## SELECT nspname FROM pg_namespace WHERE nspname = 'public'\npublic|\n");
            try {
                s.execute("CREATE TABLE " + TABLE + " (id INT, note TEXT)");
                s.execute("INSERT INTO " + TABLE + " VALUES (2, 'b'), (1, 'a')");
                String present = new PostgresCorpusDatabase().snapshotOf(raw, queries());
                assertThat(present).isEqualTo(ONE_BY_ONE.snapshotOf(raw, queries())).isNotEqualTo(missing)
                        .contains("## SELECT * FROM " + TABLE + "\n1|a|\n2|b|\n")
                        .contains(TABLE + "|id|\n" + TABLE + "|note|\n");
                s.execute("UPDATE " + TABLE + " SET note = 'c' WHERE id = 2");
                assertThat(new PostgresCorpusDatabase().snapshotOf(raw, queries())).isNotEqualTo(present).contains("2|c|");
            } finally {
                s.execute("DROP TABLE IF EXISTS " + TABLE);
            }
        }
    }
}
