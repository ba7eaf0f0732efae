package io.governed.policy.testkit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs YAML policy tests against a policy: put it on a test class and give a {@code @TestFactory} method a
 * {@link PolicyTestSuite} parameter, which holds the composed policy and the cases:
 *
 * <pre>
 * &#64;PolicyTests(policies = "classpath:platform/policy.yaml", cases = "policy-tests/")
 * class PlatformPolicyTest {
 *     &#64;TestFactory
 *     Stream&lt;DynamicNode&gt; policyTests(PolicyTestSuite suite) {
 *         return suite.dynamicTests();   // a container per file, a test per case
 *     }
 * }
 * </pre>
 *
 * A failing case fails its test with its file and line, what it expected and what the policy decided.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(PolicyTestsExtension.class)
public @interface PolicyTests {

    /**
     * The policy: files composed in the order given, a platform base first; each {@code classpath:NAME} or a
     * file path, as {@code governed.policy} takes them.
     */
    String[] policies();

    /**
     * Where the cases are: classpath directories or files ({@code policy-tests/}, {@code classpath:cases/orders.yaml}),
     * or, with {@code file:}, directories or files on disk relative to the working directory.
     */
    String[] cases() default "policy-tests/";

    /** Compose the built-in baseline policy under {@link #policies()}. */
    boolean baseline() default false;
}
