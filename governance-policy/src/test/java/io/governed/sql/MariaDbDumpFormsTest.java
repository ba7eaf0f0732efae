package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The forms {@code mariadb-dump} (mysqldump) writes that the parser cannot read, as a baseline migration brings them:
 * a view's header ({@code ALGORITHM}, {@code DEFINER}, {@code SQL SECURITY}, each in a version comment of its own), a
 * sequence's {@code ENGINE}, a table's {@code WITH SYSTEM VERSIONING}, {@code DO SETVAL(…)}; an explicit
 * {@code DEFINER} naming another account than the caller's is a privilege change; the mariadb client's own commands
 * ({@code DELIMITER}, the sandbox-mode line) are not SQL and are refused saying what to change; a statement hidden in a
 * version comment is read as the server runs it, or refused when that depends on the server's version.
 */
class MariaDbDumpFormsTest {

    private static SqlAnalysis analyze(String sql) {
        return new SqlAnalyzer().analyze(sql, Dialect.MARIADB);
    }

    private static List<StatementAnalysis> read(String sql) {
        SqlAnalysis analysis = analyze(sql);
        assertThat(analysis.parseError()).as(sql).isNull();
        return analysis.statements();
    }

    /** The statement's analysis less the one trait, to compare with its plain form's. */
    private static String without(StatementAnalysis s, Trait trait) {
        Set<Trait> traits = s.traits().isEmpty() ? EnumSet.noneOf(Trait.class) : EnumSet.copyOf(s.traits());
        traits.remove(trait);
        return s.action() + " " + traits + " w" + s.tablesWritten() + " r" + s.tablesRead() + " c" + s.columns()
                + " f" + s.routines();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "CREATE ALGORITHM=MERGE VIEW v AS SELECT o.id, o.ssn FROM orders o                    | CREATE VIEW v AS SELECT o.id, o.ssn FROM orders o | false",
            "CREATE SQL SECURITY INVOKER VIEW v AS SELECT ssn FROM orders                           | CREATE VIEW v AS SELECT ssn FROM orders | false",
            "CREATE DEFINER=CURRENT_USER SQL SECURITY DEFINER VIEW v AS SELECT ssn FROM orders      | CREATE VIEW v AS SELECT ssn FROM orders | false",
            "CREATE DEFINER = CURRENT_USER() VIEW v AS SELECT ssn FROM orders                       | CREATE VIEW v AS SELECT ssn FROM orders | false",
            "CREATE DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW v AS SELECT ssn FROM orders | CREATE VIEW v AS SELECT ssn FROM orders | true",
            "CREATE DEFINER='app'@'%' VIEW v AS SELECT ssn FROM orders                              | CREATE VIEW v AS SELECT ssn FROM orders | true",
            "CREATE DEFINER=admins VIEW v AS SELECT ssn FROM orders                                 | CREATE VIEW v AS SELECT ssn FROM orders | true",
            "CREATE OR REPLACE ALGORITHM=TEMPTABLE DEFINER=`root`@`%` SQL SECURITY INVOKER VIEW v AS SELECT ssn FROM orders | CREATE OR REPLACE VIEW v AS SELECT ssn FROM orders | true",
            "/*!50001 CREATE ALGORITHM=UNDEFINED */ /*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */ /*!50001 VIEW `v` AS select `o`.`ssn` AS `ssn` from `orders` `o` */ | CREATE VIEW `v` AS select `o`.`ssn` AS `ssn` from `orders` `o` | true",
            "/*!50001 CREATE ALGORITHM=MERGE */ /*!50013 DEFINER=`root`@`localhost` SQL SECURITY INVOKER */ /*!50001 VIEW `v` AS select `o`.`id` AS `id` from `orders` `o` where `o`.`status` = 'paid' */ /*!50002 WITH CASCADED CHECK OPTION */ | CREATE VIEW `v` AS select `o`.`id` AS `id` from `orders` `o` where `o`.`status` = 'paid' WITH CASCADED CHECK OPTION | true",
    })
    void aViewsHeaderIsReadAsTheViewAndAnotherDefinerIsAPrivilegeChange(String dumped, String plain, boolean other) {
        List<StatementAnalysis> view = read(dumped);
        List<StatementAnalysis> expected = read(plain);
        assertThat(view).hasSize(1);
        assertThat(without(view.get(0), Trait.PRIVILEGE_CHANGE)).isEqualTo(without(expected.get(0), Trait.PRIVILEGE_CHANGE));
        assertThat(view.get(0).traits().contains(Trait.PRIVILEGE_CHANGE)).as(dumped).isEqualTo(other);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER tr AFTER INSERT ON orders FOR EACH ROW INSERT INTO log (m) VALUES (NEW.id) */ | true",
            "CREATE DEFINER=`root`@`localhost` PROCEDURE `p`(IN x INT) MODIFIES SQL DATA BEGIN UPDATE orders SET status = 'paid' WHERE id = x; END | true",
            "CREATE DEFINER=`root`@`localhost` FUNCTION `f`(x INT) RETURNS int(11) READS SQL DATA RETURN x | true",
            "/*!50106 CREATE*/ /*!50117 DEFINER=`root`@`localhost`*/ /*!50106 EVENT `e` ON SCHEDULE EVERY 1 DAY DO DELETE FROM log WHERE id < 0 */ | true",
            "CREATE DEFINER=CURRENT_USER TRIGGER tr AFTER INSERT ON orders FOR EACH ROW INSERT INTO log (m) VALUES (NEW.id) | false",
            "CREATE TRIGGER tr AFTER INSERT ON orders FOR EACH ROW INSERT INTO log (m) VALUES (NEW.id) | false",
            "ALTER DEFINER=`root`@`localhost` EVENT `e` ON SCHEDULE EVERY 1 DAY | true",
            "ALTER DEFINER='app'@'%' EVENT e ENABLE | true",
            "ALTER DEFINER=CURRENT_USER EVENT e DISABLE | false",
            "ALTER EVENT e ON SCHEDULE EVERY 2 DAY | false",
    })
    void codeDefinedForAnotherAccountIsAPrivilegeChange(String sql, boolean other) {
        List<StatementAnalysis> code = read(sql);
        assertThat(code.get(0).action()).as(sql).isEqualTo(Action.DEFINE_CODE);
        assertThat(code.get(0).traits().contains(Trait.PRIVILEGE_CHANGE)).as(sql).isEqualTo(other);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ALTER DEFINER=`root`@`localhost` VIEW v AS SELECT ssn FROM orders",
            "ALTER ALGORITHM=MERGE DEFINER=root@localhost SQL SECURITY DEFINER VIEW v AS SELECT ssn FROM orders",
    })
    void aViewAlteredForAnotherDefinerIsNotRead(String sql) {
        // not parsed: refused under any policy, never read as a plain ALTER VIEW without its definer
        assertThat(analyze(sql).parsed()).as(sql).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "CREATE SEQUENCE `s` start with 100 minvalue 100 maxvalue 999999 increment by 5 cache 10 nocycle ENGINE=InnoDB | CREATE SEQUENCE `s` start with 100 minvalue 100 maxvalue 999999 increment by 5 cache 10 nocycle",
            "CREATE TABLE `p` (`sku` varchar(20) NOT NULL, `price` decimal(10,2) NOT NULL, PRIMARY KEY (`sku`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci WITH SYSTEM VERSIONING | CREATE TABLE `p` (`sku` varchar(20) NOT NULL, `price` decimal(10,2) NOT NULL, PRIMARY KEY (`sku`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
            "DO SETVAL(`s`, 100, 0) | SELECT SETVAL(`s`, 100, 0)",
            "DO (SELECT max(ssn) FROM customers), 1 | SELECT (SELECT max(ssn) FROM customers), 1",
    })
    void aDumpsTableSequenceAndDoFormsAreReadAsTheirEquivalents(String dumped, String plain) {
        List<StatementAnalysis> form = read(dumped);
        List<StatementAnalysis> expected = read(plain);
        assertThat(form).hasSize(1);
        assertThat(without(form.get(0), Trait.PRIVILEGE_CHANGE)).isEqualTo(without(expected.get(0), Trait.PRIVILEGE_CHANGE));
    }

    @org.junit.jupiter.api.Test
    void doReturnsNoRowsAndCopiesWhatItEvaluates() {
        StatementAnalysis evaluated = read("DO (SELECT max(ssn) FROM customers)").get(0);
        assertThat(evaluated.action()).isEqualTo(Action.SELECT);
        assertThat(evaluated.resultColumns()).isEmpty();
        assertThat(evaluated.copiedColumns()).isNotEmpty();
        assertThat(evaluated.tablesRead()).containsExactly(new TableRef(null, "customers"));
        assertThat(evaluated.traits()).doesNotContain(Trait.DYNAMIC_SQL);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE TABLE p (a int) WITH SYSTEM VERSIONING; DROP TABLE q",
            "CREATE SEQUENCE s ENGINE=InnoDB; DROP TABLE q",
            "DO 1; DROP TABLE q",
            "/*!50001 CREATE ALGORITHM=UNDEFINED */ /*!50013 DEFINER=`root`@`localhost` */ /*!50001 VIEW v AS SELECT 1 */; DROP TABLE q",
    })
    void aStatementAfterADumpFormIsReadToo(String sql) {
        assertThat(read(sql)).extracting(StatementAnalysis::action).contains(Action.DROP);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "DELIMITER ;;",
            "DELIMITER ;",
            "delimiter $$",
            "DELIMITER ;;\nCREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW DELETE FROM u",
    })
    void theClientsDelimiterCommandIsRefusedWithWhatToDo(String sql) {
        assertThat(analyze(sql).parseError()).as(sql).isNotNull().contains("DELIMITER").contains("mariadb client")
                .contains("Flyway");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/*M!999999\\- enable the sandbox mode */",
            "/*M!999999\\- enable the sandbox mode */ \n-- MariaDB dump 10.19\n/*!40101 SET NAMES utf8mb4 */",
            "/*M!999999\\- enable the sandbox mode */ DROP TABLE t",
    })
    void theSandboxModeLineIsRefusedSayingToDeleteIt(String sql) {
        assertThat(analyze(sql).parseError()).as(sql).isNotNull().contains("sandbox").contains("delete");
    }

    /** What the server runs of a version comment is analysed, or the statement is refused: nothing hides there. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/*!40101 DROP TABLE victims */                                 | DROP",
            "/*!DROP TABLE victims */                                       | DROP",
            "SELECT 1 /*!40101 ; DROP TABLE victims */                      | DROP",
            "/*!40101 SET NAMES utf8mb4 */ ; DROP TABLE victims             | DROP",
            "/*!40000 ALTER TABLE `victims` DISABLE KEYS */ ; DROP TABLE victims | DROP",
            "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER tr AFTER INSERT ON victims FOR EACH ROW DELETE FROM victims */ | DEFINE_CODE",
            "/*!50001 CREATE ALGORITHM=UNDEFINED */ /*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */ /*!50001 VIEW v AS SELECT ssn FROM victims */ | CREATE",
    })
    void aStatementInAVersionCommentThatEveryServerRunsIsAnalysed(String sql, Action action) {
        assertThat(read(sql)).extracting(StatementAnalysis::action).contains(action);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1 /*!99999 ; DROP TABLE victims */",
            "SELECT 1 /*!50700 , (SELECT ssn FROM victims) */",
            "/*!100100 DROP TABLE victims */",
            "/*M!100100 DROP TABLE victims */",
            "/*M!999999 DROP TABLE victims */",
            "/*M!999999\\- enable */ /*M!100000 DROP TABLE victims */",
            "/*!40101 SET NAMES utf8mb4 /*!99999 , @x := (SELECT ssn FROM victims) */ */",
            "DO 1 /*M!100100 , (SELECT ssn FROM victims) */",
    })
    void aStatementInAVersionCommentThatSomeServersSkipIsRefused(String sql) {
        assertThat(analyze(sql).parseError()).as(sql).isNotNull();
    }
}
