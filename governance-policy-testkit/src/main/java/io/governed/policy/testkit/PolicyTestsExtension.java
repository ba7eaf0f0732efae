package io.governed.policy.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Gives test methods of a class annotated {@link PolicyTests} the {@link PolicyTestSuite} it describes, loaded
 * once per class.
 */
public final class PolicyTestsExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PolicyTestsExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PolicyTestSuite.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        PolicyTests annotation = AnnotationSupport.findAnnotation(testClass, PolicyTests.class)
                .orElseThrow(() -> new ParameterResolutionException(testClass.getName() + " has no @PolicyTests: annotate it"
                        + " with the policies and cases to run"));
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(testClass,
                c -> PolicyTestSuite.of(annotation), PolicyTestSuite.class);
    }
}
