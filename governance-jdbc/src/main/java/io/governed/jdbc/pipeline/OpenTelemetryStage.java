package io.governed.jdbc.pipeline;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditError;
import io.governed.jdbc.audit.StatementAudit;
import io.governed.policy.Decision;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;
import io.governed.sql.Trait;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Makes each statement a CLIENT span with the stable OpenTelemetry database conventions, and records
 * {@code db.client.operation.duration}. The first stage: it sees every statement, refused ones too.
 *
 * <p>Attributes: {@code db.system.name}, {@code db.namespace} and {@code server.address}/{@code server.port}
 * (what the connection's catalog and URL tell, see {@link ServerEndpoint}), {@code db.operation.name}, {@code db.collection.name} (a
 * statement on one table), {@code db.query.summary} (also the span's name), {@code db.query.text} (the
 * literal-free text the audit records: every literal is {@code ?}), {@code error.type} and
 * {@code db.response.status_code} (the SQLState, as the audit trail records it) when the statement was refused or failed, and
 * {@code governed.decision}, {@code governed.rules}, {@code governed.masked_columns} (names only),
 * {@code governed.principal}. No value, literal or message goes into a span: a failed span's status
 * has no description, and no exception is recorded on it. The span's trace and span ids go into the
 * statement's audit event ({@code trace_id}, {@code span_id}).
 *
 * <p>Only loaded when OpenTelemetry is on the classpath ({@link Tracing} checks); the span's parent
 * is the caller's current context.
 */
public final class OpenTelemetryStage extends PipelineStage {
    /** The instrumentation scope spans and metrics are reported under. */
    public static final String SCOPE = "io.governed.jdbc";

    static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
    static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> DB_OPERATION_NAME = AttributeKey.stringKey("db.operation.name");
    static final AttributeKey<String> DB_COLLECTION_NAME = AttributeKey.stringKey("db.collection.name");
    static final AttributeKey<String> DB_QUERY_SUMMARY = AttributeKey.stringKey("db.query.summary");
    static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
    static final AttributeKey<String> DB_RESPONSE_STATUS_CODE = AttributeKey.stringKey("db.response.status_code");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> DECISION = AttributeKey.stringKey("governed.decision");
    static final AttributeKey<List<String>> RULES = AttributeKey.stringArrayKey("governed.rules");
    static final AttributeKey<List<String>> MASKED_COLUMNS = AttributeKey.stringArrayKey("governed.masked_columns");
    static final AttributeKey<String> PRINCIPAL = AttributeKey.stringKey("governed.principal");

