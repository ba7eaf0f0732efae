package io.governed.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The {@code governed.*} settings of a Spring Boot application, as the driver's settings of the same names
 * (see the project README), with two differences: the audit sinks are {@code governed.audit.sinks}, because
 * {@code governed.audit} is also the prefix of the audit tuning keys, and the approval store is
 * {@code governed.approvals.store} (with {@code governed.approvals.notify-secret}) for the same reason.
 *
 * <p>A {@code governed.*} key that is none of these fails the start of the application, as an unknown key
 * fails a connection of the driver: a mistyped {@code governed.policies} or
 * {@code governed.migration.principle} would otherwise be ignored, and the application would run under the
 * baseline alone, its masks not applied, without a word.
 */
@ConfigurationProperties(prefix = "governed", ignoreUnknownFields = false)
public class GovernedProperties {

    /** Whether every DataSource bean is wrapped in a GovernedDataSource. */
    private boolean enabled = true;

    /** Policy files, classpath:NAME or file paths, a platform base first. None: the built-in baseline. */
    private List<String> policy = new ArrayList<>();

    /** The principal of statements that have no scoped (runAs) or resolved (web request) identity. */
    private String principal;

    /** The groups of that principal. */
    private List<String> groups = new ArrayList<>();

    /** The kind of that principal: human, service or agent. */
    private String kind;

    /** The human an agent or service acts for. */
    private String onBehalfOf;

    /** Why the work is done, as policies and audit see it. */
    private String purpose;

    /** Identity attributes of that principal (governed.attribute.tenant=acme), bound to row filters. */
    private Map<String, String> attribute = new LinkedHashMap<>();

    /** refuse (default): unwrap to the driver's own interfaces is refused; allow: handed out, each audited. */
    private String unwrap;

    /** Whether each statement is an OpenTelemetry span, reported to the global OpenTelemetry (needs opentelemetry-api). */
    private boolean otel;

    private final Migration migration = new Migration();

    private final Connect connect = new Connect();

    private final IdentitySettings identity = new IdentitySettings();

    private final Audit audit = new Audit();

    private final Approvals approvals = new Approvals();

    /** Where approval requests are kept, who is told, and how long statements wait. */
    public static class Approvals {
        /** memory (this process) or jdbc:URL[#table=NAME], a store every instance and the CLI share. */
        private String store;

        /** The database user of a jdbc: store (else from its URL). */
        private String user;

        /** The password of a jdbc: store (else from its URL). */
        private String password;

        /** How long a statement that needs approval waits for it, like 30s (default 0: it fails at once as pending). */
        private String wait;

        /** Who is told of new requests and decisions: webhook:URL and slack:URL. */
        private List<String> notify = new ArrayList<>();

        /** The HMAC-SHA256 key that signs webhook bodies. */
        private String notifySecret;

        public String getStore() {
            return store;
        }

        public void setStore(String store) {
            this.store = store;
        }

        public String getUser() {
            return user;
        }

        public void setUser(String user) {
            this.user = user;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public String getWait() {
            return wait;
        }

        public void setWait(String wait) {
            this.wait = wait;
        }

        public List<String> getNotify() {
            return notify;
        }

        public void setNotify(List<String> notify) {
            this.notify = notify;
        }

        public String getNotifySecret() {
            return notifySecret;
        }

        public void setNotifySecret(String notifySecret) {
            this.notifySecret = notifySecret;
        }
    }

    /** The principal that runs schema migrations. */
    public static class Migration {
        /**
         * The principal of schema work: Flyway and Liquibase migrations, schema.sql/data.sql and Hibernate's
         * ddl-auto run as it, with purpose 'migration', which the baseline's schema-change forbids exempt.
         */
        private String principal;
        /**
         * The groups of the migration principal, e.g. 'dba' for migrations that define functions, triggers or row-level
         * security policies, which the baseline leaves to group dba.
         */
        private List<String> groups = new ArrayList<>();

        public String getPrincipal() {
            return principal;
        }

        public void setPrincipal(String principal) {
            this.principal = principal;
        }

        public List<String> getGroups() {
            return groups;
        }

        public void setGroups(List<String> groups) {
            this.groups = groups;
        }
    }

