package io.governed.sql;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** How the statements that prepare, run and drop SQL by name are read, and what is left unread (fail closed). */
class PreparedStatementNamesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | PREPARE p AS SELECT id, ssn FROM customers              | p      | SELECT id, ssn FROM customers",
            "POSTGRESQL | PREPARE Pn_P (int, text) AS SELECT ssn FROM c WHERE id = $1; | pn_p | SELECT ssn FROM c WHERE id = $1",
            "POSTGRESQL | prepare \"Pn P\" as delete from c                       | Pn P   | delete from c",
            "MARIADB    | PREPARE S FROM 'SELECT ssn FROM customers WHERE n = ''x'''  | s      | SELECT ssn FROM customers WHERE n = 'x'",
            "MARIADB    | PREPARE `My_S` FROM 'SELECT 1';                             | my_s   | SELECT 1",
    })
    void aPrepareIsReadWithTheNameFoldedAndItsStatement(Dialect dialect, String sql, String name, String statement) {
        PreparedStatementNames.Prepare prepare = PreparedStatementNames.prepare(sql, dialect);
        assertThat(prepare).as(sql).isNotNull();
        assertThat(prepare.name()).as(sql).isEqualTo(name);
        assertThat(prepare.statement()).as(sql).isEqualTo(statement);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "MARIADB    | PREPARE s FROM @q",
            "MARIADB    | PREPARE s FROM CONCAT('SELECT ', 'ssn FROM customers')",
            "MARIADB    | PREPARE s FROM 'SELECT ' 'ssn FROM customers'",
            "MARIADB    | PREPARE s FROM _utf8mb4'SELECT ssn FROM customers'",
            "MARIADB    | PREPARE s FROM 'SELECT \\'x\\' FROM customers'",
            "MARIADB    | PREPARE s FROM \"SELECT ssn FROM customers\"",
            "MARIADB    | PREPARE s AS SELECT ssn FROM customers",
            "POSTGRESQL | PREPARE p AS SELECT ssn FROM customers WHERE id = ?",
            "POSTGRESQL | PREPARE p AS SELECT doc ?| array['a'] FROM customers",
            "POSTGRESQL | PREPARE p FROM 'SELECT ssn FROM customers'",
    })
    void aStatementNotReadForCertainIsNotRead(Dialect dialect, String sql) {
        PreparedStatementNames.Prepare prepare = PreparedStatementNames.prepare(sql, dialect);
        assertThat(prepare).as(sql).isNotNull();
        assertThat(prepare.statement()).as(sql).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | PREPARE \"pé\" AS SELECT 1",
            "POSTGRESQL | PREPARE pé AS SELECT 1",
            "POSTGRESQL | PREPARE p_123456789_123456789_123456789_123456789_123456789_123456789_1234 AS SELECT 1",
            "POSTGRESQL | PREPARE U&\"p\" AS SELECT 1",
    })
    void aNameNotReadForCertainIsUnknown(Dialect dialect, String sql) {
        PreparedStatementNames.Prepare prepare = PreparedStatementNames.prepare(sql, dialect);
        assertThat(prepare == null || prepare.name().equals(PreparedStatementNames.UNKNOWN_NAME)
                || prepare.statement() == null).as(sql).isTrue();
        String executed = PreparedStatementNames.executed(sql.replace("PREPARE", "EXECUTE").replace(" AS SELECT 1", ""),
                dialect);
        assertThat(executed == null || executed.equals(PreparedStatementNames.UNKNOWN_NAME)).as(sql).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | EXECUTE p                      | p",
            "POSTGRESQL | EXECUTE P(1, 'x', -2, NULL);    | p",
            "POSTGRESQL | execute \"P\" (true)            | P",
            "MARIADB    | EXECUTE S                      | s",
            "MARIADB    | EXECUTE s USING @a, 1, 'x'     | s",
    })
    void anExecuteOfConstantsIsReadWithTheNameFolded(Dialect dialect, String sql, String name) {
        assertThat(PreparedStatementNames.executed(sql, dialect)).as(sql).isEqualTo(name);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | EXECUTE p(f(1))",
            "POSTGRESQL | EXECUTE p(1 + 1)",
            "POSTGRESQL | EXECUTE p(current_setting('x'))",
            "POSTGRESQL | EXECUTE p; DEALLOCATE q",
            "POSTGRESQL | EXECUTE p(1) x",
            "MARIADB    | EXECUTE s USING f(1)",
            "MARIADB    | EXECUTE s USING @@sql_mode",
            "MARIADB    | EXECUTE IMMEDIATE 'SELECT 1'",
            "MARIADB    | EXECUTE s USING",
            "H2         | EXECUTE p",
    })
    void anExecuteOfAnythingElseIsNotRead(Dialect dialect, String sql) {
        assertThat(PreparedStatementNames.executed(sql, dialect)).as(sql).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | DEALLOCATE p                | p",
            "POSTGRESQL | DEALLOCATE PREPARE \"P\"    | P",
            "MARIADB    | DEALLOCATE PREPARE S        | s",
            "MARIADB    | DROP PREPARE `S`            | s",
    })
    void aDeallocateIsReadWithTheNameFolded(Dialect dialect, String sql, String name) {
        assertThat(PreparedStatementNames.deallocated(sql, dialect)).as(sql).isEqualTo(name);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "DEALLOCATE ALL              | ALL",
            "DEALLOCATE PREPARE ALL;     | ALL",
            "DEALLOCATE p; PREPARE p AS SELECT 1 | UNKNOWN",
            "DEALLOCATE U&\"p\"         | UNKNOWN",
            "DEALLOCATE \"pé\"          | UNKNOWN",
    })
    void deallocatingAllOrANameNotReadForCertainDropsEveryName(String sql, String what) {
        assertThat(PreparedStatementNames.deallocated(sql, Dialect.POSTGRESQL)).as(sql)
                .isEqualTo(what.equals("ALL") ? PreparedStatementNames.ALL : PreparedStatementNames.UNKNOWN_NAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DROP TABLE p", "DEALLOCATE_X p", "SELECT 1"})
    void otherStatementsDropNoName(String sql) {
        assertThat(PreparedStatementNames.deallocated(sql, Dialect.MARIADB)).as(sql).isNull();
        assertThat(PreparedStatementNames.prepare(sql, Dialect.POSTGRESQL)).as(sql).isNull();
    }

    @org.junit.jupiter.api.Test
    void anExecutesArgumentsAreReadAsValuesAndWhatIsNotToldIsUnknown() {
        assertThat(PreparedStatementNames.arguments("EXECUTE w('***-**-6789', 1)", Dialect.POSTGRESQL))
                .containsExactly("***-**-6789", new java.math.BigDecimal("1"));
        assertThat(PreparedStatementNames.arguments("execute W ( 'it''s' , -2.5, NULL, true );", Dialect.POSTGRESQL))
                .containsExactly("it's", new java.math.BigDecimal("-2.5"), null, true);
        assertThat(PreparedStatementNames.arguments("EXECUTE w(E'a\\x', 'a\\b', B'101')", Dialect.POSTGRESQL))
                .containsOnly(PreparedStatementNames.UNKNOWN_VALUE).hasSize(3);
        assertThat(PreparedStatementNames.arguments("EXECUTE w", Dialect.POSTGRESQL)).isEmpty();
        assertThat(PreparedStatementNames.arguments("EXECUTE s USING @v, 'x', 7", Dialect.MARIADB))
                .containsExactly(PreparedStatementNames.UNKNOWN_VALUE, "x", new java.math.BigDecimal("7"));
        assertThat(PreparedStatementNames.arguments("EXECUTE s USING 'a\\'b', 2e3", Dialect.MARIADB))
                .containsOnly(PreparedStatementNames.UNKNOWN_VALUE).hasSize(2);
        assertThat(PreparedStatementNames.arguments("EXECUTE w(lower('x'))", Dialect.POSTGRESQL)).isNull();
        assertThat(PreparedStatementNames.arguments("SELECT 1", Dialect.POSTGRESQL)).isNull();
    }
}
