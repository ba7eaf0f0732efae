package io.governed.sql;

import static io.governed.sql.Analyses.analyze;
import static io.governed.sql.Analyses.first;
import static io.governed.sql.Analyses.table;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Table locks, as pg_dump, mysqldump and applications take them: a LOCK on every table named, which counts as read too,
 * and MariaDB's UNLOCK TABLES, which releases them and ends the transaction.
 */
class LockTablesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | LOCK TABLE customers IN ACCESS SHARE MODE                       | customers",
        "POSTGRESQL | LOCK TABLE customers                                             | customers",
        "POSTGRESQL | LOCK customers                                                   | customers",
        "POSTGRESQL | LOCK TABLE ONLY customers IN ROW EXCLUSIVE MODE NOWAIT           | customers",
        "POSTGRESQL | LOCK TABLE customers * IN SHARE UPDATE EXCLUSIVE MODE            | customers",
        "POSTGRESQL | LOCK TABLE customers IN SHARE ROW EXCLUSIVE MODE                 | customers",
        "POSTGRESQL | LOCK TABLE public.orders, ONLY vault.notes IN ACCESS EXCLUSIVE MODE | public.orders vault.notes",
        "POSTGRESQL | LOCK \"Orders\", customers IN ROW SHARE MODE NOWAIT              | Orders customers",
        "MARIADB    | LOCK TABLES customers READ, orders WRITE                         | customers orders",
        "MARIADB    | LOCK TABLE customers READ LOCAL                                  | customers",
        "MARIADB    | LOCK TABLES `customers` READ /*!32311 LOCAL */                   | customers",
        "MARIADB    | LOCK TABLES customers AS c READ, vault.notes n LOW_PRIORITY WRITE NOWAIT | customers vault.notes",
        "MARIADB    | LOCK TABLES orders WRITE CONCURRENT WAIT 5                       | orders",
    })
    void aLockIsALockOnEveryTableAndAReadOfIt(Dialect dialect, String sql, String tables) {
        StatementAnalysis s = first(sql, dialect);
        assertThat(s.action()).isEqualTo(Action.LOCK);
        Set<TableRef> expected = new java.util.HashSet<>();
        for (String name : tables.split(" ")) {
            String[] parts = name.split("\\.");
            expected.add(parts.length == 2 ? table(parts[0], parts[1]) : table(parts[0]));
        }
        assertThat(s.tablesWritten()).as(sql).isEqualTo(expected);
        assertThat(s.tablesRead()).as(sql).isEqualTo(expected);
        assertThat(s.traits()).as(sql).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | LOCK TABLE customers IN SHARE EXCLUSIVE MODE",
        "POSTGRESQL | LOCK TABLE customers IN ACCESS SHARE",
        "POSTGRESQL | LOCK TABLE customers IN ACCESS SHARE MODE customers",
        "POSTGRESQL | LOCK TABLE customers, IN ACCESS SHARE MODE",
        "POSTGRESQL | LOCK TABLE (SELECT 1) IN ACCESS SHARE MODE",
        "POSTGRESQL | LOCK TABLE customers NOWAIT NOWAIT",
        "POSTGRESQL | UNLOCK TABLES",
        "MARIADB    | LOCK TABLES customers",
        "MARIADB    | LOCK TABLES customers READ, orders",
        "MARIADB    | LOCK TABLES customers READ orders WRITE",
        "MARIADB    | LOCK TABLES customers AS READ",
        "MARIADB    | LOCK customers READ",
        "MARIADB    | LOCK TABLES customers READ, (SELECT 1) x WRITE",
        "MARIADB    | UNLOCK TABLES customers",
        "H2         | LOCK TABLE customers IN ACCESS SHARE MODE NOWAIT",
    })
    void aNearMissStaysUnreadable(Dialect dialect, String sql) {
        assertThat(analyze(sql, dialect).parsed()).as(sql).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"UNLOCK TABLES", "UNLOCK TABLE", "unlock tables"})
    void unlockTablesEndsTheTransaction(String sql) {
        StatementAnalysis s = first(sql, Dialect.MARIADB);
        assertThat(s.action()).isEqualTo(Action.TRANSACTION);
        assertThat(s.tablesRead()).isEmpty();
        assertThat(s.tablesWritten()).isEmpty();
        assertThat(s.traits()).isEmpty();
    }
}
