package io.governed.sql;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a PostgreSQL text's tokens tell of the user code it may reach by itself: a call, a cast, an operator, a statement
 * kept by name run, a typed literal all may; literals, quoted names and comments are not code, and a text the lexer
 * cannot read to its end may do anything.
 */
class UserCodeReachTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT lower(name) FROM t",
            "SELECT 1::text",
            "SELECT CAST(1 AS text)",
            "SELECT checked_text 'x'",
            "SELECT \"checked_text\" 'x'",
            "SELECT checked_text /* a comment between */ 'x'",
            "SELECT checked_text $$x$$",
            "EXECUTE kept",
            "  ;EXECUTE kept",
            "SELECT 1; execute kept",
            "SELECT a[1] FROM t",
            "SELECT {fn lower('a')}",
            "SELECT 'unterminated",
            "SELECT 1 /* unterminated comment",
            "SELECT $tag$ never closed",
    })
    void callsOrCasts(String sql) {
        UserCodeReach reach = UserCodeReach.of(sql);
        assertThat(reach.callsOrCasts()).as(sql).isTrue();
        assertThat(reach.mayApplyOperators()).as(sql).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT name + name FROM t",
            "SELECT email FROM t WHERE id = ?",
            "SELECT email FROM t WHERE id = $1",
            "SELECT * FROM t",
            "SELECT a ~ b FROM t",
            "SELECT -1",
            "SELECT a || b FROM t",
            "SELECT a OPERATOR(public.+) b FROM t",
            // operators PostgreSQL looks up by name on the search path, written as words
            "SELECT name FROM t WHERE name LIKE 'a%'",
            "SELECT 'a' LIKE 'b'",
            "SELECT 'a' NOT ILIKE 'b'",
            "SELECT 'a' SIMILAR TO 'b'",
            "SELECT 'b' BETWEEN 'a' AND 'c'",
            "SELECT 'a' IS DISTINCT FROM 'b'",
            "SELECT CASE 'a' WHEN 'b' THEN 1 END",
    })
    void operatorsWithoutCallsOrCasts(String sql) {
        UserCodeReach reach = UserCodeReach.of(sql);
        assertThat(reach.mayApplyOperators()).as(sql).isTrue();
        if (!sql.contains("(")) {
            assertThat(reach.callsOrCasts()).as(sql).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1",
            "COMMIT",
            "SAVEPOINT s",
            "SHOW work_mem",
            "SELECT name FROM t",
            "SELECT name FROM public.t",
            "SELECT 'a (b) ::c + d'",
            "SELECT '(' AS \"x(y)::z\"",
            "SELECT 1 -- a - b, lower(x)::text",
            "SELECT 1 /* a - b (c) */",
            "SELECT $$ lower(x)::text - 1 $$",
            "SELECT $q$ a - b $q$",
            "SET search_path TO 'a'",
            "SELECT 'it''s'",
    })
    void nothingByItself(String sql) {
        UserCodeReach reach = UserCodeReach.of(sql);
        assertThat(reach.callsOrCasts()).as(sql).isFalse();
        assertThat(reach.mayApplyOperators()).as(sql).isFalse();
    }
}
