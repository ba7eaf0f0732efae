package io.governed.jdbc.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Marks a test class that changes or reads state a database of its own cannot separate from the other test JVM:
 * roles and users, server settings ({@code ALTER SYSTEM}, {@code SET GLOBAL}), databases and MariaDB schemas other
 * than {@link TestDatabase#DATABASE}, tablespaces, prepared transactions, other sessions ({@code pg_stat_activity},
 * {@code PROCESSLIST}, {@code KILL}). {@link ForkLockExtension} runs such a class alone: while it runs, no test class
 * runs in the other JVM. The build runs such classes (tagged {@code server-wide}) in an execution of their own, in one
 * JVM, after the others have run in two. {@code ServerWideAuditTest} fails for a class that uses one of those forms
 * without this, except the forms it proves the other JVM cannot meet: a side database, MariaDB schema, {@code USE},
 * role or user whose whole name is a constant built by {@link TestDatabase#forkName(String)} from a literal,
 * {@link UniqueNames#of(String)} or a literal plus {@code UUID.randomUUID()}, taking such a role ({@code SET ROLE},
 * pgjdbc's {@code -c role=}), privileges on a schema or table of the fork's own database granted to or revoked from
 * such a role, and a {@code pg_stat_activity} read of the session's own row ({@code WHERE pid = pg_backend_pid()}). A class that names its side databases so needs no
 * mark, and runs in the two-JVM execution.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Tag("server-wide")
public @interface ServerWide {
    /** What the class does that is server-wide. */
    String value();
}
