package io.governed.jdbc.config;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The {@code governed.*} settings in force for one connection (or one DataSource), validated.
 *
 * <p>Each key is taken, first wins, from the {@code Properties} given to {@code connect}, the Java
 * system properties, then a {@code governed.properties} file on the classpath. Unknown keys are an
 * error that names the closest known key.
 */
public final class GovernedSettings {
    /** SQLState of a configuration error: the connection cannot be established as configured. */
    public static final String SQLSTATE_BAD_CONFIGURATION = "08001";
    /** The classpath resource read for defaults. */
    public static final String PROPERTIES_RESOURCE = "governed.properties";

    private static final String[] IDENTITY_KEYS = {
        Setting.PRINCIPAL.key(), Setting.GROUPS.key(), Setting.KIND.key(),
        Setting.ON_BEHALF_OF.key(), Setting.PURPOSE.key()
    };

    private final Map<String, String> values;

    private GovernedSettings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** Settings from these properties alone (no system properties, no classpath file). */
    public static GovernedSettings of(Properties properties) throws SQLException {
        return resolve(properties, new Properties(), new Properties());
    }

    /** Settings from the connect properties, then the system properties, then {@code governed.properties}. */
    public static GovernedSettings resolve(Properties connectProperties) throws SQLException {
        return resolve(connectProperties, System.getProperties(), ClasspathDefaults.get());
    }

    static GovernedSettings resolve(Properties... sourcesInPriorityOrder) throws SQLException {
        Map<String, String> merged = new TreeMap<>();
        for (Properties source : sourcesInPriorityOrder) {
            if (source == null) {
                continue;
            }
            for (String key : source.stringPropertyNames()) {
                if (Setting.isGovernanceKey(key)) {
                    validateKey(key);
                    merged.putIfAbsent(key, source.getProperty(key));
                }
            }
        }
        GovernedSettings settings = new GovernedSettings(merged);
        settings.identity(); // validates the identity settings now, not at the first statement
        return settings;
    }

    private static void validateKey(String key) throws SQLException {
        if (Setting.forKey(key).isPresent()) {
            return;
        }
        if (key.startsWith(Setting.ATTRIBUTE_PREFIX) && key.length() > Setting.ATTRIBUTE_PREFIX.length()) {
            return;
        }
        if (key.startsWith(Setting.CLAIM_ATTRIBUTE_PREFIX) && key.length() > Setting.CLAIM_ATTRIBUTE_PREFIX.length()
                || key.startsWith(Setting.AUDIT_KAFKA_PREFIX) && key.length() > Setting.AUDIT_KAFKA_PREFIX.length()) {
            return;
        }
        StringBuilder message = new StringBuilder("Unknown setting '").append(key).append("'.");
        Setting.closest(key).ifPresent(k -> message.append(" Did you mean '").append(k).append("'?"));
        message.append(" Known settings: ").append(String.join(", ", Setting.knownKeys()))
                .append(", ").append(Setting.ATTRIBUTE_PREFIX).append("NAME, ").append(Setting.AUDIT_KAFKA_PREFIX).append("PROPERTY.");
        throw new SQLException(message.toString(), SQLSTATE_BAD_CONFIGURATION);
    }

    /** The value of a setting, or {@code null}. */
    public String get(Setting setting) {
        return values.get(setting.key());
    }

    /**
     * A two-valued setting: true for {@code on}, false for {@code off} (either in any case), {@code byDefault} when unset.
     *
     * @throws SQLException when the value is neither
     */
    public boolean isOn(Setting setting, String on, String off, boolean byDefault) throws SQLException {
        String value = get(setting);
        if (value == null || value.isBlank()) {
            return byDefault;
        }
        if (value.trim().equalsIgnoreCase(on)) {
            return true;
        }
        if (value.trim().equalsIgnoreCase(off)) {
            return false;
        }
        throw new SQLException("Setting " + setting.key() + " has the value '" + value + "': use " + on + " or " + off,
                SQLSTATE_BAD_CONFIGURATION);
    }

    /** The settings whose keys start with {@code prefix}, by the rest of their key. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> found = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.length() > prefix.length()) {
                found.put(k.substring(prefix.length()), v);
            }
        });
        return found;
    }

    /** All settings, by key, sorted. */
    public Map<String, String> asMap() {
        return values;
    }

    /**
     * The settings that shape governance itself (policy, audit), without the identity ones:
     * connections whose keys are equal can share one governance runtime.
     */
    public Map<String, String> governanceKey() {
        Map<String, String> key = new TreeMap<>(values);
        for (String k : IDENTITY_KEYS) {
            key.remove(k);
        }
        key.keySet().removeIf(k -> k.startsWith(Setting.ATTRIBUTE_PREFIX));
        if (literalToken() != null) {
            key.remove(Setting.IDENTITY_TOKEN.key());
        }
        return key;
    }

