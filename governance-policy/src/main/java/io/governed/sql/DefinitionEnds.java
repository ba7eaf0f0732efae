package io.governed.sql;

import io.governed.sql.ProceduralTokens.NotKnown;
import io.governed.sql.ProceduralTokens.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the statements of a text end when a definition's body holds top-level {@code ;} of its own (a MariaDB routine's
 * compound statement, a PostgreSQL {@code BEGIN ATOMIC … END} body): the statements are read over the lexer's tokens
 * one by one, a definition's body matched by its dialect's {@link Grammar}, and every other statement ends at its
 * {@code ;}. A body whose end is not known for certain is an answer only when no statement can follow it.
 */
final class DefinitionEnds {

    /** A dialect's reading of where a definition's body starts and ends; anything not read for certain is not known. */
    interface Grammar {
        /**
         * Where the body of the definition starting at {@code at} starts; -1 when no definition whose body may hold
         * {@code ;} starts there; throws {@link NotKnown} when that is not read for certain.
         */
        int bodyStart(List<Token> tokens, int at);

        /** The index of the {@code ;} (or the token count) ending the body starting at {@code from}; or not known. */
        int bodyEnd(List<Token> tokens, int from);
    }

    private DefinitionEnds() {
    }

    /**
     * The offsets of the {@code ;} among {@code tokens} that end statements, a subset of {@code ends} (the lexer's
     * {@code ;}): those inside a definition's body are left out; {@code null} when a body's end is not known for
     * certain and a statement may follow it. Each body read adds its first and last token's indexes to {@code bodies}.
     */
    static int[] statementEnds(List<Token> tokens, int[] ends, Grammar grammar, List<int[]> bodies) {
        List<Integer> kept = new ArrayList<>();
        int at = 0;
        while (at < tokens.size()) {
            if (tokens.get(at).isSymbol(";")) {
                kept.add(tokens.get(at).start());
                at++;
                continue;
            }
            int bodyAt;
            try {
                bodyAt = grammar.bodyStart(tokens, at);
            } catch (NotKnown e) {
                bodyAt = -2;
            }
            if (bodyAt == -1) {
                // not a definition: it ends at the next ';' (one inside parentheses, where the lexer sees none,
                // makes the answer not known below)
                while (at < tokens.size() && !tokens.get(at).isSymbol(";")) {
                    at++;
                }
                continue;
            }
            int end;
            try {
                if (bodyAt < 0) {
                    throw new NotKnown();
                }
                end = grammar.bodyEnd(tokens, bodyAt);
            } catch (NotKnown e) {
                // not known where the body ends: certain only when no statement can follow it, that is when no ';'
                // (at any depth of parentheses) stands before anything but further ';'
                boolean semicolon = false;
                for (int i = at; i < tokens.size(); i++) {
                    if (tokens.get(i).isSymbol(";")) {
                        semicolon = true;
                        kept.add(tokens.get(i).start());
                    } else if (semicolon) {
                        return null;
                    }
                }
                return keptEnds(kept, ends);
            }
            if (bodies != null) {
                bodies.add(new int[] {bodyAt, end - 1});
            }
            at = end;
        }
        return keptEnds(kept, ends);
    }

    private static int[] keptEnds(List<Integer> kept, int[] ends) {
        List<Integer> result = new ArrayList<>();
        for (int end : ends) {
            if (kept.contains(end)) {
                result.add(end);
            }
        }
        if (result.size() != kept.size()) {
            return null; // the two lexings disagree on where a ';' stands
        }
        return result.stream().mapToInt(Integer::intValue).toArray();
    }
}
