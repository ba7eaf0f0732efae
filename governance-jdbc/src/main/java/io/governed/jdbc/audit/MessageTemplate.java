package io.governed.jdbc.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What of a database's error or warning message is proven to hold no value: the fixed words its template starts with
 * ({@code invalid input syntax for type integer}, {@code Truncated incorrect DOUBLE value}, {@code Data conversion
 * error converting}), and the class of its SQLState.
 *
 * <p>Nothing is removed by looking for values: the message's first line (past a leading severity such as {@code
 * ERROR:}) is kept up to its first character that is not an ASCII letter, a space, a comma, a hyphen or a slash. A
 * database puts every variable part of a message (a value, a name, a number, a position, a detail) after a quote, a
 * colon, a parenthesis, a digit or an equals sign, or on a later line, so what comes before is the template's fixed
 * text; a value that holds a character of its own (a digit, an {@code @}, a dot, a quote, a letter outside ASCII)
 * ends the kept words there. What is cut is not described: the caller is told where to read the whole message.
 */
public final class MessageTemplate {
    private MessageTemplate() {
    }

    /** What a caller reads in place of what is withheld, written so that taking the template of it again keeps it as it is. */
    static final String WITHHELD = ". The rest of the database's message is withheld, as it may quote values a mask or"
            + " row filter hides from this identity. Read the whole message in the log of the database, or run the"
            + " statement as an identity no mask or row filter applies to";

    private static final String[] SEVERITIES = {"ERROR", "FATAL", "PANIC", "WARNING", "NOTICE", "INFO", "DEBUG", "LOG"};

    /** The classes of SQLState the SQL standard and the databases define, each with what it says. */
    private static final Map<String, String> CLASSES = Map.ofEntries(
            Map.entry("00", "successful completion"), Map.entry("01", "warning"), Map.entry("02", "no data"),
            Map.entry("03", "SQL statement not yet complete"), Map.entry("08", "connection exception"),
            Map.entry("09", "triggered action exception"), Map.entry("0A", "feature not supported"),
            Map.entry("0B", "invalid transaction initiation"), Map.entry("0F", "locator exception"),
            Map.entry("0L", "invalid grantor"), Map.entry("0P", "invalid role specification"),
            Map.entry("0Z", "diagnostics exception"), Map.entry("20", "case not found"),
            Map.entry("21", "cardinality violation"), Map.entry("22", "data exception"),
            Map.entry("23", "integrity constraint violation"), Map.entry("24", "invalid cursor state"),
            Map.entry("25", "invalid transaction state"), Map.entry("26", "invalid SQL statement name"),
            Map.entry("27", "triggered data change violation"), Map.entry("28", "invalid authorization specification"),
            Map.entry("2B", "dependent privilege descriptors still exist"), Map.entry("2D", "invalid transaction termination"),
            Map.entry("2F", "SQL routine exception"), Map.entry("34", "invalid cursor name"),
            Map.entry("38", "external routine exception"), Map.entry("39", "external routine invocation exception"),
            Map.entry("3B", "savepoint exception"), Map.entry("3D", "invalid catalog name"),
            Map.entry("3F", "invalid schema name"), Map.entry("40", "transaction rollback"),
            Map.entry("42", "syntax error or access rule violation"), Map.entry("44", "with check option violation"),
            Map.entry("45", "unhandled user-defined exception"), Map.entry("53", "insufficient resources"),
            Map.entry("54", "program limit exceeded"), Map.entry("55", "object not in prerequisite state"),
            Map.entry("57", "operator intervention"), Map.entry("58", "system error"),
            Map.entry("72", "snapshot failure"), Map.entry("F0", "configuration file error"),
            Map.entry("HV", "foreign data wrapper error"), Map.entry("HY", "general error"),
            Map.entry("P0", "PL/pgSQL error"), Map.entry("XX", "internal error"));

    /**
     * The fixed words {@code message} starts with: its first line, past a leading severity, up to its first character
     * that is not an ASCII letter, space, comma, hyphen or slash, stripped; empty when it starts with such a character.
     */
    public static String of(String message) {
        if (message == null) {
            return "";
        }
        String text = withoutConnectionTag(message.stripLeading());
        for (String severity : SEVERITIES) {
            if (text.startsWith(severity + ":")) {
                text = text.substring(severity.length() + 1).stripLeading();
                break;
            }
        }
        int end = 0;
        while (end < text.length() && fixed(text.charAt(end))) {
            end++;
        }
        String kept = text.substring(0, end).strip();
        while (kept.endsWith(",") || kept.endsWith("-") || kept.endsWith("/")) {
            kept = kept.substring(0, kept.length() - 1).strip();
        }
        return kept;
    }

