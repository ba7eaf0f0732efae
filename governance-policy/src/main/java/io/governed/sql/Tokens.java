package io.governed.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * The tokens of a (normalised) SQL text as a list, for the few places that reason on tokens rather
 * than on a parse tree: statements the parser cannot read, and keywords the parse tree does not keep.
 */
final class Tokens {

    /** One token: words are lower case, literals are {@code ?}, quoted identifiers as written. */
    record Token(TokenSpacing.Kind kind, String text, int offset) {
        boolean isWord(String word) {
            return kind == TokenSpacing.Kind.WORD && text.equals(word);
        }

        boolean isName() {
            return kind == TokenSpacing.Kind.WORD || kind == TokenSpacing.Kind.QUOTED;
        }
    }

    private final List<Token> list;

    private Tokens(List<Token> list) {
        this.list = list;
    }

    static Tokens of(String text, Dialect dialect) {
        List<Token> list = new ArrayList<>();
        SqlLexer.lex(text, dialect, new TokenSink() {
            private int offset;

            @Override
            public void at(int sourceOffset) {
                offset = sourceOffset;
            }

            @Override
            public void word(String lowerCase) {
                list.add(new Token(TokenSpacing.Kind.WORD, lowerCase, offset));
            }

            @Override
            public void quotedIdentifier(String asWritten) {
                list.add(new Token(TokenSpacing.Kind.QUOTED, asWritten, offset));
            }

            @Override
            public void literal(boolean numeric) {
                list.add(new Token(TokenSpacing.Kind.LITERAL, "?", offset));
            }

            @Override
            public void parameter(String marker) {
                list.add(new Token(TokenSpacing.Kind.PARAMETER, marker, offset));
            }

            @Override
            public void symbol(String symbol) {
                list.add(new Token(TokenSpacing.Kind.SYMBOL, symbol, offset));
            }

            @Override
            public void separator() {
            }
        });
        return new Tokens(list);
    }

    int size() {
        return list.size();
    }

    Token get(int index) {
        return index >= 0 && index < list.size() ? list.get(index) : new Token(TokenSpacing.Kind.NONE, "", -1);
    }

    boolean isWord(int index, String word) {
        return get(index).isWord(word);
    }

    /** Index of the first occurrence of a word at or after {@code from}, or -1. */
    int indexOfWord(String word, int from) {
        for (int i = from; i < list.size(); i++) {
            if (list.get(i).isWord(word)) {
                return i;
            }
        }
        return -1;
    }

    boolean containsWord(String word) {
        return indexOfWord(word, 0) >= 0;
    }

    /**
     * Reads a possibly schema-qualified name starting at {@code index}.
     *
     * @return the name's parts as written (not yet normalised), or an empty list when no name starts there
     */
    List<String> nameAt(int index) {
        List<String> parts = new ArrayList<>();
        int i = index;
        while (get(i).isName()) {
            parts.add(get(i).text());
            if (!get(i + 1).text().equals(".") || get(i + 1).kind() != TokenSpacing.Kind.SYMBOL) {
                break;
            }
            i += 2;
        }
        return parts;
    }
}
