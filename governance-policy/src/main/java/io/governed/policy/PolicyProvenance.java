package io.governed.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Where a loaded policy came from: the SHA-256 of each file (or classpath resource) it was composed
 * from, in composition order, and one digest for the whole set. Two loads of the same texts in the
 * same order have the same {@link #digest()}, whatever the files are called, so the digest names a
 * policy version; the file names say where it was read.
 *
 * <p>A file's digest is the lower-case hex SHA-256 of its UTF-8 text (what {@code sha256sum FILE}
 * prints for a UTF-8 file). The set's digest is the SHA-256 of the file digests, each followed by a
 * newline, in composition order.
 *
 * @param digest the set's digest (64 lower-case hex characters)
 * @param files  the files, in composition order
 */
public record PolicyProvenance(String digest, List<File> files) {

    /**
     * One source of the policy.
     *
     * @param name   the file path or {@code classpath:NAME} it was read from
     * @param digest the SHA-256 of its text, as 64 lower-case hex characters
     */
    public record File(String name, String digest) {
        public File {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(digest, "digest");
        }

        /** The file called {@code name} holding {@code text}. */
        public static File of(String name, String text) {
            return new File(name, sha256(text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    public PolicyProvenance {
        Objects.requireNonNull(digest, "digest");
        files = List.copyOf(files);
    }

    /** The provenance of a policy composed from these files, in this order. */
    public static PolicyProvenance of(List<File> files) {
        StringBuilder digests = new StringBuilder(files.size() * 65);
        for (File f : files) {
            digests.append(f.digest()).append('\n');
        }
        return new PolicyProvenance(sha256(digests.toString().getBytes(StandardCharsets.US_ASCII)), files);
    }

    /** The first 12 characters of the digest, enough to tell versions apart in a log line. */
    public String shortDigest() {
        return digest.substring(0, Math.min(12, digest.length()));
    }

    /** The lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
    }
}
