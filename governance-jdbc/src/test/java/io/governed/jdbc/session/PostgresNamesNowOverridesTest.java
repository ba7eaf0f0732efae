package io.governed.jdbc.session;

import io.governed.sql.names.ForwardingNameResolver;
import io.governed.sql.names.NameResolver;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PostgresNamesNow} answers where a name resolves itself and everything else as the session's reading: an
 * explicit list of each, which a method added to {@link NameResolver} fails until it is looked at here.
 */
class PostgresNamesNowOverridesTest {

    /** Asked of the session at once. */
    private static final Set<String> ANSWERED_HERE = Set.of("prepare(Set)", "resolve(String)");

    /** Answered by the session's reading ({@link ForwardingNameResolver}). */
    private static final Set<String> FROM_THE_READING = Set.of(
            "resolveNew(String)", "viewDefinition(String,String)", "viewDefinitionUnknown(String,String)",
            "relationKind(String,String)", "holdsOwnRowsOnly(String,String)", "columns(String,String)", "columnType(String,String,String)",
            "ancestors(String,String)", "descendants(String,String)", "routinesRunOnWrite(String,String)",
            "routinesRunOnWrite(String,String,Action,boolean)", "routinesOfRowSecurity(String,String)",
            "routinesGivenRows(String,String)", "routinesOfEventTriggers()", "routinesRunOnRead(String,String)",
            "cascadedWrites(String,String,Action)", "routineBodies(String,String)", "plpgsqlResolvesAsDefault()",
            "systemMayHoldRoutine(String)", "schemasNaming(String)", "readsCatalog()", "readsRoutines()",
            "sessionBuiltIns()");

    private static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(",", "(", ")"));
    }

    @Test
    void answersWhereANameResolvesItselfAndTheRestAsTheReading() {
        Set<String> ofNameResolver = Arrays.stream(NameResolver.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers())).map(PostgresNamesNowOverridesTest::signature)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> overridden = Arrays.stream(PostgresNamesNow.class.getDeclaredMethods())
                .filter(m -> !m.isSynthetic() && !Modifier.isStatic(m.getModifiers()))
                .map(PostgresNamesNowOverridesTest::signature).filter(ofNameResolver::contains)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> listed = new TreeSet<>(ANSWERED_HERE);
        listed.addAll(FROM_THE_READING);

        assertThat(listed).as("NameResolver changed: decide whether PostgresNamesNow answers the new method itself")
                .isEqualTo(ofNameResolver);
        assertThat(overridden).isEqualTo(ANSWERED_HERE);
        assertThat(ForwardingNameResolver.class).isAssignableFrom(PostgresNamesNow.class);
    }
}