    /** What the governed data source may connect through. */
    public static class Connect {
        /**
         * refuse (default): a wrapped data source whose connection settings cannot be read (not HikariCP, Tomcat
         * JDBC, Commons DBCP2, Spring's, pgjdbc's, MariaDB's or H2's) is refused; allow: wrapped with its settings
         * unchecked.
         */
        private String unlistedDataSource;

        public String getUnlistedDataSource() {
            return unlistedDataSource;
        }

        public void setUnlistedDataSource(String unlistedDataSource) {
            this.unlistedDataSource = unlistedDataSource;
        }
    }

    /** Where identity comes from. */
    public static class IdentitySettings {
        /** Class name of an IdentityResolver asked at each statement, besides the resolver beans in the context. */
        private String resolver;

        /** Whether statements without a scoped (runAs) or resolved identity are refused. */
        private boolean requireScoped;

        /** The token issuer's keys: an https:// JWKS URL or a JWKS file. Turns verified identity on. */
        private String jwks;

        /** The issuer (iss) verified tokens must name. */
        private String issuer;

        /** The audience (aud) verified tokens must name. */
        private String audience;

        /** Tolerance for exp, nbf and iat (default 60s). */
        private String clockSkew;

        /** Signature algorithms accepted (default RS256, ES256, EdDSA with Tink); never none or HMAC. */
        private List<String> algorithms = new ArrayList<>();

        /** Claim mapping preset: standard, okta, entra, keycloak, auth0, cognito. */
        private String claims;

        /** Overrides of the preset's claims. */
        private final Claim claim = new Claim();

        /** Principals allowed to act for others through a token's act claim; empty: any. */
        private List<String> actors = new ArrayList<>();

        /** A service account's token, or file:PATH: the identity of statements that have no other. */
        private String token;

        Map<String, String> verifiedIdentityKeys() {
            Map<String, String> keys = new LinkedHashMap<>();
            keys.put("governed.identity.jwks", jwks);
            keys.put("governed.identity.issuer", issuer);
            keys.put("governed.identity.audience", audience);
            keys.put("governed.identity.clock-skew", clockSkew);
            keys.put("governed.identity.algorithms", algorithms.isEmpty() ? null : String.join(",", algorithms));
            keys.put("governed.identity.claims", claims);
            keys.put("governed.identity.claim.principal", claim.principal.isEmpty() ? null : String.join(",", claim.principal));
            keys.put("governed.identity.claim.groups", claim.groups.isEmpty() ? null : String.join(",", claim.groups));
            keys.put("governed.identity.claim.kind", claim.kind);
            keys.put("governed.identity.claim.purpose", claim.purpose);
            claim.attribute.forEach((name, value) -> keys.put("governed.identity.claim.attribute." + name, value));
            keys.put("governed.identity.actors", actors.isEmpty() ? null : String.join(",", actors));
            keys.put("governed.identity.token", token);
            return keys;
        }

        public String getJwks() {
            return jwks;
        }

        public void setJwks(String jwks) {
            this.jwks = jwks;
        }

        public String getIssuer() {
            return issuer;
        }

        public void setIssuer(String issuer) {
            this.issuer = issuer;
        }

        public String getAudience() {
            return audience;
        }

        public void setAudience(String audience) {
            this.audience = audience;
        }

        public String getClockSkew() {
            return clockSkew;
        }

        public void setClockSkew(String clockSkew) {
            this.clockSkew = clockSkew;
        }

        public List<String> getAlgorithms() {
            return algorithms;
        }

        public void setAlgorithms(List<String> algorithms) {
            this.algorithms = algorithms;
        }

        public String getClaims() {
            return claims;
        }

        public void setClaims(String claims) {
            this.claims = claims;
        }

        public Claim getClaim() {
            return claim;
        }

        public List<String> getActors() {
            return actors;
        }

        public void setActors(List<String> actors) {
            this.actors = actors;
        }

        public String getToken() {
            return token;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public String getResolver() {
            return resolver;
        }

        public void setResolver(String resolver) {
            this.resolver = resolver;
        }

        public boolean isRequireScoped() {
            return requireScoped;
        }

        public void setRequireScoped(boolean requireScoped) {
            this.requireScoped = requireScoped;
        }
    }

