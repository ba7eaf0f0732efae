package io.governed.jdbc.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import java.util.Optional;

/**
 * The condition behind {@link RequiresDatabase}: decided once per test class, before any of its
 * set-up runs, so an unreachable database skips the class cleanly (or fails it on CI).
 */
public final class DatabaseAvailableCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<RequiresDatabase> required =
                AnnotationSupport.findAnnotation(context.getElement(), RequiresDatabase.class);
        if (required.isEmpty() || context.getTestMethod().isPresent()) {
            return ConditionEvaluationResult.enabled("decided for the class");
        }
        TestDatabase database = required.get().value();
        Optional<String> problem = database.unreachableReason();
        if (problem.isEmpty()) {
            return ConditionEvaluationResult.enabled(database + " is reachable");
        }
        if (TestDatabase.failWhenUnreachable()) {
            throw new IllegalStateException(problem.get() + ". CI=true, so an unreachable database fails the build instead of skipping.");
        }
        return ConditionEvaluationResult.disabled(problem.get());
    }
}
