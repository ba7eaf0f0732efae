package io.governed.policy;

import io.governed.sql.TableRef;
import io.governed.sql.Action;
import io.governed.sql.names.CascadedWrite;
import io.governed.sql.names.NameResolver;
import io.governed.sql.names.Resolution;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A session's catalog for tests with no database: every name is in schema {@code public}; a relation is a view when
 * {@link #views} defines it (by its lower-case name: H2 gives names upper-cased, as it stores them), a partition or
 * inheritance child of what {@link #parents} says, and the parent of what {@link #children} says. With
 * {@link #unknownAncestry()}, which tables a relation is a partition or child of, or has, cannot be told. Writing a
 * relation runs the routines {@link #writeRoutines} lists for it (none unless listed); with {@link #unknownWriteRoutines()},
 * which cannot be told. Deleting or updating a relation makes the database write what {@link #cascades} lists for it
 * (through foreign keys); with {@link #unknownCascades()}, which cannot be told. A routine's body is SQL when {@link #routineBodies} gives it (by its lower-case name), and in
 * another language otherwise (not analysed).
 */
public final class CatalogStub implements NameResolver {
    public final Map<String, String> views = new HashMap<>();
    public final Map<String, List<TableRef>> parents = new HashMap<>();
    public final Map<String, List<TableRef>> children = new HashMap<>();
    public final Map<String, List<TableRef>> writeRoutines = new HashMap<>();
    /** Per relation name: the routines its row security runs; a name mapped to {@code null} is not known. */
    public final Map<String, List<TableRef>> rowSecurityRoutines = new HashMap<>();
    /**
     * Per relation name: those of its write routines that run with its stored rows' values (a check's, an index
     * expression's); none unless listed; a name mapped to {@code null} is not known.
     */
    public final Map<String, List<TableRef>> givenRows = new HashMap<>();
    public final Map<String, String> routineBodies = new HashMap<>();
    /** Whether it stands for a catalog that reads routines' bodies ({@link #readsRoutines()}): none is read without one. */
    public boolean readsRoutines;
    private boolean ancestryKnown = true;
    private boolean writeRoutinesKnown = true;
    /** Per action and lower-case relation name ({@code "delete customers"}), what the database writes on its own then. */
    public final Map<String, List<CascadedWrite>> cascades = new HashMap<>();
    private boolean cascadesKnown = true;

    /** From now on, the catalog cannot tell what the database writes through foreign keys. */
    public CatalogStub unknownCascades() {
        cascadesKnown = false;
        return this;
    }

    /**
     * Deleting ({@code delete}) or updating ({@code update}) {@code relation} makes the database write {@code writes};
     * dropping or altering it with {@code CASCADE} ({@code drop}) drops or alters them (not known unless listed).
     */
    public CatalogStub cascade(String action, String relation, CascadedWrite... writes) {
        cascades.put(action + " " + relation, List.of(writes));
        return this;
    }

    /** From now on, the catalog cannot tell any relation's parents and partitions. */
    public CatalogStub unknownAncestry() {
        ancestryKnown = false;
        return this;
    }

    /** From now on, the catalog cannot tell which routines writing a relation runs. */
    public CatalogStub unknownWriteRoutines() {
        writeRoutinesKnown = false;
        return this;
    }

    @Override
    public Resolution resolve(String name) {
        return Resolution.in("public");
    }

    /** A view when {@link #views} has it, else a table. */
    @Override
    public RelationKind relationKind(String schema, String name) {
        return views.containsKey(name.toLowerCase(Locale.ROOT)) ? RelationKind.VIEW : RelationKind.TABLE;
    }

    @Override
    public String viewDefinition(String schema, String name) {
        return views.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public List<TableRef> ancestors(String schema, String name) {
        return ancestryKnown ? parents.getOrDefault(name, List.of()) : null;
    }

    @Override
    public List<TableRef> descendants(String schema, String name) {
        return ancestryKnown ? children.getOrDefault(name, List.of()) : null;
    }

    @Override
    public List<TableRef> routinesRunOnWrite(String schema, String name) {
        return writeRoutinesKnown ? writeRoutines.getOrDefault(name, List.of()) : null;
    }

    /** The functions of the database's enabled event triggers; {@code null}: not known. */
    public List<TableRef> eventTriggers = List.of();

    @Override
    public List<TableRef> routinesOfEventTriggers() {
        return eventTriggers;
    }

    @Override
    public List<TableRef> routinesGivenRows(String schema, String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return givenRows.containsKey(key) ? givenRows.get(key) : List.of();
    }

    @Override
    public List<TableRef> routinesOfRowSecurity(String schema, String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return rowSecurityRoutines.containsKey(key) ? rowSecurityRoutines.get(key) : List.of();
    }

    @Override
    public List<CascadedWrite> cascadedWrites(String schema, String name, Action action) {
        String key = action.externalName() + " " + name.toLowerCase(Locale.ROOT);
        if (action == Action.DROP) {
            return cascadesKnown ? cascades.get(key) : null; // what a DROP … CASCADE reaches: unknown unless listed
        }
        return cascadesKnown ? cascades.getOrDefault(key, List.of()) : null;
    }

    @Override
    public boolean readsRoutines() {
        return readsRoutines;
    }

    @Override
    public boolean plpgsqlResolvesAsDefault() {
        return true; // as PostgreSQL's default, which DO blocks are read under
    }

    @Override
    public List<String> routineBodies(String schema, String name) {
        String body = routineBodies.get(name.toLowerCase(Locale.ROOT));
        return body == null ? null : List.of(body);
    }
}
