package io.governed.masking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where mask functions read configuration that must not be written in a policy, such as hashing
 * keys: environment variables and files. An interface so that tests can supply their own.
 */
public interface MaskEnvironment {

    /** The value of an environment variable, or empty when it is not set. */
    Optional<String> variable(String name);

    /** The bytes of a file. */
    byte[] readFile(Path path) throws IOException;

    /** The process environment and the file system. */
    static MaskEnvironment system() {
        return new MaskEnvironment() {
            @Override
            public Optional<String> variable(String name) {
                return Optional.ofNullable(System.getenv(name));
            }

            @Override
            public byte[] readFile(Path path) throws IOException {
                return Files.readAllBytes(path);
            }
        };
    }
}
