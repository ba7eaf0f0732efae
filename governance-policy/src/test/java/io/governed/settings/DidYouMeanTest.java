package io.governed.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DidYouMeanTest {

    private static final List<String> POLICY_KEYS =
            List.of("version", "default", "on-unparseable", "classification", "rules", "masks", "row-filters", "approvals");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "rule, rules",                 // a letter missing
            "maskss, masks",               // a letter too many
            "defualt, default",            // two neighbours swapped
            "versoin, version",
            "ROW_FILTERS, row-filters",    // case and _ for - are no difference
            "on_unparsable, on-unparseable",
            "clasification, classification",
            "aprovals, approvals"})
    void aTypoOfAKnownWordSuggestsIt(String written, String meant) {
        assertThat(DidYouMean.closest(written, POLICY_KEYS)).contains(meant);
        assertThat(DidYouMean.hint(written, POLICY_KEYS)).isEqualTo(": did you mean '" + meant + "'?");
    }

    @Test
    void aWordFarFromEveryKnownOneListsThemSorted() {
        assertThat(DidYouMean.closest("colour", POLICY_KEYS)).isEmpty();
        assertThat(DidYouMean.hint("colour", POLICY_KEYS)).isEqualTo(": expected one of approvals, classification, default, "
                + "masks, on-unparseable, row-filters, rules, version");
    }

    @Test
    void theEditsAllowedGrowWithTheWordUpToThree() {
        assertThat(DidYouMean.closest("ab", List.of("xy"))).as("2 edits in 2 letters").isEmpty();
        assertThat(DidYouMean.closest("ab", List.of("ax"))).contains("ax");
        assertThat(DidYouMean.closest("abcdef", List.of("abcxyf"))).as("2 edits in 6 letters").contains("abcxyf");
        assertThat(DidYouMean.closest("abcdef", List.of("axyzef"))).as("3 edits in 6 letters").isEmpty();
        assertThat(DidYouMean.closest("governed.principle", List.of("governed.principal", "governed.purpose")))
                .contains("governed.principal");
        assertThat(DidYouMean.closest("governed.audit.queue-size", List.of("governed.audit.queue-capacity"))).isEmpty();
    }

    @Test
    void theClosestOfSeveralCloseWordsWins() {
        assertThat(DidYouMean.closest("drpo", List.of("draw", "drop", "deny"))).contains("drop");
        assertThat(DidYouMean.closest("x", List.of())).isEmpty();
    }

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({"'', abc, 3", "abc, abc, 0", "abc, acb, 1", "kitten, sitting, 3", "ca, abc, 3", "flaw, lawn, 2"})
    void distanceCountsInsertionsDeletionsSubstitutionsAndSwaps(String a, String b, int edits) {
        assertThat(DidYouMean.distance(a, b)).isEqualTo(edits);
        assertThat(DidYouMean.distance(b, a)).isEqualTo(edits);
    }
}
