package io.governed.spring.boot;

import io.governed.jdbc.Governance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.TaskExecutor;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Work handed to a task executor bean of the application's own ({@code @Bean ThreadPoolTaskExecutor taskExecutor()},
 * a {@code ThreadPoolTaskScheduler}, a {@code SimpleAsyncTaskExecutor}: any executor with a task decorator) runs as
 * the identity that handed it over, as on Spring Boot's executor ({@link GovernedTaskDecorator}). An executor the
 * application makes itself is not built by Spring Boot, so the starter's decorator never reached it, and an
 * {@code @Async} method of a signed-in user's request ran as the application's default identity
 * ({@code governed.principal}), whose masks and rules are not the user's. The executor keeps the decorator it was
 * given: it runs inside the governed one, on the task's thread, so a decorator of the application's own that sets an
 * identity scope still decides.
 */
public class GovernedExecutorPostProcessor implements BeanPostProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(GovernedExecutorPostProcessor.class);
    private final GovernedTaskDecorator governed;

    public GovernedExecutorPostProcessor(ObjectProvider<Governance> governance) {
        this.governed = new GovernedTaskDecorator(governance);
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (!(bean instanceof TaskExecutor)) {
            return bean;
        }
        Method setter = ReflectionUtils.findMethod(bean.getClass(), "setTaskDecorator", TaskDecorator.class);
        if (setter == null) {
            return bean;
        }
        Field field = ReflectionUtils.findField(bean.getClass(), "taskDecorator", TaskDecorator.class);
        TaskDecorator given = null;
        if (field != null) {
            ReflectionUtils.makeAccessible(field);
            given = (TaskDecorator) ReflectionUtils.getField(field, bean);
        } else {
            LOG.warn("The task decorator of executor bean '{}' cannot be read; it is replaced by one that runs each task as"
                    + " the identity that submitted it", beanName);
        }
        if (given instanceof GovernedTaskDecorator || given instanceof Composed) {
            return bean;
        }
        ReflectionUtils.invokeMethod(setter, bean, given == null ? governed : new Composed(governed, given));
        return bean;
    }

    /** The governed decorator around the executor's own: both capture on the submitting thread. */
    private record Composed(GovernedTaskDecorator governed, TaskDecorator own) implements TaskDecorator {
        @Override
        public Runnable decorate(Runnable task) {
            return governed.decorate(own.decorate(task));
        }
    }
}
