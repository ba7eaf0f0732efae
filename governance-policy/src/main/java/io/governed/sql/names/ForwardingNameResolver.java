package io.governed.sql.names;

import io.governed.sql.Action;
import io.governed.sql.TableRef;

import java.util.List;
import java.util.Set;

/**
 * A resolver that answers every question as {@link #names()} does, except those an implementation overrides: it keeps
 * only what differs. An interface rather than a class so that a record can be one.
 *
 * <p>Every method of {@link NameResolver} is forwarded, including those whose own default derives its answer from
 * others: {@link #holdsOwnRowsOnly} (from {@link #relationKind} and {@link #viewDefinitionUnknown}),
 * {@link #routinesRunOnWrite(String, String, Action, boolean)} (from {@link #routinesRunOnWrite(String, String)}) and
 * {@link #plpgsqlResolvesAsDefault} (from {@link #readsRoutines}). An implementation that changes one of those answers
 * beneath must override the derived one too, or it keeps the resolver's answer it meant to change.
 *
 * <p>Each method is an answer about names, and each implementation must consider every one of them: forwarded, the
 * resolver beneath decides, which is right only where the implementation knows nothing the resolver beneath does not.
 * A method added to {@link NameResolver} must be forwarded here (ForwardingNameResolverTest fails otherwise), and the
 * list of what each implementation overrides is a test of its own, which names the new method until it is looked at.
 * The answers are:
 * <ul>
 *   <li>where a name resolves: {@link #resolve}, {@link #resolveNew}, {@link #prepare};</li>
 *   <li>what a relation is and holds: {@link #relationKind}, {@link #holdsOwnRowsOnly}, {@link #columns}, {@link #columnType},
 *       {@link #viewDefinition}, {@link #viewDefinitionUnknown}, {@link #ancestors}, {@link #descendants},
 *       {@link #schemasNaming};</li>
 *   <li>what runs or is written unnamed: {@link #routinesRunOnWrite(String, String)},
 *       {@link #routinesRunOnWrite(String, String, Action, boolean)}, {@link #routinesOfRowSecurity},
 *       {@link #routinesGivenRows}, {@link #routinesOfEventTriggers}, {@link #routinesRunOnRead},
 *       {@link #cascadedWrites};</li>
 *   <li>routines and what the catalog is: {@link #routineBodies}, {@link #plpgsqlResolvesAsDefault},
 *       {@link #systemMayHoldRoutine}, {@link #readsCatalog}, {@link #readsRoutines}.</li>
 * </ul>
 */
public interface ForwardingNameResolver extends NameResolver {

    /** The resolver answered through. */
    NameResolver names();

    @Override
    default Resolution resolve(String name) {
        return names().resolve(name);
    }

    @Override
    default Resolution resolveNew(String name) {
        return names().resolveNew(name);
    }

    @Override
    default void prepare(Set<String> wanted) {
        names().prepare(wanted);
    }

    @Override
    default String viewDefinition(String schema, String name) {
        return names().viewDefinition(schema, name);
    }

    @Override
    default boolean viewDefinitionUnknown(String schema, String name) {
        return names().viewDefinitionUnknown(schema, name);
    }

    @Override
    default RelationKind relationKind(String schema, String name) {
        return names().relationKind(schema, name);
    }

    @Override
    default boolean holdsOwnRowsOnly(String schema, String name) {
        return names().holdsOwnRowsOnly(schema, name);
    }

    @Override
    default Set<String> columns(String schema, String name) {
        return names().columns(schema, name);
    }

    @Override
    default String columnType(String schema, String name, String column) {
        return names().columnType(schema, name, column);
    }

    @Override
    default List<TableRef> ancestors(String schema, String name) {
        return names().ancestors(schema, name);
    }

    @Override
    default List<TableRef> descendants(String schema, String name) {
        return names().descendants(schema, name);
    }

    @Override
    default List<TableRef> routinesRunOnWrite(String schema, String name) {
        return names().routinesRunOnWrite(schema, name);
    }

    @Override
    default List<TableRef> routinesRunOnWrite(String schema, String name, Action action, boolean upsert) {
        return names().routinesRunOnWrite(schema, name, action, upsert);
    }

    @Override
    default List<TableRef> routinesOfRowSecurity(String schema, String name) {
        return names().routinesOfRowSecurity(schema, name);
    }

    @Override
    default List<TableRef> routinesGivenRows(String schema, String name) {
        return names().routinesGivenRows(schema, name);
    }

    @Override
    default List<TableRef> routinesOfEventTriggers() {
        return names().routinesOfEventTriggers();
    }

    @Override
    default List<TableRef> routinesRunOnRead(String schema, String name) {
        return names().routinesRunOnRead(schema, name);
    }

    @Override
    default List<CascadedWrite> cascadedWrites(String schema, String name, Action action) {
        return names().cascadedWrites(schema, name, action);
    }

    @Override
    default List<String> routineBodies(String schema, String name) {
        return names().routineBodies(schema, name);
    }

    @Override
    default boolean plpgsqlResolvesAsDefault() {
        return names().plpgsqlResolvesAsDefault();
    }

    @Override
    default boolean systemMayHoldRoutine(String name) {
        return names().systemMayHoldRoutine(name);
    }

    @Override
    default Set<String> schemasNaming(String name) {
        return names().schemasNaming(name);
    }

    @Override
    default boolean readsCatalog() {
        return names().readsCatalog();
    }

    @Override
    default boolean readsRoutines() {
        return names().readsRoutines();
    }

    @Override
    default io.governed.sql.RoutineCatalog sessionBuiltIns() {
        return names().sessionBuiltIns();
    }
}
