package io.governed.spring.boot.orm;

import org.junit.jupiter.api.condition.EnabledIf;

import java.util.List;

/** {@link SequenceIdsSpec} on the local PostgreSQL server. Skipped when it is unreachable, failed instead with CI=true. */
@EnabledIf("reachable")
class HibernateSequenceIdsOnPostgresIT extends SequenceIdsSpec {
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    HibernateSequenceIdsOnPostgresIT() {
        super(URL);
    }

    static boolean reachable() {
        return reachable(URL, "PostgreSQL at 127.0.0.1:5432 (user postgres, database test)");
    }

    @Override
    List<String> schema() {
        return List.of("CREATE SEQUENCE orm_ticket_seq START 500",
                "CREATE TABLE orm_ticket (id bigint PRIMARY KEY, subject text, ssn text)");
    }
}
