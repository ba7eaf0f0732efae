package io.governed.jdbc.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code governance-jdbc-VERSION-driver.jar} as a tool loads it: alone in a class loader of its own, beside the
 * H2 driver and an older Jackson (2.17.2) that the "application" uses, with nothing of the build's class path.
 * Statements run, are governed and audited through the jar's relocated libraries, and the application's Jackson
 * stays its own.
 */
class DriverJarIsolationIT {
    private static final Path TARGET = Path.of("target");

    private static Path driverJar() throws IOException {
        try (Stream<Path> files = Files.list(TARGET)) {
            return files.filter(p -> p.getFileName().toString().matches("governance-jdbc-.*-driver\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no governance-jdbc-*-driver.jar in target: run mvn verify, which packages it"));
        }
    }

    private static Path isolationJar(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(TARGET.resolve("isolation"))) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError(prefix + "*.jar is copied to target/isolation by the build"));
        }
    }

    @Test
    void theJarHoldsOnlyRelocatedLibrariesAndNoCommandLineTool() throws IOException {
        List<String> foreign = new ArrayList<>();
        try (JarFile jar = new JarFile(driverJar().toFile())) {
            for (var entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (name.endsWith(".class") && !name.startsWith("io/governed/") && !name.startsWith("META-INF/versions/")) {
                    foreign.add(name);
                }
            }
            assertThat(jar.getEntry("io/governed/jdbc/GovernedDriver.class")).isNotNull();
            assertThat(jar.getEntry("io/governed/shaded/jackson/databind/ObjectMapper.class")).isNotNull();
            assertThat(jar.getEntry("io/governed/jdbc/cli/GovernedJdbcCli.class")).as("the CLI is not in the driver jar").isNull();
            assertThat(jar.getEntry("picocli/CommandLine.class")).isNull();
            assertThat(new String(jar.getInputStream(jar.getEntry("META-INF/services/java.sql.Driver")).readAllBytes()).trim())
                    .isEqualTo("io.governed.jdbc.GovernedDriver");
            assertThat(jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name")).isEqualTo("io.governed.jdbc.driver");
        }
        assertThat(foreign).as("classes outside io.governed (unrelocated libraries)").isEmpty();
    }

    @Test
    void statementsRunGovernedBesideAConflictingJackson(@TempDir Path dir) throws Exception {
        Path audit = dir.resolve("audit.jsonl");
        URL[] urls = {
            driverJar().toUri().toURL(),
            isolationJar("jackson-databind-2.17.2").toUri().toURL(),
            isolationJar("jackson-core-2.17.2").toUri().toURL(),
            isolationJar("jackson-annotations-2.17.2").toUri().toURL(),
            isolationJar("h2-").toUri().toURL(),
        };
        // the context class loader stays the build's, which sees another copy of the driver and its service files
        try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            Class<?> appMapper = loader.loadClass("com.fasterxml.jackson.databind.ObjectMapper");
            Object version = appMapper.getMethod("version").invoke(appMapper.getConstructor().newInstance());
            assertThat(version.toString()).as("the application's own Jackson").isEqualTo("2.17.2");
            assertThat(appMapper).isNotSameAs(ObjectMapper.class);

            Class.forName("org.h2.Driver", true, loader); // registers the isolated H2 driver
            Driver governed = (Driver) loader.loadClass("io.governed.jdbc.GovernedDriver").getConstructor().newInstance();
            assertThat(governed.getClass().getClassLoader()).isSameAs(loader);
            Properties settings = new Properties();
            settings.setProperty("governed.principal", "tool-user");
            settings.setProperty("governed.audit", "jsonl:" + audit);
            String url = "jdbc:governed:h2:mem:isolation-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
            assertThat(governed.acceptsURL(url)).isTrue();
            try (Connection c = governed.connect(url, settings); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE customer (id INT PRIMARY KEY, email VARCHAR(100))");
                st.execute("INSERT INTO customer VALUES (1, 'ada@example.com')");
                try (ResultSet rs = st.executeQuery("SELECT id FROM customer")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
                assertThatThrownBy(() -> st.execute("DROP TABLE customer"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("baseline-no-destructive-ddl")
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM customer")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("the DROP never reached the database").isEqualTo(1);
                }
            }
            List<JsonNode> events = awaitEvents(audit, 5);
            assertThat(events).extracting(e -> e.path("principal").asText()).containsOnly("tool-user");
            assertThat(events).extracting(e -> e.get("decision").asText()).contains("allow", "deny");
        }
    }

    @Test
    void withoutOpenTelemetryOrKafkaTheDriverRunsAndTheirSettingsSayWhatToAdd() throws Exception {
        URL[] urls = {driverJar().toUri().toURL(), isolationJar("h2-").toUri().toURL()};
        try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> loader.loadClass("io.opentelemetry.api.OpenTelemetry")).isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> loader.loadClass("org.apache.kafka.clients.producer.KafkaProducer"))
                    .isInstanceOf(ClassNotFoundException.class);
            Class.forName("org.h2.Driver", true, loader);
            Driver governed = (Driver) loader.loadClass("io.governed.jdbc.GovernedDriver").getConstructor().newInstance();
            String url = "jdbc:governed:h2:mem:optional-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
            Properties plain = new Properties();
            plain.setProperty("governed.principal", "tool-user");
            try (Connection c = governed.connect(url, plain); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT 1")) {
                assertThat(rs.next()).as("statements run without the optional libraries").isTrue();
            }
            Properties otel = new Properties();
            otel.putAll(plain);
            otel.setProperty("governed.otel", "true");
            assertThatThrownBy(() -> governed.connect(url, otel)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("io.opentelemetry:opentelemetry-api");
            Properties kafka = new Properties();
            kafka.putAll(plain);
            kafka.setProperty("governed.audit", "kafka:127.0.0.1:9?topic=audit");
            assertThatThrownBy(() -> governed.connect(url, kafka)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("org.apache.kafka:kafka-clients");
        }
    }

    /** The audit trail once it holds {@code count} events, waiting for the sink's writer (at most 10 s). */
    private static List<JsonNode> awaitEvents(Path audit, int count) throws Exception {
        ObjectMapper json = new ObjectMapper();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            List<JsonNode> events = new ArrayList<>();
            if (Files.exists(audit)) {
                for (String line : Files.readAllLines(audit)) {
                    if (!line.isBlank()) {
                        events.add(json.readTree(line));
                    }
                }
            }
            if (events.size() >= count || System.nanoTime() > deadline) {
                assertThat(events).hasSizeGreaterThanOrEqualTo(count);
                return events;
            }
            Thread.sleep(50);
        }
    }
}
