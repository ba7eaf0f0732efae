package io.governed.sql.names;

/**
 * MariaDB's (and MySQL's) resolution of an unqualified table name: the current database
 * ({@code DATABASE()}, changed by {@code USE} or {@code Connection.setCatalog}). Its databases are
 * what policies call schemas.
 *
 * @param database  the current database, or {@code null} when none is selected or it is unknown
 * @param relations where views' definitions are found, or {@code null} when they are not
 */
public record CurrentDatabase(String database, RelationLocator relations) implements NameResolver {

    /** The current database alone: no view's definition is known. */
    public CurrentDatabase(String database) {
        this(database, null);
    }

    @Override
    public String viewDefinition(String schema, String name) {
        return relations == null ? null : relations.viewDefinition(schema, name);
    }

    @Override
    public boolean viewDefinitionUnknown(String schema, String name) {
        return relations != null && relations.viewDefinitionUnknown(schema, name);
    }

    @Override
    public RelationKind relationKind(String schema, String name) {
        return relations == null ? null : relations.relationKind(schema, name);
    }

    @Override
    public java.util.Set<String> columns(String schema, String name) {
        return relations == null ? null : relations.columns(schema, name);
    }

    @Override
    public String columnType(String schema, String name, String column) {
        return relations == null ? null : relations.columnType(schema, name, column);
    }

    @Override
    public java.util.List<io.governed.sql.TableRef> routinesRunOnWrite(String schema, String name) {
        return relations == null ? null : relations.routinesRunOnWrite(schema, name);
    }

    @Override
    public java.util.List<io.governed.sql.TableRef> routinesRunOnWrite(String schema, String name,
                                                                      io.governed.sql.Action action, boolean upsert) {
        return relations == null ? null : relations.routinesRunOnWrite(schema, name, action, upsert);
    }

    @Override
    public java.util.List<CascadedWrite> cascadedWrites(String schema, String name, io.governed.sql.Action action) {
        return relations == null ? null : relations.cascadedWrites(schema, name, action);
    }

    @Override
    public boolean readsRoutines() {
        return relations != null;
    }

    @Override
    public boolean readsCatalog() {
        return relations != null;
    }

    /** The databases holding a relation or routine of the name, as the catalog shows them. */
    @Override
    public java.util.Set<String> schemasNaming(String name) {
        return relations == null ? null : relations.schemasNaming(name);
    }

    /** An unqualified routine is the current database's (a server built-in of the name is called before it). */
    @Override
    public java.util.List<String> routineBodies(String schema, String name) {
        String in = schema != null ? schema : database;
        return relations == null || in == null ? null : relations.routineBodies(in, name);
    }

    @Override
    public Resolution resolve(String name) {
        return database == null ? Resolution.unknown() : Resolution.in(database);
    }

    @Override
    public Resolution resolveNew(String name) {
        return resolve(name);
    }
}
