package io.governed.jdbc.audit;

import io.governed.identity.Identity;
import io.governed.identity.IdentityProvenance;
import io.governed.policy.Decision;
import io.governed.sql.Action;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One governed action, as the audit trail records it. Field names in the written form are the
 * snake_case names of the public contract ({@code event_id}, {@code on_behalf_of}, …); see
 * {@link AuditEventJson} for the exact layout.
 *
 * <p>An event carries no bound parameter values and no literals: {@code statement} is the text with
 * every literal already replaced by {@code ?} (the caller normalises it), and {@code error} holds a
 * message built from what holds no value (see {@link AuditError#from}). Sinks write exactly what the event
 * carries, nothing more.
 *
 * @param time          when the statement was decided
 * @param eventId       unique id of this event
 * @param connectionId  the governed connection's id, or {@code null}
 * @param principal     who ran it, or {@code null} when no identity could be established
 * @param kind          {@code human}, {@code service} or {@code agent}, or {@code null}
 * @param groups        the principal's groups
 * @param onBehalfOf    whom the principal acted for, or {@code null}
 * @param purpose       the purpose stated, or {@code null}
 * @param action        the statement kind in lower case ({@code select}, {@code drop}, …)
 * @param statement     the statement text with literals replaced by {@code ?}
 * @param fingerprint   the literal-free fingerprint the analysis is cached by, or {@code null}
 * @param tables        tables the statement touches
 * @param columns       columns the statement reads or writes
 * @param decision      what governance decided
 * @param rules         ids of the rules that determined the decision
 * @param reason        why, in a sentence, or {@code null}
 * @param maskedColumns result columns that were masked
 * @param rows          rows returned or affected, or {@code null} when unknown
 * @param durationUs    database time in microseconds, or {@code null} when the statement did not run
 * @param error         the failure, or {@code null}
 * @param identitySource how the identity was established: {@code asserted} (by the application) or
 *                      {@code verified} (from a signed token); {@code null} when none was
 * @param identityIssuer the issuer of the token that vouched for the identity, or {@code null}
 * @param identityKeyId the id of the key that signed that token, or {@code null}
 * @param tokenId       that token's id ({@code jti}), or {@code null}; never the token itself
 * @param approvalId    the approval request ({@code apr-…}) the event concerns: the one a statement waits for or
 *                      used up, or the subject of an {@code approval_*} event; {@code null} otherwise
 * @param statementEventId for an {@code approval_*} event made while a statement was decided (requested, consumed),
 *                      that statement's {@code event_id}; {@code null} otherwise
 * @param traceId       the OpenTelemetry trace the statement's span belongs to (32 hex), or {@code null}
 * @param spanId        the statement's span (16 hex), or {@code null}
 * @param policy        the policy version that decided (its digest and files), or {@code null} when no policy
 *                      loaded from files decided
 */
public record AuditEvent(
        Instant time,
        String eventId,
        String connectionId,
        String principal,
        String kind,
        List<String> groups,
        String onBehalfOf,
        String purpose,
        String action,
        String statement,
        String fingerprint,
        List<String> tables,
        List<String> columns,
        AuditDecision decision,
        List<String> rules,
        String reason,
        List<String> maskedColumns,
        Long rows,
        Long durationUs,
        AuditError error,
        String identitySource,
        String identityIssuer,
        String identityKeyId,
        String tokenId,
        String approvalId,
        String statementEventId,
        String traceId,
        String spanId,
        AuditPolicy policy) {

    /** The {@code action} of the marker event a jsonl sink writes after repairing a torn last line. */
    public static final String CHAIN_RECOVERED = "chain_recovered";

    public AuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(decision, "decision");
        groups = copy(groups);
        tables = copy(tables);
        columns = copy(columns);
        rules = copy(rules);
        maskedColumns = copy(maskedColumns);
    }

    /** An event whose identity's provenance and trace are not known (written before events carried them). */
    public AuditEvent(Instant time, String eventId, String connectionId, String principal, String kind, List<String> groups,
                      String onBehalfOf, String purpose, String action, String statement, String fingerprint,
                      List<String> tables, List<String> columns, AuditDecision decision, List<String> rules, String reason,
                      List<String> maskedColumns, Long rows, Long durationUs, AuditError error) {
        this(time, eventId, connectionId, principal, kind, groups, onBehalfOf, purpose, action, statement, fingerprint,
                tables, columns, decision, rules, reason, maskedColumns, rows, durationUs, error, null, null, null, null,
                null, null, null, null, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The event of a statement run by {@code identity} ({@code null}: none established), made without a {@link Builder}:
     * the same fields {@code builder().identity(identity)} and the setters give, for the statement events every
     * execution records ({@link StatementAudit}), which need no builder object of their own.
     */
    static AuditEvent ofStatement(Instant time, String eventId, String connectionId, Identity identity, String action,
                                  String statement, String fingerprint, List<String> tables, List<String> columns,
                                  AuditDecision decision, List<String> rules, String reason, List<String> maskedColumns,
                                  Long rows, Long durationUs, AuditError error, String approvalId, String traceId,
                                  String spanId, AuditPolicy policy) {
        if (identity == null) {
            return new AuditEvent(time, eventId, connectionId, null, null, null, null, null, action, statement,
                    fingerprint, tables, columns, decision, rules, reason, maskedColumns, rows, durationUs, error, null,
                    null, null, null, approvalId, null, traceId, spanId, policy);
        }
        IdentityProvenance provenance = identity.provenance();
        return new AuditEvent(time, eventId, connectionId, identity.principal(), identity.kind().externalName(),
                identity.groupList(), identity.onBehalfOf() == null ? null : identity.onBehalfOf().describe(),
                identity.purpose(), action, statement, fingerprint, tables, columns, decision, rules, reason,
                maskedColumns, rows, durationUs, error, provenance.source().externalName(), provenance.issuer(),
                provenance.keyId(), provenance.tokenId(), approvalId, null, traceId, spanId, policy);
    }

    /**
     * The marker a jsonl sink writes into the chain when it had to repair the log at start-up.
     *
     * @param reason what was repaired, e.g. how many bytes of an incomplete line were discarded
     */
    public static AuditEvent chainRecovered(Instant time, String reason) {
        return builder().time(time).principal("governed-jdbc").kind("service")
                .action(CHAIN_RECOVERED).decision(AuditDecision.ERROR).reason(reason).build();
    }

    /** A new event id: a random (version 4) UUID; event ids need to be unique, not unguessable, so no SecureRandom. */
    public static String newEventId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low).toString();
    }

    private static List<String> copy(Collection<String> values) {
        return values == null ? List.of() : List.copyOf(values);
    }

    /**
     * Builds an {@link AuditEvent}. {@code time} defaults to now and {@code eventId} to a random
     * (version 4) UUID; {@code action} and {@code decision} must be set.
     */
    public static final class Builder {
        private Instant time;
        private String eventId;
        private String connectionId;
        private String principal;
        private String kind;
        private List<String> groups;
        private String onBehalfOf;
        private String purpose;
        private String action;
        private String statement;
        private String fingerprint;
        private List<String> tables;
        private List<String> columns;
        private AuditDecision decision;
        private List<String> rules;
        private String reason;
        private List<String> maskedColumns;
        private Long rows;
        private Long durationUs;
        private AuditError error;
        private String identitySource;
        private String identityIssuer;
        private String identityKeyId;
        private String tokenId;
        private String approvalId;
        private String statementEventId;
        private String traceId;
        private String spanId;
        private AuditPolicy policy;

        private Builder() {
        }

        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        public Builder eventId(String eventId) {
            this.eventId = eventId;
            return this;
        }

        public Builder connectionId(String connectionId) {
            this.connectionId = connectionId;
            return this;
        }

        /** Principal, kind, groups, on-behalf-of and purpose, taken from the identity; none for {@code null} (no identity established). */
        public Builder identity(Identity identity) {
            if (identity == null) {
                return this;
            }
            principal = identity.principal();
            kind = identity.kind().externalName();
            groups = identity.groupList();
            onBehalfOf = identity.onBehalfOf() == null ? null : identity.onBehalfOf().describe();
            purpose = identity.purpose();
            IdentityProvenance provenance = identity.provenance();
            identitySource = provenance.source().externalName();
            identityIssuer = provenance.issuer();
            identityKeyId = provenance.keyId();
            tokenId = provenance.tokenId();
            return this;
        }

        /** How the identity was established ({@code asserted} | {@code verified}), the token's issuer, key id and id. */
        public Builder provenance(String source, String issuer, String keyId, String tokenId) {
            this.identitySource = source;
            this.identityIssuer = issuer;
            this.identityKeyId = keyId;
            this.tokenId = tokenId;
            return this;
        }

        public Builder principal(String principal) {
            this.principal = principal;
            return this;
        }

        public Builder kind(String kind) {
            this.kind = kind;
            return this;
        }

        public Builder groups(Collection<String> groups) {
            this.groups = groups == null ? null : List.copyOf(groups);
            return this;
        }

        public Builder onBehalfOf(String onBehalfOf) {
            this.onBehalfOf = onBehalfOf;
            return this;
        }

        public Builder purpose(String purpose) {
            this.purpose = purpose;
            return this;
        }

        public Builder action(String action) {
            this.action = action;
            return this;
        }

        public Builder action(Action action) {
            this.action = action.externalName();
            return this;
        }

        /** The statement text, already normalised: every literal replaced by {@code ?}. */
        public Builder statement(String normalisedStatement) {
            this.statement = normalisedStatement;
            return this;
        }

        public Builder fingerprint(String fingerprint) {
            this.fingerprint = fingerprint;
            return this;
        }

        public Builder tables(Collection<String> tables) {
            this.tables = tables == null ? null : List.copyOf(tables);
            return this;
        }

        public Builder columns(Collection<String> columns) {
            this.columns = columns == null ? null : List.copyOf(columns);
            return this;
        }

        public Builder decision(AuditDecision decision) {
            this.decision = decision;
            return this;
        }

        /** The outcome, rules and reason of a policy decision. */
        public Builder decision(Decision decision) {
            this.decision = AuditDecision.of(decision.effect());
            this.rules = decision.rules();
            this.reason = decision.reason();
            return this;
        }

        public Builder rules(Collection<String> rules) {
            this.rules = rules == null ? null : List.copyOf(rules);
            return this;
        }

        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        public Builder maskedColumns(Collection<String> maskedColumns) {
            this.maskedColumns = maskedColumns == null ? null : List.copyOf(maskedColumns);
            return this;
        }

        public Builder rows(Long rows) {
            this.rows = rows;
            return this;
        }

        public Builder durationUs(Long durationUs) {
            this.durationUs = durationUs;
            return this;
        }

        public Builder error(AuditError error) {
            this.error = error;
            return this;
        }

        /** The approval request the event concerns ({@code apr-…}), or {@code null}. */
        public Builder approvalId(String approvalId) {
            this.approvalId = approvalId;
            return this;
        }

        /** The {@code event_id} of the statement an {@code approval_*} event belongs to, or {@code null}. */
        public Builder statementEventId(String statementEventId) {
            this.statementEventId = statementEventId;
            return this;
        }

        /** The OpenTelemetry trace and span of the statement, so the event leads to its trace; {@code null}s for none. */
        public Builder policy(AuditPolicy policy) {
            this.policy = policy;
            return this;
        }

        /** The OpenTelemetry trace and span of the statement, so the event leads to its trace; {@code null}s for none. */
        public Builder trace(String traceId, String spanId) {
            this.traceId = traceId;
            this.spanId = spanId;
            return this;
        }

        public AuditEvent build() {
            return new AuditEvent(
                    time == null ? Instant.now() : time,
                    eventId == null ? newEventId() : eventId,
                    connectionId, principal, kind, groups, onBehalfOf, purpose, action, statement, fingerprint,
                    tables, columns, decision, rules, reason, maskedColumns, rows, durationUs, error,
                    identitySource, identityIssuer, identityKeyId, tokenId, approvalId, statementEventId, traceId, spanId,
                    policy);
        }
    }
}
