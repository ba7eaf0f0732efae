package io.governed.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * MariaDB's {@code UNION [=] (t [, …])} table option, which a {@code MERGE} (or {@code MRG_MyISAM}) table takes: the
 * table becomes a second name for the listed tables, whose rows it reads, and whose rows an UPDATE or DELETE through
 * it changes. The parser keeps the option as text, so it is read here over the lexer's tokens of the statement as
 * printed: every word {@code union} outside parentheses of an {@code ALTER TABLE}, and of a {@code CREATE TABLE}'s
 * options (before its query), must be followed by an optional {@code =} and a parenthesised list of names, each a
 * table or a database-qualified table; anything else refuses the statement ({@link MisreadStatement}), for everyone.
 */
final class MariaDbTableOptions {

    /** Words that start the query of a CREATE TABLE (… AS) SELECT: a UNION after them is a set operation. */
    private static final Set<String> QUERY_STARTS = Set.of("select", "with", "values", "table");

    private MariaDbTableOptions() {
    }

    /**
     * The tables every {@code UNION} option of the ALTER TABLE or CREATE TABLE printed as {@code text} lists, each
     * qualified with its database as written, or else with {@code schema} (the altered or created table's, which is
     * where MariaDB looks for an unqualified one); empty when the statement has no such option.
     *
     * @param createTable whether the text is a CREATE TABLE, whose query (after its options) is not read
     * @throws MisreadStatement when a {@code union} stands where the list cannot be read for certain
     */
    static List<TableRef> unionTables(String text, boolean createTable, String schema, Dialect dialect) {
        if (!text.toLowerCase(Locale.ROOT).contains("union")) {
            return List.of();
        }
        Tokens tokens = Tokens.of(text, dialect);
        List<TableRef> tables = new ArrayList<>();
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Tokens.Token t = tokens.get(i);
            if (symbol(t, "(")) {
                depth++;
            } else if (symbol(t, ")")) {
                depth--;
            } else if (depth == 0 && createTable && t.kind() == TokenSpacing.Kind.WORD && QUERY_STARTS.contains(t.text())
                    && i > 0 && (tokens.isWord(i - 1, "as") || !t.text().equals("table"))) {
                break; // the query of CREATE TABLE … [AS] SELECT: its UNION is a set operation
            } else if (depth == 0 && t.isWord("union")) {
                i = list(tokens, i + 1, text, schema, dialect, tables) - 1;
            }
        }
        return tables;
    }

    /**
     * Whether {@code text}, a statement the parser could not read, may be an ALTER or CREATE TABLE with a UNION option
     * (a word {@code union} outside parentheses, before a CREATE TABLE's query): which tables it would expose is not
     * known, so it is refused for everyone, whatever the policy says of statements it cannot parse.
     */
    static boolean mayHoldUnionOption(String text, Dialect dialect) {
        if (!text.toLowerCase(Locale.ROOT).contains("union")) {
            return false;
        }
        Tokens tokens = Tokens.of(text, dialect);
        boolean create = tokens.isWord(0, "create");
        if (!create && !tokens.isWord(0, "alter") || !tokens.containsWord("table")) {
            return false;
        }
        int depth = 0;
        for (int i = 1; i < tokens.size(); i++) {
            Tokens.Token t = tokens.get(i);
            if (symbol(t, "(")) {
                depth++;
            } else if (symbol(t, ")")) {
                depth--;
            } else if (depth == 0 && create && t.kind() == TokenSpacing.Kind.WORD && QUERY_STARTS.contains(t.text())
                    && (tokens.isWord(i - 1, "as") || !t.text().equals("table"))) {
                return false;
            } else if (depth <= 0 && t.isWord("union")) {
                return true;
            }
        }
        return false;
    }

    /** Reads {@code [=] ( [name [, name]…] )} from {@code at}; answers the index after the closing parenthesis. */
    private static int list(Tokens tokens, int at, String text, String schema, Dialect dialect, List<TableRef> out) {
        int i = at;
        if (symbol(tokens.get(i), "=")) {
            i++;
        }
        if (!symbol(tokens.get(i), "(")) {
            throw unreadable();
        }
        i++;
        if (symbol(tokens.get(i), ")")) {
            return i + 1; // UNION=(): the MERGE table lists no table
        }
        while (true) {
            List<String> parts = tokens.nameAt(i);
            if (parts.isEmpty() || parts.size() > 2) {
                throw unreadable();
            }
            List<String> written = new ArrayList<>(parts.size());
            for (int p = 0; p < parts.size(); p++) {
                written.add(asWritten(tokens.get(i + 2 * p), text));
            }
            out.add(new TableRef(written.size() > 1 ? dialect.normalizeIdentifier(written.get(0)) : schema,
                    dialect.normalizeIdentifier(written.get(written.size() - 1))));
            i += parts.size() * 2 - 1;
            if (symbol(tokens.get(i), ")")) {
                return i + 1;
            }
            if (!symbol(tokens.get(i), ",")) {
                throw unreadable();
            }
            i++;
        }
    }

    /** A name token as the text has it: the lexer gives words in lower case, and MariaDB's table names keep theirs. */
    private static String asWritten(Tokens.Token token, String text) {
        if (token.kind() != TokenSpacing.Kind.WORD) {
            return token.text();
        }
        int end = token.offset() + token.text().length();
        String written = token.offset() < 0 || end > text.length() ? null : text.substring(token.offset(), end);
        if (written == null || !written.toLowerCase(Locale.ROOT).equals(token.text())) {
            throw unreadable();
        }
        return written;
    }

    private static boolean symbol(Tokens.Token token, String symbol) {
        return token.kind() == TokenSpacing.Kind.SYMBOL && token.text().equals(symbol);
    }

    private static MisreadStatement unreadable() {
        return new MisreadStatement("a UNION table option (which makes a MERGE table a second name for the tables it"
                + " lists) could not be read as UNION [=] (table [, table]…), so which tables the statement exposes"
                + " cannot be checked");
    }
}
