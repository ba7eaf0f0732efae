package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * A MariaDB stored routine or trigger body read as the MariaDB analysis reads its statements: every table a statement
 * or expression of the body reads or writes, and every routine it calls, is among what the analysis reads from the
 * texts given, a variable is never read as a table, and a body holding anything not read for certain is not known
 * ({@code null}).
 */
class MariaDbRoutineBodyTest {

    private static final SqlAnalyzer ANALYZER = new SqlAnalyzer();

    /** What the analysis reads from the texts the body gives: {@code read:t}, {@code write:t}, {@code call:p}. */
    private static Set<String> effects(List<String> texts) {
        assertThat(texts).as("the body is read").isNotNull();
        Set<String> effects = new TreeSet<>();
        for (String text : texts) {
            SqlAnalysis analysis = ANALYZER.analyze(text, Dialect.MARIADB);
            assertThat(analysis.parsed()).as(text).isTrue();
            for (StatementAnalysis statement : analysis.statements()) {
                statement.tablesRead().forEach(t -> effects.add("read:" + t.name()));
                statement.tablesWritten().forEach(t -> effects.add("write:" + t.name()));
                statement.routines().forEach(t -> effects.add("call:" + t.name()));
            }
        }
        return effects;
    }

    private static Set<String> effects(String body, String... parameters) {
        return effects(MariaDbRoutineBody.statements(body, List.of(parameters), false));
    }

    private static Set<String> triggerEffects(String body) {
        return effects(MariaDbRoutineBody.statements(body, List.of(), true));
    }

    private static List<String> read(String body, String... parameters) {
        return MariaDbRoutineBody.statements(body, List.of(parameters), false);
    }

    @Test
    void aSingleStatementBodyIsThatStatement() {
        assertThat(effects("DELETE FROM customers WHERE id = p", "p")).containsExactly("write:customers");
        assertThat(effects("RETURN (SELECT count(*) FROM customers WHERE id = p)", "p"))
                .containsExactly("read:customers");
        assertThat(effects("SELECT name FROM customers")).containsExactly("read:customers");
        assertThat(effects("CALL other_proc(1)")).containsExactly("call:other_proc");
    }

    @Test
    void aDeclaredDefaultIsAnExpressionThatMayReadATable() {
        assertThat(effects("BEGIN DECLARE n INT DEFAULT (SELECT count(*) FROM customers); RETURN n; END"))
                .containsExactly("read:customers");
        assertThat(effects("BEGIN DECLARE a, b VARCHAR(20) CHARACTER SET utf8mb4 DEFAULT 'x'; RETURN a; END"))
                .isEmpty();
    }

    @Test
    void conditionsOfIfWhileRepeatAndCaseMayReadTables() {
        assertThat(effects("BEGIN IF EXISTS (SELECT 1 FROM t_if) THEN SET @a = 1; "
                + "ELSEIF (SELECT 1 FROM t_elseif) THEN DELETE FROM t_then; ELSE UPDATE t_else SET x = 1; END IF; END"))
                .contains("read:t_if", "read:t_elseif", "write:t_then", "write:t_else");
        assertThat(effects("BEGIN DECLARE i INT DEFAULT 0; w: WHILE i < (SELECT max(id) FROM t_while) DO "
                + "SET i = i + 1; IF i > 3 THEN LEAVE w; END IF; ITERATE w; END WHILE w; END"))
                .containsExactly("read:t_while");
        assertThat(effects("BEGIN DECLARE i INT DEFAULT 0; REPEAT SET i = i + 1; "
                + "UNTIL i > (SELECT CASE WHEN 1 = 1 THEN 2 END FROM t_until) END REPEAT; END"))
                .containsExactly("read:t_until");
        assertThat(effects("BEGIN DECLARE i INT DEFAULT 0; l: LOOP SET i = i + 1; "
                + "IF i > 3 THEN LEAVE l; END IF; END LOOP l; END")).isEmpty();
        assertThat(effects("BEGIN CASE (SELECT kind FROM t_case) WHEN (SELECT 1 FROM t_when) THEN "
                + "DELETE FROM t_branch; ELSE INSERT INTO t_other VALUES (1); END CASE; "
                + "CASE WHEN p > 1 THEN SELECT 1 FROM t_search; END CASE; END", "p"))
                .containsExactly("read:t_case", "read:t_search", "read:t_when", "write:t_branch", "write:t_other");
    }

