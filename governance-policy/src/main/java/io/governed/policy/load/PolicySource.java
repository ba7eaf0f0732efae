package io.governed.policy.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The text of one policy and the name problems are reported under. A name ending in {@code .json}
 * is read as JSON, anything else as YAML.
 *
 * @param name where the text came from: a file path, {@code classpath:NAME}, or a name of the caller's choosing
 * @param text the policy's YAML or JSON text
 */
public record PolicySource(String name, String text) {

    /** The prefix of a classpath location. */
    public static final String CLASSPATH_PREFIX = "classpath:";

    public PolicySource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
    }

    /** Text held in memory, reported under {@code name}. */
    public static PolicySource of(String name, String text) {
        return new PolicySource(name, text);
    }

    /**
     * A file, read as UTF-8.
     *
     * @throws PolicyLoadException when the file cannot be read
     */
    public static PolicySource fromPath(Path path) {
        try {
            return new PolicySource(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreadable(path.toString(), "cannot be read (" + e + "): check that the file exists and is readable");
        }
    }

    /**
     * A resource on the classpath, looked up through the thread's context class loader and then
     * this library's.
     *
     * @param resource the resource name, with or without {@code classpath:} and a leading {@code /}
     * @throws PolicyLoadException when there is no such resource
     */
    public static PolicySource fromClasspath(String resource) {
        String name = resource.startsWith(CLASSPATH_PREFIX) ? resource.substring(CLASSPATH_PREFIX.length()) : resource;
        while (name.startsWith("/")) {
            name = name.substring(1);
        }
        String sourceName = CLASSPATH_PREFIX + name;
        for (ClassLoader loader : classLoaders()) {
            try (InputStream in = loader.getResourceAsStream(name)) {
                if (in != null) {
                    return new PolicySource(sourceName, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw unreadable(sourceName, "cannot be read (" + e + ")");
            }
        }
        throw unreadable(sourceName, "no such resource on the classpath: check its name and that the jar holding it is on the classpath");
    }

    /** {@code classpath:NAME} for a classpath resource, anything else a file path. */
    public static PolicySource locate(String location) {
        String trimmed = location.trim();
        return trimmed.startsWith(CLASSPATH_PREFIX) ? fromClasspath(trimmed) : fromPath(Path.of(trimmed));
    }

    /** True when the text is read as JSON: the name ends in {@code .json}. */
    public boolean isJson() {
        return name.toLowerCase(Locale.ROOT).endsWith(".json");
    }

    private static List<ClassLoader> classLoaders() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader own = PolicySource.class.getClassLoader();
        return context == null || context == own ? List.of(own) : List.of(context, own);
    }

    private static PolicyLoadException unreadable(String source, String message) {
        return new PolicyLoadException(List.of(new PolicyProblem(source, 0, 0, message)));
    }
}
