package io.governed.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.governed.classification.detectors.BuiltInDetectors;
import io.governed.policy.pattern.ColumnPattern;
import io.governed.sql.Dialect;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ColumnClassifierTest {
    private static final Map<String, List<String>> POLICY_TAGS = Map.of(
            "pii.email", List.of("*.email", "*.*_email"),
            "pii.ssn", List.of("*.ssn"),
            "pci.pan", List.of("*.card_number"),
            "secret", List.of("*.api_key", "*.password_hash"));
    private static final String VISA = "4111111111111111";

    private static ColumnClassifier classifier(Map<String, List<String>> tags, boolean autoDetect) {
        return new ColumnClassifier(ClassifierSettings.of(Dialect.POSTGRESQL, patterns(tags), autoDetect, BuiltInDetectors.all("US"))
                .withSampling(8, 0.75));
    }

    static Map<String, List<ColumnPattern>> patterns(Map<String, List<String>> tags) {
        Map<String, List<ColumnPattern>> parsed = new LinkedHashMap<>();
        tags.forEach((tag, texts) -> parsed.put(tag, texts.stream().map(ColumnPattern::parse).toList()));
        return parsed;
    }

    private final ColumnClassifier classifier = classifier(POLICY_TAGS, true);

    @Test
    void aColumnTheDriverReadsAndFindsHoldingOnlyValuesOfATypeWithoutTextSettlesWithNoTag() {
        long now = System.nanoTime();
        ValueSampler dates = classifier.sampler(new QualifiedColumn("public", "orders", "created"));
        assertThat(dates.readOut(List.of(LocalDate.of(2026, 1, 2), java.sql.Date.valueOf("2026-01-03")), 16, now))
                .as("two dates say the column holds dates").isEqualTo(ValueSampler.Read.SETTLED);
        assertThat(dates.classifications()).isEmpty();
        ValueSampler flags = classifier.sampler(new QualifiedColumn("public", "orders", "paid"));
        assertThat(flags.readOut(List.of(true, false, true), 16, now)).isEqualTo(ValueSampler.Read.SETTLED);
        ValueSampler ids = classifier.sampler(new QualifiedColumn("public", "orders", "ref"));
        assertThat(ids.readOut(List.of(java.util.UUID.randomUUID(), 2.5d), 16, now)).isEqualTo(ValueSampler.Read.SETTLED);
    }

    @Test
    void fractionsSettleAColumnOnlyAsAWholeSampleAndBytesThatAreNotUtf8TextNever() {
        long now = System.nanoTime();
        ValueSampler amounts = classifier.sampler(new QualifiedColumn("public", "orders", "amount"));
        assertThat(amounts.readOut(List.of(new BigDecimal("1.25"), new BigDecimal("2.50")), 16, now))
                .as("a decimal column may hold whole numbers too").isEqualTo(ValueSampler.Read.FEW_NONE_RECOGNISED);
        List<Object> sixteen = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            sixteen.add(new BigDecimal(i + ".5"));
        }
        assertThat(amounts.readOut(sixteen, 16, now)).isEqualTo(ValueSampler.Read.SETTLED);
        assertThat(amounts.classifications()).isEmpty();
        ValueSampler latin = classifier.sampler(new QualifiedColumn("public", "files", "contact"));
        List<Object> encoded = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            encoded.add(("jos\u00e9" + i + "@example.org").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        assertThat(latin.readOut(encoded, 16, now)).as("text in another encoding").isEqualTo(ValueSampler.Read.NOT_SETTLED);
    }

    @Test
    void blankTextOrTextBesideTypedValuesDoesNotSettleAColumn() {
        long now = System.nanoTime();
        List<Object> blanks = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            blanks.add(" ");
        }
        ValueSampler notes = classifier.sampler(new QualifiedColumn("public", "orders", "note"));
        assertThat(notes.readOut(blanks, 16, now)).isEqualTo(ValueSampler.Read.NOT_SETTLED);
        assertThat(notes.recognisedSome()).isFalse();
        ValueSampler owners = classifier.sampler(new QualifiedColumn("public", "rooms", "owner"));
        assertThat(owners.readOut(List.of("ann.example@example.org", "north hall"), 16, now))
                .isEqualTo(ValueSampler.Read.FEW_RECOGNISED);
        assertThat(owners.recognisedSome()).isTrue();
        assertThat(owners.lastRead()).isEqualTo(ValueSampler.Read.FEW_RECOGNISED);
    }

    @Test
    void explicitTagsComeWithThePatternThatMatched() {
        assertThat(classifier.classify(new QualifiedColumn("public", "orders", "customer_email")))
                .containsExactly(new Classification("pii.email", ClassificationSource.EXPLICIT,
                        "matched pattern *.*_email from policy"));
    }

    @Test
    void explicitTagsWinOverDetectionByNameAndByValue() {
        QualifiedColumn apiKey = new QualifiedColumn("public", "clients", "api_key");
        assertThat(classifier.tags(apiKey)).containsExactly("secret");      // the name alone says secret.key
        for (int i = 0; i < 20; i++) {
            classifier.observe(apiKey, "AKIAIOSFODNN7EXAMPLE");
        }
        assertThat(classifier.classify(apiKey)).extracting(Classification::source).containsOnly(ClassificationSource.EXPLICIT);
        assertThat(classifier.sampler(apiKey).isSettled()).isTrue();
    }

    @Test
    void aColumnMatchingSeveralTagsCarriesThemAll() {
        ColumnClassifier c = classifier(Map.of("pii.email", List.of("*.contact"), "pii.phone", List.of("crm.*.contact")), true);
        assertThat(c.tags(new QualifiedColumn("crm", "people", "contact"))).containsExactlyInAnyOrder("pii.email", "pii.phone");
    }

    @Test
    void theNoneTagSilencesAFalsePositive() {
        ColumnClassifier c = classifier(Map.of("none", List.of("audit.events.token")), true);
        assertThat(c.classify(new QualifiedColumn("audit", "events", "token"))).isEmpty();
        assertThat(c.tags(new QualifiedColumn("public", "sessions", "token"))).containsExactly("secret.token");
    }

    @Test
    void aPatternThatCouldNameAColumnOfUnknownSchemaOrTableTagsItAndDetectionStillRuns() {
        ColumnClassifier c = classifier(Map.of("pii.email", List.of("crm.people.contact")), true);
        QualifiedColumn unknownSchema = new QualifiedColumn(null, "people", "contact");
        assertThat(c.classify(unknownSchema)).containsExactly(new Classification("pii.email", ClassificationSource.EXPLICIT,
                "may match pattern crm.people.contact from policy (its schema is not known)"));
        for (int i = 0; i < 8; i++) {
            c.observe(unknownSchema, VISA);
        }
        assertThat(c.tags(unknownSchema)).as("the tag is not certain, so values are still checked")
                .containsExactly("pii.email", "pci.pan");
        assertThat(c.classify(QualifiedColumn.named("contact"))).extracting(Classification::reason)
                .containsExactly("may match pattern crm.people.contact from policy (its table is not known)");
        assertThat(c.classify(new QualifiedColumn("sales", "people", "contact"))).isEmpty();
    }

    @Test
    void theNoneTagSilencesOnlyAColumnItCertainlyNames() {
        ColumnClassifier c = classifier(Map.of("none", List.of("audit.events.token")), true);
        assertThat(c.tags(new QualifiedColumn(null, "events", "token"))).containsExactly("secret.token");
        assertThat(c.tags(new QualifiedColumn("audit", "events", "token"))).isEmpty();
        ColumnClassifier everywhere = classifier(Map.of("none", List.of("*.*.token")), true);
        assertThat(everywhere.tags(QualifiedColumn.named("token"))).isEmpty();
    }

    @Test
    void namesFoldAsTheDialectsDatabaseFoldsThem() {
        Map<String, List<ColumnPattern>> tags = patterns(Map.of("pii.email", List.of("*.email")));
        ColumnClassifier h2 = new ColumnClassifier(ClassifierSettings.of(Dialect.H2, tags, false, List.of()));
        assertThat(h2.tags(new QualifiedColumn("PUBLIC", "USERS", "EMAIL"))).containsExactly("pii.email");
        assertThat(h2.tags(new QualifiedColumn("PUBLIC", "USERS", "email"))).as("a quoted lower-case column").isEmpty();
        ColumnClassifier postgres = new ColumnClassifier(ClassifierSettings.of(Dialect.POSTGRESQL, tags, false, List.of()));
        assertThat(postgres.tags(new QualifiedColumn("public", "users", "email"))).containsExactly("pii.email");
        assertThat(postgres.tags(new QualifiedColumn("public", "users", "EMAIL"))).as("a quoted upper-case column").isEmpty();
    }

    @Test
    void aStarInsideQuotesIsAnOrdinaryCharacter() {
        ColumnClassifier c = classifier(Map.of("secret", List.of("*.\"api*\"")), false);
        assertThat(c.tags(new QualifiedColumn("public", "clients", "api*"))).containsExactly("secret");
        assertThat(c.tags(new QualifiedColumn("public", "clients", "api_key"))).isEmpty();
    }

    @Test
    void withoutAutoDetectionOnlyExplicitTagsCount() {
        ColumnClassifier c = classifier(POLICY_TAGS, false);
        QualifiedColumn cards = new QualifiedColumn("public", "payments", "pan");
        for (int i = 0; i < 8; i++) {
            c.observe(cards, VISA);
        }
        assertThat(c.classify(cards)).isEmpty();
        assertThat(c.tags(new QualifiedColumn("public", "users", "ssn"))).containsExactly("pii.ssn");
    }

    @Test
    void valuesTagAColumnOnceEnoughOfTheSampleIsRecognised() {
        QualifiedColumn notes = new QualifiedColumn("public", "orders", "notes");
        for (int i = 0; i < 5; i++) {
            classifier.observe(notes, VISA);
        }
        classifier.observe(notes, "4111111111111112");           // fails Luhn
        classifier.observe(notes, "call me");
        assertThat(classifier.classify(notes)).as("7 values are not yet a sample of 8").isEmpty();
        classifier.observe(notes, "5555 5555 5555 4444");
        assertThat(classifier.classify(notes)).containsExactly(new Classification("pci.pan", ClassificationSource.VALUE,
                "6 of 8 sampled values are valid card numbers (Luhn)"));
    }

    @Test
    void aSampleBelowTheThresholdLeavesTheColumnUntaggedForGood() {
        QualifiedColumn notes = new QualifiedColumn("public", "orders", "notes");
        for (int i = 0; i < 8; i++) {
            classifier.observe(notes, i < 5 ? VISA : "nothing to see");
        }
        for (int i = 0; i < 100; i++) {
            classifier.observe(notes, VISA);
        }
        assertThat(classifier.classify(notes)).isEmpty();
        assertThat(classifier.sampler(notes).isSettled()).isTrue();
    }

    @Test
    void nullsBlanksAndOtherTypesAreNotCountedButWholeNumbersAre() {
        QualifiedColumn stored = new QualifiedColumn("public", "legacy", "c17");
        for (int i = 0; i < 50; i++) {
            classifier.observe(stored, null);
            classifier.observe(stored, "  ");
            classifier.observe(stored, LocalDate.EPOCH);
            classifier.observe(stored, 4.111111111111111e15);
        }
        assertThat(classifier.sampler(stored).isSettled()).isFalse();
        for (int i = 0; i < 4; i++) {
            classifier.observe(stored, 4111111111111111L);
            classifier.observe(stored, new BigDecimal("5555555555554444"));
        }
        assertThat(classifier.tags(stored)).containsExactly("pci.pan");
    }

    @Test
    void nameAndValueTagsAddUpWithTheirOwnReasons() {
        QualifiedColumn contact = new QualifiedColumn("public", "people", "phone");
        for (int i = 0; i < 8; i++) {
            classifier.observe(contact, "alice" + i + "@example.com");
        }
        assertThat(classifier.classify(contact)).containsExactly(
                new Classification("pii.phone", ClassificationSource.NAME, "column name 'phone' contains 'phone'"),
                new Classification("pii.email", ClassificationSource.VALUE, "8 of 8 sampled values are valid e-mail addresses"));
    }

    @Test
    void aValueTagAlreadyGivenByNameIsNotRepeated() {
        QualifiedColumn email = new QualifiedColumn("public", "people", "contact_email");
        ColumnClassifier c = classifier(Map.of(), true);
        for (int i = 0; i < 8; i++) {
            c.observe(email, "bob" + i + "@example.org");
        }
        assertThat(c.classify(email)).extracting(Classification::source).containsExactly(ClassificationSource.NAME);
    }

    @Test
    void concurrentRowsAreSampledExactlyOnce() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        Detector countingCards = new Detector() {
            @Override
            public String tag() {
                return "pci.pan";
            }

            @Override
            public boolean inspectsValues() {
                return true;
            }

            @Override
            public boolean matchesValue(String value) {
                checks.incrementAndGet();
                return value.equals(VISA);
            }

            @Override
            public String valueDescription() {
                return "card numbers";
            }
        };
        ColumnClassifier c = new ColumnClassifier(ClassifierSettings.of(Dialect.POSTGRESQL, Map.of(), true, List.of(countingCards))
                .withSampling(64, 0.5));
        QualifiedColumn column = new QualifiedColumn("public", "payments", "reference");
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                start.await();
                ValueSampler sampler = c.sampler(column);
                for (int i = 0; i < 1_000; i++) {
                    sampler.observe(VISA);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(checks).as("values checked out of 8000 observed").hasValue(64);
        assertThat(c.classify(column)).extracting(Classification::reason)
                .containsExactly("64 of 64 sampled values are card numbers");
    }

    @Test
    void theCacheOfColumnsIsBounded() {
        ColumnClassifier c = new ColumnClassifier(ClassifierSettings.of(Dialect.POSTGRESQL, Map.of(), true, BuiltInDetectors.all("US"))
                .withSampling(1, 1.0).withMaxColumns(2));
        for (int i = 0; i < 200; i++) {
            c.observe(QualifiedColumn.named("c" + i), VISA);
        }
        assertThat(c.cachedColumns()).isLessThanOrEqualTo(2);
        ValueSampler held = c.sampler(QualifiedColumn.named("held"));
        for (int i = 0; i < 200; i++) {
            c.observe(QualifiedColumn.named("d" + i), VISA);
        }
        held.observe(VISA);
        assertThat(held.classifications()).as("a sampler held by a reader keeps working after eviction")
                .extracting(Classification::tag).containsExactly("pci.pan");
    }

    @Test
    void malformedTagsAreNamedInTheError() {
        assertThatThrownBy(() -> classifier(Map.of("PII Email", List.of("*.email")), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PII Email");
    }

    @Test
    void samplingSettingsOutOfRangeAreRefused() {
        ClassifierSettings settings = ClassifierSettings.of(Dialect.POSTGRESQL, Map.of(), true, List.of());
        assertThatThrownBy(() -> settings.withSampling(0, 0.5)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> settings.withSampling(10, 0)).hasMessageContaining("e.g. 0.8");
        assertThatThrownBy(() -> settings.withSampling(10, 1.5)).hasMessageContaining("(0, 1]");
    }
}