    @Test
    void aHandlerAndACursorQueryAreRead() {
        assertThat(effects("BEGIN DECLARE done INT DEFAULT 0; DECLARE v INT; "
                + "DECLARE c CURSOR FOR SELECT id FROM customers WHERE id > done; "
                + "DECLARE dup CONDITION FOR SQLSTATE '23000'; "
                + "DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = 1; "
                + "DECLARE EXIT HANDLER FOR SQLEXCEPTION, dup, 1062 BEGIN DELETE FROM audit; RESIGNAL; END; "
                + "OPEN c; f: LOOP FETCH c INTO v; IF done THEN LEAVE f; END IF; END LOOP; CLOSE c; END"))
                .containsExactly("read:customers", "write:audit");
    }

    @Test
    void aNestedBlockIsRead() {
        assertThat(effects("outer_block: BEGIN DECLARE v INT; inner_block: BEGIN DECLARE w INT DEFAULT v; "
                + "SELECT id INTO w FROM customers LIMIT 1; END inner_block; END outer_block"))
                .containsExactly("read:customers");
    }

    @Test
    void selectIntoLocalVariablesLosesItsIntoPart() {
        List<String> texts = read("BEGIN DECLARE a INT; SELECT id INTO a FROM customers; "
                + "SELECT id FROM orders WHERE id = 1 INTO a; END");
        assertThat(texts).containsExactly("SELECT id FROM customers", "SELECT id FROM orders WHERE id = 1");
    }

    @Test
    void aForLoopReadsItsQueryAndBounds() {
        assertThat(effects("BEGIN FOR r IN (SELECT id FROM customers) DO INSERT INTO audit VALUES (r.id); END FOR; "
                + "FOR i IN 1 .. (SELECT count(*) FROM orders) DO SET @x = i; END FOR; END"))
                .containsExactly("read:customers", "read:orders", "write:audit");
        assertThat(read("BEGIN FOR i IN REVERSE 1..10 DO INSERT INTO audit VALUES (i); END FOR; END"))
                .containsExactly("SELECT 1", "SELECT 10", "INSERT INTO audit VALUES ( NULL )");
    }

    @Test
    void signalExpressionsAndReturnAreRead() {
        assertThat(effects("BEGIN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = (SELECT name FROM t_msg LIMIT 1), "
                + "MYSQL_ERRNO = 1001; END")).containsExactly("read:t_msg");
        assertThat(effects("BEGIN GET DIAGNOSTICS CONDITION 1 @m = MESSAGE_TEXT; RETURN 1; END")).isEmpty();
    }

    @Test
    void aVariableIsNeverReadAsATableNorHidesOne() {
        // customers is a parameter: MariaDB reads FROM customers as the table, which the replaced text cannot say
        assertThat(read("DELETE FROM customers WHERE id = 1", "customers")).isNull();
        assertThat(read("BEGIN DECLARE orders INT; SELECT * FROM orders; END")).isNull();
        assertThat(read("BEGIN DECLARE c INT; SELECT c.id FROM customers c; END")).isNull();
        // a variable named like a column stands for itself: the table is still read
        assertThat(effects("BEGIN DECLARE id INT DEFAULT 1; SELECT name FROM customers WHERE id = id; END"))
                .containsExactly("read:customers");
        assertThat(read("BEGIN DECLARE id INT DEFAULT 1; SELECT name FROM customers WHERE id = id; END"))
                .containsExactly("SELECT 1", "SELECT name FROM customers WHERE NULL = NULL");
    }

