package io.governed.jdbc.config;

import io.governed.settings.DidYouMean;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every {@code governed.*} setting the driver knows. A key that is not here (and does not start
 * with {@link #ATTRIBUTE_PREFIX}) is rejected, so a typo cannot silently switch governance off.
 */
public enum Setting {
    POLICY("governed.policy", "policy file: classpath:NAME or a file path; several separated by commas"),
    PRINCIPAL("governed.principal", "the connection's principal (user, service or agent name)"),
    GROUPS("governed.groups", "the principal's groups, comma separated"),
    KIND("governed.kind", "human | service | agent"),
    ON_BEHALF_OF("governed.on-behalf-of", "the human an agent or service acts for"),
    PURPOSE("governed.purpose", "why the work is done, as policies and audit see it"),
    MIGRATION_PRINCIPAL("governed.migration.principal",
            "the principal that runs schema migrations: its statements run with purpose 'migration', which the baseline's schema-change forbids exempt"),
    IDENTITY_RESOLVER("governed.identity.resolver",
            "class name of an IdentityResolver (public, no-argument constructor) asked for the caller's identity at each statement"),
    IDENTITY_REQUIRE_SCOPED("governed.identity.require-scoped",
            "true: refuse statements without a scoped (runAs) or resolved identity | false (default): fall back to the connection's identity"),
    IDENTITY_JWKS("governed.identity.jwks",
            "the token issuer's keys: a JWKS file, or an https:// JWKS URL (http:// only on the loopback interface); turns verified identity on"),
    IDENTITY_ISSUER("governed.identity.issuer", "the issuer (iss) every verified token must name exactly"),
    IDENTITY_AUDIENCE("governed.identity.audience", "the audience (aud) every verified token must name: this application's id"),
    IDENTITY_CLOCK_SKEW("governed.identity.clock-skew", "tolerance for exp, nbf and iat against this host's clock (default 60s)"),
    IDENTITY_ALGORITHMS("governed.identity.algorithms",
            "signature algorithms accepted, comma separated (default RS256, ES256, and EdDSA when Tink is on the classpath); never none or HMAC"),
    IDENTITY_CLAIMS("governed.identity.claims", "claim mapping preset: standard (default), okta, entra, keycloak, auth0 or cognito"),
    IDENTITY_CLAIM_PRINCIPAL("governed.identity.claim.principal", "claims naming the principal, first present wins (comma separated)"),
    IDENTITY_CLAIM_GROUPS("governed.identity.claim.groups", "claims holding groups or roles (comma separated; a.b reads nested claims)"),
    IDENTITY_CLAIM_KIND("governed.identity.claim.kind", "claim holding human, service or agent"),
    IDENTITY_CLAIM_PURPOSE("governed.identity.claim.purpose", "claim holding the purpose of the work"),
    IDENTITY_ACTORS("governed.identity.actors",
            "principals allowed to act for others through a token's act claim, comma separated; unset: any actor (policies decide)"),
    IDENTITY_TOKEN("governed.identity.token",
            "a service account's token, or file:PATH of a file holding it; verified at connect and again once it expires"),
    IDENTITY_JWKS_CACHE_TTL("governed.identity.jwks.cache-ttl", "how long fetched keys are used before they are fetched again (default 5m)"),
    IDENTITY_JWKS_REFRESH_INTERVAL("governed.identity.jwks.refresh-interval",
            "least time between two fetches of the keys caused by unknown key ids (default 30s)"),
    CONNECT_UNLISTED_DRIVER("governed.connect.unlisted-driver",
            "refuse (default): a driver without a list of harmless connection settings is not connected through | allow: "
            + "connected with its URL and properties unchecked"),
    CONNECT_UNLISTED_DATA_SOURCE("governed.connect.unlisted-data-source",
            "refuse (default): GovernedDataSource does not wrap a data source whose connection settings it cannot read "
            + "(other than HikariCP, Tomcat JDBC, Commons DBCP2, Spring's, pgjdbc's, MariaDB's or H2's) | allow: wrapped "
            + "with its settings unchecked"),
    UNWRAP("governed.unwrap",
            "refuse (default): unwrap to driver-specific interfaces is refused | allow: handed out, each unwrap audited"),
    ANALYSIS_MAX_DEPTH("governed.analysis.max-depth",
            "deepest nesting of parentheses, subqueries and CASE analysed; deeper statements are refused (default 128)"),
    ANALYSIS_MAX_LENGTH("governed.analysis.max-length",
            "longest SQL text analysed, in characters (1m = 1,048,576); longer ones are refused (default 1m)"),
    ANALYSIS_MAX_TIME("governed.analysis.max-time",
            "longest analysis of one SQL text; slower ones are refused as unanalysable (default 10s)"),
    APPROVALS("governed.approvals",
            "where approval requests are kept: memory (this process) | jdbc:URL[#table=NAME] (shared by every instance and the CLI)"),
    APPROVALS_USER("governed.approvals.user", "database user of a jdbc: approval store (else from its URL)"),
    APPROVALS_PASSWORD("governed.approvals.password", "password of a jdbc: approval store (else from its URL)"),
    APPROVALS_NOTIFY("governed.approvals.notify",
            "who is told of new requests and decisions: webhook:URL and slack:URL, comma separated (https; http only to localhost)"),
    APPROVALS_NOTIFY_SECRET("governed.approvals.notify.secret",
            "HMAC-SHA256 key signing webhook bodies (header X-Governed-Signature); else the environment variable GOVERNED_APPROVALS_NOTIFY_SECRET"),
    APPROVALS_WAIT("governed.approvals.wait",
            "how long a statement that needs approval waits for it before failing as pending, like 30s (default 0: no wait)"),
    AUDIT("governed.audit", "audit sinks, comma separated: jsonl:PATH, slf4j, memory, jdbc:URL, kafka:BROKERS?topic=TOPIC or a sink name"),
    AUDIT_MODE("governed.audit.mode", "block (never lose an event) | required (refuse statements that cannot be audited) | drop"),
    AUDIT_QUEUE_CAPACITY("governed.audit.queue-capacity", "events queued per sink (default 8192)"),
    AUDIT_BATCH_SIZE("governed.audit.batch-size", "events written per batch (default 256)"),
    AUDIT_FLUSH_INTERVAL("governed.audit.flush-interval", "the flush window: how long audit events gather before one write and fsync (default 100ms)"),
    AUDIT_SUBMIT_TIMEOUT("governed.audit.submit-timeout", "required mode: how long a statement waits for queue room (default 1s)"),
    AUDIT_RETRY_BACKOFF("governed.audit.retry-backoff", "longest pause between retries of a failing sink (default 1s)"),
    AUDIT_CLOSE_TIMEOUT("governed.audit.close-timeout", "how long closing waits for queued events (default 5s)"),
    OTEL("governed.otel", "true: each statement is an OpenTelemetry span with the stable database conventions (needs opentelemetry-api) | false (default)"),
    AUDIT_DROP_WARNING_INTERVAL("governed.audit.drop-warning-interval", "drop mode: at most one warning per interval (default 1m)"),
    AUDIT_FORMAT("governed.audit.format", "native | ocsf | cloudevents: the shape of events in jsonl and slf4j sinks (a jsonl sink's ?format= wins)");

    /** Prefix of token claims mapped to identity attributes: {@code governed.identity.claim.attribute.tenant=tid}. */
    public static final String CLAIM_ATTRIBUTE_PREFIX = "governed.identity.claim.attribute.";
    /** Prefix of identity attributes: {@code governed.attribute.tenant=acme}. */
    public static final String ATTRIBUTE_PREFIX = "governed.attribute.";
    /** Prefix of the Kafka audit sink's producer properties: {@code governed.audit.kafka.compression.type=zstd}. */
    public static final String AUDIT_KAFKA_PREFIX = "governed.audit.kafka.";
    /** Prefix of every governance setting. */
    public static final String PREFIX = "governed.";

    private final String key;
    private final String description;

    Setting(String key, String description) {
        this.key = key;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String description() {
        return description;
    }

    public static Optional<Setting> forKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** True for keys in the {@code governed.} namespace, whatever their case. */
    public static boolean isGovernanceKey(String key) {
        return key != null && key.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** The known key closest to {@code key} when it looks like a typo of one, for "did you mean" hints. */
    static Optional<String> closest(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (lower.startsWith("governed.attr")) {
            return Optional.of(ATTRIBUTE_PREFIX + "NAME");
        }
        return DidYouMean.closest(key, knownKeys());
    }

    static List<String> knownKeys() {
        return Arrays.stream(values()).map(Setting::key).toList();
    }
}
