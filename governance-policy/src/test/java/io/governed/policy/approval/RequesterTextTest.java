package io.governed.policy.approval;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A requester's texts as an approver is shown them: every character a terminal would act on escaped. */
class RequesterTextTest {

    @Test
    void lettersDigitsPunctuationSymbolsAndSpacesAreShownAsTheyAre() {
        String text = "DELETE FROM café_订单 WHERE note = 'naïve 😀 ≥ 5 €' -- ok";
        assertThat(RequesterText.visible(text)).isSameAs(text);
    }

    @Test
    void everyOtherCharacterIsAnEscapeAndABackslashIsDoubled() {
        assertThat(RequesterText.visible("a\u001b[2K\r\n\tb")).isEqualTo("a\\u001B[2K\\r\\n\\tb");
        assertThat(RequesterText.visible("x\u202ey\u2028z\u200b")).isEqualTo("x\\u202Ey\\u2028z\\u200B");
        assertThat(RequesterText.visible("\ud800 \ue000 \udb80\udc00")).isEqualTo("\\uD800 \\uE000 \\u{F0000}");
        assertThat(RequesterText.visible("E'a\\nb'")).as("a backslash in the text").isEqualTo("E'a\\\\nb'");
    }
}