    @Test
    void stringsAndCommentsHoldingEndAreNoStatements() {
        assertThat(effects("BEGIN SELECT 'END; DELETE FROM x; END' FROM customers; /* END; */ -- END;\n"
                + "# END IF;\n DELETE FROM audit WHERE note = 'END IF;'; END"))
                .containsExactly("read:customers", "write:audit");
    }

    @Test
    void triggerRowsAreTheWrittenRowReadAsTheMarkerRelation() {
        // NEW.col and OLD.col are columns of the row written (PlpgsqlBody.TRIGGER_ROW), no table of the schema
        assertThat(triggerEffects("INSERT INTO audit (id, note) VALUES (NEW.id, OLD.note)"))
                .containsExactly("read:row", "write:audit");
        assertThat(triggerEffects("BEGIN SET NEW.total = (SELECT sum(x) FROM prices WHERE id = NEW.id); "
                + "IF OLD.id IS NOT NULL THEN DELETE FROM audit WHERE id = OLD.id; END IF; END"))
                .containsExactly("read:prices", "read:row", "write:audit");
        assertThat(MariaDbRoutineBody.statements("INSERT INTO audit (v) VALUES (NEW.ssn)", List.of(), true))
                .singleElement().asString().contains("(SELECT ssn FROM `governed trigger`.`row`)");
        assertThat(MariaDbRoutineBody.statements("INSERT INTO audit (v) SELECT v FROM `governed trigger`.`row`",
                List.of(), true)).isNull();
    }

    @Test
    void sessionAndUserVariableSettingsArePassedThrough() {
        assertThat(read("BEGIN SET @a = (SELECT 1 FROM t); SET SESSION sql_mode = ''; END"))
                .containsExactly("SET @a = (SELECT 1 FROM t)", "SET SESSION sql_mode = ''");
        assertThat(read("BEGIN DECLARE v INT; SET v = 1, @a = 2; END")).isNull();
    }

    @Test
    void dynamicSqlIsNotKnown() {
        assertThat(read("BEGIN PREPARE s FROM 'DELETE FROM customers'; EXECUTE s; DEALLOCATE PREPARE s; END")).isNull();
        assertThat(read("BEGIN EXECUTE IMMEDIATE 'DELETE FROM customers'; END")).isNull();
        assertThat(read("EXECUTE IMMEDIATE CONCAT('DELETE FROM ', 'customers')")).isNull();
        assertThat(read("BEGIN SET STATEMENT max_statement_time = 1 FOR EXECUTE s; END")).isNull();
        assertThat(read("BEGIN DECLARE CONTINUE HANDLER FOR SQLEXCEPTION EXECUTE s; SELECT 1; END")).isNull();
    }

    @Test
    void anythingUnbalancedOrUnknownIsNotKnown() {
        assertThat(read("BEGIN SELECT 1;")).isNull();
        assertThat(read("BEGIN IF 1 THEN SELECT 1; END; END")).isNull();
        assertThat(read("BEGIN SELECT 1; END WHILE; END")).isNull();
        assertThat(read("BEGIN LEAVE nowhere; END")).isNull();
        assertThat(read("BEGIN SELECT 1; DECLARE v INT; END")).isNull();
        assertThat(read("BEGIN DECLARE v ROW TYPE OF customers; END")).isNull();
        assertThat(read("BEGIN SELECT 'unterminated; END")).isNull();
        assertThat(read("BEGIN SELECT (1; END")).isNull();
        assertThat(read("")).isNull();
        assertThat(read(null)).isNull();
        assertThat(read("BEGIN FOR r IN c DO SELECT 1; END FOR; END")).isNull();
        assertThat(read("BEGIN DECLARE lock_target INT; LOCK TABLES lock_target WRITE; END")).isNull();
        assertThat(read("BEGIN DECLARE v INT; SELECT 1 INTO v, @u; END")).isNull();
        assertThat(read("BEGIN SELECT 1 INTO nothing_declared; END")).isNull();
    }
}
