package io.governed.sql;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Where the literals and parameter markers of a text are, as the dialect's lexer reads it. */
final class TokenSpans implements TokenSink {

    /** A literal ({@code marker == null}) or a parameter marker, from {@code start} to {@code end} (exclusive). */
    record Span(int start, int end, String marker) {
    }

    final List<Span> literals = new ArrayList<>();
    final List<Span> markers = new ArrayList<>();
    int questionMarks;
    boolean problem;
    private int at;

    static TokenSpans of(String sql, Dialect dialect) {
        TokenSpans spans = new TokenSpans();
        spans.problem = SqlLexer.lex(sql, dialect, spans) != null;
        return spans;
    }

    /** Literals and markers in text order. */
    List<Span> ordered() {
        List<Span> all = new ArrayList<>(literals);
        all.addAll(markers);
        all.sort(Comparator.comparingInt(Span::start));
        return all;
    }

    @Override
    public void at(int sourceOffset) {
        at = sourceOffset;
    }

    @Override
    public void literal(boolean numeric) {
        // the end follows
    }

    @Override
    public void literalEnd(int sourceOffset) {
        literals.add(new Span(at, sourceOffset, null));
    }

    @Override
    public void parameter(String marker) {
        markers.add(new Span(at, at + marker.length(), marker));
    }

    @Override
    public void symbol(String symbol) {
        if (symbol.equals("?")) {
            questionMarks++;
        }
    }

    @Override
    public void word(String lowerCase) {
    }

    @Override
    public void quotedIdentifier(String asWritten) {
    }

    @Override
    public void separator() {
    }
}
