package io.governed.jdbc.cli;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * A {@link PrintWriter} for output that shows text others wrote (a requester's statement, purpose and name): it
 * prints every character a terminal would act on rather than show as a visible escape, so that such text cannot move
 * the cursor, clear or recolour what the reader sees, turn text around, or start a line of its own. Each
 * {@code println} ends one line; nothing else does.
 *
 * <p>Shown as they are: letters, marks, digits, punctuation, symbols and spaces (Unicode general categories L, M, N,
 * P, S and Zs). Everything else is escaped: {@code \n}, {@code \r}, {@code \t}, and {@code \}{@code uXXXX} (or
 * {@code \}{@code u{XXXXX}} beyond the Basic Multilingual Plane) for controls, format characters (a right-to-left
 * override), line and paragraph separators, lone surrogates, private-use and unassigned code points. A backslash is
 * shown as {@code \\}, so that an escape in the output always stands for one character of the text.
 */
final class VisibleTextWriter extends PrintWriter {

    VisibleTextWriter(PrintWriter target) {
        super(target, true);
    }

    /** {@code text} with every character a terminal would act on escaped, as the class comment says. */
    static String visible(String text) {
        StringBuilder shown = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int next = i + Character.charCount(c);
            if (shown == null && !isShownAsIs(c)) {
                shown = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (shown != null) {
                appendVisible(shown, c);
            }
            i = next;
        }
        return shown == null ? text : shown.toString();
    }

    private static boolean isShownAsIs(int c) {
        if (c == '\\') {
            return false;
        }
        return switch (Character.getType(c)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                 Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK, Character.ENCLOSING_MARK,
                 Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
                 Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION,
                 Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL,
                 Character.SPACE_SEPARATOR -> true;
            default -> false;
        };
    }

    private static void appendVisible(StringBuilder out, int c) {
        if (isShownAsIs(c)) {
            out.appendCodePoint(c);
            return;
        }
        switch (c) {
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> out.append(c <= 0xFFFF ? String.format("\\u%04X", c) : String.format("\\u{%X}", c));
        }
    }

    @Override
    public void write(int c) {
        write(String.valueOf((char) c));
    }

    @Override
    public void write(char[] buf, int off, int len) {
        write(new String(buf, off, len));
    }

    @Override
    public void write(String s, int off, int len) {
        String shown = visible(s.substring(off, off + len));
        super.write(shown, 0, shown.length());
    }

    /** The one way a line ends: the platform's line separator, written as it is. */
    @Override
    public void println() {
        synchronized (lock) {
            try {
                out.write(System.lineSeparator());
                out.flush();
            } catch (IOException e) {
                setError();
            }
        }
    }
}
