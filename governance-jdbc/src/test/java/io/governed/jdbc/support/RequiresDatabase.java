package io.governed.jdbc.support;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated test class only when {@link #value() its database} is reachable: otherwise the
 * class is skipped with a message that says how to start the database, or fails when the environment
 * variable {@code CI} is {@code true}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(DatabaseAvailableCondition.class)
public @interface RequiresDatabase {
    TestDatabase value();
}
