package io.governed.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.governed.sql.Dialect;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectorsTest {

    /** A detector a policy jar might ship: employee numbers such as E-123456. */
    public static final class EmployeeNumberDetector implements Detector {
        @Override
        public String tag() {
            return "hr.employee-id";
        }

        @Override
        public Optional<String> matchName(NameWords name) {
            return name.words().contains("employee") ? Optional.of("employee") : Optional.empty();
        }

        @Override
        public boolean inspectsValues() {
            return true;
        }

        @Override
        public boolean matchesValue(String value) {
            return value.length() == 8 && value.startsWith("E-") && value.substring(2).chars().allMatch(Character::isDigit);
        }

        @Override
        public String valueDescription() {
            return "employee numbers";
        }
    }

    /** A detector whose tag cannot be written in a policy. */
    public static final class BadTagDetector implements Detector {
        @Override
        public String tag() {
            return "HR Data";
        }
    }

    private static URLClassLoader jarListing(Path dir, Class<?> detector) throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(Detector.class.getName()), detector.getName() + "\n");
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, DetectorsTest.class.getClassLoader());
    }

    @Test
    void detectorsFromAPolicyJarJoinTheBuiltInOnes(@TempDir Path dir) throws Exception {
        try (URLClassLoader loader = jarListing(dir, EmployeeNumberDetector.class)) {
            List<Detector> detectors = Detectors.available("US", loader);
            assertThat(detectors).extracting(Detector::tag).contains("pii.email", "pci.pan", "hr.employee-id");

            ColumnClassifier classifier = new ColumnClassifier(ClassifierSettings.of(Dialect.POSTGRESQL, Map.of(), true, detectors).withSampling(4, 1.0));
            assertThat(classifier.tags(QualifiedColumn.named("employee_ref"))).containsExactly("hr.employee-id");
            QualifiedColumn owner = QualifiedColumn.named("owner");
            for (int i = 0; i < 4; i++) {
                classifier.observe(owner, "E-00012" + i);
            }
            assertThat(classifier.classify(owner)).extracting(Classification::reason)
                    .containsExactly("4 of 4 sampled values are employee numbers");
        }
    }

    @Test
    void aDetectorWithAMalformedTagIsNamed(@TempDir Path dir) throws Exception {
        try (URLClassLoader loader = jarListing(dir, BadTagDetector.class)) {
            assertThatThrownBy(() -> Detectors.available("US", loader))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(BadTagDetector.class.getName()).hasMessageContaining("HR Data");
        }
    }
}
