package io.governed.sql;

import io.governed.sql.ProceduralTokens.NotKnown;
import io.governed.sql.ProceduralTokens.Token;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Where the statements of a PostgreSQL text end when it holds a routine with a SQL-standard body: {@code CREATE [OR
 * REPLACE] FUNCTION|PROCEDURE … BEGIN ATOMIC stmt; … END}, whose statements end with {@code ;} of their own. The body
 * is matched to its {@code END} over the lexer's tokens (strings, dollar quotes, comments and quoted names are single
 * tokens there): PostgreSQL's grammar ends it at the first {@code END} where a statement of the body would start, and
 * inside a statement an {@code END} closes a {@code CASE} expression. Anything else not read for certain (an {@code END}
 * or {@code CASE} that may be a name, after {@code AS} or {@code .}; a nested {@code BEGIN ATOMIC}; unbalanced
 * parentheses or {@code CASE}; a body without its {@code END}; {@code BEGIN ATOMIC} in any other statement) makes its end
 * not known, and the text is then read as one statement only when no statement can follow it.
 */
final class PostgresDefinitionEnds {

    private PostgresDefinitionEnds() {
    }

    /** A body matched in the parse text: from its {@code BEGIN} to just after its {@code END}. */
    record Body(int start, int end) {
    }

    /**
     * The offsets in {@code text} of the {@code ;} that end its statements, a subset of {@code ends} (its top-level
     * {@code ;}): those inside a {@code BEGIN ATOMIC} body are left out, and each body matched is added to
     * {@code bodies}. {@code ends} itself when the text holds no such body; {@code null} when a body's end is not known
     * for certain and a statement may follow it.
     */
    static int[] statementEnds(String text, int[] ends, List<Body> bodies) {
        if (ends.length == 0 || !text.toLowerCase(Locale.ROOT).contains("atomic")) {
            return ends;
        }
        ProceduralTokens.Tokenizer tokenizer = new ProceduralTokens.Tokenizer(text);
        if (SqlLexer.lex(text, Dialect.POSTGRESQL, tokenizer) != null) {
            return null;
        }
        List<Token> tokens = tokenizer.tokens;
        List<int[]> read = new ArrayList<>();
        int[] kept = DefinitionEnds.statementEnds(tokens, ends, new DefinitionEnds.Grammar() {
            @Override
            public int bodyStart(List<Token> t, int at) {
                return PostgresDefinitionEnds.bodyStart(t, at);
            }

            @Override
            public int bodyEnd(List<Token> t, int from) {
                return PostgresDefinitionEnds.bodyEnd(t, from);
            }
        }, read);
        if (kept != null) {
            for (int[] body : read) {
                bodies.add(new Body(tokens.get(body[0]).start(), tokens.get(body[1]).end()));
            }
        }
        return kept;
    }

    private static boolean beginAtomic(List<Token> tokens, int i) {
        return tokens.get(i).isWord("begin") && i + 1 < tokens.size() && tokens.get(i + 1).isWord("atomic");
    }

    /**
     * The index of {@code BEGIN} of the {@code BEGIN ATOMIC} body of the routine definition starting at {@code at};
     * -1 when the statement holds no {@code BEGIN ATOMIC}; not known when it holds one but is no {@code CREATE [OR
     * REPLACE] FUNCTION|PROCEDURE} with the words outside parentheses.
     */
    static int bodyStart(List<Token> tokens, int at) {
        int found = -1;
        int depth = 0;
        int foundDepth = 0;
        for (int i = at; i < tokens.size() && !tokens.get(i).isSymbol(";"); i++) {
            Token t = tokens.get(i);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (found < 0 && beginAtomic(tokens, i)) {
                found = i;
                foundDepth = depth;
            }
        }
        if (found < 0) {
            return -1;
        }
        int i = at + 1;
        if (!tokens.get(at).isWord("create") || foundDepth != 0) {
            throw new NotKnown();
        }
        if (tokens.get(i).isWord("or") && tokens.get(i + 1).isWord("replace")) {
            i += 2;
        }
        if (!tokens.get(i).isWord("function") && !tokens.get(i).isWord("procedure")) {
            throw new NotKnown();
        }
        return found;
    }

    /** One open construct of a body's statement: a parenthesis or a {@code CASE} expression. */
    private enum Open { PARENTHESIS, CASE }

    /**
     * The index of the {@code ;} after the {@code END} closing the body whose {@code BEGIN} is at {@code from}, or the
     * token count when the text ends with that {@code END}; not known when it is not read for certain.
     */
    static int bodyEnd(List<Token> tokens, int from) {
        int at = from + 2;
        Deque<Open> open = new ArrayDeque<>();
        boolean statementStart = true;
        while (at < tokens.size()) {
            Token t = tokens.get(at);
            Token previous = tokens.get(at - 1);
            boolean name = previous.isSymbol(".") || previous.isWord("as");
            if (statementStart && t.isWord("end")) {
                // END where a statement would start closes the body (PostgreSQL reads no END statement there)
                if (at + 1 == tokens.size() || tokens.get(at + 1).isSymbol(";")) {
                    return at + 1;
                }
                throw new NotKnown();
            }
            statementStart = false;
            if (t.isSymbol("(")) {
                open.push(Open.PARENTHESIS);
            } else if (t.isSymbol(")")) {
                if (open.isEmpty() || open.pop() != Open.PARENTHESIS) {
                    throw new NotKnown();
                }
            } else if (t.isSymbol(";")) {
                if (!open.isEmpty()) {
                    throw new NotKnown();
                }
                statementStart = true;
            } else if (t.isWord("case")) {
                if (name) {
                    throw new NotKnown(); // SELECT 1 AS case, t.case: a name, or not
                }
                open.push(Open.CASE);
            } else if (t.isWord("end")) {
                if (name || open.isEmpty() || open.pop() != Open.CASE) {
                    throw new NotKnown();
                }
            } else if (beginAtomic(tokens, at)) {
                throw new NotKnown();
            }
            at++;
        }
        throw new NotKnown(); // no END
    }
}
