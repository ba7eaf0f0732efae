package io.governed.sql.names;

import io.governed.sql.TableRef;

import java.util.List;
import java.util.Set;

/**
 * Which schemas hold a relation (table, view, sequence, …) of a given name: what a catalog lookup
 * ({@code pg_class}, {@code INFORMATION_SCHEMA.TABLES}) says.
 */
public interface RelationLocator {

    /**
     * The schemas holding a relation named {@code name} (as the database stores it), or {@code null}
     * when that could not be found out.
     */
    Set<String> schemasHolding(String name);

    /** Called with the names about to be asked for, so they can be looked up at once. Optional. */
    default void prepare(Set<String> names) {
    }

    /** See {@link NameResolver#viewDefinition}: the defining query of a view, {@code null} for anything else or when unknown. */
    default String viewDefinition(String schema, String name) {
        return null;
    }

    /** See {@link NameResolver#viewDefinitionUnknown}: whether a {@code null} definition may mean "could not be read". */
    default boolean viewDefinitionUnknown(String schema, String name) {
        return false;
    }

    /** See {@link NameResolver#relationKind}: what a relation is, {@code null} when unknown. */
    default NameResolver.RelationKind relationKind(String schema, String name) {
        return null;
    }

    /** See {@link NameResolver#columns}: a relation's column names, {@code null} when unknown. */
    default Set<String> columns(String schema, String name) {
        return null;
    }

    /** See {@link NameResolver#columnType}: a column's type, {@code null} when unknown or when it proves nothing. */
    default String columnType(String schema, String name, String column) {
        return null;
    }

    /** See {@link NameResolver#schemasNaming}: the schemas holding a relation, routine or type of the name, {@code null} when unknown. */
    default Set<String> schemasNaming(String name) {
        return null;
    }

    /** See {@link NameResolver#ancestors}: the tables a relation is a partition or child of, {@code null} when unknown. */
    default List<TableRef> ancestors(String schema, String name) {
        return null;
    }

    /** See {@link NameResolver#descendants}: a relation's partitions and children, {@code null} when unknown. */
    default List<TableRef> descendants(String schema, String name) {
        return null;
    }

    /** See {@link NameResolver#cascadedWrites}: what the database writes when a relation is written, {@code null} when unknown. */
    default List<CascadedWrite> cascadedWrites(String schema, String name, io.governed.sql.Action action) {
        return null;
    }

    /** See {@link NameResolver#routinesRunOnWrite}: the routines writing a relation runs, {@code null} when unknown. */
    default List<TableRef> routinesRunOnWrite(String schema, String name) {
        return null;
    }

    /** See {@link NameResolver#routinesRunOnWrite(String, String, io.governed.sql.Action, boolean)}: by event. */
    default List<TableRef> routinesRunOnWrite(String schema, String name, io.governed.sql.Action action, boolean upsert) {
        return routinesRunOnWrite(schema, name);
    }

    /** See {@link NameResolver#routinesOfRowSecurity}: the routines a relation's row security runs, {@code null} when unknown. */
    default List<TableRef> routinesOfRowSecurity(String schema, String name) {
        return List.of();
    }

    /** See {@link NameResolver#routinesGivenRows}: the routines run with a relation's stored rows, {@code null} when unknown. */
    default List<TableRef> routinesGivenRows(String schema, String name) {
        return null;
    }

    /** See {@link NameResolver#routinesOfEventTriggers}: the functions of the enabled event triggers, {@code null} when unknown. */
    default List<TableRef> routinesOfEventTriggers() {
        return List.of();
    }

    /** See {@link NameResolver#routinesRunOnRead}: the routines a query of a relation runs, {@code null} when unknown. */
    default List<TableRef> routinesRunOnRead(String schema, String name) {
        return List.of();
    }

    /** See {@link NameResolver#routineBodies}: the SQL bodies of the routines of a name in one schema, {@code null} when unknown. */
    default List<String> routineBodies(String schema, String name) {
        return null;
    }

    /** See {@link NameResolver#plpgsqlResolvesAsDefault}: false when not known. */
    default boolean plpgsqlResolvesAsDefault() {
        return false;
    }
}
