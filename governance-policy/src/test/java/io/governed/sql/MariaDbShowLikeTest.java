package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MariaDB's {@code SHOW DATABASES LIKE ?} (Flyway looks its schema up so at startup) and the like forms of
 * {@code SHOW VARIABLES} and {@code SHOW STATUS}, which the parser has no grammar for, are read as the {@code SHOW}
 * without {@code LIKE} it does read; anything more stays unreadable.
 */
class MariaDbShowLikeTest {

    private static SqlAnalysis maria(String sql) {
        return new SqlAnalyzer().analyze(sql, Dialect.MARIADB);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "show databases like ?;",
        "SHOW DATABASES LIKE 'app%'",
        "SHOW SCHEMAS LIKE ?",
        "SHOW VARIABLES LIKE 'wsrep_on'",
        "SHOW GLOBAL VARIABLES LIKE ?",
        "SHOW SESSION STATUS LIKE 'Threads%'",
    })
    void aListingByPatternIsAShow(String sql) {
        SqlAnalysis a = maria(sql);
        assertThat(a.parsed()).as(a.parseError()).isTrue();
        assertThat(a.statements()).singleElement().satisfies(s -> {
            assertThat(s.action()).isEqualTo(Action.SHOW);
            assertThat(s.tablesRead()).isEmpty();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SHOW DATABASES LIKE (SELECT ssn FROM customers LIMIT 1)",
        "SHOW DATABASES LIKE ? OR 1",
        "SHOW DATABASES LIKE 'a' 'b'",
        "SHOW DATABASES WHERE `Database` = (SELECT ssn FROM customers LIMIT 1)",
        "SHOW GLOBAL DATABASES LIKE ?",
        "SHOW CREATE TABLE customers",
        "SHOW DATABASES LIKE",
    })
    void anythingMoreIsNotRead(String sql) {
        assertThat(maria(sql).parsed()).as(sql).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHOW DATABASES LIKE 'x'; DROP TABLE customers", "SHOW DATABASES LIKE ?; DELETE FROM customers"})
    void aStatementAfterItIsReadForWhatItIs(String sql) {
        SqlAnalysis a = maria(sql);
        assertThat(a.parsed()).isTrue();
        assertThat(a.statements()).hasSize(2);
        assertThat(a.statements().get(1).action()).isIn(Action.DROP, Action.DELETE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHOW DATABASES LIKE 'x'"})
    void otherDialectsDoNotReadIt(String sql) {
        assertThat(new SqlAnalyzer().analyze(sql, Dialect.POSTGRESQL).parsed()).isFalse();
    }
}
