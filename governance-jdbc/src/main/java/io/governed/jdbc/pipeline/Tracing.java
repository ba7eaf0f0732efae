package io.governed.jdbc.pipeline;

/**
 * Creates the {@link OpenTelemetryStage} only when OpenTelemetry is on the classpath: this class names
 * no OpenTelemetry type in its signatures, so the driver loads and runs without it.
 */
public final class Tracing {

    private static final String API_CLASS = "io.opentelemetry.api.GlobalOpenTelemetry";

    private Tracing() {
    }

    /** True when the OpenTelemetry API is on the classpath. */
    public static boolean available() {
        try {
            Class.forName(API_CLASS, false, Tracing.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * The tracing stage reporting to {@code openTelemetry} (an {@code io.opentelemetry.api.OpenTelemetry}),
     * or to the application's global OpenTelemetry when it is {@code null}.
     *
     * @throws IllegalStateException when the OpenTelemetry API is not on the classpath, saying what to add
     */
    public static StatementStage stage(Object openTelemetry) {
        if (!available()) {
            throw new IllegalStateException("governed.otel=true needs the OpenTelemetry API: add"
                    + " io.opentelemetry:opentelemetry-api to the application's dependencies, or set governed.otel=false");
        }
        return OpenTelemetrySupport.stage(openTelemetry);
    }

    /** Kept apart so that {@link Tracing} itself never links to OpenTelemetry. */
    private static final class OpenTelemetrySupport {
        static StatementStage stage(Object openTelemetry) {
            if (openTelemetry == null) {
                return OpenTelemetryStage.using(io.opentelemetry.api.GlobalOpenTelemetry.get());
            }
            if (!(openTelemetry instanceof io.opentelemetry.api.OpenTelemetry otel)) {
                throw new IllegalArgumentException("not an io.opentelemetry.api.OpenTelemetry: " + openTelemetry.getClass().getName());
            }
            return OpenTelemetryStage.using(otel);
        }
    }
}