    private static final List<Double> DURATION_BUCKETS = List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0);

    private final Tracer tracer;
    private final DoubleHistogram duration;

    /** A statement's span and when it started. */
    private record Traced(Span span, long startNanos) {
    }

    private OpenTelemetryStage(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(SCOPE);
        this.duration = openTelemetry.getMeter(SCOPE).histogramBuilder("db.client.operation.duration")
                .setUnit("s").setDescription("Duration of database client operations.")
                .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
    }

    /** The stage reporting to {@code openTelemetry}. */
    public static StatementStage using(OpenTelemetry openTelemetry) {
        return new OpenTelemetryStage(openTelemetry);
    }

    @Override
    public void enter(Execution execution) {
        if (!execution.runs() || execution.traced() != null) {
            return; // a prepare or addBatch is no operation on the database
        }
        Span span = tracer.spanBuilder(systemName(execution.dialect())).setSpanKind(SpanKind.CLIENT)
                .setAttribute(DB_SYSTEM_NAME, systemName(execution.dialect())).startSpan();
        SpanContext context = span.getSpanContext();
        if (context.isValid()) {
            execution.span(new StatementAudit.SpanIds(context.getTraceId(), context.getSpanId()));
        }
        execution.traced(new Traced(span, System.nanoTime()));
    }

    @Override
    public void refused(Execution execution, SQLException refusal) {
        Decision decision = refusal instanceof GovernanceException denied && denied.decision() != null ? denied.decision() : null;
        end(execution, decision == null ? AuditDecision.DENY : AuditDecision.of(decision.effect()),
                decision == null ? List.of() : decision.rules(), refusal);
    }

    @Override
    public void completed(Execution execution) {
        end(execution, AuditDecision.ALLOW, rules(execution), null);
    }

    @Override
    public SQLException failed(Execution execution, SQLException failure) {
        end(execution, AuditDecision.ALLOW, rules(execution), failure);
        return failure;
    }

    private static List<String> rules(Execution execution) {
        return execution.decision() == null ? List.of() : execution.decision().rules();
    }

    private void end(Execution execution, AuditDecision decision, List<String> rules, SQLException error) {
        if (!(execution.traced() instanceof Traced traced)) {
            return;
        }
        execution.traced(null);
        String system = systemName(execution.dialect());
        AttributesBuilder metric = Attributes.builder().put(DB_SYSTEM_NAME, system);
        Span span = traced.span();
        SqlAnalysis analysis = analysis(execution);
        if (analysis != null) {
            String operation = operation(analysis);
            List<String> tables = tables(analysis);
            String summary = tables.isEmpty() ? operation : operation + " " + String.join(" ", tables);
            span.updateName(summary);
            span.setAttribute(DB_OPERATION_NAME, operation);
            span.setAttribute(DB_QUERY_SUMMARY, summary);
            span.setAttribute(DB_QUERY_TEXT, analysis.fingerprint());
            metric.put(DB_OPERATION_NAME, operation);
            if (tables.size() == 1) {
                span.setAttribute(DB_COLLECTION_NAME, tables.get(0));
                metric.put(DB_COLLECTION_NAME, tables.get(0));
            }
        }
        ServerEndpoint server = execution.server();
        putBoth(span, metric, DB_NAMESPACE, server.namespace());
        putBoth(span, metric, SERVER_ADDRESS, server.address());
        putBoth(span, metric, SERVER_PORT, server.port() == null ? null : server.port().longValue());
        span.setAttribute(DECISION, decision.externalName());
        span.setAttribute(RULES, List.copyOf(rules));
        span.setAttribute(MASKED_COLUMNS, List.copyOf(execution.maskedColumns()));
        if (execution.identity() != null) {
            span.setAttribute(PRINCIPAL, execution.identity().principal());
        }
        if (error != null) {
            String type = error instanceof UncheckedDriverException unchecked ? unchecked.thrownClass()
                    : error.getClass().getName();
            span.setAttribute(ERROR_TYPE, type);
            metric.put(ERROR_TYPE, type);
            String state = AuditError.recordedState(error); // as the trail records it: code may compose it from a value
            if (state != null) {
                span.setAttribute(DB_RESPONSE_STATUS_CODE, state);
                metric.put(DB_RESPONSE_STATUS_CODE, state);
            }
            span.setStatus(StatusCode.ERROR); // no description: a database's message may quote values
        }
        duration.record((System.nanoTime() - traced.startNanos()) / 1e9, metric.build());
        span.end();
    }

    private static <T> void putBoth(Span span, AttributesBuilder metric, AttributeKey<T> key, T value) {
        if (value != null) {
            span.setAttribute(key, value);
            metric.put(key, value);
        }
    }

    /** The statement's analysis, or {@code null} when it cannot be had (the span then names the system only). */
    private static SqlAnalysis analysis(Execution execution) {
        try {
            return execution.analysis();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String operation(SqlAnalysis analysis) {
        if (!analysis.parsed() || analysis.statements().isEmpty()) {
            return "UNKNOWN";
        }
        Set<String> operations = new LinkedHashSet<>();
        for (StatementAnalysis s : analysis.statements()) {
            if (!s.has(Trait.NESTED)) {
                operations.add(s.action().externalName().toUpperCase(Locale.ROOT));
            }
        }
        return operations.isEmpty() ? analysis.statements().get(0).action().externalName().toUpperCase(Locale.ROOT)
                : String.join(" ", operations);
    }

    private static List<String> tables(SqlAnalysis analysis) {
        Set<String> tables = new LinkedHashSet<>();
        for (StatementAnalysis s : analysis.statements()) {
            s.tablesWritten().stream().map(TableRef::qualifiedName).forEach(tables::add);
            s.tablesRead().stream().map(TableRef::qualifiedName).forEach(tables::add);
        }
        return new ArrayList<>(tables);
    }

    /** The {@code db.system.name} of a dialect, as the stable conventions spell it. */
    static String systemName(Dialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> "postgresql";
            case MARIADB -> "mariadb";
            case SQLSERVER -> "microsoft.sql_server";
            case ORACLE -> "oracle.db";
            case H2, H2_LOWER_CASE -> "h2database";
            default -> "other_sql";
        };
    }
}
