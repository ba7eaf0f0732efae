package io.governed.spring.boot.actuate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The policy files in force and their SHA-256 digests, as the endpoint shows them. */
final class PolicyFiles {
    static final String BASELINE = "classpath:io/governed/policy/baseline.yaml";

    record File(String location, String sha256) {
    }

    private PolicyFiles() {
    }

    /** Each location's digest; the built-in baseline when there are none. */
    static List<File> of(List<String> locations) {
        List<String> all = new ArrayList<>();
        for (String location : locations.isEmpty() ? List.of(BASELINE) : locations) {
            for (String part : location.split(",")) {
                if (!part.isBlank()) {
                    all.add(part.trim());
                }
            }
        }
        return all.stream().map(l -> new File(l, digest(l))).toList();
    }

    /** One digest over the files in order: it changes when any file, or their order, changes. */
    static String combined(List<File> files) {
        MessageDigest sha = sha256();
        files.forEach(f -> sha.update((f.location() + "=" + f.sha256() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String digest(String location) {
        try (InputStream in = open(location)) {
            if (in == null) {
                return "unreadable";
            }
            return HexFormat.of().formatHex(sha256().digest(in.readAllBytes()));
        } catch (IOException e) {
            return "unreadable";
        }
    }

    private static InputStream open(String location) throws IOException {
        if (location.startsWith("classpath:")) {
            String name = location.substring("classpath:".length());
            name = name.startsWith("/") ? name.substring(1) : name;
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            return (loader != null ? loader : PolicyFiles.class.getClassLoader()).getResourceAsStream(name);
        }
        return Files.newInputStream(Path.of(location));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
