package io.governed.spring.boot.orm;

import org.junit.jupiter.api.condition.EnabledIf;

import java.util.List;

/** {@link SequenceIdsSpec} on the local MariaDB server. Skipped when it is unreachable, failed instead with CI=true. */
@EnabledIf("reachable")
class HibernateSequenceIdsOnMariaDbIT extends SequenceIdsSpec {
    private static final String URL = "jdbc:mariadb://127.0.0.1:3306/test?user=root&password=";

    HibernateSequenceIdsOnMariaDbIT() {
        super(URL);
    }

    static boolean reachable() {
        return reachable(URL, "MariaDB at 127.0.0.1:3306 (user root, no password, database test)");
    }

    @Override
    List<String> schema() {
        return List.of("CREATE SEQUENCE orm_ticket_seq START WITH 500",
                "CREATE TABLE orm_ticket (id BIGINT PRIMARY KEY, subject VARCHAR(40), ssn VARCHAR(11))");
    }
}
