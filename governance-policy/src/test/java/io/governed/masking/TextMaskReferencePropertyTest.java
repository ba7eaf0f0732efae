package io.governed.masking;

import static io.governed.masking.Masks.mask;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@code email} and {@code partial} give, for any text, exactly what a straightforward implementation gives: the
 * reference below, which is how the two masks built their results before their text was built in a reader's buffer
 * (one char array or builder per value). Compared with no buffer, with a fresh buffer, and with one buffer shared by
 * every text before (as a result set's reader shares it down a column), over texts of ASCII, Latin-1, other scripts,
 * surrogate pairs and lone surrogates, combining marks, separators and {@code @}, empty and up to well past the buffer's
 * kept size, around every length at which a mask's result changes form.
 */
class TextMaskReferencePropertyTest {
    /** One buffer for every try of a property, as a reader keeps one per column for every row. */
    private final MaskBuffer shared = new MaskBuffer();

    @Property(tries = 1000)
    void emailIsTheReferenceForAnyText(@ForAll("texts") String text) {
        assertEveryWay(mask("email"), text, ReferenceMasks.email(text));
    }

    @Property(tries = 1000)
    void emailIsTheReferenceForAnyAddress(@ForAll("addresses") String text) {
        assertEveryWay(mask("email"), text, ReferenceMasks.email(text));
    }

    @Property(tries = 1500)
    void partialIsTheReferenceForAnyTextAndSettings(@ForAll("texts") String text, @ForAll("partials") Partial partial) {
        assertEveryWay(partial.function(), text, ReferenceMasks.partial(text, partial.keepFirst, partial.keepLast,
                partial.maskChar, partial.keepSeparators));
    }

    @Property(tries = 500)
    void partialIsTheReferenceAtTheLengthsWhereNothingIsShown(@ForAll("partials") Partial partial,
            @ForAll("fillers") String filler) {
        // texts of 0 to keep-first + keep-last + 2 fillers: every count of significant chars up to where something shows
        int kept = partial.keepFirst + partial.keepLast;
        for (int repeats = 0; repeats <= kept + 2; repeats++) {
            String text = filler.repeat(repeats);
            assertEveryWay(partial.function(), text, ReferenceMasks.partial(text, partial.keepFirst, partial.keepLast,
                    partial.maskChar, partial.keepSeparators));
        }
    }

    @Property(tries = 100)
    void nullMasksToNull(@ForAll("partials") Partial partial) {
        assertThat(partial.function().mask(null)).isNull();
        assertThat(mask("email").mask(null)).isNull();
    }

    private void assertEveryWay(MaskFunction function, String text, String expected) {
        assertThat(function.mask(text)).isEqualTo(expected);
        assertThat(function.maskString(text)).isEqualTo(expected);
        assertThat(function.mask(text, new MaskBuffer())).isEqualTo(expected);
        assertThat(function.mask(text, shared)).isEqualTo(expected);
        assertThat(function.mask(text, shared)).isEqualTo(expected); // the same text again: handed out from the memo
    }

    /** The settings of one {@code partial} mask. */
    record Partial(int keepFirst, int keepLast, char maskChar, boolean keepSeparators) {
        MaskFunction function() {
            Map<String, Object> parameters = new HashMap<>();
            parameters.put("keep-first", keepFirst);
            parameters.put("keep-last", keepLast);
            parameters.put("mask-char", String.valueOf(maskChar));
            parameters.put("keep-separators", keepSeparators);
            return mask("partial", parameters);
        }
    }

    @Provide
    Arbitrary<Partial> partials() {
        return Combinators.combine(
                Arbitraries.integers().between(0, 8),
                Arbitraries.integers().between(0, 8),
                Arbitraries.of('*', 'X', '#', '0', 'ÿ', '\u2022', '中', '\uD83D', ' '),
                Arbitraries.of(false, true))
                .as(Partial::new);
    }

    /** Texts of every kind of char the masks tell apart, empty and up to 600 chars (past the buffer's 256). */
    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(4)),
                net.jqwik.api.Tuple.of(3, Arbitraries.strings().withChars("0123456789 -./").ofMinLength(1).ofMaxLength(4)),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().withCharRange('\u00A0', '\u00FF').ofMinLength(1).ofMaxLength(3)),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().withChars("Δέλτα中文例子\u2022\u0100\u017F").ofMinLength(1).ofMaxLength(3)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("\uD83D\uDE00", "\uD83D\uDC4D\uD83C\uDFFD", "\uD800\uDC00", "\uDBFF\uDFFF")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("\uD83D", "\uDE00", "\uDBFF")),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("e\u0301", "a\u0308", "\u0301", "n\u0303\u0323")),
                net.jqwik.api.Tuple.of(3, Arbitraries.of("@", "@@", "@example.com", "@é.de", "@例え.jp", "@\uD83D\uDE00"))
        );
        Arbitrary<String> mixed = piece.list().ofMinSize(0).ofMaxSize(30).map(pieces -> String.join("", pieces));
        Arbitrary<String> longOnes = Combinators.combine(piece, Arbitraries.integers().between(60, 600))
                .as((p, n) -> p.repeat(n / p.length() + 1).substring(0, n));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, mixed),
                net.jqwik.api.Tuple.of(1, longOnes),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("", "@", "a", "a@", "@a", "a@b", "1234", "12345", "\uD83D\uDE00")));
    }

    /**
     * Addresses whose masked form has a length around the buffer's sizes: a first char of each kind, a local part, and
     * a domain of 0 to 300 chars, so that {@code 4 + domain} falls on both sides of 64 and 256.
     */
    @Provide
    Arbitrary<String> addresses() {
        Arbitrary<String> first = Arbitraries.of("u", "é", "ÿ", "Δ", "中", "\uD83D\uDE00", "\uD83D", "\uDE00", "e\u0301", "@");
        Arbitrary<String> local = Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(10);
        Arbitrary<Integer> domainLength = Arbitraries.oneOf(Arbitraries.integers().between(0, 300),
                Arbitraries.of(58, 59, 60, 61, 250, 251, 252, 253, 254));
        Arbitrary<String> domainChar = Arbitraries.of("x", ".", "é", "ÿ", "例", "\uD83D\uDE00", "\u0301");
        return Combinators.combine(first, local, domainLength, domainChar, Arbitraries.of("x", "ÿ", "\u0100"))
                .as((f, l, n, c, last) -> {
                    String domain = n == 0 ? "" : (c.repeat(n) + last).substring(0, n);
                    return f + l + "@" + domain;
                });
    }

    /** One char (or pair) a text around a length boundary is made of: counted or not with keep-separators. */
    @Provide
    Arbitrary<String> fillers() {
        return Arbitraries.of("a", "7", "é", "Δ", "-", " ", "\uD83D\uDE00", "a-", "\u0301");
    }

    /** How {@code email} and {@code partial} built their texts before the buffer: kept as the specification. */
    static final class ReferenceMasks {
        private ReferenceMasks() {
        }

        static String email(String s) {
            int at = s.lastIndexOf('@');
            if (at <= 0 || at == s.length() - 1) {
                return "****";
            }
            int firstEnd = Character.charCount(s.codePointAt(0));
            return new StringBuilder(firstEnd + 3 + s.length() - at).append(s, 0, firstEnd).append("***")
                    .append(s, at, s.length()).toString();
        }

        static String partial(String s, int keepFirst, int keepLast, char maskChar, boolean keepSeparators) {
            int n = s.length();
            int significant = n;
            if (keepSeparators) {
                significant = 0;
                for (int i = 0; i < n; i++) {
                    if (Character.isLetterOrDigit(s.charAt(i))) {
                        significant++;
                    }
                }
            }
            boolean showNothing = (long) keepFirst + keepLast >= significant;
            int hideFrom = showNothing ? 0 : keepFirst;
            int hideTo = showNothing ? significant : significant - keepLast;
            char[] out = s.toCharArray();
            int index = 0;
            for (int i = 0; i < n; i++) {
                if (keepSeparators && !Character.isLetterOrDigit(out[i])) {
                    continue;
                }
                if (index >= hideFrom && index < hideTo) {
                    out[i] = maskChar;
                }
                index++;
            }
            return new String(out);
        }
    }
}
