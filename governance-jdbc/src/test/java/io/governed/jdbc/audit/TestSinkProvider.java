package io.governed.jdbc.audit;

/** A sink service registered in the test resources: {@code governed.audit=test-sink:NAME} makes a memory sink. */
public final class TestSinkProvider implements AuditSinkProvider {

    @Override
    public String name() {
        return "test-sink";
    }

    @Override
    public AuditSink create(String argument) {
        if (argument.isBlank()) {
            throw new IllegalArgumentException("test-sink needs a name: write test-sink:NAME");
        }
        return MemorySink.named("service-" + argument);
    }
}
