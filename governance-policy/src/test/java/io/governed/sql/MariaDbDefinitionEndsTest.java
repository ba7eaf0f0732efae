package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On MariaDB a routine's, trigger's or event's body ends where MariaDB ends it (its one statement's {@code ;}, or its
 * compound statement's {@code END}): a statement after it in the same text (Connector/J's {@code allowMultiQueries})
 * is analysed on its own, never hidden inside the definition.
 */
class MariaDbDefinitionEndsTest {

    private static SqlAnalysis maria(String sql) {
        return new SqlAnalyzer().analyze(sql, Dialect.MARIADB);
    }

    private static List<Action> actions(SqlAnalysis a) {
        return a.statements().stream().map(StatementAnalysis::action).toList();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "CREATE PROCEDURE p() SELECT 1; DROP TABLE customers | DROP",
        "CREATE PROCEDURE p() BEGIN SELECT 1; END; UPDATE accounts SET balance = 0 | UPDATE",
        "CREATE PROCEDURE p() BEGIN SELECT 1; END;  UPDATE accounts SET balance = 0; | UPDATE",
        "CREATE FUNCTION f() RETURNS INT RETURN 1; DROP TABLE customers | DROP",
        "CREATE OR REPLACE DEFINER = CURRENT_USER FUNCTION f(a INT) RETURNS VARCHAR(10) CHARACTER SET utf8mb4 "
                + "DETERMINISTIC READS SQL DATA COMMENT 'x; END' RETURN CONCAT(a, 'END;'); DROP TABLE customers | DROP",
        "CREATE DEFINER = 'root'@'localhost' PROCEDURE p() MODIFIES SQL DATA top: BEGIN DECLARE x INT DEFAULT "
                + "IF(1, 2, 3); IF (x > 1) THEN SET x = REPEAT('a', 2); ELSEIF x < 0 THEN BEGIN END; ELSE "
                + "SET x = CASE WHEN x THEN 1 ELSE 2 END; END IF; CASE x WHEN 1 THEN SELECT 1; ELSE SELECT 2; "
                + "END CASE; l: LOOP LEAVE l; END LOOP l; WHILE x > 0 DO SET x = x - 1; END WHILE; "
                + "REPEAT SET x = x + 1; UNTIL x > 3 END REPEAT; END top; DROP TABLE customers | DROP",
        "CREATE PROCEDURE p() BEGIN DECLARE CONTINUE HANDLER FOR SQLSTATE '23000', NOT FOUND BEGIN SELECT 1; END; "
                + "SELECT 'END; BEGIN' /* END; */; END; DELETE FROM customers | DELETE",
        "CREATE TRIGGER t BEFORE INSERT ON accounts FOR EACH ROW BEGIN SET NEW.balance = 0; END; "
                + "DROP TABLE customers | DROP",
        "CREATE TRIGGER t BEFORE INSERT ON accounts FOR EACH ROW SET NEW.balance = 0; DROP TABLE customers | DROP",
        "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM accounts WHERE id = 1; END; "
                + "DROP TABLE customers | DROP",
        "CREATE FUNCTION f() RETURNS INT RETURN 1; CREATE TRIGGER t BEFORE INSERT ON accounts FOR EACH ROW "
                + "SET NEW.balance = 0 | DEFINE_CODE",
        "CREATE PROCEDURE p() IF 1 THEN SELECT 1; END IF; DROP TABLE customers | DROP",
        "ALTER EVENT e ON SCHEDULE EVERY 2 DAY DO BEGIN DELETE FROM accounts WHERE id = 1; END; "
                + "DROP TABLE customers | DROP",
        "CREATE PROCEDURE p() BEGIN NOT ATOMIC FOR r IN (SELECT 1) DO SELECT 1; END FOR; END; "
                + "DROP TABLE customers | DROP",
    })
    void aStatementAfterADefinitionIsAnalysed(String sql, Action last) {
        SqlAnalysis a = maria(sql);
        assertThat(a.parsed()).as(a.parseError()).isTrue();
        // the definition (with any statements its body analyses to, for an event), then the statement after it
        assertThat(a.statements().get(0).action()).as(sql).isEqualTo(Action.DEFINE_CODE);
        assertThat(a.statements().get(a.statements().size() - 1).action()).as(sql).isEqualTo(last);
        assertThat(a.statements().size()).as(sql).isGreaterThanOrEqualTo(2);
        assertThat(a.statements().get(a.statements().size() - 1).tablesWritten()).as(sql)
                .containsAnyOf(new TableRef(null, "customers"), new TableRef(null, "accounts"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "CREATE PROCEDURE p() BEGIN SELECT 1; END",
        "CREATE PROCEDURE p() BEGIN SELECT 1; END;",
        "CREATE PROCEDURE p() BEGIN IF 1 THEN SELECT CASE WHEN 1 THEN 2 END; END IF; END",
        "CREATE FUNCTION f() RETURNS INT RETURN 1",
        "ALTER EVENT e DO BEGIN DELETE FROM accounts WHERE id = 1; END",
    })
    void aDefinitionAloneIsOneStatement(String sql) {
        SqlAnalysis a = maria(sql);
        assertThat(a.parsed()).as(a.parseError()).isTrue();
        // the definition, and for an event the statements its body runs, nested in it
        assertThat(actions(a).get(0)).isEqualTo(Action.DEFINE_CODE);
        assertThat(a.statements().subList(1, a.statements().size())).allMatch(s -> s.has(Trait.NESTED));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // unbalanced, or an END that closes nothing it may: where the body ends is not known
        "CREATE PROCEDURE p() BEGIN SELECT 1; END IF; DROP TABLE customers",
        "CREATE PROCEDURE p() BEGIN IF 1 THEN SELECT 1; END; END; DROP TABLE customers",
        "CREATE PROCEDURE p() BEGIN SELECT 1; DROP TABLE customers",
        "CREATE PROCEDURE p() BEGIN SELECT 1; END x; DROP TABLE customers",
        "CREATE PROCEDURE p() BEGIN REPEAT SELECT 1; END REPEAT; END; DROP TABLE customers",
        "CREATE PROCEDURE p() l: IF 1 THEN SELECT 1; END IF; DROP TABLE customers",
    })
    void aBodyNotReadForCertainRefusesTheText(String sql) {
        SqlAnalysis a = maria(sql);
        assertThat(a.parsed()).as(sql).isFalse();
    }
}
