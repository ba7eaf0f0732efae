package io.governed.spring.boot;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.identity.IdentityRefusedException;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Work handed to the task executor runs as the identity that handed it over, and a submitter the application's resolver
 * names as the migration principal is refused at submission: a scope made of it would run the task as the migration
 * identity, which a user's chosen name must never become.
 */
class GovernedTaskDecoratorTest {
    private final AtomicReference<Identity> resolved = new AtomicReference<>();
    private final Governance governance = Governance.builder().policy(PolicyLoader.baseline()).withoutAudit()
            .migrationPrincipal("schema-owner").identityResolver(resolved::get).build();
    private final GovernedTaskDecorator decorator = decorator(governance);

    private static GovernedTaskDecorator decorator(Governance governance) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("governance", governance);
        return new GovernedTaskDecorator(beans.getBeanProvider(Governance.class));
    }

    @Test
    void aTaskRunsAsTheUserTheResolverGaveItsSubmitter() {
        resolved.set(Identity.builder("bob").groups("SALES").build());
        AtomicReference<Identity> ranAs = new AtomicReference<>();
        Runnable task = decorator.decorate(() -> ranAs.set(IdentityContext.scopedOrNull()));
        resolved.set(null); // the executor's thread has no user
        task.run();
        assertThat(ranAs.get().principal()).isEqualTo("bob");
    }

    @Test
    void aSubmitterTheResolverNamesAsTheMigrationPrincipalIsRefused() {
        resolved.set(Identity.builder("schema-owner").build());
        assertThatThrownBy(() -> decorator.decorate(() -> { })).isInstanceOfSatisfying(IdentityRefusedException.class,
                e -> {
                    assertThat(e.refusal().getSQLState()).isEqualTo("28000");
                    assertThat(e.getMessage()).contains("governed.migration.principal");
                });
    }
}
