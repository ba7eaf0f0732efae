package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * A PostgreSQL routine with a SQL-standard body ({@code BEGIN ATOMIC … END} holding CASE expressions, strings, dollar
 * quotes, comments and quoted names with {@code ;}, {@code END} and {@code BEGIN}), followed in the same text by a
 * {@code DROP TABLE}: the analysis returns the drop, or refuses the whole text, and never hides it inside the
 * definition, whether the body is well formed or has a word taken out or put in.
 */
class PostgresAtomicBodyEndsPropertyTest {

    private static final SqlAnalyzer ANALYZER = new SqlAnalyzer();

    private static final List<String> HEADERS = List.of(
            "CREATE FUNCTION f(k int) RETURNS int LANGUAGE sql ",
            "CREATE OR REPLACE FUNCTION app.f(k int DEFAULT 0, OUT r text) LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ",
            "create procedure p(k int) language sql set search_path = app ",
            "CREATE OR REPLACE PROCEDURE \"P\"() LANGUAGE sql ");

    private static final List<String> STATEMENTS = List.of(
            "SELECT 1",
            "SELECT CASE WHEN k > 0 THEN 'END;' ELSE 'BEGIN ATOMIC' END",
            "SELECT CASE k WHEN 1 THEN (CASE WHEN true THEN 2 END) ELSE 3 END FROM t",
            "INSERT INTO log VALUES (k, $$ END; $$)",
            "UPDATE items SET n = n + 1 WHERE id = k /* END; */",
            "DELETE FROM items WHERE id = k -- END;\n",
            "SELECT \"end\", \"case\" FROM t",
            "SELECT $q$;END;$q$",
            "SELECT begin FROM t",
            "RETURN k");

    private static final List<String> MUTATIONS = List.of("END", "END;", ";", "CASE", "BEGIN ATOMIC", "BEGIN", "'",
            "$$", "/*", "*/", "--", "(", ")", "AS end", "\"", "t.end", "SELECT");

    private static String body(List<Integer> choices) {
        StringBuilder body = new StringBuilder("BEGIN ATOMIC ");
        for (int choice : choices) {
            body.append(STATEMENTS.get(choice % STATEMENTS.size())).append("; ");
        }
        return body.append("END").toString();
    }

    private static boolean seesTheDrop(SqlAnalysis a) {
        return a.statements().stream().anyMatch(s -> s.action() == Action.DROP
                && s.tablesWritten().contains(new TableRef(null, "victim")));
    }

    @Property(tries = 400)
    void aWellFormedBodyIsReadWithTheStatementAfterIt(
            @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 1000) Integer> choices,
            @ForAll @IntRange(min = 0, max = 1000) int header) {
        String sql = HEADERS.get(header % HEADERS.size()) + body(choices) + ";\nDROP TABLE victim";
        SqlAnalysis a = ANALYZER.analyze(sql, Dialect.POSTGRESQL);
        assertThat(a.parsed()).as(sql + "\n" + a.parseError()).isTrue();
        assertThat(a.statements()).as(sql).hasSize(2);
        assertThat(a.statements().get(0).action()).as(sql).isEqualTo(Action.DEFINE_CODE);
        assertThat(seesTheDrop(a)).as(sql).isTrue();
    }

    @Property(tries = 1000)
    void aBodyWithAWordTakenOutOrPutInNeverHidesTheStatementAfterIt(
            @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 1000) Integer> choices,
            @ForAll @IntRange(min = 0, max = 1000) int header, @ForAll @IntRange(min = 0, max = 100_000) int place,
            @ForAll @IntRange(min = 0, max = 1000) int mutation, @ForAll boolean takeOut) {
        String[] words = body(choices).split(" ", -1);
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
        // a line break first: a '--' comment the mutation leaves open would hide the statement from PostgreSQL too
        String sql = HEADERS.get(header % HEADERS.size()) + mutated + "\n; DROP TABLE victim";
        SqlAnalysis a = ANALYZER.analyze(sql, Dialect.POSTGRESQL);
        if (a.parsed() && LexedSql.of(sql, Dialect.POSTGRESQL).statementEnds().length > 0) {
            assertThat(seesTheDrop(a)).as(sql).isTrue();
        } else if (a.parsed()) {
            // the mutation left a comment or a string open over every ';': PostgreSQL too reads the text as one
            // definition whose body holds the further statement
            assertThat(a.statements()).as(sql).singleElement()
                    .satisfies(s -> assertThat(s.action()).isEqualTo(Action.DEFINE_CODE));
        }
    }
}
