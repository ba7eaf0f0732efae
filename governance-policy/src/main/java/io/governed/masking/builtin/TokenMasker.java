package io.governed.masking.builtin;

import io.governed.masking.MaskEnvironment;
import io.governed.masking.MaskFunction;
import io.governed.masking.MaskParameter;
import io.governed.masking.MaskParameters;
import io.governed.masking.Masker;
import io.governed.masking.ParameterType;
import io.governed.masking.UnmaskableValueException;
import io.governed.masking.token.TokenVault;
import io.governed.masking.token.TokenVaults;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * {@code token}: replaces a value with a token that is keyed (HMAC-SHA-256 under {@code key-env} /
 * {@code key-file}), deterministic per key and {@code scope} (equal values, equal tokens: joins,
 * grouping and counting work on tokens) and of the value's type: text becomes {@code tok_} and 24
 * hex digits, an e-mail address {@code tok_} and 16 hex digits {@code @example.invalid}; whole
 * numbers, decimals, UUIDs, dates and timestamps become values of their own type (dates between
 * 1900 and 2099). Booleans and floating point numbers cannot be tokenized.
 *
 * <p>Each token handed out is kept in a {@link TokenVault} ({@code vault: NAME}, see
 * {@link TokenVaults}) with the value it stands for sealed by AES-256-GCM under a second key,
 * {@code vault-key-env} / {@code vault-key-file}, so that a detokenizer holding that key can restore
 * values for callers the mask does not apply to. The vault never holds a value in clear.
 */
public final class TokenMasker implements Masker {
    /** The suffix of e-mail tokens: a reserved domain that can never deliver mail. */
    public static final String EMAIL_DOMAIN = "@example.invalid";
    /** What every text token begins with. */
    private static final String PREFIX = "tok_";
    /** How many bytes of the keyed digest a text token's hex digits give, and an e-mail token's. */
    private static final int TEXT_BYTES = 12;
    private static final int EMAIL_BYTES = 8;

    /**
     * Whether {@code text} has the form of a text or an e-mail token this mask gives ({@code tok_} and 24 hex digits,
     * or 16 and {@link #EMAIL_DOMAIN}), whatever key made it.
     */
    public static boolean isTextToken(String text) {
        boolean email = text.endsWith(EMAIL_DOMAIN);
        String digits = email ? text.substring(0, text.length() - EMAIL_DOMAIN.length()) : text;
        return digits.startsWith(PREFIX) && digits.length() == PREFIX.length() + 2 * (email ? EMAIL_BYTES : TEXT_BYTES)
                && digits.substring(PREFIX.length()).chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f');
    }

    @Override
    public String name() {
        return "token";
    }

    @Override
    public List<MaskParameter> parameters() {
        return List.of(
                MaskParameter.optional("key-env", ParameterType.STRING, "the environment variable holding the token key"),
                MaskParameter.optional("key-file", ParameterType.STRING, "the file holding the token key"),
                MaskParameter.optional("vault-key-env", ParameterType.STRING, "the environment variable holding the vault key"),
                MaskParameter.optional("vault-key-file", ParameterType.STRING, "the file holding the vault key"),
                MaskParameter.optional("vault", ParameterType.STRING, "the name of the token vault, default 'default'"),
                MaskParameter.optional("scope", ParameterType.STRING, "the tokens' scope, default 'default'"));
    }

    @Override
    public MaskFunction configure(MaskParameters parameters, MaskEnvironment environment) {
        SecretKeySpec tokenKey = HashMasker.hmacKey(parameters, environment, "key");
        SecretKeySpec vaultSecret = HashMasker.hmacKey(parameters, environment, "vault-key");
        if (java.util.Arrays.equals(tokenKey.getEncoded(), vaultSecret.getEncoded())) {
            throw parameters.error("vault-key-env", "the vault key is the token key: give the vault a key of its own");
        }
        Mac derive = HashMasker.newMac(vaultSecret);
        SecretKeySpec aes = new SecretKeySpec(derive.doFinal("governed-jdbc token vault v1".getBytes(StandardCharsets.UTF_8)), "AES");
        String scope = parameters.string("scope", "default");
        return new TokenMask(tokenKey, aes, scope, TokenVaults.named(parameters.string("vault", "default")));
    }

    /** A configured {@code token} mask: makes tokens, and restores values from them. */
    public static final class TokenMask implements MaskFunction {
        private static final int IV_BYTES = 12;
        private static final int TAG_BITS = 128;
        private static final LocalDate FIRST_DAY = LocalDate.of(1900, 1, 1);
        private static final long DAYS = 200L * 365;
        private static final SecureRandom RANDOM = new SecureRandom();

        private final ThreadLocal<Mac> mac;
        private final SecretKeySpec aes;
        private final String scope;
        private final TokenVault vault;
        /** The MACs of values whose tokens this process put in the vault or found there for them: not checked again. */
        private final java.util.Map<String, Boolean> verified = new java.util.concurrent.ConcurrentHashMap<>();
        private static final int VERIFIED_MAX = 100_000;

        TokenMask(SecretKeySpec tokenKey, SecretKeySpec aes, String scope, TokenVault vault) {
            this.mac = ThreadLocal.withInitial(() -> HashMasker.newMac(tokenKey));
            this.aes = aes;
            this.scope = scope;
            this.vault = vault;
            seal("check", "check"); // fails now, at load time, if the runtime cannot encrypt with AES-GCM
        }

