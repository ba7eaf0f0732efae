package io.governed.spring.boot;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task executor bean of the application's own runs each task as the identity that submitted it, and keeps the
 * decorator it was given, which runs too, inside the governed one.
 */
class GovernedExecutorPostProcessorTest {
    private final AtomicReference<Identity> resolved = new AtomicReference<>();
    private final GovernedExecutorPostProcessor processor = processor(Governance.builder().policy(PolicyLoader.baseline())
            .withoutAudit().identityResolver(resolved::get).build());

    private static GovernedExecutorPostProcessor processor(Governance governance) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("governance", governance);
        return new GovernedExecutorPostProcessor(beans.getBeanProvider(Governance.class));
    }

    private ThreadPoolTaskExecutor started(ThreadPoolTaskExecutor executor) {
        processor.postProcessBeforeInitialization(executor, "taskExecutor");
        executor.initialize();
        return executor;
    }

    @Test
    void anExecutorOfTheApplicationsOwnRunsTheTaskAsItsSubmitter() throws Exception {
        ThreadPoolTaskExecutor executor = started(new ThreadPoolTaskExecutor());
        try {
            resolved.set(Identity.builder("sam").groups("SALES").build());
            Future<Identity> ranAs = executor.submit(IdentityContext::scopedOrNull);
            assertThat(ranAs.get().principal()).isEqualTo("sam");
        } finally {
            resolved.set(null);
            executor.shutdown();
        }
    }

    @Test
    void theExecutorsOwnDecoratorStillRunsAndItsScopeDecides() throws Exception {
        List<String> decorated = new CopyOnWriteArrayList<>();
        ThreadPoolTaskExecutor own = new ThreadPoolTaskExecutor();
        own.setTaskDecorator(task -> {
            decorated.add("decorated");
            return task;
        });
        ThreadPoolTaskExecutor executor = started(own);
        processor.postProcessBeforeInitialization(executor, "taskExecutor"); // a second pass adds nothing
        try {
            resolved.set(Identity.builder("sam").build());
            assertThat(executor.submit(IdentityContext::scopedOrNull).get().principal()).isEqualTo("sam");
            assertThat(decorated).containsExactly("decorated");
        } finally {
            resolved.set(null);
            executor.shutdown();
        }
    }
}
