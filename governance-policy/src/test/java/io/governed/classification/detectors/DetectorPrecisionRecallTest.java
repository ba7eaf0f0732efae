package io.governed.classification.detectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall of each value check, measured on 10,000 generated values of its kind and
 * 10,000 generated look-alikes (seeded, so the figures are reproducible). The figures appear in the
 * assertion descriptions.
 */
class DetectorPrecisionRecallTest {
    private static final int N = 10_000;
    private static final long SEED = 20_240_601L;

    /** Counts of one run. */
    record Score(String detector, int truePositives, int falseNegatives, int falsePositives, int trueNegatives) {
        double precision() {
            return truePositives / (double) (truePositives + falsePositives);
        }

        double recall() {
            return truePositives / (double) (truePositives + falseNegatives);
        }

        @Override
        public String toString() {
            return String.format("%s: precision %.4f, recall %.4f (TP %d, FN %d, FP %d, TN %d)", detector,
                    precision(), recall(), truePositives, falseNegatives, falsePositives, trueNegatives);
        }
    }

    private static Score measure(String name, Predicate<String> check, Function<GeneratedValues, String> positive,
                                 Function<GeneratedValues, String> lookAlike) {
        GeneratedValues gen = new GeneratedValues(SEED);
        int tp = 0;
        int fp = 0;
        for (int i = 0; i < N; i++) {
            if (check.test(positive.apply(gen))) {
                tp++;
            }
            if (check.test(lookAlike.apply(gen))) {
                fp++;
            }
        }
        return new Score(name, tp, N - tp, fp, N - fp);
    }

    private static void assertScore(Score score, double minPrecision, double minRecall) {
        assertThat(score.precision()).as(score.toString()).isGreaterThanOrEqualTo(minPrecision);
        assertThat(score.recall()).as(score.toString()).isGreaterThanOrEqualTo(minRecall);
    }

    @Test
    void cardNumbers() {
        assertScore(measure("card-number", CardNumbers::isValid, GeneratedValues::cardNumber, GeneratedValues::cardLookAlike),
                0.97, 1.0);
    }

    @Test
    void ibans() {
        assertScore(measure("iban", Ibans::isValid, GeneratedValues::iban, GeneratedValues::ibanLookAlike), 0.99, 1.0);
    }

    @Test
    void socialSecurityNumbers() {
        assertScore(measure("ssn", SocialSecurityNumbers::isValid, GeneratedValues::ssn, GeneratedValues::ssnLookAlike),
                1.0, 1.0);
    }

    @Test
    void emailAddresses() {
        assertScore(measure("email", EmailAddresses::isValid, GeneratedValues::email, GeneratedValues::emailLookAlike),
                1.0, 1.0);
    }

    @Test
    void bearerTokens() {
        assertScore(measure("token", Tokens::isValid, GeneratedValues::token, GeneratedValues::tokenLookAlike), 1.0, 1.0);
    }

    @Test
    void accessKeys() {
        assertScore(measure("access-key", AccessKeys::isValid, GeneratedValues::accessKey, GeneratedValues::accessKeyLookAlike),
                1.0, 1.0);
    }

    @Test
    void phoneNumbers() {
        PhoneNumbers us = new PhoneNumbers("US");
        assertScore(measure("phone", us::isValid, GeneratedValues::phoneNumber, GeneratedValues::phoneLookAlike), 0.99, 0.98);
    }
}
