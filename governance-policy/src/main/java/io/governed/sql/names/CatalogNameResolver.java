package io.governed.sql.names;

import io.governed.sql.Action;
import io.governed.sql.TableRef;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A resolver that answers from a reading of the database's catalog ({@link RelationLocator}): every answer the reading
 * gives ({@link #relations}) is forwarded to it, so an implementation keeps only what differs: how a name resolves, and
 * what it does not take from the reading.
 *
 * <p>Forwarded are the methods {@link NameResolver} shares with {@link RelationLocator}; each is an answer about names
 * that each implementation must consider (forwarded, the reading decides): {@link #prepare}, {@link #viewDefinition},
 * {@link #viewDefinitionUnknown}, {@link #relationKind}, {@link #columns}, {@link #columnType}, {@link #schemasNaming}, {@link #ancestors},
 * {@link #descendants}, {@link #cascadedWrites}, {@link #routinesRunOnWrite(String, String)},
 * {@link #routinesRunOnWrite(String, String, Action, boolean)}, {@link #routinesOfRowSecurity},
 * {@link #routinesGivenRows}, {@link #routinesOfEventTriggers}, {@link #routinesRunOnRead}, {@link #routineBodies}
 * and {@link #plpgsqlResolvesAsDefault}. The others are {@link NameResolver}'s defaults unless an implementation
 * decides: {@link #resolve} (which it must), {@link #resolveNew}, {@link #holdsOwnRowsOnly} (derived from the kind and
 * view lookup forwarded), {@link #systemMayHoldRoutine}, {@link #readsCatalog} and {@link #readsRoutines}. A method
 * added to either interface must be placed (CatalogNameResolverTest fails otherwise), and the list of what each
 * implementation overrides is a test of its own.
 */
abstract class CatalogNameResolver implements NameResolver {

    /** The catalog reading answered from. */
    final RelationLocator relations;

    CatalogNameResolver(RelationLocator relations) {
        this.relations = Objects.requireNonNull(relations, "relations");
    }

    @Override
    public void prepare(Set<String> names) {
        relations.prepare(names);
    }

    @Override
    public String viewDefinition(String schema, String name) {
        return relations.viewDefinition(schema, name);
    }

    @Override
    public boolean viewDefinitionUnknown(String schema, String name) {
        return relations.viewDefinitionUnknown(schema, name);
    }

    @Override
    public RelationKind relationKind(String schema, String name) {
        return relations.relationKind(schema, name);
    }

    @Override
    public Set<String> columns(String schema, String name) {
        return relations.columns(schema, name);
    }

    @Override
    public String columnType(String schema, String name, String column) {
        return relations.columnType(schema, name, column);
    }

    @Override
    public Set<String> schemasNaming(String name) {
        return relations.schemasNaming(name);
    }

    @Override
    public List<TableRef> ancestors(String schema, String name) {
        return relations.ancestors(schema, name);
    }

    @Override
    public List<TableRef> descendants(String schema, String name) {
        return relations.descendants(schema, name);
    }

    @Override
    public List<CascadedWrite> cascadedWrites(String schema, String name, Action action) {
        return relations.cascadedWrites(schema, name, action);
    }

    @Override
    public List<TableRef> routinesRunOnWrite(String schema, String name) {
        return relations.routinesRunOnWrite(schema, name);
    }

    @Override
    public List<TableRef> routinesRunOnWrite(String schema, String name, Action action, boolean upsert) {
        return relations.routinesRunOnWrite(schema, name, action, upsert);
    }

    @Override
    public List<TableRef> routinesOfRowSecurity(String schema, String name) {
        return relations.routinesOfRowSecurity(schema, name);
    }

    @Override
    public List<TableRef> routinesGivenRows(String schema, String name) {
        return relations.routinesGivenRows(schema, name);
    }

    @Override
    public List<TableRef> routinesOfEventTriggers() {
        return relations.routinesOfEventTriggers();
    }

    @Override
    public List<TableRef> routinesRunOnRead(String schema, String name) {
        return relations.routinesRunOnRead(schema, name);
    }

    @Override
    public List<String> routineBodies(String schema, String name) {
        return relations.routineBodies(schema, name);
    }

    @Override
    public boolean plpgsqlResolvesAsDefault() {
        return relations.plpgsqlResolvesAsDefault();
    }
}
