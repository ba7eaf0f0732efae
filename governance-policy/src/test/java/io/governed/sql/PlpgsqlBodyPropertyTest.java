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
 * PL/pgSQL bodies generated from the constructs {@link PlpgsqlBody} reads (labelled and nested blocks, declarations with
 * defaults and cursors, handlers, assignments, IF, both CASE forms, the loops, EXIT, PERFORM, SELECT INTO, RETURNING
 * INTO, RAISE, ASSERT, RETURN QUERY and NEXT, diagnostics), with a table read placed in each expression or query the
 * choices pick, and strings and comments holding {@code END;} and {@code $$} between: every table placed is among the
 * tables the PostgreSQL analysis reads or writes from the texts given, and no variable is read as a table.
 */
class PlpgsqlBodyPropertyTest {

    private static final SqlAnalyzer ANALYZER = new SqlAnalyzer();

    /** Builds one body from a list of choices (0 when they run out, which picks the simplest form). */
    private static final class Body {
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

        /** A value (parenthesised where it stands: an expression): a variable, a parameter, a literal, or (often) a subquery reading a new table. */
        private String expression() {
            return "(" + value() + ")";
        }

        private String value() {
            return switch (choose(8)) {
                case 0 -> "x + 1";
                case 1 -> "k";
                case 2 -> "'END; $$ ' || r.id";
                case 3 -> "(SELECT count(*) FROM " + table() + " WHERE id = k)";
                case 4 -> "EXISTS (SELECT 1 FROM " + table() + " t WHERE t.id = x) /* END; $$ */";
                case 5 -> "coalesce((SELECT max(id) FROM " + table() + "), x)";
                case 6 -> "$q$ END IF; $q$ = (SELECT name FROM " + table() + " LIMIT 1)";
                default -> "(SELECT 1 FROM " + table() + " WHERE id = lbl.x LIMIT 1) IS NOT NULL -- END;\n";
            };
        }

        private String query() {
            return choose(2) == 0 ? "SELECT * FROM " + table() + " WHERE id = k"
                    : "SELECT a.* FROM " + table() + " a JOIN " + table() + " b ON a.id = b.id AND b.id = x";
        }

        private void statements(int depth, boolean inLoop) {
            int count = 1 + choose(3);
            for (int i = 0; i < count; i++) {
                statement(depth, inLoop);
            }
        }

        private void statement(int depth, boolean inLoop) {
            int kind = depth >= 4 ? 10 + choose(13) : choose(23);
            switch (kind) {
                case 0 -> {
                    out.append("IF ").append(expression()).append(" THEN ");
                    statements(depth + 1, inLoop);
                    if (choose(2) == 1) {
                        out.append(" ELSIF ").append(expression()).append(" THEN ");
                        statements(depth + 1, inLoop);
                    }
                    if (choose(2) == 1) {
                        out.append(" ELSE ");
                        statements(depth + 1, inLoop);
                    }
                    out.append(" END IF;\n");
                }
                case 1 -> {
                    if (choose(2) == 0) {
                        out.append("CASE ").append(expression()).append(" WHEN ").append(expression()).append(", 2 THEN ");
                    } else {
                        out.append("CASE WHEN ").append(expression()).append(" THEN ");
                    }
                    statements(depth + 1, inLoop);
                    out.append(" ELSE ");
                    statements(depth + 1, inLoop);
                    out.append(" END CASE;\n");
                }
                case 2 -> {
                    out.append("LOOP ");
                    statements(depth + 1, true);
                    out.append(" EXIT WHEN ").append(expression()).append("; END LOOP;\n");
                }
                case 3 -> {
                    out.append("WHILE ").append(expression()).append(" LOOP ");
                    statements(depth + 1, true);
                    out.append(" END LOOP;\n");
                }
                case 4 -> {
                    out.append("FOR i IN ").append(choose(2) == 0 ? "" : "REVERSE ").append(expression()).append("..")
                            .append(expression()).append(choose(2) == 0 ? "" : " BY " + expression()).append(" LOOP ");
                    statements(depth + 1, true);
                    out.append(" END LOOP;\n");
                }
                case 5 -> {
                    out.append("FOR r IN ").append(query()).append(" LOOP ");
                    statements(depth + 1, true);
                    out.append(" END LOOP;\n");
                }
                case 6 -> {
                    out.append("FOREACH x IN ARRAY ").append(choose(2) == 0 ? "arr"
                            : "(SELECT array_agg(id) FROM " + table() + ")").append(" LOOP ");
                    statements(depth + 1, true);
                    out.append(" END LOOP;\n");
                }
                case 7, 8 -> block(depth + 1, inLoop);
                case 9 -> {
                    String label = "l" + labels++;
                    out.append("<<").append(label).append(">> LOOP ");
                    statements(depth + 1, true);
                    out.append(" EXIT ").append(label).append(" WHEN ").append(expression()).append("; END LOOP ")
                            .append(label).append(";\n");
                }
                case 10 -> out.append("x := ").append(expression()).append(";\n");
                case 11 -> out.append("arr[").append(expression()).append("] = ").append(expression()).append(";\n");
                case 12 -> out.append("PERFORM ").append(expression()).append(";\n");
                case 13 -> out.append("SELECT id INTO STRICT x FROM ").append(table()).append(" WHERE id = k;\n");
                case 14 -> out.append("INSERT INTO ").append(table()).append(" (id) VALUES (").append(expression())
                        .append(") RETURNING id INTO x;\n");
                case 15 -> out.append("RAISE NOTICE 'END; % $$', ").append(expression()).append(" USING HINT = ")
                        .append(expression()).append(";\n");
                case 16 -> out.append("ASSERT ").append(expression()).append(", ").append(expression()).append(";\n");
                case 17 -> out.append("RETURN QUERY ").append(query()).append(";\n");
                case 18 -> out.append("RETURN NEXT ").append(expression()).append(";\n");
                case 19 -> out.append("GET DIAGNOSTICS x = ROW_COUNT; NULL;\n");
                case 20 -> out.append(inLoop ? "CONTINUE WHEN " + expression() + ";\n" : "NULL;\n");
                case 21 -> out.append("UPDATE ").append(table()).append(" SET id = ").append(expression())
                        .append(" WHERE id = k;\n");
                default -> out.append("DELETE FROM ").append(table()).append(" WHERE id = ").append(expression())
                        .append(";\n");
            }
        }

