package io.governed.sql.names;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each resolver answers itself rather than as the resolver or catalog reading beneath it (or
 * {@link NameResolver}'s default): an explicit list per resolver. A method added to {@link NameResolver} fails
 * {@link #theListsKnowEveryMethodOfNameResolver} until it is looked at for every resolver here (and PostgresNamesNow's
 * test in the driver).
 */
class ResolverOverridesTest {

    /** The methods of {@link NameResolver} the lists below were written against. */
    static final Set<String> KNOWN = Set.of(
            "resolve(String)", "resolveNew(String)", "prepare(Set)", "viewDefinition(String,String)",
            "viewDefinitionUnknown(String,String)", "relationKind(String,String)", "holdsOwnRowsOnly(String,String)",
            "columns(String,String)", "columnType(String,String,String)", "ancestors(String,String)", "descendants(String,String)",
            "routinesRunOnWrite(String,String)", "routinesRunOnWrite(String,String,Action,boolean)",
            "routinesOfRowSecurity(String,String)", "routinesGivenRows(String,String)", "routinesOfEventTriggers()",
            "routinesRunOnRead(String,String)", "cascadedWrites(String,String,Action)", "routineBodies(String,String)",
            "plpgsqlResolvesAsDefault()", "systemMayHoldRoutine(String)", "schemasNaming(String)", "readsCatalog()",
            "readsRoutines()", "sessionBuiltIns()");

    @Test
    void theListsKnowEveryMethodOfNameResolver() {
        assertThat(new TreeSet<>(ResolverMethods.of(NameResolver.class)))
                .as("NameResolver changed: decide for each resolver whether it answers the new method itself, "
                        + "list it where it does, then add it to KNOWN")
                .isEqualTo(new TreeSet<>(KNOWN));
    }

    /** From the path and the catalog; the catalog reading answers the rest ({@link CatalogNameResolver}). */
    @Test
    void postgresSearchPath() {
        assertThat(ResolverMethods.overriddenBy(PostgresSearchPath.class)).containsExactlyInAnyOrder(
                "resolve(String)", "routinesRunOnRead(String,String)", "routineBodies(String,String)",
                "systemMayHoldRoutine(String)", "readsCatalog()", "readsRoutines()");
    }

    /** From the current schema and the search path; what H2's reading does not tell is unknown. */
    @Test
    void h2SearchPath() {
        assertThat(ResolverMethods.overriddenBy(H2SearchPath.class)).containsExactlyInAnyOrder(
                "resolve(String)", "resolveNew(String)", "ancestors(String,String)", "descendants(String,String)",
                "routinesOfRowSecurity(String,String)", "routinesGivenRows(String,String)", "routinesOfEventTriggers()",
                "plpgsqlResolvesAsDefault()", "routineBodies(String,String)", "readsCatalog()", "readsRoutines()",
                "sessionBuiltIns()");
    }

    /** The current database; its reading, when there is one, answers about views, kinds, columns, writes. */
    @Test
    void currentDatabase() {
        assertThat(ResolverMethods.overriddenBy(CurrentDatabase.class)).containsExactlyInAnyOrder(
                "resolve(String)", "resolveNew(String)", "viewDefinition(String,String)",
                "viewDefinitionUnknown(String,String)", "relationKind(String,String)", "columns(String,String)", "columnType(String,String,String)",
                "routinesRunOnWrite(String,String)", "routinesRunOnWrite(String,String,Action,boolean)",
                "cascadedWrites(String,String,Action)", "readsRoutines()", "readsCatalog()", "schemasNaming(String)",
                "routineBodies(String,String)");
    }

    /**
     * No partitions, inheritance, routines run on write nor cascades; the write's routines by event are its own empty
     * ones, not those of the resolver beneath.
     */
    @Test
    void withoutInheritance() {
        assertThat(ResolverMethods.overriddenBy(NameResolvers.WithoutInheritance.class)).containsExactlyInAnyOrder(
                "ancestors(String,String)", "descendants(String,String)", "routinesRunOnWrite(String,String)",
                "routinesRunOnWrite(String,String,Action,boolean)", "routinesGivenRows(String,String)",
                "cascadedWrites(String,String,Action)");
    }

    /** Declared columns, and the kind and own rows of a relation declared so. */
    @Test
    void declaredColumns() {
        assertThat(ResolverMethods.overriddenBy(NameResolvers.DeclaredColumns.class)).containsExactlyInAnyOrder(
                "columns(String,String)", "relationKind(String,String)", "holdsOwnRowsOnly(String,String)");
    }
}