        /** The scope tokens are made in. */
        public String scope() {
            return scope;
        }

        @Override
        public Object mask(Object value) {
            if (value == null) {
                return null;
            }
            String type = typeOf(value);
            String text = value instanceof BigDecimal d ? d.toPlainString() : value.toString();
            // whole numbers share one input whatever their Java type: an INT read with getLong matches a BIGINT
            String family = switch (type) {
                case "int", "long", "short", "byte", "bigint" -> "integer";
                default -> type;
            };
            ByteBuffer d = ByteBuffer.wrap(mac.get().doFinal((scope + '\u0000' + family + '\u0000' + text)
                    .getBytes(StandardCharsets.UTF_8)));
            Object token = switch (type) {
                case "email" -> PREFIX + HexFormat.of().formatHex(d.array(), 0, EMAIL_BYTES) + EMAIL_DOMAIN;
                case "text" -> PREFIX + HexFormat.of().formatHex(d.array(), 0, TEXT_BYTES);
                case "int" -> d.getInt();
                case "long" -> d.getLong();
                case "short" -> d.getShort();
                case "byte" -> d.get();
                case "bigint" -> BigInteger.valueOf(d.getLong() & Long.MAX_VALUE);
                case "decimal" -> BigDecimal.valueOf(d.getLong() & Long.MAX_VALUE);
                case "uuid" -> new UUID((d.getLong() & ~0xF000L) | 0x8000L, (d.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
                case "date" -> FIRST_DAY.plusDays(Math.floorMod(d.getLong(), DAYS));
                case "timestamp" -> FIRST_DAY.plusDays(Math.floorMod(d.getLong(), DAYS)).atStartOfDay()
                        .plusSeconds(Math.floorMod(d.getLong(), 86_400L));
                default -> throw new IllegalStateException(type);
            };
            String key = tokenText(token);
            String typed = type + ':' + text;
            String digest = HexFormat.of().formatHex(d.array()); // the whole MAC: one per value, unlike a narrow token
            if (!verified.containsKey(digest) && !vault.putIfAbsent(scope, key, seal(typed, key))) {
                byte[] kept = vault.get(scope, key);
                if (kept == null || !typed.equals(open(kept, key))) {
                    throw new UnmaskableValueException("token", value.getClass(), "two values of this column share one token "
                            + "(a narrow type has few tokens) or the vault holds it under another key; tokenize a wider column");
                }
            }
            if (verified.size() >= VERIFIED_MAX) {
                verified.clear();
            }
            verified.put(digest, Boolean.TRUE);
            return token;
        }

        /**
         * The value {@code token} stands for, as text ({@code toString} of the value; a decimal's plain
         * form), or {@code null} when the vault does not have it, or holds it sealed under another key.
         */
        public String restore(Object token) {
            if (token == null) {
                return null;
            }
            byte[] sealed = vault.get(scope, tokenText(token));
            if (sealed == null) {
                return null;
            }
            String typed = open(sealed, tokenText(token));
            return typed == null ? null : typed.substring(typed.indexOf(':') + 1);
        }

        private static String tokenText(Object token) {
            return token instanceof BigDecimal d ? d.toPlainString() : token.toString();
        }

        private static String typeOf(Object value) {
            if (value instanceof String s) {
                int at = s.indexOf('@');
                return at > 0 && at == s.lastIndexOf('@') && at < s.length() - 1 ? "email" : "text";
            }
            if (value instanceof Integer) {
                return "int";
            }
            if (value instanceof Long) {
                return "long";
            }
            if (value instanceof Short) {
                return "short";
            }
            if (value instanceof Byte) {
                return "byte";
            }
            if (value instanceof BigInteger) {
                return "bigint";
            }
            if (value instanceof BigDecimal) {
                return "decimal";
            }
            if (value instanceof UUID) {
                return "uuid";
            }
            if (value instanceof LocalDate) {
                return "date";
            }
            if (value instanceof LocalDateTime) {
                return "timestamp";
            }
            throw new UnmaskableValueException("token", value.getClass(), value instanceof LocalTime
                    ? "token keeps dates and timestamps, not times of day; use redact for this column"
                    : "token masks text, numbers, UUIDs, dates and timestamps; use redact, year or bucket for this column");
        }

        /** The sealed {@code plain}, bound to {@code token} and the scope: moved under another token, it does not open. */
        private byte[] seal(String plain, String token) {
            try {
                byte[] iv = new byte[IV_BYTES];
                RANDOM.nextBytes(iv);
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.ENCRYPT_MODE, aes, new GCMParameterSpec(TAG_BITS, iv));
                cipher.updateAAD(boundTo(token));
                byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
                return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("This Java runtime cannot encrypt with AES-GCM", e);
            }
        }

        private byte[] boundTo(String token) {
            return (scope + '\u0000' + token).getBytes(StandardCharsets.UTF_8);
        }

        private String open(byte[] sealed, String token) {
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, aes, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
                cipher.updateAAD(boundTo(token));
                return new String(cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES), StandardCharsets.UTF_8);
            } catch (GeneralSecurityException | RuntimeException wrongKeyOrTampered) {
                return null;
            }
        }
    }
}
