package io.governed.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * The code of each PostgreSQL {@code DO} statement of a text, read from the text itself (the analysis reads a
 * literal-free form, in which a body is an empty string): {@code DO [LANGUAGE plpgsql] code [LANGUAGE plpgsql]}, the
 * code one {@code $tag$…$tag$} string or one plain {@code '…'} string without a backslash, whose
 * {@code LANGUAGE plpgsql} (the default) body {@link PlpgsqlBody} reads. Anything else (another language, a string of
 * another kind or several, other words, a body {@link PlpgsqlBody} does not read for certain) is a body that cannot be
 * read ({@link CodeBlock#UNREAD}), which may do anything.
 */
final class DoBlocks implements TokenSink {

    /** A token of a statement: a word (lower case), a quoted name, a string or other literal, a parameter, a symbol. */
    private record Token(char kind, String text, int start, int end) {
    }

    private final String sql;
    private final List<List<Token>> statements = new ArrayList<>();
    private List<Token> current = new ArrayList<>();
    private int at;

    private DoBlocks(String sql) {
        this.sql = sql;
    }

    /**
     * The code blocks of the text's {@code DO} statements, in order, one for each top-level statement whose first word
     * is {@code do}; {@code null} when the text cannot be lexed completely.
     */
    static List<CodeBlock> of(String sql) {
        DoBlocks blocks = new DoBlocks(sql);
        if (SqlLexer.lex(sql, Dialect.POSTGRESQL, blocks) != null) {
            return null;
        }
        blocks.statements.add(blocks.current);
        List<CodeBlock> found = new ArrayList<>();
        for (List<Token> statement : blocks.statements) {
            if (!statement.isEmpty() && statement.get(0).kind() == 'w' && statement.get(0).text().equals("do")) {
                found.add(blocks.code(statement));
            }
        }
        return found;
    }

    /** The code a {@code DO} statement's tokens run. */
    private CodeBlock code(List<Token> statement) {
        String body = null;
        String language = "plpgsql";
        boolean languageGiven = false;
        for (int i = 1; i < statement.size(); i++) {
            Token t = statement.get(i);
            if (t.kind() == 'w' && t.text().equals("language") && !languageGiven && i + 1 < statement.size()) {
                Token name = statement.get(++i);
                languageGiven = true;
                if (name.kind() == 'w') {
                    language = name.text();
                } else if (name.kind() == 'q' && name.text().length() > 2 && name.text().startsWith("\"")) {
                    language = name.text().substring(1, name.text().length() - 1);
                } else {
                    return CodeBlock.UNREAD; // LANGUAGE 'x', or something else
                }
            } else if (t.kind() == 's' && body == null) {
                body = body(sql.substring(t.start(), t.end()));
                if (body == null) {
                    return CodeBlock.UNREAD;
                }
            } else {
                return CodeBlock.UNREAD; // a second string (PostgreSQL joins strings across a newline), other words
            }
        }
        if (body == null || !language.equals("plpgsql")) {
            return CodeBlock.UNREAD;
        }
        List<String> statements = PlpgsqlBody.statements(body, List.of());
        return statements == null ? CodeBlock.UNREAD : new CodeBlock(statements);
    }

    /** The value of a {@code $tag$…$tag$} string, or of a plain {@code '…'} string without a backslash; else {@code null}. */
    private static String body(String literal) {
        if (literal.startsWith("$")) {
            int tagEnd = literal.indexOf('$', 1);
            if (tagEnd < 0) {
                return null;
            }
            String tag = literal.substring(0, tagEnd + 1);
            if (literal.length() < 2 * tag.length() || !literal.endsWith(tag)) {
                return null;
            }
            return literal.substring(tag.length(), literal.length() - tag.length());
        }
        if (literal.length() >= 2 && literal.startsWith("'") && literal.endsWith("'") && literal.indexOf('\\') < 0) {
            return literal.substring(1, literal.length() - 1).replace("''", "'");
        }
        return null; // E'…', U&'…', B'…', X'…', N'…': another reading, or no code
    }

    private void add(char kind, String text) {
        current.add(new Token(kind, text, at, at));
    }

    @Override
    public void at(int sourceOffset) {
        at = sourceOffset;
    }

    @Override
    public void word(String lowerCase) {
        add('w', lowerCase);
    }

    @Override
    public void quotedIdentifier(String asWritten) {
        add('q', asWritten);
    }

    @Override
    public void literal(boolean numeric) {
        add(numeric ? 'n' : 's', null);
    }

    @Override
    public void literalEnd(int sourceOffset) {
        Token last = current.get(current.size() - 1);
        current.set(current.size() - 1, new Token(last.kind(), null, last.start(), sourceOffset));
    }

    @Override
    public void parameter(String marker) {
        add('p', marker);
    }

    @Override
    public void symbol(String symbol) {
        if (symbol.equals(";")) {
            statements.add(current);
            current = new ArrayList<>();
        } else {
            add('y', symbol);
        }
    }

    @Override
    public void separator() {
    }
}
