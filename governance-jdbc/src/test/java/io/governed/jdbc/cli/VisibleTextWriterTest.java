package io.governed.jdbc.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** What the approvals commands print of text others wrote: shown, never acted on by a terminal. */
class VisibleTextWriterTest {

    @Test
    void lettersDigitsPunctuationSymbolsAndSpacesAreShownAsTheyAre() {
        String text = "DELETE FROM café_订单 WHERE note = 'naïve 😀 ≥ 5 €' -- ok";
        assertThat(VisibleTextWriter.visible(text)).isSameAs(text);
    }

    @Test
    void everyOtherCharacterIsAnEscapeAndABackslashIsDoubled() {
        assertThat(VisibleTextWriter.visible("a\u001b[2K\r\n\tb")).isEqualTo("a\\u001B[2K\\r\\n\\tb");
        assertThat(VisibleTextWriter.visible("x\u202ey\u2028z\u200b")).isEqualTo("x\\u202Ey\\u2028z\\u200B");
        assertThat(VisibleTextWriter.visible("\ud800 \ue000 \udb80\udc00")).isEqualTo("\\uD800 \\uE000 \\u{F0000}");
        assertThat(VisibleTextWriter.visible("E'a\\nb'")).as("a backslash in the text").isEqualTo("E'a\\\\nb'");
    }

    @Test
    void onlyPrintlnEndsALine() {
        StringWriter target = new StringWriter();
        PrintWriter out = new VisibleTextWriter(new PrintWriter(target));
        out.println("Statement:    DELETE FROM t\nWHERE id = 1");
        out.print("Purpose:      x\r\n");
        out.printf("%s%n", "y");
        out.println();
        out.flush();
        String n = System.lineSeparator();
        assertThat(target.toString()).isEqualTo("Statement:    DELETE FROM t\\nWHERE id = 1" + n
                + "Purpose:      x\\r\\n" + "y" + VisibleTextWriter.visible(n) + n);
    }
}