    /** {@code text} without MariaDB Connector/J's leading {@code (conn=N) }, which names the connection. */
    private static String withoutConnectionTag(String text) {
        String tag = "(conn=";
        if (!text.startsWith(tag)) {
            return text;
        }
        int i = tag.length();
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            i++;
        }
        return i > tag.length() && i < text.length() && text.charAt(i) == ')' ? text.substring(i + 1).stripLeading() : text;
    }

    private static boolean fixed(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == ' ' || c == ',' || c == '-' || c == '/';
    }

    /** What the class of {@code sqlState} says, or {@code null} when the SQLState or its class is not one of {@link #CLASSES}. */
    static String classOf(String sqlState) {
        return sqlState == null || sqlState.length() != 5 ? null : CLASSES.get(sqlState.substring(0, 2));
    }

    /**
     * The message a caller reads in place of {@code e}'s when values must not reach it: the template's fixed words
     * ({@link #of}), or {@code A database error} ({@code warning}) when there are none, the SQLState and what its class
     * says, and where to read the whole message.
     */
    public static String message(SQLException e) {
        String kept = of(e.getMessage());
        if (kept.isEmpty()) {
            kept = e instanceof SQLWarning ? "A database warning" : "A database error";
        }
        String state = e.getSQLState();
        String kind = classOf(state);
        return kept + " (SQLState " + (state == null ? "none" : state) + (kind == null ? "" : ", " + kind) + ")" + WITHHELD;
    }

    /** What an error raised where code of the database's users may run gets as its SQLState when its own is not one the databases define. */
    public static final String UNKNOWN_STATE = "HY000";

    /** The SQLStates the databases define for their own conditions ({@code sqlstates.txt} beside this class). */
    private static final Set<String> KNOWN_STATES = knownStates();

    private static Set<String> knownStates() {
        Set<String> states = new HashSet<>();
        try (InputStream in = MessageTemplate.class.getResourceAsStream("sqlstates.txt")) {
            if (in == null) {
                throw new IllegalStateException("sqlstates.txt is missing beside " + MessageTemplate.class.getName());
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String code = line.strip();
                if (code.length() == 5 && !code.startsWith("#")) {
                    states.add(code);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(states);
    }

    /**
     * The SQLState a caller values must not reach may read of an error raised where code of the database's users may
     * have run: {@code sqlState} when the databases define it for a condition of their own, else {@link #UNKNOWN_STATE}.
     * Such code may compose the SQLState from a value it reads (PostgreSQL's {@code RAISE … USING ERRCODE = left(v,
     * 5)}), five characters of it a statement; a code from the list carries only which of the listed conditions the
     * code chose, as failing or not does.
     */
    public static String userCodeState(String sqlState) {
        return sqlState == null ? null : KNOWN_STATES.contains(sqlState) || H2_STATES.contains(sqlState) ? sqlState : UNKNOWN_STATE;
    }

    /**
     * The vendor code a caller values must not reach may read of an error raised where code of the database's users may
     * have run: {@code vendorCode} when it and {@code sqlState} are one of the pairs a database's driver defines for its
     * own conditions (H2's {@code ErrorCode}), else none ({@code 0}): such code may set any number (MariaDB's {@code
     * SIGNAL … SET MYSQL_ERRNO = v}, an H2 Java function's {@code SQLException}), and MariaDB's driver has no list
     * that tells the server's own numbers from one a routine set.
     */
    public static int userCodeVendorCode(String sqlState, int vendorCode) {
        return vendorCode != 0 && sqlState != null && KNOWN_PAIRS.contains(sqlState + "/" + vendorCode) ? vendorCode : 0;
    }

    /** The SQLState and vendor code pairs of H2's {@code org.h2.api.ErrorCode}, as {@code state/code}; empty without H2. */
    private static final Set<String> KNOWN_PAIRS = h2Pairs();

    private static Set<String> h2Pairs() {
        Set<String> pairs = new HashSet<>();
        try {
            Class<?> codes = Class.forName("org.h2.api.ErrorCode", false, MessageTemplate.class.getClassLoader());
            java.lang.reflect.Method state = codes.getMethod("getState", int.class);
            for (java.lang.reflect.Field f : codes.getFields()) {
                if (f.getType() == int.class && java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                    int code = f.getInt(null);
                    pairs.add(state.invoke(null, code) + "/" + code);
                }
            }
        } catch (ReflectiveOperationException | LinkageError noH2) {
            return Set.of();
        }
        return Set.copyOf(pairs);
    }

    /** The SQLStates of {@link #KNOWN_PAIRS}. */
    private static Set<String> h2States() {
        Set<String> states = new HashSet<>();
        for (String pair : KNOWN_PAIRS) {
            states.add(pair.substring(0, pair.indexOf('/')));
        }
        return states;
    }

    /** The SQLStates H2's driver defines ({@link #KNOWN_PAIRS}). */
    private static final Set<String> H2_STATES = h2States();
}
