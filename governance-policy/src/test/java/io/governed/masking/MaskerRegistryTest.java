package io.governed.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskerRegistryTest {
    private final MaskerRegistry registry = MaskerRegistry.builtIn();

    /** A masker a policy jar might ship: upper-cases text. */
    public static final class ShoutMasker implements Masker {
        @Override
        public String name() {
            return "shout";
        }

        @Override
        public List<MaskParameter> parameters() {
            return List.of();
        }

        @Override
        public MaskFunction configure(MaskParameters parameters, MaskEnvironment environment) {
            return value -> value instanceof String s ? s.toUpperCase() : value == null ? null : "not " + value;
        }
    }

    /** A masker whose name is taken by a built-in one. */
    public static final class ImpostorRedact implements Masker {
        @Override
        public String name() {
            return "redact";
        }

        @Override
        public List<MaskParameter> parameters() {
            return List.of();
        }

        @Override
        public MaskFunction configure(MaskParameters parameters, MaskEnvironment environment) {
            return value -> value;
        }
    }

    @Test
    void knowsTheBuiltInFunctions() {
        assertThat(registry.names()).containsExactly("bucket", "default", "email", "hash", "null", "partial", "redact", "token", "year");
        assertThat(registry.find("partial")).get().extracting(Masker::name).isEqualTo("partial");
        assertThat(registry.find("shout")).isEmpty();
    }

    @Test
    void anUnknownFunctionIsRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> registry.create("mask-email", Map.of()))
                .isInstanceOf(MaskConfigurationException.class)
                .hasMessageContaining("Unknown mask function 'mask-email'")
                .hasMessageContaining("email, hash")
                .hasMessageContaining("META-INF/services/io.governed.masking.Masker")
                .satisfies(e -> assertThat(((MaskConfigurationException) e).function()).isEqualTo("mask-email"));
    }

    @Test
    void anUnknownParameterIsNamedWithTheAcceptedOnes() {
        assertThatThrownBy(() -> registry.create("partial", Map.of("keep-lats", 4)))
                .isInstanceOf(MaskConfigurationException.class)
                .hasMessageContaining("no parameter 'keep-lats'")
                .hasMessageContaining("keep-first, keep-last, mask-char, keep-separators")
                .satisfies(e -> assertThat(((MaskConfigurationException) e).parameter()).isEqualTo("keep-lats"));
        assertThatThrownBy(() -> registry.create("email", Map.of("keep", 1)))
                .hasMessageContaining("takes no parameters");
    }

    @Test
    void aParameterOfTheWrongTypeIsNamedWithTheExpectedType() {
        assertThatThrownBy(() -> registry.create("partial", Map.of("keep-last", "four")))
                .isInstanceOf(MaskConfigurationException.class)
                .hasMessageContaining("'keep-last' must be a whole number, not text (four)");
        assertThatThrownBy(() -> registry.create("partial", Map.of("keep-last", 4.5)))
                .hasMessageContaining("'keep-last' must be a whole number");
        assertThatThrownBy(() -> registry.create("partial", Map.of("keep-separators", "yes")))
                .hasMessageContaining("'keep-separators' must be true or false");
        assertThatThrownBy(() -> registry.create("redact", Map.of("numbers", "zeros")))
                .hasMessageContaining("'numbers' must be one of zero, null");
        assertThatThrownBy(() -> registry.create("redact", Map.of("text", List.of("a"))))
                .hasMessageContaining("'text' must be text, not a list");
        Map<String, Object> empty = new java.util.HashMap<>();
        empty.put("keep-last", null);
        assertThatThrownBy(() -> registry.create("partial", empty)).hasMessageContaining("not an empty value");
    }

    @Test
    void wholeNumbersInAnyIntegerTypeAreAccepted() {
        assertThat(registry.create("partial", Map.of("keep-last", 4L)).mask("123456")).isEqualTo("**3456");
        assertThatThrownBy(() -> registry.create("partial", Map.of("keep-last", 1L << 40)))
                .hasMessageContaining("whole number");
    }

    @Test
    void maskersFromAPolicyJarAreFoundAndTheirResultsTypeChecked(@TempDir Path jar) throws Exception {
        Path services = jar.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(Masker.class.getName()), ShoutMasker.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
            MaskerRegistry withJar = MaskerRegistry.load(loader);
            assertThat(withJar.names()).contains("shout", "redact");
            MaskFunction shout = withJar.create("shout", Map.of());
            assertThat(shout.mask("quiet")).isEqualTo("QUIET");
            assertThatThrownBy(() -> shout.mask(42))
                    .isInstanceOf(UnmaskableValueException.class)
                    .hasMessageContaining("'shout'").hasMessageContaining("Integer").hasMessageContaining("returned a String");
        }
    }

    @Test
    void aProvidedMaskerThatInventsValuesForNullIsStopped() {
        Masker inventive = new Masker() {
            @Override
            public String name() {
                return "inventive";
            }

            @Override
            public List<MaskParameter> parameters() {
                return List.of();
            }

            @Override
            public MaskFunction configure(MaskParameters parameters, MaskEnvironment environment) {
                return value -> "something";
            }
        };
        MaskFunction f = MaskerRegistry.of(List.of(inventive), MaskEnvironment.system()).create("inventive", Map.of());
        assertThat(f.mask("text")).isEqualTo("something");
        assertThatThrownBy(() -> f.mask(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'inventive' turned NULL into a String");
    }

    @Test
    void aMaskerCannotTakeABuiltInName() {
        assertThatThrownBy(() -> MaskerRegistry.of(List.of(new ImpostorRedact()), MaskEnvironment.system()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'redact'").hasMessageContaining(ImpostorRedact.class.getName());
    }
}
