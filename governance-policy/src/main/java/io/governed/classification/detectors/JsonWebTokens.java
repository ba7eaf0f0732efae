package io.governed.classification.detectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;

/**
 * Recognises JSON Web Tokens in compact form: three base64url parts separated by dots, whose first
 * part decodes to a JSON object with an {@code "alg"} member and whose second part is not empty.
 * The signature part may be empty (unsecured tokens). Version strings, host names and other dotted
 * text fail at the header.
 */
public final class JsonWebTokens {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_HEADER_CHARS = 2048;

    private JsonWebTokens() {
    }

    /** Whether the text is a JSON Web Token. */
    public static boolean isValid(String text) {
        int first = text.indexOf('.');
        int second = first < 0 ? -1 : text.indexOf('.', first + 1);
        if (first < 8 || second < 0 || second == first + 1 || text.indexOf('.', second + 1) >= 0) {
            return false;
        }
        if (!base64url(text, 0, text.length(), first, second) || first > MAX_HEADER_CHARS || first % 4 == 1) {
            return false;
        }
        try {
            byte[] header = Base64.getUrlDecoder().decode(text.substring(0, first));
            JsonNode node = JSON.readTree(header);
            return node != null && node.isObject() && node.path("alg").isTextual();
        } catch (IllegalArgumentException | IOException e) {
            return false;
        }
    }

    private static boolean base64url(String s, int from, int to, int dot1, int dot2) {
        for (int i = from; i < to; i++) {
            if (i == dot1 || i == dot2) {
                continue;
            }
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
