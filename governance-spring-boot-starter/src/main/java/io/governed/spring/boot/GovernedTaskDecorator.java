package io.governed.spring.boot;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.identity.IdentityRefusedException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.task.TaskDecorator;

import java.sql.SQLException;

/**
 * Work handed to Spring's task executor ({@code @Async} methods, the {@code applicationTaskExecutor}) runs as
 * the identity that handed it over: the scoped identity of the submitting thread, or else the identity its
 * resolvers find there (the signed-in user of the request). Spring Security's context is per thread, so the
 * task found no user on the executor's thread and ran as the application's default identity
 * ({@code governed.principal}), whose masks and rules are not the user's: a user's request read, through an
 * {@code @Async} method, what only the service may read. Work submitted where there is no such identity (at
 * startup, by a scheduler) resolves its identity on the executor's thread as before. A submission whose user
 * the resolvers refuse, or whom they name as the migration principal, is refused.
 */
public class GovernedTaskDecorator implements TaskDecorator {
    private final ObjectProvider<Governance> governance;

    public GovernedTaskDecorator(ObjectProvider<Governance> governance) {
        this.governance = governance;
    }

    @Override
    public Runnable decorate(Runnable task) {
        Identity submitter = submitter();
        return submitter == null ? task : () -> IdentityContext.runAs(submitter, task::run);
    }

    private Identity submitter() {
        Identity scoped = IdentityContext.scopedOrNull();
        if (scoped != null) {
            return scoped;
        }
        Governance governed = governance.getIfAvailable();
        try {
            // as a statement would resolve it, the migration principal's name refused (a scope made of it is trusted)
            return governed == null ? null : governed.identityResolution().resolvedIdentity();
        } catch (SQLException refused) {
            throw new IdentityRefusedException(refused);
        }
    }
}