        private void block(int depth, boolean inLoop) {
            boolean labelled = choose(2) == 1;
            String label = "b" + labels++;
            if (labelled) {
                out.append("<<").append(label).append(">>\n");
            }
            int declarations = choose(3);
            if (declarations > 0) {
                out.append("DECLARE\n");
                for (int i = 0; i < declarations; i++) {
                    if (choose(3) == 0) {
                        out.append("c").append(labels++).append(" CURSOR (p int) FOR ").append(query())
                                .append(" AND id = p;\n");
                    } else {
                        out.append("d").append(labels++).append(" int := ").append(expression()).append(";\n");
                    }
                }
            }
            out.append("BEGIN\n");
            statements(depth, inLoop);
            if (choose(3) == 0) {
                out.append("EXCEPTION WHEN division_by_zero OR SQLSTATE '22012' THEN ");
                statements(depth + 1, inLoop);
                out.append(" WHEN others THEN RAISE NOTICE '%', SQLERRM; ");
                statements(depth + 1, inLoop);
            }
            out.append("END").append(labelled ? " " + label : "").append(";\n");
        }

        String build() {
            return build("");
        }

        /** The body, with {@code declared} (declarations) in its outermost block. */
        String build(String declared) {
            out.append("<<lbl>>\nDECLARE x int; r record; arr int[]; ").append(declared).append("\nBEGIN\n");
            statements(1, false);
            out.append("END lbl\n");
            return out.toString();
        }
    }

    @Property(tries = 400)
    void everyTablePlacedInABodyIsReadFromItsTexts(@ForAll @Size(max = 80) List<@IntRange(min = 0, max = 1000) Integer> choices) {
        Body generated = new Body(choices);
        String body = generated.build();
        List<String> texts = PlpgsqlBody.statements(body, "f", List.of("k"), false);
        assertThat(texts).as(body).isNotNull();
        Set<String> touched = new TreeSet<>();
        List<String> columnsOfVariables = new ArrayList<>();
        for (String text : texts) {
            SqlAnalysis analysis = ANALYZER.analyze(text, Dialect.POSTGRESQL);
            assertThat(analysis.parsed()).as(text).isTrue();
            for (StatementAnalysis statement : analysis.statements()) {
                statement.tablesRead().forEach(t -> touched.add(t.name()));
                statement.tablesWritten().forEach(t -> touched.add(t.name()));
                statement.columns().stream().filter(c -> Set.of("x", "k", "r", "arr", "lbl", "i").contains(c.column())
                        || Set.of("r", "lbl", "arr").contains(String.valueOf(c.table())))
                        .forEach(c -> columnsOfVariables.add(text + ": " + c));
            }
        }
        assertThat(touched).as(body).containsAll(generated.placed);
        assertThat(touched).as(body).allMatch(t -> t.startsWith("tbl_"));
        assertThat(columnsOfVariables).as(body).isEmpty();
    }

    /**
     * The same bodies with a variable named like one of the tables placed: the server reads the table where its name
     * stands in FROM, INSERT INTO, UPDATE or DELETE, and the variable in an expression. The body is not known, or every
     * table placed is still read from its texts.
     */
    @Property(tries = 300)
    void aVariableNamedLikeATableHidesNoTable(@ForAll @Size(max = 80) List<@IntRange(min = 0, max = 1000) Integer> choices,
                                              @ForAll @IntRange(min = 0, max = 5) int shadowed) {
        Body generated = new Body(choices);
        String body = generated.build("tbl_" + shadowed + " int := 1;");
        List<String> texts = PlpgsqlBody.statements(body, "f", List.of("k"), false);
        if (texts == null) {
            return;
        }
        Set<String> touched = new TreeSet<>();
        for (String text : texts) {
            SqlAnalysis analysis = ANALYZER.analyze(text, Dialect.POSTGRESQL);
            assertThat(analysis.parsed()).as(text).isTrue();
            for (StatementAnalysis statement : analysis.statements()) {
                statement.tablesRead().forEach(t -> touched.add(t.name()));
                statement.tablesWritten().forEach(t -> touched.add(t.name()));
            }
        }
        assertThat(touched).as(body).containsAll(generated.placed);
    }
}
