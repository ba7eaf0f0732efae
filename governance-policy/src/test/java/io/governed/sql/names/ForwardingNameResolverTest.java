package io.governed.sql.names;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ForwardingNameResolver} forwards every method of {@link NameResolver}: one added to the interface without a
 * forward here would otherwise answer with its default beneath a resolver that answers otherwise.
 */
class ForwardingNameResolverTest {

    private static List<Method> answers() {
        return Arrays.stream(NameResolver.class.getMethods()).filter(m -> !Modifier.isStatic(m.getModifiers())).toList();
    }

    @Test
    void declaresAForwardOfEveryMethodOfNameResolver() {
        Set<String> declared = ResolverMethods.overriddenBy(ForwardingNameResolver.class);
        assertThat(declared).as("methods of NameResolver the forwarding base does not forward")
                .containsAll(ResolverMethods.of(NameResolver.class));
    }

    @Test
    void everyMethodAsksTheResolverBeneathWithTheSameArgumentsAndGivesItsAnswer() throws Exception {
        for (boolean bool : new boolean[] {true, false}) {
            for (Method m : answers()) {
                List<ResolverMethods.Call> calls = new ArrayList<>();
                List<Object> given = new ArrayList<>();
                NameResolver beneath = ResolverMethods.recording(NameResolver.class, calls, given, bool);
                ForwardingNameResolver forwarding = () -> beneath;
                Object[] args = ResolverMethods.arguments(m);

                Object answer = m.invoke(forwarding, args);

                assertThat(calls).as(ResolverMethods.signature(m))
                        .containsExactly(new ResolverMethods.Call(m, Arrays.asList(args)));
                if (m.getReturnType() == boolean.class) {
                    assertThat(answer).as(ResolverMethods.signature(m)).isEqualTo(bool);
                } else if (m.getReturnType() != void.class) {
                    assertThat(answer).as(ResolverMethods.signature(m)).isSameAs(given.get(0));
                }
            }
        }
    }
}
