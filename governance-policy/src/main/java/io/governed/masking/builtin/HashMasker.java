package io.governed.masking.builtin;

import io.governed.masking.MaskEnvironment;
import io.governed.masking.MaskFunction;
import io.governed.masking.MaskParameter;
import io.governed.masking.MaskParameters;
import io.governed.masking.Masker;
import io.governed.masking.ParameterType;
import io.governed.masking.UnmaskableValueException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code hash}: replaces a value with its HMAC-SHA-256 under a secret key, so equal values stay
 * equal (joins, grouping and counting distinct still work) while the values themselves cannot be
 * recovered or guessed without the key.
 *
 * <p>The key never appears in the policy: {@code key-env} names an environment variable holding
 * it, or {@code key-file} a file (trailing white space and line breaks are ignored). Exactly one
 * must be given, and the key must be at least 16 bytes; a missing or short key fails when the
 * policy is loaded.
 *
 * <p>Text becomes the MAC in lower-case hex ({@code encoding: hex}, 64 characters) or unpadded
 * base64url ({@code encoding: base64url}, 43 characters). Other types keep their type:
 * {@code byte[]} becomes the 32-byte MAC; {@code Integer}, {@code Long}, {@code Short},
 * {@code Byte} the MAC's leading bytes as that type; {@code BigInteger} and {@code BigDecimal} a
 * non-negative whole number from the MAC's first 8 bytes; {@code UUID} a version-8 UUID from its
 * first 16 bytes. Numbers and UUIDs are hashed through their text form, so a column read with
 * {@code getString} and with {@code getLong} hashes the same input. Dates, booleans and floating
 * point numbers raise {@link UnmaskableValueException}.
 */
public final class HashMasker implements Masker {
    private static final int MIN_KEY_BYTES = 16;
    private static final String ALGORITHM = "HmacSHA256";

    @Override
    public String name() {
        return "hash";
    }

    @Override
    public List<MaskParameter> parameters() {
        return List.of(
                MaskParameter.optional("key-env", ParameterType.STRING, "the environment variable holding the key"),
                MaskParameter.optional("key-file", ParameterType.STRING, "the file holding the key"),
                MaskParameter.choice("encoding", List.of("hex", "base64url"), "how text results are written, default hex"));
    }

    @Override
    public MaskFunction configure(MaskParameters parameters, MaskEnvironment environment) {
        SecretKeySpec spec = hmacKey(parameters, environment, "key");
        return new HmacMask(spec, parameters.string("encoding", "hex").equals("hex"));
    }

    /**
     * The HMAC-SHA-256 key that {@code PREFIX-env} or {@code PREFIX-file} (exactly one) holds, at least 16
     * bytes; checked now, at load time.
     */
    static SecretKeySpec hmacKey(MaskParameters parameters, MaskEnvironment environment, String prefix) {
        byte[] key = readKey(parameters, environment, prefix);
        if (key.length < MIN_KEY_BYTES) {
            throw parameters.error(prefix + (parameters.has(prefix + "-env") ? "-env" : "-file"), "the key is " + key.length
                    + " bytes; use at least " + MIN_KEY_BYTES + " random bytes (e.g. the output of: openssl rand -hex 32)");
        }
        SecretKeySpec spec = new SecretKeySpec(key, ALGORITHM);
        Arrays.fill(key, (byte) 0);
        newMac(spec); // fails now, at load time, if the runtime cannot compute the MAC
        return spec;
    }

    private static byte[] readKey(MaskParameters parameters, MaskEnvironment environment, String prefix) {
        String envKey = prefix + "-env";
        String fileKey = prefix + "-file";
        boolean fromEnv = parameters.has(envKey);
        boolean fromFile = parameters.has(fileKey);
        if (fromEnv == fromFile) {
            throw parameters.error(fromEnv ? fileKey : envKey, fromEnv
                    ? "give either " + envKey + " or " + fileKey + ", not both"
                    : "give " + envKey + " (an environment variable) or " + fileKey + " (a file) holding the key; keys never go in the policy");
        }
        if (fromEnv) {
            String variable = parameters.string(envKey, null);
            String value = environment.variable(variable).map(String::strip).orElse("");
            if (value.isEmpty()) {
                throw parameters.error(envKey, "environment variable " + variable
                        + " is not set or empty; set it to the key before starting the application");
            }
            return value.getBytes(StandardCharsets.UTF_8);
        }
        String file = parameters.string(fileKey, null);
        try {
            byte[] content = environment.readFile(Path.of(file));
            int end = content.length;
            while (end > 0 && Character.isWhitespace(content[end - 1])) {
                end--;
            }
            byte[] key = Arrays.copyOf(content, end);
            Arrays.fill(content, (byte) 0);
            return key;
        } catch (IOException | InvalidPathException e) {
            throw parameters.error(fileKey, "cannot read key file " + file + " (" + e.getClass().getSimpleName()
                    + "); check the path and that the application may read it");
        }
    }

    static Mac newMac(SecretKeySpec spec) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(spec);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This Java runtime cannot compute " + ALGORITHM, e);
        }
    }

    /** The configured function; one {@link Mac} per thread, since a Mac is not thread-safe. */
    private static final class HmacMask implements MaskFunction {
        private static final char[] HEX = "0123456789abcdef".toCharArray();
        private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

        private final ThreadLocal<Mac> mac;
        private final boolean hex;

        HmacMask(SecretKeySpec spec, boolean hex) {
            this.mac = ThreadLocal.withInitial(() -> newMac(spec));
            this.hex = hex;
        }

        @Override
        public Object mask(Object value) {
            if (value == null) {
                return null;
            }
            if (value instanceof byte[] bytes) {
                return mac.get().doFinal(bytes);
            }
            if (value instanceof String s) {
                return encode(digest(s));
            }
            if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                    || value instanceof BigInteger || value instanceof BigDecimal || value instanceof UUID) {
                ByteBuffer d = ByteBuffer.wrap(digest(text(value)));
                if (value instanceof Integer) {
                    return d.getInt();
                }
                if (value instanceof Long) {
                    return d.getLong();
                }
                if (value instanceof Short) {
                    return d.getShort();
                }
                if (value instanceof Byte) {
                    return d.get();
                }
                if (value instanceof UUID) {
                    long high = (d.getLong() & ~0xF000L) | 0x8000L;
                    long low = (d.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
                    return new UUID(high, low);
                }
                long positive = d.getLong() & Long.MAX_VALUE;
                return value instanceof BigInteger ? BigInteger.valueOf(positive) : BigDecimal.valueOf(positive);
            }
            throw new UnmaskableValueException("hash", value.getClass(),
                    "hash masks text, whole numbers, UUIDs and bytes; use redact, year or bucket for this column");
        }

        private static String text(Object value) {
            return value instanceof BigDecimal d ? d.toPlainString() : value.toString();
        }

        private byte[] digest(String s) {
            return mac.get().doFinal(s.getBytes(StandardCharsets.UTF_8));
        }

        private String encode(byte[] digest) {
            if (!hex) {
                return BASE64URL.encodeToString(digest);
            }
            char[] out = new char[digest.length * 2];
            for (int i = 0; i < digest.length; i++) {
                out[2 * i] = HEX[(digest[i] >> 4) & 0xF];
                out[2 * i + 1] = HEX[digest[i] & 0xF];
            }
            return new String(out);
        }
    }
}