    /** Which token claims make a verified identity (governed.identity.claim.*). */
    public static class Claim {
        /** Claims naming the principal, the first present wins. */
        private List<String> principal = new ArrayList<>();

        /** Claims holding groups or roles (a.b reads a nested claim). */
        private List<String> groups = new ArrayList<>();

        /** The claim holding human, service or agent. */
        private String kind;

        /** The claim holding the purpose. */
        private String purpose;

        /** Identity attribute name to claim. */
        private Map<String, String> attribute = new LinkedHashMap<>();

        public List<String> getPrincipal() {
            return principal;
        }

        public void setPrincipal(List<String> principal) {
            this.principal = principal;
        }

        public List<String> getGroups() {
            return groups;
        }

        public void setGroups(List<String> groups) {
            this.groups = groups;
        }

        public String getKind() {
            return kind;
        }

        public void setKind(String kind) {
            this.kind = kind;
        }

        public String getPurpose() {
            return purpose;
        }

        public void setPurpose(String purpose) {
            this.purpose = purpose;
        }

        public Map<String, String> getAttribute() {
            return attribute;
        }

        public void setAttribute(Map<String, String> attribute) {
            this.attribute = attribute;
        }
    }

    /** Where audit events go and how they are delivered. */
    public static class Audit {
        /** Audit sinks: jsonl:PATH, slf4j (the default), memory, jdbc:URL, kafka:BROKERS?topic=TOPIC or an AuditSinkProvider name. */
        private List<String> sinks = new ArrayList<>();

        /** Kafka producer properties of the kafka: sink (governed.audit.kafka.security.protocol=SSL). */
        private Map<String, String> kafka = new LinkedHashMap<>();

        public Map<String, String> getKafka() {
            return kafka;
        }

        public void setKafka(Map<String, String> kafka) {
            this.kafka = kafka;
        }

        /** block (default: never lose an event), required (refuse statements that cannot be audited) or drop. */
        private String mode;

        /** Events queued per sink (default 8192). */
        private Integer queueCapacity;

        /** Events written per batch (default 256). */
        private Integer batchSize;

        /** The flush window: how long audit events gather before one write and fsync (default 100ms). */
        private String flushInterval;

        /** Required mode: how long a statement waits for queue room (default 1s). */
        private String submitTimeout;

        /** Longest pause between retries of a failing sink (default 1s). */
        private String retryBackoff;

        /** How long closing waits for queued events (default 5s). */
        private String closeTimeout;

        /** Drop mode: at most one warning per interval (default 1m). */
        private String dropWarningInterval;

        /** native (default), ocsf or cloudevents: the shape of events in jsonl and slf4j sinks. */
        private String format;

        public List<String> getSinks() {
            return sinks;
        }

        public void setSinks(List<String> sinks) {
            this.sinks = sinks;
        }

        public String getMode() {
            return mode;
        }

        public void setMode(String mode) {
            this.mode = mode;
        }

        public Integer getQueueCapacity() {
            return queueCapacity;
        }

        public void setQueueCapacity(Integer queueCapacity) {
            this.queueCapacity = queueCapacity;
        }

        public Integer getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(Integer batchSize) {
            this.batchSize = batchSize;
        }

        public String getFlushInterval() {
            return flushInterval;
        }

        public void setFlushInterval(String flushInterval) {
            this.flushInterval = flushInterval;
        }

        public String getSubmitTimeout() {
            return submitTimeout;
        }

        public void setSubmitTimeout(String submitTimeout) {
            this.submitTimeout = submitTimeout;
        }

        public String getRetryBackoff() {
            return retryBackoff;
        }

        public void setRetryBackoff(String retryBackoff) {
            this.retryBackoff = retryBackoff;
        }

        public String getCloseTimeout() {
            return closeTimeout;
        }

        public void setCloseTimeout(String closeTimeout) {
            this.closeTimeout = closeTimeout;
        }

        public String getDropWarningInterval() {
            return dropWarningInterval;
        }

        public void setDropWarningInterval(String dropWarningInterval) {
            this.dropWarningInterval = dropWarningInterval;
        }

