package io.governed.sql;

import java.util.Arrays;

/**
 * Passes the tokens of one lexer pass on to a {@link LexedSqlBuilder} and keeps where in the source text each token
 * starts and each literal ends, so that two readings of one text can be compared place by place: the same tokens at
 * the same places, strings ending where they ended the other way.
 */
final class TokenPlaces implements TokenSink {

    private final LexedSqlBuilder tokens = new LexedSqlBuilder(false);
    private int[] places = new int[32];
    private int count;

    private void place(int offset) {
        if (count == places.length) {
            places = Arrays.copyOf(places, count * 2);
        }
        places[count++] = offset;
    }

    /** Whether both passes read the same tokens, each starting (and each literal ending) at the same offset. */
    boolean sameAs(TokenPlaces other) {
        return Arrays.equals(places, 0, count, other.places, 0, other.count)
                && tokens.fingerprint().equals(other.tokens.fingerprint());
    }

    @Override
    public void at(int sourceOffset) {
        place(sourceOffset);
        tokens.at(sourceOffset);
    }

    @Override
    public void literalEnd(int sourceOffset) {
        // negative so that an end never equals a start read the other way
        place(-1 - sourceOffset);
        tokens.literalEnd(sourceOffset);
    }

    @Override
    public void word(String lowerCase) {
        tokens.word(lowerCase);
    }

    @Override
    public void word(String sql, int start, int end) {
        tokens.word(sql, start, end);
    }

    @Override
    public void quotedIdentifier(String asWritten) {
        tokens.quotedIdentifier(asWritten);
    }

    @Override
    public void literal(boolean numeric) {
        tokens.literal(numeric);
    }

    @Override
    public void doubleQuotedString() {
        tokens.doubleQuotedString();
    }

    @Override
    public void parameter(String marker) {
        tokens.parameter(marker);
    }

    @Override
    public void symbol(String symbol) {
        tokens.symbol(symbol);
    }

    @Override
    public void separator() {
        tokens.separator();
    }
}
