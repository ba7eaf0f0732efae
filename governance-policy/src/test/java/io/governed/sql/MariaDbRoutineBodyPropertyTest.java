package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * MariaDB routine bodies generated from the constructs {@link MariaDbRoutineBody} reads (labelled and nested blocks,
 * declarations with defaults, cursors, conditions and handlers, SET, IF, both CASE forms, LOOP, WHILE, REPEAT, FOR,
 * LEAVE, ITERATE, OPEN, FETCH, CLOSE, SELECT INTO, RETURN, SIGNAL, GET DIAGNOSTICS, CALL), with a table read placed in
 * each expression or query the choices pick, and strings and comments holding {@code END;} between: every table placed
 * is among the tables the MariaDB analysis reads or writes from the texts given, and no variable is read as a table.
 */
class MariaDbRoutineBodyPropertyTest {

    private static final SqlAnalyzer ANALYZER = new SqlAnalyzer();

    /** Builds one body from a list of choices (0 when they run out, which picks the simplest form). */
    static final class Body {
        private final List<Integer> choices;
        private int next;
        private int tables;
        private int labels;
        private final Set<String> placed = new TreeSet<>();
        private final StringBuilder out = new StringBuilder();

        Body(List<Integer> choices) {
            this.choices = choices;
        }

        private int choose(int bound) {
            return next < choices.size() ? choices.get(next++) % bound : 0;
        }

        private String table() {
            String name = "tbl_" + tables++;
            placed.add(name);
            return name;
        }

        private String expression() {
            return "(" + value() + ")";
        }

        private String value() {
            return switch (choose(7)) {
                case 0 -> "x + 1";
                case 1 -> "k";
                case 2 -> "CONCAT('END; END IF;', x)";
                case 3 -> "(SELECT count(*) FROM " + table() + " WHERE id = k)";
                case 4 -> "EXISTS (SELECT 1 FROM " + table() + " t WHERE t.id = x) /* END; */";
                case 5 -> "CASE WHEN x > 1 THEN (SELECT max(id) FROM " + table() + ") ELSE k END";
                default -> "COALESCE((SELECT 1 FROM " + table() + " WHERE id = x LIMIT 1), 0) -- END;\n";
            };
        }

        private String query() {
            return choose(2) == 0 ? "SELECT id FROM " + table() + " WHERE id = k"
                    : "SELECT a.id FROM " + table() + " a JOIN " + table() + " b ON a.id = b.id AND b.id = x";
        }

        private void statements(int depth) {
            int count = 1 + choose(3);
            for (int i = 0; i < count; i++) {
                statement(depth);
            }
        }

        private void statement(int depth) {
            int kind = depth >= 4 ? 9 + choose(9) : choose(18);
            switch (kind) {
                case 0 -> block(depth);
                case 1 -> {
                    out.append("IF ").append(expression()).append(" THEN ");
                    statements(depth + 1);
                    if (choose(2) == 0) {
                        out.append("ELSEIF ").append(expression()).append(" THEN ");
                        statements(depth + 1);
                    }
                    if (choose(2) == 0) {
                        out.append("ELSE ");
                        statements(depth + 1);
                    }
                    out.append("END IF;\n");
                }
                case 2 -> {
                    out.append("CASE ").append(expression()).append(" WHEN ").append(expression()).append(" THEN ");
                    statements(depth + 1);
                    out.append("ELSE ");
                    statements(depth + 1);
                    out.append("END CASE;\n");
                }
                case 3 -> {
                    out.append("CASE WHEN ").append(expression()).append(" THEN ");
                    statements(depth + 1);
                    out.append("END CASE;\n");
                }
                case 4 -> {
                    String label = "l" + labels++;
                    out.append(label).append(": WHILE ").append(expression()).append(" DO ");
                    statements(depth + 1);
                    out.append("LEAVE ").append(label).append("; END WHILE ").append(label).append(";\n");
                }
                case 5 -> {
                    out.append("REPEAT ");
                    statements(depth + 1);
                    out.append("UNTIL ").append(expression()).append(" END REPEAT;\n");
                }
                case 6 -> {
                    String label = "l" + labels++;
                    out.append(label).append(": LOOP ");
                    statements(depth + 1);
                    out.append("IF x > 2 THEN LEAVE ").append(label).append("; END IF; ITERATE ").append(label)
                            .append("; END LOOP;\n");
                }
                case 7 -> {
                    out.append("FOR i IN (").append(query()).append(") DO SET x = i.id; ");
                    statements(depth + 1);
                    out.append("END FOR;\n");
                }
                case 8 -> {
                    out.append("FOR i IN 1 .. ").append(expression()).append(" DO SET x = i; ");
                    statements(depth + 1);
                    out.append("END FOR;\n");
                }
                case 9 -> out.append("SET x = ").append(expression()).append(", k = ").append(expression()).append(";\n");
                case 10 -> out.append("SELECT id INTO x FROM ").append(table()).append(" WHERE id = k LIMIT 1;\n");
                case 11 -> out.append("UPDATE ").append(table()).append(" SET flag = ").append(expression())
                        .append(" WHERE id = x;\n");
                case 12 -> out.append("DELETE FROM ").append(table()).append(" WHERE id = ").append(expression())
                        .append(";\n");
                case 13 -> out.append("INSERT INTO ").append(table()).append(" (id, note) VALUES (x, 'END;');\n");
                case 14 -> out.append("SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = ").append(expression()).append(";\n");
                case 15 -> out.append("OPEN c; FETCH c INTO x; CLOSE c; GET DIAGNOSTICS @n = NUMBER;\n");
                case 16 -> out.append("SET @u = ").append(expression()).append(";\n");
                default -> out.append("CALL some_proc(").append(expression()).append(");\n");
            }
        }

