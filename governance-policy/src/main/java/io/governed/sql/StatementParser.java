package io.governed.sql;

import java.util.List;

import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.StringProvider;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.parser.TokenMgrException;
import net.sf.jsqlparser.parser.feature.Feature;
import net.sf.jsqlparser.statement.Statement;

/**
 * Runs JSQLParser on the calling thread (the parser's own utility methods hand every parse to an
 * executor thread, which costs several times the parse). Like those utilities it first tries the
 * fast grammar and, when that fails and the text is not too deeply nested, the complex one.
 */
final class StatementParser {

    /** The nesting depth up to which the complex grammar is tried, as JSQLParser's utilities do. */
    private static final int ALLOWED_NESTING_DEPTH = allowedNestingDepth();

    /**
     * What came of a parse: the statements, or where and why it failed.
     *
     * @param statements  the statements read, or {@code null} on failure
     * @param errorOffset the offset in the parsed text where reading failed
     * @param unexpected  the token found there ({@code ""} at the end of the text)
     */
    record Result(List<Statement> statements, int errorOffset, String unexpected) {
        boolean parsed() {
            return statements != null;
        }
    }

    private StatementParser() {
    }

    static Result parse(String text, int nestingDepth) {
        Result fast = attempt(text, false);
        if (fast.parsed() || nestingDepth > ALLOWED_NESTING_DEPTH) {
            return fast;
        }
        Result complex = attempt(text, true);
        return complex.parsed() ? complex : fast;
    }

    private static Result attempt(String text, boolean complex) {
        CCJSqlParser parser = new CCJSqlParser(new StringProvider(text));
        parser.withAllowComplexParsing(complex);
        try {
            return new Result(List.copyOf(parser.Statements()), -1, null);
        } catch (ParseException e) {
            Token token = e.currentToken == null ? null : e.currentToken.next;
            if (token == null) {
                return new Result(null, text.length(), "");
            }
            return new Result(null, Math.max(0, token.beginColumn - 1), token.image == null ? "" : token.image);
        } catch (TokenMgrException | StackOverflowError e) {
            // The lexer of the parser rejected a character, or the text is nested beyond what the stack allows.
            return new Result(null, 0, "");
        }
    }

    private static int allowedNestingDepth() {
        Object value = new CCJSqlParser(new StringProvider("")).getValue(Feature.allowedNestingDepth);
        return value instanceof Number n ? n.intValue() : 10;
    }
}
