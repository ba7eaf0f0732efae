package io.governed.sql;

import java.util.List;

import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.StringProvider;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.parser.TokenMgrException;
import net.sf.jsqlparser.parser.feature.Feature;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;

/**
 * Runs JSQLParser on the calling thread (the parser's own utility methods hand every parse to an
 * executor thread, which costs several times the parse). Like those utilities it first tries the
 * fast grammar and, when that fails and the text is not too deeply nested, the complex one.
 *
 * <p>It needs no dialect-specific parser features: it is given the parse text of a {@link LexedSql},
 * in which the dialect-aware lexer has already replaced every string (backslash escapes, MariaDB
 * double-quoted strings, dollar quotes) by {@code ''} and SQL Server {@code [x]} names by {@code "x"}.
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
            List<Statement> statements = List.copyOf(parser.Statements());
            for (Statement statement : statements) {
                if (statement instanceof UnsupportedStatement) {
                    // the parser's way of giving up on a statement it has no grammar for: read as not parsed, so
                    // that the statement-by-statement fallback may still read it from its tokens
                    return new Result(null, 0, "");
                }
            }
            return new Result(statements, -1, null);
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
