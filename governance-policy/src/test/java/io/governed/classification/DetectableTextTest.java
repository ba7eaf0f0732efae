package io.governed.classification;

import io.governed.classification.DetectableText.Recognised;
import io.governed.classification.detectors.BuiltInDetectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where value detection looks for a value: the whole text, then the pieces of JSON, rows, lists and sentences. */
class DetectableTextTest {
    private static final List<? extends Detector> DETECTORS = BuiltInDetectors.all("US");

    private static Map<String, Recognised> found(Object value) {
        String text = DetectableText.of(value);
        java.util.Map<String, Recognised> out = new java.util.TreeMap<>();
        if (text == null) {
            return out;
        }
        for (Detector d : DETECTORS) {
            Recognised r = DetectableText.recognise(d, text);
            if (r != Recognised.NONE) {
                out.put(d.tag(), r);
            }
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ann.lee@example.org                                   | pii.email | WHOLE",
            "'\"ann.lee@example.org\"'                             | pii.email | INSIDE",
            "'{\"r\": \"ann.lee@example.org\", \"id\": 1}'         | pii.email | INSIDE",
            "'(1,ann.lee@example.org,\"note 1\")'                  | pii.email | INSIDE",
            "'1,ann.lee@example.org'                               | pii.email | INSIDE",
            "'r=>ann.lee@example.org'                              | pii.email | INSIDE",
            "'write to ann.lee@example.org.'                       | pii.email | INSIDE",
            "'call 219-45-6789 today'                              | pii.ssn   | INSIDE",
            "'card 4111 1111 1111 1111 on file'                    | pci.pan   | INSIDE",
            "'{\"card\": \"4111 1111 1111 1111\"}'                 | pci.pan   | INSIDE",
            "'pay to DE89 3704 0044 0532 0130 00 by Friday'        | fin.iban  | INSIDE",
            "ann.lee@example.org@                                  | pii.email | INSIDE",
            "ann.lee@example.org#                                  | pii.email | INSIDE",
            "'@ann.lee@example.org'                                | pii.email | INSIDE",
            "219-45-6789-                                          | pii.ssn   | INSIDE",
            "219-45-6789~x                                         | pii.ssn   | INSIDE",
    })
    void aValueIsFoundWholeOrInsideOtherText(String text, String tag, Recognised how) {
        assertThat(found(text)).containsEntry(tag, how);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'{\"id\": 1, \"name\": \"Ada\", \"active\": true}'",
            "'(1,Ada,\"note 1\")'",
            "'room 31, second floor'",
            "'order 42 shipped on 2024-01-15'",
    })
    void textHoldingNoSuchValueIsFoundClean(String text) {
        assertThat(found(text)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aValueOfATypeTheDetectorsDoNotKnowIsLookedAtAsItsText() {
        Object driverObject = new Object() {
            @Override
            public String toString() {
                return "{\"r\": \"ann.lee@example.org\"}";
            }
        };
        assertThat(found(driverObject)).containsEntry("pii.email", Recognised.INSIDE);
        assertThat(DetectableText.of(java.time.LocalDate.EPOCH)).isNull();
        assertThat(DetectableText.of(true)).isNull();
        assertThat(DetectableText.of(new java.math.BigDecimal("4111111111111111.00"))).isEqualTo("4111111111111111");
    }
}
