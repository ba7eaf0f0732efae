package io.governed.sql.names;

import io.governed.sql.Action;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The methods of the resolver interfaces, read by reflection, for the tests of what forwards and what is overridden. */
final class ResolverMethods {

    private ResolverMethods() {
    }

    /** A method's name and parameter types, as the tests list it: {@code routinesRunOnWrite(String,String,Action,boolean)}. */
    static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(",", "(", ")"));
    }

    /** The instance methods of an interface (its own and those it inherits), by signature. */
    static Set<String> of(Class<?> type) {
        return Arrays.stream(type.getMethods()).filter(m -> !Modifier.isStatic(m.getModifiers()))
                .map(ResolverMethods::signature).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The methods of {@link NameResolver} that {@code type} itself declares (its overrides), by signature. */
    static Set<String> overriddenBy(Class<?> type) {
        Set<String> all = of(NameResolver.class);
        return Arrays.stream(type.getDeclaredMethods()).filter(m -> !m.isSynthetic() && !m.isBridge())
                .filter(m -> !Modifier.isStatic(m.getModifiers())).map(ResolverMethods::signature)
                .filter(all::contains).collect(Collectors.toCollection(TreeSet::new));
    }

    /** An argument of each type a method of the resolver interfaces takes. */
    static Object[] arguments(Method m) {
        Object[] args = new Object[m.getParameterCount()];
        Class<?>[] types = m.getParameterTypes();
        for (int i = 0; i < args.length; i++) {
            Class<?> t = types[i];
            args[i] = t == String.class ? "arg" + i
                    : t == Set.class ? Set.of("n" + i)
                    : t == Action.class ? Action.values()[Action.values().length - 1]
                    : t == boolean.class ? Boolean.TRUE
                    : fail("no argument for " + t);
        }
        return args;
    }

    /**
     * An answer of the method's return type, told apart from any default: a new instance, or {@code bool} for a
     * {@code boolean} (a test asks with both).
     */
    static Object answer(Method m, boolean bool) {
        Class<?> t = m.getReturnType();
        return t == void.class ? null
                : t == boolean.class ? bool
                : t == String.class ? new String("answer")
                : t == Set.class ? new java.util.HashSet<>(Set.of("answer"))
                : t == List.class ? new ArrayList<>(List.of())
                : t == Resolution.class ? Resolution.in("answer")
                : t == NameResolver.RelationKind.class ? NameResolver.RelationKind.OTHER
                : t == io.governed.sql.RoutineCatalog.class ? (io.governed.sql.RoutineCatalog) routine -> bool
                : fail("no answer for " + t);
    }

    /** A call the stand-in beneath was asked. */
    record Call(Method method, List<Object> args) {
    }

    /** A stand-in of {@code type} that records each call, and each answer it gives ({@link #answer}) in {@code given}. */
    static <T> T recording(Class<T> type, List<Call> calls, List<Object> given, boolean bool) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("equals") ? proxy == args[0]
                        : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : "stand-in";
            }
            calls.add(new Call(method, args == null ? List.of() : Arrays.asList(args)));
            Object answer = answer(method, bool);
            given.add(answer);
            return answer;
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object fail(String message) {
        throw new AssertionError(message);
    }
}
