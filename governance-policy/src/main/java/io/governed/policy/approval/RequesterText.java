package io.governed.policy.approval;

/**
 * A text of an approval request that its requester wrote (the statement, the purpose, the names in the chain: an
 * agent's are written by a model), made fit to be shown to an approver: every character a terminal or a chat client
 * would act on rather than show is replaced by a visible escape, so that the text cannot move a cursor, clear or
 * recolour what the approver reads, turn text around, or start a line of its own.
 *
 * <p>Shown as they are: letters, marks, digits, punctuation, symbols and spaces (Unicode general categories L, M, N,
 * P, S and Zs). Everything else is escaped: {@code \n}, {@code \r}, {@code \t}, and {@code \}{@code uXXXX} (or
 * {@code \}{@code u{XXXXX}} beyond the Basic Multilingual Plane) for controls, format characters (a right-to-left
 * override), line and paragraph separators, lone surrogates, private-use and unassigned code points. A backslash is
 * shown as {@code \\}, so that an escape always stands for one character of the text.
 */
public final class RequesterText {

    private RequesterText() {
    }

    /** {@code text} with every character other than those the class comment lists escaped. */
    public static String visible(String text) {
        StringBuilder shown = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (shown == null && !isShownAsIs(c)) {
                shown = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (shown != null) {
                appendVisible(shown, c);
            }
            i += Character.charCount(c);
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
}