    /**
     * The service token given as the token itself ({@code governed.identity.token=eyJ…}), or {@code null} when
     * none is, or when it is given as {@code file:PATH}. A literal token is the connection's own identity, like
     * {@code governed.principal}; a token file is shared by the connections of the same settings.
     */
    public String literalToken() {
        String token = get(Setting.IDENTITY_TOKEN);
        return token == null || token.isBlank() || token.trim().startsWith("file:") ? null : token.trim();
    }

    /** The error of a connection given both an asserted principal and a service token. */
    public static SQLException assertedAndVerifiedIdentity() {
        return new SQLException("governed.identity.token and governed.principal are both set: a connection's identity is "
                + "either verified from a token or asserted; remove one", SQLSTATE_BAD_CONFIGURATION);
    }

    /** The error of a verified-identity setting ({@code setting}) given without {@code governed.identity.jwks}. */
    public static SQLException withoutJwks(Setting setting) {
        return new SQLException(setting.key() + " is set but governed.identity.jwks is not: set it to the issuer's JWKS "
                + "URL or file, so tokens can be verified", SQLSTATE_BAD_CONFIGURATION);
    }

    /** These settings without {@code setting}. */
    public GovernedSettings without(Setting setting) {
        Map<String, String> fewer = new TreeMap<>(values);
        fewer.remove(setting.key());
        return new GovernedSettings(fewer);
    }

    /**
     * The identity these settings describe, or {@code null} when no principal is set.
     *
     * @throws SQLException when identity settings are given without a principal, or a value is invalid
     */
    public Identity identity() throws SQLException {
        String principal = get(Setting.PRINCIPAL);
        if (principal == null || principal.isBlank()) {
            for (String k : values.keySet()) {
                if (Arrays.asList(IDENTITY_KEYS).contains(k) || k.startsWith(Setting.ATTRIBUTE_PREFIX)) {
                    throw new SQLException("Setting '" + k + "' is given but governed.principal is not: "
                            + "set governed.principal to the caller's name", SQLSTATE_BAD_CONFIGURATION);
                }
            }
            return null;
        }
        Identity.Builder b = Identity.builder(principal.trim());
        String kind = get(Setting.KIND);
        if (kind != null) {
            try {
                b.kind(IdentityKind.parse(kind));
            } catch (IllegalArgumentException e) {
                throw new SQLException("Setting governed.kind has the value '" + kind
                        + "': use human, service or agent", SQLSTATE_BAD_CONFIGURATION, e);
            }
        }
        String groups = get(Setting.GROUPS);
        if (groups != null) {
            b.groups(groups.split(","));
        }
        String onBehalfOf = get(Setting.ON_BEHALF_OF);
        if (onBehalfOf != null && !onBehalfOf.isBlank()) {
            b.onBehalfOf(Identity.human(onBehalfOf.trim()));
        }
        b.purpose(get(Setting.PURPOSE));
        values.forEach((k, v) -> {
            if (k.startsWith(Setting.ATTRIBUTE_PREFIX)) {
                b.attribute(k.substring(Setting.ATTRIBUTE_PREFIX.length()), v);
            }
        });
        return b.build();
    }

    /**
     * A copy of {@code properties} without any {@code governed.*} key: what the delegate driver sees.
     * Entries whose value is not a string (a pool's typed data source properties) are kept as they
     * are, and so are the defaults the {@code Properties} carries.
     */
    public static Properties withoutGovernanceKeys(Properties properties) {
        Properties copy = new Properties();
        if (properties != null) {
            for (String key : properties.stringPropertyNames()) { // the defaults' string entries
                if (!Setting.isGovernanceKey(key)) {
                    copy.setProperty(key, properties.getProperty(key));
                }
            }
            properties.forEach((key, value) -> { // the entries themselves, typed values included
                if (!(key instanceof String name && Setting.isGovernanceKey(name))) {
                    copy.put(key, value);
                }
            });
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GovernedSettings other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** The settings, with the value of {@code governed.identity.token} hidden: a token is a credential. */
    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>(values);
        shown.computeIfPresent(Setting.IDENTITY_TOKEN.key(), (k, v) -> v.startsWith("file:") ? v : "(hidden)");
        return "GovernedSettings" + shown;
    }

    /** {@code governed.properties} from the classpath, read once. */
    private static final class ClasspathDefaults {
        private static volatile Properties loaded;

        static Properties get() {
            Properties p = loaded;
            if (p == null) {
                p = read();
                loaded = p;
            }
            return p;
        }

        private static Properties read() {
            Properties p = new Properties();
            ClassLoader loader = Objects.requireNonNullElse(Thread.currentThread().getContextClassLoader(),
                    GovernedSettings.class.getClassLoader());
            try (InputStream in = loader.getResourceAsStream(PROPERTIES_RESOURCE)) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + PROPERTIES_RESOURCE + " from the classpath", e);
            }
            return p;
        }
    }
}
