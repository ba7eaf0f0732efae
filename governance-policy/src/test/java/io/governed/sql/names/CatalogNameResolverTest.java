package io.governed.sql.names;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CatalogNameResolver} forwards every answer of {@link NameResolver} that its catalog reading
 * ({@link RelationLocator}) gives, and leaves each other one to {@link NameResolver}'s default or its implementations,
 * by an explicit list: a method added to either interface must be placed.
 */
class CatalogNameResolverTest {

    /** The answers of {@link NameResolver} a catalog reading does not give: each implementation decides them. */
    private static final Set<String> NOT_FROM_THE_READING = Set.of(
            "resolve(String)", "resolveNew(String)", "holdsOwnRowsOnly(String,String)", "systemMayHoldRoutine(String)",
            "readsCatalog()", "readsRoutines()", "sessionBuiltIns()");

    /** What a catalog reading tells that is no answer of {@link NameResolver}'s. */
    private static final Set<String> READING_ONLY = Set.of("schemasHolding(String)");

    @Test
    void forwardsEveryAnswerTheReadingGivesAndNoOther() {
        Set<String> shared = new TreeSet<>(ResolverMethods.of(RelationLocator.class));
        shared.removeAll(READING_ONLY);
        assertThat(ResolverMethods.of(NameResolver.class)).as("answers of NameResolver a catalog reading has not")
                .containsAll(shared);

        assertThat(ResolverMethods.overriddenBy(CatalogNameResolver.class)).isEqualTo(shared);

        Set<String> all = new TreeSet<>(shared);
        all.addAll(NOT_FROM_THE_READING);
        assertThat(all).as("each answer of NameResolver forwarded to the reading or left to the resolver")
                .isEqualTo(ResolverMethods.of(NameResolver.class));
    }

    @Test
    void everyForwardAsksTheReadingWithTheSameArgumentsAndGivesItsAnswer() throws Exception {
        for (boolean bool : new boolean[] {true, false}) {
            for (Method m : CatalogNameResolver.class.getDeclaredMethods()) {
                if (m.isSynthetic() || Modifier.isStatic(m.getModifiers())) {
                    continue;
                }
                List<ResolverMethods.Call> calls = new ArrayList<>();
                List<Object> given = new ArrayList<>();
                RelationLocator reading = ResolverMethods.recording(RelationLocator.class, calls, given, bool);
                NameResolver names = new CatalogNameResolver(reading) {
                    @Override
                    public Resolution resolve(String name) {
                        return Resolution.unknown();
                    }
                };
                Object[] args = ResolverMethods.arguments(m);
                Method asked = RelationLocator.class.getMethod(m.getName(), m.getParameterTypes());

                Object answer = m.invoke(names, args);

                assertThat(calls).as(ResolverMethods.signature(m))
                        .containsExactly(new ResolverMethods.Call(asked, Arrays.asList(args)));
                if (m.getReturnType() == boolean.class) {
                    assertThat(answer).as(ResolverMethods.signature(m)).isEqualTo(bool);
                } else if (m.getReturnType() != void.class) {
                    assertThat(answer).as(ResolverMethods.signature(m)).isSameAs(given.get(0));
                }
            }
        }
    }
}