        private void block(int depth) {
            boolean labelled = choose(2) == 0;
            String label = "b" + labels++;
            out.append(labelled ? label + ": " : "").append("BEGIN ");
            if (choose(2) == 0) {
                out.append("DECLARE y INT DEFAULT ").append(expression()).append("; ");
            }
            if (choose(2) == 0) {
                out.append("DECLARE CONTINUE HANDLER FOR SQLEXCEPTION ");
                statement(depth + 1);
            }
            statements(depth + 1);
            out.append("END").append(labelled ? " " + label : "").append(";\n");
        }

        /** The body, with {@code declared} (declarations) in its outermost block. */
        String build(String declared) {
            out.append("top: BEGIN\nDECLARE x INT DEFAULT 0; ").append(declared)
                    .append("DECLARE c CURSOR FOR ").append(query()).append(";\n")
                    .append("DECLARE EXIT HANDLER FOR NOT FOUND, SQLSTATE '23000' BEGIN DELETE FROM ")
                    .append(table()).append(" WHERE id = x; END;\n");
            statements(1);
            out.append("END top");
            return out.toString();
        }
    }

    private static Set<String> touched(List<String> texts, List<String> variableColumns) {
        Set<String> touched = new TreeSet<>();
        for (String text : texts) {
            SqlAnalysis analysis = ANALYZER.analyze(text, Dialect.MARIADB);
            assertThat(analysis.parsed()).as(text).isTrue();
            for (StatementAnalysis statement : analysis.statements()) {
                statement.tablesRead().forEach(t -> touched.add(t.name()));
                statement.tablesWritten().forEach(t -> touched.add(t.name()));
                statement.columns().stream().filter(c -> Set.of("x", "k", "y", "i").contains(c.column())
                        || Set.of("i").contains(String.valueOf(c.table())))
                        .forEach(c -> variableColumns.add(text + ": " + c));
            }
        }
        return touched;
    }

    @Property(tries = 400)
    void everyTablePlacedInABodyIsReadFromItsTexts(
            @ForAll @Size(max = 80) List<@IntRange(min = 0, max = 1000) Integer> choices) {
        Body generated = new Body(choices);
        String body = generated.build("");
        List<String> texts = MariaDbRoutineBody.statements(body, List.of("k"), false);
        assertThat(texts).as(body).isNotNull();
        List<String> variableColumns = new ArrayList<>();
        Set<String> touched = touched(texts, variableColumns);
        assertThat(touched).as(body).containsAll(generated.placed);
        assertThat(touched).as(body).allMatch(t -> t.startsWith("tbl_"));
        assertThat(variableColumns).as(body).isEmpty();
    }

    /**
     * The same bodies with a variable named like one of the tables placed: MariaDB reads the table where its name
     * stands in FROM, INSERT INTO, UPDATE or DELETE, and the variable in an expression. The body is not known, or every
     * table placed is still read from its texts.
     */
    @Property(tries = 300)
    void aVariableNamedLikeATableHidesNoTable(
            @ForAll @Size(max = 80) List<@IntRange(min = 0, max = 1000) Integer> choices,
            @ForAll @IntRange(min = 0, max = 5) int shadowed) {
        Body generated = new Body(choices);
        String body = generated.build("DECLARE tbl_" + shadowed + " INT DEFAULT 1; ");
        List<String> texts = MariaDbRoutineBody.statements(body, List.of("k"), false);
        if (texts == null) {
            return;
        }
        Set<String> touched = touched(texts, new ArrayList<>());
        assertThat(touched).as(body).containsAll(generated.placed);
    }

    /** The same bodies with dynamic SQL anywhere among the statements are not known. */
    @Property(tries = 200)
    void dynamicSqlMakesABodyNotKnown(@ForAll @Size(max = 60) List<@IntRange(min = 0, max = 1000) Integer> choices) {
        Body generated = new Body(choices);
        String body = generated.build("");
        int end = body.lastIndexOf("END top");
        String dynamic = body.substring(0, end) + "PREPARE s FROM @q; EXECUTE s;\n" + body.substring(end);
        assertThat(MariaDbRoutineBody.statements(dynamic, List.of("k"), false)).as(dynamic).isNull();
    }
}
