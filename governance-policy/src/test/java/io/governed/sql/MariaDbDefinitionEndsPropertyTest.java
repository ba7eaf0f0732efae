package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * A MariaDB routine, trigger or event definition (bodies of nested blocks, IF and CASE statements, CASE expressions,
 * loops, handlers, strings and comments holding {@code ;}, {@code END} and {@code BEGIN}), followed in the same text by
 * a further statement: the analysis returns that statement, or refuses the whole text, and never hides it inside the
 * definition, whether the body is well formed or has a word taken out or put in.
 */
class MariaDbDefinitionEndsPropertyTest {

    private static final SqlAnalyzer ANALYZER = new SqlAnalyzer();

    private static final List<String> HEADERS = List.of(
            "CREATE PROCEDURE p() ",
            "CREATE OR REPLACE DEFINER = `u`@`localhost` PROCEDURE IF NOT EXISTS app.p(IN a INT, OUT b TEXT) "
                    + "MODIFIES SQL DATA SQL SECURITY INVOKER COMMENT 'BEGIN; END' ",
            "CREATE FUNCTION f(k INT) RETURNS INT DETERMINISTIC ",
            "CREATE DEFINER = CURRENT_USER() FUNCTION f(k INT) RETURNS VARCHAR(20) CHARSET utf8mb4 NOT DETERMINISTIC "
                    + "READS SQL DATA ",
            "CREATE TRIGGER t BEFORE UPDATE ON accounts FOR EACH ROW ",
            "CREATE TRIGGER t AFTER INSERT ON accounts FOR EACH ROW PRECEDES other ",
            "CREATE EVENT e ON SCHEDULE EVERY 1 DAY STARTS CURRENT_TIMESTAMP + INTERVAL 1 HOUR "
                    + "ON COMPLETION PRESERVE COMMENT 'DO BEGIN' DO ");

    private static final List<String> SIMPLE_BODIES = List.of(
            "RETURN (SELECT CASE WHEN 1 THEN 'END;' ELSE 'BEGIN' END)",
            "SELECT IF(1, 2, 3), REPEAT('x', 2) /* END; BEGIN */ FROM dual",
            "IF (k > 1) THEN SELECT 1; ELSEIF k < 0 THEN BEGIN END; ELSE SELECT CASE k WHEN 1 THEN 2 END; END IF",
            "CASE WHEN k THEN SELECT 1; ELSE BEGIN SELECT 'END CASE;'; END; END CASE",
            "x: LOOP LEAVE x; END LOOP x",
            "UPDATE accounts SET balance = IF(balance > 0, 0, 1) -- END;\n",
            "BEGIN NOT ATOMIC END");

    private static final List<String> FURTHER = List.of(
            "DROP TABLE mb_victim",
            "DROP TABLE IF EXISTS mb_victim",
            "/* BEGIN */ DROP TABLE mb_victim",
            "-- END;\nDROP TABLE mb_victim",
            "DROP TABLE `mb_victim`");

    private static final List<String> SEPARATORS = List.of(";", "; ", ";\n", " ;\n\n", "; /* END; */ ", ";-- x\n");

    /** Words a careless or curious hand might leave out or put in. */
    private static final List<String> MUTATIONS = List.of("END", "END IF", "BEGIN", ";", "END;", "CASE", "IF",
            "IF(", ")", "(", "REPEAT", "UNTIL 1", "END REPEAT", "l:", "END LOOP", "'", "DO", "THEN", "WHILE 1 DO");

    private static String body(List<Integer> choices, int kind) {
        if (kind % 3 == 0) {
            return SIMPLE_BODIES.get(Math.floorMod(choices.isEmpty() ? 0 : choices.get(0), SIMPLE_BODIES.size()));
        }
        return new MariaDbRoutineBodyPropertyTest.Body(choices).build("");
    }

    private static boolean seesTheDrop(SqlAnalysis a) {
        return a.statements().stream().anyMatch(s -> s.action() == Action.DROP
                && s.tablesWritten().contains(new TableRef(null, "mb_victim")));
    }

    @Property(tries = 400)
    void theStatementAfterADefinitionIsNeverHidden(
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 1000) Integer> choices,
            @ForAll @IntRange(min = 0, max = 1000) int header, @ForAll @IntRange(min = 0, max = 1000) int kind,
            @ForAll @IntRange(min = 0, max = 1000) int separator, @ForAll @IntRange(min = 0, max = 1000) int further) {
        String sql = HEADERS.get(header % HEADERS.size()) + body(choices, kind)
                + SEPARATORS.get(separator % SEPARATORS.size()) + FURTHER.get(further % FURTHER.size());
        SqlAnalysis a = ANALYZER.analyze(sql, Dialect.MARIADB);
        if (a.parsed()) {
            assertThat(seesTheDrop(a)).as(sql).isTrue();
        }
    }

    @Property(tries = 400)
    void aWellFormedBodyIsReadWithTheStatementAfterIt(
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 1000) Integer> choices,
            @ForAll @IntRange(min = 0, max = 1000) int separator, @ForAll @IntRange(min = 0, max = 1000) int further) {
        String sql = "CREATE PROCEDURE p(k INT) " + new MariaDbRoutineBodyPropertyTest.Body(choices).build("")
                + SEPARATORS.get(separator % SEPARATORS.size()) + FURTHER.get(further % FURTHER.size());
        SqlAnalysis a = ANALYZER.analyze(sql, Dialect.MARIADB);
        assertThat(a.parsed()).as(sql + "\n" + a.parseError()).isTrue();
        assertThat(a.statements().get(0).action()).as(sql).isEqualTo(Action.DEFINE_CODE);
        assertThat(seesTheDrop(a)).as(sql).isTrue();
    }

    @Property(tries = 600)
    void aBodyWithAWordTakenOutOrPutInNeverHidesTheStatementAfterIt(
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 1000) Integer> choices,
            @ForAll @IntRange(min = 0, max = 1000) int header, @ForAll @IntRange(min = 0, max = 1000) int kind,
            @ForAll @IntRange(min = 0, max = 100_000) int place, @ForAll @IntRange(min = 0, max = 1000) int mutation,
            @ForAll boolean takeOut, @ForAll @IntRange(min = 0, max = 1000) int further) {
        String body = body(choices, kind);
        String[] words = body.split(" ", -1);
        int at = place % words.length;
        StringBuilder mutated = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            if (i == at && !takeOut) {
                mutated.append(MUTATIONS.get(mutation % MUTATIONS.size())).append(' ');
            }
            if (i != at || !takeOut) {
                mutated.append(words[i]).append(i < words.length - 1 ? " " : "");
            }
        }
        // a line break first: a '--' comment the mutation leaves open would hide the statement from MariaDB as well
        String sql = HEADERS.get(header % HEADERS.size()) + mutated + "\n; " + FURTHER.get(further % FURTHER.size());
        SqlAnalysis a = ANALYZER.analyze(sql, Dialect.MARIADB);
        if (a.parsed() && LexedSql.of(sql, Dialect.MARIADB).statementEnds().length > 0) {
            assertThat(seesTheDrop(a)).as(sql).isTrue();
        } else if (a.parsed()) {
            // the mutation left a comment or a string open over every ';': MariaDB too reads the text as one
            // definition whose body holds the further statement, read when the routine is called, not run now
            assertThat(a.statements()).as(sql).singleElement()
                    .satisfies(s -> assertThat(s.action()).isEqualTo(Action.DEFINE_CODE));
        }
    }
}
