package io.governed.policy.testing;

import io.governed.policy.load.PolicyCaseReader;
import io.governed.policy.load.PolicyProblem;
import io.governed.policy.load.PolicySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds and reads policy test files: a file, or every {@code .yaml}, {@code .yml} and {@code .json} file
 * under a directory (in name order), on disk or on the classpath. Every problem of every file is reported
 * at once.
 */
public final class PolicyCases {

    private PolicyCases() {
    }

    /**
     * The cases of a file, or of every test file under a directory.
     *
     * @throws PolicyCaseException when a file cannot be read or has problems, or the directory holds no test file
     */
    public static List<PolicyCase> fromPath(Path path) {
        if (!Files.exists(path)) {
            throw problem(path.toString(), "no such file or directory: check the path");
        }
        List<Path> files = Files.isDirectory(path) ? testFiles(path) : List.of(path);
        if (files.isEmpty()) {
            throw problem(path.toString(), "the directory holds no policy test file (.yaml, .yml or .json)");
        }
        List<PolicySource> sources = new ArrayList<>();
        for (Path file : files) {
            try {
                sources.add(PolicySource.of(file.toString(), Files.readString(file)));
            } catch (IOException e) {
                throw problem(file.toString(), "cannot be read (" + e + "): check that the file is readable");
            }
        }
        return read(sources);
    }

    /**
     * The cases of a classpath resource, or of every test file under a classpath directory (in a directory of
     * classes or in a jar), looked up through the thread's context class loader.
     *
     * @param location {@code classpath:NAME} or {@code NAME}, a file or a directory ({@code policy-tests/})
     * @throws PolicyCaseException when nothing is there, or a file has problems
     */
    public static List<PolicyCase> fromClasspath(String location) {
        String name = location.startsWith(PolicySource.CLASSPATH_PREFIX)
                ? location.substring(PolicySource.CLASSPATH_PREFIX.length()) : location;
        while (name.startsWith("/")) {
            name = name.substring(1);
        }
        String directory = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = PolicyCases.class.getClassLoader();
        }
        List<PolicySource> sources = new ArrayList<>();
        try {
            Enumeration<URL> urls = loader.getResources(directory);
            for (URL url : Collections.list(urls)) {
                sources.addAll(classpathSources(url, directory));
            }
        } catch (IOException e) {
            throw problem(PolicySource.CLASSPATH_PREFIX + name, "cannot be read (" + e + ")");
        }
        if (sources.isEmpty()) {
            throw problem(PolicySource.CLASSPATH_PREFIX + name, "no policy test file (.yaml, .yml or .json) there on the"
                    + " classpath: check the name, and that the files are in src/test/resources/" + directory);
        }
        return read(sources);
    }

    /** The cases of {@code sources}, every problem of every source reported at once. */
    public static List<PolicyCase> read(List<PolicySource> sources) {
        List<PolicyCase> cases = new ArrayList<>();
        List<PolicyProblem> problems = new ArrayList<>();
        for (PolicySource source : sources) {
            try {
                cases.addAll(PolicyCaseReader.read(source));
            } catch (PolicyCaseException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new PolicyCaseException(problems);
        }
        return cases;
    }

    private static List<PolicySource> classpathSources(URL url, String directory) throws IOException {
        URI uri;
        try {
            uri = url.toURI();
        } catch (URISyntaxException e) {
            throw new IOException("unusable resource URL " + url, e);
        }
        if (uri.getScheme().equals("jar")) {
            FileSystem jar;
            boolean opened = false;
            try {
                jar = FileSystems.getFileSystem(uri);
            } catch (FileSystemNotFoundException e) {
                jar = FileSystems.newFileSystem(uri, Map.of());
                opened = true;
            }
            try {
                return sources(jar.provider().getPath(uri), directory);
            } finally {
                if (opened) {
                    jar.close();
                }
            }
        }
        return sources(Path.of(uri), directory);
    }

    /** The sources under {@code root}, each named {@code classpath:DIRECTORY/relative/path}. */
    private static List<PolicySource> sources(Path root, String directory) throws IOException {
        List<PolicySource> sources = new ArrayList<>();
        List<Path> files = Files.isDirectory(root) ? testFiles(root) : List.of(root);
        for (Path file : files) {
            String relative = file.equals(root) ? "" : "/" + root.relativize(file).toString().replace('\\', '/');
            sources.add(PolicySource.of(PolicySource.CLASSPATH_PREFIX + directory + relative, Files.readString(file)));
        }
        return sources;
    }

    private static List<Path> testFiles(Path directory) {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile).filter(PolicyCases::isTestFile)
                    .sorted((a, b) -> a.toString().compareTo(b.toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    private static boolean isTestFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    private static PolicyCaseException problem(String source, String message) {
        return new PolicyCaseException(List.of(new PolicyProblem(source, 0, 0, message)));
    }
}
