package io.governed.classification;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A value as the text the value detectors look at: text stripped, whole numbers in their digits, and bytes that are
 * UTF-8 text as that text (an e-mail address kept in a VARBINARY or BLOB column is the same address); {@code null} for
 * anything else (other bytes, fractions, dates), and for blank text.
 */
public final class DetectableText {
    private DetectableText() {
    }

    public static String of(Object value) {
        String text;
        if (value instanceof CharSequence cs) {
            text = cs.toString().strip();
        } else if (value instanceof Long || value instanceof Integer || value instanceof BigInteger) {
            text = value.toString();
        } else if (value instanceof BigDecimal d && d.scale() <= 0) {
            text = d.toPlainString();
        } else if (value instanceof byte[] bytes) {
            text = utf8(bytes);
            if (text == null) {
                return null;
            }
            text = text.strip();
        } else {
            return null;
        }
        return text.isEmpty() ? null : text;
    }

    /** {@code bytes} as UTF-8 text, or {@code null} when they are not. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notText) {
            return null;
        }
    }
}