        public String getFormat() {
            return format;
        }

        public void setFormat(String format) {
            this.format = format;
        }
    }

    /** These settings as the driver's {@code governed.*} keys, for {@code GovernedSettings.of}. */
    public Properties toDriverProperties() {
        Properties p = new Properties();
        put(p, "governed.policy", policy.isEmpty() ? null : String.join(",", policy));
        put(p, "governed.principal", principal);
        put(p, "governed.groups", groups.isEmpty() ? null : String.join(",", groups));
        put(p, "governed.kind", kind);
        put(p, "governed.on-behalf-of", onBehalfOf);
        put(p, "governed.purpose", purpose);
        attribute.forEach((name, value) -> put(p, "governed.attribute." + name, value));
        put(p, "governed.unwrap", unwrap);
        put(p, "governed.migration.principal", migration.getPrincipal());
        put(p, "governed.connect.unlisted-data-source", connect.getUnlistedDataSource());
        put(p, "governed.identity.resolver", identity.getResolver());
        put(p, "governed.identity.require-scoped", identity.isRequireScoped() ? "true" : null);
        identity.verifiedIdentityKeys().forEach((key, value) -> put(p, key, value));
        put(p, "governed.audit", audit.getSinks().isEmpty() ? null : String.join(",", audit.getSinks()));
        put(p, "governed.audit.mode", audit.getMode());
        put(p, "governed.audit.queue-capacity", audit.getQueueCapacity());
        put(p, "governed.audit.batch-size", audit.getBatchSize());
        put(p, "governed.audit.flush-interval", audit.getFlushInterval());
        put(p, "governed.audit.submit-timeout", audit.getSubmitTimeout());
        put(p, "governed.audit.retry-backoff", audit.getRetryBackoff());
        put(p, "governed.audit.close-timeout", audit.getCloseTimeout());
        put(p, "governed.audit.drop-warning-interval", audit.getDropWarningInterval());
        put(p, "governed.audit.format", audit.getFormat());
        put(p, "governed.approvals", approvals.getStore());
        put(p, "governed.approvals.user", approvals.getUser());
        put(p, "governed.approvals.password", approvals.getPassword());
        put(p, "governed.approvals.wait", approvals.getWait());
        put(p, "governed.approvals.notify", approvals.getNotify().isEmpty() ? null : String.join(",", approvals.getNotify()));
        put(p, "governed.approvals.notify.secret", approvals.getNotifySecret());
        audit.getKafka().forEach((name, value) -> put(p, "governed.audit.kafka." + name, value));
        put(p, "governed.otel", otel ? "true" : null);
        return p;
    }

    private static void put(Properties p, String key, Object value) {
        if (value != null && !value.toString().isBlank()) {
            p.setProperty(key, value.toString());
        }
    }

    public boolean isOtel() {
        return otel;
    }

    public void setOtel(boolean otel) {
        this.otel = otel;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getPolicy() {
        return policy;
    }

    public void setPolicy(List<String> policy) {
        this.policy = policy;
    }

    public String getPrincipal() {
        return principal;
    }

    public void setPrincipal(String principal) {
        this.principal = principal;
    }

    public List<String> getGroups() {
        return groups;
    }

    public void setGroups(List<String> groups) {
        this.groups = groups;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getOnBehalfOf() {
        return onBehalfOf;
    }

    public void setOnBehalfOf(String onBehalfOf) {
        this.onBehalfOf = onBehalfOf;
    }

    public String getPurpose() {
        return purpose;
    }

    public void setPurpose(String purpose) {
        this.purpose = purpose;
    }

    public Map<String, String> getAttribute() {
        return attribute;
    }

    public void setAttribute(Map<String, String> attribute) {
        this.attribute = attribute;
    }

    public String getUnwrap() {
        return unwrap;
    }

    public void setUnwrap(String unwrap) {
        this.unwrap = unwrap;
    }

    public Migration getMigration() {
        return migration;
    }

    public Connect getConnect() {
        return connect;
    }

    public IdentitySettings getIdentity() {
        return identity;
    }

    public Audit getAudit() {
        return audit;
    }

    public Approvals getApprovals() {
        return approvals;
    }
}
